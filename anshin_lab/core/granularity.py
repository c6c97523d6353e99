"""The granularity ladder shared by addresses, areas and the privacy guard.

``EXACT < BLOCK < CHOME < TOWN < CITY < PREF``: a larger value is coarser, so
``max(a, b)`` is the coarser of two levels and comparisons read naturally
(``level >= Granularity.CHOME`` means "町丁目 or coarser"). Station districts
are not a rung: 鹿児島市 alone holds several, so they only group recipients,
routes and summaries.
"""

from __future__ import annotations

import enum


class Granularity(enum.IntEnum):
    """How precisely a location is given, finest first."""

    EXACT = 0  # 号 / a point: internal only, never published
    BLOCK = 1  # 街区符号 (住居表示) or its road-method equivalent: the default public level
    CHOME = 2  # 町丁目 / 小字: a census small area
    TOWN = 3  # 大字・町
    CITY = 4  # 市区町村
    PREF = 5  # 都道府県

    @property
    def label(self) -> str:
        """The Japanese name of the level, for approvers and reports."""
        return _LABELS[self]

    @classmethod
    def parse(cls, value) -> "Granularity":
        """A level from its name (``"block"``, ``"BLOCK"``), Japanese label, or value."""
        if isinstance(value, cls):
            return value
        if isinstance(value, int):
            return cls(value)
        text = str(value).strip()
        for level in cls:
            if text.upper() == level.name or text == level.label:
                return level
        raise ValueError(f"unknown granularity {value!r}: one of {', '.join(level.name for level in cls)}")


_LABELS = {
    Granularity.EXACT: "号・地点",
    Granularity.BLOCK: "街区(番)",
    Granularity.CHOME: "町丁目",
    Granularity.TOWN: "大字・町",
    Granularity.CITY: "市区町村",
    Granularity.PREF: "都道府県",
}
