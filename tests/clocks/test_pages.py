"""Deadline pages: my deadlines, school and LA lists with filters, a pupil's timeline,
notifications, the calendar feed and the home page's 'What needs your attention'.

Time is frozen at TODAY 10:00 in London by the autouse fixture in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.models import Pupil
from sendadmin.accounts.models import AuditEvent, LocalAuthority, School, User
from sendadmin.accounts.roles import Role
from sendadmin.clocks.calendar_feed import escape_text, fold, pupil_initials
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import CalendarFeedToken, Clock, Notification
from sendadmin.clocks.services import clock_cancel, clock_record_exception
from tests.conftest import World, client_for
from tests.factories import (
    CalendarFeedTokenFactory,
    ClockFactory,
    MembershipFactory,
    NotificationFactory,
    PupilFactory,
    UserFactory,
)
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
CANARY_FIRST, CANARY_LAST = "Zebedee", "Canaryfield"


def school_clock(school: School, **extra: Any) -> Clock:
    """A clock about the school itself (no pupil): the SEN Information Report review."""
    extra.setdefault("kind", Kind.INFORMATION_REPORT_REVIEW)
    extra.setdefault("responsible_role", Role.SENCO)
    return ClockFactory(
        pupil=None,
        school=school,
        local_authority=school.local_authority,
        subject_type=ContentType.objects.get_for_model(School),
        subject_id=extra.pop("subject_id", school.pk),
        **extra,
    )


def la_clock(la: LocalAuthority, **extra: Any) -> Clock:
    extra.setdefault("kind", Kind.FINAL_PLAN)
    extra.setdefault("responsible_role", Role.LA_CASEWORKER)
    return ClockFactory(
        pupil=None,
        school=None,
        local_authority=la,
        subject_type=ContentType.objects.get_for_model(LocalAuthority),
        subject_id=extra.pop("subject_id", la.pk),
        **extra,
    )


def canary(school: School) -> Pupil:
    return PupilFactory(
        school=school, legal_first_name=CANARY_FIRST, legal_last_name=CANARY_LAST, ehc_plan=True
    )


def get(user: User | None, name: str, **kwargs: Any) -> Any:
    query = kwargs.pop("query", None)
    url = reverse(name, kwargs=kwargs or None)
    return client_for(user).get(url, query)


def body(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results(page: str) -> str:
    """The results table of a deadline list (the filter form above it names every kind)."""
    return page.split("Deadlines matching your filters, soonest first</caption>")[1]


# --- My deadlines ------------------------------------------------------------------------------


def test_my_deadlines_lists_open_clocks_the_user_answers_for_soonest_first_with_tags(
    world: World,
) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY + 40 * DAY)
    ClockFactory(pupil=world.untaught_pupil, due_on=TODAY - 3 * DAY)
    school_clock(world.school, due_on=TODAY + 5 * DAY)
    ClockFactory(pupil=world.pupil, kind=Kind.PARENT_MEETING, subject_id=9001, met=True)
    ClockFactory(pupil=world.second_school_pupil)  # another school's SENCO answers for this one
    page = body(get(world.users["senco"], "clocks:my-deadlines"))
    assert "3 open deadlines" in page
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)[1:]
    assert len(rows) == 3
    assert "3 days overdue" in rows[0] and "govuk-tag--red" in rows[0] and "Overdue" in rows[0]
    assert "Ben Hughes" in rows[0]
    assert "5 days left" in rows[1] and "govuk-tag--orange" in rows[1] and "Whole school" in rows[1]
    assert "40 days left" in rows[2] and "On track" in rows[2]
    assert reverse("pupils:pupil-detail", args=[world.pupil.pk]) in rows[2]


def test_my_deadlines_says_so_when_there_are_none(world: World) -> None:
    page = body(get(world.users["class_teacher"], "clocks:my-deadlines"))
    assert "You have no open deadlines" in page


def test_my_deadlines_of_a_governor_name_no_pupil(world: World) -> None:
    pupil = canary(world.school)
    governor = world.users["governor"]
    school_clock(world.school, responsible_role=Role.GOVERNOR)
    # Even a clock given to the governor by name does not name its pupil to them.
    ClockFactory(pupil=pupil, responsible_role=Role.GOVERNOR, responsible_user=governor)
    page = body(get(governor, "clocks:my-deadlines"))
    assert "SEN Information Report review" in page
    assert CANARY_LAST not in page and CANARY_FIRST not in page


def test_my_deadlines_is_paginated(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sendadmin.clocks.views.PAGE_SIZE", 2)
    for n in range(3):
        school_clock(world.school, subject_id=5000 + n, due_on=TODAY + (n + 1) * DAY)
    page = body(get(world.users["senco"], "clocks:my-deadlines", query={"page": 2}))
    assert "Page 2 of 2" in page
    assert "3 days left" in page and "1 day left" not in page


# --- School and LA lists -----------------------------------------------------------------------


def test_school_deadlines_default_to_open_clocks_of_the_active_school(world: World) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY + 3 * DAY)
    ClockFactory(pupil=world.untaught_pupil, kind=Kind.PARENT_MEETING, met=True)
    ClockFactory(pupil=world.second_school_pupil)
    page = body(get(world.users["senco"], "clocks:school-deadlines"))
    assert "1 deadline matches" in page
    assert "Amara Okafor" in page
    assert world.second_school_pupil.legal_last_name not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "overdue"}, {"overdue"}),
        ({"status": "due_soon"}, {"soon"}),
        ({"status": "on_track"}, {"later", "caseworker"}),
        ({"status": "met"}, {"met"}),
        ({"status": "cancelled"}, {"cancelled"}),
        ({"status": "exception_applies"}, {"exception"}),
        ({"status": "open"}, {"overdue", "soon", "later", "exception", "caseworker"}),
        ({}, {"overdue", "soon", "later", "exception", "caseworker"}),
        (
            {"status": "all"},
            {"overdue", "soon", "later", "exception", "caseworker", "met", "cancelled"},
        ),
        ({"status": "all", "kind": "advice_request"}, {"exception"}),
        ({"responsible_role": "la_caseworker"}, {"caseworker"}),
        (
            {
                "due_from_day": str(TODAY.day),
                "due_from_month": str(TODAY.month),
                "due_from_year": "2026",
            },
            {"soon", "later", "caseworker"},
        ),
        (
            {"due_to_day": str(TODAY.day), "due_to_month": str(TODAY.month), "due_to_year": "2026"},
            {"overdue", "exception"},
        ),
    ],
)
def test_school_deadlines_filter_by_status_kind_role_and_due_dates(
    world: World, query: dict[str, str], expected: set[str]
) -> None:
    senco = world.users["senco"]
    senco.active_membership = senco.memberships.get()  # type: ignore[attr-defined]
    pupils = {
        name: PupilFactory(school=world.school, legal_last_name=f"Pupil{name.title()}")
        for name in ("overdue", "soon", "later", "met", "cancelled", "exception", "caseworker")
    }
    ClockFactory(pupil=pupils["overdue"], due_on=TODAY - 2 * DAY)
    ClockFactory(pupil=pupils["soon"], due_on=TODAY + 10 * DAY)
    ClockFactory(pupil=pupils["later"], due_on=TODAY + 60 * DAY)
    ClockFactory(pupil=pupils["met"], met=True)
    clock_cancel(clock=ClockFactory(pupil=pupils["cancelled"]), reason="Left the school", by=senco)
    clock_record_exception(
        clock=ClockFactory(
            pupil=pupils["exception"],
            kind=Kind.ADVICE_REQUEST,
            started_on=TODAY - 50 * DAY,
            due_on=TODAY - 8 * DAY,
        ),
        limb="b",
        date_from=TODAY - 40 * DAY,
        date_to=TODAY - 10 * DAY,
        evidence="Family abroad",
        by=senco,
    )
    ClockFactory(
        pupil=pupils["caseworker"], responsible_role=Role.LA_CASEWORKER, due_on=TODAY + 30 * DAY
    )
    page = body(get(senco, "clocks:school-deadlines", query=query))
    shown = {name for name in pupils if f"Pupil{name.title()}" in page}
    assert shown == expected


def test_the_school_summary_counts_each_status(world: World) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY - 2 * DAY)
    ClockFactory(pupil=world.untaught_pupil, due_on=TODAY - 1 * DAY)
    school_clock(world.school, due_on=TODAY + 2 * DAY)
    page = body(get(world.users["head"], "clocks:school-deadlines"))
    summary = page.split("Deadlines by status")[1].split("</table>")[0]
    counts = dict(re.findall(r">([A-Za-z ]+)</strong></th><td[^>]*>(\d+)<", summary))
    assert counts == {
        "Overdue": "2",
        "Exception applies": "0",
        "Due soon": "1",
        "On track": "0",
        "Met on time": "0",
        "Met late": "0",
        "Cancelled": "0",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"due_from_day": "31", "due_from_month": "2", "due_from_year": "2026"}, "Due from must be a real date"),
        ({"due_from_day": "3", "due_from_month": "", "due_from_year": "2026"}, "Due from must include a month"),
        ({"due_to_day": "x", "due_to_month": "4", "due_to_year": "2026"}, "Due to must be a real date"),
        ({"due_to_day": "1", "due_to_month": "4", "due_to_year": "26"}, "Year in due to must include 4 numbers"),
        (
            {
                "due_from_day": "2", "due_from_month": "4", "due_from_year": "2026",
                "due_to_day": "1", "due_to_month": "4", "due_to_year": "2026",
            },
            "Due to must be the same as or after due from",
        ),
    ],
)  # fmt: skip
def test_a_bad_date_filter_shows_a_govuk_error_summary_linked_to_the_day_input(
    world: World, query: dict[str, str], message: str
) -> None:
    ClockFactory(pupil=world.pupil)
    page = body(get(world.users["senco"], "clocks:school-deadlines", query=query))
    assert "<title>Error: School deadlines" in page
    summary = page.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert message in summary
    field = "due_to" if "due_to_day" in query else "due_from"
    assert f'href="#id_{field}_day"' in summary
    assert f'id="id_{field}_day"' in page
    assert "govuk-input--error" in page
    # The valid filters still apply, and the list still shows.
    assert "Amara Okafor" in page


def test_a_bad_date_keeps_what_was_typed(world: World) -> None:
    query = {"due_from_day": "31", "due_from_month": "2", "due_from_year": "2026"}
    page = body(get(world.users["senco"], "clocks:school-deadlines", query=query))
    assert 'name="due_from_day" type="text" inputmode="numeric" value="31"' in page


def test_governor_school_deadlines_show_school_clocks_and_counts_but_no_pupil_names(
    world: World,
) -> None:
    pupil = canary(world.school)
    ClockFactory(pupil=pupil, due_on=TODAY - 1 * DAY)
    ClockFactory(pupil=world.pupil)
    school_clock(world.school, due_on=TODAY + 3 * DAY)
    for governor in ("governor", "sen_link_governor"):
        page = body(get(world.users[governor], "clocks:school-deadlines", query={"status": "all"}))
        assert "SEN Information Report review" in page
        assert "Deadlines by status" in page
        assert "1 deadline matches" in page
        for name in (CANARY_FIRST, CANARY_LAST, "Okafor", "Amara"):
            assert name not in page


def test_a_school_administrator_sees_deadlines_but_not_whose(world: World) -> None:
    canary_clock = ClockFactory(pupil=canary(world.school))
    page = body(get(world.users["school_admin"], "clocks:school-deadlines"))
    assert canary_clock.get_kind_display() in page
    assert "name not shown to your role" in page
    assert CANARY_LAST not in page


def test_la_deadlines_list_the_clocks_of_the_caseworkers_own_la_only(world: World) -> None:
    la_clock(world.home_la, due_on=TODAY + 2 * DAY)
    la_clock(world.other_la, kind=Kind.DECISION_TO_ASSESS, due_on=TODAY + 2 * DAY)
    page = body(get(world.users["la_caseworker"], "clocks:la-deadlines"))
    assert "Northmoor" in page
    table = results(page)
    assert "Final EHC plan" in table
    assert "Decision whether to assess" not in table
    other = results(body(get(world.users["other_la_caseworker"], "clocks:la-deadlines")))
    assert "Decision whether to assess" in other and "Final EHC plan" not in other


def test_la_deadlines_refuse_school_roles(world: World) -> None:
    assert get(world.users["senco"], "clocks:la-deadlines").status_code == 403


def _queries(user: User, name: str, query: dict[str, str] | None = None) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name), query).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("clocks:my-deadlines", None),
        ("clocks:school-deadlines", None),
        ("clocks:school-deadlines", {"status": "all", "due_from_day": "1", "due_from_month": "1", "due_from_year": "2026"}),
    ],
)  # fmt: skip
def test_deadline_lists_make_the_same_number_of_queries_for_3_and_30_clocks(
    world: World, name: str, query: dict[str, str] | None
) -> None:
    senco = world.users["senco"]

    def add(n: int) -> None:
        for i in range(n):
            ClockFactory(pupil=PupilFactory(school=world.school), due_on=TODAY + i * DAY)

    add(3)
    small = _queries(senco, name, query)
    add(27)
    assert _queries(senco, name, query) == small


# --- Pupil timeline ----------------------------------------------------------------------------


def test_pupil_timeline_shows_every_clock_newest_due_first_with_met_dates_and_exceptions(
    world: World,
) -> None:
    senco = world.users["senco"]
    senco.active_membership = senco.memberships.get()  # type: ignore[attr-defined]
    pupil = world.pupil
    ClockFactory(pupil=pupil, kind=Kind.PARENT_MEETING, subject_id=9101, met=True, due_on=TODAY)
    ClockFactory(pupil=pupil, due_on=TODAY + 20 * DAY)
    clock_record_exception(
        clock=ClockFactory(
            pupil=pupil,
            kind=Kind.ADVICE_REQUEST,
            subject_id=9102,
            started_on=TODAY - 60 * DAY,
            due_on=TODAY - 18 * DAY,
        ),
        limb="b",
        date_from=dt.date(2026, 10, 1),
        date_to=dt.date(2026, 10, 30),
        evidence="Family abroad",
        by=senco,
    )
    ClockFactory(pupil=world.untaught_pupil, kind=Kind.CONCERN_DECISION)
    page = body(get(senco, "clocks:pupil-timeline", pk=pupil.pk))
    order = [
        page.index(k) for k in ("SEN support plan review", "Meeting with parents", "Advice for")
    ]
    assert order == sorted(order)
    assert "Met on 22 Nov 2026" in page
    assert "Regulation 8(2)(b)" in page and "away from the local authority" in page
    assert "1 Oct 2026" in page and "30 Oct 2026" in page
    assert "govuk-tag--purple" in page
    assert "Decision on a concern raised" not in page
    event = AuditEvent.objects.get(action="clocks.pupil_timeline.viewed")
    assert event.actor == senco and event.target_id == str(pupil.pk)


def test_pupil_record_links_to_the_timeline_for_roles_that_see_sen_details(world: World) -> None:
    timeline = reverse("clocks:pupil-timeline", args=[world.pupil.pk])
    detail = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    assert timeline in body(client_for(world.users["senco"]).get(detail))
    assert timeline not in body(client_for(world.users["school_admin"]).get(detail))


# --- Notifications -----------------------------------------------------------------------------


def test_notifications_list_unread_first_and_the_header_counts_them(world: World) -> None:
    senco = world.users["senco"]
    NotificationFactory(
        user=senco, clock=None, title="Old and read", read_at=dt.datetime.now(dt.UTC)
    )
    NotificationFactory(user=senco, clock=None, title="First unread")
    NotificationFactory(user=senco, clock=None, title="Second unread")
    NotificationFactory(user=world.users["head"], clock=None, title="The head's own")
    page = body(get(senco, "clocks:notification-list"))
    assert page.index("Second unread") < page.index("First unread") < page.index("Old and read")
    assert "The head's own" not in page
    assert "Notifications (2" in page
    assert "You have 2 unread notifications" in page
    home = body(get(senco, "core:home"))
    assert 'Notifications (2<span class="govuk-visually-hidden"> unread</span>)' in home


def test_the_unread_count_costs_one_count_query(world: World) -> None:
    from django.test import RequestFactory

    from sendadmin.clocks.context_processors import notifications

    request = RequestFactory().get("/")
    request.user = world.users["senco"]
    NotificationFactory.create_batch(3, user=world.users["senco"], clock=None)
    with CaptureQueriesContext(connection) as ctx:
        assert notifications(request) == {"unread_notification_count": 3}
    assert len(ctx.captured_queries) == 1
    assert "COUNT(" in ctx.captured_queries[0]["sql"]


def test_marking_a_notification_read(world: World) -> None:
    senco = world.users["senco"]
    note = NotificationFactory(user=senco, clock=None)
    response = client_for(senco).post(reverse("clocks:notification-read", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("clocks:notification-list")
    note.refresh_from_db()
    assert note.read_at is not None


def test_marking_another_users_notification_read_is_not_found(world: World) -> None:
    note = NotificationFactory(user=world.users["head"], clock=None)
    response = client_for(world.users["senco"]).post(
        reverse("clocks:notification-read", args=[note.pk])
    )
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_all_read_touches_only_the_users_own(world: World) -> None:
    senco, head = world.users["senco"], world.users["head"]
    NotificationFactory.create_batch(2, user=senco, clock=None)
    theirs = NotificationFactory(user=head, clock=None)
    client_for(senco).post(reverse("clocks:notification-read-all"))
    assert not Notification.objects.filter(user=senco, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Notifications (0" in body(get(senco, "clocks:notification-list"))


# --- Calendar link and feed --------------------------------------------------------------------


def test_calendar_settings_create_one_link_and_revoke_it(world: World) -> None:
    senco = world.users["senco"]
    client = client_for(senco)
    url = reverse("clocks:calendar-settings")
    assert "Create my calendar link" in body(client.get(url))
    assert client.post(url).status_code == 302
    client.post(url)  # a second press keeps the same link
    token = CalendarFeedToken.objects.get(user=senco)
    page = body(client.get(url))
    assert f"/deadlines/calendar/{token.token}.ics" in page
    assert "no-store" in client.get(url)["Cache-Control"]  # the page shows a secret
    client.post(reverse("clocks:calendar-revoke"))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Create my calendar link" in body(client.get(url))
    actions = list(
        AuditEvent.objects.filter(actor=senco, action__startswith="clocks.calendar_token")
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == ["clocks.calendar_token.created", "clocks.calendar_token.revoked"]
    assert not AuditEvent.objects.filter(target_repr__contains=token.token).exists()


def _feed(token: str) -> Any:
    return client_for(None).get(reverse("clocks:calendar-feed", kwargs={"token": token}))


def test_the_feed_is_valid_rfc_5545_with_one_all_day_event_per_open_clock(world: World) -> None:
    senco = world.users["senco"]
    token = CalendarFeedTokenFactory(user=senco)
    clock = ClockFactory(pupil=world.pupil, due_on=dt.date(2026, 12, 21))
    school_clock(world.school, due_on=dt.date(2027, 1, 4))
    ClockFactory(pupil=world.untaught_pupil, met=True)
    ClockFactory(pupil=world.second_school_pupil)
    response = _feed(token.token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    text = raw.decode().replace("\r\n ", "")  # unfold
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert f"UID:clock-{clock.pk}@testserver" in lines
    assert "DTSTART;VALUE=DATE:20261221" in lines
    assert "DTEND;VALUE=DATE:20261222" in lines
    assert "SUMMARY:SEN support plan review (A.O.)" in lines
    assert "SUMMARY:SEN Information Report review" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    # A long description is folded and unfolds to the same text.
    assert any(line.startswith(b" ") for line in physical)
    assert "Open sendadmin for the details: http://testserver/deadlines/" in text


def test_the_feed_uid_is_stable_between_fetches(world: World) -> None:
    token = CalendarFeedTokenFactory(user=world.users["senco"])
    ClockFactory(pupil=world.pupil)
    uids = [re.findall(rb"UID:[^\r]+", _feed(token.token).content) for _ in range(2)]
    assert uids[0] == uids[1] and len(uids[0]) == 1


def test_the_feed_names_no_pupil_and_audits_each_fetch(world: World) -> None:
    pupil = canary(world.school)
    pupil.preferred_name = "Zed"
    pupil.save()
    token = CalendarFeedTokenFactory(user=world.users["senco"])
    ClockFactory(pupil=pupil, kind=Kind.ANNUAL_REVIEW)
    ClockFactory(pupil=world.pupil)
    for _ in range(2):
        text = _feed(token.token).content.decode().replace("\r\n ", "")
        for name in (CANARY_FIRST, CANARY_LAST, "Zed", "Amara", "Okafor", pupil.upn):
            assert name not in text
        assert "Annual review of an EHC plan (Z.C.)" in text
    events = AuditEvent.objects.filter(action="clocks.calendar_feed.fetched")
    assert events.count() == 2
    assert {e.actor_id for e in events} == {world.users["senco"].pk}
    assert events.first().data == {"events": 2}  # type: ignore[union-attr]


@pytest.mark.parametrize("state", ["revoked", "unknown", "deactivated"])
def test_a_revoked_unknown_or_deactivated_token_is_not_found(world: World, state: str) -> None:
    senco = world.users["senco"]
    token = CalendarFeedTokenFactory(user=senco)
    secret = token.token
    if state == "revoked":
        token.revoked_at = dt.datetime.now(dt.UTC)
        token.save()
    elif state == "unknown":
        secret = "not-a-real-token-0123456789"
    else:
        senco.is_active = False
        senco.save()
    assert _feed(secret).status_code == 404


def test_the_feed_of_someone_with_no_current_role_is_an_empty_calendar(world: World) -> None:
    leaver = UserFactory(email="leaver@oakfield.example")
    MembershipFactory(user=leaver, school=world.school, role=Role.SENCO, ended=True)
    ClockFactory(pupil=world.pupil, responsible_user=leaver)
    response = _feed(CalendarFeedTokenFactory(user=leaver).token)
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content and b"BEGIN:VEVENT" not in response.content


def test_the_feed_acts_in_the_owners_first_current_membership(world: World) -> None:
    senco = world.users["senco"]
    # A second role that sorts after Oakfield: the feed uses the first, as sign-in would.
    MembershipFactory(user=senco, school=world.second_school, role=Role.SENCO)
    ClockFactory(pupil=world.pupil, kind=Kind.CONCERN_DECISION)
    ClockFactory(pupil=world.second_school_pupil, kind=Kind.PARENTS_TOLD)
    text = _feed(CalendarFeedTokenFactory(user=senco).token).content.decode()
    assert "Decision on a concern raised" in text
    assert "Parents told" not in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a, b; c", "a\\, b\\; c"),
        ("line one\nline two", "line one\\nline two"),
        ("crlf\r\nend", "crlf\\nend"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_text_values_are_escaped(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


def test_folding_keeps_every_line_within_75_octets_and_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "é" * 100 + "x" * 80
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_initials_use_the_preferred_first_name() -> None:
    pupil = Pupil(legal_first_name="Amara", legal_last_name="o'Neill", preferred_name="")
    assert pupil_initials(pupil) == "A.O."
    pupil.preferred_name = "Mia"
    assert pupil_initials(pupil) == "M.O."


# --- Home page ---------------------------------------------------------------------------------


def test_home_shows_overdue_and_due_soon_deadlines_up_to_ten(world: World) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY + 30 * DAY, kind=Kind.CONCERN_DECISION)
    for n in range(11):
        ClockFactory(pupil=PupilFactory(school=world.school), due_on=TODAY + (n - 3) * DAY)
    page = body(get(world.users["senco"], "core:home"))
    assert page.count("govuk-tag--red") == 3
    assert page.count("govuk-tag--orange") == 7
    assert "Decision on a concern raised" not in page
    assert reverse("clocks:my-deadlines") in page


def test_governor_home_keeps_its_counts_and_lists_only_school_deadlines(world: World) -> None:
    ClockFactory(pupil=canary(world.school), due_on=TODAY - 1 * DAY, responsible_role=Role.GOVERNOR)
    school_clock(world.school, responsible_role=Role.GOVERNOR, due_on=TODAY + 2 * DAY)
    page = body(get(world.users["governor"], "core:home"))
    assert "Pupils on the SEN register" in page
    assert "SEN Information Report review" in page
    assert CANARY_LAST not in page
