"""Round 69 of issue 14, first rules (from heldout68a/68b's misses, read after they were scored): family names listed
before the one title they share (「城間、浅野さん」), a neighbourhood body's head named by a family name SudachiPy reads as
a place (「的場自治会長」), a direction school before its pupils (「東小児童」), a short school named after a town that
reads as a number (「八万中」), a firm honoured with さん (「子鹿酒造さん」), home-centre chains; no place in the whole
country's or a year's schools (「全国高校」), a school's gym named by its kind only (「小学校体育館」) or an event held in a
town (「「みんなの交通安全教室 in 水戸」」). The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "kind", "found"), [
    # family names before one shared title
    ("川柳大賞に城間、浅野さん", "person", ["城間", "浅野"]),
    ("山田・田中・鈴木氏が参加", "person", ["山田", "田中", "鈴木"]),
    ("鹿児島、浅野さん", "person", ["浅野"]),
    # a neighbourhood body's head named by a family name that is also a place; not when the text names the body
    ("的場自治会長は「高内自治会がモデル地区」と話した。", "person", ["的場"]),
    ("動作確認をする的場自治会長ら", "person", ["的場"]),
    ("木曽自治会長が", "person", ["木曽"]),
    ("浜町自治会長の", "person", []),
    # a direction school before its pupils; a short school named after a town that reads as a number
    ("東小児童が見守り隊に感謝状を渡した", "facility", ["東小"]),
    ("チラシを配る八万中の生徒", "facility", ["八万中"]),
    ("約三万中の生徒", "facility", []),
    # a firm honoured with さん or 様
    ("子鹿酒造さんの駐車場も使わせていただく", "facility", ["子鹿酒造"]),
    ("地元の酒造さんが", "facility", []),
    # home-centre chains
    ("ホームセンターを展開する西村ジョイが提供した", "facility", ["西村ジョイ"]),
    ("DCMカーマ津島店で", "facility", ["DCMカーマ津島店"]),
    # the whole country's or a year's schools; a gym named by its kind only
    ("昨年度全国高校マーチング大会で受賞", "facility", []),
    ("本年度高校女子柔道インターハイ優勝", "facility", []),
    ("自治会主催で小学校体育館で行われた", "facility", []),
    ("第一小学校体育館で", "facility", ["第一小学校体育館"]),
    # an event held in a town, quoted after its kind
    ("交通安全教室「みんなの交通安全教室 in 水戸」の手伝い", "facility", []),
])
def test_round69_shapes(text, kind, found):
    assert _texts(text, kind) == found, lint(text)
