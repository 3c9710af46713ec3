"""Statutory clocks: one table of open obligations, the reminder sweep and notifications."""
