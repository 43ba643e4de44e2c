"""The Notes page: a contact's notes, search, and Markdown for notes."""
