"""Round 99 of issue 14 (rules from heldout98a/98b's misses, read after they were scored), in sentences written for
these tests: a given name of two hiragana that SudachiPy reads as particles, alone before さん (「容疑者がとよさんを」), and
the members of a pupils' list bracketed with their grade alone (「▽山城我聞(同)」); no finding for the adverb ちゃんと after
a word (「角とこはちゃんと」), a village's police box (「福居村巡査派出所」) or small and medium firms (「各種小中企業」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("男は同居する母親がとよさんを殴った疑い", [("person", "とよ")]),
    ("、とよさんは歩行が不自由だった", [("person", "とよ")]),
    ("比嘉蒼空(6年)▽山城我聞(同)▽新垣結心(同)▽仲村颯(4年)",
     [("person", "比嘉蒼空"), ("person", "山城我聞"), ("person", "新垣結心"), ("person", "仲村颯")]),
])
def test_round99_findings(text, found):
    """Each fails on the commit before round 99's rules (e2aed91)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found", "learned"), [
    ("「細い道とか角とこはちゃんと見て渡る」", [], False),
    ("当時は上灘村巡査派出所と呼ばれた", [], False),
    ("農家や各種小中企業の混在する地域", [], True),
])
def test_round99_no_false_alarm(text, found, learned):
    """Each fails on e2aed91, which found 「角とこは」 and 「上灘」 as persons and 「各種小」 as a school."""
    assert _found(text, learned) == found, lint(text, learned=learned)


@pytest.mark.parametrize(("text", "found"), [
    ("ゆいちゃんと遊んだ", [("person", "ゆい")]),
    ("みなさんが来た", []),
    ("子どもがおばあさんに声をかけた", []),
    ("市内の小学校(5年)と中学校(2年)", []),
    ("大橋祐介君(6年)、早川森君(6年)", [("person", "大橋祐介"), ("person", "早川森")]),
    ("西山刑事課長が説明した", [("person", "西山")]),
])
def test_round99_guards(text, found):
    """Pass before and after round 99's rules: what they must not change."""
    assert _found(text) == found, lint(text)
