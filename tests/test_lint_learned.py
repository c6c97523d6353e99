"""The learned detector (``privacy.lint.learned``): names of shapes no rule was written for, and what it must not take.

Sentences and names written for these tests, not taken from the labelled corpus.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pycrfsuite")

from anshin_lab.privacy.lint import PERSON_MASK, LintError, lint  # noqa: E402
from anshin_lab.privacy.lint.learned import (  # noqa: E402
    MODEL_PATH, find_learned, load_model, sentence_features, spans_from_marginals, tag_marginals,
)
from anshin_lab.privacy.lint.normalize import normalize  # noqa: E402
from anshin_lab.privacy.lint.tokens import tokenize  # noqa: E402

pytestmark = pytest.mark.skipif(not MODEL_PATH.exists(), reason="model not built: python -m anshin_lab.privacy.lint.training")


def _found(text: str) -> list[tuple[str, str]]:
    folded = normalize(text).text
    return [(kind, folded[s:e]) for s, e, kind, _ in find_learned(folded, tokenize(folded))]


@pytest.mark.parametrize("text, name", [
    ("強盗の疑いで、青森市の会社員、桜庭遼平容疑者(29)を逮捕した。", "桜庭遼平"),
    ("感謝状を受け取ったのは、店長の古賀美津子さん。", "古賀美津子"),
])
def test_a_name_before_a_title_is_a_person(text, name):
    assert ("person", name) in _found(text)


@pytest.mark.parametrize("text, name", [
    ("男は、宇城市の松橋北中学校の近くで女子生徒に声をかけた。", "松橋北中学校"),
    ("現場は、みどり台第二公園の東側の路上です。", "みどり台第二公園"),
])
def test_a_name_with_its_kind_word_is_a_facility(text, name):
    """The model reads every token of the name as a facility (each more likely one than not, whatever the shipped
    threshold: 「松橋北中学校」 sits at 0.68 under the model of round 50, shipped at 0.7), and the lint withholds it."""
    folded = normalize(text).text
    tokens = tokenize(folded)
    at = folded.index(name)
    inside = [p for t, p in zip(tokens, tag_marginals(load_model(), tokens, folded)) if at <= t.begin < at + len(name)]
    assert inside and all(p["facility"] > 0.5 for p in inside), inside
    assert any(f.kind == "facility" and name in f.text for f in lint(text))


@pytest.mark.parametrize("text", [
    "元中学校教諭の男が逮捕された。",
    "同駅で下車した男は、徒歩で逃走した。",
    "市内の県立高校の生徒が、帰宅途中に声をかけられた。",
    "男は、黒色の帽子をかぶり、自転車で走り去った。",
    "容疑者(52)は、容疑を認めている。",
])
def test_generic_places_and_bare_ages_are_no_names(text):
    assert _found(text) == []


def test_suggestions_are_the_rules_masks():
    folded = normalize("会社員、桜庭遼平容疑者(29)を逮捕した。").text
    suggestions = {kind: suggestion for _, _, kind, suggestion in find_learned(folded, tokenize(folded))}
    assert suggestions.get("person") == PERSON_MASK
    assert set(suggestions.values()) <= {PERSON_MASK, "施設"}


def test_an_age_is_kept_only_right_after_a_name():
    class T:
        def __init__(self, begin, surface):
            self.begin, self.end, self.surface, self.pos, self.oov = begin, begin + len(surface), surface, ("名詞", "固有名詞", "人名", "名"), False

        proper = True

    tokens = [T(0, "山辺"), T(2, "容疑者"), T(5, "(41)")]
    person = {"facility": 0.0, "person": 0.99}
    none = {"facility": 0.0, "person": 0.0}
    assert [s[:3] for s in spans_from_marginals(tokens, [person, none, person], 0.5)] == [(0, 2, "person"), (5, 9, "person")]
    assert [s[:3] for s in spans_from_marginals(tokens, [none, none, person], 0.5)] == []


def test_features_name_shapes_not_names():
    features = sentence_features(tokenize("桜庭遼平容疑者"))
    flat = " ".join(f for token in features for f in token)
    assert "桜庭" not in flat  # a proper noun's spelling is no feature; its shape and part of speech are
    assert "shape=K" in flat


def test_empty_text_finds_nothing():
    assert find_learned("", []) == []


def test_a_missing_model_says_how_to_build_it(tmp_path):
    with pytest.raises(LintError, match="training"):
        load_model(tmp_path / "none.crfsuite")


def _all_person(tokens):
    return [{"facility": 0.0, "person": 0.99} for _ in tokens]


@pytest.mark.parametrize("text", [
    "〇〇容疑者は、調べに対し容疑を認めている。",
    "○○さん(34)が声をかけられた。",
    "××被告の初公判が開かれた。",
    "ＸＸ容疑者を送検した。",
    "＊＊さん宅に侵入した。",
])
def test_a_masked_name_is_no_name(text):
    # Even a model sure that every token is a name keeps nothing that holds a mask character.
    folded = normalize(text).text
    tokens = tokenize(folded)
    def masked(spans):
        return [s for s in spans if any(ch in folded[s[0]:s[1]] for ch in "〇○×ＸX＊*")]

    assert masked(spans_from_marginals(tokens, _all_person(tokens), 0.5)) == []
    assert masked(find_learned(folded, tokens)) == []


def test_scrubbed_text_reads_clean():
    from anshin_lab.privacy.lint import scrub, lint

    for text in ("窃盗の疑いで、会社員の浜口真琴容疑者(38)を逮捕した。", "JR北条駅の駐輪場で、男に後をつけられた。"):
        assert lint(scrub(text)[0]) == []


@pytest.mark.parametrize("text", ["JR駅の駐輪場で声をかけられた。", "同駅の東口で男が逃走した。", "近くの公園で遊んでいた。"])
def test_an_operator_or_relation_and_a_kind_word_name_no_facility(text):
    folded = normalize(text).text
    tokens = tokenize(folded)
    every = [{"facility": 0.99, "person": 0.0} if folded[t.begin:t.end] in ("JR", "駅", "同", "近く", "の", "公園") else
             {"facility": 0.0, "person": 0.0} for t in tokens]
    assert [s for s in spans_from_marginals(tokens, every, 0.5) if s[2] == "facility"] == []


def _forced(text: str, kind: str, surfaces: set[str]) -> list[str]:
    """What is kept when the model is sure that the tokens spelled ``surfaces`` are a name of ``kind``."""
    folded = normalize(text).text
    tokens = tokenize(folded)
    sure = {"facility": 0.0, "person": 0.0, kind: 0.99}
    marginals = [sure if t.surface in surfaces else {"facility": 0.0, "person": 0.0} for t in tokens]
    return [folded[s:e] for s, e, k, _ in spans_from_marginals(tokens, marginals, 0.5, folded) if k == kind]


@pytest.mark.parametrize("text, words", [
    ("(宇佐中津警察署・生活安全課 米倉)", {"宇佐", "中津"}),            # a station is named after a place
    ("大分南署の署員が駆け付けた。", {"大分", "南"}),
    ("北方・南方地区で不審者が目撃された。", {"北方", "南方"}),          # an area
    ("男(30歳位、中肥、身長170センチ位)", {"中肥"}),                    # an item of a description
    ("男は、40歳くらい、細身、黒髪。", {"細身"}),
    ("別府市長が防犯パトロールに参加した。", {"別府"}),                  # the town a mayor heads
    ("被害者(B子さん)は無事だった。", {"B子"}),                          # an anonymised name
    ("トマトジュースを買った。", {"トマト"}),                            # katakana running on into a word
    ("目撃者の話(左)と現場の写真", {"(", "左"}),                         # a bracket and a common word
    ("少女容疑者(16)を補導した。", {"少女"}),                              # a dictionary word, no family name
])
def test_the_sentence_around_a_person_can_make_it_a_place_or_a_thing(text, words):
    assert _forced(text, "person", words) == []


@pytest.mark.parametrize("text, words", [
    ("宇佐市の長洲中学校付近で", {"長洲", "中学校"}),
    ("(玖珠警察署・生活安全課 堀之内)", {"堀之内"}),
    ("被害に遭ったのは佐伯市の河野真由美さん", {"河野", "真由美"}),
])
def test_names_in_those_shapes_stay(text, words):
    assert _forced(text, "person" if "中学校" not in words else "facility", words)


@pytest.mark.parametrize("text, words", [
    ("「カワセミ物産」を名乗る男から電話があった。", {"カワセミ", "物産"}),   # a claimed organisation
    ("男は、しまむらのジャンパーを着ていた。", {"しまむら"}),                 # a brand before a belonging
    ("男から「おーい。」と声をかけられた。", {"おーい", "。"}),                # what someone said
    ("「どこ中?」と聞かれた。", {"どこ", "中"}),
    ("きれいな公園だねと話した。", {"きれい", "な", "公園"}),
    ("広い公園で遊んだ。", {"広い", "公園"}),                                  # an adjective before the kind
    ("豊後高田の海岸で", {"豊後高田"}),                                        # a place name alone
    ("国東市の公園で遊んでいた。", {"国東市", "の", "公園"}),                  # which town's, not a name
    ("玖珠郡九重町中(番地は伏せます)の路上で", {"玖珠郡九重町", "中"}),      # a municipality's suffix
])
def test_the_sentence_around_a_facility_can_make_it_no_place(text, words):
    assert _forced(text, "facility", words) == []


@pytest.mark.parametrize("text, words", [
    ("防犯重点地区である「川辺市桐ヶ丘学区」に防犯灯を設けた。", {"川辺", "市", "桐ヶ丘", "学区"}),   # a school district
    ("巡回は、梅里、松陰、若葉地区の3班で行った。", {"若葉"}),                              # an area word after it
    ("(長野)箕輪町上古田沢で声かけ", {"箕輪町", "上古", "田沢"}),                          # a town after its municipality
    ("ミモザガーデンの前で", {"ミモザ"}),                                                   # katakana cut short
])
def test_areas_towns_and_cut_words_are_no_facility(text, words):
    assert _forced(text, "facility", words) == []


def test_a_name_and_its_kind_word_stay_a_facility_next_to_an_area():
    assert _forced("若葉地区の、さくら台保育園で", "facility", {"さくら", "台", "保育園"})


def test_thresholds_per_kind():
    from anshin_lab.privacy.lint.learned import kind_thresholds

    assert kind_thresholds(0.7) == {"facility": 0.7, "person": 0.7}
    assert kind_thresholds({"facility": 0.4, "person": 0.8}) == {"facility": 0.4, "person": 0.8}
    folded = normalize("会社員の桜庭遼平さんが").text
    tokens = tokenize(folded)
    half = [{"facility": 0.0, "person": 0.6 if t.surface in ("桜庭", "遼平") else 0.0} for t in tokens]
    assert spans_from_marginals(tokens, half, {"facility": 0.3, "person": 0.5}, folded)
    assert not spans_from_marginals(tokens, half, {"facility": 0.3, "person": 0.7}, folded)


def _has_feature(text: str, surface: str, feature: str) -> bool:
    folded = normalize(text).text
    tokens = tokenize(folded)
    features = sentence_features(tokens, folded)
    return any(feature in f for t, f in zip(tokens, features) if t.surface == surface)


@pytest.mark.parametrize("text, surface, feature", [
    ("表彰状を受けた岸辺会長は", "岸辺", "title_next=job"),
    ("浦和署で、森野正樹署長が", "正樹", "title_next=job"),       # 署|長 read as one title, not a station
    ("同地区の丸辰運送(堀田茂社長)と", "運送", "head_in_bracket"),  # an organisation whose head is named in brackets
])
def test_features_read_the_structure_around_a_name(text, surface, feature):
    assert _has_feature(text, surface, feature)


def test_a_station_is_still_a_station():
    assert _has_feature("浦和署で受け付けた", "浦和", "before_station")
    assert not _has_feature("浦和署で受け付けた", "浦和", "title_next=job")


def test_a_model_put_in_place_reads_instead_of_the_shipped_one(tmp_path):
    from anshin_lab.privacy.lint.learned import using

    model = load_model(MODEL_PATH, threshold=1.01)  # a threshold no marginal reaches: nothing is kept
    folded = normalize("会社員の桜庭遼平容疑者(29)を逮捕した。").text
    with using(model):
        assert find_learned(folded, tokenize(folded)) == []


def test_the_newest_held_out_set_is_never_training_material():
    """The newest ``heldoutN*`` files are the honest test of the current round: the model must not learn them."""
    import re
    from pathlib import Path

    from anshin_lab.privacy.lint import training

    folder = Path(__file__).parent / "data" / "real_alerts"
    rounds = {int(m.group(1)) for p in folder.glob("heldout*.jsonl") if (m := re.match(r"heldout(\d+)", p.name))}
    newest = f"heldout{max(rounds)}"
    assert not [name for name in training.SENTENCE_FILES if name.startswith(newest)]
    assert not [name for name in training.BACKTEST if name.startswith(newest)]
