"""Access-matrix rows for the school dashboard (issue 7 parts 3 and 4), merged into
tests/test_access_matrix.py.

The dashboard and the governors' report are for the roles that see their school's aggregates (the
other school's SENCO sees their own school's); drilling down to named pupils is for the head,
senior leaders and the SENCO only. The drill-down row asks without a key: a role that may drill down
gets 404 (no such count), every other role 403 before the key is looked at.
"""

from __future__ import annotations

from tests.access_rows import Row, everyone

SEES_DASHBOARD = everyone(
    403,
    governor=200,
    sen_link_governor=200,
    head=200,
    senior_leader=200,
    senco=200,
    other_school_senco=200,
)

ROWS: dict[str, Row] = {
    "dashboards:school": Row(SEES_DASHBOARD),
    "dashboards:governors-report-pdf": Row(SEES_DASHBOARD),
    "dashboards:school-drill": Row(
        everyone(403, head=404, senior_leader=404, senco=404, other_school_senco=404),
        world_kwargs=lambda world: {"metric": "status"},
    ),
}
