"""Fraud-call records: loader and quarantine, storage, summaries, wave detection, the summary draft."""

from __future__ import annotations

import math
import os
import shutil
import stat

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.analysis.fraud_calls import Period, parse_day, resolve_area, summarise
from anshin_lab.analysis.fraud_waves import detect_waves, poisson_sf
from anshin_lab.app.fraud_reports import read_stored_calls, store_summary_draft, summarise_workspace
from anshin_lab.app.imports import import_fraud_calls, load_fraud_calls
from anshin_lab.app.references import reference_tables
from anshin_lab.core.errors import DataError, ParameterError, WorkflowError
from anshin_lab.drafting.fraud_summary import draft_summary_alert
from anshin_lab.records.fraud_calls import FRAUD_COLUMNS, data_hash, to_frame
from anshin_lab.storage import store
from anshin_lab.storage.fraud_calls import read_calls

from .conftest import REFERENCE

HEADERS = ["受付番号", "発生日時", "市町村", "小地域コード", "管轄署", "手口", "名乗り", "結果", "被害額", "被害者年代"]
GOOD = {
    "受付番号": "F-1", "発生日時": "2026-04-15 14:10", "市町村": "鹿児島市", "小地域コード": "46201318003",
    "管轄署": "鹿児島南警察署", "手口": "還付金詐欺", "名乗り": "市役所職員", "結果": "予兆", "被害額": "",
    "被害者年代": "70代",
}


def call(**changes) -> dict:
    return {**GOOD, **changes}


def write(path, rows, *, encoding="utf-8", headers=HEADERS):
    lines = [",".join(headers)] + [",".join(str(r.get(h, "")) for h in headers) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture(scope="module")
def tables():
    return reference_tables(REFERENCE)


# ---------------------------------------------------------------------------
# Loading


def test_a_clean_row_is_read_into_canonical_columns(tmp_path):
    result = load_fraud_calls(write(tmp_path / "calls.csv", [call()]), reference_dir=REFERENCE)
    assert result.rejected.empty and result.accepted == 1 == result.rows_read
    row = result.calls.iloc[0]
    assert list(result.calls.columns) == list(FRAUD_COLUMNS)
    assert row["occurred_at"] == pd.Timestamp("2026-04-15 14:10", tz="Asia/Tokyo")
    assert (row["city_code"], row["city"], row["station"]) == ("46201", "鹿児島市", "鹿児島南警察署")
    assert (row["method"], row["caller_as"], row["outcome"], row["loss_yen"]) == ("還付金詐欺", "市役所職員", "予兆", 0)


def test_spellings_found_in_exports_are_normalised(tmp_path):
    rows = [call(**{"受付番号": "F-1", "発生日時": "令和8年4月15日(水)午後2時10分頃", "手口": "架空請求", "名乗り": "市役所",
                    "結果": "既遂", "被害額": "120万円", "被害者年代": "90代", "管轄署": "鹿児島南署"}),
            call(**{"受付番号": "F-2", "市町村": "瀬戸内町", "小地域コード": "", "管轄署": "", "結果": "予兆電話",
                    "被害者年代": "", "名乗り": ""})]
    result = load_fraud_calls(write(tmp_path / "calls.csv", rows), reference_dir=REFERENCE)
    assert result.rejected.empty, result.rejected.to_dict("records")
    first, second = result.calls.to_dict("records")
    assert (first["method"], first["caller_as"], first["loss_yen"], first["victim_age_band"]) == \
        ("架空料金請求詐欺", "市役所職員", 1_200_000, "80代以上")
    assert first["station"] == "鹿児島南警察署"
    # Only one station serves 瀬戸内町: filled in; an empty 名乗り and 年代 are 不明.
    assert (second["city"], second["station"], second["caller_as"], second["victim_age_band"]) == \
        ("大島郡瀬戸内町", "奄美警察署", "不明", "不明")
    assert second["outcome"] == "予兆" and second["key_code"] is None


@pytest.mark.parametrize("changes, column, words", [
    ({"受付番号": ""}, "受付番号", "空です"),
    ({"発生日時": "令和8年2月30日"}, "発生日時", "存在しない日付"),
    ({"手口": "寸借詐欺"}, "手口", "使える値ではありません"),
    ({"結果": "不明"}, "結果", "使える値ではありません"),
    ({"市町村": "熊本市"}, "市町村", "鹿児島県の市町村にありません"),
    ({"小地域コード": "46204034099"}, "小地域コード", "国勢調査の小地域にありません"),
    ({"小地域コード": "462040340"}, "小地域コード", "鹿児島市の小地域ではありません"),
    ({"管轄署": "霧島警察署"}, "管轄署", "鹿児島市を管轄していません"),
    ({"管轄署": "東京警察署"}, "管轄署", "警察署テーブルにありません"),
    ({"結果": "予兆", "被害額": "30000"}, "被害額", "予兆なのに被害額"),
    ({"結果": "既遂", "被害額": "たくさん"}, "被害額", "金額として読めません"),
    ({"被害者年代": "若い"}, "被害者年代", "使える値ではありません"),
])
def test_a_bad_row_is_quarantined_with_row_column_reason_and_values(tmp_path, changes, column, words):
    rows = [call(**{"受付番号": "F-1"}), call(**{"受付番号": "F-2", **changes})]
    result = load_fraud_calls(write(tmp_path / "calls.csv", rows), reference_dir=REFERENCE)
    assert result.accepted == 1 and len(result.rejected) == 1
    rejected = result.rejected.iloc[0]
    assert rejected["row"] == 3 and rejected["column"] == column and words in rejected["reason"]
    for header, value in rows[1].items():  # the row as it was in the file
        assert rejected[header] == str(value)


def test_municipality_code_and_name_must_agree(tmp_path):
    headers = ["受付番号", "発生日時", "市町村コード", "市町村", "手口", "結果"]
    rows = [{"受付番号": "F-1", "発生日時": "2026-04-15 14:00", "市町村コード": "46201", "市町村": "鹿児島市",
             "手口": "還付金詐欺", "結果": "予兆"},
            {"受付番号": "F-2", "発生日時": "2026-04-15 14:00", "市町村コード": "46203", "市町村": "鹿児島市",
             "手口": "還付金詐欺", "結果": "予兆"}]
    result = load_fraud_calls(write(tmp_path / "calls.csv", rows, headers=headers), reference_dir=REFERENCE)
    assert result.accepted == 1 and "一致しません" in result.rejected.iloc[0]["reason"]


def test_repeated_ids_keep_exact_copies_once_and_reject_conflicts(tmp_path):
    rows = [call(**{"受付番号": "F-1"}), call(**{"受付番号": "F-1"}),
            call(**{"受付番号": "F-2"}), call(**{"受付番号": "F-2", "名乗り": "警察官"})]
    result = load_fraud_calls(write(tmp_path / "calls.csv", rows), reference_dir=REFERENCE)
    assert list(result.calls["call_id"]) == ["F-1"]
    reasons = dict(zip(result.rejected["row"], result.rejected["reason"]))
    assert "同じ内容の重複行" in reasons[3] and "異なる内容" in reasons[4] and "異なる内容" in reasons[5]


def test_cp932_and_xlsx_exports_are_read(tmp_path):
    cp932 = load_fraud_calls(write(tmp_path / "calls.csv", [call()], encoding="cp932"), reference_dir=REFERENCE)
    assert cp932.encoding == "cp932" and cp932.accepted == 1
    xlsx = tmp_path / "calls.xlsx"
    pd.DataFrame([call()]).to_excel(xlsx, index=False)
    result = load_fraud_calls(xlsx, reference_dir=REFERENCE)
    assert result.accepted == 1 and result.calls.iloc[0]["key_code"] == "46201318003"


def test_a_file_without_required_columns_is_refused_whole(tmp_path):
    path = write(tmp_path / "calls.csv", [{"受付番号": "F-1"}], headers=["受付番号", "備考"])
    with pytest.raises(DataError, match="必須の列がありません: 発生日時、手口、結果、市町村"):
        load_fraud_calls(path, reference_dir=REFERENCE)


VALUE_CHOICES = {
    "受付番号": st.sampled_from(["F-1", "F-2", "F-3", ""]),
    "発生日時": st.sampled_from(["2026-04-15 14:10", "令和8年4月15日午後2時", "2026-13-01", ""]),
    "市町村": st.sampled_from(["鹿児島市", "霧島市", "熊本市", ""]),
    "小地域コード": st.sampled_from(["", "46201318003", "462180010", "99"]),
    "管轄署": st.sampled_from(["", "鹿児島南警察署", "霧島署", "東京警察署"]),
    "手口": st.sampled_from(["還付金詐欺", "オレオレ", "寸借詐欺", ""]),
    "名乗り": st.sampled_from(["市役所職員", "", "息子"]),
    "結果": st.sampled_from(["予兆", "未遂", "既遂", "その他"]),
    "被害額": st.sampled_from(["", "0", "500000", "-5", "abc"]),
    "被害者年代": st.sampled_from(["70代", "", "90代", "子供"]),
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries(VALUE_CHOICES), min_size=1, max_size=12))
def test_accepted_plus_rejected_equals_rows_read(tmp_path_factory, rows):
    path = write(tmp_path_factory.mktemp("prop") / "calls.csv", rows)
    result = load_fraud_calls(path, reference_dir=REFERENCE)
    assert result.accepted + len(result.rejected) == result.rows_read == len(rows)
    assert result.calls["call_id"].is_unique
    assert set(result.rejected["row"]).isdisjoint(result.source_rows)


# ---------------------------------------------------------------------------
# Importing


def test_import_stores_quarantines_owner_only_and_is_idempotent(fresh_workspace, tmp_path):
    path = write(tmp_path / "calls.csv", [call(**{"受付番号": "F-1"}), call(**{"受付番号": "F-2", "手口": "寸借詐欺"})])
    report = import_fraud_calls(path, fresh_workspace)
    assert (report.rows_read, report.accepted, report.rejected, report.inserted) == (2, 1, 1, 1)
    assert report.quarantine_path.parent == fresh_workspace.quarantine_dir
    assert stat.S_IMODE(os.stat(report.quarantine_path).st_mode) == 0o600
    quarantined = pd.read_csv(report.quarantine_path, dtype=str, encoding="utf-8-sig")
    assert list(quarantined["row"]) == ["3"] and quarantined["手口"].iloc[0] == "寸借詐欺"
    again = import_fraud_calls(path, fresh_workspace)
    assert (again.inserted, again.unchanged, again.conflicts) == (0, 1, 0)
    engine = store.connect(fresh_workspace.database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(store.fraud_imports.select()).all().__len__() == 1  # nothing new: no import record
        stored = read_calls(engine)
    finally:
        engine.dispose()
    assert list(stored["call_id"]) == ["F-1"]
    assert stored.iloc[0]["occurred_at"] == pd.Timestamp("2026-04-15 14:10", tz="Asia/Tokyo")


def test_a_changed_reexport_is_a_conflict_not_an_overwrite(fresh_workspace, tmp_path):
    import_fraud_calls(write(tmp_path / "a.csv", [call()]), fresh_workspace)
    report = import_fraud_calls(write(tmp_path / "b.csv", [call(**{"名乗り": "警察官"})]), fresh_workspace)
    assert report.conflicts == 1 and report.inserted == 0
    assert "別の内容で登録済み" in report.rejected_rows["reason"].iloc[0]
    assert read_stored_calls(fresh_workspace.root).iloc[0]["caller_as"] == "市役所職員"


# ---------------------------------------------------------------------------
# Areas and periods


@pytest.mark.parametrize("text, kind, name", [
    ("鹿児島県", "pref", "鹿児島県"), ("", "pref", "鹿児島県"), ("鹿児島市", "city", "鹿児島市"),
    ("瀬戸内町", "city", "大島郡瀬戸内町"), ("46201", "city", "鹿児島市"),
    ("鹿児島中央警察署", "station", "鹿児島中央警察署"), ("鹿児島中央署", "station", "鹿児島中央警察署"),
])
def test_an_area_is_the_prefecture_a_municipality_or_a_station(tables, text, kind, name):
    area = resolve_area(text, tables)
    assert (area.kind, area.name) == (kind, name)


def test_an_unknown_area_says_what_may_be_given(tables):
    with pytest.raises(ParameterError, match="鹿児島中央警察署"):
        resolve_area("東京都", tables)


def test_periods_are_whole_days_and_the_previous_one_has_the_same_length():
    period = Period(parse_day("2026-11-01"), parse_day("2026/11/30"))
    assert period.days == 30 and period.end_at == pd.Timestamp("2026-12-01", tz="Asia/Tokyo")
    assert (period.previous().start, period.previous().end) == (pd.Timestamp("2026-10-02").date(),
                                                                  pd.Timestamp("2026-10-31").date())
    with pytest.raises(ParameterError):
        Period(parse_day("2026-11-02"), parse_day("2026-11-01"))
    with pytest.raises(ParameterError, match="日付として読めません"):
        parse_day("11月1日")


# ---------------------------------------------------------------------------
# Summaries


def _calls(rows) -> pd.DataFrame:
    records = []
    for i, (when, city, station, method, caller, outcome, loss) in enumerate(rows):
        records.append({"call_id": f"C{i:04d}", "occurred_at": pd.Timestamp(when, tz="Asia/Tokyo"), "city_code": city,
                        "city": {"46201": "鹿児島市", "46218": "霧島市"}[city], "key_code": None, "station": station,
                        "method": method, "caller_as": caller, "outcome": outcome, "loss_yen": loss,
                        "victim_age_band": "70代"})
    return to_frame(records)


def test_summary_counts_and_compares_with_the_period_before(tables):
    calls = _calls([
        ("2026-11-02 10:00", "46201", "鹿児島中央警察署", "還付金詐欺", "市役所職員", "予兆", 0),
        ("2026-11-02 14:00", "46201", "鹿児島南警察署", "還付金詐欺", "市役所職員", "未遂", 0),
        ("2026-11-05 15:30", "46218", "霧島警察署", "オレオレ詐欺", "息子", "既遂", 1_500_000),
        ("2026-10-30 09:00", "46201", "鹿児島中央警察署", "オレオレ詐欺", "息子", "予兆", 0),  # previous week
        ("2026-10-01 09:00", "46201", "鹿児島中央警察署", "オレオレ詐欺", "息子", "予兆", 0),  # baseline only
    ])
    period = Period(parse_day("2026-11-01"), parse_day("2026-11-07"))
    area = resolve_area("鹿児島県", tables)
    summary = summarise(calls, period=period, area=area, tables=tables)
    assert (summary.totals["count"], summary.totals["previous"], summary.totals["loss_yen"]) == (3, 1, 1_500_000)
    assert (summary.totals["予兆"], summary.totals["未遂"], summary.totals["既遂"]) == (1, 1, 1)
    methods = summary.by_method.set_index("method")
    assert methods.loc["還付金詐欺", "count"] == 2 and methods.loc["還付金詐欺", "attempted"] == 1
    assert methods.loc["オレオレ詐欺", ["count", "previous", "change"]].tolist() == [1, 1, 0]
    assert list(summary.by_method["method"]) == ["還付金詐欺", "オレオレ詐欺"]  # the police statistics' order
    assert summary.by_caller.set_index("caller_as").loc["市役所職員", "main_method"] == "還付金詐欺"
    assert summary.by_city.set_index("city").loc["鹿児島市", "count"] == 2
    assert len(summary.by_day) == 7 and summary.by_day["count"].tolist() == [0, 2, 0, 0, 1, 0, 0]
    assert summary.by_hour.set_index("hour").loc[[10, 14, 15], "count"].tolist() == [1, 1, 1]
    station = summarise(calls, period=period, area=resolve_area("鹿児島南警察署", tables), tables=tables)
    assert station.totals["count"] == 1 and station.area.label == "鹿児島南警察署管内"
    city = summarise(calls, period=period, area=resolve_area("霧島市", tables), tables=tables)
    assert city.totals["count"] == 1 and city.by_method["method"].tolist() == ["オレオレ詐欺"]


def test_an_empty_period_still_has_every_table(tables):
    period = Period(parse_day("2026-11-01"), parse_day("2026-11-03"))
    summary = summarise(to_frame([]), period=period, area=resolve_area("鹿児島県", tables),
                              tables=tables)
    assert summary.totals["count"] == 0 and summary.waves.empty and len(summary.by_day) == 3
    assert summary.by_hour["count"].sum() == 0


# ---------------------------------------------------------------------------
# Waves


@pytest.mark.parametrize("x, lam", [(0, 1.0), (1, 0.5), (3, 2.0), (10, 2.5), (30, 0.05), (5, 12.0)])
def test_poisson_tail_matches_the_sum_of_the_distribution(x, lam):
    exact = 1 - sum(math.exp(-lam) * lam ** k / math.factorial(k) for k in range(x))
    assert poisson_sf(x, lam) == pytest.approx(exact, rel=1e-9, abs=1e-15)
    # and the tiny tails, where 1 - CDF is all rounding, keep their size
    assert poisson_sf(40, 0.05) == pytest.approx(math.exp(-0.05) * 0.05 ** 40 / math.factorial(40), rel=1e-3)


def _background(rng, start, days, rate_per_day):
    rows = []
    for d in range(days):
        day = pd.Timestamp(start) + pd.Timedelta(days=d)
        for city, station in (("46201", "鹿児島中央警察署"), ("46218", "霧島警察署")):
            for caller, method in (("市役所職員", "還付金詐欺"), ("息子", "オレオレ詐欺")):
                for _ in range(rng.poisson(rate_per_day)):
                    rows.append((day + pd.Timedelta(minutes=int(rng.integers(540, 1080))), city, station, method,
                                 caller, "予兆", 0))
    return rows


def test_a_burst_of_one_caller_in_one_municipality_is_a_wave_and_background_is_not(tables):
    rng = np.random.default_rng(7)
    rows = _background(rng, "2026-09-01", 100, 0.6)
    burst_day = pd.Timestamp("2026-12-03 13:00")
    rows += [(burst_day + pd.Timedelta(minutes=7 * i), "46218", "霧島警察署", "還付金詐欺", "市役所職員", "予兆", 0)
             for i in range(9)]
    calls = _calls(rows)
    period = Period(parse_day("2026-12-01"), parse_day("2026-12-09"))
    waves, tests = detect_waves(calls, period, tables=tables)
    assert tests == 4 * 9
    assert len(waves) == 1
    wave = waves.iloc[0]
    assert (str(wave["date"]), wave["city"], wave["caller_as"], wave["method"]) == ("2026-12-03", "霧島市", "市役所職員", "還付金詐欺")
    assert wave["count"] >= 9 and wave["p_value"] < 0.01 / tests and len(wave["call_ids"]) == wave["count"]
    quiet = Period(parse_day("2026-11-01"), parse_day("2026-11-30"))
    assert detect_waves(calls, quiet, tables=tables)[0].empty


def test_the_stated_test_names_its_parameters(tables):
    summary = summarise(to_frame([]), period=Period(parse_day("2026-11-01"), parse_day("2026-11-07")),
                              area=resolve_area("鹿児島県", tables), tables=tables, baseline_days=28, alpha=0.001,
                              min_calls=4)
    assert "前28日" in summary.wave_test and "0.001" in summary.wave_test and "x≥4" in summary.wave_test
    assert "ポアソン" in summary.wave_test and "Bonferroni" in summary.wave_test


@pytest.fixture(scope="module")
def sample_calls(built_workspace):
    return load_fraud_calls(built_workspace.sample_dir / "fraud_calls.csv",
                                  reference_dir=built_workspace.reference_dir).calls


@pytest.mark.slow
def test_the_sample_year_loads_whole_and_its_waves_are_found_month_by_month(built_workspace, sample_calls, tables):
    raw = pd.read_csv(built_workspace.sample_dir / "fraud_calls.csv", dtype=str, keep_default_na=False)
    assert len(sample_calls) == len(raw) == 3400
    for column in ("call_id", "city_code", "station", "method", "caller_as", "outcome", "victim_age_band"):
        assert sample_calls[column].tolist() == raw[column].tolist(), column
    assert sample_calls["loss_yen"].astype(int).tolist() == raw["loss_yen"].astype(int).tolist()
    # The sample's waves: one 名乗り ringing one municipality a dozen times or more in an afternoon.
    day = sample_calls["occurred_at"].dt.date
    groups = sample_calls.groupby([sample_calls["city_code"], sample_calls["caller_as"], day]).size()
    truth = {(c, n, str(d)) for (c, n, d), k in groups.items() if k >= 12}
    assert len(truth) == 8
    found = set()
    first = sample_calls["occurred_at"].min()
    for month in pd.date_range("2025-12-01", "2026-11-01", freq="MS"):
        period = Period(month.date(), (month + pd.offsets.MonthEnd(0)).date())
        waves, _ = detect_waves(sample_calls, period, tables=tables, history_start=first)
        found |= {(w["city_code"], w["caller_as"], str(w["date"])) for _, w in waves.iterrows()}
    assert found == truth


def test_data_hash_ignores_row_order_but_not_content(sample_calls):
    part = sample_calls.head(50)
    assert data_hash(part) == data_hash(part.iloc[::-1])
    changed = part.copy()
    changed.loc[changed.index[0], "caller_as"] = "警察官"
    assert data_hash(changed) != data_hash(part)


# ---------------------------------------------------------------------------
# The summary alert


@pytest.fixture(scope="module")
def area_set(built_workspace):
    from anshin_lab.app.catalog import load_areas

    return load_areas(built_workspace.root)


def test_a_wave_is_drafted_at_municipality_level_with_phrases_counts_and_tips(sample_calls, tables, area_set):
    period = Period(parse_day("2026-07-27"), parse_day("2026-08-02"))
    summary = summarise(sample_calls, period=period, area=resolve_area("鹿児島県", tables), tables=tables,
                              history_start=sample_calls["occurred_at"].min())
    draft = draft_summary_alert(summary, area_set)
    wave = summary.waves.iloc[0]
    assert (wave["city"], wave["caller_as"]) == ("西之表市", "警察官")
    # A prefecture report's mail speaks of the prefecture and its counts; the wave's day names its municipality.
    assert draft.category == "fraud" and draft.level.name == "PREF"
    assert draft.subject == "【うそ電話詐欺】鹿児島県内で警察官を名乗る電話"
    assert "■よくある言葉" in draft.body and "★" in draft.body
    assert f"7月31日(金)には西之表市内で" in draft.body and f"{int(wave['count'])}件集中しました" in draft.body
    police = summary.calls[summary.calls["caller_as"] == "警察官"]
    assert f"鹿児島県内で警察官を名乗るうそ電話が{len(police)}件確認されました" in draft.body
    assert set(wave["call_ids"]) <= set(draft.incident_ids) and len(draft.incident_ids) == len(police)
    assert not any(ch.isdigit() for ch in draft.public_text)  # no 丁目, block or lot


def test_without_a_wave_the_prefecture_mail_names_the_commonest_caller(sample_calls, tables, area_set):
    period = Period(parse_day("2026-11-01"), parse_day("2026-11-30"))
    summary = summarise(sample_calls, period=period, area=resolve_area("鹿児島県", tables), tables=tables)
    assert summary.waves.empty
    draft = draft_summary_alert(summary, area_set)
    top = summary.by_caller.iloc[0]
    assert draft.level.name == "PREF" and f"{top['caller_as']}を名乗る" in draft.subject
    assert f"{int(top['count'])}件確認されました" in draft.body


@pytest.mark.parametrize("area, wording, select", [
    ("鹿児島中央警察署", "鹿児島中央警察署管内", lambda raw: raw["station"] == "鹿児島中央警察署"),
    ("鹿児島市", "鹿児島市内", lambda raw: raw["city_code"] == "46201"),
    ("鹿児島県", "鹿児島県内", lambda raw: raw["call_id"] != ""),
])
def test_the_summary_mail_names_the_requested_area_and_counts_only_its_calls(built_workspace, sample_calls, tables,
                                                                            area_set, area, wording, select):
    # The week the issue found: 「鹿児島市内で…3件(前7日間は5件)」 in a 中央署 report, while the city had 7.
    period = Period(parse_day("2026-11-24"), parse_day("2026-11-30"))
    summary = summarise(sample_calls, period=period, area=resolve_area(area, tables), tables=tables)
    draft = draft_summary_alert(summary, area_set)
    caller = draft.fields["caller"]
    raw = pd.read_csv(built_workspace.sample_dir / "fraud_calls.csv", dtype=str, keep_default_na=False)
    when = pd.to_datetime(raw["occurred_at"], format="ISO8601").dt.tz_convert("Asia/Tokyo").dt.date.astype(str)
    mine = raw[select(raw) & (raw["caller_as"] == caller)]
    now = int(when[mine.index].between("2026-11-24", "2026-11-30").sum())
    before = int(when[mine.index].between("2026-11-17", "2026-11-23").sum())
    assert now > 0
    assert (f"{wording}で{caller}を名乗るうそ電話が{now}件確認されました(その前の7日間は{before}件)") in draft.body
    assert draft.subject == f"【うそ電話詐欺】{wording}で{caller}を名乗る電話" and draft.public_text == wording
    assert len(draft.incident_ids) == now
    others = {"鹿児島中央警察署管内", "鹿児島市内", "鹿児島県内"} - {wording}
    assert not [w for w in others if w in draft.body], draft.body
    if area == "鹿児島中央警察署":
        week = when.between("2026-11-24", "2026-11-30")
        district, city = week & select(raw), week & (raw["city_code"] == "46201")
        assert summary.totals["count"] == int(district.sum()) < int(city.sum())  # the city had more
        assert (draft.area_codes["station"], draft.level.name) == ("鹿児島中央警察署", "CITY")


@pytest.fixture
def staffed_workspace(fresh_workspace):
    from anshin_lab.workflow.users import add_user, authenticate

    engine = store.connect(fresh_workspace.database_url)
    try:
        add_user(engine, None, "admin", "admin", "admin-password-123")
        admin = authenticate(engine, "admin", "admin-password-123")
        add_user(engine, admin, "scheduler", "analyst", "scheduler-password-123", "定期実行")
        add_user(engine, admin, "chief", "station_chief", "chief-password-1234")
    finally:
        engine.dispose()
    return fresh_workspace


def test_the_summary_draft_is_stored_once_as_a_draft_by_the_named_analyst(staffed_workspace, sample_calls, tables,
                                                                          area_set, monkeypatch):
    """The draft goes through a real ``anshin service``: a name alone stores nothing, a login stores it once."""
    from anshin_lab.workflow.alerts import get_alert

    from .service_process import running_service

    period = Period(parse_day("2026-07-27"), parse_day("2026-08-02"))
    summary = summarise(sample_calls, period=period, area=resolve_area("鹿児島県", tables), tables=tables)
    summary.data_hash = data_hash(sample_calls)
    draft = draft_summary_alert(summary, area_set)
    ws = staffed_workspace.root
    monkeypatch.delenv("ANSHIN_SESSION", raising=False)
    monkeypatch.delenv("ANSHIN_USER", raising=False)
    monkeypatch.delenv("ANSHIN_PASSWORD", raising=False)
    not_running = store_summary_draft(ws, draft, summary, analyst="scheduler")
    assert not not_running.stored and "anshin service" in not_running.message
    with running_service(staffed_workspace):
        assert not store_summary_draft(ws, draft, summary).stored  # nobody named, nobody logged in
        # A bare name without its password drafts as nobody: the old "--analyst NAME" hole.
        assert not store_summary_draft(ws, draft, summary, analyst="scheduler").stored
        monkeypatch.setenv("ANSHIN_PASSWORD", "scheduler-password-123")
        stored = store_summary_draft(ws, draft, summary, analyst="scheduler")
        assert stored.stored and not stored.existing and "承認されるまで配信されません" in stored.message
        again = store_summary_draft(ws, draft, summary, analyst="scheduler")
        assert again.existing and again.alert_id == stored.alert_id
        monkeypatch.setenv("ANSHIN_PASSWORD", "chief-password-1234")
        summary.data_hash += "-changed"  # new data: nothing drafted yet to hand back
        as_chief = store_summary_draft(ws, draft, summary, analyst="chief")  # a station chief does not draft
        assert not as_chief.stored and "登録していません" in as_chief.message
        assert not store_summary_draft(ws, draft, summary, analyst="scheduler", enabled=False).stored
    engine = store.connect(staffed_workspace.database_url)
    try:
        alert = get_alert(engine, stored.alert_id)
        with engine.connect() as conn:
            assert not conn.execute(store.outbox.select()).all()
    finally:
        engine.dispose()
    assert alert.status.value == "draft" and alert.created_by == "scheduler" and alert.subject == draft.subject


@pytest.fixture
def copied_workspace(built_workspace, tmp_path):
    """The built workspace's files (layers, reference, sample) with a database of its own."""
    from anshin_lab.app.workspace import open_workspace

    root = tmp_path / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    ws = open_workspace(root)
    store.connect(ws.database_url).dispose()
    return ws


def test_the_workspace_summary_reads_the_database_and_hashes_what_it_read(copied_workspace, tmp_path):
    rows = [call(**{"受付番号": f"F-{i}", "発生日時": f"2026-04-{10 + i} 14:10"}) for i in range(5)]
    import_fraud_calls(write(tmp_path / "calls.csv", rows), copied_workspace)
    root = copied_workspace.root
    summary = summarise_workspace(root, start="2026-04-11", end="2026-04-14", area="鹿児島南警察署")
    assert summary.totals["count"] == 4 and summary.rows_read == 5
    stored = read_stored_calls(root)
    assert summary.data_hash == data_hash(stored, extra=f"history_start={stored['occurred_at'].min()}")
    default = summarise_workspace(root)  # the week up to the last call
    assert (default.period.start, default.period.end) == (pd.Timestamp("2026-04-08").date(),
                                                          pd.Timestamp("2026-04-14").date())
    from_file = summarise_workspace(root, start="2026-04-11", end="2026-04-14", calls_file=tmp_path / "calls.csv")
    assert from_file.totals["count"] == 4 and "直接読み込み" in from_file.source
