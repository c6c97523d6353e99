"""What each page of the public site shows, in one language: plain dicts for the templates.

Built only from ``app.public_data`` (sent alerts, their published fields and
areas, the statistics) and the privacy ``Policy``: the Japanese pages show the
mail as sent; the other languages show ``drafting.languages.localize`` of the
published fields and point to the Japanese original for the rest.
"""

from __future__ import annotations

import json

import shapely
from shapely.geometry import mapping

from anshin_lab.core.directive import FINEST_PUBLIC_LEVEL
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.render import localize
from anshin_lab.privacy import DEFAULT_POLICY
from anshin_lab.views.public_site.charts import city_rate_chart, monthly_chart
from anshin_lab.views.public_site.wording import format_month, format_sent_at

__all__ = [
    "AREA_DECIMALS", "alert_view", "area_geojson", "category_options", "city_options", "places_view",
    "statistics_view",
]

# Decimals of the published polygons' vertices on the pages (1e-5 degrees, about 1 m): each is a vertex of the area.
AREA_DECIMALS = 5
# Vertices kept on an alert's small map: the polygon is simplified (a subset of its own vertices) to this share of its size.
SIMPLIFY_SHARE = 1 / 400
LADDER = (Granularity.BLOCK, Granularity.CHOME, Granularity.TOWN, Granularity.CITY, Granularity.PREF)


def area_geojson(geometry) -> str:
    """A published area as GeoJSON text for a page's small map: its own vertices, rounded to ``AREA_DECIMALS``.

    The outline is simplified for the page (Douglas–Peucker keeps a subset of
    the polygon's vertices, topology preserved), so every coordinate written
    is a vertex of the published area.
    """
    minx, miny, maxx, maxy = geometry.bounds
    tolerance = max(maxx - minx, maxy - miny) * SIMPLIFY_SHARE
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    if simple.is_empty:
        simple = geometry

    def rounded(value):
        if isinstance(value, (list, tuple)):
            return [rounded(v) for v in value]
        return round(float(value), AREA_DECIMALS)

    shape = mapping(simple)
    return json.dumps({"type": shape["type"], "coordinates": rounded(shape["coordinates"])}, separators=(",", ":"))


def _lines(text: str) -> list[str]:
    return [line for line in str(text or "").splitlines() if line.strip()]


def _area_text(alert, words) -> str:
    city = words.city(alert.city_code, alert.city)
    if alert.area_level >= Granularity.CITY:
        return city
    name = alert.fields.get("area_name") or alert.area_name
    return f"{city}{name}" if words.code in ("ja", "easy") else f"{name}, {city}"


def _area_with_level(alert, words) -> str:
    """The published area with its level: 「鹿児島市本名町(大字・町)」, "本名町, Kagoshima City (Neighbourhood)"."""
    area = _area_text(alert, words)
    if alert.area_level == Granularity.PREF:
        return area
    level = words.level(alert.area_level)
    return f"{area}({level})" if words.code in ("ja", "easy", "zh") else f"{area} ({level})"


def alert_view(alert, words, *, href: str, original_href: str | None = None) -> dict:
    """An alert (``PublishedAlert``) for the list and its page in ``words``' language."""
    japanese = words.code == "ja"
    local = localize(alert.fields, words.code)
    view = {
        "alert_id": alert.alert_id, "category": alert.category, "city_code": alert.city_code, "href": href,
        "category_label": words.term("category", alert.category),
        "title": alert.subject if japanese else local.title,
        "sent": format_sent_at(alert.sent_at, words.code), "sent_iso": alert.sent_at.isoformat(timespec="seconds"),
        "area": _area_with_level(alert, words),
        "level_label": words.level(alert.area_level),
        "summary": [] if japanese else list(local.summary_lines),
        "body_lines": _lines(alert.body) if japanese else _lines(local.body),
        "tips": [] if japanese else [tip for tip in local.tips if tip not in local.body],
        "original_href": None if japanese else original_href,
        "geojson": area_geojson(alert.geometry),
        "followups": [],
    }
    for followup in alert.followups:
        local_f = None if japanese else localize(followup.fields, words.code)
        view["followups"].append({
            "alert_id": followup.alert_id,
            "outcome": words.term("outcome", followup.outcome) if followup.outcome else "",
            "title": followup.subject if japanese else local_f.title,
            "sent": format_sent_at(followup.sent_at, words.code), "sent_iso": followup.sent_at.isoformat(timespec="seconds"),
            "body_lines": _lines(followup.body) if japanese else _lines(local_f.body),
        })
    return view


def category_options(items, words) -> list[dict]:
    """The categories present, in the directive's order, for the list's filter."""
    present = {a.category for a in items}
    codes = [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))
    return [{"value": c, "label": words.term("category", c)} for c in codes]


def city_options(items, words) -> list[dict]:
    """The municipalities present (the whole prefecture first), by code, for the list's filter."""
    cities = sorted({(a.city_code, a.city) for a in items}, key=lambda c: (len(c[0]) > 2, c[0]))
    return [{"value": code, "label": words.city(code, name)} for code, name in cities]


def statistics_view(stats, words) -> dict:
    """The statistics page: its table rows, total and the two charts, in ``words``' language."""
    rows = [{
        "city_code": row.city_code, "city": words.city(row.city_code, row.city), "month": row.month,
        "month_label": format_month(row.month, words), "category": row.category,
        "category_label": words.term("category", row.category), "count": int(row.count),
        "households": f"{int(row.households):,}",
        "per_1000": "" if row.per_1000_households != row.per_1000_households else f"{row.per_1000_households:.3f}",
    } for row in stats.itertuples(index=False)]
    view = {"rows": rows, "total": int(stats["count"].sum()) if len(stats) else 0}
    if rows:
        view["monthly_chart"] = monthly_chart(stats, words, lambda m: format_month(m, words))
        view["city_chart"] = city_rate_chart(stats, words)
    return view


def places_view(items, words, policy=DEFAULT_POLICY) -> dict:
    """The page on how places are coarsened: every number and level from ``policy`` and the directive."""
    text = words.places
    level = words.level
    rules = [
        text["rule_k"].format(k=policy.min_households),
        text["rule_block"].format(block=level(Granularity.BLOCK), chome=level(Granularity.CHOME),
                                  n=policy.block_min_chome_households),
        text["rule_minor"].format(level=level(policy.minor_level)),
        text["rule_home"].format(level=level(policy.home_level)),
        text["rule_facility"].format(level=level(policy.facility_level)),
        text["rule_repeat"].format(level=level(policy.repeat_level)),
        text["rule_sensitive"].format(level=level(policy.sensitive_level)),
        text["rule_map"].format(block=level(Granularity.BLOCK), chome=level(Granularity.CHOME)),
        text["rule_time"],
    ]
    counts = {}
    for alert in items:
        counts[alert.level] = counts.get(alert.level, 0) + 1
    return {
        "intro": text["intro"].format(finest=level(FINEST_PUBLIC_LEVEL)),
        "ladder": [level(rung) for rung in LADDER if rung >= FINEST_PUBLIC_LEVEL],
        "rules": rules,
        "level_counts": [{"level": level(rung), "count": counts.get(rung, 0)} for rung in LADDER],
    }
