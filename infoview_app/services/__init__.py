"""The rules of InfoView, in plain Python: no Reflex here. Each function takes a SQLModel
Session and plain arguments and returns plain data."""
