"""Round 82 of issue 14 (rules from heldout81a/81b's misses, read after they were scored), in sentences written for
these tests: a quoted kana name before its kind that SudachiPy cuts into particles (「『べふ保育園』」), family names after
a label when one of them is a rare one (「担当者:荒川・舂井」), an office glued after its head's full name whose last part
SudachiPy reads as a family name (「山田太郎宝来郵便局長」), a short school before all its pupils (「大宮西小、全校児童」) or
its girls (「清水七中の女子生徒」), a town's numbered school (「清水七中」), a hiragana branch SudachiPy reads as an
interjection (「ささかみ支店」); and no finding for a workplace a suspect calls his own (「自称飲食店」), the post offices
of a city after a headline's words (「詐欺防止 市内郵便局」), a course for the elderly (「「寿大学」」), a police station's
number after its town in the bracket (「西警察署(西市平岡町、TEL …-0110)」) or a body named after a place
(「長野南防犯協会連合会」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("団体を探したところ『べふ保育園』が手を挙げた。", [("facility", "べふ保育園")]),
    ("担当者:荒川・舂井", [("person", "荒川"), ("person", "舂井")]),
    ("(部会長・山田太郎宝来郵便局長)と", [("person", "山田太郎"), ("facility", "宝来郵便局")]),
    ("「安全見守って」 大宮西小、全校児童 110番の家に", [("facility", "大宮西小")]),
    ("清水七中の女子生徒に声をかけた", [("facility", "清水七中")]),
    ("【新潟みどり農協 ささかみ支店 田中花子さん】", [("facility", "新潟みどり農協 ささかみ支店"), ("person", "田中花子")]),
    ("大津市、自称飲食店従業員、山田一郎容疑者(20)", [("person", "山田一郎"), ("person", "(20)")]),
    ("かもめ~るで詐欺防止 市内郵便局が協賛", []),
    ("講座「寿大学」が開かれた。", []),
    ("西警察署(西市平岡町、TEL 079-427-0110)で", []),
    ("チラシを渡す長野南防犯協会連合会女性部員", []),
])
def test_round82_findings(text, found):
    """Each fails on the commit before round 82's rules (012b580)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("担当者:荒川・井上", [("person", "荒川"), ("person", "井上")]),
    ("担当者:防犯・交通", []),
    ("中村防犯協会会長があいさつ", [("person", "中村")]),
    ("山田太郎鯖江郵便局長", [("person", "山田太郎"), ("facility", "鯖江郵便局")]),
    ("町のかみ支店", [("facility", "かみ支店")]),
    ("清水七中の生徒が", [("facility", "清水七中")]),
    ("夏休み中の男子生徒", []),
])
def test_round82_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
