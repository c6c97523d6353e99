"""Round 8 of issue 14: firms named as employers, rarer kinds, and what the frame says is no place.

Sentences and names are written for these tests (none of the corpus'), so they test the shape.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


@pytest.mark.parametrize("text, names", [
    # a legal form before the name, in any script
    ("名称:有限会社グリーンマートあおば", ["有限会社グリーンマートあおば"]),
    ("県は、生活協同組合みどりのコープに業務停止を命じた。", ["生活協同組合みどりのコープ"]),
    ("社会福祉法人KIBOU(北区三条5丁目)の職員が報告した。", ["社会福祉法人KIBOU"]),
    ("株式会社ひまわりの社長が出席した。", ["株式会社ひまわり"]),
    ("㈱サンライズ社員の男性が通報した。", ["㈱サンライズ"]),
    # a firm's head in brackets after its name
    ("寄贈したのは北浦海運(石田一馬社長)とミナトテック(大川進社長)。", ["北浦海運", "ミナトテック"]),
    # a trade word after a proper name; a speaker's employer in brackets
    ("釧路交通の運転手が声を掛けた。", ["釧路交通"]),
    ("(北斗建設 田中一郎さん)", ["北斗建設"]),
    ("(みどり商事・山川花子氏)", ["みどり商事"]),
    # a quoted name and its staff; a firm after its trade
    ("「あおば交通」の社長が表彰された。", ["あおば交通"]),
    ("運送会社・青葉運輸は防犯カメラを寄贈した。", ["青葉運輸"]),
    # the value of a name field
    ("事業者名:SAKURA・さくら", ["SAKURA・さくら"]),
    # rarer kinds
    ("現場は三戸消防署の南側。", ["三戸消防署"]),
    ("佐久合庁の2階で説明会を開いた。", ["佐久合庁"]),
    ("若葉北コミセン前の駐輪場で", ["若葉北コミセン"]),
    ("川口区民協働スペースで研修会を開いた。", ["川口区民協働スペース"]),
    ("現場は北野養魚場の近く。", ["北野養魚場"]),
    ("高森町の五沢橋付近で", ["五沢橋"]),
    ("会長が市役所の駐車場で、市長に報告した。", ["市役所"]),
    ("会長が市役所を訪れ、市長に報告した。", []),  # a courtesy call, no scene (round 67: the real sets, 11 of 12)
    ("国民生活センター 相談窓口 188", ["国民生活センター"]),
])
def test_firms_and_rarer_kinds_are_found(text, names):
    assert _facilities(text) == names


@pytest.mark.parametrize("text", [
    # police boxes are clean, also before their address in brackets
    "緑が丘交番(中央区緑が丘1−2)",
    "桜橋駐在所(北区桜橋3−1)",
    # a designation or an event title in quotes
    "同店は「振り込め詐欺防止モデル店」に指定された。",
    "支店には「特殊詐欺防止協力店」の認定証が贈られた。",
    "市民会館で「『地域の安全』ふれあい広場」を開いた。",
    # a body after its legal form; trades and sections
    "NPO法人「みらい防犯相談センター」の電話番号",
    "大手ホール企業の担当者が説明した。",
    "南区公園管理課長が説明した。",
    "大分交通事故多発地点",
    "静岡食品衛生協会の会員",
    # a claimed office; a bracket of a body or a town
    "「北浜市役所のタナカと名乗る人から電話があった」",
    "県交通安全協会(山田太郎会長)が主催した。",
    "鹿児島市(下鶴隆央市長)は",
    "株式会社など",
    "名称:地域安全フェスタ",
    # a given name after a family name is no school
    "(教育部・小林慶大トレーナー)",
])
def test_frames_that_name_no_place(text):
    assert _facilities(text) == []
