"""Access-matrix rows for the LA's case pages (merged into tests/test_access_matrix.py).

A case is held by the LA of the pupil's school: Northmoor for the first three objects, Eastbrook for
the second LA's pupil. The school's SEN-wide roles see their own pupils' cases; only LA roles act.
"""

from __future__ import annotations

from typing import Any

from ehcp.models import AdviceKind
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.services import clock_open
from tests.access_rows import ANON_REDIRECT, HIDDEN, OTHER_SCHOOL, SCHOOL_WIDE, Row, everyone
from tests.factories.ehcp import AdviceRequestFactory, AssessmentCaseFactory

HOME_LA = (200, 200, 200, 404)  # the Northmoor roles: cases of the first three pupils
OTHER_LA = (404, 404, 404, 200)  # the Eastbrook caseworker: only the second LA's pupil's case
SCHOOL_SEES_NOT_ACTS = (403, 403, 404, 404)


def _case(pupil: Any) -> dict[str, Any]:
    return {"pk": AssessmentCaseFactory(pupil=pupil, assessing=True).pk}


def _case_clock(pupil: Any) -> dict[str, Any]:
    case = AssessmentCaseFactory(pupil=pupil, assessing=True)
    clock = clock_open(
        kind=Kind.DECISION_TO_ASSESS,
        subject=case,
        started_on=case.request_received_on,
        start_event="Request received",
        local_authority=case.local_authority,
        pupil=pupil,
        responsible_role=Role.LA_CASEWORKER,
        by=None,
    )
    return {"pk": case.pk, "clock_pk": clock.pk}


def _ep_advice(pupil: Any) -> dict[str, Any]:
    case = AssessmentCaseFactory(pupil=pupil, assessing=True)
    advice = AdviceRequestFactory(
        case=case, kind=AdviceKind.PSYCHOLOGICAL, school=None, adviser_name="EP service"
    )
    return {"pk": advice.pk}


ROWS: dict[str, Row] = {
    "ehcp:case-list": Row(
        everyone(
            403,
            senco=200,
            head=200,
            senior_leader=200,
            other_school_senco=200,
            la_caseworker=200,
            la_manager=200,
            other_la_caseworker=200,
        )
    ),
    "ehcp:case-open": Row(
        everyone(403, la_caseworker=200, la_manager=200, other_la_caseworker=200)
    ),
    "ehcp:case-detail": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            other_school_senco=OTHER_SCHOOL,
            la_caseworker=HOME_LA,
            la_manager=HOME_LA,
            other_la_caseworker=OTHER_LA,
        ),
        kwargs=_case,
    ),
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_SEES_NOT_ACTS,
                head=SCHOOL_SEES_NOT_ACTS,
                senior_leader=SCHOOL_SEES_NOT_ACTS,
                other_school_senco=(404, 404, 403, 404),
                la_caseworker=HOME_LA,
                la_manager=HOME_LA,
                other_la_caseworker=OTHER_LA,
            ),
            kwargs=kwargs,
        )
        for name, kwargs in (
            ("ehcp:case-decide-assess", _case),
            ("ehcp:case-decide-issue", _case),
            ("ehcp:advice-request-create", _case),
            ("ehcp:case-placement", _case),
            ("ehcp:clock-exception", _case_clock),
        )
    },
    # Another adviser's reply: addressed to no school, so no school role sees the request.
    "ehcp:advice-record": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            la_caseworker=HOME_LA,
            la_manager=HOME_LA,
            other_la_caseworker=OTHER_LA,
        ),
        kwargs=_ep_advice,
    ),
}
