"""Round 84 of issue 14 (rules from heldout83a/83b's misses, read after they were scored), in sentences written for
these tests: a station's patrol head and a residential officer by title (「地域官」「駐在官」), a family name SudachiPy reads
with the 新 of a new post as one place (「田中新|支部長」), the age after a name printed with a space (「小園 結 容疑者(41)」),
a prize list's pupils and their schools in brackets (「▽中谷咲帆(和歌山信愛高)」, 「〈シニア〉和歌愛子(和歌山市)」), a
nursery or driving school in hiragana that SudachiPy cuts into particles (「くり|のみ保育園」「な|ばり自動車学校」), an
officer's full name glued before his base (「山本博仁陸上自衛隊…駐屯地副連隊長」); and no finding for 「何らかの方法」,
a station's staff (「福井南署員さん」), small kana after a kind (「幼稚園ってなに」), a public hall quoted bare (「「公会堂」」)
or a police station named 臨港 (「博多臨港」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("北村地域官は「迷わず110番通報を」と話した。", [("person", "北村")]),
    ("この地区に事故が少ないのは、杉本駐在官の見回りのおかげです。", [("person", "杉本")]),
    ("高田駐在所石川健一駐在官によるあいさつ。", [("person", "石川健一")]),
    ("木下新支部長が「頑張ります」とあいさつした。", [("person", "木下")]),
    ("逮捕されたのは無職、浜田 結 容疑者(29)です。", [("person", "浜田 結"), ("person", "(29)")]),
    ("入選=〈一般〉河合正人(御坊市)〈中学生・高校生〉森田彩花(和歌山信愛高)〈シニア〉和歌京子(橋本市)",
     [("person", "河合正人"), ("person", "森田彩花"), ("facility", "和歌山信愛高"), ("person", "和歌京子")]),
    ("その後、くりのみ保育園の園児によるダンスが披露された。", [("facility", "くりのみ保育園")]),
    ("なばり自動車学校は、講習の受講者に注意を呼び掛けている。", [("facility", "なばり自動車学校")]),
    ("委員には田村雅之陸上自衛隊久留米駐屯地副連隊長が就任した。",
     [("person", "田村雅之"), ("facility", "陸上自衛隊久留米駐屯地")]),
    ("容疑者は何らかの方法で鍵を開けた疑いがあります。", []),
    ("福井南署員さんから防犯のお話を聞きました。", []),
    ("「保育園と幼稚園ってなにが違うの?」という質問", []),
    ("自治会が管理する「公会堂」で防犯講話", []),
    ("〔福岡地区〕東福岡、福岡南、博多臨港", []),
])
def test_round84_findings(text, found):
    """Each fails on the commit before round 84's rules (2cdc766)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("3)田畑 新一さん(小田中)", [("person", "田畑 新一")]),
    ("開会式では、もみのき保育園の園児が歌を披露した。", [("facility", "もみのき保育園")]),
    ("会場、選手村(建設中)を定期的にパトロール", []),
    ("「どこの小学校?」と声をかけた", []),
    ("まずは保育園に連絡してください", []),
    ("大阪前市長があいさつした", []),
    ("駒形公会堂で防犯講話", [("facility", "駒形公会堂")]),
    ("博多港で訓練", [("facility", "博多港")]),
    ("幼稚園ひまわりで", [("facility", "幼稚園ひまわり")]),
    ("県内の警察署の地域官や地域課長らが参加", []),
])
def test_round84_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
