"""Accounts: registration, sign-in, sessions, passwords, a student's data export."""
