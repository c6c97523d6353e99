"""The public site's words in every language: page labels, term names, municipality names, dates.

The labels around the alerts (``templates/labels.toml``) and the page on how
places are coarsened (``templates/places.toml``) are written by hand per
language; the names of categories, outcomes, levels and municipalities come
from the language tables of ``drafting.languages`` so that the site says what
the mails and the feeds say. Everything is read once, at first use.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pandas as pd

from anshin_lab.core.directive import POLICE_NAME, PREF_CODE, PREFECTURE, SERVICE_NAME
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.codes import LANGUAGES
from anshin_lab.drafting.languages.tables import municipalities, terms

__all__ = ["Words", "format_month", "format_sent_at", "site_words"]

TEMPLATES = Path(__file__).with_name("templates")
# What every label may name; filled into every label's text once, when it is read.
_FACTS = {"service": SERVICE_NAME, "police": POLICE_NAME, "prefecture": PREFECTURE}


class SiteWordsError(AnshinError):
    """A language of ``drafting.languages.LANGUAGES`` without its words in the site's label files."""


_FACT = re.compile(r"\{(" + "|".join(_FACTS) + r")\}")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def _with_facts(text) -> str:
    """A label with the service's facts filled in; its other placeholders stay for later."""
    return _FACT.sub(lambda m: _FACTS[m.group(1)], str(text))


@functools.lru_cache(maxsize=None)
def _table(name: str) -> dict:
    with open(TEMPLATES / name, "rb") as f:
        return tomllib.load(f)


class Words:
    """The site's words in one language (``code`` of ``LANGUAGES``): ``words.label("nav_stats")`` etc."""

    def __init__(self, code: str):
        labels, places = _table("labels.toml").get(code), _table("places.toml").get(code)
        if labels is None or places is None:
            raise SiteWordsError(f"公開サイトの文言に言語「{code}」がありません"
                                 f"(anshin_lab/views/public_site/templates/labels.toml と places.toml に [{code}] を書いてください)")
        self.code = code
        self.html_lang = LANGUAGES[code].html_lang
        self.labels = {key: _with_facts(value) for key, value in labels.items()}
        self.places = {key: _with_facts(value) for key, value in places.items()}

    def label(self, key: str, **values) -> str:
        """A label, with ``values`` filled in."""
        text = self.labels[key]
        return text.format(**values) if values else text

    def term(self, kind: str, key) -> str:
        """The wording of a vocabulary term (category, outcome, level, time band …), the key itself if unknown."""
        if key is None:
            return ""
        row = terms().get(kind, {}).get(str(key))
        if row is None:
            return CATEGORIES.get(key, str(key)) if kind == "category" else str(key)
        return row.get(self.code) or row.get("ja") or str(key)

    def level(self, level) -> str:
        """The name of a level of the granularity ladder."""
        return self.term("level", Granularity.parse(level).name)

    def city(self, code: str, japanese: str) -> str:
        """A municipality's name in this language (the prefecture: 「whole prefecture」)."""
        if str(code) == PREF_CODE:
            return self.label("whole_prefecture")
        row = municipalities().get(str(code))
        return (row.get(self.code) or japanese) if row else japanese


@functools.lru_cache(maxsize=None)
def site_words(code: str) -> Words:
    """The ``Words`` of one language, built once."""
    return Words(code)


def format_sent_at(stamp: pd.Timestamp, code: str) -> str:
    """When an alert was sent, as each language writes a date and a time (Asia/Tokyo)."""
    d, t = stamp, f"{stamp.hour}:{stamp.minute:02d}"
    if code in ("ja", "easy", "zh"):
        return f"{d.year}年{d.month}月{d.day}日 {t}"
    if code == "ko":
        return f"{d.year}년 {d.month}월 {d.day}일 {t}"
    if code == "vi":
        return f"{t} ngày {d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}, {t}"


def format_month(month: str, words: Words) -> str:
    """「2026-11」 as the language writes a month."""
    year, number = (int(part) for part in month.split("-"))
    return words.label("month_format").format(year=year, month=number)
