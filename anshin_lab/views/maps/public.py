"""The public map of sent alerts: each alert's coarsened area and public text, never an incident's point.

What may be published: the coarsened area of each decision (polygon and
representative point) and its public text; never an incident's point,
address or any other internal field. ``render_public_map`` draws the alerts
the workflow released into ``reports/public_map.html``.
"""

from __future__ import annotations

from pathlib import Path

import folium
import numpy as np
import pandas as pd

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.directive import PREF_CODE, consent_refused
from anshin_lab.core.errors import DataError
from anshin_lab.core.glossary import CATEGORIES, category_code
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.settings import PROJECT_ROOT
from anshin_lab.privacy import Decision, PrivacyError, assess
from anshin_lab.storage import store
from anshin_lab.views.maps.assets import MapCall, MapError, save
from anshin_lab.views.maps.basemap import (
    base_map,
    category_style,
    encode_point,
    encoded_layer,
    finish_map,
    focus,
    ordered_categories,
    resolve_areas,
)
from anshin_lab.workflow import alerts

__all__ = ["assess_publishable", "public_map", "published_map", "render_public_map"]

# The only fields of a decision's public info that reach the public map.
PUBLIC_INFO_KEYS = ("category", "date", "title", "text")
PUBLIC_FILENAME = "public_map.html"


def public_map(decisions, *, areas=None, title: str = "県警あんしんメール 発信情報の地図",
               tile_url: str | None = None, tile_attribution: str | None = None,
               skip_withheld: bool = False) -> folium.Map:
    """The map that may be published: each alert's coarsened area and public text, nothing finer.

    Each decision is drawn as the polygon of its published area — the 町丁目
    (also for BLOCK, whose public text names the 街区), 大字・町, 市区町村 or
    the prefecture, from ``decision.area_code`` at the decision's level — and
    that polygon's representative point, with a popup listing the alerts
    there. The incident's point, address, reasons and any other internal
    field are never read, so they cannot reach the HTML.

    The caller chooses which decisions to show: those of approved or sent
    alerts (or, until the workflow exists, ones passed explicitly), and only
    where consent allows (``threat`` needs the victim's or guardian's
    consent, ``missing`` the 公表要請書): this function does not see consent.

    Parameters
    ----------
    decisions : iterable
        ``privacy.Decision`` objects, or ``(decision, info)`` pairs where
        ``info`` is a mapping with only these public keys: ``category`` (code
        or Japanese name), ``date`` (shown to the day), ``title`` and
        ``text`` (the alert's public wording; the caller has linted it).
    areas : AreaSet, optional
        The AreaSet the decisions were assessed with; the default workspace's when None.
    title, tile_url, tile_attribution
        As for ``base_map``.
    skip_withheld : bool
        Leave out decisions with ``send_recommended`` False instead of raising.

    Raises
    ------
    PrivacyError
        A decision advises not sending (unless ``skip_withheld``), a decision
        is at the EXACT level, or ``info`` holds a key that is not public.
    MapError
        A decision's area is not in ``areas``.
    """
    area_set = resolve_areas(areas)
    layers: dict[Granularity, pd.DataFrame] = {}
    grouped: dict[tuple, list] = {}
    for item in decisions:
        decision, info = _decision_and_info(item)
        if not decision.send_recommended:
            if skip_withheld:
                continue
            raise PrivacyError(f"「{decision.public_text}」は配信しない判定です。公開用の地図には載せられません"
                               f"(除くには skip_withheld=True)")
        level, code = _published_area(decision, area_set, layers)
        category = category_code(info["category"]) if info.get("category") is not None else None
        if info.get("category") is not None and category is None:
            raise DataError(f"分類「{info['category']}」が分かりません(分類は {', '.join(CATEGORIES.values())})")
        day = _public_day(info.get("date"))
        grouped.setdefault((level, code, category), []).append(
            (day[0], [day[1], decision.public_text, _text(info.get("title")), _text(info.get("text"))]))

    features, bounds, points = [], [], []
    # Coarse areas first, so the finer ones are drawn on top of them.
    for (level, code, category), alerts in sorted(grouped.items(), key=lambda kv: (-kv[0][0], kv[0][1], str(kv[0][2]))):
        row = layers[level].loc[code]
        alerts.sort(key=lambda a: a[0], reverse=True)
        point = row.geometry.representative_point()
        # The popup names the place as the mail did (the alerts' public text), not the area's
        # statistical name (「志布志市志布志2丁目(2~)」).
        features.append({
            "c": category,
            "g": encoded_layer(area_set, level)[code],
            "p": encode_point(point),
            "level": level.label,
            "alerts": [a[1] for a in alerts],
        })
        bounds.append(row.geometry.bounds)
        points.append((point.x, point.y, len(alerts)))
    view = None
    if bounds:
        b, xyw = np.array(bounds), np.array(points)
        b = b[focus(area_set, xyw[:, 0], xyw[:, 1], xyw[:, 2])]
        view = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    payload = {
        "categories": [category_style(c) for c in ordered_categories(f["c"] for f in features)],
        "areas": features,
    }
    m = base_map(area_set, title=title, bounds=view, tile_url=tile_url, tile_attribution=tile_attribution,
                 plugins=("markercluster",))
    m.add_child(MapCall("addPublicAreas", payload))
    return finish_map(m, {"kind": "public", "title": title,
                       "subtitle": "発生場所は町丁目・大字・市区町村などの範囲で示しています(正確な地点ではありません)"})


def _decision_and_info(item) -> tuple[Decision, dict]:
    if isinstance(item, Decision):
        return item, {}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Decision):
        decision, info = item
        info = dict(info or {})
        extra = sorted(set(info) - set(PUBLIC_INFO_KEYS))
        if extra:
            raise PrivacyError(f"公開用の地図に載せられない項目が渡されました: {', '.join(map(str, extra))}"
                               f"(使えるのは {', '.join(PUBLIC_INFO_KEYS)} だけです)")
        return decision, info
    raise TypeError(f"public_map takes privacy.Decision objects or (Decision, info) pairs, not {type(item).__name__}")


def _published_area(decision: Decision, area_set, layers: dict) -> tuple[Granularity, str]:
    """The level and code of the area drawn for a decision: never finer than the 町丁目.

    ``layers`` caches the AreaSet's layers by level, indexed by area code.
    """
    level = Granularity(decision.level)
    if level == Granularity.EXACT:
        raise PrivacyError("号・地点の粒度の判定は公開用の地図に載せられません")
    area_level = max(level, Granularity.CHOME)
    code = decision.area_code if decision.area_code is not None else decision.codes.get(area_level)
    if code is None:
        area_level, code = Granularity.PREF, PREF_CODE
    code = str(code)
    if area_level not in layers:
        layers[area_level] = area_set.layer(area_level).set_index("area_code")
    if code not in layers[area_level].index:
        raise MapError(f"{area_level.label}「{code}」が地域データにありません"
                       f"(判定に使った作業領域の地域データを areas に渡してください)")
    return area_level, code


def _public_day(value) -> tuple:
    """(sort key, 「2025年12月1日」) for a date, or (None-sorting key, "") when there is none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return (pd.Timestamp.min, "")
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Tokyo").tz_localize(None)
    return (stamp.normalize(), f"{stamp.year}年{stamp.month}月{stamp.day}日")


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def render_public_map(workspace=None, since=None, out=None) -> Path:
    """Write the public map of a workspace's sent alerts; returns the file written (``reports/public_map.html``).

    Only alerts the workflow released (sent or closed) appear — each at the
    area and with the public text that was mailed — so nothing judged not to
    be sent, or lacking consent, can reach it. ``since`` keeps alerts sent
    from that date on.
    """
    path = Path(out).expanduser() if out is not None else PROJECT_ROOT / "reports" / PUBLIC_FILENAME
    return save(published_map(workspace, since), path)


def published_map(workspace=None, since=None) -> folium.Map:
    """The public map of a workspace's sent alerts, as ``anshin map public`` writes it (for notebooks too).

    Only alerts the workflow released (sent or closed, follow-ups drawn with
    their original) appear, each at the area and with the public text that
    was mailed. ``since`` keeps alerts sent from that date on.
    """
    ws = require_workspace(workspace)
    area_set = load_areas(ws.root)
    engine = store.connect(ws.database_url)
    try:
        pairs = alerts.published_decisions(engine, area_set)
    finally:
        engine.dispose()
    if since is not None:
        cutoff = pd.Timestamp(since)
        cutoff = cutoff.tz_localize("Asia/Tokyo") if cutoff.tzinfo is None else cutoff
        pairs = [(d, info) for d, info in pairs if info["date"] >= cutoff]
    return public_map(pairs, areas=area_set, tile_url=ws.settings.tile_url)


def assess_publishable(incidents: pd.DataFrame, areas) -> list[tuple[Decision, dict]]:
    """(decision, public info) for the incidents a public map may show before the workflow exists.

    Keeps incidents whose ``consent`` is not 「なし」 and whose
    ``privacy.assess`` decision recommends sending; the info is the
    category and the date. A stand-in: once alerts are approved and sent,
    the public map shows those instead. Takes about 5 ms an incident
    (``assess`` places each one on its own).
    """
    pairs = []
    for row in pd.DataFrame(incidents).drop(columns="geometry", errors="ignore").to_dict("records"):
        if consent_refused(row.get("consent")):
            continue
        decision = assess(row, areas)
        if decision.send_recommended:
            pairs.append((decision, {"category": row["category"], "date": row["occurred_at"]}))
    return pairs
