"""Round 26 of issue 14 (from heldout25a/25b's misses): a post office by its town and 局 with its head in brackets, a high
school's short name before its department, a firm's head glued after its katakana name; and what is no place or no
name: a group's quoted name, the stations or members of a line or a union, housing kinds side by side, the pupils of
a kindergarten, a region before 地区, a map service, a headline's words before 銀行員; a group addressed with 様, a
writers' desk, a children's club, the branch whose head is named after it. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text, name", [
    ("京都府の向日町局(和田征雄局長)は協定を締結した。", "向日町局"),
    ("環境美化に協力した玖珠美山高地域産業科も選ばれた。", "玖珠美山高"),
    ("鶴丸高普通科の生徒が参加した。", "鶴丸高"),
    ("今回は、(株)ライフニュー有村代表から寄贈を受けた。", "(株)ライフニュー"),
    ("さくら幼稚園園児が参加した。", "さくら幼稚園"),
    ("防犯ボランティア団体「大浦小スクールサポート隊」が参加した。", "大浦小"),  # a school inside a group's name
])
def test_round26_facilities(text, name):
    assert name in _found(text, "facility"), lint(text)


@pytest.mark.parametrize("text, name", [
    ("今回は、(株)ライフニュー有村代表から寄贈を受けた。", "有村"),
    ("同金庫谷山支店長の水口慎太郎さん(52)に感謝状を贈った。", "水口慎太郎"),
    ("長女で従業員の礼さんに感謝状を贈った。", "礼"),
])
def test_round26_persons(text, name):
    assert name in _found(text, "person"), lint(text)


@pytest.mark.parametrize("text", [
    "地域活性化に取り組む市民団体「さとまる学校」には録音機が贈られました。",
    "管内の東急線各駅、東急ストアで配布している。",
    "アパート・マンション等で潜伏生活を続けています。",
    "県警の要請に応じ組合員ホールの駐車場を提供する。",
    "式には管内3カ所の幼稚園園児が参加した。",
    "山城地区連絡会は4月12日、協定を締結した。",
    "【グーグルマップ 鹿児島市紫原3丁目】",
    "詐欺被害未然防止 銀行員らに感謝状 霧島署",
])
def test_round26_no_facility(text):
    found = [f.text for f in lint(text) if f.kind == "facility" and f.text != "東急ストア"]
    assert found == [], lint(text)


@pytest.mark.parametrize("text, not_a_name", [
    ("庁舎見学で来庁した小学生の団体様から、作品を頂きました。", "団体"),
    ("(南日本総局・鈴木俊平、佐藤駿伍)", "南日本総局"),
    ("式典の最後に「松福子ども会、市原大雅君」からお礼の言葉がありました。", "松福"),
    ("同金庫谷山支店長の水口慎太郎さん(52)に感謝状を贈った。", "谷山"),
    ("う ず し お く ん 啓 発 動 画", "う ず し お"),
])
def test_round26_no_person(text, not_a_name):
    assert not_a_name not in _found(text, "person"), lint(text)
