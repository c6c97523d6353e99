"""Round 58 of issue 14 (from heldout57a/57b's misses): a name written with a kanji beyond the Basic Multilingual Plane,
a family name and a middle dot before a station's head, a college; no person in a decoration read out or in a station
whose head's post someone held, no facility in 「〜らしきビル」. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint, scrub


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("元警部で新宮市の石垣𠀋男(いしがき・たけお)さん71歳や", ["石垣𠀋男", "(いしがき・たけお)", "71歳"]),
    ("𩸽野一郎さんが通報した。", ["𩸽野一郎"]),                      # any kanji of the extensions, not only 𠮷
    ("挨拶する谷本・新宮署長", ["谷本"]),
    ("三國悦夫・桑名署長は「…」と述べた", ["三國悦夫"]),
    ("前橋・高崎署長が出席した。", []),                                  # two stations
    ("唐津署長などを務めた内田一夫さん(71)は", ["内田一夫", "(71)"]),   # the post he held
    ("受章の内訳は、瑞宝双光章(ずいほう・そうこうしょう)が16人です。", []),
    ("山田博章(やまだ・ひろあき)さん", ["山田博章", "(やまだ・ひろあき)"]),  # a name may end in 章
])
def test_names_of_round_58(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_a_rare_kanji_name_leaves_nothing_behind():
    fixed, _ = scrub("石垣𠀋男さん(71)が表彰された。")
    assert "𠀋" not in fixed and "石垣" not in fixed and "71" not in fixed, fixed


@pytest.mark.parametrize(("text", "facilities"), [
    ("香川大学と穴吹コンピュータカレッジの学生団体です。", ["香川大学", "穴吹コンピュータカレッジ"]),
    ("市民向けのオープンカレッジ", []),
    ("組事務所らしきビル周辺でいやがらせ行為が目立つ。", []),
])
def test_facilities_of_round_58(text, facilities):
    assert _texts(text, "facility") == facilities, lint(text)
