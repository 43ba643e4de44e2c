"""Step 3, Prepare: the introduction (pitch) and the questions to ask."""
