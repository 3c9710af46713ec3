"""Reads the environment once: DATABASE_URL and REDIS_URL pick PostgreSQL and Redis over SQLite."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# The database alias of the read replica, when one is configured.
REPLICA = "replica"


def _without_jit(config: dict[str, object]) -> dict[str, object]:
    """PostgreSQL's JIT off for sendadmin's connections.

    The pages' queries are short, but the planner's cost for a visibility filter (an OR of
    EXISTS and grant subqueries) can pass jit_above_cost on a county's data, and compiling then
    takes seconds for a query that runs in milliseconds: the load benchmark (benchmarks/load) saw a
    teacher's home page take 16 s with JIT and 0.4 s without. Long reporting queries lose little.
    """
    if "postgresql" not in str(config.get("ENGINE", "")):
        return config
    options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    config["OPTIONS"] = options
    return config


def database_config(default_sqlite: Path) -> dict[str, object]:
    """PostgreSQL when DATABASE_URL is set; otherwise the SQLite file (SQLITE_PATH overrides it)."""
    if env.str("DATABASE_URL", default=""):
        config: dict[str, object] = env.db_url("DATABASE_URL")
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        return _without_jit(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env.str("SQLITE_PATH", default="") or str(default_sqlite),
        # SQLite serialises writers; a generous timeout lets runserver, worker and beat share it.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    }


def replica_config() -> dict[str, object] | None:
    """A read replica of the PostgreSQL primary when DATABASE_REPLICA_URL is set (docs/scaling.md):
    dashboards and exports read from it through sendadmin.core.replica; nothing writes to it."""
    if not env.str("DATABASE_REPLICA_URL", default=""):
        return None
    config: dict[str, object] = env.db_url("DATABASE_REPLICA_URL")
    config.setdefault("CONN_MAX_AGE", 60)
    config["CONN_HEALTH_CHECKS"] = True
    # Under test the replica is the primary's test database, not a second one.
    config["TEST"] = {"MIRROR": "default"}
    return _without_jit(config)


def redis_url() -> str:
    return env.str("REDIS_URL", default="")
