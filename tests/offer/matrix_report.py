"""Access-matrix rows for the SEN Information Report pages, merged into tests/test_access_matrix.py.

Report versions are school records: the roles that see the school's aggregates (governors, SEN link
governor, headteacher, senior leaders, SENCO) read their own school's versions; nobody else sees
them (404). The SENCO and the headteacher write the draft; only the headteacher approves as head;
governors, the SEN link governor and the headteacher record the governing body's approval. The
public page needs no login: 200 for everyone where a version is published, 404 where none is.
"""

from __future__ import annotations

from typing import Any

from offer.models import InformationReport
from sendadmin.accounts.models import School
from tests.access_rows import (
    ANON_REDIRECT,
    HIDDEN,
    OTHER_SCHOOL,
    POST_ONLY,
    SCHOOL_WIDE,
    Row,
    everyone,
)
from tests.factories.offer_report import InformationReportFactory

SEEN_NOT_ALLOWED = (403, 403, 404, 404)
NOT_ALLOWED_AT_OTHER_SCHOOL = (404, 404, 403, 404)
POSTED = (POST_ONLY,) * 4
# The public page: the home LA's schools have published a version; the other LA's has not.
PUBLISHED_AT_HOME_LA = (200, 200, 200, 404)


def _draft(pupil: Any) -> dict[str, Any]:
    """The draft of the pupil's school (a school has at most one)."""
    school = pupil.school
    report = InformationReport.objects.filter(
        school=school, status=InformationReport.Status.DRAFT
    ).first()
    return {"pk": (report or InformationReportFactory(school=school)).pk}


def _public(pupil: Any) -> dict[str, Any]:
    school: School = pupil.school
    published = InformationReport.objects.filter(
        school=school, status=InformationReport.Status.PUBLISHED
    ).exists()
    if not published and school.local_authority.code == "990":
        InformationReportFactory(school=school, published=True)
    return {"urn": school.urn}


VIEWERS = {
    name: SCHOOL_WIDE
    for name in ("governor", "sen_link_governor", "head", "senior_leader", "senco")
}
READS = everyone(HIDDEN, anon=ANON_REDIRECT, other_school_senco=OTHER_SCHOOL, **VIEWERS)

ROWS: dict[str, Row] = {
    "offer:report-list": Row(
        everyone(
            403,
            governor=200,
            sen_link_governor=200,
            head=200,
            senior_leader=200,
            senco=200,
            other_school_senco=200,
        )
    ),
    "offer:report-start": Row(everyone(POST_ONLY)),
    "offer:report-detail": Row(READS, kwargs=_draft),
    "offer:report-pdf": Row(READS, kwargs=_draft),
    "offer:report-edit": Row(
        {
            **READS,
            "governor": SEEN_NOT_ALLOWED,
            "sen_link_governor": SEEN_NOT_ALLOWED,
            "senior_leader": SEEN_NOT_ALLOWED,
        },
        kwargs=_draft,
    ),
    "offer:report-governors-approval": Row(
        {
            **READS,
            "senco": SEEN_NOT_ALLOWED,
            "senior_leader": SEEN_NOT_ALLOWED,
            "other_school_senco": NOT_ALLOWED_AT_OTHER_SCHOOL,
        },
        kwargs=_draft,
    ),
    # POST only: a signed-in GET is refused before anything is looked up.
    **{
        name: Row(everyone(POSTED, anon=ANON_REDIRECT), kwargs=_draft)
        for name in ("offer:report-approve-head", "offer:report-publish")
    },
    "public:information-report": Row(
        everyone(PUBLISHED_AT_HOME_LA, anon=PUBLISHED_AT_HOME_LA), kwargs=_public
    ),
}
