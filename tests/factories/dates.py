"""The fixed TODAY every factory and test derives its dates from."""

import datetime as dt

TODAY = dt.date(2026, 11, 23)
ACADEMIC_YEAR_START = dt.date(2026, 9, 1)
