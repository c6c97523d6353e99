"""How mail is sent: the relay, per-carrier rate limits and the delivery options, read from the settings."""

from __future__ import annotations

import dataclasses
import ssl
from dataclasses import dataclass, field
from typing import Mapping

from anshin_lab.core.directive import POLICE_NAME, SENDER_DOMAIN, SERVICE_NAME
from anshin_lab.core.errors import DeliveryError
from anshin_lab.core.settings import load_settings

# Japanese mobile carriers throttle bulk senders: messages per second per destination domain.
DEFAULT_RATE_LIMITS = ("docomo.ne.jp=20,ezweb.ne.jp=20,au.com=20,softbank.ne.jp=20,i.softbank.jp=20,"
                       "ymobile.ne.jp=20,uqmobile.jp=20")
SECURITY_MODES = ("auto", "starttls", "tls", "none")


@dataclass(frozen=True)
class Relay:
    """Where mail is handed over: an SMTP relay, with its TLS mode and login."""

    host: str
    port: int
    security: str = "auto"  # auto: STARTTLS when offered; starttls: required; tls: implicit TLS; none
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""  # CA bundle for an intranet relay's certificate ("" = the system's)
    timeout_s: float = 30.0  # connecting, greeting, EHLO/STARTTLS/AUTH, RSET; a transaction's waits are options'

    def __post_init__(self):
        if self.security not in SECURITY_MODES:
            raise DeliveryError(f"SMTP の暗号化「{self.security}」は使えません({'・'.join(SECURITY_MODES)})")

    def client_kwargs(self, local_hostname: str | None = None) -> dict:
        """aiosmtplib's connection arguments for this relay (TLS mode, CA bundle, login)."""
        kwargs = {"hostname": self.host, "port": self.port, "timeout": self.timeout_s,
                  "use_tls": self.security == "tls",
                  "start_tls": {"auto": None, "starttls": True, "tls": False, "none": False}[self.security]}
        if local_hostname is not None:  # the sender's HELO name; None leaves aiosmtplib's default
            kwargs["local_hostname"] = local_hostname
        if self.ca_file:
            kwargs["tls_context"] = ssl.create_default_context(cafile=self.ca_file)
        if self.username:
            kwargs["username"], kwargs["password"] = self.username, self.password
        return kwargs

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def parse_relay(text: str, **options) -> Relay:
    """A ``Relay`` from ``HOST:PORT`` (``[::1]:25`` for IPv6) and keyword options."""
    host, sep, port = str(text).strip().rpartition(":")
    if not sep or not host or not port.isdigit():
        raise DeliveryError(f"SMTP リレーは HOST:PORT の形で指定してください: {text}")
    return Relay(host.strip("[]"), int(port), **options)


def parse_rate_limits(text: str | Mapping | None) -> dict[str, float]:
    """``{"docomo.ne.jp": 20.0, …}`` from ``"docomo.ne.jp=20,ezweb.ne.jp=20"`` (messages per second)."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k).lower(): float(v) for k, v in text.items()}
    limits = {}
    for part in str(text).split(","):
        if not part.strip():
            continue
        domain, sep, rate = part.partition("=")
        try:
            value = float(rate)
        except ValueError:
            value = 0.0
        if not sep or not domain.strip() or value <= 0:
            raise DeliveryError(f"ドメイン別の送信速度「{part.strip()}」を読めません(例: docomo.ne.jp=20)")
        limits[domain.strip().lower()] = value
    return limits


@dataclass(frozen=True)
class DeliveryOptions:
    """How messages are built and sent; :func:`options_from_settings` fills it from the settings."""

    sender_domain: str = SENDER_DOMAIN
    sender_local: str = "anshin"
    # Up to 12 kanji/kana fit one encoded word; longer names are split in two, which some readers show with a gap.
    sender_name: str = SERVICE_NAME
    organisation: str = POLICE_NAME
    unsubscribe_url: str = ""  # "" = https://<sender_domain>/unsubscribe
    confirm_url: str = ""  # "" = https://<sender_domain>/confirm
    # Measured (issue 20): `python -m benchmarks send --recipients 100000` against the 2 ms sink
    # (`python -m tests.smtp_faults --delay-ms 2`, PIPELINING offered), 2 cores shared, load 2.5-8.8,
    # medians of 3 runs, msg/s (plain smtplib on as many connections in the same runs):
    #   4: 1,320 (391)   8: 2,431 (690)   16: 2,724 (1,143)   32: 4,585 (1,961)   64: 5,041 (3,076)
    # 32 is the knee: 64 adds a tenth for twice the relay's connections (Postfix lets one client 50).
    connections: int = 32
    rate_limits: Mapping[str, float] = field(default_factory=lambda: parse_rate_limits(DEFAULT_RATE_LIMITS))
    retry_initial_s: float = 1.0
    retry_max_s: float = 30.0
    retry_window_s: float = 600.0
    connect_attempts: int = 5
    bounce_limit: int = 3
    # The client's waits of RFC 5321 §4.5.3.2, in seconds: MAIL 5 min, RCPT 5 min, DATA initiation
    # 2 min, a data block 3 min, and 10 min for the reply to the final dot (§4.5.3.2.6): a relay
    # that is slow to answer has usually accepted the message, and giving up sooner sends it twice.
    mail_timeout_s: float = 300.0
    rcpt_timeout_s: float = 300.0
    data_timeout_s: float = 120.0
    data_block_timeout_s: float = 180.0
    data_end_timeout_s: float = 600.0
    # 5xx replies not about the address (content or relay) for this many recipients in a row: stop.
    content_fault_limit: int = 3
    # The stop request and the workflow gate are checked again at least this often while sending...
    check_interval_s: float = 1.0
    # ... and after this many messages, whichever comes first.
    check_every: int = 1000
    dkim_key_path: str = ""
    dkim_selector: str = "anshin"
    helo_name: str = ""  # "" = this machine's host name (no DNS look-up)

    @property
    def sender(self) -> str:
        return f"{self.sender_local}@{self.sender_domain}"

    @property
    def unsubscribe_base(self) -> str:
        return self.unsubscribe_url or f"https://{self.sender_domain}/unsubscribe"

    @property
    def confirm_base(self) -> str:
        return self.confirm_url or f"https://{self.sender_domain}/confirm"


def options_from_settings(settings=None, **overrides) -> DeliveryOptions:
    """Delivery options from the settings object; fields it lacks keep their defaults.

    Setting names: ``sender_domain``, ``sender_local``, ``sender_name``,
    ``organisation``, ``unsubscribe_url``, ``confirm_url``,
    ``smtp_connections``, ``rate_limits``, ``retry_initial_s``, ``retry_max_s``,
    ``retry_window_s``, ``bounce_limit``, ``dkim_key_path``, ``dkim_selector``,
    and (when the settings have them) ``data_end_timeout_s`` and the other RFC 5321 waits.
    """
    settings = settings or load_settings()
    values = {}
    for f in dataclasses.fields(DeliveryOptions):
        name = "smtp_connections" if f.name == "connections" else f.name
        if hasattr(settings, name):
            value = getattr(settings, name)
            if f.name == "rate_limits":
                value = parse_rate_limits(value)
            elif isinstance(f.default, (int, float)):
                value = type(f.default)(value)
            elif isinstance(f.default, str):
                value = str(value)
            values[f.name] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    return DeliveryOptions(**values)


def relay_from_settings(settings=None, hostport: str | None = None) -> Relay:
    """The relay of ``--smtp HOST:PORT`` (else the settings' host and port), login and TLS from the settings.

    Setting names: ``smtp_host``, ``smtp_port``, ``smtp_security``,
    ``smtp_user``, ``smtp_password`` (secret), ``smtp_ca_file``, ``smtp_timeout_s``.
    """
    settings = settings or load_settings()
    extra = {"security": getattr(settings, "smtp_security", "auto"),
             "username": getattr(settings, "smtp_user", ""),
             "password": getattr(settings, "smtp_password", ""),
             "ca_file": str(getattr(settings, "smtp_ca_file", "") or ""),
             "timeout_s": float(getattr(settings, "smtp_timeout_s", 30))}
    if hostport:
        return parse_relay(hostport, **extra)
    return Relay(settings.smtp_host, int(settings.smtp_port), **extra)
