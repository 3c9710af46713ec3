"""Organisations, people, roles, memberships and the audit trail."""
