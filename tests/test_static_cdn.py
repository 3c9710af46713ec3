"""STATIC_URL may name a CDN (docs/scaling.md): static links go there and the CSP allows that
origin for scripts, styles, images and fonts, and for nothing else. Settings are read once per
process, so each case runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.templatetags.static import static
print(json.dumps({"css": static("app.css"), "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}))
"""


def _settings_with(static_url: str | None) -> dict[str, Any]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="sendadmin.settings.test")
    env.pop("STATIC_URL", None)
    if static_url:
        env["STATIC_URL"] = static_url
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout.decode().strip().splitlines()[-1])
    return result


def test_a_cdn_static_url_is_used_for_links_and_allowed_by_the_csp() -> None:
    got = _settings_with("https://cdn.example.org/static/")
    assert got["css"] == "https://cdn.example.org/static/app.css"
    for directive in ("script-src", "style-src", "img-src", "font-src"):
        assert got["csp"][directive][:1] == ["'self'"]
        assert "https://cdn.example.org" in got["csp"][directive]
    for directive in ("default-src", "connect-src", "form-action", "frame-ancestors"):
        assert "https://cdn.example.org" not in got["csp"][directive]


def test_by_default_static_files_come_from_the_app_itself() -> None:
    got = _settings_with(None)
    assert got["css"] == "/static/app.css"
    assert got["csp"]["script-src"] == ["'self'"]
