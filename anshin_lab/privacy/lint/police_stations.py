"""Japan's police stations by their own names (``dictionaries/police_stations.txt``, 警察庁 open data).

A word before 署長 is either the station's name (「谷山署長」) or the head's family name (「大城署長」); which one, the
tokenizer cannot tell when the word is also a place. Every station of the country is listed, so a word that names no
station anywhere is no station's, and a station's name written before 警察署長 in full is the station's.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.lexicon import dictionary_lines

__all__ = ["holder_named_after", "is_station_name"]


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(line.split("\t")[1] for line in dictionary_lines("police_stations.txt"))


def is_station_name(name: str) -> bool:
    """Whether some police station of Japan is called ``name`` + 警察署 (「網干」「鹿児島中央」)."""
    return name in _names()


# A roll of new heads names the holder after the post, after に or after the post he held before (「富津署長に庄村氏」
# 「▽君津署長(捜査4課長)藤代誠」), or after a space, honoured (「亘理署長 菅原優さま」, round 73): the word before 署長 is
# then the station (round 67).
_HOLDER_AFTER = re.compile(r"に[一-鿿々ヶ]{1,4}(?:氏|さん)|[(（][^()（）]{1,20}[)）][一-鿿々ヶ]{2,5}(?:$|[\s、。,])"
                           r"|\s[一-鿿々ヶ]{2,5}(?:氏|さん|さま|様)"
                           r"|には?[^。]{0,30}?が(?:就く|就任|着任|起用|昇任|転任)")  # (round 113: 「山形署長には…部長が就く」)


def holder_named_after(text: str, start: int, h: int) -> bool:
    """Whether text[start:h] is a station of Japan whose head a roll names after 署長 (「富津署長に庄村氏」)."""
    return text.startswith("署長", h) and is_station_name(text[start:h]) and _HOLDER_AFTER.match(text, h + 2) is not None
