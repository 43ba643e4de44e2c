"""What every feature shares: errors, validation, ownership look-ups, transactions, wording, time
zones, SQL dialects, throttling and isolation of untrusted input."""
