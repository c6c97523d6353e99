"""Round 88 of issue 14 (rules from heldout87a/87b's misses, read after they were scored), in sentences written for
these tests: a port or a market whose name SudachiPy cuts into single kanji (「加露港」「南樽市場」), a children's castle
(「いわてこどもの城」), an announcer by her short title (「山田アナ」) or with a katakana given name glued to the title
(「鈴木|ハナアナウンサー」), an age after two posts held at once (「総務部長兼会計(58)」), an airport's short name and a
noodle chain; and no finding for a class on safety (「防犯スポーツ教室」) or みやき町's mascot."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("漁協の近くの加露港で釣り", [("facility", "加露港")]),
    ("朝の南樽市場で買い物", [("facility", "南樽市場")]),
    ("いわてこどもの城で遊んだ", [("facility", "いわてこどもの城")]),
    ("司会は山田アナが務めた", [("person", "山田")]),
    ("司会は地元局の鈴木ハナアナウンサーでした。", [("person", "鈴木ハナ")]),
    ("事務局の田中一郎(たなかいちろう)総務部長兼会計(58)が説明",
     [("person", "田中一郎"), ("person", "(たなかいちろう)"), ("person", "(58)")]),
    ("関空で見つかった", [("facility", "関空")]),
    ("スガキヤで食事をした", [("facility", "スガキヤ")]),
    ("東浜校区防犯スポーツ教室が開かれた", []),
    ("みやきまもる君が来た", []),
])
def test_round88_findings(text, found):
    """Each fails on the commit before round 88's rules (d5863e9)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("県内の市町郡消費生活センターを訪ねた", []),
    ("大字近永の一班住宅で", []),
    ("アナログ回線の電話", []),
    ("書道教室で", []),
    ("防犯教室を開いた", []),
    ("波多腰書道教室に通う", [("facility", "波多腰書道教室")]),
])
def test_round88_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
