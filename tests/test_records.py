import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab.core import glossary
from anshin_lab.core.errors import DataError
from anshin_lab import load_incidents

from .conftest import GOOD_ROW, HEADERS, row, write_csv


def test_cp932_export_with_japanese_headers_and_wareki(tmp_path, canonical_columns):
    path = write_csv(tmp_path / "export.csv", [row(), row(事案番号="K-2", 分類="高齢者等の行方不明事案",
                                                        **{"被害者学職・年代": "80代以上"}, 配信同意="")])
    result = load_incidents(path)
    assert result.encoding == "cp932"
    assert result.rows_read == 2 and result.accepted == 2 and result.rejected.empty
    frame = result.incidents
    assert list(frame.columns[:-1]) == canonical_columns and frame.crs.to_epsg() == 4326
    first = frame.iloc[0]
    assert first["incident_id"] == "K-1"
    assert first["category"] == "threat"
    assert first["occurred_at"] == pd.Timestamp("2024-04-15 16:10", tz="Asia/Tokyo")
    assert str(first["occurred_at"].tz) == "Asia/Tokyo"
    assert first["station"] == "鹿児島南警察署"
    assert first["geometry"].x == pytest.approx(130.53) and first["geometry"].y == pytest.approx(31.56)
    assert frame.iloc[1]["category"] == "missing"
    assert frame.iloc[1]["consent"] == "未確認"


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")])
def test_utf8_with_and_without_bom(tmp_path, encoding, expected):
    result = load_incidents(write_csv(tmp_path / "e.csv", [row()], encoding=encoding))
    assert result.encoding == expected and result.accepted == 1


def test_english_headers_and_category_codes(tmp_path):
    english = {glossary.header_column(h): v for h, v in row(分類="fugitive", 発生日時="2024-04-15 16:10").items()}
    path = write_csv(tmp_path / "en.csv", [english], encoding="utf-8", headers=list(english))
    result = load_incidents(path)
    assert result.accepted == 1 and result.incidents.iloc[0]["category"] == "fugitive"


def test_xlsx_export(tmp_path):
    rows = [row(), row(事案番号="K-2", 発生日時=dt.datetime(2024, 4, 16, 7, 45), 緯度=31.6, 経度=130.55),
            row(事案番号="K-3", 分類="交通違反")]
    path = tmp_path / "export.xlsx"
    pd.DataFrame(rows, columns=HEADERS).to_excel(path, index=False)
    result = load_incidents(path)
    assert result.encoding == "xlsx"
    assert result.accepted == 2 and len(result.rejected) == 1
    assert result.incidents.iloc[1]["occurred_at"] == pd.Timestamp("2024-04-16 07:45", tz="Asia/Tokyo")
    assert result.rejected.iloc[0]["row"] == 4  # Excel's own row number (header is row 1)


# Each kind of bad input, the column it is blamed on, and words of its reason.
BAD_ROWS = {
    "missing_required": (row(発生日時=""), "発生日時", "必須項目「発生日時」が空です"),
    "missing_id": (row(事案番号=""), "事案番号", "必須項目「事案番号」が空です"),
    "unknown_category": (row(分類="交通違反"), "分類", "分類「交通違反」は配信対象の分類ではありません"),
    "impossible_date": (row(発生日時="令和7年2月30日(日)午後3時頃"), "発生日時", "存在しない日付"),
    "wrong_weekday": (row(発生日時="令和6年4月15日(火)午後4時"), "発生日時", "曜日(火)が日付"),
    "outside_prefecture": (row(緯度="35.6812", 経度="139.7671"), "緯度", "鹿児島県の外です"),
    "swapped_coordinates": (row(緯度="130.5300", 経度="31.5600"), "緯度", "入れ替わっているようです"),
    "not_a_number": (row(緯度="北緯31度"), "緯度", "数値として読めません"),
    "no_location": (row(発生場所="", 緯度="", 経度=""), "発生場所", "発生場所も緯度経度も空です"),
    "unknown_place_type": (row(場所属性="宇宙"), "場所属性", "「宇宙」は使える値ではありません"),
    "unknown_station": (row(管轄署="架空警察署"), "管轄署", "警察署テーブルにありません"),
    "age_out_of_range": (row(年齢="150"), "年齢", "範囲外"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_each_bad_row_is_rejected_with_its_reason(tmp_path, kind):
    bad, column, words = BAD_ROWS[kind]
    headers = HEADERS + (["年齢"] if "年齢" in bad else [])
    path = write_csv(tmp_path / "bad.csv", [row(事案番号="OK-1"), {**bad, "事案番号": bad["事案番号"] and "BAD-1"}],
                     headers=headers)
    result = load_incidents(path)
    assert list(result.incidents["incident_id"]) == ["OK-1"]
    assert len(result.rejected) == 1
    rejected = result.rejected.iloc[0]
    assert rejected["row"] == 3
    assert rejected["column"] == column
    assert words in rejected["reason"]
    # The original values travel with the rejected row, untouched.
    assert rejected["発生場所"] == bad["発生場所"]


def test_duplicate_id_with_different_content_rejects_every_copy(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [row(), row(事案番号="K-9"), row(概要="別の内容")])
    result = load_incidents(path)
    assert list(result.incidents["incident_id"]) == ["K-9"]
    assert list(result.rejected["row"]) == [2, 4]
    assert all("2行目・4行目で異なる内容" in r for r in result.rejected["reason"])


def test_exact_duplicate_keeps_one_and_reports_the_other(tmp_path):
    result = load_incidents(write_csv(tmp_path / "dup.csv", [row(), row()]))
    assert result.accepted == 1
    assert list(result.rejected["row"]) == [3]
    assert "同じ内容の重複行" in result.rejected.iloc[0]["reason"]


def test_several_problems_in_one_row_are_all_named(tmp_path):
    result = load_incidents(write_csv(tmp_path / "bad.csv", [row(分類="交通違反", 発生日時="令和6年2月30日")]))
    reason = result.rejected.iloc[0]["reason"]
    assert "交通違反" in reason and "2月30日" in reason


def test_synonyms_are_normalised(tmp_path):
    result = load_incidents(write_csv(tmp_path / "s.csv", [row(被害者性別="女性", 場所属性="道路上", 管轄署="鹿児島中央署",
                                                               配信同意="有", 分類="声かけ事案")]))
    first = result.incidents.iloc[0]
    assert (first["victim_sex"], first["place_type"], first["station"], first["consent"], first["category"]) == \
        ("女", "路上", "鹿児島中央警察署", "あり", "threat")


@pytest.mark.parametrize("content, words", [
    (b"\x82\xa0\xff\xfe\x00\x81", "文字コードを判別できません"),
    ("事案番号,分類\r\nK-1,脅威事犯\r\n".encode("cp932"), "必須の列がありません: 発生日時"),
])
def test_unusable_files_raise_one_clear_error(tmp_path, content, words):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=words) as info:
        load_incidents(path)
    assert "broken.csv" in str(info.value)


def test_unknown_format_and_missing_file(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(DataError, match="形式 .pdf は読めません"):
        load_incidents(tmp_path / "x.pdf")
    with pytest.raises(DataError, match="ファイルがありません"):
        load_incidents(tmp_path / "none.csv")


# Cells from which rows are built: good values, bad values, and odd text.
CELL_CHOICES = {
    "事案番号": st.sampled_from(["K-1", "K-2", "K-3", "", "K-1 "]),
    "分類": st.sampled_from(["脅威事犯", "threat", "うそ電話詐欺", "交通違反", ""]),
    "発生日時": st.sampled_from(["令和6年4月15日(月)午後4時10分頃", "2024-04-15 16:10", "令和6年2月30日", "", "明日"]),
    "緯度": st.sampled_from(["31.56", "130.53", "35.68", "", "abc"]),
    "経度": st.sampled_from(["130.53", "31.56", "139.76", ""]),
    "場所属性": st.sampled_from(["路上", "公園", "宇宙", ""]),
    "概要": st.text(alphabet="あいう,\"\n漢字 ", max_size=12),
}
rows_strategy = st.lists(st.fixed_dictionaries({k: v for k, v in CELL_CHOICES.items()}), max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, encoding=st.sampled_from(["cp932", "utf-8", "utf-8-sig"]))
def test_accepted_plus_rejected_equals_rows_read(tmp_path, rows, encoding):
    path = write_csv(tmp_path / "p.csv", [{**GOOD_ROW, **r} for r in rows], encoding=encoding)
    result = load_incidents(path)
    assert result.rows_read == len(rows)
    assert result.accepted + len(result.rejected) == len(rows)
    assert result.incidents["incident_id"].is_unique
    # Every row number appears exactly once across both sides.
    assert sorted(result.source_rows + list(result.rejected["row"])) == list(range(2, len(rows) + 2))
