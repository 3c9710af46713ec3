"""Tests of the offer app."""
