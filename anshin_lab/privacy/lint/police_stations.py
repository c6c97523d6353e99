"""Japan's police stations by their own names (``dictionaries/police_stations.txt``, 警察庁 open data).

A word before 署長 is either the station's name (「谷山署長」) or the head's family name (「大城署長」); which one, the
tokenizer cannot tell when the word is also a place. Every station of the country is listed, so a word that names no
station anywhere is no station's, and a station's name written before 警察署長 in full is the station's.
"""

from __future__ import annotations

import functools

from anshin_lab.privacy.lint.lexicon import dictionary_lines

__all__ = ["is_station_name"]


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(line.split("\t")[1] for line in dictionary_lines("police_stations.txt"))


def is_station_name(name: str) -> bool:
    """Whether some police station of Japan is called ``name`` + 警察署 (「網干」「鹿児島中央」)."""
    return name in _names()
