"""The fast import paths give exactly what the slow ones gave: bytes vs decoded text, columns vs rows, hashes, inserts.

Speed is measured by ``python -m benchmarks imports`` (time and peak memory
for 2.4k, 24k and 240k rows); here only results are compared, on real files
in tmp_path and real SQLite databases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from anshin_lab.app.references import outline, station_names
from anshin_lab.core.dates import parse_occurred_at
from anshin_lab.core.errors import DataError
from anshin_lab.records import incidents
from anshin_lab.records.columns import export_time_us, stamp_us
from anshin_lab.records.limits import Limits
from anshin_lab.records.rows import content_hash, content_hashes, plain_value
from anshin_lab.records.tables import SNIFF_BYTES, read_table
from anshin_lab.storage import store
from anshin_lab.storage.batches import frame_rows, save_batch
from anshin_lab.storage.incidents import INCIDENTS, RECORD_COLUMNS

from .conftest import GOOD_ROW, HEADERS, PROJECT, REFERENCE, row, write_csv

LIMITS = Limits(max_bytes=10**9, max_rows=10**6, max_xlsx_uncompressed=10**9, max_xlsx_ratio=100, max_field_chars=2000)


def read_as_text(path) -> tuple[pd.DataFrame, str]:
    """How ``read_table`` read a CSV before: the whole file decoded, then handed to pandas as text."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DataError("文字コードを判別できません", path=path)
    sep = "\t" if path.suffix == ".tsv" else ","
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
    return frame, "utf-8" if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") else encoding


def csv_bytes(rows: list[list[str]], encoding: str, newline: str = "\r\n", sep: str = ",") -> bytes:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in f'{sep}"\r\n') else cell
    return newline.join(sep.join(quote(c) for c in r) for r in rows).encode(encoding) + newline.encode(encoding)


HEADER = ["事案番号", "分類", "概要", "発生場所"]
TRICKY = {
    "cp932_quoted_crlf.csv": csv_bytes([HEADER, ["K-1", "脅威事犯", "一行目\r\n二行目、「引用」と\"二重\"", "鹿児島市紫原3丁目"],
                                        ["K-2", "脅威事犯", "①髙﨑の件,カンマ", "霧島市国分"]], "cp932"),
    "bom_quoted_lf.csv": b"\xef\xbb\xbf" + csv_bytes([HEADER, ["K-1", "脅威事犯", "a\nb\n", "鹿屋市"], ["K-2", "", "", ""]],
                                                     "utf-8"),
    "utf8_lf_lines.csv": csv_bytes([HEADER, ["K-1", "threat", "𠮷野家の前\u3000全角空白", "x"]], "utf-8", newline="\n"),
    "cr_lines.csv": csv_bytes([HEADER, ["K-1", "脅威事犯", "x\ry", "z"]], "utf-8", newline="\r"),
    "nul_and_controls.csv": csv_bytes([HEADER, ["K-1", "脅威事犯", "下校中\x00の\x1b[31m児童", "\x85"]], "utf-8"),
    "tabs.tsv": csv_bytes([HEADER, ["K-1", "脅威事犯", "タブ区切り", "鹿児島市"]], "cp932", sep="\t"),
    # The first SNIFF_BYTES are ASCII (UTF-8 and CP932 alike); CP932 text comes only later.
    "late_cp932.csv": csv_bytes([["incident_id", "category", "summary", "address"]]
                                + [[f"K-{n}", "threat", "ascii only", "x"] for n in range(4000)]
                                + [["K-9999", "脅威事犯", "ここから日本語", "鹿児島市"]], "cp932"),
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_reading_bytes_gives_what_reading_decoded_text_gave(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(TRICKY[name])
    if name == "late_cp932.csv":
        assert len(TRICKY[name]) > SNIFF_BYTES and TRICKY[name][:SNIFF_BYTES].isascii()
    frame, encoding = read_table(path, LIMITS)
    expected, expected_encoding = read_as_text(path)
    assert encoding == expected_encoding
    assert_frame_equal(frame, expected)


def test_the_expected_encodings_are_named(tmp_path):
    named = {}
    for name, data in TRICKY.items():
        (tmp_path / name).write_bytes(data)
        named[name] = read_table(tmp_path / name, LIMITS)[1]
    assert named["cp932_quoted_crlf.csv"] == named["late_cp932.csv"] == "cp932"
    assert named["bom_quoted_lf.csv"] == "utf-8-sig" and named["utf8_lf_lines.csv"] == "utf-8"


def test_a_file_in_neither_encoding_is_refused_even_when_its_beginning_is_utf8(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"a,b\r\n" + b"1,2\r\n" * 20_000 + "3,日本語\r\n".encode("utf-8") + b"4,\x82\xff\r\n")
    with pytest.raises(DataError, match="文字コードを判別できません"):
        read_table(path, LIMITS)
    with pytest.raises(DataError):
        read_as_text(path)


def test_rows_beyond_the_limit_are_refused_when_read_as_bytes(tmp_path):
    path = write_csv(tmp_path / "many.csv", [row(事案番号=f"K-{n}") for n in range(12)])
    with pytest.raises(DataError, match="行が多すぎます"):
        read_table(path, Limits(10**9, 11, 10**9, 100, 2000))
    assert len(read_table(path, Limits(10**9, 12, 10**9, 100, 2000))[0]) == 12


# -- checking by columns gives what checking row by row gave --------------------------------------

CELLS = {
    "事案番号": st.sampled_from(["K-1", "K-2", "K-3", "", " K-1", "Ｋ-2", "K\x00-4"]),
    "分類": st.sampled_from(["脅威事犯", "threat", "うそ電話詐欺", "声かけ事案", "交通違反", "", "ｔｈｒｅａｔ"]),
    "発生日時": st.sampled_from([
        "令和6年4月15日(月)午後4時10分頃", "令和6年4月15日(火)午後4時10分頃", "令和元年5月1日(水)午前0時頃",
        "令和6年2月30日", "2024-04-15 16:10", "2024-04-15T16:10:30", "２０２４-０４-１５ １６:１０", "令和六年四月十五日午後四時",
        "昭和25年5月1日午前1時", "平成31年5月1日", "令和6年4月15日(月)午後13時", "", "明日", "R6.4.15 16:10",
        "令和99999999999999999999年1月1日"]),
    "発生場所": st.sampled_from(["鹿児島市紫原3丁目12番5号", "", "鹿児島市\n紫原"]),
    "緯度": st.sampled_from(["31.56", "130.53", "35.68", "", "abc", "nan", "31.5600", "1e400", "３１.５６"]),
    "経度": st.sampled_from(["130.53", "31.56", "139.76", "", "inf"]),
    "場所属性": st.sampled_from(["路上", "道路上", "宇宙", "", "公園 "]),
    "管轄署": st.sampled_from(["鹿児島南警察署", "鹿児島中央署", "鹿児島中央", "架空警察署", "", "鹿児島南\x1b警察署"]),
    "年齢": st.sampled_from(["", "12", "12歳", "150", "1e999", "abc", "１２"]),
    "概要": st.text(alphabet="あい,\"\n\r\t漢字 \x00\x85", max_size=10) | st.just("長" * 2001),
    "行為者の特徴": st.sampled_from(["", "男、40歳代", "男\r\n40歳代", "=1+2"]),
}
FILE_HEADERS = HEADERS + ["年齢"]


@pytest.fixture(scope="module")
def references():
    return {"stations": station_names(REFERENCE), "outline": outline(REFERENCE)}


def assert_same_load(path, references):
    by_columns = incidents.load_incidents(path, **references, limits=LIMITS)
    by_rows = incidents.load_incidents(path, **references, limits=LIMITS, by_rows=True)
    assert_frame_equal(by_columns.incidents, by_rows.incidents)
    assert_frame_equal(by_columns.rejected, by_rows.rejected)
    assert by_columns.source_rows == by_rows.source_rows
    assert list(by_columns.originals) == list(by_rows.originals)
    assert [by_columns.originals[i] for i in range(len(by_columns.originals))] == list(by_rows.originals)
    assert (by_columns.encoding, by_columns.rows_read, by_columns.headers) == \
        (by_rows.encoding, by_rows.rows_read, by_rows.headers)
    return by_columns


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=30),
       encoding=st.sampled_from(["cp932", "utf-8", "utf-8-sig"]))
def test_checking_by_columns_gives_what_checking_rows_gave(tmp_path, references, rows, encoding):
    rows = [{**GOOD_ROW, **r} for r in rows]
    if encoding == "cp932":  # cells CP932 cannot write
        rows = [{k: v.replace("\x85", "") for k, v in r.items()} for r in rows]
    path = write_csv(tmp_path / "p.csv", rows, encoding=encoding, headers=FILE_HEADERS)
    assert_same_load(path, references)


def test_the_sample_export_loads_the_same_both_ways(references):
    result = assert_same_load(PROJECT / "data" / "sample" / "incidents_export.csv", references)
    assert result.accepted > 2000 and len(result.rejected) >= 6


def test_a_file_without_optional_columns_loads_the_same_both_ways(tmp_path, references):
    headers = ["事案番号", "分類", "発生日時", "発生場所"]
    path = write_csv(tmp_path / "min.csv", [row(), row(事案番号="K-2", 発生場所=""), row(事案番号="K-1")], headers=headers)
    result = assert_same_load(path, references)
    assert list(result.incidents["incident_id"]) == ["K-1"] and list(result.rejected["row"]) == [3, 4]


# -- the time read from an export is parse_occurred_at's --------------------------------------------

wareki = st.builds(
    lambda era, year, month, day, weekday, ampm, hour, minute, about: (
        f"{era}{year}年{month}月{day}日{weekday}{ampm}{hour}時{minute}{about}"),
    st.sampled_from(["令和", "平成", "昭和"]), st.sampled_from(["元", "0", "1", "6", "07", "31", "64", "99", "300"]),
    st.integers(0, 13), st.integers(0, 32), st.sampled_from(["", "(月)", "(火)", "(日)", "(水)"]),
    st.sampled_from(["", "午前", "午後"]), st.integers(0, 25), st.sampled_from(["", "0分", "5分", "59分", "60分"]),
    st.sampled_from(["", "頃"]))
iso = st.builds(lambda y, mo, d, sep, h, mi: f"{y:04d}{sep}{mo:02d}{sep}{d:02d} {h:02d}:{mi:02d}",
                st.integers(1940, 2300), st.integers(0, 13), st.integers(0, 32), st.sampled_from(["-", "/", "."]),
                st.integers(0, 24), st.integers(0, 60))


@settings(max_examples=1500, deadline=None)
@given(text=wareki | iso | st.dates(dt.date(1950, 1, 1), dt.date(2200, 1, 1)).map(str))
def test_export_times_read_as_parse_occurred_at_reads_them(text):
    fast = export_time_us(text)
    if fast is None:
        return
    assert fast == stamp_us(parse_occurred_at(text))


@pytest.mark.parametrize("text", ["令和7年12月1日(月)午前8時35分頃", "令和6年4月15日(月)午後4時10分頃", "令和元年5月1日(水)午後12時",
                                  "2024-04-15 16:10", "2024/04/15", "平成31年4月30日(火)午前0時5分"])
def test_what_exports_write_is_read_without_the_general_parser(text):
    assert export_time_us(text) == stamp_us(parse_occurred_at(text))


# -- content hashes and stored rows ----------------------------------------------------------------

plain_values = (st.none() | st.text(max_size=12) | st.integers(-10**20, 10**20) | st.booleans()
                | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.1, 1e-7, 1e22, -0.0, 31.5600]))


@settings(max_examples=300, deadline=None)
@given(records=st.lists(st.fixed_dictionaries({"b_text": plain_values, "a_number": plain_values,
                                                "c": plain_values, "a%s": plain_values}), max_size=6))
def test_content_hashes_are_content_hash(records):
    columns = ["b_text", "a_number", "c", "a%s"]
    values = {c: [r[c] for r in records] for c in columns}
    assert content_hashes(values, columns, size=len(records)) == [content_hash(r, columns) for r in records]


def frame_rows_before(frame, columns, *, times=("occurred_at",)):
    """How ``frame_rows`` made its dicts before (one ``to_dict`` row at a time)."""
    rows = []
    for item in frame[list(columns)].to_dict("records"):
        record = {c: plain_value(item.get(c)) for c in columns}
        record["content_hash"] = content_hash(item, columns)
        for column in times:
            record[column] = pd.Timestamp(item[column]).tz_convert("UTC").to_pydatetime()
        rows.append(record)
    return rows


def sample_incidents(references):
    return incidents.load_incidents(PROJECT / "data" / "sample" / "incidents_export.csv", **references,
                                    limits=LIMITS).incidents


def test_frame_rows_are_the_dicts_they_were(references):
    frame = sample_incidents(references)
    rows = frame_rows(frame, RECORD_COLUMNS)
    before = frame_rows_before(frame, RECORD_COLUMNS)
    assert len(rows) == len(before) and list(rows) == before
    assert [{k: type(v) for k, v in r.items()} for r in rows] == [{k: type(v) for k, v in r.items()} for r in before]
    assert rows[5] == before[5] and rows[-1] == before[-1] and rows[2:4] == before[2:4]


def _stored(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [line for line in conn.iterdump() if line.startswith('INSERT INTO "incidents"')]


def test_inserting_column_by_column_stores_what_sqlalchemy_stores(tmp_path, references):
    frame = sample_incidents(references)
    by_columns, by_dicts = tmp_path / "columns.sqlite", tmp_path / "dicts.sqlite"
    for path, rows in ((by_columns, frame_rows(frame, RECORD_COLUMNS)),
                       (by_dicts, frame_rows_before(frame, RECORD_COLUMNS))):  # a list of dicts: SQLAlchemy's insert
        engine = store.connect(f"sqlite:///{path}")
        first = save_batch(engine, INCIDENTS, rows, source_name="x.csv", chunk_rows=700)
        again = save_batch(engine, INCIDENTS, rows, source_name="x.csv", chunk_rows=700)
        engine.dispose()
        assert (first.inserted, again.inserted, again.unchanged) == (len(frame), 0, len(frame))
    assert _stored(by_columns) == _stored(by_dicts) and len(_stored(by_columns)) == len(frame)
    assert hashlib.sha256("".join(_stored(by_columns)).encode()).hexdigest()  # the same bytes, not just counts


def test_a_changed_row_is_a_conflict_found_by_its_hash(tmp_path, references):
    frame = sample_incidents(references)
    engine = store.connect(f"sqlite:///{tmp_path / 'c.sqlite'}")
    save_batch(engine, INCIDENTS, frame_rows(frame, RECORD_COLUMNS), source_name="a.csv")
    changed = frame.copy()
    changed.loc[3, "summary"] = "訂正後の概要"
    result = save_batch(engine, INCIDENTS, frame_rows(changed, RECORD_COLUMNS), source_name="b.csv")
    engine.dispose()
    assert (result.inserted, result.unchanged) == (0, len(frame) - 1)
    assert list(result.conflicts["incident_id"]) == [frame.loc[3, "incident_id"]]


# -- the benchmark reports what the issue reads ----------------------------------------------------

def test_the_imports_benchmark_reports_rows_seconds_and_peak_memory(built_workspace):
    result = subprocess.run([sys.executable, "-m", "benchmarks", "imports", "--rows", "300,600,1200",
                             "--workspace", str(built_workspace.root)], cwd=PROJECT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert [size["rows"] for size in figures["sizes"]] == [300, 600, 1200]
    for size in figures["sizes"]:
        assert size["seconds"] > 0 and size["baseline_seconds"] > 0 and 50 < size["peak_mb"] < 2000
        assert size["accepted"] + size["rejected"] == size["rows_read"] and size["inserted"] == size["accepted"]
    assert "growth_ratio" in figures and figures["meets_target"] is None  # no verdict below 240,000 rows
    assert "取り込みベンチマーク" in result.stdout
