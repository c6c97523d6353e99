"""Round 65 of issue 14, first rules (from heldout64a/64b's misses, read after they were scored): a couple by its family
name (「西間木夫妻」), an audit commissioner (「青木監査委員」), a school's head named in brackets after it (「深芝小学校
(横山英幹校長、…)」, read as a school 「横山英幹校」 before); no place in a unit after the police department that runs it
(「県警生活安全部の北総地区少年センター」). The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("一方で、西間木夫妻は実家から帰宅中だった", "person", ["西間木"]),
    ("家人の夫妻が血を流して倒れていた", "person", []),
    ("同夫妻は無事だった", "person", []),
    ("青木監査委員とともに監査を行いました。", "person", ["青木"]),
    ("代表監査委員が意見を述べた", "person", []),
    ("市立深芝小学校(横山英幹校長、児童数496人)で贈呈式", "person", ["横山英幹"]),
    ("市立深芝小学校(横山英幹校長、児童数496人)で贈呈式", "facility", ["市立深芝小学校"]),
    ("(横山校長)があいさつした", "person", ["横山"]),
    ("千葉県警生活安全部の北総地区少年センターから講師を招いた", "facility", []),
    ("北総地区少年センターから講師を招いた", "facility", ["北総地区少年センター"]),
])
def test_round65_shapes(text, kind, found):
    assert _texts(text, kind) == found, lint(text)
