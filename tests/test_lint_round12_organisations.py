"""Round 12: the organisation gazetteer (``organisations``), tested with invented sentences: firms, banks and
media named bare as employer, in thanks, as byline or source are facilities; claimed organisations, the police,
brands before clothes, operators before their station and generic words stay clean."""

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.lexicon import DICTIONARY_DIR
from anshin_lab.privacy.lint.organisations import gazetteer

CORPUS = Path(__file__).parent / "data" / "lint_corpus.jsonl"


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


def test_firm_as_employer():
    assert "カルビー" in _facilities("カルビーに勤める男性が帰宅途中に声を掛けられた。")
    assert "東北電力" in _facilities("東北電力の社員が駆け付け、男を取り押さえた。")


def test_firm_thanked():
    assert "森永製菓" in _facilities("詐欺被害を防いだ森永製菓の従業員に感謝状が贈られた。")


def test_media_as_byline_and_source():
    assert "文化放送" in _facilities("文化放送の記者によると、現場は騒然としていた。")
    assert "北海道新聞" in _facilities("北海道新聞の取材に対し、署は事実を認めた。")
    assert "NHK" in _facilities("(25/3/4 NHK)")


def test_prefectural_paper_of_the_media_list():
    assert "南日本新聞" in _facilities("南日本新聞によると、男は容疑を否認している。")


def test_claimed_organisations_stay_clean():
    assert _facilities("昨日、東北電力を名乗る男から電話があった。") == []
    assert _facilities("九州電力の社員を名乗る男が訪問した。") == []
    assert _facilities("NTTの職員を名乗る者から電話がありました。") == []


def test_police_and_government_are_not_listed():
    names = gazetteer()
    assert not names & {"警視庁", "公安", "教委", "検察庁", "法務省", "国税庁"}
    assert _facilities("警視庁によると、男は容疑を認めている。") == []


def test_bodies_teams_places_and_surnames_are_not_listed():
    names = gazetteer()
    assert not names & {"自民党", "日本医師会", "阪神タイガース", "読売ジャイアンツ", "松山", "名古屋", "ホンダ", "タナカ"}
    assert any(n.endswith("信用組合") for n in names)  # credit unions are banks, not unions


def test_generic_words_stay_clean():
    assert _facilities("電力会社の社員を名乗る男から電話があった。") == []
    assert _facilities("新聞を読んでいた男性が不審な車を見た。") == []
    assert _facilities("コンビの男が中央通りを歩いていた。") == []


def test_brand_before_clothes_operator_before_station_and_products():
    assert _facilities("男はアシックスのジャンパーを着ていた。") == []
    assert _facilities("財布にはワコールのICキーが入っていた。") == []
    assert _facilities("西武鉄道の所沢駅で声を掛けられた。") == ["所沢駅"]
    assert "西武鉄道" not in _facilities("西武鉄道線内で痴漢の被害があった。")
    assert _facilities("テレビ朝日系の番組で紹介された。") == []
    assert _facilities("町内の家庭にカゴメを配達していた。") == []


def test_name_inside_a_longer_word_is_none():
    # a match must begin and end at token boundaries: 「NTT」 in a longer katakana name is not found alone
    assert "NTT" not in _facilities("NTTファイナンスから請求書が届いた。")


def test_dictionary_has_header_and_licence():
    text = (DICTIONARY_DIR / "organisations.txt").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("Noun.org.csv" in line and "2.7.0-20070801" in line for line in header)
    assert any("organisations_from_ipadic.py" in line for line in header)
    names = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(names) > 10000 and all(len(n) >= 3 for n in names)
    licence = (DICTIONARY_DIR / "organisations.LICENSE").read_text(encoding="utf-8")
    assert "Nara Institute of Science" in licence and "NO WARRANTY" in licence and "ICOT" in licence
    media = (DICTIONARY_DIR / "media_names.txt").read_text(encoding="utf-8")
    assert media.startswith("#") and "Source" in media


def _clean_sentences() -> list[str]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows if not r["findings"]][:60]


# Names a frame can hold whole: no middle dot or bracket, at most 12 characters (longer runs exceed MAX_TOKENS).
_PLAIN = re.compile(r"[一-龥ァ-ヺーA-Z]{3,12}")
_NAMES = sorted(n for n in gazetteer() if _PLAIN.fullmatch(n))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_NAMES), st.sampled_from(_clean_sentences()))
def test_gazetteer_name_in_a_clean_frame_is_found(name, sentence):
    text = f"{name}の社員によると、{sentence}"
    assert any(f.kind == "facility" and f.start <= 0 and len(name) <= f.end for f in lint(text)), (name, text)
