"""What an access-matrix row is, shared by tests/test_access_matrix.py and the per-app row modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conftest import PERSONAS, World

ANON = "anonymous"
VARIANTS = ("in_scope", "out_of_scope", "second_school", "second_la")
Outcome = int | tuple[int, int, int, int]


@dataclass(frozen=True)
class Row:
    """Expected GET status per persona; a 4-tuple where the URL takes an object (VARIANTS order).

    `world_kwargs` is for a URL whose argument is not one of the four objects (a calendar token):
    it is built once from the world, and the expectations are single statuses.
    """

    expect: dict[str, Outcome]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    world_kwargs: Callable[[World], dict[str, Any]] | None = None


def everyone(status: Outcome, anon: Outcome = 302, **overrides: Outcome) -> dict[str, Outcome]:
    table: dict[str, Outcome] = dict.fromkeys(PERSONAS, status)
    table[ANON] = anon
    table.update(overrides)
    return table


HIDDEN = (404, 404, 404, 404)
ANON_REDIRECT = (302, 302, 302, 302)
SCHOOL_WIDE = (200, 200, 404, 404)  # sees every pupil of the home school
TAUGHT_ONLY = (200, 404, 404, 404)  # sees the pupil they teach (or, designated teacher, look after)
OTHER_SCHOOL = (404, 404, 200, 404)  # the second school's SENCO sees only their own pupil
POST_ONLY = 405  # a GET of a POST-only view, after sign-in
