"""Round 119 of issue 14 (rules from heldout118a/118b's misses, read after they were scored), in sentences written for
these tests: a pupil's full name glued before her school (「中村優子別府北中生徒会長」), a clerk's family name glued after
the chain store she works at (「ファミリーマート山口さん」), a name with a student's faculty in brackets before さん
(「天野颯斗(経済学部)さん」), a river's station before its quoted name (「川の駅「はなぞの」」), a university's short name
SudachiPy knows (「金大」), a school's short name glued before its club where the rest reads as a name (「伊万里東翔高美術部」);
and no finding for a phone number before a bracket that ends in 代表 (「03-3581-4321(警視庁代表)」), a region before 地方
(「中南信地方」), a district named after a castle before 学区 (「名護城学区」), a hotel's front entrance (「ホテル正面入り口」)
or a victims' support body (「あおもり被害者支援センター」). The learned detector's name run into a reading in brackets is cut
into the name and the whole reading (「菱沼則康(ひしぬまのりやす」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.learned import _reading_apart


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("中村優子別府北中生徒会長(15)は", [("person", "中村優子"), ("facility", "別府北中"), ("person", "(15)")]),
    ("福岡市のファミリーマート山口さんが通報した。", [("facility", "ファミリーマート"), ("person", "山口")]),
    ("代表の天野颯斗(経済学部)さんは話した。", [("person", "天野颯斗")]),
    ("川の駅「はなぞの」で啓発した。", [("facility", "はなぞの")]),
    ("金大の学生が参加した。", [("facility", "金大")]),
    ("伊万里東翔高美術部員が描いた。", [("facility", "伊万里東翔高")]),
    ("県立伊万里東翔高美術部の生徒が描いた。", [("facility", "伊万里東翔高")]),
    ("問い合わせ先:03-3581-4321(警視庁代表)まで", []),
    ("中南信地方の警察署は", []),
    ("名護市名護城学区の住民が集まった。", []),
    ("ホテル正面入り口付近で男を見た。", []),
    ("会議には県やあおもり被害者支援センターなどが出席した。", []),
])
def test_round119(text, found):
    """Each fails on the commit before round 119's rules (9742fab): the pupil's name was read into her school, the
    chain into the clerk's name, the school's name as a person's; the others were not found, or were found."""
    assert _found(text) == found, lint(text, learned=False)


def test_learned_name_run_into_its_reading():
    """A learned person's span that ends inside the reading after the name is the name and the whole reading."""
    text = "訓練前に菱沼則康(ひしぬまのりやす)消防長は"
    run = (4, 16, "person", PERSON_MASK)
    assert _reading_apart(text, run) == [(4, 8, "person", PERSON_MASK), (8, 18, "person", "")]
    assert _reading_apart(text, (4, 8, "person", PERSON_MASK)) == [(4, 8, "person", PERSON_MASK)]
    assert _reading_apart("田中(タレント)さん", (0, 6, "person", PERSON_MASK)) == [(0, 6, "person", PERSON_MASK)]


@pytest.mark.parametrize(("text", "found"), [
    ("産経新聞社の白濱正三地方部長が贈呈した。", [("facility", "産経新聞社"), ("person", "白濱正三")]),
    ("警官の人形「万代さくら」と", [("person", "万代さくら")]),
    ("沖縄本島中南部で今月", []),
    ("北海道警友会小樽支部から", []),
    ("浜田港運(須賀孝社長)が", [("facility", "浜田港運"), ("person", "須賀孝")]),
    ("二男直希君が", [("person", "直希")]),
    ("天野颯斗(あまのはやと)さんは", [("person", "天野颯斗"), ("person", "(あまのはやと)")]),
])
def test_round119_guards(text, found):
    """Pass before and after round 119's rules: what they must not change."""
    assert _found(text) == found, lint(text)
