"""The load benchmark: a scenario per role against gunicorn, each page's p95 as a ratio to a floor.

See benchmarks/load/README.md. Run with `python -m benchmarks.load`. Nothing here imports Django at
import time: the locustfile runs in locust's own process without it.
"""
