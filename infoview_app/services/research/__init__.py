"""Step 1, Research: occupations and the student's research notes."""
