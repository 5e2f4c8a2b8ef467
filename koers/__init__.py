"""Koers: methodical work with clients on social assistance, individually and in groups."""
