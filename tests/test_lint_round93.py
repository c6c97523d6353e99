"""Round 93 of issue 14 (rules from heldout92a/92b's misses, read after they were scored), in sentences written for
these tests: the short form a text defines for a name (「(以下松本)」), a school's name read out before its kind
(「大里(おおざと)中学」), a nickname read out before こと (「「リーゼント刑事(デカ)」こと」), an age at the end of a profile
line (「…裕行さん 警視 57歳」), a head's full name of three glued before his office (「山本圭|剛海草振興局長」); and no finding
for a female student of a place (「千葉女子大生」), all of a city's schools (「金沢市 全小中学校」), a hostess bar as a kind
(「社交飲食店」) or a town's name in a body's branch after a centre named after it (「…協会緑ヶ丘支部」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("松本健一会長(以下松本)は", [("person", "松本健一"), ("person", "松本")]),
    ("大里(おおざと)中学のPTA", [("facility", "大里(おおざと)中学")]),
    ("評論家の「リーゼント刑事(デカ)」こと田中一郎さんが講演", [("person", "リーゼント刑事"), ("person", "(デカ)"),
                                               ("person", "田中一郎")]),
    ("署長に就任した 山本 裕行さん 警視 57歳", [("person", "山本 裕行"), ("person", "57歳")]),
    # (round 116: a prefecture's 振興局 names no place, so the run into it, 「剛海草振興局」, is no facility either)
    ("神出政巳市長、山本圭剛海草振興局長、島泰弘海南署長が", [("person", "神出政巳"), ("person", "山本圭"),
                                              ("person", "島泰弘")]),
    ("2010年の千葉女子大生殺害事件で", []),
    ("金沢市 全小中学校で教室", []),
    ("社交飲食店の従業員", []),
    ("緑ヶ丘市民センターと防犯協会緑ヶ丘支部が主催", [("facility", "緑ヶ丘市民センター")]),
])
def test_round93_findings(text, found):
    """Each fails on the commit before round 93's rules (1bc91d0)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("茨城女子大の学生", [("facility", "茨城女子大")]),
    ("交通安全センター", []),
    ("鹿児島市(以下鹿児島)", []),
    ("山田太郎さん(45)", [("person", "山田太郎"), ("person", "(45)")]),
    ("臼田郵便局長", [("facility", "臼田郵便局")]),
    ("那覇市の中学校", []),
    ("「大道ポリス」こと戸井田警部補", [("person", "大道ポリス"), ("person", "戸井田")]),
])
def test_round93_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
