"""Round 62 of issue 14, first rules (from heldout61a/61b's misses, read after they were scored): a university's sports
club names the university (「天理大学ホッケー部」); a station called by an honorific is the station (「JR九州小倉駅さん」);
a station of Japan before 警察署長 is no family name and ward (「小倉北警察署長」); a town's mayor in a row of names is the
town's (「堀さん、桑名市長」); a credit's one-kanji family name (「(撮影・林)」), but no place in a photo (「(写真・中央)」);
no one in a film's title after 題名 (「低学年用「断ちゃんが泣いた」」). The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("天理大学ホッケー部の協力を得て", "facility", ["天理大学"]),
    ("天理大ホッケー部員ら一日署長", "facility", ["天理大"]),
    ("広島ガス バドミントン部の選手", "facility", []),               # a firm's team, as before
    ("JR九州小倉駅さんが主催する発足式", "facility", ["小倉駅"]),
    ("JR九州小倉駅さんが主催する発足式", "person", []),
    ("高橋さんが来た。", "person", ["高橋"]),
    ("小倉北警察署長の磯辺芳文です。", "person", ["磯辺芳文"]),
    ("鈴木警察本部長があいさつした。", "person", ["鈴木"]),
    ("大山田北小校区と堀さん、桑名市長に報告", "person", ["堀"]),
    ("田中さん、鈴木市長があいさつした。", "person", ["田中", "鈴木"]),
])
def test_round62_shapes(text, kind, found):
    assert _texts(text, kind) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("表彰状を受け取る防犯功労者 (撮影・林)", ["林"]),      # a credit's one-kanji family name
    ("表彰状を受け取る防犯功労者 (写真・左)", []),           # where one stands
    ("表彰状を受け取る防犯功労者 (写真・中央)", []),
    ("映画の題名は、低学年用「断ちゃんが泣いた」で", []),     # a film's title
])
def test_round62_credits_and_titles(text, found):
    assert _texts(text, "person") == found, lint(text)
