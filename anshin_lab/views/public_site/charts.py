"""The statistics page's charts as inline SVG: drawn here, offline, in the page's own language and fonts.

Two charts over ``app.public_data.published_statistics``: alerts per month
stacked by category, and alerts per 1,000 households by municipality. Each
is an ``<svg role="img">`` with a title and a description; the same numbers
are in the page's table for screen readers and for copying.
"""

from __future__ import annotations

import html

import pandas as pd

from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.views.maps.basemap import category_style

__all__ = ["city_rate_chart", "monthly_chart"]

WIDTH = 640
TEXT = "#1a1a1a"
AXIS = "#5c6670"
RATE_COLOUR = "#1f5f99"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> str:
    return (f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{_e(title)}</title><desc id="{chart_id}-desc">{_e(desc)}</desc>'
            + "".join(body) + "</svg>")


def _categories(stats: pd.DataFrame) -> list[str]:
    present = set(stats["category"])
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def monthly_chart(stats: pd.DataFrame, words, month_label) -> str:
    """Alerts per month, one bar per month stacked by category, with a legend; SVG text.

    ``words`` is the page's ``wording.Words``; ``month_label(month)`` writes
    「2026-11」 in its language.
    """
    title = words.label("stats_chart_month")
    months = sorted(set(stats["month"]))
    categories = _categories(stats)
    counts = stats.groupby(["month", "category"])["count"].sum()
    totals = stats.groupby("month")["count"].sum()
    top, left, plot_h, legend_row = 16, 40, 200, 22
    legend_rows = (len(categories) + 1) // 2
    height = top + plot_h + 40 + legend_rows * legend_row + 8
    peak = max(int(totals.max()) if len(totals) else 0, 1)
    body = []
    for k in range(0, 5):
        value = round(peak * k / 4, 1)
        y = top + plot_h - plot_h * k / 4
        body.append(f'<line x1="{left}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dbe1" stroke-width="1"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{AXIS}">'
                    f'{value:g}</text>')
    slot = (WIDTH - 8 - left) / max(len(months), 1)
    bar_w = min(slot * 0.6, 64)
    for i, month in enumerate(months):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for category in categories:
            n = int(counts.get((month, category), 0))
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            name = words.term("category", category)
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{category_style(category)["color"]}"><title>{_e(name)}: {n}</title></rect>')
        body.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" '
                    f'fill="{TEXT}">{int(totals[month])}</text>')
        body.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12" '
                    f'fill="{TEXT}">{_e(month_label(month))}</text>')
    for i, category in enumerate(categories):
        x = left + (i % 2) * (WIDTH - left) / 2
        y = top + plot_h + 40 + (i // 2) * legend_row
        body.append(f'<rect x="{x:.1f}" y="{y - 11}" width="14" height="14" fill="{category_style(category)["color"]}"/>')
        body.append(f'<text x="{x + 20:.1f}" y="{y}" font-size="12" fill="{TEXT}">'
                    f'{_e(words.term("category", category))}</text>')
    desc = "; ".join(f"{month_label(m)}: {int(totals[m])}" for m in months)
    return _svg("chart-months", title, desc, height, body)


def city_rate_chart(stats: pd.DataFrame, words) -> str:
    """Alerts per 1,000 households by municipality over the whole period, highest first; SVG text."""
    title = words.label("stats_chart_city")
    by_city = stats.groupby(["city_code", "city"], as_index=False).agg(count=("count", "sum"),
                                                                          households=("households", "first"))
    by_city["rate"] = by_city["count"] * 1000.0 / by_city["households"].where(by_city["households"] > 0)
    by_city = by_city.sort_values(["rate", "city_code"], ascending=[False, True], na_position="last")
    row_h, top, label_w = 24, 8, 170
    height = top + row_h * max(len(by_city), 1) + 8
    peak = float(by_city["rate"].max()) if len(by_city) and pd.notna(by_city["rate"].max()) else 0.0
    peak = peak or 1.0
    plot_w = WIDTH - label_w - 70
    body = []
    lines = []
    for i, row in enumerate(by_city.itertuples(index=False)):
        y = top + i * row_h
        name = words.city(row.city_code, row.city)
        rate = 0.0 if pd.isna(row.rate) else float(row.rate)
        w = max(plot_w * rate / peak, 1.0)
        body.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="{TEXT}">'
                    f'{_e(name)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{RATE_COLOUR}"/>')
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" fill="{TEXT}">{rate:.3f}</text>')
        lines.append(f"{name}: {rate:.3f}")
    return _svg("chart-cities", title, "; ".join(lines), height, body)
