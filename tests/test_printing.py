"""The 回覧板 (``anshin print``) of the demo workspace, rendered to PNG with pdfium and read back.

Checked against the database, not against ``app.public_data``: the PDF's text
(extracted by pdfium) holds the subject, every line of the approved mail, its
★ tips and its contact, and no 号, no coordinate and no incident address; the
map's pixels of the area colour are where the published polygon is (pixel
centres tested against the polygon with shapely); only sent alerts print;
a lint finding refuses the file; a week's PDF has one section per alert sent
that week to the area.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import numpy as np
import pypdfium2 as pdfium
import pytest
import shapely
import sqlalchemy as sa

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.printing import PrintError, alert_circular
from anshin_lab.cli.main import main
from anshin_lab.core.clock import stored_tokyo
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy import PrivacyError
from anshin_lab.storage import store
from anshin_lab.storage.store import alert_events, alerts, incidents
from anshin_lab.views.printing import AREA_FILL, render_circular, write_alert_circular
from anshin_lab.workflow import alerts as workflow_alerts

pytestmark = pytest.mark.slow

NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}\.\d+(?![\w.])")
HOUSE_NUMBER = re.compile(r"[0-9０-９〇一二三四五六七八九十百]+\s*号")
SCALE = 2.0  # pdfium renders 72 dpi × SCALE
FILL_RGB = tuple(int(AREA_FILL[i:i + 2], 16) for i in (1, 3, 5))
CITY = "46201"  # 鹿児島市: the demo sends most of its alerts there


@pytest.fixture(scope="module")
def sent(demo_workspace):
    """Every alert row, the sent originals' send time (Asia/Tokyo) and the incidents' addresses, from the database."""
    ws, _ = demo_workspace
    engine = store.connect(ws.database_url)
    try:
        with engine.connect() as conn:
            rows = {r["alert_id"]: dict(r) for r in conn.execute(sa.select(alerts)).mappings()}
            sent_at = dict(conn.execute(sa.select(alert_events.c.alert_id, sa.func.min(alert_events.c.at))
                                        .where(alert_events.c.action == "send").group_by(alert_events.c.alert_id)).all())
            addresses = [a for (a,) in conn.execute(sa.select(incidents.c.address)) if a]
    finally:
        engine.dispose()
    originals = {i: r for i, r in rows.items() if r["status"] in ("sent", "closed") and r["original_alert_id"] is None}
    assert originals and any(r["status"] not in ("sent", "closed") for r in rows.values())
    return {"rows": rows, "originals": originals, "sent_at": {i: stored_tokyo(sent_at[i]) for i in originals},
            "addresses": addresses}


def _flat(text: str) -> str:
    """Text without any whitespace: the PDF wraps lines where the mail did not."""
    return re.sub(r"\s+", "", text)


def _pdf_text(path) -> tuple[str, list]:
    pdf = pdfium.PdfDocument(str(path))
    texts = [page.get_textpage().get_text_range() for page in pdf]
    images = [np.asarray(page.render(scale=SCALE).to_pil().convert("RGB")) for page in pdf]
    pdf.close()
    return "\n".join(texts), images


def _mail_parts(body: str) -> tuple[list[str], list[str], list[str]]:
    """(lines, tips, contact) of a mail, read here independently of ``app.printing.split_body``."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    cut = next(i for i, line in enumerate(lines) if line in ("■問い合わせ先", "■連絡先"))
    text = [line for line in lines[:cut] if not line.startswith("★")]
    return text, [line[1:] for line in lines[:cut] if line.startswith("★")], lines[cut + 1:]


def _town_alert(sent) -> int:
    """A sent original published at 町丁目 or 大字・町 level, with tips and a follow-up-free or any body."""
    for alert_id, row in sorted(sent["originals"].items()):
        if row["level"] in ("CHOME", "TOWN", "BLOCK") and "★" in row["body"]:
            return alert_id
    pytest.fail("the demo should send an alert at 町丁目 or 大字・町 level with tips")


def test_alert_pdf_prints_the_mail_as_sent_and_nothing_finer(demo_workspace, sent, tmp_path, capsys):
    ws, _ = demo_workspace
    alert_id = _town_alert(sent)
    row = sent["originals"][alert_id]
    out = tmp_path / "alert.pdf"
    assert main(["print", "alert", str(alert_id), "--workspace", str(ws.root), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile2" in data  # the Japanese font is embedded (TrueType)
    text, images = _pdf_text(out)
    flat = _flat(text)
    lines, tips, contact = _mail_parts(row["body"])
    assert _flat(row["subject"]) in flat
    for line in lines + tips + contact:
        assert _flat(line) in flat, line
    assert tips and contact
    for word in ("回覧", "お名前", "確認印", "発行日", "防犯のポイント", "問い合わせ先"):
        assert word in flat
    assert not HOUSE_NUMBER.search(text), HOUSE_NUMBER.search(text)
    assert not NUMBER.search(text), NUMBER.search(text)  # no coordinate
    assert not re.search(r"(?i)longitude|latitude|degree|°|EPSG", text)  # no axis label of the map
    for address in sent["addresses"]:
        assert _flat(address) not in flat
    sizes = [page.get_size() for page in pdfium.PdfDocument(str(out))]
    assert len(images) == len(sizes) >= 1 and all(abs(w - 595.28) < 0.5 and abs(h - 841.89) < 0.5 for w, h in sizes)


def test_alert_map_fills_exactly_the_published_area(demo_workspace, sent, tmp_path):
    ws, _ = demo_workspace
    alert_id = _town_alert(sent)
    row = sent["originals"][alert_id]
    result = write_alert_circular(ws.root, alert_id, tmp_path / "map.pdf")
    assert [m.alert_id for m in result.maps] == [alert_id]
    placement = result.maps[0]
    _, images = _pdf_text(result.path)
    image = images[placement.page]
    height, width = image.shape[:2]
    fill = np.all(image == FILL_RGB, axis=2)
    left, top, right, bottom = (round(placement.box[0] * width), round(placement.box[1] * height),
                                round(placement.box[2] * width), round(placement.box[3] * height))
    inside = np.zeros_like(fill)
    inside[top:bottom, left:right] = True
    assert fill.sum() > 500 and not (fill & ~inside).any()  # the area colour only in the map
    # The published polygon, from the workspace's layer at the level the alert recorded (never finer than 町丁目).
    level = max(Granularity[row["level"]], Granularity.CHOME)
    column = {Granularity.CHOME: "chome_code", Granularity.TOWN: "town_code"}[level]
    layer = load_areas(ws.root).layer(level).set_index("area_code")
    polygon = layer.loc[row["area_codes"][column]].geometry
    minx, miny, maxx, maxy = placement.extent
    cols, rows_ = np.meshgrid(np.arange(left, right) + 0.5, np.arange(top, bottom) + 0.5)
    lon = minx + (cols - left) / (right - left) * (maxx - minx)
    lat = maxy - (rows_ - top) / (bottom - top) * (maxy - miny)
    expected = shapely.contains_xy(polygon, lon, lat)
    got = fill[top:bottom, left:right]
    iou = (expected & got).sum() / (expected | got).sum()
    assert iou > 0.9, f"area colour covers the polygon with IoU {iou:.3f}"


def test_only_sent_alerts_print(demo_workspace, sent, engine, staff, tmp_path, capsys):
    ws, _ = demo_workspace
    unsent = next(i for i, r in sorted(sent["rows"].items()) if r["status"] not in ("sent", "closed"))
    out = tmp_path / "unsent.pdf"
    assert main(["print", "alert", str(unsent), "--workspace", str(ws.root), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "発信されていません" in err and not out.exists()
    # A draft, in a copy of the staff database: refused before anything is read or drawn.
    draft = workflow_alerts.create_alert(engine, staff["analyst"], category="threat", subject="【声かけ事案】鹿児島市内",
                                         body="鹿児島市内で声かけ事案が発生しました。", level="CITY",
                                         public_text="鹿児島市内", area_codes={"city_code": CITY})
    with pytest.raises(PrintError, match="発信されていません"):
        alert_circular(ws, draft, engine=engine)


def test_a_lint_finding_refuses_the_file(demo_workspace, sent, tmp_path):
    ws, _ = demo_workspace
    circular = alert_circular(ws, _town_alert(sent))
    section = circular.sections[0]
    tainted = dataclasses.replace(section, lines=section.lines + ("山下小学校の前で見かけました。",))
    out = tmp_path / "tainted.pdf"
    with pytest.raises(PrivacyError, match=f"配信 #{section.alert_id}") as caught:
        render_circular(dataclasses.replace(circular, sections=(tainted,)), out)
    assert "山下" not in str(caught.value) and not out.exists()
    assert render_circular(circular, out).path.exists()  # the text as sent prints


def test_week_pdf_has_one_section_per_alert_of_the_week_and_area(demo_workspace, sent, tmp_path, capsys):
    ws, _ = demo_workspace
    day = max(sent["sent_at"].values()).date()
    monday = day - dt.timedelta(days=day.weekday())

    def in_area(row):  # went to 鹿児島市's members: its own alerts, or ones to the whole prefecture
        codes = row["area_codes"] or {}
        city = codes.get("city_code") or (codes.get("town_code") or codes.get("chome_code") or "")[:5]
        return not city or city == CITY or row["category"] == "fugitive"

    expected = sorted(i for i, r in sent["originals"].items()
                      if monday <= sent["sent_at"][i].date() <= monday + dt.timedelta(days=6) and in_area(r))
    others = sorted(set(sent["originals"]) - set(expected))
    assert expected and others
    out = tmp_path / "week.pdf"
    assert main(["print", "week", "--area", "鹿児島市", "--week-of", day.isoformat(), "--workspace", str(ws.root),
                 "--out", str(out)]) == 0
    assert f"配信 {len(expected)}件" in capsys.readouterr().out
    text, _ = _pdf_text(out)
    flat = _flat(text)
    printed = sorted(int(n) for n in re.findall(r"配信日時\(配信#(\d+)\)", flat))
    assert printed == expected
    assert flat.count("場所(範囲)") == len(expected)
    for alert_id in expected:
        assert _flat(sent["originals"][alert_id]["subject"]) in flat
    assert not HOUSE_NUMBER.search(text) and not NUMBER.search(text)
