"""Round 9 of issue 14, facilities by probe: short school names however SudachiPy cuts them, and kind words
that a token runs into (「高|砂中|学校」). The names here are written for these tests; the probe samples the
postal towns of all Japan as name stems only to measure the shape (no name list goes into the lint)."""

from __future__ import annotations

import random
import re

import pytest

from anshin_lab.privacy.lint import lint


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


@pytest.mark.parametrize("text, name", [
    ("高砂中学校の生徒が声をかけられた", "高砂中学校"),       # 高|砂中|学校
    ("大手門中学校の近くで", "大手門中学校"),               # 大手|門中|学校
    ("湯西川中PTAから連絡", "湯西川中"),                   # 湯西|川中
    ("五香南高付近の路上で", "五香南高"),                   # 五香|南高
    ("杉沢小学区で不審者", "杉沢小"),                       # 杉沢|小学|区
    ("下校中の緒方中の生徒が", "緒方中"),                   # a common word as the name
    ("・神在西中、コンビニ", "神在西中"),                   # a list item
    ("よしわら中の児童が", "よしわら中"),                   # kana name
])
def test_short_and_straddled_names(text, name):
    assert name in _facilities(text)


@pytest.mark.parametrize("text", [
    "下校中の生徒が声をかけられた", "夏休み中の児童が", "世界中の生徒が", "授業中の生徒", "部活中の生徒が被害",
    "女性が歩行中、男に", "・授業中、", "運転中付近で事故", "市立中学校の生徒", "県立高校で",
])
def test_times_and_activities_stay_clean(text):
    assert _facilities(text) == []


_KINDS = ["小学校", "中学校", "公園", "保育園", "病院", "駅", "団地", "幼稚園", "高校", "郵便局", "小", "中", "高",
          "神社", "橋", "特別支援学校"]
_FRAMES = ["{}の近くで、男に声をかけられました。", "{}付近の路上で", "・{}、コンビニ", "現場付近の施設\n・{}\n・コンビニ"]
_SCHOOL_FRAMES = ["下校中の{}の生徒が", "{}学区で", "{}校区内で", "{}PTAから", "{}の児童が"]
# Recall per kind on the seeded sample, measured in round 9 (a floor: raise it as the mechanism improves;
# issue 14 aims at 0.99 for every kind).
_FLOORS = {"小": 0.93, "中": 0.85, "高": 0.93, "橋": 0.85}
_FLOOR = 0.95


def _stems(n: int, seed: int) -> list[str]:
    from anshin_lab.privacy.lint.towns import _towns
    names = sorted({t for v in _towns().values() for t in v})
    names = [t for t in names if 2 <= len(t) <= 4 and re.fullmatch(r"[一-龥ぁ-ゖァ-ヺヶケ]+", t)
             and not t.endswith(("町", "丁目", "村", "地割", "番町"))]
    return random.Random(seed).sample(names, n)


def test_probe_recall_per_kind():
    rng = random.Random(9)
    stems = _stems(150, 9)
    for kind in _KINDS:
        school = kind in ("小学校", "中学校", "高校", "小", "中", "高", "特別支援学校")
        frames = _FRAMES + (_SCHOOL_FRAMES if school else [])
        hit = 0
        for stem in stems:
            text = rng.choice(frames).format(stem + kind)
            s = text.index(stem + kind)
            hit += any(f.kind == "facility" and f.start <= s + len(stem) - 1 and f.end >= s + len(stem) + len(kind) - 1
                       for f in lint(text))
        assert hit / len(stems) >= _FLOORS.get(kind, _FLOOR), kind


def test_probe_clean_frames():
    stems = _stems(100, 19)
    flagged = [t for stem in stems for t in (f"{stem}町の路上で", f"{stem}市内で", f"{stem}地区で")
               if any(f.kind == "facility" for f in lint(t))]
    # Round 9 measured 12 of 300, all towns whose own name ends in a kind word (「北港白津」「八幡館」「天下茶屋」):
    # a ratchet, to be lowered when the town guard reads them.
    assert len(flagged) <= 12, flagged[:10]
