"""Round 70 of issue 14, first rules (from heldout69a/69b's misses, read after they were scored): a lot after a 丁目
written with a hyphen when no block of a 丁目 reaches its number (「千代水3-100」), and a phone number followed by its
extensions after spaces (「023-630-3306 3101 3239」). The addresses and numbers here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "kind", "found"), [
    # 丁目 and a number no block reaches: 3丁目100番地, a lot
    ("住所: 鳥取県鳥取市千代水3-100", "exact_address", ["鳥取市千代水3-100"]),
    ("鹿児島市紫原3-120で", "exact_address", ["紫原3-120"]),
    # 丁目 and a block stay clean (the block is what the directive publishes)
    ("鳥取市千代水3-99", "exact_address", []),
    ("鹿児島市紫原3-12で", "exact_address", []),
    # a phone and its extensions after spaces
    ("電話番号:023-630-3306 3101 3239", "phone", ["023-630-3306"]),
    ("電話 099-222-1234 3101", "phone", ["099-222-1234"]),
    ("TEL 099-222-1234 FAX 099-222-5678", "phone", ["099-222-1234", "099-222-5678"]),
    ("記事ID:0263435 2022年", "phone", []),
])
def test_round70_shapes(text, kind, found):
    assert _texts(text, kind) == found, lint(text)
