"""Members (会員): import with quarantine, double opt-in, one-click unsubscribe, recipients, counts.

A member chose categories (the five codes of ``glossary.CATEGORIES``) and
areas: municipalities (「鹿児島市」「大島郡瀬戸内町」), station districts
(「鹿児島中央警察署」) or the whole prefecture (「鹿児島県」). Status is one of
``pending`` (signed up, not yet confirmed), ``active``, ``unsubscribed`` and
``bounced`` (suppressed after repeated hard bounces); only ``active`` members
receive mail.

``import_members`` follows the incident import's rule: every row read is
accepted or rejected with its row number, column, reason and original
values; rejected rows (and rows that contradict what is stored) go to a
quarantine CSV in the workspace, created readable by its owner only; a stored
member is never overwritten, so importing the same file twice changes nothing.
Addresses are checked with ``email-validator`` offline (syntax only, no DNS).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core import glossary
from anshin_lab.core.errors import DataError, DeliveryError, StoreError
from anshin_lab.app.ingest import ImportReport
from anshin_lab.storage.store import member_areas, member_categories, member_imports, members, outbox, station_districts

STATUSES = ("pending", "active", "unsubscribed", "bounced")
WHOLE_PREFECTURE = "鹿児島県"
PREF_CODE = "46"
AREA_KINDS = ("pref", "city", "station")
CONFIRMATION_VALID = pd.Timedelta(hours=48)

# Member export headers (Japanese as a sign-up system might write them) -> canonical column.
MEMBER_HEADERS = {
    "会員番号": "member_id", "会員ID": "member_id", "メールアドレス": "email", "アドレス": "email",
    "受信分類": "categories", "配信分類": "categories", "分類": "categories",
    "受信地域": "areas", "配信地域": "areas", "地域": "areas",
    "状態": "status", "登録日時": "opted_in_at", "同意日時": "opted_in_at", "職員": "is_staff", "警察職員": "is_staff",
}
MEMBER_COLUMNS = ("member_id", "email", "categories", "areas", "status", "opted_in_at", "is_staff")
REQUIRED_COLUMNS = ("member_id", "email", "categories", "areas", "status", "opted_in_at")
STATUS_ALIASES = {
    **{s: s for s in STATUSES}, "仮登録": "pending", "登録中": "active", "有効": "active", "配信中": "active",
    "解除": "unsubscribed", "配信停止": "unsubscribed", "不達": "bounced", "停止(不達)": "bounced",
}
TRUE_WORDS = {"true", "1", "yes", "y", "はい", "職員", "○", "◯"}
FALSE_WORDS = {"", "false", "0", "no", "n", "いいえ", "-", "×"}
_GUN = re.compile(r"^.+?郡(.+)$")


# -- areas a member may choose --------------------------------------------------------

@dataclass(frozen=True)
class AreaDirectory:
    """The names members may choose: municipalities (JIS code by name) and station districts.

    ``cities`` maps the full name (with 郡) to the JIS code; ``stations`` maps a
    station name to the codes of the municipalities its district covers.
    Build one from a workspace with :func:`load_area_directory` or from an
    ``AreaSet`` with :meth:`from_area_set`.
    """

    cities: Mapping[str, str]
    stations: Mapping[str, tuple[str, ...]]
    short_names: Mapping[str, str] = field(default_factory=dict)

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
        return cls(cities, stations)

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
        return None

    def stations_of(self, city_code: str) -> list[str]:
        """The stations whose districts cover the municipality ``city_code``."""
        return sorted(s for s, codes in self.stations.items() if city_code in codes)


def load_area_directory(workspace=None) -> AreaDirectory:
    """The area names of a workspace (the default one when None); ``WorkspaceError`` when not built."""
    from anshin_lab.places.areas import load_areas

    return AreaDirectory.from_area_set(load_areas(workspace))


# -- checking rows -----------------------------------------------------------------------

@dataclass
class MemberCheck:
    """Accepted member records and rejected rows (row, column, reason, original values)."""

    records: list[dict]
    rejected: pd.DataFrame
    rows_read: int
    source_rows: list[int]

    @property
    def accepted(self) -> int:
        return len(self.records)


def normalise_email(text) -> tuple[str | None, str | None]:
    """``(address, None)`` for a valid address (domain lower-cased), else ``(None, reason)``.

    Syntax only, offline: no DNS look-ups. Addresses that need SMTPUTF8 are
    refused, because the mobile carriers cannot receive them.
    """
    raw = glossary.clean(text)
    if not raw:
        return None, "メールアドレスが空です"
    try:
        result = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        local = raw.rsplit("@", 1)[0]
        hint = ""
        if ".." in local or local.endswith(".") or local.startswith("."):
            hint = "。RFC に合わない古い携帯電話のアドレスです: 会員にアドレスの変更をお願いしてください"
        return None, f"メールアドレス「{raw}」の形式が正しくありません({exc}){hint}"
    return result.normalized, None


def check_members(raw: pd.DataFrame, directory: AreaDirectory, *, headers: Mapping[str, str] | None = None) -> MemberCheck:
    """Validate a member table (all cells text) row by row; accepted + rejected = rows read.

    ``headers`` maps canonical columns to the file's headers (the identity
    when None). Rejected rows say the row number a person sees in the file
    (the header is row 1), the column, the reason and the original values.
    Exact repeats of a row keep the first; conflicting repeats of a member
    number, and a second member with the same address, are rejected.
    """
    headers = dict(headers or {c: c for c in MEMBER_COLUMNS if c in raw.columns})
    accepted, problems = [], []
    for position, values in enumerate(raw.itertuples(index=False, name=None)):
        row_number = position + 2
        original = dict(zip(raw.columns, values))
        record, errors = _check_row(original, headers, directory)
        if errors:
            problems.append((row_number, errors, original))
        else:
            accepted.append((row_number, record, original))
    accepted, problems = _resolve_duplicates(accepted, problems, headers)
    rejected = _rejected_frame(problems, list(raw.columns))
    if len(accepted) + len(rejected) != len(raw):
        raise AssertionError("accepted + rejected must equal rows read")
    return MemberCheck([r for _, r, _ in accepted], rejected, len(raw), [n for n, _, _ in accepted])


def _check_row(original: dict, headers: Mapping[str, str], directory: AreaDirectory) -> tuple[dict, list]:
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
        fail("member_id", f"会員番号「{record['member_id']}」が長すぎます(32文字まで)")
    record["email"], reason = normalise_email(get("email"))
    if reason:
        fail("email", reason)
    record["categories"] = _categories(get("categories"), lambda r: fail("categories", r))
    record["areas"] = _areas(get("areas"), directory, lambda r: fail("areas", r))
    status = get("status")
    record["status"] = STATUS_ALIASES.get(status) or STATUS_ALIASES.get(status.lower())
    if record["status"] is None:
        fail("status", f"状態「{status}」は使えません({'・'.join(STATUSES)})" if status else "必須項目「状態」が空です")
    record["opted_in_at"] = None
    stamp = get("opted_in_at")
    if not stamp:
        fail("opted_in_at", "必須項目「登録日時」(同意の日時)が空です")
    else:
        from anshin_lab.core.dates import parse_occurred_at

        try:
            record["opted_in_at"] = parse_occurred_at(stamp)
        except ValueError as exc:
            fail("opted_in_at", str(exc))
    staff = get("is_staff").lower()
    record["is_staff"] = staff in TRUE_WORDS
    if staff not in TRUE_WORDS | FALSE_WORDS:
        fail("is_staff", f"職員の別「{staff}」を読めません(True/False)")
    return record, errors


def _categories(text: str, fail) -> list[str]:
    parts = [p for p in re.split(r"[;;、,，/]", text) if p.strip()]
    if not parts:
        fail("必須項目「受信分類」が空です")
        return []
    codes, unknown = [], []
    for part in parts:
        code = glossary.category_code(part)
        if code is None:
            unknown.append(glossary.clean(part))
        elif code not in codes:
            codes.append(code)
    if unknown:
        fail(f"分類「{'、'.join(unknown)}」はありません({'、'.join(glossary.CATEGORIES)})")
    return [c for c in glossary.CATEGORIES if c in codes]


def _areas(text: str, directory: AreaDirectory, fail) -> list[tuple[str, str, str]]:
    parts = [p for p in re.split(r"[;;、,，/]", text) if p.strip()]
    if not parts:
        fail("必須項目「受信地域」が空です")
        return []
    chosen, unknown = [], []
    for part in parts:
        area = directory.resolve(part)
        if area is None:
            unknown.append(glossary.clean(part))
        elif area not in chosen:
            chosen.append(area)
    if unknown:
        fail(f"地域「{'、'.join(unknown)}」は市町村名・警察署名・{WHOLE_PREFECTURE}のどれでもありません")
    return chosen


def _content_key(record: dict) -> str:
    stamp = record["opted_in_at"]
    payload = "|".join([
        record["member_id"], record["email"], ";".join(record["categories"]),
        ";".join(f"{k}:{c}" for k, c, _ in sorted(record["areas"])), record["status"],
        "" if stamp is None else pd.Timestamp(stamp).tz_convert("UTC").isoformat(), str(bool(record["is_staff"])),
    ])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _resolve_duplicates(accepted, problems, headers):
    id_header = headers.get("member_id", "member_id")
    email_header = headers.get("email", "email")
    by_id: dict[str, list] = {}
    for entry in accepted:
        by_id.setdefault(entry[1]["member_id"], []).append(entry)
    kept = []
    for member_id, entries in by_id.items():
        first = entries[0]
        if len(entries) == 1:
            kept.append(first)
            continue
        if len({_content_key(e[1]) for e in entries}) == 1:
            kept.append(first)
            for entry in entries[1:]:
                problems.append((entry[0], [(id_header, f"会員番号「{member_id}」は{first[0]}行目と同じ内容の重複行です"
                                                        "(1件として取り込みました)")], entry[2]))
        else:
            rows = "・".join(f"{e[0]}行目" for e in entries)
            for entry in entries:
                problems.append((entry[0], [(id_header, f"会員番号「{member_id}」が{rows}に異なる内容で現れます"
                                                        "(どれも取り込んでいません)")], entry[2]))
    kept.sort(key=lambda e: e[0])
    by_email: dict[str, tuple] = {}
    unique = []
    for entry in kept:
        key = entry[1]["email"].lower()
        if key in by_email:
            other = by_email[key]
            problems.append((entry[0], [(email_header, f"メールアドレス「{entry[1]['email']}」は{other[0]}行目の会員"
                                                       f"「{other[1]['member_id']}」と重複しています")], entry[2]))
        else:
            by_email[key] = entry
            unique.append(entry)
    return unique, problems


def _rejected_frame(problems, columns) -> pd.DataFrame:
    rows = []
    for row_number, errors, original in sorted(problems, key=lambda p: p[0]):
        rows.append({"row": row_number, "column": "・".join(dict.fromkeys(str(c) for c, _ in errors)),
                     "reason": " / ".join(r for _, r in errors), **{c: original.get(c) for c in columns}})
    return pd.DataFrame(rows, columns=["row", "column", "reason", *columns])


# -- import -----------------------------------------------------------------------------

# A member import reports the same counts as an incident import.
MemberImportReport = ImportReport


def read_member_table(path) -> tuple[pd.DataFrame, dict]:
    """A member file (CSV in UTF-8/CP932, or XLSX) as text cells, and canonical column -> header.

    Raises ``DataError`` when the file cannot be read or a required column is missing.
    """
    from anshin_lab.records.incidents import _read_table

    path = Path(path)
    raw, _encoding = _read_table(path)
    raw = raw.astype(object).where(raw.notna(), "")
    headers = {}
    for header in raw.columns:
        text = glossary.clean(header)
        column = text if text in MEMBER_COLUMNS else MEMBER_HEADERS.get(text)
        if column and column not in headers:
            headers[column] = header
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise DataError(f"必須の列がありません: {'、'.join(missing)}(見つかった列: {'、'.join(map(str, raw.columns))})",
                        path=path)
    return raw, headers


def import_members(path, ws, *, directory: AreaDirectory | None = None) -> MemberImportReport:
    """Validate a member file, store the new members, quarantine the rest. Idempotent.

    ``ws`` is a ``workspace.Workspace``; its areas give the names members may
    choose unless ``directory`` is given.
    """
    from anshin_lab.storage import store
    from anshin_lab.app.ingest import _write_atomic

    path = Path(path)
    raw, headers = read_member_table(path)
    directory = directory or load_area_directory(ws.root)
    checked = check_members(raw, directory, headers=headers)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    quarantine_path = ws.quarantine_dir / f"{path.stem}_{digest[:12]}_rejected.csv"
    engine = store.connect(ws.database_url)
    try:
        saved = save_members(engine, checked.records, directory=directory, source_name=path.name,
                             source_sha256=digest, rows_read=checked.rows_read, rejected=len(checked.rejected),
                             quarantine_path=str(quarantine_path))
    finally:
        engine.dispose()
    quarantined = checked.rejected
    if saved.conflicts:
        row_of = dict(zip((r["member_id"] for r in checked.records), checked.source_rows))
        originals = raw.iloc[[row_of[m] - 2 for m, _, _ in saved.conflicts]]
        extra = pd.DataFrame({"row": [row_of[m] for m, _, _ in saved.conflicts],
                              "column": [headers.get(c, c) for _, c, _ in saved.conflicts],
                              "reason": [r for _, _, r in saved.conflicts]})
        extra = pd.concat([extra, originals.reset_index(drop=True)], axis=1)
        quarantined = pd.concat([quarantined, extra], ignore_index=True).sort_values("row", kind="stable")
    if len(quarantined):
        _write_atomic(quarantined, quarantine_path)
    else:
        quarantine_path = None
    return MemberImportReport(path, checked.rows_read, checked.accepted, len(checked.rejected), saved.inserted,
                              saved.unchanged, len(saved.conflicts), quarantine_path, quarantined)


@dataclass
class SaveMembersResult:
    """What storing a batch did; ``conflicts`` holds (member_id, column, reason)."""

    import_id: int | None
    inserted: int
    unchanged: int
    conflicts: list


def _now():
    return pd.Timestamp.now(tz="UTC").to_pydatetime()


def _utc(stamp):
    return None if stamp is None else pd.Timestamp(stamp).tz_convert("UTC").to_pydatetime()


def save_members(engine: sa.Engine, records: list[dict], *, directory: AreaDirectory | None = None,
                 source_name: str = "", source_sha256: str = "", rows_read: int | None = None, rejected: int = 0,
                 quarantine_path: str | None = None) -> SaveMembersResult:
    """Insert checked member records (from ``check_members``) in one transaction.

    A stored member is never overwritten: the same member number with other
    content, or an address another member already has, is a conflict. When
    nothing is new and nothing conflicts, nothing is written at all.
    """
    now = _now()
    try:
        with engine.begin() as conn:
            stored = _stored(conn, [r["member_id"] for r in records])
            taken = _taken_emails(conn, [r["email"].lower() for r in records])
            new, unchanged, conflicts = [], 0, []
            for record in records:
                key = _content_key(record)
                if record["member_id"] in stored:
                    if stored[record["member_id"]] == key:
                        unchanged += 1
                    else:
                        conflicts.append((record["member_id"], "member_id",
                                          f"会員番号「{record['member_id']}」は別の内容で登録済みです(上書きしていません)"))
                elif taken.get(record["email"].lower(), record["member_id"]) != record["member_id"]:
                    conflicts.append((record["member_id"], "email", f"メールアドレス「{record['email']}」は会員"
                                      f"「{taken[record['email'].lower()]}」が登録済みです"))
                else:
                    new.append((record, key))
            if not new and not conflicts:
                return SaveMembersResult(None, 0, unchanged, [])
            import_id = conn.execute(member_imports.insert().values(
                source_name=source_name, source_sha256=source_sha256, imported_at=now,
                rows_read=len(records) if rows_read is None else rows_read, accepted=len(records), rejected=rejected,
                inserted=len(new), unchanged=unchanged, conflicts=len(conflicts), quarantine_path=quarantine_path,
            )).inserted_primary_key[0]
            _insert(conn, new, import_id, now)
            if directory is not None and new:
                _save_districts(conn, directory)
    except SQLAlchemyError as exc:
        raise StoreError(f"会員の保存に失敗しました(何も書き込んでいません): {exc}") from exc
    return SaveMembersResult(import_id, len(new), unchanged, conflicts)


def _insert(conn, new: list[tuple[dict, str]], import_id, now) -> None:
    rows, cats, areas = [], [], []
    for record, key in new:
        email = record["email"]
        rows.append({
            "member_id": record["member_id"], "email": email, "email_key": email.lower(),
            "domain": email.rsplit("@", 1)[1].lower(), "categories": ";".join(record["categories"]),
            "areas": ";".join(name for _, _, name in record["areas"]), "status": record["status"],
            "opted_in_at": _utc(record.get("opted_in_at")), "is_staff": bool(record.get("is_staff")),
            "unsubscribe_token": secrets.token_urlsafe(24), "hard_bounces": 0, "content_hash": key,
            "import_id": import_id, "created_at": now, "updated_at": now,
            "unsubscribed_at": now if record["status"] == "unsubscribed" else None,
            "suppressed_at": now if record["status"] == "bounced" else None,
        })
        cats.extend({"member_id": record["member_id"], "category": c} for c in record["categories"])
        areas.extend({"member_id": record["member_id"], "kind": k, "code": c, "name": n} for k, c, n in record["areas"])
    for table, batch in ((members, rows), (member_categories, cats), (member_areas, areas)):
        for start in range(0, len(batch), 5000):
            conn.execute(table.insert(), batch[start:start + 5000])


def _save_districts(conn, directory: AreaDirectory) -> None:
    known = set(conn.execute(sa.select(station_districts.c.station, station_districts.c.city_code)).all())
    missing = [{"station": s, "city_code": c} for s, codes in directory.stations.items() for c in codes
               if (s, c) not in known]
    if missing:
        conn.execute(station_districts.insert(), missing)


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):  # stay under SQLite's bound-parameter limit
        yield values[start:start + size]


def _stored(conn, ids: list[str]) -> dict[str, str | None]:
    found = {}
    for chunk in _chunks(ids):
        found.update(dict(conn.execute(sa.select(members.c.member_id, members.c.content_hash)
                                       .where(members.c.member_id.in_(chunk))).all()))
    return found


def _taken_emails(conn, keys: list[str]) -> dict[str, str]:
    found = {}
    for chunk in _chunks(keys):
        found.update(dict(conn.execute(sa.select(members.c.email_key, members.c.member_id)
                                       .where(members.c.email_key.in_(chunk))).all()))
    return found


def read_members(engine: sa.Engine, status: str | None = None) -> pd.DataFrame:
    """Stored members (no tokens), oldest member number first."""
    columns = ["member_id", "email", "categories", "areas", "status", "opted_in_at", "is_staff", "hard_bounces"]
    query = sa.select(*[members.c[c] for c in columns]).order_by(members.c.member_id)
    if status is not None:
        query = query.where(members.c.status == status)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=columns)


# -- double opt-in and one-click unsubscribe ---------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def register_member(engine: sa.Engine, directory: AreaDirectory, *, email: str, categories, areas,
                    is_staff: bool = False) -> tuple[str, str]:
    """Sign up a member as ``pending``; returns ``(member_id, confirmation token)``.

    The token goes in the confirmation mail (:func:`sending.render_confirmation`);
    the member becomes ``active`` only through :func:`confirm_member`.
    Raises ``DataError`` for a bad address, category or area, or an address already registered.
    """
    cells = {"member_id": f"W{secrets.token_hex(6).upper()}", "email": email,
             "categories": ";".join(categories) if not isinstance(categories, str) else categories,
             "areas": ";".join(areas) if not isinstance(areas, str) else areas, "status": "pending",
             "opted_in_at": pd.Timestamp.now(tz="Asia/Tokyo").isoformat(), "is_staff": str(bool(is_staff))}
    record, errors = _check_row(cells, {c: c for c in MEMBER_COLUMNS}, directory)
    if errors:
        raise DataError(" / ".join(reason for _, reason in errors), column=errors[0][0])
    saved = save_members(engine, [record], directory=directory, source_name="registration")
    if saved.conflicts:
        raise DataError(saved.conflicts[0][2], column="email")
    return record["member_id"], request_confirmation(engine, record["member_id"])


def request_confirmation(engine: sa.Engine, member_id: str, *, valid_for: pd.Timedelta = CONFIRMATION_VALID) -> str:
    """A fresh confirmation token for a pending member (only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        updated = conn.execute(members.update().where(members.c.member_id == member_id, members.c.status == "pending")
                               .values(confirm_token_hash=_token_hash(token), updated_at=_now(),
                                       confirm_expires_at=(pd.Timestamp.now(tz="UTC") + valid_for).to_pydatetime()))
    if updated.rowcount != 1:
        raise DataError(f"会員「{member_id}」は仮登録(pending)ではありません")
    return token


def confirm_member(engine: sa.Engine, token: str) -> str:
    """Activate the pending member of a confirmation token (the second opt-in); returns the member id.

    The opt-in time becomes the time of confirmation. ``DataError`` when the
    token is unknown, used or expired.
    """
    now = pd.Timestamp.now(tz="UTC")
    with engine.begin() as conn:
        row = conn.execute(sa.select(members.c.member_id, members.c.confirm_expires_at)
                           .where(members.c.confirm_token_hash == _token_hash(token or ""),
                                  members.c.status == "pending")).first()
        expires = None if row is None else pd.Timestamp(row.confirm_expires_at)
        if expires is not None and expires.tzinfo is None:
            expires = expires.tz_localize("UTC")
        if row is None or expires is None or expires < now:
            raise DataError("確認用のリンクが無効か、期限切れです(もう一度登録してください)")
        conn.execute(members.update().where(members.c.member_id == row.member_id).values(
            status="active", opted_in_at=now.to_pydatetime(), confirm_token_hash=None, confirm_expires_at=None,
            updated_at=now.to_pydatetime()))
    return row.member_id


def unsubscribe(engine: sa.Engine, token: str) -> str | None:
    """One-click unsubscribe (RFC 8058): the member of ``token`` stops receiving mail at once.

    Returns the member id, or None for an unknown token. Idempotent: a
    second click changes nothing.
    """
    now = _now()
    with engine.begin() as conn:
        member_id = conn.execute(sa.select(members.c.member_id)
                                 .where(members.c.unsubscribe_token == (token or ""))).scalar()
        if member_id is None:
            return None
        conn.execute(members.update().where(members.c.member_id == member_id, members.c.status != "unsubscribed")
                     .values(status="unsubscribed", unsubscribed_at=now, updated_at=now))
    return member_id


# -- recipients ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    """A member an alert goes to."""

    member_id: str
    email: str
    domain: str


def _codes(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def alert_scope(area_codes: Mapping | None) -> tuple[list[str], list[str]]:
    """``(city codes, stations)`` of an alert's ``area_codes``; no city means prefecture-wide.

    A city comes from ``city_code``, else from the first five digits of a
    ``town_code`` or ``chome_code``.
    """
    area_codes = dict(area_codes or {})
    cities = _codes(area_codes.get("city_code"))
    if not cities:
        finer = _codes(area_codes.get("town_code")) + _codes(area_codes.get("chome_code"))
        cities = list(dict.fromkeys(code[:5] for code in finer if len(code) >= 5))
    return cities, _codes(area_codes.get("station"))


def select_recipients(conn: sa.Connection, alert) -> list[Recipient]:
    """The active members an alert goes to, in member-number order.

    A follow-up goes to exactly the members who received the original (those
    since unsubscribed or suppressed excepted). Otherwise: active members who
    chose the alert's category and an area that meets the alert's: the whole
    prefecture, the alert's municipality, or its station district (any
    district covering the municipality when the alert names no station).
    ``fugitive`` alerts and alerts without a municipality go to every active
    member who chose the category.
    """
    base = sa.select(members.c.member_id, members.c.email, members.c.domain).where(members.c.status == "active")
    if alert.original_alert_id is not None:
        had = conn.execute(sa.select(sa.func.count()).select_from(outbox)
                           .where(outbox.c.alert_id == alert.original_alert_id)).scalar()
        if not had:
            raise DeliveryError(f"続報の元の配信 #{alert.original_alert_id} の送信記録(outbox)がありません")
        sent = sa.select(outbox.c.member_id).where(outbox.c.alert_id == alert.original_alert_id,
                                                   outbox.c.state == "sent")
        query = base.where(members.c.member_id.in_(sent))
    else:
        chose = sa.select(member_categories.c.member_id).where(member_categories.c.category == alert.category)
        query = base.where(members.c.member_id.in_(chose))
        cities, stations = alert_scope(alert.area_codes)
        if alert.category != "fugitive" and cities:
            if not stations:
                stations = sa.select(station_districts.c.station).where(station_districts.c.city_code.in_(cities))
            a = member_areas.c
            where = sa.or_(a.kind == "pref", sa.and_(a.kind == "city", a.code.in_(cities)),
                           sa.and_(a.kind == "station", a.code.in_(stations)))
            query = query.where(members.c.member_id.in_(sa.select(a.member_id).where(where)))
    rows = conn.execute(query.order_by(members.c.member_id)).all()
    return [Recipient(*row) for row in rows]


# -- counts for publicity (directive §6(4)) -----------------------------------------------------

def member_counts(engine: sa.Engine, *, status: str = "active") -> pd.DataFrame:
    """Members by area (rows) and category (columns), for the publicity work (directive §6(4)).

    One row per chosen area (prefecture, then municipalities, then station
    districts), a column per category code with the members who chose both,
    ``members`` (distinct members who chose the area) and ``staff`` (of whom
    police staff). A last row ``合計`` counts distinct members.
    """
    a, c, m = member_areas.c, member_categories.c, members.c
    with engine.connect() as conn:
        pairs = conn.execute(sa.select(a.kind, a.name, c.category, sa.func.count())
                             .join_from(member_areas, members, a.member_id == m.member_id)
                             .join(member_categories, c.member_id == m.member_id)
                             .where(m.status == status).group_by(a.kind, a.name, c.category)).all()
        per_area = conn.execute(sa.select(a.kind, a.name, sa.func.count(), sa.func.sum(sa.cast(m.is_staff, sa.Integer)))
                                .join_from(member_areas, members, a.member_id == m.member_id)
                                .where(m.status == status).group_by(a.kind, a.name)).all()
        per_category = dict(conn.execute(sa.select(c.category, sa.func.count())
                                         .join_from(member_categories, members, c.member_id == m.member_id)
                                         .where(m.status == status).group_by(c.category)).all())
        total, staff = conn.execute(sa.select(sa.func.count(), sa.func.sum(sa.cast(m.is_staff, sa.Integer)))
                                    .where(m.status == status)).one()
    categories = list(glossary.CATEGORIES)
    frame = pd.DataFrame(pairs, columns=["kind", "area", "category", "n"])
    table = (frame.pivot_table(index=["kind", "area"], columns="category", values="n", aggfunc="sum", fill_value=0)
             .reindex(columns=categories, fill_value=0))
    sizes = pd.DataFrame(per_area, columns=["kind", "area", "members", "staff"]).set_index(["kind", "area"])
    table = table.join(sizes, how="outer").fillna(0).astype(int).reset_index()
    table["order"] = table["kind"].map({k: i for i, k in enumerate(AREA_KINDS)})
    table = table.sort_values(["order", "area"]).drop(columns=["order"])
    totals = {"kind": "total", "area": "合計", **{k: int(per_category.get(k, 0)) for k in categories},
              "members": int(total or 0), "staff": int(staff or 0)}
    return pd.concat([table, pd.DataFrame([totals])], ignore_index=True)[["kind", "area", *categories, "members", "staff"]]
