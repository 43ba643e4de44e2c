"""Reusable UI pieces: the app shell, form fields, cards and empty states."""
