"""Step 2, Develop: contacts, their import, and the community partners students see."""
