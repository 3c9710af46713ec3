"""Access-matrix rows for the school's side of EHC advice (merged into tests/test_access_matrix.py).

Educational advice is asked of the pupil's school by the LA of that school. The school's SEN-wide
roles (SENCO, head, senior leader) see the requests addressed to their school; the LA sees the request
but reads the school's advice, its PDF and its documents only once sent (403 before). A school asks
for an assessment through its SENCO.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile

from ehcp.models import AdviceAttachment, AdviceRequest
from tests.access_rows import (
    ANON_REDIRECT,
    HIDDEN,
    OTHER_SCHOOL,
    POST_ONLY,
    SCHOOL_WIDE,
    Row,
    everyone,
)
from tests.factories.ehcp import AdviceRequestFactory, AssessmentCaseFactory

HOME_LA = (200, 200, 200, 404)  # Northmoor sees the requests of its three pupils' cases
OTHER_LA = (404, 404, 404, 200)
HOME_LA_DRAFT = (403, 403, 403, 404)  # ... but not the school's unsent advice
OTHER_LA_DRAFT = (404, 404, 404, 403)
POSTS = (POST_ONLY,) * 4
PDF_BYTES = b"%PDF-1.4\n% matrix attachment\n"


def _advice(pupil: Any) -> AdviceRequest:
    return AdviceRequestFactory(case=AssessmentCaseFactory(pupil=pupil, assessing=True))


def _advice_kwargs(pupil: Any) -> dict[str, Any]:
    return {"pk": _advice(pupil).pk}


def _attachment_kwargs(pupil: Any) -> dict[str, Any]:
    advice = _advice(pupil)
    attachment = advice.attachments.first()
    if attachment is None:
        attachment = AdviceAttachment(
            advice=advice,
            original_name="report.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        )
        attachment.file.save("upload.pdf", ContentFile(PDF_BYTES), save=False)
        attachment.save()
    return {"pk": attachment.pk}


def _pupil(pupil: Any) -> dict[str, Any]:
    return {"pk": pupil.pk}


def _content(**la: Any) -> dict[str, Any]:
    return everyone(
        HIDDEN,
        anon=ANON_REDIRECT,
        senco=SCHOOL_WIDE,
        head=SCHOOL_WIDE,
        senior_leader=SCHOOL_WIDE,
        other_school_senco=OTHER_SCHOOL,
        **la,
    )


# The SENCO of the pupil's school asks; other roles that see the pupil may not.
SEES_NOT_ASKS = (403, 403, 404, 404)
REQUEST = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    senco=SCHOOL_WIDE,
    head=SEES_NOT_ASKS,
    senior_leader=SEES_NOT_ASKS,
    school_admin=SEES_NOT_ASKS,
    class_teacher=(403, 404, 404, 404),
    ta=(403, 404, 404, 404),
    designated_teacher=(403, 404, 404, 404),
    other_teacher=(404, 403, 404, 404),
    other_school_senco=OTHER_SCHOOL,
)

ROWS: dict[str, Row] = {
    "ehcp:advice-inbox": Row(
        everyone(403, senco=200, head=200, senior_leader=200, other_school_senco=200)
    ),
    "ehcp:advice-detail": Row(
        _content(la_caseworker=HOME_LA, la_manager=HOME_LA, other_la_caseworker=OTHER_LA),
        kwargs=_advice_kwargs,
    ),
    "ehcp:advice-pdf": Row(
        _content(
            la_caseworker=HOME_LA_DRAFT,
            la_manager=HOME_LA_DRAFT,
            other_la_caseworker=OTHER_LA_DRAFT,
        ),
        kwargs=_advice_kwargs,
    ),
    "ehcp:attachment-download": Row(
        _content(
            la_caseworker=HOME_LA_DRAFT,
            la_manager=HOME_LA_DRAFT,
            other_la_caseworker=OTHER_LA_DRAFT,
        ),
        kwargs=_attachment_kwargs,
    ),
    "ehcp:advice-submit": Row(everyone(POSTS, anon=ANON_REDIRECT), kwargs=_advice_kwargs),
    "ehcp:attachment-add": Row(everyone(POSTS, anon=ANON_REDIRECT), kwargs=_advice_kwargs),
    "ehcp:assessment-request": Row(REQUEST, kwargs=_pupil),
    "ehcp:evidence-pack": Row(REQUEST, kwargs=_pupil),
}
