"""The CAP feed: one CAP 1.2 file per sent alert and follow-up, and an Atom index of them.

``write_cap_feed(ws, out_dir)`` writes ``alert-<number>.xml`` for every sent
alert (an original, a follow-up, a correction) and ``feed.atom`` listing them
newest first — the way CAP feeds are indexed (OASIS "CAP feeds" practice, as
the US National Weather Service and Lアラート's peers publish them). Every
message is rendered and validated against the OASIS schema first
(``drafting.cap``); if one fails, ``CapError`` is raised and no file is
written. Files of alerts no longer published (a found missing person's, for
instance) are removed from the folder.

The sender is the service's address on the sender domain members whitelist
(settings ``sender_local`` @ ``sender_domain``, the directive's domain by
default); identifiers are made from the alert number and its sending time,
so the same alert has the same identifier on every run.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from lxml import etree

from anshin_lab.app.public_data import PublishedAlert, published_alerts
from anshin_lab.app.workspace import Workspace, require_workspace
from anshin_lab.core.directive import POLICE_NAME, SENDER_DOMAIN, SERVICE_NAME
from anshin_lab.core.files import write_atomic
from anshin_lab.drafting.cap import CapMessage, cap_time, render_messages

__all__ = ["ATOM_NAME", "ATOM_NAMESPACE", "CAP_MEDIA_TYPE", "cap_file_name", "render_atom", "write_cap_feed"]

ATOM_NAME = "feed.atom"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
CAP_MEDIA_TYPE = "application/cap+xml"
SENDER_LOCAL = "anshin"  # the settings' default local part, when no settings are at hand


def cap_file_name(alert_id: int) -> str:
    """The file of one sent alert's CAP message: 「alert-24.xml」."""
    return f"alert-{int(alert_id)}.xml"


def _sender(ws) -> str:
    settings = getattr(ws, "settings", None)
    local = getattr(settings, "sender_local", None) or SENDER_LOCAL
    domain = getattr(settings, "sender_domain", None) or SENDER_DOMAIN
    return f"{local}@{domain}"


def _link(base_url: str | None, name: str) -> str:
    return f"{base_url.rstrip('/')}/{name}" if base_url else name


def _feed_id(sender: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'anshin-cap-feed:{sender}')}"


def render_atom(messages: list[CapMessage], *, sender: str, base_url: str | None = None,
                feed_url: str | None = None) -> bytes:
    """The Atom index of CAP messages, newest first: one entry per message, linking its file.

    Without ``base_url`` the links are relative to the feed's folder. Entry
    ids are ``urn:uuid`` made from the CAP identifier, so they too are the
    same on every run. ``feed_url`` is where the feed itself is served.
    """
    atom = f"{{{ATOM_NAMESPACE}}}"
    feed = etree.Element(atom + "feed", nsmap={None: ATOM_NAMESPACE})

    def add(parent, name, text=None, **attributes):
        element = etree.SubElement(parent, atom + name, **attributes)
        if text is not None:
            element.text = str(text)
        return element

    ordered = sorted(messages, key=lambda m: (m.sent, m.alert_id), reverse=True)
    add(feed, "id", _feed_id(sender))
    add(feed, "title", f"{SERVICE_NAME} CAP")
    add(feed, "updated", ordered[0].sent if ordered else cap_time("2000-01-01"))
    author = add(feed, "author")
    add(author, "name", POLICE_NAME)
    add(author, "email", sender)
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url or _link(base_url, ATOM_NAME))
    for message in ordered:
        entry = add(feed, "entry")
        add(entry, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, message.identifier)}")
        add(entry, "title", message.headline)
        add(entry, "updated", message.sent)
        add(entry, "published", message.sent)
        add(entry, "category", term=message.category)
        add(entry, "link", rel="alternate", type=CAP_MEDIA_TYPE, href=_link(base_url, cap_file_name(message.alert_id)))
        add(entry, "summary", f"{message.msg_type}: {message.identifier}")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_cap_feed(ws, out_dir, base_url: str | None = None, *,
                   alerts_list: list[PublishedAlert] | None = None) -> list[Path]:
    """Write one CAP 1.2 file per sent alert and follow-up, and ``feed.atom``, into ``out_dir``.

    ``ws`` is a workspace (or its folder; None with ``alerts_list``: the
    directive's sender domain); ``alerts_list`` reuses what
    ``published_alerts`` already returned. ``base_url`` is where the public
    site is served (the folder above ``out_dir``): with it, each language's
    ``<info>`` links the alert's page of that language and the feed links
    absolute URLs. Every message is validated before anything is written
    (``CapError`` otherwise). Returns the files written, the feed last.
    """
    if not isinstance(ws, Workspace) and (ws is not None or alerts_list is None):
        ws = require_workspace(ws)
    if alerts_list is None:
        alerts_list = published_alerts(ws.root)
    sender = _sender(ws)
    site = base_url.rstrip("/") if base_url else None
    messages: list[CapMessage] = []
    for alert in sorted(alerts_list, key=lambda a: a.alert_id):
        web = (lambda code, alert_id=alert.alert_id: f"{site}/{code}/alerts/{alert_id}.html") if site else None
        messages += render_messages(alert, sender=sender, web=web)
    out = Path(out_dir)
    cap_url = f"{site}/{out.name}" if site else None
    feed = render_atom(messages, sender=sender, base_url=cap_url,
                       feed_url=f"{cap_url}/{ATOM_NAME}" if cap_url else None)
    keep = {cap_file_name(m.alert_id) for m in messages}
    written = [write_atomic(out / cap_file_name(m.alert_id), m.xml, mode=None) for m in messages]
    for stale in out.glob("alert-*.xml"):
        if stale.name not in keep:
            stale.unlink()
    written.append(write_atomic(out / ATOM_NAME, feed, mode=None))
    return written
