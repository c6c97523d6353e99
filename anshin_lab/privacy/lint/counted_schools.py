"""Schools named bare in a list that a count of schools closes (issue 14, round 116): 「本年度は山形南、鶴岡中央、
新庄北を新たに加え、計5校が」「三輪、高平の各校」.

The press lists schools by their names alone when the sentence counts them as schools right after (「計5校」「の
各校」): each item is then a school, whatever else its name means (a town's name is also its school's). An item that
is a generic or kind word (「高校、特別支援学校計25校」) or names a municipality with its kind (「鹿児島市、霧島市の
5校」: the schools in them) is no school, and then the list is none; so is a list of common words most of all
(「小学生、中学生の計3校」). ``counted_schools`` returns ``(start, end, "facility", "学校")``.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.name_runs import one_common_noun

__all__ = ["counted_schools"]

# An item: kanji (a kana particle only before a place's last kanji, 「松が丘」), or a kana name and a school's kind
# (「みなと高等学園」, round 117). Words may stand between the list's を and the count when a comma closes them
# (「…を新たに加え、計5校」; not 「現在、同活動に参加する生徒は、7校で」, round 118); schools merged into one
# (「広瀬、人首の2校と統合」) stand no more.
_ITEM_NAME = (r"(?:[一-龥々ヶ](?:[一-龥々ヶ]|[がケノ](?=[丘岡谷崎浜原森島台池沢坂瀬峰])){1,7}"
              r"|[ぁ-ゖ]{2,4}[一-龥]{0,4}(?:学園|学校|高校))")
_COUNTED = re.compile(rf"(?<![一-龥々ヶァ-ヺー])(?P<items>{_ITEM_NAME}(?:、{_ITEM_NAME})+)"
                      r"(?:の|など|と|を(?:[^。、「」()（）\n]{1,8}、)?)?(?:[計全]?[0-9０-９一二三四五六七八九十]+|各)校"
                      r"(?![校舎長庭門区則歌章])(?![をとが]統合)")
_ITEM = re.compile(r"[^、]+")
_PLACE_KIND_END = re.compile(r"[都道府県市区町村郡]$")


def counted_schools(text: str, lex: Lexicon) -> list[tuple]:
    """Every item of a list that a count of schools closes (``_COUNTED``), when every item can be a school's name."""
    out = []
    for m in _COUNTED.finditer(text):
        items = [(i.start() + m.start("items"), i.end() + m.start("items")) for i in _ITEM.finditer(m["items"])]
        names = [text[a:b] for a, b in items]
        if any(n in lex.generic or n in lex.stops or n in lex.not_names or n in lex.suffixes
               or _PLACE_KIND_END.search(n) or n.endswith(("計", "全", "各")) or n.startswith(("同", "各", "当", "本"))
               for n in names) \
                or 2 * sum(one_common_noun(n) for n in names) > len(names):
            continue  # (one common word among names is a school's too: 「…松が丘、広野、小野の各校」, round 117)
        out += [(a, b, "facility", "学校") for a, b in items]
    return out
