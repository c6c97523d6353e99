"""CAP 1.2: every message validates (OASIS schema, with xmlschema), is read back by an independent parser
(capparser, from PyPI), outlines exactly its published area, and follow-ups reference what they update."""

from __future__ import annotations

import dataclasses
import doctest
from importlib import resources

import capparser
import numpy as np
import pyproj
import pytest
import shapely
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from shapely.geometry import Polygon, box

from anshin_lab.app import cap_feed
from anshin_lab.app.public_data import published_alerts
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.drafting import cap
from anshin_lab.drafting.languages.codes import LANGUAGES

from .published_samples import SENDER, missing_alert, sample_alerts, threat_alert

CAP_NS = {"cap": cap.CAP_NAMESPACE}
ATOM_NS = {"a": cap_feed.ATOM_NAMESPACE}
TO_METRIC = pyproj.Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)


@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    with resources.as_file(resources.files("anshin_lab.drafting") / "schemas" / "CAP-v1.2.xsd") as path:
        return xmlschema.XMLSchema(str(path))


# -- independent checks (capparser and shapely, not drafting.cap) ------------------------------------

def listed(pair) -> list:
    """capparser keeps (value, order): a repeated element's value is a list, a single one its text."""
    value = pair[0]
    return list(value) if isinstance(value, list) else ([] if value is None else [value])


def read_back(xml: bytes):
    """The message as capparser reads it."""
    return capparser.parse(stringXML=xml.decode("utf-8"))


def polygons_of(alert) -> list[list[Polygon]]:
    """Per ``<info>``, its areas' polygons, parsed here from the 「lat,lon …」 text."""
    found = []
    for info in listed(alert.info):
        shapes = []
        for area in listed(info.area):
            for text in listed(area.polygon):
                pairs = [tuple(float(v) for v in pair.split(",")) for pair in text.split()]
                assert len(pairs) >= 4 and pairs[0] == pairs[-1], "a CAP polygon is a closed ring of 4+ pairs"
                shapes.append(Polygon([(lon, lat) for lat, lon in pairs]))
            assert not listed(area.circle), "a circle is a point and a radius: never published"
        found.append(shapes)
    return found


def metres(geometry):
    return shapely.transform(geometry, lambda xy: np.column_stack(TO_METRIC.transform(xy[:, 0], xy[:, 1])))


def assert_outlines(shapes: list[Polygon], area, *, within_m: float) -> None:
    """The polygons cover the whole published area and reach no further than ``within_m`` beyond it."""
    union = shapely.union_all(shapes)
    assert union.covers(area), "the CAP area leaves out part of the published area (a finer area)"
    vertices = np.concatenate([np.asarray(shape.exterior.coords) for shape in shapes])
    reach = shapely.distance(metres(area), shapely.points(*TO_METRIC.transform(vertices[:, 0], vertices[:, 1]))).max()
    assert reach <= within_m, f"the CAP area reaches {reach:.0f} m beyond the published area"


def references_of(alert) -> list[str]:
    text = alert.references[0]
    return text.split() if text else []


def assert_references(messages: list[cap.CapMessage]) -> None:
    """The first message is an Alert; every later one references every message before it, as written there."""
    parsed = [read_back(m.xml) for m in messages]
    assert parsed[0].msgType[0] == "Alert" and not references_of(parsed[0])
    for i, alert in enumerate(parsed[1:], 1):
        assert alert.msgType[0] in ("Update", "Cancel")
        wanted = [f"{p.sender[0]},{p.identifier[0]},{p.sent[0]}" for p in parsed[:i]]
        assert references_of(alert) == wanted, f"message {i} does not reference the messages it updates"


# -- fast: alerts made by hand ---------------------------------------------------------------------

def test_the_module_examples_run():
    assert doctest.testmod(cap).failed == 0


def test_each_message_validates_against_the_oasis_schema_and_a_broken_one_does_not(xsd):
    messages = [m for a in sample_alerts() for m in cap.render_messages(a, sender=SENDER)]
    assert len(messages) == 5  # two originals, a correction, an arrest, a found person
    for message in messages:
        xsd.validate(message.xml.decode("utf-8"))
    broken = messages[0].xml.replace(b"<urgency>Future</urgency>", b"<urgency>Soon</urgency>")
    assert broken != messages[0].xml
    assert not xsd.is_valid(broken.decode("utf-8"))
    with pytest.raises(cap.CapError, match="スキーマ"):
        cap.validate_cap(broken)


def test_follow_ups_update_or_cancel_and_reference_every_earlier_message():
    threat = cap.render_messages(threat_alert(), sender=SENDER)
    assert [m.msg_type for m in threat] == ["Alert", "Update", "Update"]  # 訂正, then 検挙
    assert_references(threat)
    found = cap.render_messages(missing_alert(), sender=SENDER)
    assert [m.msg_type for m in found] == ["Alert", "Cancel"]  # 発見: nothing is asked of anyone any more
    assert_references(found)
    assert b"<responseType>AllClear</responseType>" in found[1].xml
    # The check fails on a writer that drops the references of an update.
    stripped = dataclasses.replace(threat[2], xml=etree.tostring(_without(threat[2].xml, "references")))
    with pytest.raises(AssertionError):
        assert_references([*threat[:2], stripped])


def _without(xml: bytes, name: str):
    root = etree.fromstring(xml)
    for element in root.findall(f"cap:{name}", CAP_NS):
        root.remove(element)
    return root


def test_every_language_is_one_info_read_back_by_an_independent_parser():
    alert = threat_alert()
    message = cap.render_messages(alert, sender=SENDER)[0]
    parsed = read_back(message.xml)
    assert parsed.identifier[0] == message.identifier and parsed.sender[0] == SENDER
    assert parsed.status[0] == "Actual" and parsed.scope[0] == "Public"
    infos = listed(parsed.info)
    assert [i.language[0] for i in infos] == [cap.LANGUAGE_TAGS[code] for code in LANGUAGES]
    assert len({i.language[0] for i in infos}) == len(LANGUAGES)
    for info in infos:
        assert info.headline[0] and info.description[0] and info.event[0]
        (area,) = listed(info.area)
        (geocode,) = listed(area.geocode)
        assert (geocode.valueName[0], geocode.value[0]) == ("JIS X0402", "46201")
    english = infos[list(LANGUAGES).index("en")]
    assert "Kagoshima" in listed(english.area)[0].areaDesc[0]


def test_areas_are_the_published_polygons_and_never_finer():
    for alert in sample_alerts():
        message = cap.render_messages(alert, sender=SENDER)[0]
        for shapes in polygons_of(read_back(message.xml)):
            assert len(shapes) == len(getattr(alert.geometry, "geoms", [alert.geometry]))
            assert_outlines(shapes, alert.geometry, within_m=10)
    # The check fails on a writer that publishes a small area around a point inside the published one.
    area = threat_alert().geometry
    point = area.representative_point()
    with pytest.raises(AssertionError, match="finer"):
        assert_outlines([point.buffer(0.002)], area, within_m=10)
    # ... and on one that publishes a much larger area (the wrong one).
    with pytest.raises(AssertionError, match="beyond"):
        assert_outlines([area.envelope.buffer(0.05)], area, within_m=10)


polygons = st.lists(
    st.tuples(st.floats(130.0, 131.0), st.floats(31.0, 32.0), st.floats(0.0005, 0.05), st.floats(0.0005, 0.05)),
    min_size=1, max_size=6,
).map(lambda boxes: shapely.union_all([box(x, y, x + w, y + h) for x, y, w, h in boxes]))


@settings(max_examples=40, deadline=None)
@given(polygons, st.integers(8, 400))
def test_simplified_areas_only_grow(area, max_vertices):
    texts = cap.area_polygons(area, max_vertices=max(max_vertices, 4 * len(getattr(area, "geoms", [area]))))
    shapes = [cap.parse_polygon(t) for t in texts]
    assert shapely.union_all(shapes).covers(area)
    for text in texts:
        lat, lon = map(float, text.split()[0].split(","))
        assert 31.0 - 0.1 <= lat <= 32.1 and 130.0 - 0.1 <= lon <= 131.1  # latitude first (CAP §3.2.4)


def test_identifiers_and_files_are_the_same_on_every_run(tmp_path):
    first = cap_feed.write_cap_feed(None, tmp_path / "a", alerts_list=sample_alerts())
    second = cap_feed.write_cap_feed(None, tmp_path / "b", alerts_list=sample_alerts())
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    for message in cap.render_messages(threat_alert(), sender=SENDER):
        assert not set(message.identifier) & set(" ,<&")


def test_a_message_that_does_not_validate_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.setitem(cap.CAP_TERMS, "missing", ("Rescue", "Soon", "Moderate", "Observed"))
    with pytest.raises(cap.CapError, match="ファイルは書いていません"):
        cap_feed.write_cap_feed(None, tmp_path / "cap", alerts_list=sample_alerts())
    assert not (tmp_path / "cap").exists()


def test_the_atom_index_lists_every_message_and_stale_files_go(tmp_path):
    out = tmp_path / "cap"
    out.mkdir()
    (out / "alert-99.xml").write_text("an alert no longer published", encoding="utf-8")
    written = cap_feed.write_cap_feed(None, out, base_url="https://example.jp/anshin", alerts_list=sample_alerts())
    assert written[-1].name == cap_feed.ATOM_NAME
    feed = etree.parse(str(written[-1]))
    entries = feed.findall("a:entry", ATOM_NS)
    assert len(entries) == len(written) - 1 == 5
    links = [e.find("a:link", ATOM_NS).get("href") for e in entries]
    assert sorted(links) == sorted(f"https://example.jp/anshin/cap/{p.name}" for p in written[:-1])
    assert len({e.findtext("a:id", namespaces=ATOM_NS) for e in entries}) == 5
    assert not (out / "alert-99.xml").exists()
    web = read_back(written[0].read_bytes()).info[0][0].web[0]
    assert web.startswith("https://example.jp/anshin/ja/alerts/")


# -- the demo ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_demo_message_validates_reads_back_and_outlines_its_published_area(demo_workspace, tmp_path, xsd):
    ws, _ = demo_workspace
    items = published_alerts(ws.root)
    written = cap_feed.write_cap_feed(ws, tmp_path / "cap")
    files = {p.name: p for p in written if p.suffix == ".xml"}
    assert len(files) == sum(1 + len(a.followups) for a in items)
    assert any(a.followups for a in items), "the demo sends at least one follow-up"
    for alert in items:
        chain = [cap_feed.cap_file_name(alert.alert_id)] + [cap_feed.cap_file_name(f.alert_id) for f in alert.followups]
        messages = []
        for name in chain:
            xml = files[name].read_bytes()
            xsd.validate(xml.decode("utf-8"))
            parsed = read_back(xml)
            messages.append(cap.CapMessage(0, parsed.identifier[0], parsed.sender[0], parsed.sent[0],
                                           parsed.msgType[0], (), "", alert.category, xml))
            # 2 m out (sharp corners 4 m) where the area has few vertices; the whole prefecture (5,000 vertices,
            # 59 islands) grows by 500 m, and the sea between islands it joins is filled: never a finer area.
            within = 10 if shapely.get_num_coordinates(alert.geometry) <= cap.MAX_VERTICES // 2 else 2500
            for shapes in polygons_of(parsed):
                assert_outlines(shapes, alert.geometry, within_m=within)
            for info in listed(parsed.info):
                (geocode,) = listed(listed(info.area)[0].geocode)
                assert geocode.value[0] == alert.city_code
        assert_references(messages)
    feed = etree.parse(str(written[-1]))
    assert len(feed.findall("a:entry", ATOM_NS)) == len(files)
