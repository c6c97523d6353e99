"""CAP 1.2 messages of published alerts: one message per sent alert, in every language, checked before written.

The OASIS Common Alerting Protocol (CAP) 1.2 is what feeds such as Lアラート
and Yahoo!防災速報 read. Each sent alert becomes one ``<alert>``: an original
is ``Alert``; a follow-up or a correction is ``Update`` (検挙・指導警告・訂正)
or ``Cancel`` (事件性なし・発見: nothing is to be done any more), and
``references`` names the original and every earlier follow-up
(``sender,identifier,sent`` each). One ``<info>`` per language, its event,
headline and description rendered from the alert's published fields by
``drafting.languages`` (``localize``; never a record's free text). The area is
the polygon of the published area (closed rings of ``lat,lon`` pairs, WGS84)
— grown outward before it is simplified, so it never outlines anything finer
than what was published — and the municipality's JIS X 0402 code as
``geocode``.

Every message is validated against the OASIS schema vendored in
``schemas/CAP-v1.2.xsd`` (see ``schemas/README.md``); a message that fails
raises ``CapError`` and nothing should be written.

Pure: takes published alerts (``app.public_data.PublishedAlert`` or anything
with the same attributes) and returns bytes.

Examples
--------
>>> cap_time(pd.Timestamp("2026-11-30 07:10:05", tz="UTC"))
'2026-11-30T16:10:05+09:00'
>>> cap_identifier("anshin@example.jp", 24, pd.Timestamp("2026-11-30 16:10", tz="Asia/Tokyo"))
'example.jp.anshin.24.20261130161000'
>>> from shapely.geometry import box
>>> area_polygons(box(130.5, 31.5, 130.51, 31.51))[0].split()[0]
'31.4999820,130.5100211'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import pyproj
import shapely
from lxml import etree
from shapely.geometry import Polygon

from anshin_lab.core.clock import TOKYO
from anshin_lab.core.directive import POLICE_NAME, PREF_CODE, SETTLING_OUTCOMES
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.drafting.languages.codes import LANGUAGES
from anshin_lab.drafting.languages.render import localize, place, term
from anshin_lab.drafting.languages.tables import stations

__all__ = [
    "CAP_NAMESPACE", "LANGUAGE_TAGS", "CapError", "CapMessage", "area_polygons", "cap_identifier", "cap_time",
    "parse_polygon", "render_messages", "validate_cap",
]

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_NAME = "CAP-v1.2.xsd"
# CAP's <language> is an RFC 3066 tag; やさしい日本語 has no registered subtag, so a private-use one.
LANGUAGE_TAGS = {"ja": "ja-JP", "easy": "ja-JP-x-easy", "en": "en", "zh": "zh-Hans", "ko": "ko", "vi": "vi"}
# CAP's terms for each category of the directive: category, urgency, severity, certainty.
# Security: law enforcement; Rescue: a search for a person. A fugitive is urgent (the directive's urgent path).
CAP_TERMS = {
    "threat": ("Security", "Future", "Moderate", "Observed"),
    "fugitive": ("Security", "Immediate", "Severe", "Observed"),
    "fraud": ("Security", "Future", "Minor", "Observed"),
    "community": ("Safety", "Future", "Minor", "Observed"),
    "missing": ("Rescue", "Expected", "Moderate", "Observed"),
}
OTHER_TERMS = ("Safety", "Unknown", "Unknown", "Unknown")  # a category added later, until it has its own
# A follow-up's message type: Cancel where nothing is to be done any more; the others update the alert.
FOLLOWUP_MSG_TYPES = {"検挙": "Update", "指導警告": "Update", "訂正": "Update", "事件性なし": "Cancel", "発見": "Cancel"}
SETTLED_RESPONSE = "AllClear"  # the responseType of a follow-up that settles the alert (directive.SETTLING_OUTCOMES)
GEOCODE_MUNICIPALITY = "JIS X0402"  # 全国地方公共団体コード (5 digits, no check digit)
GEOCODE_PREFECTURE = "JIS X0401"  # an alert to the whole prefecture
EVENT_CODE = "anshin-category"  # the category's code, for machines
# Polygons: at most this many vertices per message; grown by the first of these that fits, in metres.
MAX_VERTICES = 1000
OUTWARD_STEPS_M = (2.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0)
DECIMALS = 7  # about 1 cm: rounding never undoes the growth (at least 2 m)


class CapError(AnshinError):
    """A CAP message that cannot be made or does not validate; nothing is written."""


@dataclass(frozen=True)
class CapMessage:
    """One CAP message: its identity, what it references, and its XML (UTF-8, validated)."""

    alert_id: int
    identifier: str
    sender: str
    sent: str  # CAP time, 「2026-11-30T16:10:05+09:00」
    msg_type: str  # Alert / Update / Cancel
    references: tuple[str, ...]
    headline: str  # the Japanese headline (for the Atom index)
    category: str
    xml: bytes

    @property
    def reference(self) -> str:
        """How a later message references this one: 「sender,identifier,sent」."""
        return f"{self.sender},{self.identifier},{self.sent}"


def cap_time(stamp) -> str:
    """A CAP date-time: Asia/Tokyo with its offset, seconds, no fraction (「2026-11-30T16:10:05+09:00」)."""
    stamp = pd.Timestamp(stamp)
    stamp = stamp.tz_localize(TOKYO) if stamp.tzinfo is None else stamp.tz_convert(TOKYO)
    text = stamp.floor("s").strftime("%Y-%m-%dT%H:%M:%S%z")
    return f"{text[:-2]}:{text[-2:]}"


def cap_identifier(sender: str, alert_id: int, sent_at) -> str:
    """A message's identifier, the same on every run: the sender's domain, the alert and its sending time.

    No spaces, commas, ``<`` or ``&`` (CAP 1.2 §3.2.1).
    """
    domain = str(sender).rpartition("@")[2]
    stamp = pd.Timestamp(cap_time(sent_at))
    return f"{domain}.anshin.{int(alert_id)}.{stamp:%Y%m%d%H%M%S}"


# -- the area --------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _transformers() -> tuple[pyproj.Transformer, pyproj.Transformer]:
    to_metric = pyproj.Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    return to_metric, pyproj.Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)


def area_polygons(geometry, *, max_vertices: int = MAX_VERTICES) -> list[str]:
    """The published area as CAP polygons: ``lat,lon`` pairs, closed rings, covering the whole area.

    ``geometry`` is the published area (a shapely Polygon or MultiPolygon,
    WGS84 lon/lat). Each part's outer ring is kept (holes are filled: never
    a finer outline); the area is grown outward by 2 m — or by the first of
    ``OUTWARD_STEPS_M`` that brings it under ``max_vertices``; a sharp corner
    reaches at most twice that — and then simplified by half that, so the
    rings still cover every point of the published area and reach no more
    than 2.5 steps beyond it (and the sea between islands it joins). Raises
    ``CapError`` when the area is empty or the result would not cover it.
    """
    if geometry is None or geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise CapError("CAP の範囲にする公表範囲(多角形)がありません(公表範囲のない配信は CAP にできません)")
    to_metric, to_wgs = _transformers()
    metric = shapely.transform(geometry, lambda xy: _apply(to_metric, xy))
    for step in OUTWARD_STEPS_M:
        grown = metric.buffer(step, join_style="mitre", mitre_limit=2.0).simplify(step / 2)
        rings = [Polygon(part.exterior) for part in getattr(grown, "geoms", [grown]) if not part.is_empty]
        if sum(len(r.exterior.coords) for r in rings) <= max_vertices:
            break
    else:
        rings = [Polygon(metric.convex_hull.buffer(OUTWARD_STEPS_M[-1]).simplify(OUTWARD_STEPS_M[-1] / 2).exterior)]
    texts, shapes = [], []
    for ring in rings:
        lonlat = shapely.transform(ring, lambda xy: _apply(to_wgs, xy))
        coords = [(round(lat, DECIMALS), round(lon, DECIMALS)) for lon, lat in lonlat.exterior.coords]
        if coords[0] != coords[-1]:
            coords.append(coords[0])
        texts.append(" ".join(f"{lat:.{DECIMALS}f},{lon:.{DECIMALS}f}" for lat, lon in coords))
        shapes.append(Polygon([(lon, lat) for lat, lon in coords]))
    if not shapely.union_all(shapes).covers(geometry):
        raise CapError("CAP の範囲が公表範囲を覆いきれません(公表範囲より細かい範囲は出せません)")
    return texts


def _apply(transformer: pyproj.Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def parse_polygon(text: str) -> Polygon:
    """A CAP polygon (「lat,lon lat,lon …」) as a shapely Polygon in lon/lat; ``CapError`` when malformed.

    CAP 1.2 §3.2.4: at least four pairs, the first and last the same.
    """
    try:
        pairs = [tuple(float(v) for v in pair.split(",")) for pair in str(text).split()]
    except ValueError as exc:
        raise CapError(f"CAP の polygon に数でない値があります: {exc}") from exc
    if len(pairs) < 4 or any(len(p) != 2 for p in pairs) or pairs[0] != pairs[-1]:
        raise CapError("CAP の polygon は4組以上の「緯度,経度」で、最初と最後が同じ点でなければなりません")
    if not all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in pairs):
        raise CapError("CAP の polygon の緯度・経度が範囲外です(緯度,経度の順に書きます)")
    return Polygon([(lon, lat) for lat, lon in pairs])


# -- the messages ----------------------------------------------------------------------------------

def render_messages(published, *, sender: str, web=None, languages=None) -> list[CapMessage]:
    """The CAP messages of one published alert: the original's, then each follow-up's, oldest first.

    ``published`` has the attributes of ``app.public_data.PublishedAlert``:
    ``alert_id``, ``category``, ``sent_at``, ``fields`` (published fields),
    ``geometry`` (the published area, WGS84), ``city_code``, ``public_text``
    and ``followups`` (each with ``alert_id``, ``outcome``, ``sent_at``,
    ``fields``). Follow-ups publish the original's area. ``sender`` is the
    service's address on the directive's sender domain; ``web`` gives the
    page about the alert in a language (``web(code) -> URL``), if there is
    one. ``languages``: the language codes, all of
    ``drafting.languages.LANGUAGES`` by default. Raises ``CapError`` when a
    message cannot be made or does not validate.
    """
    codes = tuple(languages or LANGUAGES)
    polygons = area_polygons(published.geometry)
    geocode = _geocode(published.city_code)
    messages: list[CapMessage] = []
    steps = [(published.alert_id, None, published.sent_at, published.fields)]
    steps += [(f.alert_id, f.outcome, f.sent_at, f.fields) for f in published.followups]
    for alert_id, outcome, sent_at, fields in steps:
        identifier = cap_identifier(sender, alert_id, sent_at)
        msg_type = "Alert" if not messages else FOLLOWUP_MSG_TYPES.get(str(outcome), "Update")
        references = tuple(m.reference for m in messages)
        infos = [dict(_info_values(published, fields, outcome, code), web=web(code) if web else None)
                 for code in codes]
        xml = _alert_xml(identifier=identifier, sender=sender, sent=cap_time(sent_at), msg_type=msg_type,
                         references=references, outcome=outcome, infos=infos, polygons=polygons, geocode=geocode)
        validate_cap(xml, what=f"配信 #{alert_id}")
        messages.append(CapMessage(int(alert_id), identifier, sender, cap_time(sent_at), msg_type, references,
                                   infos[0]["headline"], published.category, xml))
    return messages


def _geocode(city_code) -> tuple[str, str]:
    code = str(city_code or PREF_CODE)
    return (GEOCODE_PREFECTURE, code) if code == PREF_CODE else (GEOCODE_MUNICIPALITY, code)


def _info_values(published, fields: dict, outcome, code: str) -> dict:
    """What one language's ``<info>`` says, from the published fields only (``localize``, the word tables)."""
    fields = dict(fields or {})
    rendered = localize(fields, code)
    category = published.category
    cap_category, urgency, severity, certainty = CAP_TERMS.get(category, OTHER_TERMS)
    station = stations().get(str(fields.get("station") or ""), {})
    values = {
        "language": LANGUAGE_TAGS.get(code, code), "category": cap_category,
        "event": term("category", category, code) or rendered.title, "urgency": urgency, "severity": severity,
        "certainty": certainty, "response": "Monitor" if outcome is None else None, "event_code": category,
        "sender_name": station.get(code) or POLICE_NAME, "headline": rendered.subject[:160],
        "description": rendered.body, "area_desc": place(fields, code) or published.public_text,
    }
    if outcome in SETTLING_OUTCOMES:
        values.update(urgency="Past", severity="Minor", response=SETTLED_RESPONSE)
    return values


def _alert_xml(*, identifier, sender, sent, msg_type, references, outcome, infos, polygons, geocode) -> bytes:
    """The ``<alert>`` element, children in the order of the schema's sequence."""
    cap = f"{{{CAP_NAMESPACE}}}"
    root = etree.Element(cap + "alert", nsmap={None: CAP_NAMESPACE})

    def add(parent, name, text):
        element = etree.SubElement(parent, cap + name)
        element.text = str(text)
        return element

    for name, text in (("identifier", identifier), ("sender", sender), ("sent", sent), ("status", "Actual"),
                       ("msgType", msg_type), ("scope", "Public")):
        add(root, name, text)
    if outcome is not None:
        add(root, "note", f"続報: {outcome}")
    if references:
        add(root, "references", " ".join(references))
    for values in infos:
        info = etree.SubElement(root, cap + "info")
        for name in ("language", "category", "event"):
            add(info, name, values[name])
        if values["response"]:
            add(info, "responseType", values["response"])
        for name in ("urgency", "severity", "certainty"):
            add(info, name, values[name])
        event_code = etree.SubElement(info, cap + "eventCode")
        add(event_code, "valueName", EVENT_CODE)
        add(event_code, "value", values["event_code"])
        add(info, "effective", sent)
        for name, key in (("senderName", "sender_name"), ("headline", "headline"), ("description", "description")):
            add(info, name, values[key])
        if values["web"]:
            add(info, "web", values["web"])
        area = etree.SubElement(info, cap + "area")
        add(area, "areaDesc", values["area_desc"])
        for polygon in polygons:
            add(area, "polygon", polygon)
        code = etree.SubElement(area, cap + "geocode")
        add(code, "valueName", geocode[0])
        add(code, "value", geocode[1])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@functools.lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    source = resources.files("anshin_lab.drafting").joinpath("schemas", SCHEMA_NAME)
    with resources.as_file(source) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def validate_cap(xml: bytes, *, what: str = "CAP メッセージ") -> None:
    """Check ``xml`` against the OASIS CAP 1.2 schema; ``CapError`` naming the first problem when it fails."""
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise CapError(f"{what}の CAP が XML として読めません: {exc}") from exc
    schema = _schema()
    if not schema.validate(document):
        first = schema.error_log[0] if len(schema.error_log) else None
        detail = f"{first.line}行目: {first.message}" if first is not None else "理由不明"
        raise CapError(f"{what}の CAP が CAP 1.2 のスキーマに合いません({detail})。ファイルは書いていません")
