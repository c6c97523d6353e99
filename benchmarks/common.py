"""What every benchmark shares: the counts option type and the closing JSON line.

A benchmark module has a docstring (its ``--help``), ``add_arguments(parser)``
and ``run(args) -> dict``; ``python -m benchmarks NAME`` prints the readable
report that ``run`` writes, then :func:`emit` ends it with one line of JSON. The
``--workspace`` option and the positive-integer type are the command line's
(``anshin_lab.cli.common``), so benchmarks and ``anshin`` read them alike.
"""

from __future__ import annotations

import argparse
import json


def count_list(text: str) -> tuple[int, ...]:
    """An argparse type: integers of at least 1, separated by commas (``1000,10000``)."""
    try:
        values = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        values = ()
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数をカンマ区切りで指定してください: {text}")
    return values


def emit(figures: dict) -> None:
    """The last line of every benchmark: its figures as one JSON object."""
    print(json.dumps(figures, ensure_ascii=False), flush=True)
