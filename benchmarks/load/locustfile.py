"""The simulated users of one scenario, for `locust --headless` (run by benchmarks.load, not by hand).

Self-contained (locust imports it by path, without Django). The environment names the scenario's
plan, a JSON file written by benchmarks.load.plan: each simulated user takes the next planned person
in turn, signs in once through the real sign-in form (GET the form, POST it with its CSRF token),
then requests that person's pages in a closed loop with no think time, the record pages visiting
the planned records in turn. Redirects are not followed: anything but 200 is an error.

Phases, timed here rather than by --run-time so that sign-ins never count: wait until every user
has tried to sign in, then the warm-up, in which requests are made but not recorded: until every
user has been round all their pages once (every worker has compiled the templates, the burst of
sign-ins is over and the users no longer move in step), then LOAD_WARMUP seconds more. Then the
measured window, recording every request's time; then the samples are written to LOAD_OUT and
locust is stopped.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
LABELS = {page["label"] for person in PLAN["users"] for page in person["pages"]}
OUT = os.environ["LOAD_OUT"]
WARMUP = float(os.environ.get("LOAD_WARMUP", "10"))
DURATION = float(os.environ.get("LOAD_DURATION", "60"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
SIGN_IN_TIMEOUT = float(os.environ.get("LOAD_SIGN_IN_TIMEOUT", "180"))
LOGIN_PATH = "/account/sign-in/"
LOGIN_LABEL = "sign in"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class State:
    measuring = False
    signed_in = 0
    sign_in_failed = 0
    went_round = 0
    sign_in_ms: list[float] = []
    samples: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    error_examples: dict[str, list[str]] = {}
    measured_seconds = 0.0
    recorded = 0


_next_person = itertools.count()


@events.request.add_listener
def _record(
    name: str, response_time: float, exception: BaseException | None = None, **_: Any
) -> None:
    if name == LOGIN_LABEL:
        return
    if not State.measuring:
        return
    State.recorded += 1
    State.samples.setdefault(name, []).append(response_time)
    if exception is not None:
        State.errors[name] = State.errors.get(name, 0) + 1
        examples = State.error_examples.setdefault(name, [])
        if len(examples) < 5:
            examples.append(str(exception)[:200])


def _phases(environment: Environment) -> None:
    target = environment.parsed_options.num_users if environment.parsed_options else 1
    deadline = time.monotonic() + SIGN_IN_TIMEOUT
    warm_up_start = time.monotonic()
    while State.signed_in + State.sign_in_failed < target and time.monotonic() < deadline:
        gevent.sleep(0.2)
    while State.went_round < State.signed_in and time.monotonic() < deadline + SIGN_IN_TIMEOUT:
        gevent.sleep(0.2)
    gevent.sleep(WARMUP)
    State.measuring = True
    start = time.monotonic()
    # The window lasts DURATION (or MAX_REQUESTS), and longer if a page has no sample yet, so that
    # every planned page is measured at least once, but never past twice DURATION plus a minute.
    hard_stop = start + 2 * DURATION + 60
    while time.monotonic() < hard_stop:
        enough = time.monotonic() - start >= DURATION or (
            MAX_REQUESTS and State.recorded >= MAX_REQUESTS
        )
        if enough and State.samples.keys() >= LABELS:
            break
        gevent.sleep(0.1)
    State.measuring = False
    State.measured_seconds = time.monotonic() - start
    result = {
        "scenario": PLAN["key"],
        "users": target,
        "signed_in": State.signed_in,
        "seconds_before_window": start - warm_up_start,
        "sign_in_failed": State.sign_in_failed,
        "sign_in_ms": State.sign_in_ms,
        "measured_seconds": State.measured_seconds,
        "samples": State.samples,
        "errors": State.errors,
        "error_examples": State.error_examples,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f)
    assert environment.runner is not None
    environment.runner.quit()


@events.test_start.add_listener
def _start(environment: Environment, **_: Any) -> None:
    gevent.spawn(_phases, environment)


class PlannedUser(FastHttpUser):
    wait_time = constant(0)
    # A page of a county-sized school can take seconds under load; only a hang should fail it.
    network_timeout = 120.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        person = PLAN["users"][next(_next_person) % len(PLAN["users"])]
        self.pages: list[dict[str, Any]] = person["pages"]
        self.turn = 0
        started = time.monotonic()
        ok = self._sign_in(person["email"], PLAN["password"])
        if ok:
            State.signed_in += 1
            State.sign_in_ms.append((time.monotonic() - started) * 1000)
            if not self.pages:
                State.went_round += 1
        else:
            State.sign_in_failed += 1

    def _sign_in(self, email: str, password: str) -> bool:
        with self.client.get(LOGIN_PATH, name=LOGIN_LABEL, catch_response=True) as page:
            found = TOKEN.search(page.content or b"")
            if page.status_code != 200 or not found:
                page.failure(f"sign-in form: HTTP {page.status_code}")
                return False
        with self.client.post(
            LOGIN_PATH,
            data={
                "csrfmiddlewaretoken": found.group(1).decode(),
                "username": email,
                "password": password,
            },
            name=LOGIN_LABEL,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {email}: HTTP {response.status_code}")
                return False
        return True

    @task
    def next_page(self) -> None:
        if not self.pages:
            gevent.sleep(1)
            return
        page = self.pages[self.turn % len(self.pages)]
        urls = page["urls"]
        url = urls[(self.turn // len(self.pages)) % len(urls)]
        self.turn += 1
        if self.turn == len(self.pages):
            State.went_round += 1
        with self.client.get(
            url, name=page["label"], allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{url}: HTTP {response.status_code}")
