"""privacy/lint."""
