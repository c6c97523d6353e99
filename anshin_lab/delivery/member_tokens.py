"""Signed, single-purpose tokens for the member site (confirm, preferences, unsubscribe, resubscribe).

A token is ``<body>.<mac>``: the body (base64url) carries the member id,
the expiry and a random nonce; the MAC is HMAC-SHA256 with the member
site's key over the purpose and the body, so a token made for one purpose
is worth nothing for another, and a changed character makes it forged.
The key is 32 random bytes in ``<workspace>/secrets/members.key`` (0600,
created on first use), separate from the service's key: the member site
never holds the key that signs approvals.

Purposes that change a member's state once (``confirm``, ``resubscribe``)
are single use: :func:`verify` records the SHA-256 of the token in
``member_token_uses`` in the same call, so a second use is refused even in
another process. ``preferences`` and ``unsubscribe`` may be used until they
expire (a member saves the form several times; a second one-click
unsubscribe changes nothing). Form tokens (:func:`form_token`) bind a form
to a member (or a browser's cookie) and one purpose, against CSRF.

    tokens = install(ws.root / "secrets" / "members.key", engine)
    link = issue("confirm", member_id)
    member_id = verify("confirm", link_token)          # TokenRefused when forged, used or expired
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
import threading
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from anshin_lab.core.errors import AnshinError, ConfigError
from anshin_lab.storage.schema import member_token_uses

__all__ = ["KEY_NAME", "PURPOSES", "MemberTokens", "TokenRefused", "check_form_token", "form_token", "install",
           "installed", "issue", "load_member_key", "uninstall", "verify"]

KEY_NAME = "members.key"
KEY_BYTES = 32
# purpose -> (default lifetime, single use)
PURPOSES = {
    "confirm": (pd.Timedelta(hours=48), True),
    "resubscribe": (pd.Timedelta(hours=48), True),
    "preferences": (pd.Timedelta(days=7), False),
    "unsubscribe": (pd.Timedelta(days=400), False),
}
FORM_VALID = pd.Timedelta(hours=2)
REFUSED = "このリンクは無効か、期限切れか、すでに使われています(届いたメールから、もう一度お手続きください)"


class TokenRefused(AnshinError):
    """A token that is forged, of another purpose, expired or already used (the message says none of which).

    ``reason`` (forged / expired / used) is for logs and tests, never for the page.
    """

    def __init__(self, message: str = REFUSED, reason: str = "forged"):
        super().__init__(message, reason)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_member_key(path: str | Path) -> bytes:
    """The member site's key in ``path``, created (0600, folder 0700) when missing; refuses one others can read."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago: read that one
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES).hex().encode("ascii"))
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"会員ページの鍵 {path} を他のユーザーが読めます(chmod 600 {path} にしてください)")
    try:
        secret = bytes.fromhex(path.read_text("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"会員ページの鍵 {path} が壊れています(削除すると新しい鍵が作られ、"
                          "それまでのリンクは無効になります)") from None
    if len(secret) < KEY_BYTES:
        raise ConfigError(f"会員ページの鍵 {path} が短すぎます(削除すると新しい鍵が作られます)")
    return secret


class MemberTokens:
    """Issues and checks the member site's tokens with one key; records single-use tokens in ``engine``."""

    def __init__(self, secret: bytes, engine: sa.Engine):
        self._secret = secret
        self.engine = engine

    def __repr__(self) -> str:  # never print the key
        return "MemberTokens(…)"

    def _mac(self, purpose: str, body: str) -> str:
        digest = hmac.new(self._secret, purpose.encode("ascii") + b"\x00" + body.encode("ascii"), hashlib.sha256)
        return _b64(digest.digest()[:20])

    def issue(self, purpose: str, member_id: str, *, ttl: pd.Timedelta | None = None) -> str:
        """A token for ``member_id`` and ``purpose``, valid for ``ttl`` (the purpose's default when None)."""
        lifetime = _purpose(purpose)[0] if ttl is None else pd.Timedelta(ttl)
        expires = int((pd.Timestamp.now(tz="UTC") + lifetime).timestamp())
        body = _b64(f"{member_id}\x00{expires}\x00".encode("utf-8") + secrets.token_bytes(12))
        return f"{body}.{self._mac(purpose, body)}"

    def verify(self, purpose: str, token: str | None, *, consume: bool | None = None) -> str:
        """The member id of a valid ``token`` for ``purpose``; ``TokenRefused`` when forged, expired or used.

        A single-use purpose's token is recorded as used (``consume``
        defaults to the purpose's rule; ``consume=False`` only checks, as a
        page showing the confirm button does).
        """
        single_use = _purpose(purpose)[1]
        member_id, expires = self._open(purpose, token or "")
        if not single_use:
            return member_id
        digest = hashlib.sha256(token.encode("ascii")).hexdigest()
        with self.engine.begin() as conn:
            if not (single_use if consume is None else consume):
                used = conn.execute(sa.select(member_token_uses.c.token_hash)
                                    .where(member_token_uses.c.token_hash == digest)).first()
                if used is not None:
                    raise TokenRefused(reason="used")
                return member_id
            try:
                conn.execute(member_token_uses.insert().values(
                    token_hash=digest, purpose=purpose, member_id=member_id,
                    used_at=pd.Timestamp.now(tz="UTC").to_pydatetime(), expires_at=expires.to_pydatetime()))
            except IntegrityError:
                raise TokenRefused(reason="used") from None
        return member_id

    def _open(self, purpose: str, token: str) -> tuple[str, pd.Timestamp]:
        body, dot, mac = token.partition(".")
        if not dot or len(token) > 256 or not hmac.compare_digest(self._mac(purpose, body), mac):
            raise TokenRefused(reason="forged")
        try:
            member_id, expires, _ = _unb64(body).split(b"\x00", 2)
            member_id, expires = member_id.decode("utf-8"), pd.Timestamp(int(expires), unit="s", tz="UTC")
        except ValueError:
            raise TokenRefused(reason="forged") from None
        if expires < pd.Timestamp.now(tz="UTC"):
            raise TokenRefused(reason="expired")
        return member_id, expires

    def form_token(self, purpose: str, subject: str) -> str:
        """A CSRF token for a form of ``purpose`` bound to ``subject`` (a member id, or a browser cookie's nonce)."""
        return self.issue(f"form-{purpose}", subject, ttl=FORM_VALID)

    def check_form_token(self, purpose: str, subject: str, token: str | None) -> bool:
        """True when ``token`` was made by :meth:`form_token` for this purpose and subject and has not expired."""
        try:
            return hmac.compare_digest(self._open(f"form-{purpose}", token or "")[0], subject)
        except TokenRefused:
            return False

    def forget_expired(self) -> int:
        """Delete the used-token rows whose tokens have expired anyway; returns how many."""
        with self.engine.begin() as conn:
            return conn.execute(member_token_uses.delete().where(
                member_token_uses.c.expires_at < pd.Timestamp.now(tz="UTC").to_pydatetime())).rowcount


def _purpose(purpose: str) -> tuple[pd.Timedelta, bool]:
    if purpose.startswith("form-"):
        return FORM_VALID, False
    try:
        return PURPOSES[purpose]
    except KeyError:
        raise ConfigError(f"トークンの用途「{purpose}」はありません({'・'.join(PURPOSES)} のどれかです)") from None


# -- the process's tokens (the member site, the registration reply) ---------------------------------

_installed: MemberTokens | None = None
_lock = threading.Lock()


def install(key_path: str | Path, engine: sa.Engine) -> MemberTokens:
    """Load (or create) the key at ``key_path`` and make :func:`issue` / :func:`verify` use it with ``engine``."""
    global _installed
    tokens = MemberTokens(load_member_key(key_path), engine)
    with _lock:
        _installed = tokens
    return tokens


def uninstall() -> None:
    global _installed
    with _lock:
        _installed = None


def installed() -> MemberTokens:
    """The tokens :func:`install` set up; ``ConfigError`` naming the fix when none."""
    tokens = _installed
    if tokens is None:
        raise ConfigError("会員ページの鍵が読み込まれていません(delivery.member_tokens.install(作業領域/secrets/"
                          "members.key, engine) を先に呼んでください)")
    return tokens


def issue(purpose: str, member_id: str, *, ttl: pd.Timedelta | None = None) -> str:
    """:meth:`MemberTokens.issue` with the installed key."""
    return installed().issue(purpose, member_id, ttl=ttl)


def verify(purpose: str, token: str | None, *, consume: bool | None = None) -> str:
    """:meth:`MemberTokens.verify` with the installed key: the member id, or ``TokenRefused``."""
    return installed().verify(purpose, token, consume=consume)


def form_token(purpose: str, subject: str) -> str:
    return installed().form_token(purpose, subject)


def check_form_token(purpose: str, subject: str, token: str | None) -> bool:
    return installed().check_form_token(purpose, subject, token)
