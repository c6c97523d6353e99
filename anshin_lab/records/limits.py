"""What an import may read, checked before parsing, and what a single cell may hold.

A file is refused as a whole, fast and before it is parsed, when it is
larger than ``max_bytes`` or, for an XLSX, when its zip directory says the
contents would unpack to more than ``max_xlsx_uncompressed`` bytes or one
part is compressed more than ``max_xlsx_ratio`` times (a zip bomb is refused
from its directory, without inflating a byte). Rows beyond ``max_rows`` are
never parsed: the file is refused. Every message names the setting to change.

A cell is screened before anything else reads it (:func:`screen_row`): NUL
and the other control characters put its row in quarantine; a line break or a
tab is allowed only in the long free-text fields (概要, 行為者の特徴); a cell
over ``max_field_chars`` characters is refused. Reasons never repeat the
cell's value, which may be personal data.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from anshin_lab.core.errors import DataError
from anshin_lab.core.settings import ENV_PREFIX, Settings, load_settings

# A part this small cannot hurt, whatever its ratio (XML compresses well).
RATIO_FLOOR_BYTES = 1_000_000

# Never allowed in a cell: C0 controls but TAB, LF and CR; DEL; C1 controls (NEL among them).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Not allowed in a one-line field (subjects and headers of mails are made of them).
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# In a long text, CR only as part of a Windows line break.
_LONE_CR = re.compile("\r(?!\n)")


@dataclass(frozen=True)
class Limits:
    """The import limits of a :class:`~anshin_lab.core.settings.Settings` (see its help texts)."""

    max_bytes: int
    max_rows: int
    max_xlsx_uncompressed: int
    max_xlsx_ratio: int
    max_field_chars: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        return cls(settings.max_import_bytes, settings.max_import_rows, settings.max_xlsx_uncompressed,
                   settings.max_xlsx_ratio, settings.max_field_chars)


def current_limits() -> Limits:
    """The limits of the current settings (defaults and ``ANSHIN_*`` variables)."""
    return Limits.from_settings(load_settings())


def setting_hint(name: str) -> str:
    """「設定 max_import_rows(環境変数 ANSHIN_MAX_IMPORT_ROWS)」: how a message names the setting to change."""
    return f"設定 {name}(環境変数 {ENV_PREFIX}{name.upper()})"


def check_file_size(path: Path, limits: Limits) -> None:
    """``DataError`` when the file is larger than ``limits.max_bytes`` (read from the file system, not the file)."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DataError(f"ファイルが大きすぎます({size:,}バイト。上限は{limits.max_bytes:,}バイト: 分けて取り込むか、"
                        f"{setting_hint('max_import_bytes')}を上げてください)", path=path)


def check_xlsx_archive(path: Path, limits: Limits) -> None:
    """``DataError`` unless the XLSX's zip directory promises contents within the limits.

    Only the central directory is read (sizes as the archive declares them;
    Python's ``zipfile`` never inflates a part beyond its declared size), so a
    zip bomb is refused in milliseconds.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError(f"Excel ファイルとして読めません(XLSX(zip 形式)ではないか、壊れています: {type(exc).__name__})",
                        path=path) from exc
    total = sum(part.file_size for part in parts)
    if total > limits.max_xlsx_uncompressed:
        raise DataError(f"XLSX を展開すると{total:,}バイトになり、上限{limits.max_xlsx_uncompressed:,}バイトを超えます"
                        f"(zip 爆弾の疑いがあるため読みません。正しいファイルなら CSV にするか、"
                        f"{setting_hint('max_xlsx_uncompressed')}を上げてください)", path=path)
    for part in parts:
        if part.file_size > RATIO_FLOOR_BYTES:
            ratio = part.file_size / max(part.compress_size, 1)
            if ratio > limits.max_xlsx_ratio:
                raise DataError(f"XLSX の中身が{ratio:,.0f}倍に圧縮されていて、上限{limits.max_xlsx_ratio}倍を超えます"
                                f"(zip 爆弾の疑いがあるため読みません。正しいファイルなら CSV にするか、"
                                f"{setting_hint('max_xlsx_ratio')}を上げてください)", path=path)


def too_many_rows(path: Path, limits: Limits) -> DataError:
    """The error for a file with more than ``limits.max_rows`` rows (nothing beyond them was parsed)."""
    return DataError(f"行が多すぎます(上限{limits.max_rows:,}行を超えています: ファイルを分けるか、"
                     f"{setting_hint('max_import_rows')}を上げてください)", path=path)


def cell_problem(value, *, multiline: bool, max_chars: int) -> str | None:
    """Why a cell cannot be imported (None when it can); never quotes the value.

    Only text is screened (numbers and dates from XLSX are fine); the
    whitespace a cell starts or ends with is ignored, as it is trimmed anyway.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > max_chars:
        return f"{len(text):,}文字あり長すぎます(上限{max_chars:,}文字: {setting_hint('max_field_chars')})"
    found = _CONTROLS.search(text) or (_LONE_CR.search(text) if multiline else _LINE_BREAKS.search(text))
    if found is None:
        return None
    char = found.group()
    if not multiline and char in "\t\n\r\u2028\u2029":
        return "改行かタブが入っています(この欄は1行で書いてください。値は表示しません)"
    return f"制御文字 U+{ord(char):04X} が入っています(値は表示しません。元のファイルを確かめてください)"


def screen_row(original: Mapping, headers: Mapping[str, object], *, multiline=(), max_chars: int) -> list:
    """``(header, reason)`` for each cell of a row that fails :func:`cell_problem`.

    ``headers`` maps canonical columns to the file's headers; ``multiline``
    names the canonical columns where line breaks and tabs are allowed.
    """
    problems = []
    for column, header in headers.items():
        reason = cell_problem(original.get(header), multiline=column in multiline, max_chars=max_chars)
        if reason is not None:
            problems.append((header, reason))
    return problems
