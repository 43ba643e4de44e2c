"""Step 6, Follow-up: due dates and the follow-up to-do list."""
