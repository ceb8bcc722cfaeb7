"""Server-rendered SVG for risk planning: the risk matrix and what covers each risk.

People look before they read: the matrix puts each identified risk in its likelihood x severity
cell, coloured by band, numbered as in the table beside it; the cover chart shows for each risk
how much its existing cover meets, how much the plan adds, and what stays with the customer.
Both are plain SVG strings (no library, no script), so the same markup shows in the portal, the
console and the proposal's PDF. Every text is escaped by `format_html`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from insuredesk.planning.risks import risk_level

INK, MUTED, GRID = "#1d2733", "#5d6b7a", "#dfe4ea"
FONT = "DejaVu Sans, Noto Sans CJK SC, system-ui, sans-serif"
BAND_FILL = {"low": "#e6f4ec", "medium": "#fff4d6", "high": "#fde2c8", "severe": "#f9c9c4"}
DOT = "#13283b"
EXISTING, PLANNED, LEFT = "#3c8d5a", "#2f6fad", "#b3261e"


@dataclass(frozen=True)
class MatrixPoint:
    number: int  # as numbered in the risk table
    title: str
    likelihood: int
    severity: int


@dataclass(frozen=True)
class CoverBar:
    title: str
    exposure: Decimal
    existing: Decimal
    planned: Decimal
    uncovered: Decimal


def _svg(title: str, width: int, height: int, css_class: str) -> list:
    return [
        format_html(
            '<svg class="chart {}" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
            'height="{}" xmlns="http://www.w3.org/2000/svg" font-family="{}" font-size="12">'
            "<title>{}</title>",
            css_class,
            title,
            width,
            height,
            width,
            height,
            FONT,
            title,
        )
    ]


def _close(parts: list) -> SafeString:
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def risk_matrix(
    points: Sequence[MatrixPoint],
    *,
    title: str,
    likelihood_label: str,
    severity_label: str,
    cell: int = 58,
) -> SafeString:
    """A 5 x 5 matrix, likelihood up and severity to the right, each cell coloured by the band
    of its score; a numbered dot per risk, several dots sharing a cell side by side."""
    left, top, bottom = 48, 14, 44
    width, height = left + 5 * cell + 10, top + 5 * cell + bottom
    parts = _svg(title, width, height, "risk-matrix")
    for likelihood in range(1, 6):
        y = top + (5 - likelihood) * cell
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left - 8,
                y + cell // 2 + 4,
                MUTED,
                likelihood,
            )
        )
        for severity in range(1, 6):
            x = left + (severity - 1) * cell
            parts.append(
                format_html(
                    '<rect class="cell {}" x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'stroke="#ffffff" stroke-width="2"/>',
                    risk_level(likelihood * severity),
                    x,
                    y,
                    cell,
                    cell,
                    BAND_FILL[risk_level(likelihood * severity)],
                )
            )
    for severity in range(1, 6):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                left + (severity - 1) * cell + cell // 2,
                top + 5 * cell + 16,
                MUTED,
                severity,
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{} →</text>'
            '<text transform="translate(12 {}) rotate(-90)" text-anchor="middle" fill="{}" '
            'font-size="11">{} →</text>',
            left + 5 * cell // 2,
            top + 5 * cell + 36,
            MUTED,
            severity_label,
            top + 5 * cell // 2,
            MUTED,
            likelihood_label,
        )
    )
    by_cell: dict[tuple[int, int], list[MatrixPoint]] = {}
    for point in points:
        by_cell.setdefault((point.likelihood, point.severity), []).append(point)
    for (likelihood, severity), here in by_cell.items():
        per_row = min(len(here), 3)
        for index, point in enumerate(here):
            row, column = divmod(index, per_row)
            spread = cell / (per_row + 1)
            cx = left + (severity - 1) * cell + spread * (column + 1)
            cy = top + (5 - likelihood) * cell + 17 + row * 22
            parts.append(
                format_html(
                    '<g class="risk-dot"><circle cx="{}" cy="{}" r="10" fill="{}">'
                    "<title>{}. {}</title></circle>"
                    '<text x="{}" y="{}" text-anchor="middle" fill="#ffffff" font-size="11" '
                    'font-weight="600">{}</text></g>',
                    round(cx, 1),
                    cy,
                    DOT,
                    point.number,
                    point.title,
                    round(cx, 1),
                    cy + 4,
                    point.number,
                )
            )
    return _close(parts)


def _axis(value: Decimal) -> tuple[Decimal, int]:
    """(step, steps): round steps (1, 2, 2.5 or 5 x 10^n) of which about four reach `value`."""
    if value <= 0:
        return Decimal(1), 1
    raw = value / 4
    power = Decimal(10) ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, Decimal("2.5"), 5, 10) if m * power >= raw)
    return step, max(1, math.ceil(value / step))


def _short(amount: Decimal) -> str:
    """3200000 -> 3.2M, 450000 -> 450k: axis and bar labels that fit."""
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:,.2f}".rstrip("0").rstrip(".") + "M"
    if amount >= 1000:
        return f"{amount / 1000:,.0f}k"
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def cover_chart(
    bars: Sequence[CoverBar],
    *,
    title: str,
    legend: tuple[str, str, str],
    currency: str,
    width: int = 640,
) -> SafeString:
    """One horizontal bar per risk over the money at stake: existing cover, what the plan adds,
    and what stays uncovered, in that order from the left."""
    label_width, right, top, row = 190, 60, 34, 26
    span = width - label_width - right
    height = top + max(len(bars), 1) * row + 36
    parts = _svg(title, width, height, "cover-chart")
    x = 0.0
    for colour, name in zip((EXISTING, PLANNED, LEFT), legend, strict=True):
        parts.append(
            format_html(
                '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="16" fill="{}">{}</text>',
                x,
                colour,
                x + 16,
                INK,
                name,
            )
        )
        x += 16 + len(name) * 7 + 18
    step, steps = _axis(max((bar.exposure for bar in bars), default=Decimal(1)))
    scale = step * steps
    for tick in range(steps + 1):
        at = label_width + span * tick / steps
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                round(at, 1),
                round(at, 1),
                top - 4,
                top + len(bars) * row,
                GRID,
                round(at, 1),
                top + len(bars) * row + 14,
                MUTED,
                _short(step * tick),
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
            label_width + span // 2,
            top + len(bars) * row + 30,
            MUTED,
            currency,
        )
    )
    for index, bar in enumerate(bars):
        y = top + index * row
        name = bar.title if len(bar.title) <= 28 else bar.title[:27] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                label_width - 8,
                y + 15,
                INK,
                name,
            )
        )
        start = Decimal(label_width)
        for amount, colour, what in (
            (bar.existing, EXISTING, legend[0]),
            (bar.planned, PLANNED, legend[1]),
            (bar.uncovered, LEFT, legend[2]),
        ):
            if amount <= 0:
                continue
            length = Decimal(span) * amount / scale
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="18" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    round(start, 1),
                    y + 2,
                    round(max(length, Decimal(1)), 1),
                    colour,
                    what,
                    currency,
                    f"{amount:,.2f}",
                )
            )
            start += length
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>',
                round(start + 4, 1),
                y + 15,
                MUTED,
                _short(bar.exposure),
            )
        )
    return _close(parts)
