"""Subscriptions: double opt-in sign-up and one-click unsubscribe (RFC 8058) for members.

A member signs up as ``pending`` and becomes ``active`` only by opening the
link of the confirmation mail (``messages.render_confirmation``); only the
hash of a confirmation token is stored. The unsubscribe token in every
alert's List-Unsubscribe header stops the mail at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import TOKYO_NAME, stored_utc, utc_now
from anshin_lab.core.errors import DataError, DeliveryError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.delivery.options import Relay
from anshin_lab.records.members import MEMBER_COLUMNS, AreaDirectory, check_member_row
from anshin_lab.storage.members import save_chome_neighbours, save_members
from anshin_lab.storage.store import member_areas, member_categories, members

CONFIRMATION_VALID = pd.Timedelta(hours=48)
BAD_EMAIL = "メールアドレスの形式が正しくありません(入力を確認してください)"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def register_member(engine: sa.Engine, directory: AreaDirectory, *, email: str, categories, areas,
                    is_staff: bool = False) -> tuple[str, str]:
    """Sign up a member as ``pending``; returns ``(member_id, confirmation token)``.

    The token goes in the confirmation mail (:func:`messages.render_confirmation`);
    the member becomes ``active`` only through :func:`confirm_member`.
    Raises ``DataError`` for a bad address, category or area, or an address already registered.
    """
    cells = {"member_id": f"W{secrets.token_hex(6).upper()}", "email": email,
             "categories": ";".join(categories) if not isinstance(categories, str) else categories,
             "areas": ";".join(areas) if not isinstance(areas, str) else areas, "status": "pending",
             "opted_in_at": pd.Timestamp.now(tz=TOKYO_NAME).isoformat(), "is_staff": str(bool(is_staff))}
    record, errors = check_member_row(cells, {c: c for c in MEMBER_COLUMNS}, directory)
    if errors:
        # The checks' reasons quote the value; an address is personal data and stays out of the error.
        reasons = dict.fromkeys(BAD_EMAIL if column == "email" else reason for column, reason in errors)
        raise DataError(" / ".join(reasons), column=errors[0][0])
    saved = save_members(engine, [record], directory=directory, source_name="registration")
    if len(saved.conflicts):
        raise DataError("このメールアドレスは登録済みです(配信の停止や変更は、届いたメールのリンクから行えます)",
                        column="email")
    return record["member_id"], request_confirmation(engine, record["member_id"])


def request_confirmation(engine: sa.Engine, member_id: str, *, valid_for: pd.Timedelta = CONFIRMATION_VALID) -> str:
    """A fresh confirmation token for a pending member (only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        updated = conn.execute(members.update().where(members.c.member_id == member_id, members.c.status == "pending")
                               .values(confirm_token_hash=_token_hash(token), updated_at=utc_now(),
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
        expires = None if row is None else stored_utc(row.confirm_expires_at)
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
    now = utc_now()
    with engine.begin() as conn:
        member_id = conn.execute(sa.select(members.c.member_id)
                                 .where(members.c.unsubscribe_token == (token or ""))).scalar()
        if member_id is None:
            return None
        conn.execute(members.update().where(members.c.member_id == member_id, members.c.status != "unsubscribed")
                     .values(status="unsubscribed", unsubscribed_at=now, updated_at=now))
    return member_id


# -- the member site (``app.member_site``): its tokens come from ``delivery.member_tokens`` -------------

QUIET_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
AREA_KINDS = ("pref", "city", "station", "chome")


@dataclass(frozen=True)
class Preferences:
    """What a member chose: categories, areas ``(kind, code, name)``, language and quiet hours ("HH:MM" or None)."""

    categories: tuple[str, ...]
    areas: tuple[tuple[str, str, str], ...]
    language: str = "ja"
    quiet_start: str | None = None
    quiet_end: str | None = None


def member_status(engine: sa.Engine, member_id: str) -> str | None:
    """The member's status (pending / active / unsubscribed / bounced), None when there is no such member."""
    with engine.connect() as conn:
        return conn.execute(sa.select(members.c.status).where(members.c.member_id == member_id)).scalar()


def read_preferences(engine: sa.Engine, member_id: str) -> Preferences | None:
    """The member's current choices, None when there is no such member."""
    found = read_member(engine, member_id)
    return None if found is None else found[1]


# Built once: a preference page reads these three on every request, and building a statement costs more than running it.
_MEMBER_ROW = sa.select(members.c.status, members.c.language, members.c.quiet_start, members.c.quiet_end).where(
    members.c.member_id == sa.bindparam("member_id"))
_MEMBER_CATEGORIES = sa.select(member_categories.c.category).where(
    member_categories.c.member_id == sa.bindparam("member_id"))
_MEMBER_AREAS = sa.select(member_areas.c.kind, member_areas.c.code, member_areas.c.name).where(
    member_areas.c.member_id == sa.bindparam("member_id"))


def read_member(engine: sa.Engine, member_id: str) -> tuple[str, Preferences] | None:
    """``(status, choices)`` of the member (one connection: what a page needs), None when there is none."""
    key = {"member_id": member_id}
    with engine.connect() as conn:
        row = conn.execute(_MEMBER_ROW, key).first()
        if row is None:
            return None
        cats = conn.execute(_MEMBER_CATEGORIES, key).scalars().all()
        areas = conn.execute(_MEMBER_AREAS, key).all()
    return row.status, Preferences(tuple(sorted(cats)), tuple(sorted(tuple(a) for a in areas)), row.language or "ja",
                                   row.quiet_start, row.quiet_end)


def save_preferences(engine: sa.Engine, member_id: str, chosen: Preferences,
                     directory: AreaDirectory | None = None) -> None:
    """Replace the member's categories, areas, language and quiet hours in one transaction.

    With ``directory`` (the workspace's), the 町丁目 that touch a chosen
    町丁目 are recorded too (``storage.members.save_chome_neighbours``), so
    an alert next door reaches the member.

    ``DataError`` (naming the field) for no category, no area, an unknown
    category, an unknown area kind or a quiet-hours time that is not HH:MM,
    or only one end of the window.
    """
    if not chosen.categories:
        raise DataError("分類を1つ以上選んでください", column="categories")
    unknown = [c for c in chosen.categories if c not in CATEGORIES]
    if unknown:
        raise DataError("選べない分類があります(一覧から選んでください)", column="categories")
    if not chosen.areas or any(kind not in AREA_KINDS or not code for kind, code, _ in chosen.areas):
        raise DataError("地域を1つ以上選んでください", column="areas")
    quiet = [chosen.quiet_start or None, chosen.quiet_end or None]
    if any(t is not None and not QUIET_TIME.match(t) for t in quiet) or (quiet[0] is None) != (quiet[1] is None):
        raise DataError("配信を控える時間は、開始と終了の両方を「22:00」の形で入れてください(使わない場合は両方空欄)",
                        column="quiet_hours")
    if quiet[0] is not None and quiet[0] == quiet[1]:
        raise DataError("配信を控える時間の開始と終了が同じです(使わない場合は両方空欄)", column="quiet_hours")
    now = utc_now()
    areas = sorted(set(chosen.areas))
    with engine.begin() as conn:
        updated = conn.execute(members.update().where(members.c.member_id == member_id).values(
            categories=";".join(chosen.categories), areas=";".join(name for _, _, name in areas),
            language=chosen.language or "ja", quiet_start=quiet[0], quiet_end=quiet[1], updated_at=now))
        if updated.rowcount != 1:
            raise DataError("会員が見つかりません(届いたメールのリンクから開き直してください)")
        conn.execute(member_categories.delete().where(member_categories.c.member_id == member_id))
        conn.execute(member_areas.delete().where(member_areas.c.member_id == member_id))
        conn.execute(member_categories.insert(), [{"member_id": member_id, "category": c}
                                                  for c in sorted(set(chosen.categories))])
        conn.execute(member_areas.insert(), [{"member_id": member_id, "kind": k, "code": c, "name": n}
                                             for k, c, n in areas])
        if directory is not None:
            save_chome_neighbours(conn, directory, [c for k, c, _ in areas if k == "chome"])


def activate_member(engine: sa.Engine, member_id: str, *, from_status: str) -> bool:
    """The second opt-in: ``pending`` (a confirm link) or ``unsubscribed`` (a resubscribe link) becomes ``active``.

    Only a member still in ``from_status`` changes (False otherwise: the
    link is stale). Coming back, the member gets a new unsubscribe token, so
    links in mails from before the unsubscribe do not carry over.
    """
    now = utc_now()
    values = {"status": "active", "opted_in_at": now, "updated_at": now, "confirm_token_hash": None,
              "confirm_expires_at": None}
    if from_status == "unsubscribed":
        values |= {"unsubscribed_at": None, "unsubscribe_token": secrets.token_urlsafe(24)}
    with engine.begin() as conn:
        updated = conn.execute(members.update().where(members.c.member_id == member_id,
                                                      members.c.status == from_status).values(**values))
    return updated.rowcount == 1


def unsubscribe_member(engine: sa.Engine, member_id: str) -> bool:
    """Stop the member's mail at once (idempotent); True when the member exists."""
    now = utc_now()
    with engine.begin() as conn:
        found = conn.execute(sa.select(members.c.member_id).where(members.c.member_id == member_id)).scalar()
        if found is None:
            return False
        conn.execute(members.update().where(members.c.member_id == member_id, members.c.status != "unsubscribed")
                     .values(status="unsubscribed", unsubscribed_at=now, updated_at=now))
    return True


def member_of_unsubscribe_token(engine: sa.Engine, token: str) -> str | None:
    """The member whose mails carry ``token`` in their List-Unsubscribe link, None when none."""
    if not token or len(token) > 64:
        return None
    with engine.connect() as conn:
        return conn.execute(sa.select(members.c.member_id).where(members.c.unsubscribe_token == token)).scalar()


def member_of_address(engine: sa.Engine, email: str) -> tuple[str, str] | None:
    """``(member_id, status)`` of the member registered with ``email`` (any case), None when none."""
    key = (email or "").strip().lower()
    if not key or len(key) > 254:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(members.c.member_id, members.c.status)
                           .where(members.c.email_key == key)).first()
    return None if row is None else (row.member_id, row.status)


def member_address(engine: sa.Engine, member_id: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(members.c.email).where(members.c.member_id == member_id)).scalar()


async def send_service_mail(relay: Relay, message: EmailMessage) -> None:
    """Hand one service mail (a confirmation) to ``relay``; ``DeliveryError`` when the relay does not take it."""
    kwargs = relay.client_kwargs()
    try:
        await aiosmtplib.send(message, **kwargs)
    except (OSError, aiosmtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP リレー {relay} に確認のメールを渡せませんでした(リレーの状態を確かめてください)") from exc
