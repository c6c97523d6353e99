import csv
import pickle

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from anshin_lab.places.address import (
    NO_CHOME_FROM, Address, AddressError, fold, gazetteer, locate, parse, read_numbers, read_numbers_generally,
)
from anshin_lab.places.gazetteer import Town
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy import Granularity as PrivacyGranularity

from .conftest import PROJECT
from .strategies import full_width, kanji

CORPUS = PROJECT / "tests" / "data" / "addresses.csv"
FIELDS = ("prefecture", "city", "town", "chome", "block", "lot", "building", "is_jiban")
# The share of the corpus that must parse to exactly the expected parts.
CORPUS_TARGET = 0.98


def load_corpus():
    with CORPUS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected(row) -> dict:
    return {
        "prefecture": row["prefecture"], "city": row["city"], "town": row["town"] or None,
        "chome": int(row["chome"]) if row["chome"] else None, "block": row["block"] or None,
        "lot": row["lot"] or None, "building": row["building"] or None, "is_jiban": row["is_jiban"] == "True",
    }


def actual(address: Address) -> dict:
    return {name: getattr(address, name) for name in FIELDS}


def corpus_accuracy() -> tuple[float, list]:
    rows = load_corpus()
    misses = []
    for row in rows:
        if row["error"]:
            try:
                parse(row["text"])
                misses.append((row["text"], "no AddressError"))
            except AddressError:
                pass
            continue
        try:
            got = actual(parse(row["text"]))
        except AddressError as exc:
            misses.append((row["text"], str(exc)))
            continue
        if got != expected(row):
            diff = {k: (got[k], v) for k, v in expected(row).items() if got[k] != v}
            misses.append((row["text"], diff))
    return 1 - len(misses) / len(rows), misses


def test_corpus_is_large_and_varied():
    rows = load_corpus()
    parseable = [r for r in rows if not r["error"]]
    assert len(parseable) >= 150
    assert len({r["city"] for r in parseable}) >= 25
    assert any(r["is_jiban"] == "True" for r in parseable) and any(r["is_jiban"] == "False" for r in parseable)


def test_corpus_accuracy():
    accuracy, misses = corpus_accuracy()
    assert accuracy >= CORPUS_TARGET, "\n".join(map(str, misses))


@pytest.mark.parametrize("text, parts", [
    ("鹿児島市紫原3丁目12番5号", ("鹿児島市", "紫原", 3, "12", "5", None, False)),
    ("〒890-0081 鹿児島県鹿児島市紫原３－１２－５ 紫原ハイツ201号室", ("鹿児島市", "紫原", 3, "12", "5", "紫原ハイツ201号室", False)),
    ("鹿児島市武岡二丁目十一番", ("鹿児島市", "武岡", 2, "11", None, None, False)),
    ("鹿児島市武2ー3ー4", ("鹿児島市", "武", 2, "3", "4", None, False)),
    ("鹿児島市吉野町1234", ("鹿児島市", "吉野町", None, "1234", None, None, True)),
    ("鹿児島市宇宿町100番地", ("鹿児島市", "宇宿町", None, "100", None, None, True)),
    ("鹿児島市千日町1番1号", ("鹿児島市", "千日町", None, "1", "1", None, False)),
    ("鹿児島市桜が丘5‐1−1", ("鹿児島市", "桜ケ丘", 5, "1", "1", None, False)),
    ("瀬戸内町大字古仁屋1234番地", ("大島郡瀬戸内町", "古仁屋", None, "1234", None, None, True)),
    ("奄美市住用町大字和瀬123", ("奄美市", "住用町和瀬", None, "123", None, None, True)),
    ("日置市伊集院町郡百二十三番地", ("日置市", "伊集院町郡", None, "123", None, None, True)),
    ("霧島市隼人町松永11の1", ("霧島市", "隼人町松永", None, "11", "1", None, True)),
    ("鹿児島市", ("鹿児島市", None, None, None, None, None, False)),
])
def test_examples(text, parts):
    a = parse(text)
    assert (a.city, a.town, a.chome, a.block, a.lot, a.building, a.is_jiban) == parts


def test_public_text_at_each_level():
    a = parse("鹿児島市紫原3丁目12番5号")
    assert a.at(Granularity.EXACT) == "鹿児島市紫原3丁目12番5号"
    assert a.at(Granularity.BLOCK) == "鹿児島市紫原3丁目12番"
    assert a.at(Granularity.CHOME) == "鹿児島市紫原3丁目"
    assert a.at(Granularity.TOWN) == "鹿児島市紫原"
    assert a.at(Granularity.CITY) == "鹿児島市"
    assert a.at(Granularity.PREF) == "鹿児島県"
    jiban = parse("日置市伊集院町郡123番地4")
    assert jiban.at(Granularity.BLOCK) == "日置市伊集院町郡"  # a 番地 is nearly one house
    assert jiban.at(Granularity.EXACT) == "日置市伊集院町郡123番地4"


@pytest.mark.parametrize("text, part", [
    ("東京都千代田区丸の内1-1", "prefecture"),
    ("福岡市中央区天神1丁目", "city"),
    ("鹿児島市架空町1-2-3", "town"),
    ("鹿児島市1-2-3", "town"),
    ("", "city"),
])
def test_unplaceable_text_names_the_part(text, part):
    with pytest.raises(AddressError) as info:
        parse(text)
    assert info.value.part == part
    assert pickle.loads(pickle.dumps(info.value)).part == part


def test_granularity_is_ordered_and_shared():
    assert Granularity.EXACT < Granularity.BLOCK < Granularity.CHOME < Granularity.TOWN < Granularity.CITY < Granularity.PREF
    assert PrivacyGranularity is Granularity
    assert max(Granularity.BLOCK, Granularity.TOWN) is Granularity.TOWN


def test_locate_gives_the_most_precise_point():
    chome = locate("鹿児島市紫原3丁目12番5号")
    town = locate("鹿児島市紫原")
    assert chome and town and chome != town
    assert 31 < chome[0] < 32 and 130 < chome[1] < 131
    assert locate("東京都千代田区丸の内1-1") is None


# Property: any gazetteer town, written in any supported notation, reads back to its parts.
def _towns():
    gaz = gazetteer()
    return sorted((city, town.name, town.has_chome, tuple(sorted(town.chomes)))
                  for city, entries in gaz.towns.items() for town in entries.values())


TOWNS = _towns()


@st.composite
def written_addresses(draw):
    city, town, has_chome, chomes = draw(st.sampled_from(TOWNS))
    # Towns whose names end in a numeral are ambiguous when followed by kanji numbers.
    style = draw(st.sampled_from(["ascii", "full", "kanji"]))
    write = {"ascii": str, "full": lambda n: full_width(str(n)), "kanji": kanji}[style]
    block, lot = draw(st.integers(1, 3000 if not has_chome else 40)), draw(st.integers(1, 30))
    prefix = draw(st.sampled_from(["", "鹿児島県", "〒899-1234 ", "〒8991234鹿児島県"]))
    city_text = city.split("郡", 1)[1] if "郡" in city and draw(st.booleans()) else city
    if has_chome:
        chome = draw(st.sampled_from(chomes) if chomes else st.integers(1, 9))  # one of its 丁目, where known
        body = draw(st.sampled_from([
            f"{write(chome)}丁目{write(block)}番{write(lot)}号",
            f"{write(chome)}丁目{write(block)}番",
            f"{chome}-{block}-{lot}", f"{chome}－{block}－{lot}", f"{chome}ー{block}ー{lot}",
        ]))
        jiban = False
        lot_expected = None if body.endswith("番") else str(lot)
    else:
        chome = None
        body, lot_expected = draw(st.sampled_from([
            (f"{write(block)}番地{write(lot)}", str(lot)), (f"{write(block)}番地の{write(lot)}", str(lot)),
            (f"{block}の{lot}", str(lot)), (f"{write(block)}番地", None), (f"{block}-{lot}", str(lot)),
        ]))
        jiban = True
    building = draw(st.sampled_from([None, "コーポ桜101号室", "第一ビル3F"]))
    text = f"{prefix}{city_text}{town}{body}" + (f" {building}" if building else "")
    return text, Address("鹿児島県", city, town, chome, str(block), lot_expected, building, jiban)


@settings(max_examples=400, deadline=None)
@given(written_addresses())
def test_written_addresses_read_back(case):
    text, want = case
    assume(not want.town[-1] in "〇一二三四五六七八九十百千")
    assert parse(text) == want


# -- the fast paths read exactly what the general reading reads -------------------------------------


NUMBER_PIECES = ["1", "3", "12", "39", "40", "007", "123", "1234", "丁目", "番地の", "番地", "番", "号", "の", "-", "三",
                 "十二", " ", "　", "\t", "目", "地", "ー"]
BUILDINGS = ["", " コーポ桜101号室", " 、第一ビル", "  ビル-", " 目黒ハイツ", " -201", " 3F", " 丁目ビル", " ビル\n2F"]


@settings(max_examples=600, deadline=None)
@given(pieces=st.lists(st.sampled_from(NUMBER_PIECES), max_size=8), building=st.sampled_from(BUILDINGS),
       has_chome=st.booleans())
def test_numbers_read_by_shape_equal_the_general_reading(pieces, building, has_chome):
    text = "".join(pieces) + building
    town = Town("紫原", has_chome)
    assert read_numbers("鹿児島市", town, text, text) == read_numbers_generally("鹿児島市", town, text)


@pytest.mark.parametrize("text", ["3丁目12番5号", "3-12-5", "12番地1", "12番地の1", "12の1", "12番地", "12-1", "12",
                                  "3丁目12-5 コーポ1", "3丁目", "12番3号", "3丁目12番"])
def test_common_shapes_are_read_by_shape(text):
    for has_chome in (True, False):
        town = Town("紫原", has_chome)
        fast = read_numbers("鹿児島市", town, text, text)
        assert fast == read_numbers_generally("鹿児島市", town, text)
        assert type(fast) is Address and hash(fast) == hash(Address(**{f: getattr(fast, f) for f in FIELDS}))


def test_remembered_town_lookups_change_nothing():
    gaz = gazetteer()
    assert not gaz.names_have_digits  # what makes the text before the first digit a sound key
    texts = [row["text"] for row in load_corpus()] + ["鹿児島市1-2-3", "鹿児島市", "鹿児島市 ", "鹿児島市紫原"]
    cold = []
    for text in texts:  # each parsed with nothing remembered
        gaz.lookups.clear()
        cold.append(_outcome(text))
    warm = [_outcome(text) for text in texts + texts]  # the same texts, remembering all along
    assert warm == cold + cold


def _outcome(text):
    try:
        return parse(text)
    except AddressError as exc:
        return (exc.part, exc.message)


@settings(max_examples=200, deadline=None)
@given(written_addresses(), st.booleans())
def test_written_addresses_read_the_same_with_and_without_remembered_lookups(case, forget):
    text, _ = case
    if forget:
        gazetteer().lookups.clear()
    first = _outcome(text)
    assert _outcome(text) == first


@given(st.text(alphabet="ヶがヵノのッゝ餠邉邊嶋﨑冨髙國澤濱櫻龍大字紫原ケ123-", max_size=20))
def test_fold_keeps_every_length(text):
    # parse folds an address once and slices the folded text alongside the text: that needs a fold of equal length.
    assert len(fold(text)) == len(text) and fold(text[3:]) == fold(text)[3:]
    assert fold("大字") == "大字"


@settings(max_examples=200, deadline=None)
@given(lot=st.integers(NO_CHOME_FROM, 99999), hyphen=st.sampled_from(["", "-5", "-12"]))
def test_a_bare_lot_in_a_town_with_chome_is_exact_and_never_published_as_a_chome(lot, hyphen):
    # 「紫原1234」: no town has a 1234丁目; read as one, the CHOME level would publish the lot's number.
    address = parse(f"鹿児島市紫原{lot}{hyphen}")
    assert address.chome is None and address.is_jiban and address.finest == Granularity.EXACT
    assert str(lot) not in address.at(Granularity.CHOME) and address.at(Granularity.CHOME) == "鹿児島市紫原"


@pytest.mark.parametrize("text, chome", [("鹿児島市紫原3-12-5", 3), ("鹿児島市紫原7-1", 7), ("鹿児島市紫原7", 7)])
def test_a_small_first_number_in_a_town_with_chome_is_still_its_chome(text, chome):
    assert parse(text).chome == chome


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([t for t in TOWNS if t[2] and t[3]]), st.integers(1, 39), st.sampled_from(["", "-3", "-3-5"]))
def test_a_bare_first_number_that_is_none_of_the_towns_chome_is_a_lot(town, number, rest):
    """紫原 has 1 to 7丁目: 「紫原12-3」 is the lot 12-3, never 「紫原12丁目」, which would publish the lot's number."""
    city, name, _, chomes = town
    address = parse(f"{city}{name}{number}{rest}")
    if number in chomes:
        assert address.chome == number
    else:
        assert address.chome is None and address.finest == Granularity.EXACT
        assert address.at(Granularity.CHOME) == f"{city}{name}"



@settings(max_examples=200, deadline=None)
@given(st.sampled_from([t for t in TOWNS if t[2] and t[3]]), st.integers(100, 4000),
       st.sampled_from(["{c}丁目{n}", "{c}-{n}", "{c}丁目{n}-2", "{c}-{n}-2"]))
def test_a_number_of_a_hundred_or_more_after_a_chome_is_a_lot(town, number, shape):
    """No 丁目 has a block that high: 「紫原3丁目150」 is the lot 150, so no level above EXACT writes 150."""
    city, name, _, chomes = town
    address = parse(f"{city}{name}" + shape.format(c=min(chomes), n=number))
    assert address.finest == Granularity.EXACT and address.is_jiban
    assert str(number) not in address.at(Granularity.BLOCK) and str(number) not in address.at(Granularity.CHOME)
