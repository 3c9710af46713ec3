"""Server-rendered horizontal bar charts: the geometry of an inline SVG, worked out in Python.

No JavaScript and no style attributes (the CSP forbids inline styles): the template draws with SVG
presentation attributes only. A chart is decoration beside a table holding the same numbers, so
the SVG is hidden from assistive technology. A suppressed count ("fewer than 5") draws no bar: a
bar's length would give the number away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sendadmin.core.aggregates import ExactCount, SuppressedCount

# GOV.UK colours, each at least 3:1 against white (WCAG 2.2 1.4.11) and the text at 4.5:1 or more.
BLUE = "#1d70b8"
GREEN = "#00703c"
TEXT = "#0b0c0c"

WIDTH = 480
FONT_SIZE = 16
BAR_SPACE = 360  # the longest bar; the value ("fewer than 5" at most) is written after it
LABEL_HEIGHT = 20  # each label sits on its own line above its bar, so long labels fit
BAR_HEIGHT = 22
GAP = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    label_y: int
    y: int
    text_y: int
    width: int
    value_x: int
    colour: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    font_size: int = FONT_SIZE
    text_colour: str = TEXT


@dataclass(frozen=True)
class BarSpec:
    label: str
    count: SuppressedCount | ExactCount
    colour: str = BLUE


def bar_chart(specs: Sequence[BarSpec]) -> Chart:
    """Lay out one bar per spec, scaled to the largest count that is shown exactly."""
    drawn = [s.count.value for s in specs if not s.count.suppressed]
    top = max([*drawn, 1])
    bars = []
    for i, spec in enumerate(specs):
        value = 0 if spec.count.suppressed else spec.count.value
        width = round(BAR_SPACE * value / top)
        top_y = i * ROW_HEIGHT
        y = top_y + LABEL_HEIGHT + 4
        bars.append(
            Bar(
                label=spec.label,
                shown=str(spec.count),
                label_y=top_y + LABEL_HEIGHT - 4,
                y=y,
                text_y=y + BAR_HEIGHT - 6,
                width=width,
                value_x=width + 8,
                colour=spec.colour,
            )
        )
    return Chart(bars=bars, height=ROW_HEIGHT * len(specs))
