"""What the command groups share: the parser class, common options and types, and how errors are shown.

Every error reaches the user as one Japanese line on stderr that names the
fix: ``AnshinError`` exits 1 (``--debug`` shows the traceback), a usage error
exits 2. ``JapaneseParser`` turns argparse's own messages into that line.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import unicodedata

from anshin_lab.core.dates import DateTextError, parse_typed_date

# argparse's messages (Python 3.11) and their Japanese; the first group is the argument's name.
_ARGPARSE_MESSAGES = [
    (re.compile(r"^the following arguments are required: (.+)$"), "次の引数を指定してください: {0}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "知らない引数です: {0}"),
    (re.compile(r"^argument (.+?): invalid choice: (.+?) \(choose from (.+)\)$"),
     "{0} に {1} は使えません(使えるのは {2})"),
    (re.compile(r"^argument (.+?): expected one argument$"), "{0} に値を1つ指定してください"),
    (re.compile(r"^argument (.+?): expected at least one argument$"), "{0} に値を指定してください"),
    (re.compile(r"^argument (.+?): invalid int value: (.+)$"), "{0} には整数を指定してください({1} は整数ではありません)"),
    (re.compile(r"^argument (.+?): invalid float value: (.+)$"), "{0} には数を指定してください({1} は数ではありません)"),
    (re.compile(r"^argument (.+?): not allowed with argument (.+)$"), "{0} と {1} は一緒に使えません"),
    (re.compile(r"^ambiguous option: (.+?) could match (.+)$"), "{0} はどのオプションか決まりません(候補: {1})"),
    (re.compile(r"^argument (.+?): ignored explicit argument (.+)$"), "{0} は値を取りません({1} は不要です)"),
    (re.compile(r"^argument (.+?): (.+)$"), "{0}: {1}"),  # our own types' messages are Japanese already
]


def usage_message(message: str) -> str:
    """argparse's error ``message`` in Japanese (unchanged when it is not one argparse writes)."""
    for pattern, japanese in _ARGPARSE_MESSAGES:
        found = pattern.match(message)
        if found:
            return japanese.format(*found.groups())
    return message


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Japanese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A run of spaces, an ASCII word (kept whole: options, paths), or one other character (a line may break after it).
_TOKENS = re.compile(r"\s+|[!-~]+|.")
_NO_LINE_START = set("、。,.)）」』】")  # punctuation a line should not begin with


def wrap_wide(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (counting Japanese as two), breaking between characters."""
    lines, line, used = [], "", 0
    for token in _TOKENS.findall(" ".join(text.split())):
        size = display_width(token)
        if line and used + size > width and not token.isspace() and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
        if not line and token.isspace():
            continue
        line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class JapaneseFormatter(argparse.HelpFormatter):
    """Help with a Japanese usage heading, wrapped by display width (argparse counts a Japanese character as one)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "使い方: " if prefix is None else prefix)

    def _split_lines(self, text, width):
        return wrap_wide(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap_wide(text, width - len(indent)))


class JapaneseSubParsers(argparse._SubParsersAction):
    """Subcommands whose own ``--help`` opens with their one-line help when no longer description is given."""

    def add_parser(self, name, **kwargs):
        kwargs.setdefault("description", kwargs.get("help"))
        return super().add_parser(name, **kwargs)


def choice_list(choices) -> str:
    """The allowed values for a message: ``draft: 起案中、submitted: …`` when ``choices`` maps codes to labels."""
    if isinstance(choices, dict):
        return "、".join(f"{code}: {label}" if isinstance(label, str) else str(code) for code, label in choices.items())
    return "、".join(map(str, choices))


class JapaneseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help is Japanese and whose errors are one Japanese line (exit 2).

    The headings (使い方・引数・オプション・操作) and ``-h`` are replaced here;
    argparse's error messages are translated by ``usage_message``; a choice
    given as a mapping ``{code: label}`` is listed with its labels when refused.
    """

    def __init__(self, *args, add_help: bool = True, formatter_class=JapaneseFormatter, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=formatter_class, **kwargs)
        self._positionals.title = "引数"
        self._optionals.title = "オプション"
        self.register("action", "parsers", JapaneseSubParsers)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="この説明を表示して終わる")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "操作")
        return super().add_subparsers(**kwargs)

    def _check_value(self, action, value):
        # argparse's own message lists the codes in English quotes; ours lists them with their Japanese labels.
        if action.choices is not None and value not in action.choices:
            raise argparse.ArgumentError(action, f"「{value}」は使えません(使えるのは {choice_list(action.choices)})")

    def error(self, message: str):
        self.exit(2, f"エラー: {usage_message(message)}(`{self.prog} --help` で使い方を表示します)\n")


# Anything shaped like an e-mail address (a member's, in a message that slipped through) is never printed.
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def error_line(exc: BaseException) -> str:
    """The one line the user sees for an error: Japanese labels instead of internal names, no line breaks.

    E-mail addresses are masked (「***@***」) as a last guard: errors never show personal data.
    """
    text = _ADDRESS.sub("***@***", " ".join(str(exc).split()))
    labels, internal_name = internal_names()
    return "エラー: " + internal_name.sub(lambda m: labels[m.group(1)], text)


@functools.lru_cache(maxsize=1)
def internal_names() -> tuple[dict[str, str], re.Pattern]:
    """The workflow's internal names (「station_approve」) with their Japanese labels (「署長の決裁」), and a pattern.

    Single words such as 「send」 are left alone: they are also command names a message may mention.
    """
    # why: needed only when an error is shown; the rules load the holiday calendar (0.2 s of every `anshin --help`)
    from anshin_lab.workflow.rules import Action, Role, Status

    labels = {member.value: member.label for enum in (Action, Role, Status) for member in enum if "_" in member.value}
    return labels, re.compile(r"\b(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\b")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def add_workspace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", metavar="DIR",
                        help="作業領域のフォルダ(省略時は既定の作業領域 data/ または ANSHIN_WORKSPACE)")


def add_login(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME", help="操作するユーザー(パスワードは環境変数 ANSHIN_PASSWORD か入力で)")


def add_reports_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reports-dir", metavar="DIR", help="報告書の出力先(省略時はプロジェクトの reports/)")


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数を指定してください: {text}")
    return value


def date_option(what: str, *, with_time: bool = True):
    """An argparse type: a date (with ``with_time``, optionally a time) in ISO or 和暦, as an aware Asia/Tokyo Timestamp.

    Without ``with_time`` the value is a ``datetime.date`` and a time of day
    is refused. Anything else (``2026-13-01``, ``tomorrow``, the ambiguous
    ``11-01-2026``) is a usage error naming ``what`` and saying what to write.
    """
    def check(text: str):
        try:
            stamp = parse_typed_date(text, with_time=with_time)
        except DateTextError as exc:
            raise argparse.ArgumentTypeError(f"「{text}」を{what}として読めません({exc.why})") from None
        return stamp if with_time else stamp.date()

    return check


date_text = date_option("日付")
datetime_text = date_option("日時")
day_text = date_option("日付", with_time=False)
