"""Round 66 of issue 14, first rules (from heldout65a/65b's misses, read after they were scored): a prefecture's driving
test centre (「佐賀県運転免許試験場」), a pupils' prize list that brackets each pupil's school and grade (「小川暖羽(大須賀3)
田中優理亜(同2)」); no one in a child's police officer (「ちびっこおまわりさん」) or a place's ゆかり (「芦屋ゆかりの作家」).
The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("参加者=佐賀市久保泉町の佐賀県運転免許試験場", "facility", ["佐賀県運転免許試験場"]),
    ("機能移転先の運転免許試験場に機器を置いた", "facility", []),
    ("【中学生の部】森川真奈実(北3)松浦凛(同2)小川暖羽(大須賀3)田中優理亜(同2)", "person",
     ["森川真奈実", "松浦凛", "小川暖羽", "田中優理亜"]),
    ("啓発チラシを渡す「ちびっこおまわりさん」の園児ら", "person", []),
    ("芦屋ゆかりの作家が描いた挿絵", "person", []),
    ("田中ゆかりの自宅に", "person", ["田中ゆかり"]),
    ("山田ゆかりさんの話", "person", ["山田ゆかり"]),
])
def test_round66_shapes(text, kind, found):
    assert _texts(text, kind) == found, lint(text)
