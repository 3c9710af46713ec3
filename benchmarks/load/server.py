"""Start gunicorn on a free loopback port with the bench settings, wait until it answers, stop it."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sendadmin_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
SETTINGS_MODULE = "sendadmin.settings.bench"


def server_env() -> dict[str, str]:
    """This process's and gunicorn's environment: bench settings, a fresh secret, loopback only."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env["ALLOWED_HOSTS"] = HOST
    env.setdefault("LOG_LEVEL", "WARNING")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def default_workers() -> int:
    """gunicorn's own advice: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    workers: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start(*, workers: int, env: dict[str, str], log: Path, timeout: float = 60) -> Server:
    """gunicorn with `workers` sync workers; `env` carries the settings and the database."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sendadmin.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    server = Server(process, port, workers, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{server.url}/health/", timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer /health/ within {timeout:.0f} s; see {log}")
