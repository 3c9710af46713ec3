"""Access-matrix rows for the governance pages (offer.views_governance), merged into
tests/test_access_matrix.py.

Every role that sees the school's aggregates reads the page (it names staff and governors, never a
pupil); the SENCO and the headteacher keep the records (offer.rules). A designation is built at the
pupil's school: another school's is not visible (404); a governor or senior leader of the same
school sees it but may not change it (403).
"""

from __future__ import annotations

from typing import Any

from tests.access_rows import ANON_REDIRECT, HIDDEN, Row, everyone
from tests.factories.offer_governance import SencoDesignationFactory

READS = everyone(
    403,
    governor=200,
    sen_link_governor=200,
    head=200,
    senior_leader=200,
    senco=200,
    other_school_senco=200,
)
KEEPS = everyone(403, head=200, senco=200, other_school_senco=200)
SEEN_NOT_KEPT = (403, 403, 404, 404)
KEPT = (200, 200, 404, 404)


def _designation(pupil: Any) -> dict[str, Any]:
    return {"pk": SencoDesignationFactory(school=pupil.school).pk}


DESIGNATION = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    governor=SEEN_NOT_KEPT,
    sen_link_governor=SEEN_NOT_KEPT,
    senior_leader=SEEN_NOT_KEPT,
    head=KEPT,
    senco=KEPT,
    other_school_senco=(404, 404, 200, 404),
)

ROWS: dict[str, Row] = {
    "offer:governance": Row(READS),
    "offer:governance-edit": Row(KEEPS),
    "offer:senco-add": Row(KEEPS),
    "offer:senco-edit": Row(DESIGNATION, kwargs=_designation),
    "offer:senco-end": Row(DESIGNATION, kwargs=_designation),
}
