"""Machine identifiers in a text: web addresses and UUIDs, where no name, 号 or phone stands.

An unsubscribe token (「…?t=aPt2WOMX…」) or an Atom entry's id (「125b1f06-3768-…」) is random
letters and digits; read as words it turns up a room (「aPt2」), a phone or a place by chance. Every
check that reads text skips these spans, in Japanese and in every other language version alike.
"""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[!-~]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

__all__ = ["inside_machine_id", "machine_spans"]


def machine_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every web address and UUID in ``text``."""
    return [m.span() for m in _UUID.finditer(text)] + [m.span() for m in _URL.finditer(text)]


def inside_machine_id(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``start``..``end`` lies wholly inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)
