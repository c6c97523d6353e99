"""Open data: the CSV round-trips through pandas with the documented dtypes, documents every column, and holds
exactly the sent alerts — their published values, never an incident's id, free text or coordinates."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import sqlalchemy as sa

from anshin_lab.app import open_data
from anshin_lab.app.catalog import read_incidents
from anshin_lab.app.public_data import published_alerts
from anshin_lab.privacy import DEFAULT_POLICY, Policy
from anshin_lab.storage import store
from anshin_lab.storage.store import alerts
from anshin_lab.workflow.alerts import PUBLISHED

from .published_samples import sample_alerts

# A decimal number with 4+ decimals: what a latitude or longitude looks like, and nothing published does.
COORDINATE = re.compile(r"\b\d{1,3}\.\d{4,}\b")


def documented_dtypes(folder) -> dict[str, str]:
    """The dtypes the data dictionary promises, read from the dictionary's own CSV."""
    dictionary = pd.read_csv(folder / open_data.DICTIONARY_CSV, encoding="utf-8-sig", dtype=str)
    return dict(zip(dictionary["列名"], dictionary["pandas dtype"]))


def documented_loader(folder) -> pd.DataFrame:
    """Run the loading snippet of ``data_dictionary.md`` as a data user would, in the data's folder."""
    markdown = (folder / open_data.DICTIONARY_MD).read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", markdown, re.S).group(1).replace(
        f'"{open_data.CSV_NAME}"', repr(str(folder / open_data.CSV_NAME)))
    scope: dict = {}
    exec(code, scope)
    return scope["frame"]


def assert_nothing_unpublished(text: str, incidents: pd.DataFrame) -> None:
    """No incident id, free text (概要, 行為者の特徴), address or coordinate appears in ``text``."""
    assert not COORDINATE.search(text), "a coordinate-like number is in the open data"
    for column in ("incident_id", "summary", "actor", "address"):
        for value in incidents[column].dropna().astype(str):
            if len(value) >= 4:
                assert value not in text, f"the incident's {column} 「{value}」 is in the open data"


# -- fast: alerts made by hand ---------------------------------------------------------------------

def test_the_csv_round_trips_with_the_documented_dtypes(tmp_path):
    items = sample_alerts()
    written = open_data.write_open_data(None, tmp_path, alerts_list=items)
    assert [p.name for p in written] == [open_data.CSV_NAME, open_data.DICTIONARY_CSV, open_data.DICTIONARY_MD,
                                         open_data.COARSENING_MD]
    raw = written[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM, CRLF (Excel on Japanese Windows)
    expected = open_data.alerts_frame(items)
    frame = open_data.read_open_data(written[0])
    pd.testing.assert_frame_equal(frame, expected)
    pd.testing.assert_frame_equal(documented_loader(tmp_path), expected)
    assert {c: str(t) for c, t in frame.dtypes.items()} == documented_dtypes(tmp_path)
    # What the rows say: one per original, follow-ups as its status, codes kept as text.
    assert list(frame["配信番号"]) == [4, 7]
    threat = frame.set_index("配信番号").loc[4]
    assert threat["続報"] == "訂正・検挙" and threat["続報の配信番号"] == "30 31"
    assert threat["最新続報年月日"] == pd.Timestamp("2026-11-25")
    assert threat["市区町村コード"] == "46201" and threat["町丁目(公表単位)"] == "本名町"
    assert threat["発生時間帯"].startswith("夕方") and threat["発生場所"] == "路上" and threat["被害者"] == "小学生"
    missing = frame.set_index("配信番号").loc[7]
    assert missing["続報"] == "発見" and pd.isna(missing["町丁目(公表単位)"]) and missing["公表単位"] == "市区町村"


def test_a_plain_pandas_read_without_the_contract_loses_the_codes(tmp_path):
    """Why the contract matters: read naively, the municipality code turns into a number."""
    written = open_data.write_open_data(None, tmp_path, alerts_list=sample_alerts())
    naive = pd.read_csv(written[0], encoding="utf-8-sig")
    assert str(naive["市区町村コード"].dtype) != documented_dtypes(tmp_path)["市区町村コード"]
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(naive, open_data.alerts_frame(sample_alerts()))


def test_the_dictionary_documents_every_column_and_every_value(tmp_path):
    written = open_data.write_open_data(None, tmp_path, alerts_list=sample_alerts())
    frame = open_data.read_open_data(written[0])
    dictionary = pd.read_csv(written[1], encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(dictionary["列名"]) == list(frame.columns)
    assert list(dictionary.columns) == ["列名", "型", "pandas dtype", "意味", "取りうる値"]
    assert (dictionary["意味"].str.len() > 0).all()
    for _, row in dictionary.iterrows():
        if row["取りうる値"]:
            allowed = set(row["取りうる値"].split("、"))
            values = set(frame[row["列名"]].dropna().astype(str))
            if row["列名"] == "続報":
                values = {part for value in values for part in value.split("・")}
            assert values <= allowed, f"{row['列名']}: {values - allowed} are not documented"
    markdown = written[2].read_text(encoding="utf-8")
    assert all(f"| {name} |" in markdown for name in frame.columns)
    assert "odm.bodik.jp" in markdown  # the open data whose columns it follows


def test_the_coarsening_rules_are_written_from_the_policy():
    stricter = Policy(min_households=12, block_min_chome_households=250)
    text = open_data.coarsening_rules(stricter)
    assert "12 世帯" in text and "250 世帯" in text
    assert f"{DEFAULT_POLICY.min_households} 世帯" in open_data.coarsening_rules()
    assert "12 世帯" not in open_data.coarsening_rules()


def test_the_check_for_unpublished_values_catches_an_incident_column():
    incidents = pd.DataFrame({"incident_id": ["K-2026-0001"], "summary": ["下校中の児童に声をかけたもの"],
                              "actor": ["男、40歳代"], "address": ["鹿児島市本名町123番地"]})
    text = open_data.alerts_frame(sample_alerts()).to_csv(index=False)
    assert_nothing_unpublished(text, incidents)
    with pytest.raises(AssertionError, match="incident_id"):
        assert_nothing_unpublished(text + "K-2026-0001\n", incidents)
    with pytest.raises(AssertionError, match="coordinate"):
        assert_nothing_unpublished(text + "31.7058,130.5137\n", incidents)


# -- the demo ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_demo_csv_holds_exactly_the_sent_alerts_and_nothing_else(demo_workspace, tmp_path):
    ws, _ = demo_workspace
    written = open_data.write_open_data(ws, tmp_path)
    frame = open_data.read_open_data(written[0])
    pd.testing.assert_frame_equal(frame, open_data.alerts_frame(published_alerts(ws.root)))
    pd.testing.assert_frame_equal(documented_loader(tmp_path), frame)
    engine = store.connect(ws.database_url)
    try:
        with engine.connect() as conn:
            sent = conn.execute(sa.select(alerts.c.alert_id, alerts.c.original_alert_id).where(
                alerts.c.status.in_([s.value for s in PUBLISHED]))).all()
    finally:
        engine.dispose()
    originals = sorted(a for a, original in sent if original is None)
    assert list(frame["配信番号"]) == originals
    followups = {(original, a) for a, original in sent if original is not None}
    assert followups, "the demo sends a follow-up"
    listed = {(int(row["配信番号"]), int(number)) for _, row in frame.dropna(subset=["続報の配信番号"]).iterrows()
              for number in row["続報の配信番号"].split()}
    assert listed == followups
    assert_nothing_unpublished(written[0].read_text(encoding="utf-8-sig"), read_incidents(ws.root))
