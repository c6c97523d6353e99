"""Round 55 of issue 14 (from heldout54a/54b's misses): a stage name with its reading in the middle and a given name in
kana, a family name that is also a common word before a police rank, a high school's one-kanji short name before a
pupil's year, a prosecutors' or a court's branch, a prison, a local number after ℻; no facility in an old shop, a
police unit named after an airport or a national park's office, and no name in a phrase before a kinship word or 先生.
The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("歌劇団スターの天城(あまぎ)ルナさんを一日警察署長に任命した。", ["天城", "(あまぎ)", "ルナ"]),
    ("同公演のスターの陽城(ひしろ)まりんさんも参加した。", ["陽城", "(ひしろ)", "まりん"]),
    ("雉野(きじの)香帆さんが表彰された。", ["雉野", "(きじの)", "香帆"]),
])
def test_a_stage_name_read_in_the_middle_is_three_findings(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("表彰式には加勢警部補の家族や梅津巡査部長の同僚が出席した。", ["加勢", "梅津"]),
    ("船を見送る中道巡査部長(左)", ["中道"]),
    ("自動車警ら隊の男性警部補(45)が", []),          # a man, no family name
    ("神奈川県警巡査長を懲戒処分とした。", []),
    ("生活安全課長が説明した。", []),                # a department before a head's title stays a department
])
def test_a_common_word_before_a_police_rank(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize(("text", "facilities"), [
    ("出発式に先立ち、宮高3年の女子生徒に委嘱状が交付された。", ["宮高"]),
    ("過去最高3年連続で減少した。", []),
    ("同高3年の生徒が参加した。", []),
    ("中高3年の生徒が参加した。", []),
    ("四万十市の高知地方検察庁中村支部で火事がありました。", ["高知地方検察庁中村支部"]),
    ("地検中村支部で火事", ["地検中村支部"]),
    ("県警は男を殺人容疑で大阪地検に送致した。", []),       # the office acting: a body
    ("福岡地裁小倉支部は「悪質だ」と指摘した。", []),       # a branch that rules: a body
    ("男は熊本刑務所を出所したところで逮捕された。", ["熊本刑務所"]),
    ("刑務所に収監された。", []),
    ("医療刑務所に移された。", []),
    ("ある老舗店の味に郷愁を感じました。", []),
    ("近くの人気店で食事をした。", []),
    ("警備部成田国際空港警備隊に特別賞が授与された。", []),  # a unit of the police
    ("奄美群島国立公園管理事務所から感謝状が手渡された。", []),
])
def test_facilities_of_round_55(text, facilities):
    assert _texts(text, "facility") == facilities, lint(text)


def test_a_local_number_after_the_fax_sign():
    text = "問 市民協働課(☎228-7405 ℻228-0371)"
    assert _texts(text, "phone") == ["228-7405", "228-0371"], lint(text)


@pytest.mark.parametrize("text", [
    "若い世代に伝え、そこからおじいちゃん、おばあちゃんたちに広がるようにしたい。",
    "不審者がきたときは、きょうのように先生の言うことをよく聞いてください。",
])
def test_no_name_in_a_phrase_before_the_title(text):
    assert _texts(text, "person") == [], lint(text)


def test_a_hiragana_name_before_its_title_is_still_one():
    assert _texts(text := "3年生のはるとくんが見つけた。", "person") == ["はると"], lint(text)


def test_a_name_spaced_before_the_pupils_council_it_chairs_is_a_person():
    text = "小林 真似(名西高校生徒会長)"
    assert _texts(text, "person") == ["小林 真似"] and _texts(text, "facility") == ["名西高校"], lint(text)
