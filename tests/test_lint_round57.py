"""Round 57 of issue 14 (from heldout56a/56b's misses): a suspect's given name read right before 容疑者, a family name read
in the middle that the dictionary lacks, a name read part by part, a caption's row of bare family names, a byline's full
name, くん in katakana, a mascot introduced with さん, a count of towns before their heads' title, and たくさん glued
to a word. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint, scrub


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("県警は、無職中尾一聖(かいせい)容疑者(23)を監禁の疑いで逮捕した。", ["中尾一聖", "(かいせい)", "(23)"]),
    ("送検した長男の無職、学(まなぶ)容疑者(36)を再逮捕した。", ["学", "(まなぶ)", "(36)"]),
    ("自称無職、上国町(かみくにまち)学容疑者(49)を逮捕した。", ["上国町", "(かみくにまち)", "学", "(49)"]),
    ("店員の麓(ふもと)美樹さん(46)に感謝状を贈った。", ["麓", "(ふもと)", "美樹", "(46)"]),
    ("連合会長の五十嵐(いがらし)清江(きよえ)さん(74)に", ["五十嵐", "(いがらし)", "清江", "(きよえ)", "(74)"]),
    ("山田太郎(やまだたろう)容疑者(36)を逮捕", ["山田太郎", "(やまだたろう)", "(36)"]),
])
def test_readings_around_a_suspects_name(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_nothing_of_a_read_suspect_reaches_a_member():
    fixed, _ = scrub("長男の無職、学(まなぶ)容疑者(36)を殺人容疑で再逮捕した。")
    assert "学(" not in fixed and "まなぶ" not in fixed and "36" not in fixed, fixed


@pytest.mark.parametrize(("text", "names"), [
    ("- 前列左から三木・萩原・堀本 後列左から西本・八田の皆さん", ["三木", "萩原", "堀本", "西本", "八田"]),
    ("(左から)鹿児島・宮崎・熊本の3県", []),                       # a row of places
    ("写真左から宮崎・熊本・福岡の各県警", []),
    ("という。【尾形有菜、田畠広景】", ["尾形有菜", "田畠広景"]),
    ("(後列左から)渡辺警備監、平野部長、新田課長", ["渡辺", "平野", "新田"]),
    ("- 感謝状を持つ萩原連長", ["萩原"]),
    ("ふるさと大使のさかなクンを一日署長に委嘱した。", ["さかな"]),
    ("キャンペーンのキャラクター「レルヒさん」のイラスト", []),      # a mascot introduced as a character
    ("管内の岡崎、幸田、額田三市町長ら来賓が出席した。", []),         # the heads of three towns
    ("集会所に具だくさんのカレーを持ち込む。", []),                   # たくさん
])
def test_names_of_round_57(text, names):
    assert _texts(text, "person") == names, lint(text)
