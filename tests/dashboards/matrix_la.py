"""Access-matrix rows for the LA dashboard and the SEN2 export (issue 7 part 5).

Both belong to LA roles holding VIEW_LA_AGGREGATES (the LA manager) over their own LA: the
caseworker of the same LA and every school role get 403, the other LA's caseworker too; the
anonymous visitor is sent to sign in.
"""

from __future__ import annotations

from tests.access_rows import Row, everyone

LA_MANAGER_ONLY = everyone(403, la_manager=200)

ROWS: dict[str, Row] = {
    "dashboards:la": Row(LA_MANAGER_ONLY),
    "dashboards:la-sen2": Row(LA_MANAGER_ONLY),
}
