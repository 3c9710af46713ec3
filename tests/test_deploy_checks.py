"""`manage.py check --deploy` with production settings: no warnings beyond the documented allowlist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Deploy-check ids we accept, each with the reason (docs/operations.md repeats it). Empty today.
ALLOWED: dict[str, str] = {}


@pytest.mark.slow
def test_check_deploy_with_production_settings_is_clean() -> None:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is for them only; production never sets it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "sendadmin.settings.production",
        "SECRET_KEY": "a-long-random-production-like-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "sendadmin.example",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sendadmin"
        ),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    found = {
        line.split(":")[0].strip("() ") for line in output.splitlines() if "security.W" in line
    }
    unexpected = {check for check in found if check not in ALLOWED}
    assert not unexpected, output
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="sendadmin.settings.production", ALLOWED_HOSTS="x.example")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
