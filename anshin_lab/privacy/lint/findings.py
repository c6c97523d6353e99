"""What the lint reports: a ``Finding``, the kinds of finding, and the masks written instead.

Every detector of the lint (``addresses``, ``facilities``, ``persons``) returns
candidates ``(start, end, kind, suggestion)``; ``check`` turns the ones it keeps
into ``Finding`` values. The masks are the Japanese text a withheld span becomes.
"""

from __future__ import annotations

from dataclasses import dataclass

from anshin_lab.core.errors import AnshinError

__all__ = ["ADDRESS_MASK", "EMAIL_MASK", "KINDS", "PERSON_MASK", "PHONE_MASK", "ROOM_MASK", "Finding", "LintError"]

KINDS = ("facility", "person", "exact_address", "phone", "email")
PERSON_MASK = "〇〇"
PHONE_MASK = "（電話番号は伏せます）"
EMAIL_MASK = "（メールアドレスは伏せます）"
ADDRESS_MASK = "（番地は伏せます）"
ROOM_MASK = "一室"


class LintError(AnshinError):
    """The lint cannot run: its tokenizer or one of its dictionaries is missing."""


@dataclass(frozen=True)
class Finding:
    """One span of alert text that must not be published, and what to write instead.

    ``start`` and ``end`` are offsets into the text given to ``lint`` (so
    ``text[start:end] == finding.text``); ``suggestion`` is the Japanese text
    that replaces it.
    """

    kind: str
    start: int
    end: int
    text: str
    suggestion: str
