"""Delivering one reminder: one e-mail with the least personal data, one notification, once."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest
from django.core import mail

from sendadmin.clocks.delivery import ALREADY_SENT, MISSING, SENT, SKIPPED, reminder_deliver
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Notification, Reminder
from sendadmin.clocks.services import clock_meet
from sendadmin.clocks.tasks import deliver_reminder, sweep_clocks
from sendadmin.schedule import BEAT_SCHEDULE
from tests.conftest import World
from tests.factories import ClockFactory, ReminderFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db


def _reminder(world: World, **clock: Any) -> Reminder:
    clock.setdefault("due_on", TODAY + dt.timedelta(days=7))
    stage = clock.pop("stage", "lead_7")
    return ReminderFactory(
        clock=ClockFactory(pupil=world.pupil, **clock),
        stage=stage,
        recipient=world.users["senco"],
    )


def test_delivery_sends_one_email_and_one_notification_and_marks_the_reminder_sent(
    world: World,
) -> None:
    reminder = _reminder(world, kind=Kind.ANNUAL_REVIEW)
    assert reminder_deliver(reminder.pk) == SENT
    (message,) = mail.outbox
    assert message.subject == "Due in 7 days: Annual review of an EHC plan — Amara Okafor"
    assert message.to == [world.users["senco"].email]
    assert "/deadlines/" in message.body
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html" and "Amara Okafor" in str(html)
    notification = Notification.objects.get(reminder=reminder)
    assert notification.user == world.users["senco"]
    assert notification.title == message.subject
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.attempts == 1


def test_delivering_the_same_reminder_twice_sends_once(world: World) -> None:
    reminder = _reminder(world)
    assert reminder_deliver(reminder.pk) == SENT
    assert reminder_deliver(reminder.pk) == ALREADY_SENT
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(reminder=reminder).count() == 1
    reminder.refresh_from_db()
    assert reminder.attempts == 1


def test_the_email_holds_no_more_personal_data_than_needed(world: World) -> None:
    world.pupil.preferred_name = "Mara"
    world.pupil.save()
    reminder = _reminder(world)
    reminder_deliver(reminder.pk)
    (message,) = mail.outbox
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert "Mara Okafor" in message.subject
    for text in (message.subject, message.body, html):
        assert world.pupil.upn not in text
        assert "Amara" not in text  # the legal first name, when a preferred name is set
        assert "2017" not in text  # date of birth
        assert "looked after" not in text.lower()


def test_an_escalated_reminder_says_why_it_was_sent(world: World) -> None:
    reminder = _reminder(world, due_on=TODAY - dt.timedelta(days=3), stage="overdue_1")
    reminder.escalated = True
    reminder.save()
    reminder_deliver(reminder.pk)
    (message,) = mail.outbox
    assert message.subject.startswith("Overdue by 3 days: ")
    assert "you manage the SENCO responsible" in message.body
    assert Notification.objects.get(reminder=reminder).body


def test_a_reminder_of_a_clock_met_before_delivery_is_not_sent(world: World) -> None:
    reminder = _reminder(world)
    clock_meet(clock=reminder.clock, met_on=TODAY, by=world.users["senco"])
    assert reminder_deliver(reminder.pk) == SKIPPED
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.sent_at is None and "met" in reminder.last_error


def test_a_superseded_stage_is_not_sent(world: World) -> None:
    reminder = _reminder(world, stage="lead_14")
    assert reminder_deliver(reminder.pk) == SKIPPED
    assert mail.outbox == []


def test_a_missing_reminder_is_not_an_error(db: Any) -> None:
    assert reminder_deliver(987654321) == MISSING


def test_a_failed_send_is_recorded_and_raised_for_retry_with_nothing_half_done(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    monkeypatch.setattr("sendadmin.clocks.delivery.send_mail", refuse)
    reminder = _reminder(world)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        reminder_deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.sent_at is None
    assert reminder.attempts == 1
    assert "SMTPServerDisconnected" in reminder.last_error
    assert not Notification.objects.filter(reminder=reminder).exists()


def test_delivery_task_acks_late_and_retries_transient_errors_with_backoff() -> None:
    assert deliver_reminder.name == "clocks.deliver_reminder"
    assert deliver_reminder.acks_late and deliver_reminder.reject_on_worker_lost
    assert set(deliver_reminder.autoretry_for) == {smtplib.SMTPException, ConnectionError, OSError}
    assert deliver_reminder.retry_backoff and deliver_reminder.max_retries == 5
    assert deliver_reminder.ignore_result
    assert sweep_clocks.name == "clocks.sweep" and sweep_clocks.acks_late


def test_beat_runs_the_sweep_every_quarter_of_an_hour() -> None:
    entry = BEAT_SCHEDULE["clocks.sweep"]
    assert entry["task"] == "clocks.sweep"
    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert entry["schedule"].hour == set(range(24))
    assert entry["options"] == {"expires": 600}
