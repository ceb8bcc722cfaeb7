"""Small server-side SVG charts for the analytics and plan pages: horizontal bars and lines.

Our own few lines rather than a chart library: no CDN, no dependency, and the page prints.
Every chart has a title, labelled axes with round tick values, and a legend when it draws more
than one series. Every text is escaped; numbers are formatted here so templates only place the
markup.
"""

import math
from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, GRID, AXIS, BAR = "#1d2b36", "#5b6b78", "#e3e8ee", "#8a99a6", "#2f6fad"
SERIES = ("#c0522b", "#2f6fad", "#3c8d5a", "#7a4fa0")  # line colours, in legend order
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
CHAR_W = 6.6  # average width of a 12px character, to size the label gutters


def fmt(value: float) -> str:
    """22222.22 -> 22,222; 14.5 -> 14.5; 3.0 -> 3."""
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    values, v = [], first
    while v < high + step * 1e-9:
        values.append(round(v, 10))
        v += step
    if values[-1] < high:
        values.append(round(v, 10))
    return values


def _open(title: str, width: int, height: int) -> list:
    return [
        format_html(
            '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
            'height="{}" xmlns="http://www.w3.org/2000/svg" font-family="{}" font-size="12">',
            title,
            width,
            height,
            width,
            height,
            FONT,
        ),
        format_html("<title>{}</title>", title),
        format_html(
            '<text x="0" y="15" font-weight="600" font-size="13" fill="{}">{}</text>', INK, title
        ),
    ]


def _close(parts: list) -> SafeString:
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    axis_label: str = "",
    counts: Sequence[int] | None = None,
    unit: str = "",
    width: int = 560,
) -> SafeString:
    """Horizontal bars, one per (label, value), in the order given, with a value axis below.

    With `counts`, each bar's value label also says how many complaints it stands for, e.g.
    "4,000 (14)", and a note under the axis says so.
    """
    bars = [(label, value or 0) for label, value in rows]
    labels = [label if len(label) <= 30 else label[:29] + "…" for label, _ in bars]
    bar_h, gap, top = 18, 7, 30
    left = min(max((len(s) for s in labels), default=4) * CHAR_W + 12, 210)
    right = 86 if counts else 56
    body = max(len(bars), 1) * (bar_h + gap)
    height = top + body + (44 if axis_label or counts else 26)
    scale = ticks(0, max((v for _, v in bars), default=0) or 1, 4)
    top_value = scale[-1]
    span = width - left - right
    parts = _open(title, width, height)
    if not bars:
        parts.append(format_html('<text x="0" y="{}" fill="{}">No data yet.</text>', 44, MUTED))
        return _close(parts)
    for tick in scale:  # value axis: grid lines and round numbers
        x = left + tick / top_value * span
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                round(x, 1),
                round(x, 1),
                top - 4,
                top + body,
                GRID,
                round(x, 1),
                top + body + 14,
                MUTED,
                fmt(tick),
            )
        )
    for index, ((label, value), short) in enumerate(zip(bars, labels, strict=True)):
        y = top + index * (bar_h + gap)
        w = max(value / top_value * span, 1 if value else 0)
        note = f"{fmt(value)}{unit}" + (f" ({counts[index]})" if counts else "")
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" fill="{}">{}</text>',
                left - 6,
                y + 13,
                INK,
                short,
                left,
                y,
                round(w, 1),
                bar_h,
                BAR,
                label,
                note,
                round(left + w + 4, 1),
                y + 13,
                INK,
                note,
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>',
            left,
            left,
            top - 4,
            top + body,
            AXIS,
        )
    )
    caption = axis_label + (" · (n) = complaints" if counts else "")
    if caption:
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                round(left + span / 2, 1),
                top + body + 32,
                MUTED,
                caption,
            )
        )
    return _close(parts)


def month_labels(keys: Sequence[str]) -> list[tuple[str, str]]:
    """Month keys ("2025-12") as (month, year or ""): the year under the first and each Jan."""
    out = []
    for index, key in enumerate(keys):
        day = date.fromisoformat(key + "-01")
        out.append((f"{day:%b}", str(day.year) if index == 0 or day.month == 1 else ""))
    return out


def line_chart(
    keys: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    axis_label: str,
    width: int = 560,
    height: int = 250,
    floor: float | None = 0,
    ceiling: float | None = None,
) -> SafeString:
    """Lines over months (`keys` like "2025-12"), one per (name, values); a value of None
    breaks its line. A legend names the series when there is more than one."""
    values = [v for _, vs in series for v in vs if v is not None]
    low = floor if floor is not None else min(values, default=0)
    high = ceiling if ceiling is not None else max(values, default=low + 1)
    scale = ticks(low, max(high, low + 1), 5)
    low, high = scale[0], scale[-1]
    left = max(len(fmt(t)) for t in scale) * CHAR_W + 30
    right, top = 12, 34 + (22 if len(series) > 1 else 0)
    bottom, pad = 40, 16  # pad: the first and last month sit inside the axis, not on its ends
    plot_w, plot_h = width - left - right, height - top - bottom
    step = (plot_w - 2 * pad) / max(len(keys) - 1, 1)

    def y_of(v: float) -> float:
        return round(top + plot_h - (v - low) / (high - low) * plot_h, 1)

    parts = _open(title, width, height)
    if len(series) > 1:  # legend
        x = 0.0
        for index, (name, _) in enumerate(series):
            colour = SERIES[index % len(SERIES)]
            parts.append(
                format_html(
                    '<g class="legend"><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                    'stroke-width="3"/><text x="{}" y="{}" fill="{}">{}</text></g>',
                    x,
                    x + 18,
                    34,
                    34,
                    colour,
                    x + 23,
                    38,
                    INK,
                    name,
                )
            )
            x += 23 + len(name) * CHAR_W + 18
    for tick in scale:
        y = y_of(tick)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="11">{}</text>',
                left,
                width - right,
                y,
                y,
                AXIS if tick == low else GRID,
                left - 5,
                y + 4,
                MUTED,
                fmt(tick),
            )
        )
    parts.append(
        format_html(
            '<text transform="translate(11 {}) rotate(-90)" text-anchor="middle" fill="{}" '
            'font-size="11">{}</text>',
            round(top + plot_h / 2, 1),
            MUTED,
            axis_label,
        )
    )
    every = 1 if len(keys) <= 13 else 2
    for index, (month, year) in enumerate(month_labels(keys)):
        if index % every:
            continue
        x = round(left + pad + index * step, 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                x,
                top + plot_h + 15,
                MUTED,
                month,
            )
        )
        if year:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11" '
                    'font-weight="600">{}</text>',
                    x,
                    top + plot_h + 29,
                    MUTED,
                    year,
                )
            )
    for index, (name, vs) in enumerate(series):
        colour = SERIES[index % len(SERIES)]
        segments: list[list[str]] = [[]]
        dots = []
        for i, value in enumerate(vs):
            if value is None:
                segments.append([])
                continue
            x, y = round(left + pad + i * step, 1), y_of(value)
            segments[-1].append(f"{x},{y}")
            dots.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} {}: {}</title></circle>',
                    x,
                    y,
                    colour,
                    name,
                    keys[i],
                    fmt(value),
                )
            )
        for segment in segments:
            if len(segment) > 1:
                parts.append(
                    format_html(
                        '<polyline class="series" fill="none" stroke="{}" stroke-width="2" '
                        'points="{}"/>',
                        colour,
                        " ".join(segment),
                    )
                )
        parts.extend(dots)
    return _close(parts)
