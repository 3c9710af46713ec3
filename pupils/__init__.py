"""Pupils, teaching groups and the SEN register."""
