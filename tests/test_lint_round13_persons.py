"""Round 13 person shapes, tested with invented names: family names in a list of members before 委員, heads of a
branch or a cooperative (支社長, 組合長) in a caption's row and in running text, a family name before a unit and its
head's title in a row of heads; and as no persons a station's town after a holder's name and 「・」, the lead of an
association's short name (「建協」), a medal's grade (「金章」), an emoji before a mascot, and a shop named after
its town that a person's family name repeats."""

from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint

_SURNAMES = ["西村", "国森", "安村", "小谷", "谷口", "齊藤", "森下", "大村", "中川", "岡田"]


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


# members listed before 委員

@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(_SURNAMES), min_size=3, max_size=5, unique=True), st.sampled_from(["; ", "、", "・"]))
def test_members_listed_before_iin(names, join):
    text = "出席者名" + join.join(n + "委員" for n in names) + join + "事務局職員"
    assert _persons(text) == names


def test_one_kanji_member_among_family_names():
    assert _persons("出席者名堀委員; 西村委員; 国森委員; 谷口委員") == ["堀", "西村", "国森", "谷口"]


def test_kinds_of_members_are_no_names():
    assert _persons("民生委員、児童委員、教育委員が出席した。") == []
    assert _persons("会長、副会長、各委員、学識委員、専門委員") == []


# heads of a branch or a cooperative

def test_branch_heads_in_a_caption_row():
    text = "(左から)岡田社長、森下署長、鳥谷部支社長、鈴木支社長"
    assert _persons(text) == ["岡田", "森下", "鳥谷部", "鈴木"]


def test_cooperative_head_in_running_text():
    assert "谷口" in _persons("谷口組合長は「協力したい」と応えた。")


def test_branch_named_after_a_place_is_no_head():
    assert _persons("九州支社長があいさつした。") == []


def test_surname_before_a_unit_in_a_row_of_heads():
    text = "津村警察本部長、西尾危機管理局長、門田交流人口拡大本部長、"
    assert _persons(text) == ["津村", "西尾", "門田"]


# no persons

def test_station_town_after_a_holders_name():
    text = "山本一郎・津山署長は、お年寄りを守った女性に感謝状を贈った。"
    assert _persons(text) == ["山本一郎"]
    assert "佐藤" in _persons("佐藤署長は話した。")


def test_station_town_that_the_dictionary_reads_as_a_place():
    text = "宗田一郎・日田署長は、日田市三本松の女性に感謝状を贈った。"
    assert "日田" not in _persons(text)


def test_lead_of_an_associations_short_name():
    text = "建協の藤原会長や山根一樹八頭建協会長が出席した。"
    assert "八頭建" not in _persons(text)
    assert "山根一樹" in _persons(text)


def test_grade_of_a_medal():
    assert _persons("防犯協会の佐々木正美氏が防犯栄誉金章、同会が表彰を受けた。") == ["佐々木正美"]
    assert _persons("防犯功労銀章を受けた。") == []


def test_emoji_before_a_mascot():
    assert _persons("✨コスモちゃんです✨") == []
    assert _persons("🌸ミライくんが来たよ") == []
    assert _persons("✨ゆいちゃん✨が来た") == ["ゆい"]


def test_shop_named_after_its_town_is_no_second_mention():
    text = "北海道新聞大竹販売所の大竹利法所長は「見守りをします」と語った。"
    assert _persons(text) == ["大竹利法"]
