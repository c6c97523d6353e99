"""Members' quiet hours: whether a mail to a member waits, and until when.

A member may choose a window (``members.quiet_start`` / ``quiet_end``,
"HH:MM" in Asia/Tokyo; it may wrap midnight, 22:00–07:00) in which their
mail is held: queued in the outbox as ``held`` with ``next_attempt_at`` at
the window's end, and sent by the first send run after that. Categories the
directive treats as urgent (``CategoryRule.quiet_hours_exempt``: 逃走事案,
行方不明) always go at once.

>>> import datetime as dt
>>> at = dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.timezone.utc)  # 23:30 in Tokyo
>>> quiet_until("22:00", "07:00", at).isoformat()
'2026-12-02T07:00:00+09:00'
>>> quiet_until("22:00", "07:00", at.replace(hour=3)) is None  # 12:30 in Tokyo
True
"""

from __future__ import annotations

import datetime as dt

from anshin_lab.core.clock import TOKYO
from anshin_lab.core.directive import category_rule


def _minutes(text: str) -> int:
    hours, minutes = str(text).split(":")
    return int(hours) * 60 + int(minutes)


def quiet_until(start: str | None, end: str | None, at: dt.datetime) -> dt.datetime | None:
    """The end of the quiet window ``start``–``end`` (Asia/Tokyo) that ``at`` falls in; None outside it.

    ``at`` is timezone-aware; the result is in Asia/Tokyo. A window without
    both ends, or with equal ends, is no window.
    """
    if not start or not end or start == end:
        return None
    local = at.astimezone(TOKYO)
    now, begin, finish = local.hour * 60 + local.minute, _minutes(start), _minutes(end)
    inside = begin <= now < finish if begin < finish else (now >= begin or now < finish)
    if not inside:
        return None
    day = local.date() if now < finish else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(finish // 60, finish % 60), tzinfo=TOKYO)


def hold_until(category: str, quiet_start: str | None, quiet_end: str | None,
               at: dt.datetime) -> dt.datetime | None:
    """When a mail of ``category`` queued at ``at`` may go to a member with these quiet hours; None: at once."""
    if category_rule(category).quiet_hours_exempt:
        return None
    return quiet_until(quiet_start, quiet_end, at)
