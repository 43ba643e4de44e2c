"""Step 5, Interview: interview mode's data and which interview it opens."""
