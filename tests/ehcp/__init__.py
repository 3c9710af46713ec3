"""Tests of the ehcp app."""
