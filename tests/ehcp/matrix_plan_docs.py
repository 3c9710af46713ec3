"""Access-matrix rows for the EHC plan document pages (merged into tests/test_access_matrix.py)."""

from typing import Any

ROWS: dict[str, Any] = {}
