"""Round 67 of issue 14, first rules (from heldout66a/66b's misses, read after they were scored): a roll of stations'
new heads (「富津署長に庄村氏」), a reading before a unit's head (「(よしだひでお)交通部長」), a post office named after a
town's block (「旭町五郵便局」), a body's head glued after it (「保護司会毛利会長」), a school's gate glued after its short
name (「寺西小校門」), a zoo park (「那須どうぶつ王国」); no place in a trade's association (「那須温泉旅館協同組合」), a
spa town, railway operators before their station, a block of flats' empty room; no one in 「だるまさんがころんだ」, a row
of towns' characters, or a district in brackets after an honoured person. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str, learned: bool = False) -> list[str]:
    return [f.text for f in lint(text, learned=learned) if f.kind == kind]


@pytest.mark.parametrize(("text", "kind", "found"), [
    # a roll of new heads names the holder after the post: the word before 署長 is the station
    ("館山署長に川村氏 木更津署長に石田氏", "person", ["川村", "石田"]),
    ("▽館山署長(交通指導課長)川村浩二", "person", ["川村浩二"]),
    ("荒木署長は「地域の安全を守る」と話した。", "person", ["荒木"]),
    # a full name's reading stays before a unit's head whose unit starts like a kind word (交通)
    ("山本英夫(やまもとひでお)交通部長が述べた", "person", ["山本英夫", "(やまもとひでお)"]),
    ("川西(かわにし)小学校で", "facility", ["川西(かわにし)小学校"]),
    # a post office named after a town's block
    ("中町三郵便局、栄町郵便局に感謝状", "facility", ["中町三郵便局", "栄町郵便局"]),
    ("市内三郵便局で", "facility", []),
    # a body's head glued after the body's name; not inside 会議
    ("北地区保護司会宮原会長より伝達", "person", ["宮原"]),
    ("県警署長会議 重永本部長", "person", ["重永"]),
    # a school's gate glued after its short name
    ("横断幕は川東小校門に掲げられ", "facility", ["川東小"]),
    ("夏休み中校庭で遊ぶ", "facility", []),
    # a zoo park named 〇〇王国
    ("栃木町の那須どうぶつ王国で", "facility", ["那須どうぶつ王国"]),
    # a trade's association: the kind word names the trade
    ("那須温泉旅館協同組合の理事長", "facility", []),
    ("県旅館ホテル生活衛生同業組合の理事", "facility", []),
    ("那須温泉旅館に泊まった", "facility", ["那須温泉旅館"]),
    ("みやぎ生活協同組合の店で", "facility", ["みやぎ生活協同組合"]),
    # a spa town after a municipality's name; quoted, it is a place's name
    ("北海道有数の登別温泉を抱える", "facility", []),
    ("道の駅「天童温泉」で合同訓練", "facility", ["天童温泉"]),
    # railway operators listed before their station
    ("小田急電鉄・相模鉄道「大和駅」の駅前広場で", "facility", ["大和駅"]),
    # a block of flats' empty room names no building
    ("同署管内のコーポ空き室への侵入", "facility", []),
    ("ハイツ武岡駐車場で", "facility", ["ハイツ武岡"]),
    # a children's game; a row of towns' characters; one child's nickname stays a name
    ("だるまさんがころんだ、鬼ごっこ", "person", []),
    ("小浜市の「さばトラななちゃん」、県警「リュウミーちゃん」も整列", "person", []),
    ("鹿児島市の「ゆいちゃん」(5)が行方不明", "person", ["ゆい"]),
])
def test_round67_shapes(text, kind, found):
    assert _texts(text, kind) == found, lint(text)


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("▽富津署長(捜査4課長)藤代誠", "person", ["藤代誠"]),
    ("那須温泉旅館協同組合の阿久津千陽(あくつちあき)理事長は", "facility", []),
    ("市原悦子さん(桑原)、田畑新一さん(小田中)", "person", ["市原悦子", "田畑新一"]),
    ("荒川署長(左)と感謝状を手にする今井局長", "person", ["荒川", "今井"]),
])
def test_round67_learned_spans_in_context(text, kind, found):
    assert _texts(text, kind, learned=True) == found, lint(text)
