"""A server-rendered SVG bar chart (no script, no CDN): median hours to action per day, with the
24-hour promise drawn as a line. Every text is escaped."""

from __future__ import annotations

from django.utils.html import escape

from compliance.reports.compliance_report import Day

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40


def time_to_action_svg(days: list[Day], *, promise_hours: float = 24.0) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = max([promise_hours * 1.25] + [d.median_hours * 1.1 for d in days])

    def y(hours: float) -> float:
        return TOP + plot_h - plot_h * hours / top_value

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-labelledby="chart-title" font-family="sans-serif" font-size="11">',
             '<title id="chart-title">Median hours from notice to action, per day</title>',
             f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>']
    for tick in _ticks(top_value):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e6e6e6"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g} h</text>')
    if not days:
        parts.append(f'<text x="{LEFT + plot_w / 2}" y="{TOP + plot_h / 2}" text-anchor="middle">'
                     'no decisions in this period</text>')
    slot = plot_w / max(1, len(days))
    for index, day in enumerate(days):
        x, bar_h = LEFT + index * slot, plot_h * day.median_hours / top_value
        colour = "#2e7d32" if day.median_hours <= promise_hours else "#c62828"
        label = escape(f"{day.day:%Y-%m-%d}: median {day.median_hours:g} h over {day.decided} decided notice(s)")
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{colour}"><title>{label}</title></rect>')
        if len(days) <= 31 and (len(days) <= 12 or index % 3 == 0):
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
                         f'{day.day:%d %b}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(promise_hours):.1f}" y2="{y(promise_hours):.1f}" '
                 f'stroke="#c62828" stroke-dasharray="6 4"/>'
                 f'<text x="{LEFT + plot_w - 4}" y="{y(promise_hours) - 4:.1f}" text-anchor="end" fill="#c62828" '
                 f'stroke="#fafafa" stroke-width="4" paint-order="stroke" font-weight="bold">'
                 f'{promise_hours:g}-hour promise</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ticks(top_value: float) -> list[float]:
    step = next(s for s in (1, 2, 4, 6, 12, 24, 48, 96, 168, 336, 720) if top_value / s <= 6)
    return [step * n for n in range(0, int(top_value // step) + 1)]
