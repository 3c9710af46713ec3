"""The personal iCalendar feed: its secret-token services and the RFC 5545 text it serves.

The feed leaves the system (it is copied into Outlook or Google Calendar, which sync it to phones),
so an event names the kind of deadline and a pupil's initials only, never a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from sendadmin.accounts.audit import audit_record

from .models import CalendarFeedToken, Clock

PRODID = "-//sendadmin//Deadlines//EN"
# RFC 5545 3.1: lines are folded so that none is longer than 75 octets, excluding the line break.
LINE_OCTETS = 75
CRLF = "\r\n"


def calendar_token_live_for(user: Any) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_token_owner_or_none(token: str) -> CalendarFeedToken | None:
    """The live token with this secret, with its owner; None if unknown, revoked or deactivated."""
    return (
        CalendarFeedToken.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


@transaction.atomic
def calendar_token_create(*, by: Any) -> CalendarFeedToken:
    """Give `by` a calendar feed link, or return the live one they have (one live link each)."""
    live = CalendarFeedToken.objects.select_for_update().filter(user=by, revoked_at__isnull=True)
    existing = live.first()
    if existing is not None:
        return existing
    token = CalendarFeedToken(user=by)
    token._history_user = by  # type: ignore[attr-defined]
    token.save()
    # The secret is never written to the audit log: the log is readable by more people than the owner.
    audit_record(by, "clocks.calendar_token.created", token)
    return token


@transaction.atomic
def calendar_token_revoke(*, by: Any) -> int:
    """Turn off `by`'s calendar link: every copy of the URL stops working. Returns how many."""
    revoked = 0
    now = timezone.now()
    for token in CalendarFeedToken.objects.select_for_update().filter(
        user=by, revoked_at__isnull=True
    ):
        token.revoked_at = now
        token._history_user = by  # type: ignore[attr-defined]
        token.save(update_fields=["revoked_at"])
        audit_record(by, "clocks.calendar_token.revoked", token)
        revoked += 1
    return revoked


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: escape backslashes, semicolons, commas and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 5545 3.1: split a content line into lines of at most 75 octets; each continuation line
    starts with one space. Never splits a multi-byte UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def pupil_initials(pupil: Any) -> str:
    first = pupil.preferred_name or pupil.legal_first_name
    letters = [
        next((c for c in name if c.isalpha()), "") for name in (first, pupil.legal_last_name)
    ]
    return ".".join(c.upper() for c in letters if c) + "."


def event_summary(clock: Clock) -> str:
    summary = clock.get_kind_display()
    if clock.pupil is not None:
        summary += f" ({pupil_initials(clock.pupil)})"
    return summary


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def render_calendar(
    clocks: Iterable[Clock], *, uid_domain: str, link: str, stamp: dt.datetime
) -> str:
    """The VCALENDAR text: one all-day VEVENT per clock, on its due date."""
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:sendadmin deadlines",
        # RFC 7986 (and Outlook's older name for it): how often a subscriber should refresh.
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for clock in clocks:
        organisation = clock.school or clock.local_authority
        description = (
            f"{clock.get_kind_display()} due {clock.due_on.day} {clock.due_on:%B %Y}. "
            f"Responsible: {clock.get_responsible_role_display()}"
            + (f", {organisation}" if organisation else "")
            + f".\nOpen sendadmin for the details: {link}"
        )
        lines += [
            "BEGIN:VEVENT",
            # Stable per clock, so a re-fetch updates the event instead of adding a copy.
            f"UID:clock-{clock.pk}@{uid_domain}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{_date(clock.due_on)}",
            f"DTEND;VALUE=DATE:{_date(clock.due_on + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(event_summary(clock))}",
            f"DESCRIPTION:{escape_text(description)}",
            f"URL:{link}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
