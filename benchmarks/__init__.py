"""Benchmarks of the MIS import and the SEN register page, reported as ratios to in-run floors.

Run with `python -m benchmarks.run` (or `make bench`); see benchmarks/README.md.
"""
