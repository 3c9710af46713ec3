"""The national profile of seed_scale (see the package docstring). Being written: issue 8."""

from __future__ import annotations

from typing import Any


def seed(*, fraction: float, seed: int, out: Any, **options: Any) -> None:
    raise NotImplementedError("seed_scale --profile national is not built yet")
