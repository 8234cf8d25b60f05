"""Server-rendered SVG line charts: no JavaScript, readable in greyscale, with a title and
a description for screen readers (the page puts a data table beside each chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260  # shown at this size at most and at least (text stays 12 px or more)


def _framed(parts: list[str]) -> Markup:
    """The chart in a frame that scrolls sideways on a narrow screen instead of shrinking the
    chart's text (the page script makes an overflowing frame focusable, with the chart's name)."""
    return Markup('<div class="chart-frame">' + "".join(parts) + "</div>")


LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# Told apart by line pattern and marker shape, not by colour alone.
STYLES = (
    {"stroke": "#1d4ed8", "dash": "", "marker": "circle"},
    {"stroke": "#7a4a00", "dash": "6 4", "marker": "square"},
    {"stroke": "#166534", "dash": "2 3", "marker": "triangle"},
)


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[datetime, float]]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} '
            f'{x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    chart_id: str, title: str, description: str, series: list[Series], y_range: tuple[int, int]
) -> Markup:
    """An accessible SVG line chart of values over time."""
    low, high = y_range
    times = sorted({t for s in series for t, _v in s.points})
    if not times:
        return Markup("")
    start, end = times[0].timestamp(), times[-1].timestamp()
    span = (end - start) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: datetime) -> float:
        return LEFT + (plot_w / 2 if end == start else (t.timestamp() - start) / span * plot_w)

    def y(v: float) -> float:
        return TOP + plot_h - (v - low) / (high - low) * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for value in range(low, high + 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="#cfd6df" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 10}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="13" fill="#4f5b6b">{value}</text>'
        )
    for t, anchor in ((times[0], "start"), (times[-1], "end")):
        parts.append(
            f'<text x="{x(t):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" '
            f'font-size="13" fill="#4f5b6b">{t:%d %b %Y}</text>'
        )
    for index, s in enumerate(series):
        style = STYLES[index % len(STYLES)]
        points = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in s.points)
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{style["stroke"]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        parts += [_marker(style["marker"], x(t), y(v), style["stroke"]) for t, v in s.points]
    parts.append("</svg>")
    return _framed(parts)


def legend(series: list[Series]) -> Markup:
    """A legend that names each line with its pattern and marker in words."""
    words = {
        "circle": "solid line, circles",
        "square": "dashed line, squares",
        "triangle": "dotted line, triangles",
    }
    items = "".join(
        f"<li>{escape(s.label)}: {words[STYLES[i % len(STYLES)]['marker']]}</li>"
        for i, s in enumerate(series)
    )
    return Markup(f'<ul class="chart-legend">{items}</ul>')


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: list[tuple[str, float]],
    maximum: float,
    marker: float | None = None,
    marker_label: str = "",
) -> Markup:
    """Horizontal bars with their value written at the end (no colour needed to read them);
    an optional dashed marker line, e.g. a target."""
    if not bars:
        return Markup("")
    row, left, width = 34, 190, WIDTH - 190 - 60
    height = TOP + row * len(bars) + 24

    def x(v: float) -> float:
        return left + max(min(v / maximum, 1), 0) * width

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(bars):
        y = TOP + i * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="#1c2430">{escape(label[:28])}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{x(value) - left:.1f}" height="18" '
            f'fill="#1d4ed8"/>'
        )
        parts.append(
            f'<text x="{x(value) + 6:.1f}" y="{y + 17}" font-size="13" '
            f'fill="#1c2430">{value:g}</text>'
        )
    if marker is not None:
        parts.append(
            f'<line x1="{x(marker):.1f}" x2="{x(marker):.1f}" y1="{TOP - 6}" '
            f'y2="{height - 18}" stroke="#7a4a00" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{x(marker):.1f}" y="{height - 4}" text-anchor="middle" font-size="12" '
            f'fill="#7a4a00">{escape(marker_label)}</text>'
        )
    parts.append("</svg>")
    return _framed(parts)
