"""EHC needs assessment time limits and exceptions (ehcp/deadlines.py; domain.md 1).

Every expected date in these tables was counted by hand on a calendar, not computed by the code.
"""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from ehcp.deadlines import (
    EXCEPTION_LIMBS,
    advice_due,
    closure_exception_applies,
    decision_to_assess_due,
    final_plan_due,
    no_plan_notice_due,
    representations_close,
)

d = date.fromisoformat


@pytest.mark.parametrize(
    ("request_received", "expected"),
    [
        ("2025-01-06", "2025-02-17"),
        ("2024-01-18", "2024-02-29"),  # lands on the 2024 leap day
        ("2028-01-18", "2028-02-29"),  # lands on the 2028 leap day
        ("2025-01-18", "2025-03-01"),  # the same request in a common year
        ("2024-12-23", "2025-02-03"),  # received just before Christmas
        ("2024-12-31", "2025-02-11"),
        ("2025-03-20", "2025-05-01"),  # across the start of British Summer Time
    ],
)
def test_the_decision_whether_to_assess_is_due_six_weeks_after_the_la_receives_the_request(
    request_received: str, expected: str
) -> None:
    assert decision_to_assess_due(d(request_received)) == d(expected)


@pytest.mark.parametrize(
    ("adviser_request_received", "expected"),
    [
        ("2025-03-03", "2025-04-14"),
        ("2025-02-20", "2025-04-03"),  # weeks after the LA's own request: counted from here
        ("2024-01-31", "2024-03-13"),  # through 29 February 2024
        ("2025-01-31", "2025-03-14"),
        ("2025-12-29", "2026-02-09"),  # over the year end
        ("2025-07-14", "2025-08-25"),  # summer holiday: no pause, the date stands
    ],
)
def test_advice_is_due_six_weeks_after_the_adviser_receives_the_request(
    adviser_request_received: str, expected: str
) -> None:
    assert advice_due(d(adviser_request_received)) == d(expected)


@pytest.mark.parametrize(
    ("request_received", "expected"),
    [
        ("2025-01-06", "2025-04-28"),
        ("2023-11-09", "2024-02-29"),
        ("2027-11-09", "2028-02-29"),
        ("2024-11-09", "2025-03-01"),
        ("2024-12-20", "2025-04-11"),
        ("2025-12-31", "2026-04-22"),
    ],
)
def test_notice_of_no_plan_is_due_sixteen_weeks_after_the_request(
    request_received: str, expected: str
) -> None:
    assert no_plan_notice_due(d(request_received)) == d(expected)


@pytest.mark.parametrize(
    ("request_received", "expected"),
    [
        ("2025-01-06", "2025-05-26"),
        ("2024-12-20", "2025-05-09"),  # received in the last week of term
        ("2024-12-31", "2025-05-20"),
        ("2023-10-12", "2024-02-29"),
        ("2027-10-12", "2028-02-29"),
        ("2024-10-12", "2025-03-01"),
        ("2024-02-29", "2024-07-18"),  # received on a leap day
    ],
)
def test_the_final_plan_is_due_twenty_weeks_after_the_request(
    request_received: str, expected: str
) -> None:
    assert final_plan_due(d(request_received)) == d(expected)


@pytest.mark.parametrize(
    ("draft_served", "expected"),
    [
        ("2025-06-02", "2025-06-16"),
        ("2024-02-15", "2024-02-29"),
        ("2028-02-15", "2028-02-29"),
        ("2025-02-15", "2025-03-01"),
        ("2025-01-31", "2025-02-14"),
        ("2025-12-22", "2026-01-05"),  # over Christmas: calendar days all the same
        ("2025-10-20", "2025-11-03"),  # across the end of British Summer Time
    ],
)
def test_representations_close_fourteen_days_after_the_day_the_draft_is_served(
    draft_served: str, expected: str
) -> None:
    assert representations_close(d(draft_served)) == d(expected)


# Summer 2025: closed Wednesday 23 July, re-opens Wednesday 3 September (42 days). The window
# for asking advice runs from 16 July to 27 August inclusive.
SUMMER_CLOSED_FROM = "2025-07-23"
SUMMER_REOPENS_ON = "2025-09-03"


@pytest.mark.parametrize(
    ("advice_requested", "applies"),
    [
        ("2025-07-15", False),  # one day before the window opens
        ("2025-07-16", True),  # exactly one week before the closure
        ("2025-07-22", True),  # the last day open
        ("2025-08-01", True),  # during the holiday
        ("2025-08-27", True),  # exactly one week before re-opening
        ("2025-08-28", False),  # one day after the window closes
        ("2025-09-01", False),  # still closed, but under a week before re-opening
        ("2025-06-01", False),  # long before
    ],
)
def test_the_closure_exception_covers_advice_asked_from_a_week_before_closing_to_a_week_before_reopening(
    advice_requested: str, applies: bool
) -> None:
    assert (
        closure_exception_applies(d(advice_requested), d(SUMMER_CLOSED_FROM), d(SUMMER_REOPENS_ON))
        is applies
    )


@pytest.mark.parametrize(
    ("advice_requested", "closed_from", "reopens_on", "applies"),
    [
        ("2025-07-14", "2025-07-21", "2025-08-18", True),  # closed exactly 28 days
        ("2025-07-14", "2025-07-21", "2025-08-17", False),  # closed 27 days
        ("2024-01-29", "2024-02-05", "2024-03-04", True),  # 28 days thanks to 29 February
        ("2025-01-29", "2025-02-05", "2025-03-04", False),  # the same dates in 2025: 27 days
        ("2024-12-16", "2024-12-21", "2025-01-06", False),  # a 16-day Christmas closure
        ("2025-03-31", "2025-04-05", "2025-04-22", False),  # a 17-day Easter closure
        ("2025-07-20", "2025-07-21", "2025-07-21", False),  # re-opens the day it closes
        ("2025-07-20", "2025-08-18", "2025-07-21", False),  # dates the wrong way round
    ],
)
def test_the_closure_exception_needs_a_closure_of_at_least_four_continuous_weeks(
    advice_requested: str, closed_from: str, reopens_on: str, applies: bool
) -> None:
    assert closure_exception_applies(d(advice_requested), d(closed_from), d(reopens_on)) is applies


@pytest.mark.parametrize(
    ("advice_requested", "applies"),
    [
        ("2024-01-25", True),  # exactly one week before closing on 1 February
        ("2024-01-24", False),
        ("2024-02-29", True),  # exactly one week before re-opening on 7 March
        ("2024-03-01", False),
    ],
)
def test_the_closure_window_counts_back_a_week_across_the_leap_day(
    advice_requested: str, applies: bool
) -> None:
    assert (
        closure_exception_applies(d(advice_requested), d("2024-02-01"), d("2024-03-07")) is applies
    )


def test_exception_lists_are_kept_per_regulation() -> None:
    assert set(EXCEPTION_LIMBS) == {"reg5(4)", "reg8(2)", "reg10(4)"}


@pytest.mark.parametrize(
    ("regulation", "codes"),
    [
        ("reg5(4)", ("a", "b", "c", "d")),
        ("reg8(2)", ("a", "b", "c")),
        ("reg10(4)", ("a", "b", "c", "d")),
    ],
)
def test_each_exception_list_has_its_lettered_limbs_in_order(
    regulation: str, codes: tuple[str, ...]
) -> None:
    assert tuple(limb.code for limb in EXCEPTION_LIMBS[regulation]) == codes


@pytest.mark.parametrize(
    ("regulation", "code", "words"),
    [
        ("reg10(4)", "a", "school or post-16 institution was closed"),
        ("reg10(4)", "b", "early years provider was closed"),
        ("reg10(4)", "c", "exceptional personal circumstances"),
        ("reg10(4)", "d", "away from the local authority's area for 4 weeks"),
        ("reg5(4)", "a", "school or post-16 institution was closed"),
        ("reg8(2)", "a", "exceptional circumstances"),
        ("reg8(2)", "b", "away from the local authority's area for 4 weeks"),
        ("reg8(2)", "c", "missed an appointment"),
    ],
)
def test_each_limb_has_a_plain_english_label(regulation: str, code: str, words: str) -> None:
    labels = {limb.code: limb.label for limb in EXCEPTION_LIMBS[regulation]}
    assert words in labels[code].lower()


def test_advisers_have_no_closure_exception() -> None:
    assert not any("closed" in limb.label for limb in EXCEPTION_LIMBS["reg8(2)"])


def test_the_exception_lists_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        EXCEPTION_LIMBS["reg99"] = ()  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        EXCEPTION_LIMBS["reg8(2)"][0].label = "changed"  # type: ignore[misc]
