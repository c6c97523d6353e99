"""The messages: an alert's mail for one member (headers, footer, unsubscribe links, DKIM) and the opt-in mail.

Pure building of bytes: nothing here reads the database or talks SMTP. Text
from the records (a 手口 with a line break, a NUL from a broken export)
never stops a send: header values are put on one line and control
characters are dropped before the mail is built (:func:`header_text`,
:func:`body_text`). A Message-ID is random (:func:`new_message_id`): it
says nothing about the member or the alert.
"""

from __future__ import annotations

import binascii
import email.policy
import email.utils
import re
import secrets
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

from anshin_lab.core.clock import TOKYO_NAME
from anshin_lab.core.errors import DeliveryError
from anshin_lab.delivery.options import DeliveryOptions
from anshin_lab.delivery.replies import plain_address
from anshin_lab.drafting.languages import DEFAULT_LANGUAGE, language, localize
from anshin_lab.drafting.languages.render import strings
from anshin_lab.workflow.alerts import published_fields

# Headers the DKIM signature covers (RFC 8058 §4 asks for the List-Unsubscribe pair).
DKIM_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"list-unsubscribe", b"list-unsubscribe-post",
                b"mime-version", b"content-type", b"content-transfer-encoding")


class _MailPolicy(email.policy.EmailPolicy):
    """``email.policy.SMTP``, except that List-Unsubscribe is folded between its URIs.

    The package folds an over-long word of an unstructured header by turning
    it into encoded words, which would hide the URIs from the receiving
    system; the URIs are ASCII, so each goes on its own line instead.
    """

    def fold(self, name, value):
        if name.lower() == "list-unsubscribe":
            return f"{name}:{self.linesep} " + f",{self.linesep} ".join(str(value).split(", ")) + self.linesep
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "list-unsubscribe":
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy(linesep="\r\n")


# Line breaks (and what some readers take for one) become a space in a header; other control
# characters (C0 but tab and line breaks, DEL, C1) are dropped from headers and bodies alike.
_BREAKS = re.compile("[\r\n\t\v\f\x85\u2028\u2029]+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def header_text(value) -> str:
    """``value`` as one header line: line breaks and tabs become a space, control characters go."""
    text = _BREAKS.sub(" ", _valid_unicode(value))
    return " ".join(_CONTROL.sub("", text).split(" ")).strip()


def body_text(value) -> str:
    """``value`` with ``\\n`` line ends and no control characters but tabs and line ends."""
    text = _valid_unicode(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n"))


def _valid_unicode(value) -> str:
    # A lone surrogate (text decoded with errors="surrogateescape") cannot be encoded: replace it.
    return str(value).encode("utf-8", "replace").decode("utf-8")


def new_message_id(domain: str) -> str:
    """A new Message-ID on the sender domain: 128 random bits, nothing about the member or the alert.

    The outbox stores it when the row is queued, so every attempt at that
    message carries the same one (what the receiving side deduplicates on).
    """
    return f"<{secrets.token_hex(16)}@{domain}>"


def unsubscribe_links(token: str, options: DeliveryOptions) -> tuple[str, str]:
    """The one-click HTTPS link and the mailto fallback for a member's unsubscribe token."""
    return f"{options.unsubscribe_base}?t={token}", f"mailto:unsubscribe@{options.sender_domain}?subject={token}"


def render_body(body: str, unsubscribe_url: str, options: DeliveryOptions, language_code: str = DEFAULT_LANGUAGE) -> str:
    """The alert text with the footer the law asks for: sender, how to stop the mail (特定電子メール法).

    A version in another language (``language_code``) adds the same two
    lines in that language under the Japanese ones, with the same link.
    """
    text = body_text(body).rstrip("\n")
    footer = (f"{text}\n\n――――――――――\n{options.sender_name}({options.organisation})\n"
              f"配信の停止: {unsubscribe_url}\n※このメールは送信専用です。返信はできません。\n")
    code = language(language_code).code
    if code != DEFAULT_LANGUAGE:
        words = strings(code)
        footer += f"{words['unsubscribe'].format(url=unsubscribe_url)}\n{words['no_reply']}\n"
    return footer


def alert_text(alert, language_code: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """The subject and body an alert is sent with in ``language_code``: exactly what was approved.

    Japanese (and any code not in ``drafting.languages.LANGUAGES``): the
    approved subject and body. Another language: its version rendered from
    the alert's stored published fields (signed with the content, so the
    gate refuses them once edited) with the versioned templates.
    """
    code = language(language_code).code
    if code == DEFAULT_LANGUAGE:
        return alert.subject, alert.body
    version = localize(published_fields(alert), code)
    return version.subject, version.body


def build_message(*, subject: str, body: str, to: str, message_id: str, date, unsubscribe_token: str,
                  options: DeliveryOptions, language_code: str = DEFAULT_LANGUAGE) -> EmailMessage:
    """One member's message, built whole with the ``email`` package (the reference for ``MessageTemplate``).

    Plain text (what phones show best), UTF-8 in base64, the subject as an
    encoded word, ``From`` on the sender domain, ``Date``, the fixed
    ``Message-ID`` and the RFC 8058 one-click unsubscribe headers; a version
    in another language says so in ``Content-Language``.
    """
    url, mailto = unsubscribe_links(unsubscribe_token, options)
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = Address(header_text(options.sender_name), options.sender_local, options.sender_domain)
    msg["To"] = to
    msg["Subject"] = header_text(subject)
    msg["Date"] = email.utils.format_datetime(pd.Timestamp(date).tz_convert(TOKYO_NAME).to_pydatetime())
    msg["Message-ID"] = message_id
    msg["List-Unsubscribe"] = f"<{url}>, <{mailto}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    code = language(language_code).code
    msg.set_content(render_body(body, url, options, code), charset="utf-8", cte="base64")
    if code != DEFAULT_LANGUAGE:  # after set_content, which replaces the Content-* headers
        msg["Content-Language"] = language(code).html_lang
    return msg


_TO = "anshin-to-placeholder@placeholder.invalid"
_MID = "<anshin-message-id-placeholder@placeholder.invalid>"
_TOKEN = "T" * 32  # the length of secrets.token_urlsafe(24), so headers fold as they would
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-]{1,128}")


class MessageTemplate:
    """An alert's message, built once with the ``email`` package, then filled in per member.

    Building a whole ``EmailMessage`` costs milliseconds; a batch of 100,000
    cannot afford that. The template is the ``email`` package's own output
    for the alert with placeholder recipient, Message-ID and token; ``render``
    puts in the member's values (ASCII by construction) and base64-encodes
    the body exactly as the package does. A test checks that both ways give
    the same message.
    """

    def __init__(self, *, subject: str, body: str, date, options: DeliveryOptions, signer=None,
                 language_code: str = DEFAULT_LANGUAGE):
        self.options = options
        self.signer = signer
        reference = build_message(subject=subject, body=body, to=_TO, message_id=_MID, date=date,
                                  unsubscribe_token=_TOKEN, options=options, language_code=language_code)
        raw = reference.as_bytes()
        head, _, _ = raw.partition(b"\r\n\r\n")
        self._head = head + b"\r\n\r\n"
        url_placeholder = unsubscribe_links(_TOKEN, options)[0]
        self._body = render_body(body, url_placeholder, options, language_code)

    def render(self, *, to: str, message_id: str, unsubscribe_token: str) -> bytes:
        """The message for one member, as bytes ready for DATA (DKIM-signed when a key is set).

        ``DeliveryError`` for an address or token that could break a header line.
        """
        if not plain_address(to) or not _TOKEN_CHARS.fullmatch(unsubscribe_token or ""):
            raise DeliveryError("宛先か配信停止用の値の形式が正しくないため、この会員には送れません(会員情報を確認してください)")
        head = (self._head.replace(_TO.encode(), to.encode("ascii"))
                .replace(_MID.encode(), message_id.encode("ascii"))
                .replace(_TOKEN.encode(), unsubscribe_token.encode("ascii")))
        url = unsubscribe_links(unsubscribe_token, self.options)[0]
        text = self._body.replace(unsubscribe_links(_TOKEN, self.options)[0], url)
        message = head + _base64_body(text)
        return self.signer.sign(message) if self.signer is not None else message


def _base64_body(text: str) -> bytes:
    # What email.contentmanager does for cte="base64" under policy SMTP: CRLF lines, 57 bytes per line.
    data = b"\r\n".join(text.encode("utf-8").splitlines()) + b"\r\n"
    lines = (binascii.b2a_base64(data[i:i + 57], newline=False) for i in range(0, len(data), 57))
    return b"\r\n".join(lines) + b"\r\n"


class DkimSigner:
    """DKIM-signs messages (dkimpy) with a PEM private key: RSA, or Ed25519 (RFC 8463)."""

    def __init__(self, key_path, selector: str, domain: str):
        import dkim  # why: dkimpy takes 0.2 s to import and is needed only when a DKIM key is configured

        self._dkim = dkim
        try:
            self.key = Path(key_path).read_bytes()
        except OSError as exc:
            raise DeliveryError(f"DKIM の秘密鍵 {key_path} を読めません: {exc}") from exc
        self.selector = selector.encode("ascii")
        self.domain = domain.encode("ascii")

    def sign(self, message: bytes) -> bytes:
        try:
            header = self._dkim.sign(message, self.selector, self.domain, self.key, include_headers=list(DKIM_HEADERS))
        except self._dkim.DKIMException as exc:
            raise DeliveryError(f"DKIM 署名に失敗しました: {exc}") from exc
        return header + message


def make_signer(options: DeliveryOptions):
    """A ``DkimSigner`` when a key is configured, else None."""
    if not options.dkim_key_path:
        return None
    return DkimSigner(options.dkim_key_path, options.dkim_selector, options.sender_domain)


def render_confirmation(to: str, token: str, options: DeliveryOptions, *, date=None) -> EmailMessage:
    """The double opt-in mail: the link that activates a pending member (``confirm_member``)."""
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = Address(header_text(options.sender_name), options.sender_local, options.sender_domain)
    msg["To"] = to
    msg["Subject"] = "【県警あんしんメール】登録の確認"
    msg["Date"] = email.utils.format_datetime(pd.Timestamp(date or pd.Timestamp.now(tz=TOKYO_NAME)).to_pydatetime())
    msg["Message-ID"] = email.utils.make_msgid("confirm", domain=options.sender_domain)
    msg.set_content("県警あんしんメールへの登録を受け付けました。\n"
                    f"48時間以内に次のリンクを開くと、登録が完了します。\n{options.confirm_base}?t={token}\n\n"
                    "お心当たりのない場合は、このメールを削除してください(登録されません)。\n"
                    f"――――――――――\n{options.sender_name}({options.organisation})\n", charset="utf-8",
                    cte="base64")
    return msg
