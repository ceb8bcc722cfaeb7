"""Small server-side SVG charts for the analytics page: horizontal bars and a line.

Our own few lines rather than a chart library: no CDN, no dependency, and the page prints.
Every text is escaped; numbers are formatted here so templates only place the markup.
"""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, GRID, BAR, LINE = "#1d2b36", "#5b6b78", "#e3e8ee", "#2f6fad", "#c0522b"


def _n(value: float) -> str:
    return f"{value:.1f}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def bar_chart(
    rows: Sequence[tuple[str, float | None]], *, title: str, unit: str = "", width: int = 640
) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given."""
    rows = [(label, value or 0) for label, value in rows]
    bar_h, gap, left, right, top = 18, 8, 190, 70, 28
    height = top + max(len(rows), 1) * (bar_h + gap) + 8
    top_value = max((v for _, v in rows), default=0) or 1
    span = width - left - right
    parts = [
        format_html(
            '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
            'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" '
            'font-size="12">',
            title,
            width,
            height,
        ),
        format_html("<title>{}</title>", title),
        format_html('<text x="8" y="18" font-weight="600" fill="{}">{}</text>', INK, title),
    ]
    if not rows:
        parts.append(
            format_html('<text x="8" y="{}" fill="{}">No data yet.</text>', top + 14, MUTED)
        )
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_h + gap)
        w = max(value / top_value * span, 1 if value else 0)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}">'
                "<title>{}: {}{}</title></rect>"
                '<text x="{}" y="{}" fill="{}">{}{}</text>',
                left - 6,
                y + 13,
                INK,
                short,
                left,
                y,
                w,
                bar_h,
                BAR,
                label,
                _fmt(value),
                unit,
                left + w + 4,
                y + 13,
                MUTED,
                _fmt(value),
                unit,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 220,
    floor: float | None = 0,
) -> SafeString:
    """A line over labelled points (e.g. months); missing values break the line."""
    left, right, top, bottom = 48, 16, 30, 34
    values = [v for _, v in points if v is not None]
    high = max(values, default=1) or 1
    low = floor if floor is not None else min(values, default=0)
    if high == low:
        high = low + 1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def y_of(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    parts = [
        format_html(
            '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
            'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" '
            'font-size="11">',
            title,
            width,
            height,
        ),
        format_html("<title>{}</title>", title),
        format_html(
            '<text x="8" y="18" font-weight="600" font-size="12" fill="{}">{}</text>', INK, title
        ),
    ]
    for i in range(5):
        v = low + (high - low) * i / 4
        y = y_of(v)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                width - right,
                y,
                y,
                GRID,
                left - 4,
                y + 4,
                MUTED,
                _fmt(round(v, 2)),
            )
        )
    segments: list[list[str]] = [[]]
    for index, (label, value) in enumerate(points):
        x = left + index * step
        if len(points) <= 13 or index % 2 == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    x,
                    height - bottom + 16,
                    MUTED,
                    label,
                )
            )
        if value is None:
            segments.append([])
            continue
        segments[-1].append(f"{x:.1f},{y_of(value):.1f}")
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}{}</title></circle>',
                x,
                y_of(value),
                LINE,
                label,
                _fmt(value),
                unit,
            )
        )
    for segment in segments:
        if len(segment) > 1:
            parts.insert(
                3,
                format_html(
                    '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>',
                    LINE,
                    " ".join(segment),
                ),
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
