"""docker-compose.yml and the Dockerfile name services and Python entry points that really exist."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SERVICES = {"web", "worker", "beat", "postgres", "redis"}
APP_SERVICES = ("web", "worker", "beat")


def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _services() -> dict[str, dict[str, Any]]:
    services = _compose()["services"]
    assert isinstance(services, dict)
    return services


def _argv(command: str | list[str] | None) -> list[str]:
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    return [str(part) for part in command]


def _option(argv: list[str], *names: str) -> str | None:
    """The value of `--name value`, `--name=value` or `-n value` in argv."""
    for index, arg in enumerate(argv):
        for name in names:
            if arg == name and index + 1 < len(argv):
                return argv[index + 1]
            if arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    return None


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(key): str(value) for key, value in env.items()}


def _import_attr(path: str) -> object:
    """Import `package.module:attr` or `package.module.attr`."""
    module_name, sep, attr = path.partition(":")
    if not sep:
        module_name, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _celery_app(name: str) -> object:
    """What `celery -A name` finds: the attribute `app` or `celery` of `name` or `name.celery`."""
    if ":" in name:
        return _import_attr(name)
    for module_name in (name, f"{name}.celery"):
        module = importlib.import_module(module_name)
        for attr in ("app", "celery"):
            candidate = getattr(module, attr, None)
            if isinstance(candidate, Celery):
                return candidate
    raise AssertionError(f"no Celery app found for -A {name}")


def test_compose_defines_the_five_services() -> None:
    assert set(_services()) >= SERVICES


def test_redis_persists_its_queue_with_an_append_only_file() -> None:
    command = " ".join(_argv(_services()["redis"].get("command")))
    assert "--appendonly yes" in command


def test_redis_and_postgres_keep_their_data_in_volumes_and_report_health() -> None:
    services = _services()
    for name in ("postgres", "redis"):
        assert services[name].get("volumes"), name
        assert services[name].get("healthcheck"), name
    assert str(services["postgres"]["image"]).startswith("postgres:15")
    assert str(services["redis"]["image"]).startswith("redis:7")


def test_every_depends_on_names_a_defined_service() -> None:
    services = _services()
    for name, service in services.items():
        for dependency in service.get("depends_on") or []:
            assert dependency in services, f"{name} depends on undefined {dependency}"


def test_web_worker_and_beat_wait_for_healthy_postgres_and_redis() -> None:
    services = _services()
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert isinstance(depends_on, dict), name
        for backing in ("postgres", "redis"):
            assert depends_on[backing]["condition"] == "service_healthy", (name, backing)


def test_migrations_run_before_the_web_service_starts() -> None:
    services = _services()
    migrate_commands = [
        name
        for name, service in services.items()
        if "migrate" in _argv(service.get("command"))
        and "manage.py" in _argv(service.get("command"))
    ]
    web = services["web"]
    if migrate_commands:
        depends_on = web["depends_on"]
        for name in migrate_commands:
            assert depends_on[name]["condition"] == "service_completed_successfully"
    else:
        assert "migrate" in " ".join(_argv(web.get("entrypoint")) + _argv(web.get("command")))


def test_web_runs_gunicorn_on_the_wsgi_application() -> None:
    argv = _argv(_services()["web"]["command"])
    assert argv[0] == "gunicorn"
    targets = [arg for arg in argv[1:] if re.fullmatch(r"[\w.]+:\w+", arg)]
    assert targets == ["sendadmin.wsgi:application"]
    module = importlib.import_module("sendadmin.wsgi")
    assert callable(module.application)


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_name_the_project_celery_app(service: str) -> None:
    argv = _argv(_services()[service]["command"])
    assert argv[:1] == ["celery"]
    app_name = _option(argv, "-A", "--app")
    assert app_name is not None
    from sendadmin.celery import app

    assert _celery_app(app_name) is app
    assert service in argv


def test_every_task_is_routed_to_a_queue_the_compose_worker_consumes() -> None:
    """Queues per kind of work (docs/scaling.md): a route to a queue no worker reads would leave
    reminders queued for ever, so every route names a declared queue, every routed task exists,
    and the compose worker reads every declared queue (no -Q, or a -Q naming them all)."""
    from django.conf import settings

    from sendadmin.celery import app

    app.loader.import_default_modules()
    queues = set(settings.CELERY_TASK_QUEUES)
    assert settings.CELERY_TASK_DEFAULT_QUEUE in queues
    for task, route in settings.CELERY_TASK_ROUTES.items():
        assert task in app.tasks, task
        assert route["queue"] in queues, task
    argv = _argv(_services()["worker"]["command"])
    consumed = _option(argv, "-Q", "--queues")
    assert consumed is None or set(consumed.split(",")) == queues


def test_beat_uses_the_database_scheduler_and_its_class_imports() -> None:
    from django_celery_beat.schedulers import DatabaseScheduler

    argv = _argv(_services()["beat"]["command"])
    scheduler = _option(argv, "--scheduler", "-S")
    assert scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert _import_attr(scheduler) is DatabaseScheduler


def test_app_services_receive_the_settings_the_production_module_reads() -> None:
    required = {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
    }
    for name in APP_SERVICES:
        env = _environment(_services()[name])
        assert required <= set(env), (name, required - set(env))
        assert env["DJANGO_SETTINGS_MODULE"] == "sendadmin.settings.production"


def test_the_named_settings_module_imports() -> None:
    modules = {_environment(_services()[name])["DJANGO_SETTINGS_MODULE"] for name in APP_SERVICES}
    for module in modules:
        assert importlib.util.find_spec(module) is not None, module


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    instructions = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def _exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def test_dockerfile_builds_on_python_311_slim_bookworm_and_runs_as_a_non_root_user() -> None:
    instructions = _dockerfile_instructions()
    bases = [args.split()[0] for keyword, args in instructions if keyword == "FROM"]
    assert bases[-1] == "python:3.11-slim-bookworm"
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    runs = " ".join(args for keyword, args in instructions if keyword == "RUN")
    assert "libpango-1.0-0" in runs and "libpangoft2-1.0-0" in runs
    assert "collectstatic" in runs


def test_dockerfile_cmd_and_entrypoint_name_modules_that_exist() -> None:
    instructions = _dockerfile_instructions()
    commands = [
        _exec_form(args) for keyword, args in instructions if keyword in {"CMD", "ENTRYPOINT"}
    ]
    assert commands, "the Dockerfile has neither CMD nor ENTRYPOINT"
    checked = 0
    for argv in commands:
        program = Path(argv[0]).name
        if program in {"gunicorn", "celery"}:
            assert importlib.util.find_spec(program) is not None, program
            checked += 1
        for arg in argv[1:]:
            if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", arg):
                assert _import_attr(arg) is not None, arg
                checked += 1
        module = _option(argv, "-m")
        if module:
            assert importlib.util.find_spec(module) is not None, module
            checked += 1
        for script in (arg for arg in argv if arg.endswith(".py")):
            assert (ROOT / script).is_file(), script
            checked += 1
    assert checked, f"no checkable entry point in {commands}"
