"""Round 14 of issue 14: television stations by their letters, news agencies' credits, sports dailies, an exact age
after a long title, and an office claimed through a section or a building of it or 「として名乗り」. The names here
are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.lexicon import DICTIONARY_DIR


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text, name", [
    ("RKKを含む記者クラブは会見を求めてきました。", "RKK"),
    ("同様の書き込みはKTNの調べで18日までに確認されています。", "KTN"),
    ("MBCニュースによると、男は容疑を認めている。", "MBC"),
    ("NHKローカルニュースは元記事が消えるのが早い。", "NHK"),
    ("KBS京都の取材に対し、署は", "KBS京都"),
])
def test_a_television_station_by_its_letters_is_a_facility(text, name):
    assert name in _found(text, "facility")


@pytest.mark.parametrize("text", [
    "NTTファイナンスを名乗る男から電話があった。",  # a longer name glued after the letters: not the station
    "HOMEに戻ってください。",  # the letters the stations' file leaves out as other words
    "メールはSAYという件名で届いた。",
])
def test_letters_that_name_no_station_stay_clean(text):
    assert _found(text, "facility") == []


def test_the_stations_file_says_where_it_comes_from_and_lists_letters_only():
    lines = (DICTIONARY_DIR / "broadcasters.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and any("Source" in line for line in lines if line.startswith("#"))
    names = [line for line in lines if line and not line.startswith("#")]
    assert len(names) > 90 and len(set(names)) == len(names) and all(len(n) >= 3 and " " not in n for n in names)


@pytest.mark.parametrize("text", [
    "地元の人間しか通らないようなところでこんな事件が起きるなんて」と驚いた様子だった。(共同)",
    "【ワシントン共同】米政府は19日、",
    "男は容疑を否認している。(時事)",
])
def test_a_news_agencys_credit_is_a_facility(text):
    assert _found(text, "facility") in (["共同"], ["時事"])


@pytest.mark.parametrize("text", ["県と市が共同で実施した訓練", "共同通信社の調査では", "時事問題を学ぶ講座"])
def test_the_words_of_a_credit_elsewhere_are_no_credit(text):
    assert "共同" not in _found(text, "facility") and "時事" not in _found(text, "facility")


@pytest.mark.parametrize("text, name", [
    ("(9月15日 スポーツ報知)", "スポーツ報知"),
    ("日刊スポーツによると、", "日刊スポーツ"),
    ("スポニチの取材に応じた。", "スポニチ"),
])
def test_a_sports_daily_is_a_facility(text, name):
    assert name in _found(text, "facility")


@pytest.mark.parametrize("text, age", [
    ("豊田英三代表取締役社長(55)と永井泰文署長(55)が協定書に署名した。", "(55)"),
    ("同金庫の鹿子木敏明・現南大分支店長(48)、藤原史帆さん(26)の2人。", "(48)"),
    ("山内健一郎営業統括部長(61)は「被害を防げてよかった」と話した。", "(61)"),
])
def test_an_exact_age_after_a_name_and_a_long_title_is_found(text, age):
    findings = [f for f in lint(text) if f.kind == "person"]
    assert age in [f.text for f in findings]
    # the age comes right after a name's title, never alone
    assert len([f for f in findings if f.text == age]) <= text.count(age)


def test_an_age_after_a_word_that_is_no_title_stays_clean():
    assert _found("近くに住む会社員男性(35)は「驚いた」と話した。", "person") == []


@pytest.mark.parametrize("text", [
    "山口市役所の職員として名乗り、電話があります。",
    "むつ市役所の分庁舎の職員をかたる人物から電話がありました。",
    "鹿児島市役所の税務課の職員を名乗る男から電話があった。",
])
def test_an_office_claimed_through_its_section_or_building_is_no_finding(text):
    assert _found(text, "facility") == []


@pytest.mark.parametrize("text, name", [
    ("鹿児島市役所の分庁舎で説明会が開かれた。", "鹿児島市役所"),
    ("鹿屋市役所の職員として勤務する男が逮捕された。", "鹿屋市役所"),
])
def test_an_office_that_is_where_something_happened_is_still_found(text, name):
    assert name in _found(text, "facility")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["RKK", "KTN", "MBC", "KKT", "TKU", "NBC", "KYT", "QAB"]),
       st.sampled_from(["の取材に対し、", "によると、", "の記者が", "が報じた。"]))
def test_any_station_in_any_frame_is_found(station, frame):
    assert station in _found("男は" + station + frame, "facility") or station in _found(station + frame, "facility")


# ---------------------------------------------------------------------------------------------
# Firms and branches named by their heads; heads named before a kind and its 長; words that name no bank


@pytest.mark.parametrize("text, name", [
    ("同日は、岩手ビッグブルズの水野哲志社長が県警本部を訪問した。", "岩手ビッグブルズ"),
    ("協定書には板野専売所の湯浅隆所長が署名した。", "板野専売所"),
    ("みなと運送の高橋一郎代表取締役社長(55)があいさつした。", "みなと運送"),
])
def test_the_firm_before_its_heads_name_and_title_is_a_facility(text, name):
    assert name in _found(text, "facility")


@pytest.mark.parametrize("text", [
    "地元の山田太郎社長が協力した。",
    "同社の山田太郎社長は「防犯に努めたい」と話した。",
    "NPO法人つばさの山田花子理事長があいさつした。",  # 理事長 heads associations as often as firms
    "鹿児島中央署の山田太郎署長が感謝状を手渡した。",
])
def test_no_firm_is_read_before_a_head_where_none_is_named(text):
    assert _found(text, "facility") == []


@pytest.mark.parametrize("text, branch", [
    ("同金庫の鹿子木敏明・現南大分支店長(48)が表彰された。", "南大分支店"),
    ("鹿児島銀行の宇宿支店長が対応した。", "宇宿支店"),
])
def test_a_place_before_a_branch_heads_title_is_the_branch(text, branch):
    assert branch in _found(text, "facility")


@pytest.mark.parametrize("text, surname", [("西川支店長は「声かけを続ける」と話した。", "西川"),
                                           ("金色のプレートを受け取る西田支店長(右)", "西田")])
def test_a_family_name_before_a_branch_heads_title_stays_the_head(text, surname):
    assert surname in _found(text, "person") and _found(text, "facility") == []


@pytest.mark.parametrize("text, person", [
    ("おうちCO-OP若草センター(杉山修馬センター長)と協定を結んだ。", "杉山修馬"),
    ("同日は、内藤久夫市長と杉山センター長が協定書に署名。", "杉山"),
])
def test_a_name_before_a_centres_head_title_is_a_person_not_a_centre(text, person):
    assert person in _found(text, "person")
    assert not [f for f in _found(text, "facility") if f.startswith(person)]


@pytest.mark.parametrize("text, name", [("鹿児島市民センター長があいさつした。", "鹿児島市民センター"),
                                        ("山下小学校の校長が話した。", "山下小学校")])
def test_a_place_before_its_heads_title_stays_a_facility(text, name):
    assert name in _found(text, "facility")


@pytest.mark.parametrize("text", [
    "「年金の還付金があります。取引銀行はどこですか。」といった不審電話がありました。",
    "取引金融機関の口座番号を聞かれた。",
    "広島市公立学校に勤務する男が逮捕された。",
    "福井警察署長の案内により庁舎内の視察を行った。",
])
def test_words_that_say_which_kind_and_name_none_are_clean(text):
    assert _found(text, "facility") == []


def test_a_credit_unions_name_before_its_short_kind_is_found():
    assert "北都信金" in _found("北都信金が120周年を迎えた。", "facility")
    assert _found("地元信金の職員が声をかけた。", "facility") == []


def test_a_school_or_park_named_after_a_town_that_is_also_a_word_is_found():
    """「鰻」 is a town of 指宿市 and a generic shop word (「鰻屋」); before 小学校 or 公園 it is the name (a draw of the
    property test in tests/test_lint.py found the hole)."""
    text = "1月1日午後1時ごろ、指宿市鰻の鰻小学校付近で、下校中の女子児童が声をかけられました。"
    assert "鰻小学校" in _found(text, "facility")
    assert "鰻公園" in _found("鰻公園で男に声をかけられた。", "facility")
    assert _found("近くの鰻屋で食事をした。", "facility") == []


@pytest.mark.parametrize("text, name", [
    ("つくば市農業協同組合・つくば市谷田部農業協同組合", "つくば市谷田部農業協同組合"),
    ("県民共済生活協同組合が県防犯協会にワイヤーロックを贈った。", "県民共済生活協同組合"),
])
def test_a_co_operative_that_banks_or_sells_is_a_facility(text, name):
    assert name in _found(text, "facility")


def test_a_federation_of_co_operatives_is_a_body():
    assert _found("鹿児島県漁業協同組合連合会が協力した。", "facility") == []


@pytest.mark.parametrize("text, name", [
    ("感謝状 大分の大銀窓口で振り込みを止めた。", "大銀"),
    ("酒井副課長は「広銀の中で来客数が一番多い支店だが」と話した。", "広銀"),
    ("鹿銀の行員が声をかけた。", "鹿銀"),
])
def test_a_regional_banks_short_name_is_a_facility(text, name):
    assert name in _found(text, "facility")


@pytest.mark.parametrize("text", ["大銀杏の木の下で", "水銀灯の下で待っていた。", "地銀の再編が進む。", "白銀さんは郵便局を訪れた。"])
def test_words_in_silver_that_are_no_bank_stay_clean(text):
    assert _found(text, "facility") == []


def test_the_short_names_file_says_where_it_comes_from():
    lines = (DICTIONARY_DIR / "bank_short_names.txt").read_text(encoding="utf-8").splitlines()
    names = [line for line in lines if line and not line.startswith("#")]
    assert lines[0].startswith("#") and any("Source" in line for line in lines if line.startswith("#"))
    assert len(set(names)) == len(names) > 40 and all(n.endswith("銀") for n in names)
    assert not {"水銀", "白銀", "金銀", "純銀", "地銀", "都銀"} & set(names)


@pytest.mark.parametrize("text, name", [
    ("玉井町長と、板野専売所の湯浅隆所長が協定書に調印した。", "玉井"),
    ("田中村長が出席した。", "田中"),
])
def test_a_family_name_before_the_head_of_no_such_municipality_is_the_mayor(text, name):
    assert name in _found(text, "person")


@pytest.mark.parametrize("text", ["板野町長は「見守りを続けたい」と話した。", "鹿児島市長があいさつした。", "新市長が就任した。",
                                  "同町長は", "前町長の葬儀", "各市町村長が集まった。"])
def test_the_head_of_a_municipality_is_no_name(text):
    assert _found(text, "person") == []


@pytest.mark.parametrize("text, name", [("本文です。\n(林)", "林"), ("(茨木)", "茨木")])
def test_a_writers_family_name_alone_in_brackets_on_its_line_is_a_person(text, name):
    assert _found(text, "person") == [name]


@pytest.mark.parametrize("text", ["(写真)", "(左)", "記事の本文\n(中)", "(鹿児島)", "(完)", "本文の途中(林)に"])
def test_other_words_alone_in_brackets_are_no_writer(text):
    assert _found(text, "person") == []
