"""Round 92 of issue 14 (rules from heldout91a/91b's misses, read after they were scored), in sentences written for
these tests: a city's fire station by its direction (「東消防署」), a school one graduates from or a merger makes
(「犀桜小を卒業」), a gang's boss by his family name (「井場組長」), a storyteller's stage name (「落語家の桂枝曾丸さん」), an
age after a club's post (「老人ク連合会長(84)」), a supermarket named in hiragana (「スーパーもりかわ」); and no finding for a
police number after 電話番号 (「宮古警察署(電話番号:64-0110)」), a club's member (「地域活動部員さん」), a branch between
its head's full name and his title (「日野康志 野村支部長」) or a centre written つくり (「町つくりセンター」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("西消防署などから計約50人が参加した", [("facility", "西消防署")]),
    ("その後、鶴亀中を卒業した若者", [("facility", "鶴亀中")]),
    ("2校が統合して鶴亀中が誕生した", [("facility", "鶴亀中")]),
    ("対立する井場組長を撃った", [("person", "井場")]),
    ("落語家の桂枝曾丸さんが講話した", [("person", "桂枝曾丸")]),
    ("山村誠三(やまむらせいぞう)老人ク連合会長(84)は", [("person", "山村誠三"), ("person", "(やまむらせいぞう)"),
                                           ("person", "(84)")]),
    ("国道をスーパーもりかわやコンビニへ", [("facility", "スーパーもりかわ")]),
    ("宮古警察署(電話番号:64-0110)に通報を", []),
    ("地域活動部員さん達と歩いた", []),
    ("日野康志 野村支部長は教室を開いた", [("person", "日野康志")]),
    ("町つくりセンターから入る", []),
])
def test_round92_findings(text, found):
    """Each fails on the commit before round 92's rules (1b99fda)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("各消防署から", []),
    ("同小を卒業した", []),
    ("市立小を卒業した", []),
    ("山口組組長が", []),
    ("落語家の方さん", []),
    ("スーパーなどで買い物", []),
    ("宮古警察署(電話番号:64-1234)に", [("phone", "64-1234")]),
    ("加茂川 寛之支部長", [("person", "加茂川 寛之")]),
    ("まちづくりセンター", []),
])
def test_round92_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
