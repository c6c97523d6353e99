"""A Maildir folder's mails in the order they were delivered.

Python's ``mailbox.Maildir`` (the relay's writer) names a file
``<seconds>.M<microseconds>P<pid>Q<count>.<host>`` with the microseconds not
zero-padded, so sorting names as strings puts ``M99999`` after ``M100000``
within one second. The inbox answers mails, and the demo shows the first, in
the order the numbers give.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"(\d+)\.M(\d+)P\d+Q(\d+)")


def delivery_key(name: str) -> tuple[int, int, int, str]:
    """Sort key of one Maildir file name: seconds, microseconds, the writer's count, then the name itself."""
    found = _NAME.match(name)
    if found is None:  # another writer's name: after those that carry times, in name order
        return (2**63, 0, 0, name)
    seconds, micro, count = (int(part) for part in found.groups())
    return (seconds, micro, count, name)


def in_delivery_order(names) -> list[str]:
    """``names`` (Maildir file names or keys), earliest delivery first."""
    return sorted(names, key=delivery_key)
