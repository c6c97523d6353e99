"""The lint on classes of facility shapes that the sixth held-out set showed (issue 14, round 7).

Round 7 asks for mechanisms that lean on the structure of the sentence rather than on the names seen:
every item of a list of facilities (a bullet line 「・A、B、C」 or the list after 「現場付近の施設」) once two
of its items are facilities; a name followed by its municipality in brackets (「…(〇〇市△△区)において」);
a post office by its short name before its 局長; a school's one-kanji short name before 校区 / 学区. And the
guards: a town before 署 is a police station, a quoted service name (〇〇メール) is no place, a town hall
as a turn of a route (「市役所前を左折」) is no scene, an 字 of an address that starts with a kind's character,
a bank in brackets after a phishing address. Every sentence here is written for these tests with other
names and towns than ``tests/data/real_alerts``.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.chains import find_chains
from anshin_lab.privacy.lint.facilities import find_facilities
from anshin_lab.privacy.lint.frames import find_framed
from anshin_lab.privacy.lint.landmarks import find_landmarks
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.normalize import normalize
from anshin_lab.privacy.lint.tokens import token_owners, tokenize


def _on(text: str, span: str) -> list:
    start = text.index(span)
    return [f for f in lint(text) if f.start < start + len(span) and start < f.end]


def _found_whole(text: str, span: str) -> None:
    hits = [f for f in _on(text, span) if f.kind == "facility"]
    assert hits and hits[0].start <= text.index(span) and hits[0].end >= text.index(span) + len(span), \
        (text, [(f.kind, f.text) for f in lint(text)])


def _no_facility_on(text: str, span: str) -> None:
    hits = [(f.kind, f.text) for f in _on(text, span) if f.kind == "facility"]
    assert not hits, (text, hits)


LISTED = [
    # rare kind words inside a bullet list of facilities
    ("・桐ヶ谷小学校、桐ヶ谷中学校、西雲寺浄水場", "西雲寺浄水場"),
    ("・大淀南小学校、大淀総合病院、北大淀電車区", "北大淀電車区"),
    ("・小鷺中学校、鷺沼学院大学、鷺沼花の森公苑、国道48号線", "鷺沼花の森公苑"),
    ("・朝霧駅[JR]、朝霧小学校、朝霧台配水場など", "朝霧台配水場"),
    ("現場付近の施設:白浜東小学校、白浜温泉病院、白浜南浄化センター", "白浜南浄化センター"),
]

NOT_LISTED = [
    # roads, rivers, railway lines and interchanges in the same lists stay clean
    ("・桐ヶ谷小学校、桐ヶ谷中学校、★黒瀬川", "黒瀬川"),
    ("・大淀南小学校、大淀北小学校、東西新幹線", "東西新幹線"),
    ("・小鷺中学校、小鷺小学校、国道48号線", "国道48号線"),
    ("・小鷺中学校、小鷺小学校、北鷺インターチェンジ", "北鷺インターチェンジ"),
    # one facility does not make a bullet line a list of places
    ("・黒色の上着、白色のズボン、桐ヶ谷小学校", "白色のズボン"),
    ("・声をかけられた児童は、走って逃げた。", "児童"),
]


@pytest.mark.parametrize(("text", "span"), LISTED)
def test_every_item_of_a_list_of_facilities_is_one(text, span):
    _found_whole(text, span)


@pytest.mark.parametrize(("text", "span"), NOT_LISTED)
def test_roads_rivers_and_lines_in_a_list_stay_clean(text, span):
    _no_facility_on(text, span)


BEFORE_ADDRESS = [
    ("防犯大会がテクノアカデミー(福井市南区花月1丁目)において開かれた。", "テクノアカデミー"),
    ("訓練は湖北鉄道(彦根市)の車庫で行われた。", "湖北鉄道"),
    ("処分を受けたのは「ひなた工務」(東京都八王子市)だった。", "ひなた工務"),
    ("業者「森設備」(千葉県船橋市)に業務停止を命じた。", "森設備"),
]

NOT_BEFORE_ADDRESS = [
    ("感謝状を受け取る大森店長(津市久居で)", "大森店長"),
    ("不審者は無職の男(52=静岡市葵区)と判明した。", "男"),
    ("県警本部(仙台市青葉区)で式典があった。", "県警本部"),
    ("会は「特別会員」(福井市、敦賀市及び各地区の協会)で構成される。", "特別会員"),
]


@pytest.mark.parametrize(("text", "span"), BEFORE_ADDRESS)
def test_a_name_before_its_municipality_in_brackets_is_a_place(text, span):
    _found_whole(text, span)


@pytest.mark.parametrize(("text", "span"), NOT_BEFORE_ADDRESS)
def test_persons_police_and_members_before_an_address_stay_clean(text, span):
    _no_facility_on(text, span)


def test_a_post_office_by_its_short_name_before_its_postmaster():
    _found_whole("新見矢神局の小川局長に感謝状が贈られた。", "新見矢神局")
    _found_whole("郵便局員の機転で、高梁局の窓口で被害を防いだ。", "高梁局")


def test_an_office_named_by_a_common_word_before_kyoku_stays_clean():
    _no_facility_on("県民生活局の担当者が説明した。", "県民生活局")
    _no_facility_on("水道局の職員を名乗る男から電話があった。", "水道局")


def test_a_one_kanji_school_name_before_its_district():
    _found_whole("梢小校区の見守り隊が活動した。", "梢小")
    _found_whole("梢中校区で不審者が目撃された。", "梢中")


def test_a_town_before_sho_is_a_police_station():
    _no_facility_on("山形県警鶴館署は、店員に感謝状を贈った。", "鶴館")


def test_a_quoted_service_name_is_no_place():
    _no_facility_on("県警の配信サービス「まもるメール」の登録者が増えた。", "まもるメール")
    _no_facility_on("配信システム「見守りアプリ」で情報を流した。", "見守りアプリ")


def test_a_town_hall_as_a_turn_of_a_route_is_no_scene():
    _no_facility_on("駅前通りを北へ進み、市役所前を右折。", "市役所")
    _no_facility_on("県の市庁舎入口で啓発品を配った。", "市庁舎")


def _rule_facilities(text: str) -> list[str]:
    """The facility rules alone (the learned detector is scored apart)."""
    lex = load_lexicon()
    folded = normalize(text).text
    tokens = tokenize(folded)
    owner = token_owners(tokens, len(folded))
    chains = find_chains(folded, tokens, owner, lex)
    found = chains + find_facilities(folded, tokens, owner, lex, chains) + find_landmarks(folded, tokens, owner, lex)
    found += find_framed(folded, tokens, owner, lex, found)
    return [folded[c[0]:c[1]] for c in found]


def test_an_aza_that_starts_with_a_kind_character_is_an_address():
    assert _rule_facilities("宍粟郡山崎町字寺前の路上で声かけがあった。") == []
    assert _rule_facilities("加東郡森町字宮田12番地先の路上で") == []


def test_a_bank_in_brackets_after_a_phishing_address_is_a_claim():
    _no_facility_on("送信元 info@mizuho-secure.net(みずほ銀行)", "みずほ銀行")
    _no_facility_on("yamaguchibank.co.jp@・・・(山口銀行)", "山口銀行")


def test_a_municipal_section_with_its_phone_is_a_contact():
    _found_whole("[問]府中市地域安全課TEL042-111-2222", "府中市地域安全課")
    _found_whole("問い合わせ:八代市危機管理課 電話0965-33-4444", "八代市危機管理課")


def test_a_municipal_section_without_a_phone_stays_clean():
    _no_facility_on("(連絡先) 八代市生活環境課 交通安全・防犯係", "八代市生活環境課")
    _no_facility_on("府中市地域安全課の担当者に聞きました。", "府中市地域安全課")


def test_a_quoted_name_ending_in_its_kind_is_one_place():
    _found_whole("「秋田県高齢者見守り相談センター」へ情報を寄せた。", "秋田県高齢者見守り相談センター")
    _found_whole("会場の「みどり台地域交流会館」で講話があった。", "みどり台地域交流会館")


def test_quoted_classes_programmes_and_questions_stay_clean():
    # (the rules alone: the learned detector is scored apart)
    assert _rule_facilities("「親子防犯教室」を開いた。") == []
    assert _rule_facilities("「こども110番の店」に駆け込んだ。") == []
    assert _rule_facilities("男は「どこの中学校」と聞いてきた。") == []


def test_a_body_before_its_address_stays_clean():
    _no_facility_on("全国コンビニ防犯協会(東京都港区)が声明を出した。", "全国コンビニ防犯協会")
