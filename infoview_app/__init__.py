"""InfoView: informational interviews, step by step."""
