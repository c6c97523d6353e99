"""Facilities whose kind word comes first: 「ハイツ武岡」「グループホームさくら」「道の駅たるみず」.

The name after such a kind (``prefix`` kinds of ``facility_kinds.csv``) is read forward, with other
rules than a name before its kind: katakana glued before the kind belongs to it (「パークハイツ宇宿」),
common words after it say who or what, not which (「保育園バス」), and 道の駅 takes a kana or kanji run.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.claims import exempt
from anshin_lab.privacy.lint.facility_names import name_like
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import covered_by_town
from anshin_lab.privacy.lint.tokens import glued_to_name, hiragana_name_end, is_katakana, kana_of, script_of

__all__ = ["prefix_candidate"]

_KANJI_RUN = re.compile(r"[一-龥々ヶ]{1,5}")
# The rest of a name in quotes after its kind, in kana up to the closing quote.
_QUOTED_KANA = re.compile(r"[ぁ-ゖァ-ヺー・]{2,12}(?=[」』])")


def _kanji_name_end(text: str, e: int) -> int:
    """Where a name of kanji right after a kind that always takes one (道の駅) ends: a run of one to five
    kanji closed by a particle, a mark or the end (「道の駅国上で」); else ``e``."""
    run = _KANJI_RUN.match(text, e)
    if run is None or (run.end() < len(text) and script_of(text[run.end()]) in ("kanji", "katakana")):
        return e
    return run.end()


# Words after a kind that say where, not which one: 「湊ハイツ付近」 is near the flats, 「ハイツ付近」 names nothing.
_WHERE_WORDS = {"付近", "周辺", "近く", "前", "裏", "横", "隣", "内", "側", "方面", "一帯", "敷地", "敷地内",
                "一室", "一角", "客室", "室内", "館内", "空き室", "空室", "空き部屋", "居室", "駐車場", "駐輪場",
                "正面", "入口", "入り口", "出入口", "出入り口", "玄関", "裏口", "ロビー", "フロント"}
# (round 61: 「宇土市のホテル一室で」; round 67: 「コーポ空き室への邸宅侵入」; round 119: 「ホテル正面入り口に」)


# People of a place written right after its kind, never its name (「道の駅利用客」「グループホーム入居者」).
_WHO_AFTER = ("利用客", "利用者", "来場者", "来店客", "買い物客", "入居者", "入所者", "職員", "従業員", "関係者",
              "園児", "児童", "生徒", "保護者", "保育士", "子ども", "子供")  # (round 71: 「保育園園児たち」; round 130:
# 「老人ホーム入所者ら」, its residents)


# After a kind word, what makes it the start of a longer word: 「メッセ|ージ」 in an unknown 「メッセージニセ」 (round 129).
_GOES_ON_IN_WORD = frozenset("ーャュョッァィゥェォ")


def prefix_candidate(text, m, tokens, owner, lex: Lexicon):
    kind = lex.prefixes[m.group()]
    s, e = m.span()
    if e >= len(text) or (text[max(0, s - 2):s] == "少年" and kind.word.endswith("センター")):
        return None  # 「少年サポートセンター豊橋」: the police's unit for the young and its office (round 72)
    holder = tokens[owner[s]]
    if kind.word.endswith("会社") and glued_to_name(text, s):
        return None  # 「西日本電信電話株式会社 執行役員…」: the firm's name ends in 株式会社 (round 37)
    if s > 0 and is_katakana(text[s - 1]) and holder.begin != s:
        if holder.end != e or not all(is_katakana(ch) for ch in holder.surface):
            return None  # inside a longer katakana word
        s = holder.begin  # 「サンハイツ」 as one word: the name goes on after it (「サンハイツ武岡」)
    if holder.begin == s and holder.end > e and holder.surface in lex.suffixes:
        e = holder.end  # 「デイサービスセンター」 read as one word: the longer kind, whose name follows (round 77)
        if e >= len(text):
            return None
    k = owner[e]
    if holder.begin == s and holder.end >= e + 2 and holder.oov and all(is_katakana(ch) for ch in holder.surface) \
            and holder.surface[e - s] not in _GOES_ON_IN_WORD \
            and holder.surface[e - s:] not in lex.generic and not exempt(text, s, holder.end, lex, kind.suggestion):
        brand = tokens[owner[s] - 1] if owner[s] > 0 else None
        if brand is not None and brand.end == s and brand.pos[1] == "固有名詞" and brand.pos[2] == "一般":
            s = brand.begin  # 「京成|ホテルミラマーレ」: the brand before it too
        return (s, holder.end, "facility", kind.suggestion)  # 「ホテルミラマーレ」: one unknown word, kind and name (round 63)
    glued = tokens[k].end if s < tokens[k].begin < e < tokens[k].end and is_katakana(text[e]) \
        and all(is_katakana(ch) for ch in tokens[k].surface) else None  # 「交流|センターサハト|紅花」 (round 76)
    if (tokens[k].begin != e and glued is None) or text.startswith(_WHO_AFTER, e):
        return None  # (「道の駅利用客」: who were there, round 29)
    end = glued or e
    k, taken = (k + 1, 1) if glued else (k, 0)
    while k < len(tokens) and taken < 4 and tokens[k].begin == end:
        t = tokens[k]
        kana = all(is_katakana(ch) or "ぁ" <= ch <= "ゖ" for ch in t.surface)
        plain = t.pos[0] == "名詞" and t.pos[2] == "一般"  # not 「予約」 (サ変) or 「内」
        # 「ハイツ|上|荒田」: one kanji before a proper noun belongs to the name
        plain = plain or (len(t.surface) == 1 and script_of(t.surface) == "kanji" and k + 1 < len(tokens)
                          and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞")
        if t.pos[3] == "姓" and taken and k + 1 < len(tokens) and tokens[k + 1].pos[3] == "名" \
                and any(lex.title_re.match(text, x.end) for x in tokens[k + 1:k + 3]):
            break  # 「JAいわて花巻|川野|正光|理事」「JA尾鈴・本多|久巳|典|組合長」: a full name and a title after the name
            # (rounds 122 and 125)
        if t.surface in "・･" and taken:
            pass
        elif not ((name_like(tokens, k, lex, backward=False) or plain) and (t.proper or kana or plain)) \
                or t.surface in lex.generic or t.surface in _WHERE_WORDS or t.surface in lex.titles:
            break  # (「ASA名張西|所長」: the shop's head follows its name)
        end = t.end
        taken += 1
        k += 1
    end = end if text[end - 1] not in "・･" else end - 1
    if end > e and kind.needs_proper and not any(t.proper or all(kana_of(ch) == "hiragana" for ch in t.surface)
                                                 for t in tokens[owner[e]:owner[end - 1] + 1]):
        end = e  # 「グループホーム入居者」「保育園バス」: common words after the kind say who or what, not which
    quoted = _QUOTED_KANA.match(text, e) if s > 0 and text[s - 1] in "「『" else None
    if quoted is not None and kind.suggestion not in ("事業所", "金融機関"):
        end = quoted.end()  # 「「コミュニティセンターきたの」」: the kana the quotes hold are the name (round 76)
    if end <= e and "ぁ" <= text[e] <= "ゖ":
        end = hiragana_name_end(text, e, town_kana=kind.word == "道の駅") or e  # 「道の駅たるみず」: たる|みず
    if end <= e and kind.word == "道の駅":
        end = _kanji_name_end(text, e)  # 「道の駅国上」, which SudachiPy reads 国 and 上 as suffixes
    if end <= e or exempt(text, s, end, lex, kind.suggestion) or covered_by_town(text, s, s, end, tokens, owner):
        return None
    if text.startswith(("クラブ", "倶楽部"), end):
        return None  # 「幼稚園こじかクラブ」: the kindergarten's club for its children, named after it (round 111)
    # Katakana words glued before the kind are part of the name (「グランドメゾン吉野」「パークハイツ宇宿」).
    j = owner[s] - 1 if tokens[owner[s]].begin == s else -1
    while j >= 0 and tokens[j].end == s and all(is_katakana(ch) for ch in tokens[j].surface) \
            and tokens[j].surface not in lex.stops and tokens[j].surface not in "・･":
        s = tokens[j].begin
        j -= 1
    return (s, end, "facility", kind.suggestion)
