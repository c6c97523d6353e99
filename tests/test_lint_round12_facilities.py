"""Round 12 facility shapes and false facilities, tested with invented names: short bank and co-operative
names, joint branches, high schools named as teams, rarer kinds (power stations, children's parks, a circus,
restaurants and newspaper shops written after their kind), centres listed after one kind word, a chain's
branch with a town that holds 市, municipal sections signing an alert or employing a suspect; and as clean
text the police's buildings, 同店, adverbs before a kind word, school levels, designations, a city's
service, districts in a member list and a count of municipalities."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text)]


# banks and co-operatives

def test_credit_cooperative_by_its_short_name():
    assert "群馬県信組" in _facilities("群馬県信組、職員の声かけで被害防ぐ")
    assert "静岡県労働金庫" in _facilities("静岡県労働金庫の窓口で気づいた。")


def test_joint_branch_is_two_branches():
    found = _facilities("沼津市本町のさくら信用金庫本町支店兼北口支店で感謝状を贈った。")
    assert "さくら信用金庫本町支店" in found and "北口支店" in found


def test_known_short_bank_name_in_a_text_about_banking():
    found = _facilities("西田支店長は「琉銀の中でも那覇支店は来店者が多い」と話した。")
    assert "琉銀" in found


def test_place_and_short_bank_before_its_staff_or_counter():
    assert "肥後銀" in _facilities("肥後銀の窓口で職員が声をかけた。")


def test_common_words_ending_in_gin_stay_clean():
    assert _facilities("地銀の中でも支店数が多い銀行です。") == []
    assert _facilities("水銀の中でも有害なものがある。") == []


# high schools named as teams

def test_team_after_a_title_and_its_list():
    found = _facilities("開会式では前年度優勝の松江北を先頭に、皆勤校の大田東や浜田南など、20校が入場行進した。")
    assert {"松江北", "大田東", "浜田南"} <= set(found)


def test_team_before_its_captain():
    assert "出雲西" in _facilities("出雲西の山田太郎主将が選手宣誓した。")


def test_direction_after_a_town_in_ordinary_text_stays_clean():
    assert _facilities("松江北の住宅街で不審な男が目撃された。") == []
    assert _facilities("出雲西の田中さん方で盗難があった。") == []


# rarer kinds

def test_power_station_and_childrens_park():
    assert "柏崎原子力発電所" in _facilities("柏崎原子力発電所の安全審査をめぐり")
    assert "米沢高原こどもの国" in _facilities("米沢高原こどもの国駐車場で男性が倒れていた。")


def test_circus_firm_and_restaurant_after_its_kind():
    assert "南田大サーカス" in _facilities("南田大サーカスの象が一日署長に")
    assert "割烹はなぶさ" in _facilities("会議の後、割烹はなぶさで意見交換会を開いた。")
    assert _facilities("サーカスを見に行った。") == []


def test_newspaper_sales_shops():
    assert "ASA富山北" in _facilities("新聞配達員でASA富山北の山田一郎さん(52)に感謝状")
    found = _facilities("山田一郎・YC高岡所長が出席した。")
    assert "YC高岡" in found and not any("所長" in f for f in found)


def test_centres_listed_after_one_kind_word():
    found = _facilities("児童館ひなたぼっこ、もくもく、ぽけっと、そらON(受付は午前10時から)")
    assert {"もくもく", "ぽけっと", "そらON"} <= set(found)
    assert any(f.endswith("ひなたぼっこ") for f in found)


def test_sentence_after_a_kind_word_is_no_list():
    assert _facilities("センターでは、まず、相談を受けます。") == []
    assert _facilities("児童館まで、また、ご連絡ください。") == []


def test_chain_branch_whose_town_holds_a_generic_word():
    found = _facilities("セブンイレブン八日市インター店において")
    assert found == ["セブンイレブン八日市インター店"]


# municipal sections

def test_section_employing_a_suspect_with_a_post():
    assert "松戸市道路管理課" in _facilities("松戸市道路管理課主査、山田一郎容疑者(41)を逮捕した。")


def test_section_signing_an_alert():
    assert "津市防災室" in _facilities("【配信元】津市防災室\n【電話】059-000-0000")
    assert "鎌倉市総務部防災安全課" in _facilities("ご注意ください。\n鎌倉市総務部防災安全課")


def test_section_as_plain_staff_or_in_running_text_stays_as_before():
    assert _facilities("市の防災安全課からのお知らせです。") == []


# false facilities removed

def test_police_buildings_are_the_police():
    assert _facilities("富山中央警察署別館2階会議室で") == []
    assert _facilities("福井県警察本部別館会議室において寄贈を受けた。") == []


def test_a_shop_referred_to_again_is_no_name():
    found = _kinds("また、同店(山田一郎店長)には感謝状が贈られた。")
    assert ("facility", "同店") not in found


def test_adverbial_nouns_before_a_kind_word():
    assert _facilities("見守りの家は、おおむね中学校区ごとに置かれた。") == []
    assert _facilities("児童の声で、それぞれ下校放送を始めた。") == []
    assert "やまびこ小学校" in _facilities("やまびこ小学校の前で")


def test_schools_of_a_level_or_a_city_name_no_school():
    assert _facilities("松戸市小中学校PTA連絡協議会と協議した。") == []
    assert _facilities("市内の小・中学校に配布した。") == []
    assert "大和町小学校" in _facilities("大和町小学校で")


def test_designation_of_a_shop_is_no_shop():
    found = _facilities("北國銀行金沢支店を「詐欺被害防止協力店」に認定した。")
    assert found == ["北國銀行金沢支店"]


def test_a_citys_service_is_no_firm():
    assert _facilities("◇松戸市メール配信サービス「まつどメール」は") == []
    assert "ヤマトサービス" in _facilities("ヤマトサービスの配達員")


def test_reference_words_start_no_name():
    assert _facilities("(下記リンク子どもセンター一覧を参照)") == []


def test_districts_in_a_member_list():
    text = "▽2期=山田一郎(上町)佐藤花子(寺前)鈴木次郎(松月堂)▽1期=田中三郎(下町)"
    assert _facilities(text) == []


def test_a_house_kind_outside_a_member_list_is_a_shop():
    assert "松月堂" in _facilities("山田一郎さんが松月堂(金沢市)で買い物をした。")


def test_count_of_municipalities_is_no_address():
    assert not any(k == "exact_address" for k, _ in _kinds("宮古警察署と宮古3市町村は1日、協定を結んだ。"))


@pytest.mark.parametrize("text", ["〒930-8501 富山市新総曲輪1-7 県庁南別館3階", "富山市新総曲輪1-7県庁", "高松市番町4-1-10 市役所内"])
def test_an_office_after_a_hyphenated_address_is_no_count_of_municipalities(text):
    assert any(k == "exact_address" for k, _ in _kinds(text))


def test_claimed_office_with_its_section():
    assert _facilities("西宮市役所福祉課の職員名を名乗り、電話があった。") == []


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["港", "峰", "泉"]), st.sampled_from(["学区は", "の学区です", "校区で"]))
def test_short_school_before_its_district(stem, after):
    text = f"{stem}小{after}"
    assert any(f.startswith(stem) and f.endswith("小") for f in _facilities(text))


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["それぞれ", "おおむね", "ほとんど", "すべて"]),
       st.sampled_from(["小学校区ごとに", "下校時に", "中学校区で"]))
def test_adverbial_noun_never_starts_a_school(adverb, rest):
    assert not any(f.startswith(adverb) for f in _facilities(f"{adverb}{rest}見守る。"))


def test_a_boards_section_signing_stays_clean():
    assert _facilities("お知らせ\n坂出市教育委員会 教育部 生涯学習課") == []


def test_a_merged_chain_brand_is_one_name():
    assert "サークルKサンクス" in _facilities("協定先はサークルKサンクス、ローソンの2社。")
