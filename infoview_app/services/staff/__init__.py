"""The career office's side: dashboard, partner directory, question bank, settings, and how staff
figures keep small groups hidden."""
