"""Explorations and where each stands in the six steps; the student home."""
