"""Round 54 of issue 14 (from heldout53a/53b's misses): Japan's police stations by name (a word before 署長 that names no
station is the head's, a station's name before 警察署長 is the station), a headquarters' chief whose family name is a
place, a minister by family name and ministry, a school's old days; no place in the police's own units and schools, a
league, a football club or a body named after a newspaper. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.police_stations import is_station_name


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


def test_the_station_list_covers_the_country():
    assert all(is_station_name(n) for n in ("網干", "鹿児島中央", "博多臨港", "麹町", "飛騨", "稚内", "大聖寺"))
    assert not any(is_station_name(n) for n in ("大城", "谷山", "網干警察署", ""))


@pytest.mark.parametrize(("text", "names"), [
    ("下地さんに大城署長から感謝状が贈られた。", ["大城"]),      # no 大城署 in Japan: the head's family name
    ("式では山﨑署長が訓示した。", ["山﨑"]),
    ("高輪署長は、パトロールの強化を指示しました。", []),      # 高輪署's head
    ("網干警察署長からは万引きが増えているとの報告も。", []),  # 網干警察署, though SudachiPy reads 網干 as a family name
    ("佐藤警察署長があいさつした。", ["佐藤"]),                # no 佐藤警察署: the head
])
def test_a_word_before_the_station_heads_title(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("着任会見で那須本部長は「事故を減らす」と述べた。", ["那須"]),
    ("県警本部長が訓示した。", []),
    ("小坂文部科学大臣は防犯カメラの設置を検討している。", ["小坂"]),
    ("前田前総務大臣があいさつした。", ["前田"]),
    ("文部科学大臣は会見で述べた。", []),
    ("この日は、鈴木知事や難波本部長、岡本直之県公安委員長らが視察した。", ["鈴木", "難波", "岡本直之"]),
])
def test_heads_by_family_name_and_office(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_a_schools_old_days_name_it():
    assert _texts(text := "山田さんは鶴丸高時代にラグビー部で活躍した。", "facility") == ["鶴丸高"], lint(text)
    assert _texts(text := "江戸時代の町並み", "facility") == [], lint(text)


@pytest.mark.parametrize("text", [
    "○秋田県警察本部県民安全相談センター",              # a unit of the police
    "1990年に警察庁に入り、警察大学校の教養部長などを務めた。",
    "明治8年、鳥取警察出張所を設置した。",
    "石見地方を拠点にJリーグ参入を目指すクラブ",           # a league is a body
    "サッカークラブ「ベルガロッソいわみ」の選手が任命された。",  # a team
    "山形新聞親交会に感謝状を贈った。",                    # a body named after the paper
    "シルバー人材センターへの委託へと変更された。",          # the kind every town has
])
def test_no_facility_in_these(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_fitness_club_and_a_paper_stay_facilities():
    assert _texts(text := "スポーツクラブ「ルネサンス」で声をかけられた。", "facility") == ["ルネサンス"], lint(text)
    assert _texts(text := "山形新聞社会部の記者", "facility") == ["山形新聞"], lint(text)
