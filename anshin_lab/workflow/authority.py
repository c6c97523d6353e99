"""The service's key: what makes an approval, a consent, a session or an audit entry unforgeable.

The key is 32 random bytes in a file only the service's OS user can read
(``anshin service`` loads it; notebooks and the CLI never do). Everything the
directive's gates rely on is signed with it (HMAC-SHA256 over a purpose and a
canonical JSON payload), so a row edited or inserted in the database by hand
carries no valid signature and counts for nothing.

A process that acts as the service installs the key once (:func:`install`);
every workflow step that writes asks for it (:func:`require`), so a kernel
without the key cannot approve, record consent or send, whatever it calls.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from anshin_lab.core.errors import ConfigError, PermissionDenied

KEY_BYTES = 32


def canonical(payload) -> bytes:
    """The one byte form a payload is signed in: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def content_digest(payload) -> str:
    """SHA-256 of the canonical form (not keyed: what an approval signs is this digest)."""
    return hashlib.sha256(canonical(payload)).hexdigest()


@dataclass(frozen=True)
class ServiceKey:
    """The HMAC key; ``sign``/``verify`` bind a signature to one purpose so one kind can't stand in for another."""

    secret: bytes

    def __repr__(self) -> str:  # never print the secret
        return "ServiceKey(…)"

    def sign(self, purpose: str, payload) -> str:
        return hmac.new(self.secret, purpose.encode("ascii") + b"\x00" + canonical(payload), hashlib.sha256).hexdigest()

    def verify(self, purpose: str, payload, signature: str | None) -> bool:
        if not signature:
            return False
        return hmac.compare_digest(self.sign(purpose, payload), str(signature))


def create_key(path: str | Path) -> ServiceKey:
    """Write a new key file readable only by its owner (0600); an existing key is never replaced."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    secret = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret.hex().encode("ascii"))
    return ServiceKey(secret)


def load_key(path: str | Path) -> ServiceKey:
    """The key in ``path``; refuses a file others can read (the guarantee would be gone)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"サービスの鍵 {path} がありません(anshin init で作成します)") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"サービスの鍵 {path} を他のユーザーが読めます(chmod 600 {path} にしてください)")
    try:
        secret = bytes.fromhex(path.read_text("ascii").strip())
    except (OSError, ValueError) as error:
        raise ConfigError(f"サービスの鍵 {path} を読めません: {error}") from None
    if len(secret) != KEY_BYTES:
        raise ConfigError(f"サービスの鍵 {path} の長さが違います")
    return ServiceKey(secret)


@dataclass(frozen=True)
class Authority:
    """What the service holds: the key, and the append-only file the audit chain's head is anchored in."""

    key: ServiceKey
    audit_anchor: Path | None = None


_installed: Authority | None = None


def install(authority: Authority) -> None:
    """Make this process the service (``anshin service``, the demo, a test acting as the service)."""
    global _installed
    _installed = authority


def uninstall() -> None:
    """Forget the key (tests; a process that stops acting as the service)."""
    global _installed
    _installed = None


def current() -> Authority | None:
    """The installed authority, or None in a process that is not the service."""
    return _installed


def require() -> Authority:
    """The installed authority; ``PermissionDenied`` naming the fix when this process is not the service."""
    if _installed is None:
        raise PermissionDenied("承認・同意の記録・発信は anshin service を通して行ってください"
                               "(このプロセスはサービスの鍵を持っていません)")
    return _installed
