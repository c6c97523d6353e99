"""Round 10 of issue 14, facilities: firms named by their trade word, a bank before its staff, short school names
in a list or before a municipality's staff, consumer centres and sections given as contacts, lists of firms, and the
clean shapes (quoted fake senders, bodies' offices, 各〜). The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


@pytest.mark.parametrize("text, name", [
    ("大分県の臼杵署は、桜坂タクシー運転手の男性に感謝状を贈った。", "桜坂タクシー"),
    ("唐松市の平成タクシーの運転手が詐欺を防いだ。", "平成タクシー"),
    ("佐伯市の白浜タクシー乗務員、男性に感謝状", "白浜タクシー"),
    ("高岡テレビ 2024/3/1 配信", "高岡テレビ"),
    ("能登新報社", "能登新報社"),
    ("委嘱を受けたのは湯沢ケーブルネットワークと湯沢コミュニティFMです。", "湯沢コミュニティFM"),
    ("北浜菓子舗でも配布する。", "北浜菓子舗"),
    ("若葉台浄水場付近で女児が声をかけられた。", "若葉台浄水場"),
    ("陸上自衛隊千僧駐屯地の隊員を逮捕した。", "千僧駐屯地"),
    ("消防署美幌支署:0152-00-0000", "消防署美幌支署"),
    ("前日には赤城大橋付近でも目撃された。", "赤城大橋"),
    ("みなと信用金庫職員に感謝状", "みなと信用金庫"),
    ("宇佐銀行員が詐欺を見抜いた。", "宇佐銀行"),
    ("宮古のヨシエーグループ6店舗に委嘱状を交付した。", "ヨシエーグループ"),
])
def test_firms_by_trade_word(text, name):
    assert any(name in f for f in _facilities(text)), _facilities(text)


@pytest.mark.parametrize("text", [
    "個人タクシーの運転手が",
    "テレビや新聞で報道された。",
    "地方銀行員を名乗る男から電話があった。",
    "鹿島銀行員を名乗る男から電話があった。",
])
def test_trade_words_without_a_name(text):
    assert _facilities(text) == []


@pytest.mark.parametrize("text, names", [
    ("近くには桜台小や東部中、高岡工高、高岡商高、金大などがある。", ["桜台小", "東部中", "高岡工高", "金大"]),
    ("加賀市緑陽中教諭の男を逮捕した。", ["緑陽中"]),
])
def test_short_school_names(text, names):
    found = _facilities(text)
    assert all(n in found for n in names), found


@pytest.mark.parametrize("text", [
    "大阪府守口市立中学校講師の男を逮捕した。",
    "市内の小学校や中学校、高校などに",
])
def test_no_short_school_name(text):
    assert _facilities(text) == []


@pytest.mark.parametrize("text, name", [
    ("※県消費生活センター(【電話】000-000-0000)にご相談ください。", "県消費生活センター"),
    ("申請書は市消費生活センターにあります。", "市消費生活センター"),
    ("鳥栖町消費生活相談窓口(住民課内)", "鳥栖町消費生活相談窓口"),
    ("▷八尾市危機管理室(八尾消防署3階)で申し込み。", "八尾市危機管理室"),
])
def test_centres_and_sections_as_contacts(text, name):
    assert name in _facilities(text)


@pytest.mark.parametrize("text", [
    "最寄りの消費生活センターに相談してください。",
    "各市消費生活センターへ",
    "県消費生活センターを名乗る男から電話があった。",
])
def test_generic_centres(text):
    assert _facilities(text) == []


@pytest.mark.parametrize("text, names", [
    ("(注)ABCモバイル、ソラネット、NTT北日本の3社により提供", ["ABCモバイル", "ソラネット", "NTT北日本"]),
    ("アクアリウム、スカイライン、大浜土建、小森給油所の代表に集まってもらった。",
     ["アクアリウム", "スカイライン", "大浜土建", "小森給油所"]),
])
def test_lists_of_firms(text, names):
    found = _facilities(text)
    assert all(n in found for n in names), found


@pytest.mark.parametrize("text", [
    "自治会、PTA、老人会の代表が参加した。",
    "差出人は「法務省管轄支局 国民訴訟管理センター」、「法務省管轄支局 民事訴訟通達センター」などと記載されています。",
    "かたられた名称には、「消費者相談センター」、「消費生活情報センター」などがあります。",
    "「法務省管轄支局 民事訴訟告知センター」など公的機関に似た名称で送付されています。",
    "北区役所の「ヤマモト」を騙る男から電話がありました。",
    "申請書は、各ふれあいセンター、各公民館などにも用意しています。",
    "指定されたのは、桜町地域自主防犯ステーション(川越市)。",
    "北署と北地域コンビニエンスストア等防犯対策協議会は17日、訓練を行った。",
])
def test_clean_shapes(text):
    assert _facilities(text) == []


def test_a_bodys_office():
    assert not any("事務所" in f for f in _facilities("受付場所=若宮町内会事務所"))
