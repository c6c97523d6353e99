"""Laying out a printed page: Japanese line wrapping and blocks flowed onto A4 pages.

Pure helpers for ``views.printing``: lengths are millimetres from the page's
top-left corner, type sizes points. ``wrap_text`` breaks Japanese text by
character width (a full-width character is one em) and keeps closing
punctuation off the start of a line (禁則); ``flow`` places groups of blocks
onto pages, a group never split across two.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["MM_PER_PT", "PAGE_H_MM", "PAGE_W_MM", "Block", "Placed", "flow", "line_height", "text_width", "wrap_text"]

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0  # A4 portrait
MM_PER_PT = 25.4 / 72
LINE_SPACING = 1.4  # a line's height, in type sizes
HALF_WIDTH_EM = 0.6  # a Latin letter or digit, generously (IPAGothic's are 0.5 em)
NO_LINE_START = set("、。,.，．)）」』】〕〉》!?！？・:：;；ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ")
NO_LINE_END = set("(（「『【〔〈《")


def line_height(size_pt: float) -> float:
    """The height (mm) one line of ``size_pt`` type takes."""
    return size_pt * MM_PER_PT * LINE_SPACING


def _char_em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else HALF_WIDTH_EM


def text_width(text: str, size_pt: float) -> float:
    """The width (mm) ``text`` takes at ``size_pt``, at most (full-width characters one em each)."""
    return sum(_char_em(ch) for ch in text) * size_pt * MM_PER_PT


def wrap_text(text: str, width_mm: float, size_pt: float) -> list[str]:
    """``text`` broken into lines no wider than ``width_mm`` at ``size_pt``; never an empty list for a text.

    Breaks between any two characters, keeps a run of Latin letters and
    digits whole where it fits on a line, and moves a closing mark
    (「、」「。」「)」…) that would start a line onto the line before it.

    Examples
    --------
    >>> wrap_text("戸締まりを、しましょう。", 6 * 10 * MM_PER_PT, 10)
    ['戸締まりを、', 'しましょう。']
    """
    limit = width_mm / (size_pt * MM_PER_PT)  # in ems
    words, word = [], ""
    for ch in " ".join(str(text).split()):
        if ch.isascii() and ch.isalnum():
            word += ch
            continue
        if word:
            words.append(word)
            word = ""
        words.append(ch)
    if word:
        words.append(word)
    lines, line, used = [], "", 0.0
    for token in words:
        size = sum(_char_em(ch) for ch in token)
        if line and used + size > limit and token not in NO_LINE_START and not line.endswith(tuple(NO_LINE_END)):
            lines.append(line.rstrip())
            line, used = "", 0.0
            if token == " ":
                continue
        if size > limit:  # a run longer than a line: break it by character
            for ch in token:
                if line and used + _char_em(ch) > limit:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + ch, used + _char_em(ch)
            continue
        line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


@dataclass
class Block:
    """Something drawn ``height`` mm tall: ``draw(page, top_mm)`` draws it with its top at ``top_mm``."""

    height: float
    draw: Callable = field(repr=False)


@dataclass
class Placed:
    """A block placed on a page (0-based) with its top at ``top`` mm."""

    page: int
    top: float
    block: Block


def flow(groups: list[list[Block]], *, top: float, bottom: float, first_bottom: float | None = None,
         next_top: float | None = None) -> tuple[list[Placed], int]:
    """Place groups of blocks on pages, top to bottom; returns the placements and the number of pages.

    Each group stays on one page (a group taller than a page starts a page
    and runs over its bottom: ``flow`` never drops text). The first page's
    content ends at ``first_bottom`` (room kept for its stamp table), later
    pages' at ``bottom``; the first page starts at ``top``, later ones at
    ``next_top`` (their running head above it).
    """
    next_top = top if next_top is None else next_top
    limit = first_bottom if first_bottom is not None else bottom
    page, y, placed = 0, top, []
    for group in groups:
        height = sum(block.height for block in group)
        if y + height > limit and y > (top if page == 0 else next_top):
            page, y, limit = page + 1, next_top, bottom
        for block in group:
            placed.append(Placed(page, y, block))
            y += block.height
    return placed, page + 1
