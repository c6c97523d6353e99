"""The languages an alert is published in, in the order they are offered (issue 17).

``LANGUAGES`` maps each code to its ``Language``: the ``html_lang`` a page
declares, the name in the language itself and a short label for a switcher.
``language_code`` (from ``records.members``, where a member's choice is
read) takes what a member or a file writes (「English」, 「中文」,
「やさしいにほんご」) and falls back to Japanese for what it does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

from anshin_lab.records.members import DEFAULT_LANGUAGE, LANGUAGE_NAMES, language_code


@dataclass(frozen=True)
class Language:
    """One language version: its code, the ``lang`` of a page in it, its own name and a short label."""

    code: str
    html_lang: str
    native: str
    short: str


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("ja", "ja", "日本語", "日本語"),
    Language("easy", "ja", "やさしい日本語", "やさしい"),
    Language("en", "en", "English", "EN"),
    Language("zh", "zh-Hans", "简体中文", "中文"),
    Language("ko", "ko", "한국어", "한국어"),
    Language("vi", "vi", "Tiếng Việt", "VI"),
)}


def language(code) -> Language:
    """The ``Language`` of ``code``; Japanese for an unknown code."""
    return LANGUAGES.get(str(code or ""), LANGUAGES[DEFAULT_LANGUAGE])


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_NAMES", "Language", "language", "language_code"]
