"""`manage.py serve`: runserver in the foreground with a Celery worker and beat beside it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from kombu.utils.url import maybe_sanitize_url

from sendadmin.env import BASE_DIR, VAR_DIR

BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
STOP_GRACE_SECONDS = 10.0


class _Stop(Exception):
    """Raised from the SIGTERM/SIGHUP handler so that shutdown runs the same path as Ctrl-C."""


class Child:
    """One subprocess in its own process group, so stopping it also stops its pool children."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path | None) -> None:
        self.name = name
        self.log = log
        self._log_file: TextIO | None = log.open("a", encoding="utf-8") if log else None
        self.process = subprocess.Popen(  # noqa: S603 (argv is built here, never from input)
            argv,
            cwd=BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT if self._log_file else None,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def _signal_group(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def stop(self) -> None:
        """Terminate, wait, then kill: the whole process group, whether or not the leader lives."""
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_GRACE_SECONDS)
        # Prefork pool children or the reloader's child can outlive their leader.
        self._signal_group(signal.SIGKILL)
        self.process.wait()
        if self._log_file:
            self._log_file.close()


def _is_sqlite() -> bool:
    return "sqlite" in str(settings.DATABASES["default"]["ENGINE"])


def _describe_database() -> str:
    db = settings.DATABASES["default"]
    if _is_sqlite():
        return f"SQLite at {db['NAME']}"
    engine = str(db["ENGINE"]).rsplit(".", 1)[-1]
    name = "PostgreSQL" if "postgres" in engine else engine
    return f"{name} {db.get('USER', '')}@{db.get('HOST', '')}:{db.get('PORT', '')}/{db['NAME']}"


def _broker_folders() -> list[Path]:
    options: dict[str, Any] = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    keys = ("data_folder_in", "data_folder_out", "processed_folder")
    return sorted({Path(options[key]) for key in keys if options.get(key)})


def _describe_broker() -> str:
    url = str(settings.CELERY_BROKER_URL)
    if url.startswith("filesystem://"):
        folders = ", ".join(str(folder) for folder in _broker_folders())
        return f"file-system broker in {folders}"
    return str(maybe_sanitize_url(url))


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


class Command(BaseCommand):
    help = "Run the development server with a Celery worker and Celery beat alongside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="host:port to serve on (127.0.0.1:8000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addr: str = options["addr"]
        log_dir = VAR_DIR / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        for folder in _broker_folders():
            folder.mkdir(parents=True, exist_ok=True)

        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        env["PYTHONUNBUFFERED"] = "1"
        celery = [sys.executable, "-m", "celery", "-A", "sendadmin"]
        worker_argv = [*celery, "worker", "-l", "info", "--concurrency", "1"]
        if _is_sqlite():
            # One process talks to SQLite from the worker: no concurrent writers.
            worker_argv += ["--pool", "solo"]
        beat_argv = [
            *celery,
            "beat",
            "-l",
            "info",
            "--scheduler",
            BEAT_SCHEDULER,
            "--pidfile=",
            "--schedule",
            str(VAR_DIR / "celerybeat-schedule"),
        ]
        # runserver runs as a child too, keeping its autoreloader: reloading re-executes
        # `runserver`, never `serve`, so code changes cannot start a second worker and beat.
        manage = str(BASE_DIR / "manage.py")
        web_argv = [sys.executable, manage, "runserver", addr]

        stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {sig: signal.getsignal(sig) for sig in stop_signals}
        signal.signal(signal.SIGTERM, _raise_stop)
        signal.signal(signal.SIGHUP, _raise_stop)
        children: list[Child] = []
        web_exit: int | None = None
        try:
            worker = Child("worker", worker_argv, env, log_dir / "worker.log")
            children.append(worker)
            beat = Child("beat", beat_argv, env, log_dir / "beat.log")
            children.append(beat)
            self._banner(addr, worker, beat)
            # Beat sweeps at each quarter hour; one sweep now sends the demo's due reminders at
            # once instead of up to 15 minutes later. The sweep is idempotent, so this is safe.
            from sendadmin.clocks.tasks import sweep_clocks

            sweep_clocks.delay()
            self.stdout.write("  Reminders: a sweep is queued now, then every 15 minutes.")
            web = Child("runserver", web_argv, env, None)
            children.append(web)
            self._supervise(web, [worker, beat])
            web_exit = web.process.returncode
        except (KeyboardInterrupt, _Stop):
            self.stdout.write("\nStopping...")
        finally:
            # A repeated Ctrl-C, or make relaying the SIGTERM its process group already got, must
            # not abandon children half-stopped.
            for sig in stop_signals:
                signal.signal(sig, signal.SIG_IGN)
            for child in reversed(children):
                child.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if children:
                self.stdout.write("Stopped runserver, worker and beat.")
        if web_exit:
            raise CommandError(f"runserver exited with code {web_exit}")

    def _supervise(self, web: Child, helpers: list[Child]) -> None:
        reported: set[str] = set()
        while web.running:
            for child in helpers:
                if not child.running and child.name not in reported:
                    reported.add(child.name)
                    self.stderr.write(
                        f"Celery {child.name} exited with code {child.process.returncode}; "
                        f"see {child.log}"
                    )
            time.sleep(0.5)

    def _banner(self, addr: str, worker: Child, beat: Child) -> None:
        pool = "solo pool (SQLite)" if _is_sqlite() else "prefork, concurrency 1"
        lines = [
            "",
            "sendadmin is starting",
            f"  Web:       http://{addr}/  (Django runserver; output below)",
            f"  Worker:    running, pid {worker.process.pid}, {pool}; log {worker.log}",
            f"  Beat:      running, pid {beat.process.pid}, DatabaseScheduler; log {beat.log}",
            f"  Database:  {_describe_database()}",
            f"  Broker:    {_describe_broker()}",
            "  Stop with Ctrl-C: worker and beat stop with the server.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
