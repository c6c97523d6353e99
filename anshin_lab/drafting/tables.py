"""The editable tables beside the templates (tips, fraud phrases, place kinds), read the same way.

Staff edit these CSV files by hand, so a line starting with ``#`` is a comment
and every cell is read as text with surrounding spaces removed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

TEMPLATES = Path(__file__).parent / "templates"


def read_table(name: str) -> list[dict[str, str]]:
    """The rows of ``templates/<name>`` as dicts of stripped text (comment lines skipped)."""
    with open(TEMPLATES / name, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [{key: (value or "").strip() for key, value in row.items()} for row in rows]


def cell_text(value) -> str:
    """A field of an incident as trimmed text; None, NaN and NaT become ``""``."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
