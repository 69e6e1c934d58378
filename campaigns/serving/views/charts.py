"""Tiny server-side line charts: the geometry only. The SVG itself is drawn by the
template `analytics/_chart.html`, whose auto-escaping keeps every label safe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from studio.serving.stats import beta_pdf, beta_sd

PALETTE = ("#2563eb", "#f97316", "#059669", "#db2777", "#7c3aed", "#ca8a04")
WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 36


@dataclass
class Series:
    label: str
    colour: str
    points: str  # "x,y x,y ..." in SVG coordinates


@dataclass
class Chart:
    title: str
    x_label: str
    y_label: str
    series: list[Series]
    x_ticks: list[tuple[float, str, str]]  # (x, label, text-anchor)
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def _scale(low: float, high: float, out_low: float, out_high: float) -> Callable:
    span = (high - low) or 1.0
    return lambda v: out_low + (v - low) / span * (out_high - out_low)


def _ticks(low: float, high: float, n: int, fmt: Callable) -> list[tuple[float, str]]:
    return [(low + (high - low) * i / n, fmt(low + (high - low) * i / n)) for i in range(n + 1)]


def line_chart(
    title: str,
    x_label: str,
    y_label: str,
    lines: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    x_format: Callable[[float], str] = lambda v: f"{v:g}",
    y_format: Callable[[float], str] = lambda v: f"{v:g}",
) -> Chart | None:
    """Lines of (x, y) points scaled into the plot box; None when there is nothing."""
    points = [p for _, line in lines for p in line]
    if not points:
        return None
    x_low, x_high = min(p[0] for p in points), max(p[0] for p in points)
    y_high = max(p[1] for p in points) or 1.0
    sx = _scale(x_low, x_high, LEFT, WIDTH - RIGHT)
    sy = _scale(0.0, y_high, HEIGHT - BOTTOM, TOP)
    series = [
        Series(
            label, PALETTE[i % len(PALETTE)], " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line)
        )
        for i, (label, line) in enumerate(lines)
    ]
    return Chart(
        title,
        x_label,
        y_label,
        series,
        x_ticks=[
            # The end labels hang inwards, so they are not clipped at the plot's edges.
            (sx(v), label, ("start", "middle", "middle", "middle", "end")[i])
            for i, (v, label) in enumerate(_ticks(x_low, x_high, 4, x_format))
        ],
        y_ticks=[(sy(v), label) for v, label in _ticks(0.0, y_high, 4, y_format)],
    )


def ctr_over_time(title: str, daily: dict[str, list[tuple[dt.date, int, int]]]) -> Chart | None:
    """Daily CTR per named series, from [(day, impressions, clicks)]."""
    lines = [
        (name, [(day.toordinal(), clicks / imps) for day, imps, clicks in rows if imps])
        for name, rows in daily.items()
    ]
    return line_chart(
        title,
        "day",
        "CTR",
        [line for line in lines if line[1]],
        x_format=lambda v: dt.date.fromordinal(round(v)).isoformat(),
        y_format=lambda v: f"{v:.1%}",
    )


def posterior_densities(title: str, posteriors: dict[str, tuple[float, float]]) -> Chart | None:
    """Beta densities of CTR, drawn over a range that holds every curve's bulk."""
    if not posteriors:
        return None
    high = max(a / (a + b) + 4 * beta_sd(a, b) for a, b in posteriors.values())
    high = min(max(high, 0.01), 1.0)
    grid = [high * (i + 0.5) / 120 for i in range(120)]
    lines = [
        (label, [(x, beta_pdf(x, a, b)) for x in grid]) for label, (a, b) in posteriors.items()
    ]
    return line_chart(
        title, "CTR", "density", lines, x_format=lambda v: f"{v:.1%}", y_format=lambda v: f"{v:.3g}"
    )
