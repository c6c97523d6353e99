"""User accounts: argon2-hashed passwords, lockout, login sessions and the operator designation.

Only an ``admin`` manages accounts (and never approves or sends); only the
head of 生活安全企画課 designates the send operators (directive §6(1)), and
the designation is recorded: who designated whom, when, and its revocation.
Every change and every login attempt is audited.

A login is a session the service issues (:func:`authenticate`): a random
token whose SHA-256 is stored in ``sessions`` and which carries the service's
signature over (session, user, expiry). Every step checks it
(:func:`current_role`), so a ``User(...)`` built by hand, a session row
inserted by SQL or an expiry pushed back in the database counts for nothing,
and an account's role and active flag count only while the service's
signature over them holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from anshin_lab.core.clock import stored_utc, utc_now
from anshin_lab.core.errors import AccountLocked, PermissionDenied, WorkflowError
from anshin_lab.storage.store import operator_designations, sessions, users
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.signatures import designation_valid, sign_designation, sign_user, user_valid
from anshin_lab.workflow.stations import STATION_ROLES, effective_affiliation, is_station, resolve_affiliation

MAX_FAILED_LOGINS = 5
LOCKOUT = pd.Timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 12
# How long a login lasts: one working shift; a long send re-checks the session between batches.
SESSION_TTL = pd.Timedelta(hours=12)
# What the audit log says for a login under a name that is no account: never the text typed
# (people type their password into the user field), and the same words for every such attempt.
UNKNOWN_SUBJECT = "user:(不明)"
UNKNOWN_ACTOR = "(不明)"
MAX_USERNAME_LENGTH = 64
RELOGIN = "ログインし直してください"
_HASHER = PasswordHasher()
_DUMMY_HASH: str | None = None


@dataclass(frozen=True)
class User:
    """A user as a step sees them; only a ``session`` issued by :func:`authenticate` lets them act."""

    username: str
    display_name: str
    role: Role
    session: str | None = field(default=None, repr=False, compare=False)
    affiliation: str | None = None  # 所属 at login (steps read the stored one again)


def configure_hasher(*, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
    """Set the argon2 cost of new password hashes (the defaults are argon2-cffi's; tests may lower them).

    Logins under an unknown name are checked against a dummy hash of the same
    cost, so they take as long as a wrong password for a real account.
    """
    global _HASHER, _DUMMY_HASH
    _HASHER = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    _DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(24))
    return _DUMMY_HASH


def add_user(engine: sa.Engine, actor: User | None, username: str, role: Role | str, password: str,
             display_name: str | None = None, *, affiliation: str | None = None, stations=None) -> User:
    """Create an account. ``actor`` must be an admin; the very first account (an admin) needs none.

    ``affiliation`` is the 所属 (``stations.resolve_affiliation`` checks it
    against the role and the station table's names ``stations``); None
    records none: 本部 for an HQ role or an analyst, and a station chief
    without one may not act until an admin records it. Returns the account
    without a session: creating an account is not a login, so the new user
    (or the bootstrap admin) logs in with :func:`authenticate` before acting.
    """
    role = Role(role)
    key = authority.require().key
    affiliation = None if affiliation is None else resolve_affiliation(role, affiliation, stations)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WorkflowError(f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください")
    if not username or len(username) > MAX_USERNAME_LENGTH or not username.isprintable():
        raise WorkflowError(f"ユーザー名は{MAX_USERNAME_LENGTH}文字以内の表示できる文字にしてください")
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
            password_hash=_HASHER.hash(password), failed_logins=0, active=True, affiliation=affiliation,
            created_at=utc_now(), created_by=creator, signature=sign_user(key, username, role, True, affiliation)))
        audit.append(conn, creator, "user_add", f"user:{username}", {"role": role.value, "affiliation": affiliation})
    return User(username, display_name or username, role, affiliation=affiliation)


def authenticate(engine: sa.Engine, username: str, password: str, *, ttl: dt.timedelta = SESSION_TTL) -> User:
    """The user with a new session if the password is right; ``PermissionDenied`` otherwise, ``AccountLocked`` when locked.

    After ``MAX_FAILED_LOGINS`` failures in a row the account is locked for
    ``LOCKOUT``; the failure is recorded even though the login fails. Every
    attempt costs one argon2 verification, whether the name is an account or
    not, so the time taken does not tell which names exist; a name that is no
    account is audited as ``user:(不明)``, never as what was typed.
    """
    key = authority.require().key
    ttl = pd.Timedelta(ttl)
    if ttl <= pd.Timedelta(0):
        raise WorkflowError("セッションの有効期間は正の長さにしてください")
    now = pd.Timestamp(utc_now())
    # Failures are committed before the error is raised: a rolled-back
    # failure would neither count towards the lockout nor reach the audit log.
    with engine.begin() as conn:
        row = None
        if username and len(username) <= MAX_USERNAME_LENGTH and "\x00" not in username:
            row = conn.execute(sa.select(users).where(users.c.username == username)).first()
        error = _login_error(conn, key, row, password, now)
        token = None
        if error is None:
            conn.execute(users.update().where(users.c.username == row.username).values(failed_logins=0, locked_until=None))
            token = _issue_session(conn, key, row.username, now, ttl)
            audit.append(conn, row.username, "login", f"user:{row.username}", {})
    if error is not None:
        raise error
    return User(row.username, row.display_name, Role(row.role), token, row.affiliation)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):  # a mismatch is a VerificationError
        return False


def _login_error(conn, key, row, password: str, now: pd.Timestamp) -> Exception | None:
    """None when the login succeeds; else the error, with the failure recorded.

    The password is checked first in every case (against a dummy hash when
    there is no such account) so that each path costs the same.
    """
    matches = _password_matches(_dummy_hash() if row is None else row.password_hash, password)
    if row is None:
        audit.append(conn, UNKNOWN_ACTOR, "login_failed", UNKNOWN_SUBJECT, {"why": "unknown user"})
        return PermissionDenied("ユーザー名かパスワードが違います")
    subject = f"user:{row.username}"
    if not row.active or not user_valid(key, row):
        why = "inactive" if not row.active else "account row not signed by the service"
        audit.append(conn, row.username, "login_failed", subject, {"why": why})
        return PermissionDenied("ユーザー名かパスワードが違います")
    locked_until = None if row.locked_until is None else stored_utc(row.locked_until)
    if locked_until is not None and locked_until > now:
        audit.append(conn, row.username, "login_locked", subject, {})
        return AccountLocked(f"ログインの失敗が続いたため、{locked_until.tz_convert('Asia/Tokyo'):%H:%M}までロックされています")
    if matches:
        return None
    failures = row.failed_logins + 1
    values = {"failed_logins": failures}
    if failures >= MAX_FAILED_LOGINS:
        values = {"failed_logins": 0, "locked_until": (now + LOCKOUT).to_pydatetime()}
    conn.execute(users.update().where(users.c.username == row.username).values(**values))
    audit.append(conn, row.username, "login_failed", subject, {"failures": failures})
    if failures >= MAX_FAILED_LOGINS:
        return AccountLocked(f"ログインに{failures}回失敗したため、アカウントをロックしました")
    return PermissionDenied("ユーザー名かパスワードが違います")


# -- sessions ---------------------------------------------------------------------------

def _session_id(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _session_proof(key: authority.ServiceKey, session_id: str, username: str, expires_at) -> str:
    expires = int(stored_utc(expires_at).timestamp())
    return key.sign("session", {"session": session_id, "username": username, "expires_at": expires})


def _issue_session(conn: sa.Connection, key: authority.ServiceKey, username: str, now: pd.Timestamp,
                   ttl: pd.Timedelta) -> str:
    """Store a new session and return its token: ``<secret>.<the service's signature>``."""
    secret = secrets.token_urlsafe(32)
    session_id = _session_id(secret)
    expires_at = (now + ttl).ceil("s")  # whole seconds, as signed; never shorter than asked
    conn.execute(sessions.insert().values(session_id=session_id, username=username, issued_at=now.to_pydatetime(),
                                          expires_at=expires_at.to_pydatetime()))
    return f"{secret}.{_session_proof(key, session_id, username, expires_at)}"


def _session_account(conn: sa.Connection, token: str | None, username: str | None = None):
    """The ``users`` row behind a valid session token; ``PermissionDenied`` naming the fix otherwise."""
    key = authority.require().key
    if not token:
        raise PermissionDenied("ログインしていません(anshin service にログインしてから操作してください)")
    secret, _, proof = str(token).partition(".")
    session_id = _session_id(secret)
    row = conn.execute(sa.select(sessions).where(sessions.c.session_id == session_id)).first()
    if (row is None or (username is not None and row.username != username)
            or not hmac.compare_digest(_session_proof(key, session_id, row.username, row.expires_at), proof)):
        raise PermissionDenied(f"このログインはサービスが発行したものではありません: {RELOGIN}")
    if row.revoked_at is not None:
        raise PermissionDenied(f"ログアウト済みのログインです: {RELOGIN}")
    if stored_utc(row.expires_at) <= pd.Timestamp(utc_now()):
        raise PermissionDenied(f"ログインの有効期限が切れました: {RELOGIN}")
    account = conn.execute(sa.select(users).where(users.c.username == row.username)).first()
    if account is None or not account.active:
        raise PermissionDenied(f"ユーザー「{row.username}」は有効ではありません(管理者に確認してください)")
    if not user_valid(key, account):
        raise PermissionDenied(f"ユーザー「{row.username}」の記録がサービスの署名と一致しません(管理者に連絡してください)")
    return account


def current_role(conn: sa.Connection, user: User) -> Role:
    """The role stored now, for a user whose session the service issued and which is still valid.

    A role changed since login counts, not the one in ``user``. Refused
    (``PermissionDenied``) without the service's key, without a session (a
    ``User(...)`` built by hand), with a session that is expired, logged out,
    made up or someone else's, for an inactive account, or for an account row
    whose role or active flag was edited outside the service.
    """
    return Role(_session_account(conn, user.session, user.username).role)


def current_affiliation(conn: sa.Connection, user: User) -> tuple[Role, str | None]:
    """(role, stored 所属) now, checked as :func:`current_role` checks the role (None: none recorded)."""
    account = _session_account(conn, user.session, user.username)
    return Role(account.role), account.affiliation


def session_user(engine: sa.Engine, token: str) -> User:
    """The logged-in user a session token stands for (the service reading a client's request)."""
    with engine.connect() as conn:
        account = _session_account(conn, token)
    return User(account.username, account.display_name, Role(account.role), token, account.affiliation)


def logout(engine: sa.Engine, user: User) -> None:
    """End ``user``'s session: it is refused from now on."""
    authority.require()
    if not user.session:
        return
    session_id = _session_id(str(user.session).partition(".")[0])
    with engine.begin() as conn:
        done = conn.execute(sessions.update().where(sessions.c.session_id == session_id,
                                                    sessions.c.username == user.username,
                                                    sessions.c.revoked_at.is_(None))
                            .values(revoked_at=utc_now()))
        if done.rowcount:
            audit.append(conn, user.username, "logout", f"user:{user.username}", {})


# -- account administration -----------------------------------------------------------------

def unlock(engine: sa.Engine, actor: User, username: str) -> None:
    """Lift a lockout (admin only)."""
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.ADMIN})
        conn.execute(users.update().where(users.c.username == username).values(failed_logins=0, locked_until=None))
        audit.append(conn, actor.username, "user_unlock", f"user:{username}", {})


def set_role(engine: sa.Engine, actor: User, username: str, role: Role | str) -> None:
    """Change a user's role (admin only); steps taken later use the new role.

    An account row whose signature no longer holds (edited outside the
    service) is not re-signed: deactivate it and create the account again.
    """
    role = Role(role)
    key = authority.require().key
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.ADMIN})
        row = _signed_account(conn, key, username)
        if is_station(row.affiliation) and role not in STATION_ROLES:
            raise WorkflowError(f"{role.label}の所属は本部の課です(先に anshin users set-affiliation {username} "
                                "--affiliation 本部 で所属を変えてください)")
        conn.execute(users.update().where(users.c.username == username).values(
            role=role.value, signature=sign_user(key, username, role, row.active, row.affiliation)))
        audit.append(conn, actor.username, "user_role", f"user:{username}", {"from": row.role, "to": role.value})


def _signed_account(conn: sa.Connection, key, username: str):
    """The account's row, refused when missing or when its signature no longer holds (edited outside the service)."""
    row = conn.execute(sa.select(users).where(users.c.username == username)).first()
    if row is None:
        raise WorkflowError(f"ユーザー「{username}」はありません")
    if not user_valid(key, row):
        raise PermissionDenied(f"ユーザー「{username}」の記録がサービスの署名と一致しません"
                               "(無効にしてからアカウントを作り直してください)")
    return row


def deactivate(engine: sa.Engine, actor: User, username: str) -> None:
    """Disable an account (admin only): its sessions and steps are refused from now on."""
    key = authority.require().key
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.ADMIN})
        row = conn.execute(sa.select(users.c.role, users.c.affiliation).where(users.c.username == username)).first()
        if row is None:
            raise WorkflowError(f"ユーザー「{username}」はありません")
        conn.execute(users.update().where(users.c.username == username).values(
            active=False, signature=sign_user(key, username, row.role, False, row.affiliation)))
        conn.execute(sessions.update().where(sessions.c.username == username, sessions.c.revoked_at.is_(None))
                     .values(revoked_at=utc_now()))
        audit.append(conn, actor.username, "user_deactivate", f"user:{username}", {})


def set_affiliation(engine: sa.Engine, actor: User, username: str, affiliation: str, *, stations=None) -> str:
    """Record ``username``'s 所属 (admin only), re-signing the account; returns the 所属 as recorded.

    Checked as :func:`add_user` checks it. This is how an account made before
    accounts had a 所属 gets one (a station chief acts only once it has).
    """
    key = authority.require().key
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.ADMIN})
        row = _signed_account(conn, key, username)
        recorded = resolve_affiliation(row.role, affiliation, stations)
        conn.execute(users.update().where(users.c.username == username).values(
            affiliation=recorded, signature=sign_user(key, username, row.role, row.active, recorded)))
        audit.append(conn, actor.username, "user_affiliation", f"user:{username}",
                     {"from": row.affiliation, "to": recorded})
    return recorded


def designate_operator(engine: sa.Engine, actor: User, username: str) -> None:
    """Record that ``actor`` (生活安全企画課長) designates ``username`` as a send operator."""
    key = authority.require().key
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.HQ_PLANNING_CHIEF})
        target = conn.execute(sa.select(users).where(users.c.username == username)).first()
        if target is None or Role(target.role) != Role.OPERATOR or not target.active or not user_valid(key, target):
            raise WorkflowError(f"「{username}」は発信操作担当者(operator)の有効なアカウントではありません")
        if is_designated(conn, username):
            return
        values = {"username": username, "designated_by": actor.username, "designated_at": utc_now(),
                  "revoked_by": None, "revoked_at": None}
        conn.execute(operator_designations.insert().values(**values, signature=sign_designation(key, values)))
        audit.append(conn, actor.username, "operator_designate", f"user:{username}", {})


def revoke_operator(engine: sa.Engine, actor: User, username: str) -> None:
    """End a designation (生活安全企画課長); the revocation is signed with the row, so it cannot be undone by hand."""
    key = authority.require().key
    with engine.begin() as conn:
        _require_role(conn, actor, {Role.HQ_PLANNING_CHIEF})
        current = conn.execute(sa.select(operator_designations).where(
            operator_designations.c.username == username, operator_designations.c.revoked_at.is_(None))).mappings().all()
        now = utc_now()
        for row in current:
            values = {**row, "revoked_by": actor.username, "revoked_at": now}
            conn.execute(operator_designations.update()
                         .where(operator_designations.c.designation_id == row["designation_id"])
                         .values(revoked_by=actor.username, revoked_at=now, signature=sign_designation(key, values)))
        audit.append(conn, actor.username, "operator_revoke", f"user:{username}", {})


def is_designated(conn: sa.Connection, username: str) -> bool:
    """Whether ``username`` holds a current operator designation the service signed."""
    key = authority.require().key
    query = sa.select(operator_designations).where(
        operator_designations.c.username == username, operator_designations.c.revoked_at.is_(None))
    return any(designation_valid(key, row) for row in conn.execute(query))


def _require_role(conn: sa.Connection, user: User, roles: set[Role]) -> None:
    if current_role(conn, user) not in roles:
        raise PermissionDenied(f"この操作は{'・'.join(r.label for r in roles)}だけが行えます")


def list_users(engine: sa.Engine) -> pd.DataFrame:
    """Accounts with their role, 所属, lock state and designation (no password hashes).

    In the service the designation column counts signed designations only;
    elsewhere it shows what the database says.
    """
    with engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.username, users.c.display_name, users.c.role, users.c.affiliation,
                                      users.c.active, users.c.locked_until)).mappings().all()
        frame = pd.DataFrame(rows, columns=["username", "display_name", "role", "affiliation", "active", "locked_until"])
        frame["affiliation"] = [effective_affiliation(role, stored if isinstance(stored, str) else None)
                                or "未設定(管理者が設定)" for role, stored in zip(frame["role"], frame["affiliation"])]
        if authority.current() is not None:
            frame["designated_operator"] = [is_designated(conn, u) for u in frame["username"]]
        else:
            current = operator_designations.c.revoked_at.is_(None)
            named = set(conn.execute(sa.select(operator_designations.c.username).where(current)).scalars())
            frame["designated_operator"] = frame["username"].isin(named)
    return frame


def login_from_environment(engine: sa.Engine) -> User | None:
    """The user named by ``ANSHIN_USER`` with ``ANSHIN_PASSWORD`` (secrets come only from the environment).

    None when ``ANSHIN_USER`` is not set; a wrong password raises as ``authenticate`` does.
    """
    username = os.environ.get("ANSHIN_USER")
    if not username:
        return None
    return authenticate(engine, username, os.environ.get("ANSHIN_PASSWORD", ""))
