"""User accounts: argon2-hashed passwords, lockout, and the operator designation.

Only an ``admin`` manages accounts (and never approves or sends); only the
head of 生活安全企画課 designates the send operators (directive §6(1)), and
the designation is recorded: who designated whom, when, and its revocation.
Every change and every login attempt is audited.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from anshin_lab.core.clock import stored_utc, utc_now
from anshin_lab.core.errors import AccountLocked, PermissionDenied, WorkflowError
from anshin_lab.storage.store import operator_designations, users
from anshin_lab.workflow import audit
from anshin_lab.workflow.rules import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = pd.Timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class User:
    """An authenticated (or freshly created) user."""

    username: str
    display_name: str
    role: Role




def add_user(engine: sa.Engine, actor: User | None, username: str, role: Role | str, password: str,
             display_name: str | None = None) -> User:
    """Create an account. ``actor`` must be an admin; the very first account (an admin) needs none."""
    role = Role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WorkflowError(f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください")
    with engine.begin() as conn:
        existing = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar()
        if actor is None:
            if existing or role != Role.ADMIN:
                raise PermissionDenied("最初の管理者以外のアカウントは管理者が作成します")
            creator = username
        else:
            _require_role(conn, actor, {Role.ADMIN})
            creator = actor.username
        if conn.execute(sa.select(users.c.username).where(users.c.username == username)).first():
            raise WorkflowError(f"ユーザー「{username}」は既にあります")
        conn.execute(users.insert().values(
            username=username, display_name=display_name or username, role=role.value,
            password_hash=_HASHER.hash(password), failed_logins=0, active=True,
            created_at=utc_now(), created_by=creator))
        audit.append(conn, creator, "user_add", f"user:{username}", {"role": role.value})
    return User(username, display_name or username, role)


def authenticate(engine: sa.Engine, username: str, password: str) -> User:
    """The user if the password is right; ``PermissionDenied`` otherwise, ``AccountLocked`` when locked.

    After ``MAX_FAILED_LOGINS`` failures in a row the account is locked for
    ``LOCKOUT``; the failure is recorded even though the login fails.
    """
    now = pd.Timestamp(utc_now())
    # Failures are committed before the error is raised: a rolled-back
    # failure would neither count towards the lockout nor reach the audit log.
    with engine.begin() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == username)).first()
        error = _login_error(conn, row, username, password, now)
        if error is None:
            conn.execute(users.update().where(users.c.username == username).values(failed_logins=0, locked_until=None))
            audit.append(conn, username, "login", f"user:{username}", {})
    if error is not None:
        raise error
    return User(row.username, row.display_name, Role(row.role))


def _login_error(conn, row, username: str, password: str, now: pd.Timestamp) -> Exception | None:
    """None when the login succeeds; else the error, with the failure recorded."""
    if row is None or not row.active:
        audit.append(conn, username, "login_failed", f"user:{username}", {"why": "unknown or inactive"})
        return PermissionDenied("ユーザー名かパスワードが違います")
    locked_until = None if row.locked_until is None else stored_utc(row.locked_until)
    if locked_until is not None and locked_until > now:
        audit.append(conn, username, "login_locked", f"user:{username}", {})
        return AccountLocked(f"ログインの失敗が続いたため、{locked_until.tz_convert('Asia/Tokyo'):%H:%M}までロックされています")
    try:
        _HASHER.verify(row.password_hash, password)
        return None
    except (VerifyMismatchError, InvalidHashError):
        failures = row.failed_logins + 1
        values = {"failed_logins": failures}
        if failures >= MAX_FAILED_LOGINS:
            values = {"failed_logins": 0, "locked_until": (now + LOCKOUT).to_pydatetime()}
        conn.execute(users.update().where(users.c.username == username).values(**values))
        audit.append(conn, username, "login_failed", f"user:{username}", {"failures": failures})
        if failures >= MAX_FAILED_LOGINS:
            return AccountLocked(f"ログインに{failures}回失敗したため、アカウントをロックしました")
        return PermissionDenied("ユーザー名かパスワードが違います")


def unlock(engine: sa.Engine, actor: User, username: str) -> None:
    """Lift a lockout (admin only)."""
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.ADMIN})
        conn.execute(users.update().where(users.c.username == username).values(failed_logins=0, locked_until=None))
        audit.append(conn, actor.username, "user_unlock", f"user:{username}", {})


def set_role(engine: sa.Engine, actor: User, username: str, role: Role | str) -> None:
    """Change a user's role (admin only); steps taken later use the new role."""
    role = Role(role)
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.ADMIN})
        old = conn.execute(sa.select(users.c.role).where(users.c.username == username)).scalar()
        if old is None:
            raise WorkflowError(f"ユーザー「{username}」はありません")
        conn.execute(users.update().where(users.c.username == username).values(role=role.value))
        audit.append(conn, actor.username, "user_role", f"user:{username}", {"from": old, "to": role.value})


def designate_operator(engine: sa.Engine, actor: User, username: str) -> None:
    """Record that ``actor`` (生活安全企画課長) designates ``username`` as a send operator."""
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.HQ_PLANNING_CHIEF})
        target = conn.execute(sa.select(users).where(users.c.username == username)).first()
        if target is None or Role(target.role) != Role.OPERATOR:
            raise WorkflowError(f"「{username}」は発信操作担当者(operator)のアカウントではありません")
        if is_designated(conn, username):
            return
        conn.execute(operator_designations.insert().values(
            username=username, designated_by=actor.username, designated_at=utc_now()))
        audit.append(conn, actor.username, "operator_designate", f"user:{username}", {})


def revoke_operator(engine: sa.Engine, actor: User, username: str) -> None:
    """End a designation (生活安全企画課長)."""
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.HQ_PLANNING_CHIEF})
        conn.execute(operator_designations.update()
                     .where(operator_designations.c.username == username, operator_designations.c.revoked_at.is_(None))
                     .values(revoked_by=actor.username, revoked_at=utc_now()))
        audit.append(conn, actor.username, "operator_revoke", f"user:{username}", {})


def is_designated(conn: sa.Connection, username: str) -> bool:
    """Whether ``username`` holds a current operator designation."""
    query = sa.select(operator_designations.c.designation_id).where(
        operator_designations.c.username == username, operator_designations.c.revoked_at.is_(None))
    return conn.execute(query).first() is not None


def current_role(conn: sa.Connection, user: User) -> Role:
    """The role stored now (a role changed since login counts, not the one in ``user``)."""
    row = conn.execute(sa.select(users.c.role, users.c.active).where(users.c.username == user.username)).first()
    if row is None or not row.active:
        raise PermissionDenied(f"ユーザー「{user.username}」は有効ではありません")
    return Role(row.role)


def _require_role(conn: sa.Connection, user: User, roles: set[Role]) -> None:
    if current_role(conn, user) not in roles:
        raise PermissionDenied(f"この操作は{'・'.join(r.label for r in roles)}だけが行えます")


def list_users(engine: sa.Engine) -> pd.DataFrame:
    """Accounts with their role, lock state and designation (no password hashes)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.username, users.c.display_name, users.c.role, users.c.active,
                                      users.c.locked_until)).mappings().all()
        frame = pd.DataFrame(rows, columns=["username", "display_name", "role", "active", "locked_until"])
        frame["designated_operator"] = [is_designated(conn, u) for u in frame["username"]]
    return frame


def login_from_environment(engine: sa.Engine) -> User | None:
    """The user named by ``ANSHIN_USER`` with ``ANSHIN_PASSWORD`` (secrets come only from the environment).

    None when ``ANSHIN_USER`` is not set; a wrong password raises as ``authenticate`` does.
    """
    username = os.environ.get("ANSHIN_USER")
    if not username:
        return None
    return authenticate(engine, username, os.environ.get("ANSHIN_PASSWORD", ""))
