"""Text that goes into a mail: one-line fields that can never break a header, bodies whose only control is LF.

A record's free text (手口, 管轄署, 名乗り, 服装 …) reaches a mail's subject.
A CR or LF there would end the ``Subject`` header and start another (a
``Bcc:`` of the writer's choosing), and the ``email`` package refuses such a
header when the mail is built, after approval. So every field that stands on
one line passes :func:`one_line`, and every body :func:`mail_body`, before a
draft exists; the checks in ``drafting.mail.checked`` apply them again to
whatever text a person typed.
"""

from __future__ import annotations

import re
import unicodedata

from anshin_lab.drafting.tables import cell_text

__all__ = ["mail_body", "one_line"]

# A run of white space and C0/C1 controls (\s covers CR, LF, VT, FF, NEL, U+2028, U+2029, U+3000 …).
_SPACE_RUN = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
# Everything that ends a line somewhere: CR LF first, so that it becomes one LF.
_LINE_END = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def _without_formats(text: str) -> str:
    """Drop invisible format characters (bidi overrides, zero-width spaces, BOM): what a member sees is what was approved."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def one_line(value) -> str:
    """``value`` as one trimmed line: each run of line breaks, controls and spaces becomes one space.

    A single space or ideographic space (「男 40歳代」) is kept as written;
    None, NaN and NaT become ``""``.

    Examples
    --------
    >>> one_line("声かけ\\r\\nBcc: x@example.jp")
    '声かけ Bcc: x@example.jp'
    >>> one_line("男\\u300040歳代\\x00")
    '男\\u300040歳代'
    """
    text = _without_formats(cell_text(value))
    return _SPACE_RUN.sub(lambda m: m.group() if m.group() in (" ", "\u3000") else " ", text).strip()


def mail_body(value) -> str:
    """``value`` with LF as its only line break and no other control (a tab becomes a space); not trimmed.

    Examples
    --------
    >>> mail_body("一行目\\r\\n二行目\\x07\\u2029三行目\\tです")
    '一行目\\n二行目\\n三行目 です'
    """
    text = value if isinstance(value, str) else cell_text(value)  # None, NaN, NaT: ""
    text = _LINE_END.sub("\n", _without_formats(text)).replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
