"""What the school already knows, gathered for its educational advice and its request for an
assessment: the register, the SEN support plan's cycles and the provision map (CoP 6.44-6.56, 9.14)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ehcp.evidence import advice_prefill, evidence_for_pupil
from ehcp.models import AssessmentCase
from pupils.codes import NeedType
from pupils.support.models import CycleView, OutcomeReview, SupportCycle
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories import PupilNeedFactory, SenStatusFactory
from tests.factories.dates import ACADEMIC_YEAR_START, TODAY
from tests.factories.ehcp import AssessmentCaseFactory
from tests.factories.provision import ProvisionAssignmentFactory, SessionAttendanceFactory
from tests.factories.support import (
    CycleOutcomeFactory,
    CycleProvisionFactory,
    CycleViewFactory,
    OutcomeReviewFactory,
    ParentMeetingFactory,
    SupportCycleFactory,
    SupportPlanFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def graduated_approach(world: World) -> dict[str, Any]:
    """Amara on SEN support since September: two needs, a reviewed cycle and a current one, a
    reading group she attended twice and missed once, and a meeting with her parents."""
    pupil = world.pupil
    SenStatusFactory(pupil=pupil, start=ACADEMIC_YEAR_START)
    PupilNeedFactory(pupil=pupil, rank=1, code=NeedType.SPLD)
    PupilNeedFactory(pupil=pupil, rank=2, code=NeedType.SLCN)
    plan = SupportPlanFactory(pupil=pupil, first_cycle=False)
    old = SupportCycleFactory(
        plan=plan, number=1, status=SupportCycle.Status.REVIEWED, reviewed_on=TODAY
    )
    CycleProvisionFactory(
        cycle=old, provision="Phonics in a small group", who="TA", how_often="Daily"
    )
    reviewed = CycleOutcomeFactory(cycle=old, outcome="Blends three-letter words")
    OutcomeReviewFactory(
        outcome=reviewed, progress=OutcomeReview.Progress.SOME, next_steps="Move to digraphs"
    )
    current = SupportCycleFactory(plan=plan, number=2, active=True)
    CycleOutcomeFactory(
        cycle=current, outcome="Reads a short paragraph aloud", success_criteria="4 of 5 times"
    )
    CycleViewFactory(cycle=current, whose=CycleView.Whose.PUPIL, text="I like the reading dog")
    CycleViewFactory(cycle=current, whose=CycleView.Whose.PARENT, text="She reads at bedtime now")
    assignment = ProvisionAssignmentFactory(pupil=pupil, provision__name="Reading catch-up")
    for day, attended in ((1, True), (2, True), (3, False)):
        SessionAttendanceFactory(
            pupil=pupil,
            session__provision=assignment.provision,
            session__date=TODAY - dt.timedelta(days=day),
            attended=attended,
        )
    ParentMeetingFactory(pupil=pupil, agreed="Practise the reading cards at home")
    return {"plan": plan, "assignment": assignment}


def test_the_needs_part_lists_ranked_needs_with_census_labels_areas_and_sen_status_since(
    world: World,
) -> None:
    graduated_approach(world)
    prefill = advice_prefill(evidence_for_pupil(world.pupil, TODAY))
    assert "SEN provision: SEN support since 1 September 2026." in prefill["needs"]
    assert "1. Specific learning difficulty (SPLD): Cognition and learning" in prefill["needs"]
    assert (
        "2. Speech, language and communication needs (SLCN): Communication and interaction"
        in (prefill["needs"])
    )


def test_what_was_tried_has_cycles_with_reviews_and_provision_with_sessions_and_cost(
    world: World,
) -> None:
    graduated_approach(world)
    tried = advice_prefill(evidence_for_pupil(world.pupil, TODAY))["tried"]
    assert "SEN support plan, cycle 1: reviewed on 23 November 2026" in tried
    assert "- Support: Phonics in a small group (TA, Daily)" in tried
    assert (
        "- Outcome: Blends three-letter words. Result: Some progress. Next steps: Move to digraphs"
        in (tried)
    )
    assert "SEN support plan, cycle 2 (active, review due" in tried
    # 12 weeks since 1 September, 38 teaching weeks in 52, 3 a week: 26 planned; two 30-minute
    # sessions at 15.00 an hour attended alone: 7.50 each.
    assert (
        "- Reading catch-up (Cognition and learning), from 1 September 2026 ongoing: 3 x 30 minutes "
        "a week in a group of up to 6; 2 of 26 planned sessions attended (1 missed); cost of the "
        "sessions attended £15.00 (planned £142.50 a year)"
    ) in tried
    assert "Total cost of the sessions attended: £15.00" in tried
    assert tried.index("cycle 1") < tried.index("cycle 2") < tried.index("Provision map")


def test_outcomes_and_views_come_from_the_current_cycle_and_attendance_stays_blank(
    world: World,
) -> None:
    graduated_approach(world)
    prefill = advice_prefill(evidence_for_pupil(world.pupil, TODAY))
    assert prefill["outcomes_sought"] == (
        "- Reads a short paragraph aloud (success criteria: 4 of 5 times)"
    )
    assert "Blends" not in prefill["outcomes_sought"]
    assert prefill["pupil_views"] == "I like the reading dog"
    assert prefill["parent_views"] == "She reads at bedtime now"
    assert prefill["attendance"] == "" and prefill["attainment"] == ""


def test_a_pupil_the_school_knows_nothing_about_gives_blank_parts(world: World) -> None:
    prefill = advice_prefill(evidence_for_pupil(world.untaught_pupil, TODAY))
    assert set(prefill.values()) == {""}


def test_the_senco_asks_for_an_assessment_and_lands_on_the_new_case(
    world: World, senco: Any
) -> None:
    client = client_for(senco)
    url = reverse("ehcp:assessment-request", kwargs={"pk": world.pupil.pk})
    page = client.get(url)
    assert "Have the parents been told the school is asking?" in page.content.decode()
    data = {"reason": "Two cycles of SEN support without enough progress", "parents_told": "yes"}
    response = client.post(url, data)
    case = AssessmentCase.objects.get(pupil=world.pupil)
    assert response.status_code == 302
    assert response["Location"] == f"/ehcp/cases/{case.pk}/"
    assert case.requested_by == AssessmentCase.RequestedBy.SCHOOL
    assert case.request_received_on == TODAY
    assert case.requester_name == "Senco"
    assert case.local_authority == world.home_la
    assert case.request_reason == data["reason"]
    # A double submission lands on the same case.
    again = client.post(url, data)
    assert again["Location"] == f"/ehcp/cases/{case.pk}/"
    assert AssessmentCase.objects.filter(pupil=world.pupil).count() == 1


def test_a_request_needs_a_reason_and_the_parents_told(world: World, senco: Any) -> None:
    url = reverse("ehcp:assessment-request", kwargs={"pk": world.pupil.pk})
    page = client_for(senco).post(url, {"reason": "", "parents_told": "no"}).content.decode()
    assert "Enter why the school is asking for an assessment" in page
    assert "Tell the parents before the school asks for an assessment" in page
    assert not AssessmentCase.objects.exists()


def test_a_request_while_a_case_is_open_shows_the_open_case(world: World, senco: Any) -> None:
    case = AssessmentCaseFactory(pupil=world.pupil)
    url = reverse("ehcp:assessment-request", kwargs={"pk": world.pupil.pk})
    page = client_for(senco).post(url, {"reason": "More help", "parents_told": "yes"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text
    assert f"This child already has an open assessment, {case.reference}" in text


def test_the_pupil_page_offers_the_request_to_the_senco_only(
    world: World, senco: Any, head: Any
) -> None:
    url = reverse("pupils:pupil-detail", kwargs={"pk": world.pupil.pk})
    link = reverse("ehcp:assessment-request", kwargs={"pk": world.pupil.pk})
    assert link in client_for(senco).get(url).content.decode()
    assert link not in client_for(head).get(url).content.decode()


def test_the_evidence_pack_pdf_holds_the_graduated_approach_and_is_audited(
    world: World, senco: Any, tmp_path: Path
) -> None:
    graduated_approach(world)
    response = client_for(senco).get(reverse("ehcp:evidence-pack", kwargs={"pk": world.pupil.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="evidence-pack-{world.pupil.pk}-2026-11-23.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Evidence of SEN support",
        "Amara Okafor",
        "SEN support since 1 September 2026",
        "Specific learning difficulty (SPLD)",
        "cycle 1: reviewed on 23 November 2026",
        "Blends three-letter words. Result: Some progress",
        "Reads a short paragraph aloud",
        "2 of 26 planned sessions attended",
        "£15.00",
        "Practise the reading cards at home",
    ):
        assert expected in text, expected
    event = AuditEvent.objects.get(action="ehcp.evidence_pack.downloaded")
    assert event.actor == senco and event.target_id == str(world.pupil.pk)
