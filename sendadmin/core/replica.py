"""Reads that may come from a replica: dashboards and exports (docs/scaling.md).

With DATABASE_REPLICA_URL set, a view wrapped in `reads_from_replica` (or code inside
`with reporting_reads():`) sends its ORM reads to the replica alias, while every write (the audit
event of an export, say) still goes to the primary. Without it, everything uses the primary, so
the embedded default and the tests behave as before.

Only aggregate and export pages use it: a replica may lag the primary by a moment, which a
dashboard can bear, but a form that saves and then shows what it saved cannot.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings

from sendadmin.env import REPLICA

_reporting: ContextVar[bool] = ContextVar("sendadmin_reporting_reads", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reporting_reads() -> Iterator[None]:
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reads_from_replica(view: F) -> F:
    """Decorate a dashboard or export view: its reads may come from the replica."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with reporting_reads():
            return view(*args, **kwargs)

    # functools.wraps copies __dict__, so decorators applied outside this one keep the mark.
    wrapped.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """Reads inside reporting_reads() go to the replica when one is configured; all else, and all
    writes and migrations, to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reporting.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary: an object read from either may refer
        # to one read from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
