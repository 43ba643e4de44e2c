"""Data for trying and measuring the app: a demo student and a synthetic campus."""
