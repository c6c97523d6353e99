"""Round 128 of issue 14 (rules from heldout127a/127b's misses, read after they were scored), in sentences written for
these tests: a family name between an office and its head's title, which repeats the office (「県本部鳥羽本部長」
「札幌支店山田支店長」), and a jockey after his name (「武騎手」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("生協の県本部鳥羽本部長から目録を受け取った。", [("person", "鳥羽")]),
    ("みずほ銀行札幌支店山田支店長が訪れた。", [("facility", "みずほ銀行"), ("person", "山田")]),
    ("武騎手は栗東市の小学校を卒業した。", [("person", "武")]),
])
def test_round128(text, found):
    """Each fails on the commit before round 128's rules (c5b7ae9)."""
    assert _found(text) == found, lint(text, learned=False)


@pytest.mark.parametrize(("text", "found"), [
    ("日本中央競馬会の騎手が参加した。", []),
    ("本部事務局長があいさつした。", []),
    ("支店の谷山支店長が訪れた。", [("person", "谷山")]),
])
def test_round128_guards(text, found):
    """Pass before and after round 128's rules: what they must not change."""
    assert _found(text) == found, lint(text)
