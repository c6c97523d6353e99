"""Round 72 of issue 14, first rules (from heldout71a/71b's misses, read after they were scored), in sentences written
for these tests: a short school before a club SudachiPy reads as one word, a stage name in katakana after the trade and
の; and no person in the neighbourhood's kin words spelt in hiragana, or a desk before a title in a row of names."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False) if f.kind in ("facility", "person")]


@pytest.mark.parametrize(("text", "found"), [
    # a short school before its club read as one word
    ("署員と成美高剣道部の10人が参加した。", [("facility", "成美高")]),
    ("東京高本部で", []),
    # a stage name in katakana after the trade and の
    ("隊長に任命されたタレントのタージン、MCの岡崎弥生さんが参加。", [("person", "タージン"), ("person", "岡崎弥生")]),
    ("歌手のコンサートが開かれた。", []),
    # kin words of the neighbourhood, a desk before a title
    ("子ども応援団(地域のおじさん・おばさん)の方々が立った。", []),
    ("郵便局の窓口係局員、伊田萌美さん(33)に感謝状", [("person", "伊田萌美"), ("person", "(33)")]),
    ("長島会長と石井副会長", [("person", "長島"), ("person", "石井")]),
])
def test_round72_names(text, found):
    assert _pairs(text) == found, lint(text)
