"""Person names by their shape (issue 14, round 6): titles the list lacked, the news' 「職業、氏名容疑者(NN)」,
names in a row, readings, nicknames, claimed names in kanji, stage names, and the guards against mascots,
titles and organisations read as names.

Every sentence and name here is written for these tests; none is in ``tests/data/real_alerts``.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint, scrub


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


FOUND = [
    # a family name SudachiPy does not know, before a title the round-5 list lacked
    ("防犯協会の鶴丸芳郎会長があいさつした。", ["鶴丸芳郎"]),
    ("式では宇佐美千夏副校長が講話をした。", ["宇佐美千夏"]),
    ("柚木崎健吾教育長は「再発を防ぐ」と述べた。", ["柚木崎健吾"]),
    ("市教委の指導主事、曽我部瑞希主事(31)が説明した。", ["曽我部瑞希", "(31)"]),
    # 前 / 元 between a name and its title
    ("地区連合会の小野寺前会長から報告があった。", ["小野寺"]),
    ("式には古賀元社長も出席した。", ["古賀"]),
    # an age after a title of several words
    ("真庭信金と富樫秀明支店長代理(52)に感謝状を贈った。", ["富樫秀明", "(52)"]),
    # a department between the name and the title
    ("県警の荻野生活安全部長らが出席した。", ["荻野"]),
    # a given name SudachiPy reads as other words, before a job title or さん
    ("ローソン北町店(永井志也店長)に感謝状が贈られた。", ["永井志也"]),
    ("店の天野颯斗さんが声をかけた。", ["天野颯斗"]),
    ("西村うた乃記者:「現場は住宅街です」", ["西村うた乃"]),
    # the news' 「住所、職業、氏名容疑者(NN)」, the occupation glued or not
    ("大分市、建築作業員、西部庄大容疑者(27)を逮捕した。", ["西部庄大", "(27)"]),
    ("住居不詳、無職須原城容疑者(33)を逮捕した。", ["須原城", "(33)"]),
    ("奈良市、派遣社員吉住亮介容疑者(29)を逮捕した。", ["吉住亮介", "(29)"]),
    # names in a row: one found, the other read by the row
    ("長島会長と石井副会長が出席した。", ["長島", "石井"]),
    ("地域課の上原・砂辺両巡査が対応した。", ["上原", "砂辺"]),
    # a full reading in brackets is a finding of its own
    ("会社員・齋孝一(さい・こういち)容疑者(33)を逮捕。", ["齋孝一", "(さい・こういち)", "(33)"]),
    # nicknames and names claimed in kanji
    ("仲間からは「パチンコの須藤」と呼ばれていた。", ["須藤"]),
    ("男は「宇治原と名乗る男から電話があった」と話した。", ["宇治原"]),
    ("男は「名前は長谷川だ」と名乗った。", ["長谷川"]),
    # who wrote or answers for a page, after its label
    ("担当:地域安全課 喜舎場", ["喜舎場"]),
    ("記事:仲宗根", ["仲宗根"]),
    # a family name SudachiPy reads as a place, before 様
    ("見守り隊長の宮崎様からご挨拶をいただいた。", ["宮崎"]),
    # stage names and a name with its role in brackets
    ("テリー伊藤は番組で語った。", ["テリー伊藤"]),
    ("尾木直樹(教育評論家)は「注意が必要」と話す。", ["尾木直樹"]),
]


@pytest.mark.parametrize(("text", "names"), FOUND)
def test_names_are_found_by_their_shape(text, names):
    assert _persons(text) == names, (text, [(f.kind, f.text) for f in lint(text)])


CLEAN = [
    "少年容疑者(17)は容疑を認めている。",
    "会社員の男(32)を逮捕した。",
    "県教育長は会見で陳謝した。",
    "同支店長は「協力したい」と話した。",
    "PTA会長と副会長が出席した。",
    "自治会長らが見守り活動をした。",
    "警察官と名乗る男から電話があった。",
    "大阪営業部長が説明した。",
    "防犯協会長と交通安全協会長が出席した。",
    "知らない人が来たら先生に話そう。",  # 「たら」 is the end of a verb, not a name before 先生
    "中野駐在所の巡査部長さんを招いた。",  # 「部長」 is a title, not a name before さん
    "専門家(弁護士)によると注意が必要だ。",
    "鈴木副署長は「気をつけて」と話した。",  # the name, not 「鈴木副」
]


@pytest.mark.parametrize("text", CLEAN)
def test_look_alikes_are_no_names(text):
    found = [f for f in lint(text) if f.kind == "person"]
    if text.startswith("鈴木"):
        assert [f.text for f in found] == ["鈴木"]
    else:
        assert not found, (text, [(f.kind, f.text) for f in found])


def test_mascots_in_a_text_about_mascots_are_no_persons():
    assert _persons("会場に県警マスコットのポリンくんとモモ丸くんが登場した。") == []
    # a character named by a common word (「タヌキくん」) shows the text is about characters
    assert _persons("タヌキくんとぽんたろう君がチラシを配った。") == []
    # a child beside a mascot stays a person
    assert _persons("マスコットのフーくんとさきちゃんが並んだ。") == ["さき"]


def test_reading_goes_away_with_the_name():
    assert scrub("店員の真柴遥斗(ましば・はると)さん(24)が通報した。")[0] == "店員の〇〇さん(20歳代)が通報した。"


def test_a_role_in_katakana_is_no_reading():
    assert _persons("パックン(タレント)は話した。") == ["パックン"]
