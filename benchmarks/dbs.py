"""`python -m benchmarks.dbs recreate <url>`: drop and create an empty PostgreSQL database, for
`make bench` (benchmarks/bench.sh). It connects to the server's `postgres` database to do it."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def recreate(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name == "postgres":
        raise SystemExit(f"refusing to recreate {name!r}: name a scratch database")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[0] != "recreate":
        raise SystemExit("usage: python -m benchmarks.dbs recreate <postgres url>")
    recreate(argv[1])


if __name__ == "__main__":
    main(sys.argv[1:])
