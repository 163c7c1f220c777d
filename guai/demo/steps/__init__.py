"""Seed steps, run in file-name order (s10_..., s20_...). Each defines seed(db, settings, console)."""
