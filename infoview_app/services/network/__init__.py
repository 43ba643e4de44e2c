"""The contact network graph, who referred whom: layout.py (the pure layered tree layout),
filters.py (what the page sends back, validated), building.py (the network and its list
from the database, with the figures) and panel.py (one contact's side panel)."""
