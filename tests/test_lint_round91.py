"""Round 91 of issue 14 (rules from heldout90a/90b's misses, read after they were scored), in sentences written for
these tests: a couple by its family name and 夫婦 (「田中夫婦」), a phone with a space beside a hyphen
(「0857-30 -8177」); and no finding for a co-operative honoured (「農協さん」), a police station's reading, a
date after hiragana words a space splits (「…につ いて(6月6日)」), a label before a space (「問い合せ先 本庁舎…」), a
bare 医療センター, a puppet's or a campaign's character (「人形の「けんちゃん」」「交通ルルちゃん」), a district's
folk-music society (「六角橋囃子保存会」), a mail service named after its place (「POLICEメールふくしま」) or a
group's place before its head's title (「パトラン山形代表」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("容疑者と田中夫婦の計3人を任意同行した", [("person", "田中")]),
    ("連絡先は0994-31 -2277です", [("phone", "0994-31 -2277")]),
    ("農協さん主催の交通安全教室が開かれた", []),
    ("白山警察署(はくさんけいさつしょ)は", []),
    ("学校の対応につ いて(5月8日)", []),
    ("問い合せ先 本庁舎地域安全課", []),
    ("医療センター駐車場で", []),
    ("腹話術で人形の「たけしくん」と話した", []),
    ("交通ルルちゃんが渡り方を説明した", []),
    ("天神橋囃子保存会による演奏", []),
    ("連絡先 山 下小学校", [("facility", "山 下小学校")]),
    ("POLICEメールかごしま 毎月1日は", []),
    ("パトラン熊本代表があいさつした", []),
])
def test_round91_findings(text, found):
    """Each fails on the commit before round 91's rules (c1d6aa3)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("高齢夫婦が窓口で", []),
    ("山田さん夫婦が", [("person", "山田")]),
    ("0994-31-2277", [("phone", "0994-31-2277")]),
    ("無職 やまだ はなこ(45)が", [("person", "やまだ はなこ"), ("person", "(45)")]),
    ("鹿児島医療センターで", [("facility", "鹿児島医療センター")]),
    ("交通課のユミちゃんが", [("person", "ユミ")]),
    ("山下小学校太鼓保存会", [("facility", "山下小学校")]),
    ("リナシティかのやで", [("facility", "リナシティかのや")]),
    ("防犯連合会(会長・西川市長)は", [("person", "西川")]),
])
def test_round91_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
