"""Trend charts drawn on the server as SVG: the geometry here (pure, no database), the markup in
templates/insights/_chart.html.

Why not a charting library: the site's content security policy allows no inline style or script, and the
charting libraries (Chart.js, Plotly, Vega, matplotlib's SVG backend) emit inline styles or draw with
script in the browser. An SVG written here uses presentation attributes only, reads without JavaScript,
and carries a title and description for screen readers; the table under every chart gives each value.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56
# GOV.UK's blue, red, green and orange, each with its own dash so that colour is not the only difference.
STYLES = (("#1d70b8", ""), ("#d4351c", "8 4"), ("#00703c", "2 4"), ("#f47738", "12 4 2 4"))
REFERENCE_COLOUR = "#505a5f"
MOST_X_LABELS = 12


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    # Runs of consecutive values, each an SVG polyline's points; a missing or hidden value breaks the line.
    runs: list[str]
    points: list[Point]


@dataclass(frozen=True)
class Tick:
    at: float
    text: str


@dataclass(frozen=True)
class Reference:
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    lines: list[Line]
    references: list[Reference]
    unit: str


def _nice_top(largest: float) -> float:
    """The axis's top: the smallest of 1, 2, 2.5 and 5 times a power of ten at or above the largest value."""
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= largest:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def line_chart(
    *,
    title: str,
    description: str,
    unit: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    references: Sequence[tuple[str, float]] = (),
) -> Chart:
    """A line chart of each series over the categories (months, quarters or years), with reference lines."""
    values = [value for _, points in series for value in points if value is not None]
    top = _nice_top(max([*values, *(value for _, value in references)], default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(categories) - 1, 1)

    def x_at(index: int) -> float:
        return round(LEFT + (index * step if len(categories) > 1 else plot_width / 2), 1)

    def y_at(value: float) -> float:
        return round(TOP + plot_height * (1 - value / top), 1)

    lines = []
    for number, (label, points) in enumerate(series):
        colour, dash = STYLES[number % len(STYLES)]
        runs: list[list[str]] = [[]]
        dots = []
        for index, value in enumerate(points):
            if value is None:
                runs.append([])
                continue
            x, y = x_at(index), y_at(value)
            runs[-1].append(f"{x},{y}")
            dots.append(Point(x=x, y=y, text=f"{categories[index]}: {_number(value)}"))
        lines.append(
            Line(label=label, colour=colour, dash=dash, runs=[" ".join(run) for run in runs if run], points=dots)
        )
    every = max(1, math.ceil(len(categories) / MOST_X_LABELS))
    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        y_ticks=[Tick(at=y_at(top * part / 4), text=_number(top * part / 4)) for part in range(5)],
        x_ticks=[Tick(at=x_at(index), text=text) for index, text in enumerate(categories) if index % every == 0],
        lines=lines,
        references=[Reference(y=y_at(value), text=f"{label} {_number(value)}") for label, value in references],
        unit=unit,
    )
