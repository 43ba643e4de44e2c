"""Step 4, Connect: outreach, scripts, booking and calendar files."""
