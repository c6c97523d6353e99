"""Round 112 of issue 14 (rules from heldout111a/111b's misses, read after they were scored), in sentences written for
these tests: an officer between a department's planning or guidance section and a staff title (「交通指導課森岡担当官」),
a head in brackets after his district with his name's reading (「富盛区(町田元利(もととし)区長)」), a bank and its branch
joined by a dot as one name (「鹿児島銀行・宇宿支店」), a prefecture's concert hall written without its name (「県立音楽堂」),
a reading before a numbered section's head (「森山健(もりやまけん)交通1課長」); and no finding for a station's number after
its prefecture's police in brackets (「高松北警察署(香川県警):087-…-0110」), a road's number after another road's
(「国道2号と180号」), a district named after its place (「大見武区で」), a district's day gathering (「ミニデイサービス」)
or the Red Cross (「日本赤十字社」); with the learned detector, no person in branches listed before the word they share
(「東山・みなみ・さくら・中野支店」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("講話に続き、交通指導課森岡担当官が説明した。", [("person", "森岡")]),
    ("八重瀬町富盛区(町田元利(もととし)区長)の公民館で", [("person", "町田元利"), ("person", "(もととし)")]),
    ("鹿児島銀行・宇宿支店の行員が通報した。", [("facility", "鹿児島銀行・宇宿支店")]),
    ("県立音楽堂で開かれた。", [("facility", "県立音楽堂")]),
    ("森山健(もりやまけん)交通1課長は講評した。", [("person", "森山健"), ("person", "(もりやまけん)")]),
    ("• 高松北警察署(香川県警):087-833-0110", []),
    ("国道2号と180号が交わる交差点で事故があった。", []),
    ("与那原町大見武区の公民館で講話があった。", []),
    ("自治会のミニデイサービスで講話した。", []),
    ("日本赤十字社の職員が講師を務めた。", []),
])
def test_round112(text, found):
    """Each fails on the commit before round 112's rules (1245efe): the officer, the district's head, the branch as
    one name, the hall and the reading were not found; the police number, the road, the district, the gathering and the
    Red Cross were findings."""
    assert _found(text) == found, lint(text, learned=False)


def test_round112_with_the_learned_detector():
    """Fails on 1245efe: the learned detector read the first branches as a person."""
    assert _found("反射材を贈る 東山・みなみ・さくら・中野支店", learned=True) == [("facility", "中野支店")]


@pytest.mark.parametrize(("text", "found"), [
    ("コーポ山田と105号の", [("facility", "コーポ山田"), ("exact_address", "105号")]),
    ("鹿児島銀行・宮崎銀行の", [("facility", "鹿児島銀行"), ("facility", "宮崎銀行")]),
    ("長崎赤十字病院で", [("facility", "長崎赤十字病院")]),
    ("山田区長が", [("person", "山田")]),
    ("中野島(なかのしま)小学校で", [("facility", "中野島(なかのしま)小学校")]),
    ("デイサービスさくらで", [("facility", "デイサービスさくら")]),
])
def test_round112_guards(text, found):
    """Pass before and after round 112's rules: what they must not change."""
    assert _found(text) == found, lint(text)


def test_round112_keeps_a_name_before_a_wards_body():
    """Passes before and after: 区 that starts a ward's body (「白石区少年育成指導員」) makes no district of the name."""
    assert any(f.kind == "person" and f.start == 0 for f in lint("宮崎白石区少年育成指導員から"))
