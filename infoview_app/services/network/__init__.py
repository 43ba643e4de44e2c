"""The contact network graph: who referred whom."""
