"""Subscriptions: double opt-in sign-up and one-click unsubscribe (RFC 8058) for members.

A member signs up as ``pending`` and becomes ``active`` only by opening the
link of the confirmation mail (``messages.render_confirmation``); only the
hash of a confirmation token is stored. The unsubscribe token in every
alert's List-Unsubscribe header stops the mail at once.
"""

from __future__ import annotations

import hashlib
import secrets

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import TOKYO_NAME, stored_utc, utc_now
from anshin_lab.core.errors import DataError
from anshin_lab.records.members import MEMBER_COLUMNS, AreaDirectory, check_member_row
from anshin_lab.storage.members import save_members
from anshin_lab.storage.store import members

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
