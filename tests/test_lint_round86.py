"""Round 86 of issue 14 (rules from heldout85a/85b's misses, read after they were scored), in sentences written for
these tests: a school's short name before a bracket that names its head (「鉾田北中(嶋田知恵子校長)」), a shrine's 禰宜 and
the age after his title's reading (「鈴木宏志禰宜(ねぎ)(46)」); and no finding for going to or leaving a kindergarten
(「登降園時」), a base named by the armed forces alone (「米軍基地」) or a road-safety course named 塾
(「シルバーエイジ交通安全塾」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("鉾田南小と鹿島北中(井上和彦校長)の児童生徒が参加した。", [("facility", "鉾田南小"), ("facility", "鹿島北中"), ("person", "井上和彦")]),
    ("八幡神社で、中村秀樹禰宜(ねぎ)(52)らが準備した。", [("facility", "八幡神社"), ("person", "中村秀樹"), ("person", "(52)")]),
    ("登降園時は園の周りが混み合います。", []),
    ("米軍基地に勤める男を逮捕した。", []),
    ("公民館でシルバーエイジ交通安全塾を開いた。", []),
])
def test_round86_findings(text, found):
    """Each fails on the commit before round 86's rules (1dc03b9)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("▲潮来市小泉の市立延方小(山田真奈美校長)は", [("facility", "延方小"), ("person", "山田真奈美")]),
    ("嘉手納米軍基地で", [("facility", "嘉手納米軍基地")]),
    ("みどり保育園の登園時", [("facility", "みどり保育園")]),
    ("山田花子(やまだ・はなこ)さん(45)が", [("person", "山田花子"), ("person", "(やまだ・はなこ)"), ("person", "(45)")]),
    ("さくら学習塾で", [("facility", "さくら学習塾")]),
])
def test_round86_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
