"""Round 98 of issue 14 (rules from heldout97a/97b's misses, read after they were scored), in sentences written for
these tests: a one-kanji school's short name before its school guards (「桜小スクールガード」), a clerk by family name
before 職員 (「森下職員が」), a writer's signature with its date and 記 (「…担当/東、2023年5月8日 記】」); and no finding for
the こと of an alias (「…こと李健一容疑者」, read as a reading glued before 方) nor for a temple's or shrine's name that
names a shopping street (「妙法寺商店街」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("桜小スクールガードの皆さんが下校を見守る", [("facility", "桜小")]),
    ("不審に思った森下職員が声を掛けた", [("person", "森下")]),
    ("【地域担当/東、2023年5月8日 記】", [("person", "東")]),
])
def test_round98_findings(text, found):
    """Each fails on the commit before round 98's rules (1d23517)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("会社員・田中浩二こと方浩二容疑者(41)を逮捕", [("person", "田中浩二"), ("person", "方浩二"), ("person", "(41)")]),
    ("妙法寺商店街の通行人にチラシを配った", []),
])
def test_round98_no_false_alarm(text, found):
    """Each fails on 1d23517, which found 「こと」 as a person and 「妙法寺」 as a facility."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("市内小スクールガードの研修会", []),
    ("市職員が訪問した", []),
    ("同市まちづくり・国際課職員、平澤龍一容疑者(27)を逮捕", [("person", "平澤龍一"), ("person", "(27)")]),
    ("【総務課/広報、2023年5月8日 記】", []),
    ("延命寺で法要", [("facility", "延命寺")]),
    ("知念信恒のぶつね会長", [("person", "知念信恒"), ("person", "のぶつね")]),
])
def test_round98_guards(text, found):
    """Pass before and after round 98's rules: what they must not change."""
    assert _found(text) == found, lint(text)
