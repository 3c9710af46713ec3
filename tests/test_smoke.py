"""The embedded path `make run` takes: SQLite, migrate, seed_demo, runserver, a sign-in page."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANAGE = str(ROOT / "manage.py")
START_TIMEOUT = 60.0


def _embedded_env(tmp_path: Path) -> dict[str, str]:
    """This environment without PostgreSQL or Redis, on a fresh SQLite file in tmp_path."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "sendadmin.settings.dev"
    env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} exited {result.returncode}:\n{output}"
    )
    return output


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, wait, kill: the whole process group the server runs in."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def _get_until_ok(url: str, server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"runserver exited {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return str(response.read().decode("utf-8"))
                last_error = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = repr(error)
        time.sleep(0.5)
    pytest.fail(f"{url} gave no 200 in {START_TIMEOUT:.0f} s ({last_error}):\n{log.read_text()}")


@pytest.mark.slow
def test_embedded_sqlite_app_migrates_seeds_and_serves_the_sign_in_page(tmp_path: Path) -> None:
    env = _embedded_env(tmp_path)
    _manage(env, "migrate", "--no-input")
    _manage(env, "seed_demo")
    # A second seed must find the data already there and still succeed (`make run` re-runs it).
    _manage(env, "seed_demo")
    assert (tmp_path / "db.sqlite3").is_file()

    port = _free_port()
    log = tmp_path / "runserver.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            body = _get_until_ok(f"http://127.0.0.1:{port}/account/sign-in/", server, log)
        finally:
            _stop(server)
    assert "Sign in" in body
