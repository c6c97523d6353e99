"""Rendering an alert's published fields in one language: subject, body, title, summary lines and tips.

Each language has its own templates (``templates/<code>/<category>.txt.j2``
and ``followup.txt.j2``), its own sentences (``templates/<code>/strings.toml``)
and tips (``data/tips.csv``), all written for this; nothing is machine
translated at run time. Only the published fields are rendered: the record's
free text (the situation, a description, a follow-up's note) has no field,
so every version but the Japanese mail leaves it out and points the reader to
the Japanese text. A municipality or station translated keeps its Japanese
name in parentheses, and a town's name stays Japanese, so readers can match
the signs. ``TEMPLATES_VERSION`` is the digest of every file used: the same
fields and version always give the same text.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass

import jinja2
import pandas as pd

from anshin_lab.core.directive import CATEGORY_RULES
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.codes import LANGUAGES, language
from anshin_lab.drafting.languages.published import PUBLISHED_KEYS
from anshin_lab.drafting.languages.tables import DATA, TEMPLATES, municipalities, read_data, stations, terms
from anshin_lab.drafting.text import mail_body, one_line

TIPS_PER_VERSION = 2

__all__ = ["TEMPLATES_VERSION", "TIPS_PER_VERSION", "Localized", "localize", "localize_all", "place", "station_name",
           "templates_version", "term", "version_tips", "when"]


@dataclass(frozen=True)
class Localized:
    """One language version of an alert: mail subject and body, a page title, summary lines and the tips."""

    subject: str
    body: str
    title: str
    summary_lines: tuple[str, ...]
    tips: tuple[str, ...]
    code: str = "ja"
    version: str = ""

    @property
    def text(self) -> str:
        """Subject and body as the member reads them."""
        return f"{self.subject}\n\n{self.body}"


@functools.lru_cache(maxsize=1)
def templates_version() -> str:
    """SHA-256 (first 16 hex digits) over every template, sentence and table file of the language versions."""
    digest = hashlib.sha256()
    for path in sorted([*TEMPLATES.rglob("*"), *DATA.rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(path.parents[1]).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


TEMPLATES_VERSION = templates_version()


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=False, autoescape=False, trim_blocks=False)


@functools.lru_cache(maxsize=None)
def strings(code: str) -> dict:
    """The sentences of language ``code`` (``templates/<code>/strings.toml``)."""
    with open(TEMPLATES / code / "strings.toml", "rb") as f:
        return tomllib.load(f)


@functools.lru_cache(maxsize=1)
def _tips() -> dict[str, list[dict[str, str]]]:
    tips: dict[str, list[dict[str, str]]] = {}
    for row in read_data("tips.csv"):
        tips.setdefault(row["category"], []).append(row)
    return tips


def version_tips(category: str, code: str, subtype: str | None = None) -> tuple[str, ...]:
    """The tips of a category in ``code`` (those for the 手口 first), ``TIPS_PER_VERSION`` of them."""
    rows = _tips().get(category, [])
    ordered = [r for r in rows if r["subtype"] and r["subtype"] == subtype] + [r for r in rows if not r["subtype"]]
    return tuple(r[code] for r in ordered[:TIPS_PER_VERSION])


# -- the words of one field -------------------------------------------------------------

def term(kind: str, key, code: str) -> str | None:
    """A vocabulary term in ``code`` (None for a missing or unknown key)."""
    row = terms().get(kind, {}).get(str(key)) if key is not None else None
    return row[code] if row else None


def _paren(text: str, japanese: str, code: str) -> str:
    """「Kagoshima City (鹿児島市)」: the translated name with the Japanese one readers see on signs."""
    return text if text == japanese or code in ("ja", "easy") else strings(code)["paren"].format(name=text, ja=japanese)


def municipality(fields: dict, code: str) -> str | None:
    """The published municipality in ``code`` (with its Japanese name), or None."""
    row = municipalities().get(str(fields.get("city_code") or ""))
    if row is None:
        return None
    return _paren(row[code], row["easy"], code)


def station_name(fields: dict, code: str) -> str:
    """The sending station in ``code`` (with its Japanese name), or the prefectural police."""
    row = stations().get(str(fields.get("station") or ""))
    return _paren(row[code], row["ja"], code) if row else strings(code)["police"]


def place(fields: dict, code: str) -> str:
    """The published place as the language writes it: the area at its level, the municipality, the prefecture."""
    s = strings(code)
    level = Granularity.parse(fields.get("level") or "PREF")
    city = municipality(fields, code)
    area = fields.get("area_name") or ""
    kind = term("place_type", fields.get("place_type"), code)
    if city is None:
        text = s["in_prefecture"] if level >= Granularity.PREF or not fields.get("station") else s["in_district"].format(
            station=station_name(fields, code))
    elif area and level < Granularity.CITY:
        text = s["near_area"].format(area=area, city=city)
    else:
        text = s["in_city"].format(city=city)
    return s["with_place_type"].format(place=text, kind=kind) if kind else text


def where_short(fields: dict, code: str) -> str:
    """The municipality (or the prefecture) alone, for a subject."""
    city = municipality(fields, code)
    return city if city is not None else strings(code)["prefecture"]


def when(fields: dict, code: str) -> str | None:
    """The day of occurrence and its time band in ``code``, or None when neither is known."""
    s = strings(code)
    band = term("time_band", fields.get("time_band"), code)
    day = None
    if fields.get("date"):
        stamp = pd.Timestamp(fields["date"])
        day = s["date"].format(year=stamp.year, month=stamp.month, day=stamp.day,
                               month_name=s["months"][stamp.month - 1], weekday=s["weekdays"][stamp.weekday()])
    if day and band:
        return s["day_and_band"].format(day=day, band=band)
    return day or band


# -- the version --------------------------------------------------------------------------

def _values(fields: dict, code: str) -> dict:
    s = strings(code)
    category = fields.get("category")
    subtype = term("subtype", fields.get("subtype"), code)
    category_label = term("category", category, code) or s["alert"]
    return {
        "s": s, "category": category, "category_label": category_label, "subtype": subtype,
        "what": subtype or category_label, "when": when(fields, code), "place": place(fields, code),
        "where": where_short(fields, code), "station": station_name(fields, code),
        "victim": term("victim_group", fields.get("victim_group"), code),
        "caller": term("caller_as", fields.get("caller_as"), code),
        "outcome": term("outcome", fields.get("outcome"), code),
        "outcome_text": s["outcomes"].get(str(fields.get("outcome") or ""), ""),
        "tips": version_tips(category, code, fields.get("subtype")),
    }


def localize(fields: dict, code: str) -> Localized:
    """The alert's version in language ``code`` (see ``codes.LANGUAGES``; Japanese for an unknown code).

    ``fields``: the alert's published fields (``workflow.alerts.published_fields``);
    a missing key counts as None. Raises ``ValueError`` for a category with no template.
    """
    code = language(code).code
    fields = {key: (fields or {}).get(key) for key in PUBLISHED_KEYS}
    if fields["category"] not in CATEGORY_RULES:
        raise ValueError(f"category {fields['category']!r}: one of {', '.join(CATEGORY_RULES)}")
    values = _values(fields, code)
    s = values["s"]
    followup = fields["outcome"] is not None
    name = "followup" if followup else fields["category"]
    body = _environment().get_template(f"{code}/{name}.txt.j2").render(**values).strip() + "\n"
    title = s["followup_title" if followup else "title"].format(**values)
    subject = s["subject"].format(title=title, **values)
    lines = [s["line_what"].format(**values)]
    for key, label in (("when", "line_when"), ("place", "line_place"), ("victim", "line_victim"),
                       ("caller", "line_caller"), ("outcome", "line_outcome")):
        if values[key]:
            lines.append(s[label].format(**values))
    return Localized(one_line(subject), mail_body(body), one_line(title), tuple(one_line(x) for x in lines),
                     values["tips"], code, TEMPLATES_VERSION)


def localize_all(fields: dict) -> dict[str, Localized]:
    """Every language version of the alert, in ``LANGUAGES`` order."""
    return {code: localize(fields, code) for code in LANGUAGES}
