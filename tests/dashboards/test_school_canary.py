"""No named pupil reaches a governor (issue 7 part 6): a canary pupil with an unmistakable name,
planted in every kind of record the dashboard counts, never appears on the governors' pages or in
their report, while the head's drill-down finds it (so the canary is there to be found)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from pupils.codes import NeedType, SenProvision
from pupils.models import Pupil
from sendadmin.accounts.models import User
from sendadmin.clocks.kinds import Kind
from sendadmin.dashboards.pdf_school import governors_report_html
from tests.conftest import World, client_for
from tests.ehcp.test_advice import pdf_text
from tests.factories import (
    AdviceRequestFactory,
    ClockFactory,
    MedicalConditionFactory,
    NotionalSenBudgetFactory,
    ParentCarerFactory,
    PlanVersionFactory,
    ProvisionAssignmentFactory,
    PupilFactory,
    PupilNeedFactory,
    SenStatusFactory,
    SessionAttendanceFactory,
)
from tests.factories.dates import TODAY
from tests.factories.pupils import spare_upn

CANARY_FIRST = "Quillon"
CANARY_LAST = "Canarywhistle"
CANARY_PREFERRED = "Quillonella"


def _plant(world: World) -> list[str]:
    """Two canaries (one on a plan, one on SEN support) in every record the dashboard counts;
    returns the strings that must never reach a governor."""
    school = world.school
    upns = [spare_upn(901), spare_upn(902)]
    on_plan = PupilFactory(
        school=school,
        upn=upns[0],
        legal_first_name=CANARY_FIRST,
        legal_last_name=CANARY_LAST,
        preferred_name=CANARY_PREFERRED,
        sen_provision=SenProvision.EHC_PLAN,
        year_group=3,
    )
    on_support = PupilFactory(
        school=school,
        upn=upns[1],
        legal_first_name=f"{CANARY_FIRST}a",
        legal_last_name=f"{CANARY_LAST}e",
        sen_provision=SenProvision.SEN_SUPPORT,
        year_group=3,
    )
    for pupil, code in ((on_plan, NeedType.VI), (on_support, NeedType.PD)):
        PupilNeedFactory(pupil=pupil, rank=1, code=code)
        SenStatusFactory(pupil=pupil, provision=pupil.sen_provision, start=dt.date(2024, 9, 1))
        ParentCarerFactory(pupil=pupil, name=f"{CANARY_LAST} Parent")
        MedicalConditionFactory(pupil=pupil, has_healthcare_plan=True)
        assignment = ProvisionAssignmentFactory(pupil=pupil)
        SessionAttendanceFactory(pupil=pupil, session__provision=assignment.provision)
        for kind in (Kind.PARENT_MEETING, Kind.PARENTS_TOLD, Kind.HEALTHCARE_PLAN_REVIEW):
            ClockFactory(
                pupil=pupil,
                kind=kind,
                overdue=True,
                responsible_user=world.users["senco"],
                start_event=f"Planned for {pupil.display_name}",
            )
        ClockFactory(
            pupil=pupil,
            kind=Kind.SEN_SUPPORT_REVIEW,
            started_on=TODAY - dt.timedelta(days=200),
            due_on=TODAY - dt.timedelta(days=30),
            met_on=TODAY - dt.timedelta(days=20),
            state="met",
        )
    AdviceRequestFactory(case__pupil=on_plan)
    PlanVersionFactory(plan__pupil=on_plan, issued_final=True)
    ClockFactory(pupil=on_plan, kind=Kind.ANNUAL_REVIEW, overdue=True)
    NotionalSenBudgetFactory(school=school)
    return [CANARY_FIRST, CANARY_LAST, CANARY_PREFERRED, *upns, *(str(p.pk) for p in (on_plan,))]


def _assert_no_canary(text: str, where: str, planted: list[str]) -> None:
    for needle in planted[:5]:
        assert needle.lower() not in text.lower(), f"{needle} leaked into {where}"


@pytest.mark.parametrize("persona", ["governor", "sen_link_governor"])
def test_no_canary_pupil_reaches_a_governor(world: World, persona: str, tmp_path: Path) -> None:
    planted = _plant(world)
    user: User = world.users[persona]
    client = client_for(user)
    pages = {
        "home": reverse("core:home"),
        "dashboard": reverse("dashboards:school"),
        "dashboard naming a school": reverse("dashboards:school") + f"?school={world.school.pk}",
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        _assert_no_canary(response.content.decode(), where, planted)
    dashboard = client.get(reverse("dashboards:school")).content.decode()
    # The canaries are counted, as "fewer than 5", but never linked or named.
    assert "fewer than 5" in dashboard
    assert f"/pupils/{planted[-1]}/" not in dashboard
    _assert_no_canary(governors_report_html(world.school, TODAY), "the report's HTML", planted)
    pdf = client.get(reverse("dashboards:governors-report-pdf"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content, tmp_path)
    assert "SEN report to governors" in text
    _assert_no_canary(text, "the report PDF", planted)
    for metric, key in (("status", "E"), ("need", "VI"), ("overdue", Kind.PARENTS_TOLD)):
        url = reverse("dashboards:school-drill", kwargs={"metric": metric}) + f"?key={key}"
        assert client.get(url).status_code == 403


def test_the_heads_drill_down_finds_the_canary_the_governors_never_see(world: World) -> None:
    _plant(world)
    client = client_for(world.users["head"])
    for metric, key in (
        ("status", "E"),
        ("need", "VI"),
        ("area", "sensory_physical"),
        ("year", "3"),
        ("overdue", Kind.PARENTS_TOLD),
    ):
        url = reverse("dashboards:school-drill", kwargs={"metric": metric}) + f"?key={key}"
        text = client.get(url).content.decode()
        assert CANARY_LAST in text, (metric, key)
    assert Pupil.objects.filter(legal_last_name__startswith=CANARY_LAST).count() == 2
