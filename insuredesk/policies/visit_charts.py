"""The queue page's chart: visits completed and visits gone overdue, week by week, as a small
server-rendered SVG (two columns a week). The scale and number formatting are the complaints
charts' (`ticks`, `fmt`); every text is escaped."""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from insuredesk.complaints.charts import AXIS, FONT, GRID, INK, MUTED, fmt, ticks
from insuredesk.policies.visit_selectors import Week

COMPLETED, OVERDUE = "#3c8d5a", "#c0522b"


def weekly_columns(
    weeks: Sequence[Week], *, title: str, width: int = 620, height: int = 230
) -> SafeString:
    """Two columns per week (completed, overdue) over Monday-dated weeks, with a legend."""
    top, bottom, left, right = 48, 36, 36, 8
    plot_h, plot_w = height - top - bottom, width - left - right
    scale = ticks(0, max([w.completed for w in weeks] + [w.overdue for w in weeks] + [1]), 4)
    high = scale[-1]
    slot = plot_w / max(len(weeks), 1)
    bar = max(min(slot / 3, 16), 2)

    def y(value: float) -> float:
        return round(top + plot_h - value / high * plot_h, 1)

    parts = [
        format_html(
            '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
            'height="{}" xmlns="http://www.w3.org/2000/svg" font-family="{}" font-size="12">'
            "<title>{}</title>"
            '<text x="0" y="15" font-weight="600" font-size="13" fill="{}">{}</text>',
            title,
            width,
            height,
            width,
            height,
            FONT,
            title,
            INK,
            title,
        )
    ]
    for index, (name, colour) in enumerate((("completed", COMPLETED), ("overdue", OVERDUE))):
        x = index * 110
        parts.append(
            format_html(
                '<g class="legend"><rect x="{}" y="25" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="35" fill="{}">{}</text></g>',
                x,
                colour,
                x + 17,
                INK,
                name,
            )
        )
    for tick in scale:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="11">{}</text>',
                left,
                width - right,
                y(tick),
                y(tick),
                AXIS if tick == 0 else GRID,
                left - 5,
                y(tick) + 4,
                MUTED,
                fmt(tick),
            )
        )
    for index, week in enumerate(weeks):
        x0 = left + index * slot + (slot - 2 * bar) / 2
        for offset, (value, colour, name) in enumerate(
            ((week.completed, COMPLETED, "completed"), (week.overdue, OVERDUE, "overdue"))
        ):
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>week of {}: {} {}</title></rect>",
                    round(x0 + offset * bar, 1),
                    y(value),
                    round(bar - 1, 1),
                    round(plot_h - (y(value) - top), 1),
                    colour,
                    week.starts_on.isoformat(),
                    value,
                    name,
                )
            )
        if index % 2 == 0 or len(weeks) <= 8:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                    round(left + index * slot + slot / 2, 1),
                    top + plot_h + 15,
                    MUTED,
                    f"{week.starts_on:%d %b}",
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
