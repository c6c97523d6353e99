"""Round 120 of issue 14 (rules from heldout119a/119b's misses, read after they were scored), in sentences written for
these tests: a 大字 and its lot in brackets, whether the gazetteer knows the end of its name or not (「(大字上原312)」), a
lot's letter of the old イロハ order between the town and the numbers (「東津田町イ1234-5」), an age at the time of the crime
after the age now (「42歳(犯行当時41歳)」), a hot-spring town's public bath (「山中温泉総湯」) and a weir (「旭川合同堰」); and
no finding for a professional team by its match (「ザスパ群馬戦」), a title and の before the one who signed an agreement
(「社長の田中と」) or a centre for victims of sexual violence (「おかやま性被害ケアセンター」). The learned detector reads no
name over a topic's particle (「午前中|は|幼稚園」). The guards hold what the same rules keep: a town and its lot where the
text ends before the bracket does, a 丁目 in 旭川's shorthand, a team by its league."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("旧駐在所は明治に開設(大字上原312)、のちに移転した。", [("exact_address", "大字上原312")]),
    ("松江市東津田町イ1234-5", [("exact_address", "松江市東津田町イ1234-5")]),
    ("山田一郎容疑者42歳(犯行当時41歳)を逮捕した。", [("person", "山田一郎"), ("person", "42歳"), ("person", "41歳")]),
    ("山中温泉総湯で啓発した。", [("facility", "山中温泉総湯")]),
    ("岡山市の旭川合同堰の近くで", [("facility", "旭川合同堰")]),
    ("ザスパ群馬戦にて啓発を行った。", []),
    ("協定調印式に社長の田中と部長が出席し、協定を結びました。", [("person", "田中")]),
    ("会議には、おかやま性被害ケアセンターが出席した。", []),
])
def test_round120(text, found):
    """Each fails on the commit before round 120's rules (9badd60): the 大字 was read only in part, the lot after a
    letter and the second age not at all, nor the bath or the weir; the team, the signer and the centre were facilities."""
    assert _found(text) == found, lint(text, learned=False)


def test_no_learned_name_over_a_topic_particle():
    """「午前中は幼稚園」 is no name (the particle ends a phrase); 「幼稚園」 alone is only a kind. Round 119's model read
    it as one."""
    assert _found("※午前中は幼稚園保育園等の教室が多く開催されます。", learned=True) == []


@pytest.mark.parametrize(("text", "found"), [
    ("北浜交番(北浜町58", [("exact_address", "北浜町58")]),
    ("保育園(豊岡三ノ五)から園児が来た。", []),
    ("J2「ロアッソ熊本」の選手が参加した。", []),
    ("田中一ノ瀬さんが", [("person", "田中一ノ瀬")]),
    ("東海大相模の選手が", [("facility", "東海大相模")]),
    ("社長の田中太郎氏が出席し、協定を結んだ。", [("person", "田中太郎")]),
    ("白土正博容疑者(当時55歳)を", [("person", "白土正博"), ("person", "(当時55歳)")]),
    ("鹿児島市吉野町1234", [("exact_address", "吉野町1234")]),
])
def test_round120_guards(text, found):
    """Pass before and after round 120's rules: what they must not change."""
    assert _found(text) == found, lint(text)
