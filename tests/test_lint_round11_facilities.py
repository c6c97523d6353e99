"""Round 11 facility shapes, tested with invented names: short bank names before a count of staff, a
municipality's section named as a workplace or source, glued names, firms named by their trade or kind word,
regional public halls, and the police's own school."""

from anshin_lab.privacy.lint import lint


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


def test_short_bank_name_before_a_count_of_staff():
    assert "南海銀" in _facilities("詐欺を防ぐ 南海銀3人に感謝状")
    assert "北陽銀" in _facilities("北陽銀2人を表彰")


def test_municipal_section_as_workplace_or_source():
    assert "三木町福祉推進課" in _facilities("三木町福祉推進課に勤める妻が話した。")
    assert "坂出市総務課" in _facilities("坂出市総務課によると、男性職員は欠勤していた。")
    assert "西宮市こども未来局青少年室" in _facilities("協議会(事務局:西宮市こども未来局青少年室)が配布した。")


def test_a_plain_section_word_is_no_facility():
    assert _facilities("市役所の担当課に相談してください。") == []


def test_glued_schools_are_two_names():
    found = _facilities("東山小学校東山中学校が隣り合う地区です。")
    assert "東山小学校" in found and "東山中学校" in found


def test_post_office_after_its_operator():
    found = _facilities("日本郵便株式会社南浜郵便局の局長に感謝状が贈られた。")
    assert "南浜郵便局" in found


def test_firm_quoted_after_its_trade():
    assert "まるやま本舗" in _facilities("市内の卸売業「まるやま本舗」が協力した。")


def test_firm_by_kind_word():
    assert "ひなたカンパニー" in _facilities("ひなたカンパニーの社員が来店した。")


def test_regional_public_halls():
    assert "東予県民センター" in _facilities("・東予県民センター 電話は下記へ")
    assert "県民文化会館" in _facilities("表彰式は市内の県民文化会館で行われました。")


def test_fountain_square_is_no_name():
    assert "噴水広場" not in _facilities("駅前の噴水広場で啓発イベントを開きました。")


def test_one_kanji_university_before_students_or_a_year():
    assert "阪大" in _facilities("阪大3年の女性が話した。")
    assert _facilities("懲役は最大3年の見込み。私大生が被害に。元大学生の男。") == []


def test_police_school_event_and_district_are_no_facilities():
    assert _facilities("近くには南浜県警察学校があります。") == []
    assert _facilities("先月開催された「ひなたマルシェ」で啓発しました。") == []
    assert _facilities("坂出市府中地区防犯協会が贈呈した。") == []


def test_fire_chief_named_by_title_is_no_station():
    assert _facilities("(左から)山本署長、長谷部消防署長") == []


def test_fire_station_after_its_head_name_stays():
    assert "長谷部消防署" in _facilities("山田一郎・長谷部消防署長が立ち会った。")
