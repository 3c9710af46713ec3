"""The SEN2 export (domain.md 7.2): one row per request received in the year and per plan active on
the January census day after it, coded, injection-safe, only the LA's own children, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from ehcp.models import AssessmentCase
from sendadmin.accounts.models import AuditEvent
from sendadmin.dashboards.sen2 import HEADER, NOT_HELD, census_day
from tests.conftest import World, client_for
from tests.dashboards.la_data import Issued, issued_case, legacy_plan, open_case
from tests.factories import PupilNeedFactory, ReviewFactory
from tests.factories.dates import TODAY

YEAR = TODAY.year - 1
URL = reverse("dashboards:la-sen2")
D = dt.date


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2024, D(2025, 1, 16)),
        (2025, D(2026, 1, 15)),
        (2026, D(2027, 1, 21)),
        (2027, D(2028, 1, 20)),
    ],
)
def test_the_census_day_is_the_third_thursday_of_the_next_january(year: int, day: dt.date) -> None:
    # domain.md 7.1 gives 16 January 2025 as the spring census day.
    assert census_day(year) == day
    assert day.weekday() == 3 and 15 <= day.day <= 21


def _export(world: World, **params: object) -> tuple[list[dict[str, str]], object]:
    response = client_for(world.users["la_manager"]).get(URL, {"year": YEAR, **params})
    assert response.status_code == 200
    text = response.content.decode()
    return list(csv.DictReader(io.StringIO(text))), response


def test_requests_of_the_year_are_exported_with_their_codes(world: World) -> None:
    census = census_day(YEAR)
    parent = issued_case(Issued(world.school, D(YEAR, 2, 3), 150, exception=True))
    school = issued_case(Issued(world.second_school, D(YEAR, 3, 3), 100), requested_by="school")
    other = open_case(
        world.school,
        D(YEAR, 10, 1),
        requested_by=AssessmentCase.RequestedBy.OTHER,
        assess_decision=AssessmentCase.AssessDecision.NOT_ASSESS,
        assess_decision_on=D(YEAR, 11, 5),
        closed_on=D(YEAR, 11, 5),
    )
    issued_case(Issued(world.school, D(YEAR - 1, 12, 20), 100))  # received the year before
    issued_case(Issued(world.other_la_school, D(YEAR, 2, 3), 100))  # another LA's

    rows, _ = _export(world)

    requests = {r["UPN"]: r for r in rows if r["Item"] == "Request"}
    assert set(requests) == {parent.pupil.upn, school.pupil.upn, other.pupil.upn}
    p = requests[parent.pupil.upn]
    assert p["Surname"] == parent.pupil.legal_last_name
    assert p["PersonBirthDate"] == parent.pupil.date_of_birth.isoformat()
    assert (p["ReceivedDate"], p["RequestSource"]) == (D(YEAR, 2, 3).isoformat(), "1")
    assert (p["RequestOutcome"], p["AssessmentOutcome"]) == ("assess", "issue")
    assert p["Week20"] == "1"
    assert p["StartDate"] == (D(YEAR, 2, 3) + dt.timedelta(days=150)).isoformat()
    assert p["URN"] == world.school.urn
    s = requests[school.pupil.upn]
    assert (s["RequestSource"], s["Week20"], s["URN"]) == ("2", "0", world.second_school.urn)
    o = requests[other.pupil.upn]
    assert (o["RequestSource"], o["RequestOutcome"], o["RequestOutcomeDate"]) == (
        "5",
        "not_assess",
        D(YEAR, 11, 5).isoformat(),
    )
    assert (o["AssessmentOutcome"], o["Week20"], o["StartDate"]) == ("", "", "")
    assert census.year == YEAR + 1


def test_plans_active_on_the_census_day_are_exported_with_placement_and_needs(
    world: World,
) -> None:
    census = census_day(YEAR)
    active = issued_case(Issued(world.school, D(YEAR, 1, 6), 100), need="SEMH")
    PupilNeedFactory(pupil=active.pupil, rank=2, code="SLCN")
    ReviewFactory(
        reviewed_version=active.plan.versions.get(number=2),
        held_on=D(YEAR, 10, 1),
        la_decision="keep",
        la_decision_on=D(YEAR, 10, 20),
    )
    elsewhere = legacy_plan(
        world.second_school,
        D(YEAR - 2, 5, 1),
        need="ASD",
        section_i_school=None,
        section_i_name="",
        section_i_type="Elective home education",
    )
    ceased = legacy_plan(world.school, D(YEAR - 2, 5, 1))
    ceased.ceased_on = census - dt.timedelta(days=1)
    ceased.save()
    after = issued_case(Issued(world.school, D(YEAR, 11, 1), 100))  # final after census day
    legacy_plan(world.other_la_school, D(YEAR - 1, 5, 1))

    rows, _ = _export(world)

    plans = {r["UPN"]: r for r in rows if r["Item"] == "Active plan"}
    assert set(plans) == {active.pupil.upn, elsewhere.pupil.upn}
    assert after.pupil.upn not in plans
    a = plans[active.pupil.upn]
    assert (a["StartDate"], a["URN"], a["SENSetting"]) == (
        (D(YEAR, 1, 6) + dt.timedelta(days=100)).isoformat(),
        world.school.urn,
        "",
    )
    assert (a["SENtype1"], a["SENtypeRank1"], a["SENtype2"], a["SENtypeRank2"]) == (
        "SEMH",
        "1",
        "SLCN",
        "2",
    )
    assert (a["ReviewMeeting"], a["LastReview"]) == (
        D(YEAR, 10, 1).isoformat(),
        D(YEAR, 10, 20).isoformat(),
    )
    e = plans[elsewhere.pupil.upn]
    assert (e["URN"], e["SENSetting"], e["PlacementDescription"]) == (
        "",
        "OTH",
        "Elective home education",
    )


def test_the_export_has_the_columns_sendadmin_does_not_hold_blank(world: World) -> None:
    issued_case(Issued(world.school, D(YEAR, 2, 3), 100))

    rows, _ = _export(world)

    assert list(rows[0]) == HEADER
    for column in NOT_HELD:
        assert column in HEADER
        assert all(r[column] == "" for r in rows)


def test_cells_that_a_spreadsheet_would_run_are_made_inert(world: World) -> None:
    case = issued_case(
        Issued(world.school, D(YEAR, 2, 3), 100),
        legal_last_name='=HYPERLINK("http://evil.example","x")',
        legal_first_name="@SUM(A1)",
    )

    rows, response = _export(world)

    row = next(r for r in rows if r["UPN"] == case.pupil.upn)
    assert row["Surname"] == "'" + case.pupil.legal_last_name
    assert row["Forename"] == "'@SUM(A1)"
    assert "\n=" not in response.content.decode()  # type: ignore[attr-defined]


def test_the_export_is_audited_and_its_filename_names_no_child(world: World) -> None:
    case = issued_case(Issued(world.school, D(YEAR, 2, 3), 100))

    rows, response = _export(world)

    disposition = response["Content-Disposition"]  # type: ignore[index]
    assert disposition == f'attachment; filename="sen2-{world.home_la.code}-{YEAR}.csv"'
    assert case.pupil.legal_last_name not in disposition
    event = AuditEvent.objects.get(action="dashboards.sen2.exported")
    assert event.actor == world.users["la_manager"]
    assert event.target_id == str(world.home_la.pk)
    assert event.data == {"year": YEAR, "rows": len(rows)}


def test_no_child_of_another_la_is_exported(world: World) -> None:
    mine = issued_case(Issued(world.school, D(YEAR, 2, 3), 100))
    theirs = issued_case(Issued(world.other_la_school, D(YEAR, 2, 3), 100))
    legacy = legacy_plan(world.other_la_school, D(YEAR - 1, 5, 1))

    rows, _ = _export(world)

    upns = {r["UPN"] for r in rows}
    assert mine.pupil.upn in upns
    assert theirs.pupil.upn not in upns and legacy.pupil.upn not in upns
    assert world.other_la_pupil.upn not in upns


def test_a_bad_year_goes_back_to_the_dashboard_with_the_error(world: World) -> None:
    client = client_for(world.users["la_manager"])

    response = client.get(URL, {"year": "1999"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose a year from the list" in page
    assert not AuditEvent.objects.filter(action="dashboards.sen2.exported").exists()


def test_the_export_reads_only_the_year_whatever_the_school_parameter(world: World) -> None:
    earlier = issued_case(Issued(world.school, D(YEAR - 1, 2, 3), 100))

    rows, response = _export(world, year=YEAR - 1, school="not-a-school")

    assert f"sen2-{world.home_la.code}-{YEAR - 1}.csv" in response["Content-Disposition"]  # type: ignore[index]
    assert earlier.pupil.upn in {r["UPN"] for r in rows if r["Item"] == "Request"}
