"""Member (会員) records: read a member export, check every row, resolve repeats.

A member chose categories (the five codes of ``glossary.CATEGORIES``) and
areas: municipalities (「鹿児島市」「大島郡瀬戸内町」), station districts
(「鹿児島中央警察署」) or the whole prefecture (「鹿児島県」). Status is one of
``pending`` (signed up, not yet confirmed), ``active``, ``unsubscribed`` and
``bounced``. The names a member may choose are an :class:`AreaDirectory`.
An optional ``language`` column says which language their mails come in
(``MEMBER_LANGUAGES``; a code or an obvious name, 「English」「中文」; empty: ja).
An optional ``quiet_hours`` column (「22:00-07:00」, Asia/Tokyo; empty: none)
is the window in which their mail is held (``parse_quiet_hours``); an area
may also be a 町丁目 of the workspace's small-area layer (「鹿児島市紫原三丁目」
or its code), kind ``chome``.

``check_members`` keeps the load contract of incidents: every row read is
accepted or rejected with its row number, column, reason and original values.
Addresses are checked with ``email-validator`` offline (syntax only, no DNS).
A reason never quotes an address (the original cells go to the quarantine
file, readable by its owner only); every cell is one line, free of control
characters and within the length limit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd
from email_validator import EmailNotValidError, validate_email

from anshin_lab.core import glossary
from anshin_lab.core.directive import PREF_CODE, PREFECTURE
from anshin_lab.core.numerals import replace_numerals
from anshin_lab.records.limits import Limits, current_limits, screen_row
from anshin_lab.records.rows import (
    LoadResult, check_rows, load_result, read_time, resolve_duplicates, row_label, shown,
)
from anshin_lab.records.tables import map_headers, missing_columns_error, read_table

STATUSES = ("pending", "active", "unsubscribed", "bounced")
WHOLE_PREFECTURE = PREFECTURE  # an area a member may choose: the whole prefecture

# Member export headers (Japanese as a sign-up system might write them) -> canonical column.
MEMBER_HEADERS = {
    "会員番号": "member_id", "会員ID": "member_id", "メールアドレス": "email", "アドレス": "email",
    "受信分類": "categories", "配信分類": "categories", "分類": "categories",
    "受信地域": "areas", "配信地域": "areas", "地域": "areas",
    "状態": "status", "登録日時": "opted_in_at", "同意日時": "opted_in_at", "職員": "is_staff", "警察職員": "is_staff",
    "言語": "language", "受信言語": "language", "配信言語": "language", "使用言語": "language",
    "配信を控える時間帯": "quiet_hours", "受信しない時間帯": "quiet_hours", "夜間停止": "quiet_hours",
    "お休み時間": "quiet_hours",
}
MEMBER_COLUMNS = ("member_id", "email", "categories", "areas", "status", "opted_in_at", "is_staff", "language",
                  "quiet_hours")
REQUIRED_COLUMNS = ("member_id", "email", "categories", "areas", "status", "opted_in_at")
STATUS_ALIASES = {
    **{s: s for s in STATUSES}, "仮登録": "pending", "登録中": "active", "有効": "active", "配信中": "active",
    "解除": "unsubscribed", "配信停止": "unsubscribed", "不達": "bounced", "停止(不達)": "bounced",
}
TRUE_WORDS = {"true", "1", "yes", "y", "はい", "職員", "○", "◯"}
FALSE_WORDS = {"", "false", "0", "no", "n", "いいえ", "-", "×"}
# The languages a member's mails come in (``drafting.languages.LANGUAGES`` renders them), and what people write.
MEMBER_LANGUAGES = ("ja", "easy", "en", "zh", "ko", "vi")
DEFAULT_LANGUAGE = "ja"
LANGUAGE_NAMES = {
    "ja": ("ja", "jp", "jpn", "japanese", "日本語", "にほんご", "ニホンゴ"),
    "easy": ("easy", "easyjapanese", "yasashii", "やさしい日本語", "やさしいにほんご", "やさしい", "簡単な日本語",
             "ja-easy", "plainjapanese"),
    "en": ("en", "eng", "english", "英語", "えいご"),
    "zh": ("zh", "zh-hans", "zh-cn", "chinese", "simplifiedchinese", "中文", "简体中文", "簡体中文", "中国語", "汉语"),
    "ko": ("ko", "kr", "kor", "korean", "한국어", "韓国語", "朝鮮語", "ハングル"),
    "vi": ("vi", "vn", "vie", "vietnamese", "tiếngviệt", "tiengviet", "ベトナム語"),
}
_LANGUAGE_ALIASES = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}
_GUN = re.compile(r"^.+?郡(.+)$")
_SEPARATORS = re.compile(r"[;;、,，/]")
_QUIET = re.compile(r"^(\d{1,2})[:：時](\d{2})?分?\s*[-‐－ー〜~～]\s*(\d{1,2})[:：時](\d{2})?分?$")


# -- areas a member may choose --------------------------------------------------------

@dataclass(frozen=True)
class AreaDirectory:
    """The names members may choose: municipalities (JIS code by name) and station districts.

    ``cities`` maps the full name (with 郡) to the JIS code; ``stations`` maps a
    station name to the codes of the municipalities its district covers.
    Build one from a workspace with ``app.imports.load_area_directory`` or from
    an ``AreaSet`` with :meth:`from_area_set`.
    """

    cities: Mapping[str, str]
    stations: Mapping[str, tuple[str, ...]]
    short_names: Mapping[str, str] = field(default_factory=dict)
    # 町丁目 by full name (municipality + name) and by code -> (code, full name); empty: no chome areas.
    chomes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # code -> the codes of the 町丁目 whose areas touch it (None: touching is not known, covering only).
    neighbours: Callable[[str], tuple[str, ...]] | None = None

    def __post_init__(self):
        if not self.short_names:
            counts: dict[str, list[str]] = {}
            for name in self.cities:
                match = _GUN.match(name)
                if match:
                    counts.setdefault(match.group(1), []).append(name)
            # 「瀬戸内町」 for 「大島郡瀬戸内町」, only where no other municipality has that name.
            object.__setattr__(self, "short_names", {
                short: names[0] for short, names in counts.items() if len(names) == 1 and short not in self.cities})

    @classmethod
    def from_area_set(cls, area_set) -> "AreaDirectory":
        """The directory of an ``areas.AreaSet`` (its CITY layer and station districts)."""
        city_layer = area_set.layer("CITY")
        cities = dict(zip(city_layer["name"].astype(str), city_layer["area_code"].astype(str)))
        stations = {}
        for station, names in zip(area_set.stations["station"].astype(str), area_set.stations["cities"].astype(str)):
            stations[station] = tuple(cities[n] for n in names.split("・") if n in cities)
        chome_layer = area_set.layer("CHOME")
        chomes = {}
        for code, city, name in zip(chome_layer["area_code"].astype(str), chome_layer["city"].astype(str),
                                    chome_layer["name"].astype(str)):
            chomes[code] = chomes[city + name] = (code, city + name)
        return cls(cities, stations, chomes=chomes, neighbours=_touching(chome_layer))

    def resolve(self, text) -> tuple[str, str, str] | None:
        """``(kind, code, name)`` for an area as a member wrote it, or None when unknown."""
        name = glossary.clean(text)
        if name in (WHOLE_PREFECTURE, "県内全域", "全域"):
            return "pref", PREF_CODE, WHOLE_PREFECTURE
        if name in self.cities:
            return "city", self.cities[name], name
        if name in self.short_names:
            full = self.short_names[name]
            return "city", self.cities[full], full
        station = name if name.endswith("警察署") else (name[:-1] + "警察署" if name.endswith("署") else None)
        if station in self.stations:
            return "station", station, station
        chome = self.chomes.get(name) or self.chomes.get(replace_numerals(name).replace(" ", ""))
        if chome is not None:
            return "chome", chome[0], chome[1]
        return None

    def stations_of(self, city_code: str) -> list[str]:
        """The stations whose districts cover the municipality ``city_code``."""
        return sorted(s for s, codes in self.stations.items() if city_code in codes)


def _touching(chome_layer) -> Callable[[str], tuple[str, ...]]:
    """code -> the codes of the 町丁目 whose polygons touch or overlap its polygon (itself excluded)."""
    geometries = dict(zip(chome_layer["area_code"].astype(str), chome_layer.geometry))
    codes = chome_layer["area_code"].astype(str).to_numpy()

    def touching(code: str) -> tuple[str, ...]:
        shape = geometries.get(code)
        if shape is None:
            return ()
        hits = chome_layer.sindex.query(shape, predicate="intersects")
        return tuple(sorted(str(codes[i]) for i in hits if codes[i] != code))

    return touching


def parse_quiet_hours(text) -> tuple[str, str] | None:
    """``("22:00", "07:00")`` for 「22:00-07:00」 (also 「22時-7時」, full-width colons, 〜); None when empty.

    Raises ``ValueError`` (a Japanese one-line reason) for text that is not a
    window of two different times of day. A window may wrap midnight.
    """
    raw = glossary.clean(text).replace(" ", "")
    if not raw:
        return None
    match = _QUIET.match(raw)
    if match is None:
        raise ValueError("配信を控える時間帯は「22:00-07:00」の形で書いてください")
    h1, m1, h2, m2 = (int(g or 0) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError("配信を控える時間帯の時刻は 00:00〜23:59 で書いてください")
    start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
    if start == end:
        raise ValueError("配信を控える時間帯の始まりと終わりが同じです")
    return start, end


def language_code(value, *, default: str | None = DEFAULT_LANGUAGE) -> str | None:
    """The language code for a code or a language's name (any case, spaces ignored); ``default`` when unknown or empty."""
    text = "".join(glossary.clean(value).split()).lower()
    return _LANGUAGE_ALIASES.get(text, default)


# -- reading and checking rows ---------------------------------------------------------------

def read_member_table(path, limits: Limits | None = None) -> tuple[pd.DataFrame, dict]:
    """A member file (CSV in UTF-8/CP932, or XLSX) as text cells, and canonical column -> header.

    Raises ``DataError`` when the file cannot be read, is over a limit
    (``limits``: the current settings' when None) or a required column is missing.
    """
    path = Path(path)
    raw, _encoding = read_table(path, limits)
    raw = raw.astype(object).where(raw.notna(), "")
    headers = map_headers(raw.columns, member_column)
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise missing_columns_error(path, missing, raw.columns, known=member_column)
    return raw, headers


def member_column(header) -> str | None:
    """The canonical column for a member-export header (Japanese or English), or None."""
    text = glossary.clean(header)
    return text if text in MEMBER_COLUMNS else MEMBER_HEADERS.get(text)


def normalise_email(text) -> tuple[str | None, str | None]:
    """``(address, None)`` for a valid address (domain lower-cased), else ``(None, reason)``.

    Syntax only, offline: no DNS look-ups. Addresses that need SMTPUTF8 are
    refused, because the mobile carriers cannot receive them. The reason
    says what is wrong without quoting the address (``email-validator``'s
    own messages may quote parts of it).
    """
    raw = glossary.clean(text)
    if not raw:
        return None, "メールアドレスが空です"
    try:
        result = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None, f"メールアドレスの形式が正しくありません({_email_fault(raw)}。値は表示しません)"
    return result.normalized, None


def _email_fault(address: str) -> str:
    """What is wrong with an address email-validator refused, in words that do not quote it."""
    if address.count("@") != 1:
        return "@ がありません" if "@" not in address else "@ が2つ以上あります"
    local, domain = address.split("@")
    if ".." in local or local.endswith(".") or local.startswith("."):
        return "RFC に合わない古い携帯電話のアドレスです: 会員にアドレスの変更をお願いしてください"
    if not address.isascii():
        return "半角英数字以外の文字があります(携帯電話会社が受け取れません)"
    if not local or not domain:
        return "@ の前か後ろが空です"
    if "." not in domain:
        return "@ の後ろがドメイン名になっていません"
    return "使えない文字か書き方があります"


def check_members(raw: pd.DataFrame, directory: AreaDirectory, *, headers: Mapping[str, str] | None = None,
                  source: Path | None = None, encoding: str = "", max_chars: int | None = None) -> LoadResult:
    """Validate a member table (all cells text) row by row; accepted + rejected = rows read.

    ``headers`` maps canonical columns to the file's headers (the identity
    when None). Rejected rows say the row number a person sees in the file
    (the header is row 1), the column, the reason and the original values.
    Exact repeats of a row keep the first; conflicting repeats of a member
    number, and a second member with the same address, are rejected.
    ``max_chars`` is the longest cell (the settings' ``max_field_chars``
    when None). The accepted member records are ``LoadResult.records``.
    """
    headers = dict(headers or {c: c for c in MEMBER_COLUMNS if c in raw.columns})
    max_chars = max_chars or current_limits().max_field_chars
    accepted, problems = check_rows(raw, lambda original: check_member_row(original, headers, directory,
                                                                           max_chars=max_chars))
    accepted, problems = resolve_duplicates(
        accepted, problems, id_column="member_id", header=headers.get("member_id", "member_id"), label="会員番号",
        content_key=member_content_hash, differ="{label}「{id}」が{rows}に異なる内容で現れます(どれも取り込んでいません)")
    accepted, problems = _unique_emails(accepted, problems, headers.get("email", "email"))
    return load_result(raw, accepted, problems, collect=list, source=source, encoding=encoding, headers=headers,
                       every_column=True, as_text=False)


def check_member_row(original: dict, headers: Mapping[str, str], directory: AreaDirectory, *,
                     max_chars: int | None = None) -> tuple[dict, list]:
    """One member row as a record, and its problems as ``(header, reason)`` (none when it is good).

    Every cell is screened first (one line, no control characters, at most
    ``max_chars`` characters: the settings' ``max_field_chars`` when None);
    a row that fails is not read further.
    """
    screened = screen_row(original, headers, max_chars=max_chars or current_limits().max_field_chars)
    if screened:
        return {}, screened
    errors = []

    def get(column):
        header = headers.get(column)
        return glossary.clean(original.get(header)) if header is not None else ""

    def fail(column, reason):
        errors.append((headers.get(column, column), reason))

    record = {"member_id": get("member_id")}
    if not record["member_id"]:
        fail("member_id", "必須項目「会員番号」が空です")
    elif len(record["member_id"]) > 32:
        fail("member_id", f"会員番号が長すぎます({len(record['member_id'])}文字。32文字まで)")
    record["email"], reason = normalise_email(get("email"))
    if reason:
        fail("email", reason)
    record["categories"] = _categories(get("categories"), lambda r: fail("categories", r))
    record["areas"] = _areas(get("areas"), directory, lambda r: fail("areas", r))
    status = get("status")
    record["status"] = STATUS_ALIASES.get(status) or STATUS_ALIASES.get(status.lower())
    if record["status"] is None:
        fail("status", f"状態「{shown(status)}」は使えません({'・'.join(STATUSES)})" if status else "必須項目「状態」が空です")
    record["opted_in_at"] = read_time(get("opted_in_at"), "opted_in_at", fail,
                                      empty="必須項目「登録日時」(同意の日時)が空です")
    staff = get("is_staff").lower()
    record["is_staff"] = staff in TRUE_WORDS
    if staff not in TRUE_WORDS | FALSE_WORDS:
        fail("is_staff", f"職員の別「{shown(staff)}」を読めません(True/False)")
    language = get("language")
    record["language"] = language_code(language, default=None) if language else DEFAULT_LANGUAGE
    if record["language"] is None:
        fail("language", f"言語「{shown(language)}」は使えません({'・'.join(MEMBER_LANGUAGES)} か言語名)")
    try:
        record["quiet_start"], record["quiet_end"] = parse_quiet_hours(get("quiet_hours")) or (None, None)
    except ValueError as exc:
        record["quiet_start"] = record["quiet_end"] = None
        fail("quiet_hours", str(exc))
    return record, errors


def _categories(text: str, fail) -> list[str]:
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if not parts:
        fail("必須項目「受信分類」が空です")
        return []
    codes, unknown = [], []
    for part in parts:
        code = glossary.category_code(part)
        if code is None:
            unknown.append(shown(part))
        elif code not in codes:
            codes.append(code)
    if unknown:
        fail(f"分類「{'、'.join(unknown)}」はありません({'、'.join(glossary.CATEGORIES)})")
    return [c for c in glossary.CATEGORIES if c in codes]


def _areas(text: str, directory: AreaDirectory, fail) -> list[tuple[str, str, str]]:
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if not parts:
        fail("必須項目「受信地域」が空です")
        return []
    chosen, unknown = [], []
    for part in parts:
        area = directory.resolve(part)
        if area is None:
            unknown.append(shown(part))
        elif area not in chosen:
            chosen.append(area)
    if unknown:
        fail(f"地域「{'、'.join(unknown)}」は市町村名・警察署名・町丁目名・{WHOLE_PREFECTURE}のどれでもありません")
    return chosen


def member_content_hash(record: dict) -> str:
    """A stable fingerprint of a member record's content, to spot changed re-imports."""
    stamp = record["opted_in_at"]
    payload = "|".join([
        record["member_id"], record["email"], ";".join(record["categories"]),
        ";".join(f"{k}:{c}" for k, c, _ in sorted(record["areas"])), record["status"],
        "" if stamp is None else pd.Timestamp(stamp).tz_convert("UTC").isoformat(), str(bool(record["is_staff"])),
    ])
    language = record.get("language") or DEFAULT_LANGUAGE
    if language != DEFAULT_LANGUAGE:  # a Japanese member's fingerprint stays what it was before languages
        payload += f"|{language}"
    if record.get("quiet_start"):  # likewise for a member without quiet hours
        payload += f"|quiet:{record['quiet_start']}-{record.get('quiet_end')}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _unique_emails(kept: list, problems: list, email_header) -> tuple[list, list]:
    """A second member with an address already taken in the file (case aside) is rejected."""
    by_email: dict[str, tuple] = {}
    unique = []
    for entry in kept:
        key = entry[1]["email"].lower()
        if key in by_email:
            other = by_email[key]
            problems.append((entry[0], [(email_header, f"メールアドレスが{row_label(other[0], other[2])}の会員"
                                                       f"「{other[1]['member_id']}」と重複しています(値は表示しません)")],
                             entry[2]))
        else:
            by_email[key] = entry
            unique.append(entry)
    return unique, problems
