"""The word tables of the language versions: vocabularies, municipalities and stations, each in every language.

Plain CSV files under ``data/`` (a line starting with ``#`` is a comment),
written by hand for this and read once. A term's key is the Japanese word the
records use (or a code, for categories, levels and time bands); a published
field takes only keys of these tables, so every published value has a wording
in every language.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

DATA = Path(__file__).parent / "data"
TEMPLATES = Path(__file__).parent / "templates"
LANGUAGE_COLUMNS = ("ja", "easy", "en", "zh", "ko", "vi")


def read_data(name: str) -> list[dict[str, str]]:
    """The rows of ``data/<name>`` as dicts of stripped text (comment lines skipped)."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [{key: (value or "").strip() for key, value in row.items()} for row in rows]


@functools.lru_cache(maxsize=1)
def terms() -> dict[str, dict[str, dict[str, str]]]:
    """kind -> key -> {language code: wording} (``terms.csv``)."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    for row in read_data("terms.csv"):
        table.setdefault(row["kind"], {})[row["key"]] = {code: row[code] for code in LANGUAGE_COLUMNS}
    return table


def vocabulary(kind: str) -> frozenset[str]:
    """The keys a published field of ``kind`` may take (``subtype``, ``caller_as``, …)."""
    return frozenset(terms().get(kind, {}))


@functools.lru_cache(maxsize=1)
def municipalities() -> dict[str, dict[str, str]]:
    """JIS code -> {"code", "ja", "easy", "en", "zh", "ko", "vi"} (``municipalities.csv``)."""
    return {row["code"]: row for row in read_data("municipalities.csv")}


@functools.lru_cache(maxsize=1)
def municipality_codes() -> dict[str, str]:
    """Japanese municipality name (with its 郡, and without) -> JIS code."""
    names = {}
    for code, row in municipalities().items():
        names[row["ja"]] = code
        names.setdefault(row["easy"], code)
    return names


@functools.lru_cache(maxsize=1)
def stations() -> dict[str, dict[str, str]]:
    """Station name (「鹿児島中央警察署」) -> its wording per language (``stations.csv``)."""
    return {row["ja"]: row for row in read_data("stations.csv")}
