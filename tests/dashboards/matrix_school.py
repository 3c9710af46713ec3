"""Access-matrix rows: being written (issue 7)."""

from __future__ import annotations

from tests.access_rows import Row

ROWS: dict[str, Row] = {}
