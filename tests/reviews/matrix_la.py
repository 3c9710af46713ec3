"""Access-matrix rows for the review pages (la side), merged into tests/test_access_matrix.py."""

from typing import Any

ROWS: dict[str, Any] = {}
