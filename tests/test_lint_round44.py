"""Round 44 of issue 14 (from heldout43a/43b's misses): a station before its east exit that SudachiPy reads 駅東|口, a
minutes' speaker after its mark, the rest of a name a title cut short before its reading, quoted names listed after a
kind; no person in a section's head, after a particle before a word that is no name, or a comic's hero; no place in a
list's 等, a sports team, or a school's town written again as the town. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "places"), [
    ("Cブロックは新柏駅東口に集合し、パトロールを行いました。", ["新柏駅"]),
    ("7つのマンション「ハイラーク白山」「シティ194」「クリオレジダンス」ごとに組織する自治会", ["ハイラーク白山", "シティ194", "クリオレジダンス"]),
    ("参加団体である曽谷小学校、曽谷第2自治会、曽谷山王商店会は、曽谷7丁目1番から34番までの道路で活動する。",
     ["曽谷小学校"]),
])
def test_round44_facility(text, places):
    assert _texts(text, "facility") == places, lint(text)


@pytest.mark.parametrize("text", [
    "中央小学校P.T.A安全まもり隊等小中学校6校、関係機関と連携",
    "とちまるくんやプロバスケットボールチーム宇都宮ブレックスのマスコットが訪れた。",
])
def test_round44_no_facility(text):
    assert all(not t.endswith(("小中学校", "宇都宮")) for t in _texts(text, "facility")), lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("◎古川\n警衛対策課の人員を増員するものです。", ["古川"]),
    ("店で、廣瀬佐代理(ひろせさより)マネージャーに感謝状が贈られました。", ["廣瀬佐代理", "(ひろせさより)"]),
])
def test_round44_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "近藤生活安全課課長さんより説明があった。",  # 近藤 only
    "方法を丁寧におまわりさんが教えてくれました。",
    "となりのおばあちゃんが見ていた。",
    "あの名探偵コナン君を生んだ県です。",
    "◎議事\n",
])
def test_round44_no_extra_person(text):
    assert all(t in ("近藤",) for t in _texts(text, "person")), lint(text)


def test_a_title_with_its_reading_is_not_stretched_over():
    assert _texts(text := "田中課長代理(たなか)は", "person") == ["田中"], lint(text)
