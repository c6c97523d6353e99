"""Charts for notebooks and reports, with Japanese labels that render offline.

Importing this module leaves matplotlib's backend alone, so a notebook keeps
its inline backend and shows ``plot_monthly``'s chart; a chart that only
becomes an image (a report's PNG) calls ``draw_offscreen`` first.

Every label that comes from data (records, a caller's table, a title) passes
``literal`` before matplotlib sees it: a 「$」 would otherwise start mathtext,
and one record's 「$\\x$」 would stop the chart (and the report) from drawing.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import MaxNLocator

from anshin_lab.drafting.text import one_line

__all__ = ["JAPANESE_FONTS", "count_axis", "draw_offscreen", "literal", "plot_monthly", "use_japanese_font"]

# Japanese fonts in order of preference (fonts-ipafont-gothic is in system-packages.txt).
JAPANESE_FONTS = ("IPAexGothic", "IPAGothic", "IPAPGothic", "Noto Sans CJK JP", "TakaoGothic")


def draw_offscreen() -> None:
    """Draw with Agg from now on: no window and no display needed (papermill, reports, cron).

    The backend is global to the process, so it is switched here, when a
    chart that becomes an image is drawn, never when a module is imported.
    """
    matplotlib.use("Agg")


def count_axis(axis) -> None:
    """Ticks at whole numbers only on an axis of counts (no 0.5, 1.5 calls)."""
    axis.set_major_locator(MaxNLocator(integer=True))


def literal(text) -> str:
    """``text`` shown as written, on one line: a ``$`` from the data never starts matplotlib's mathtext.

    Every ``$`` is escaped, so no pair of them is left to open a formula
    (「$\\x$」, 「a_b^c $5」 and a lone 「\\」 are drawn as typed); line breaks
    and control characters become one space (``drafting.text.one_line``).

    Examples
    --------
    >>> literal("US$100の請求")
    'US\\\\$100の請求'
    >>> literal("市役所\\r\\n職員")
    '市役所 職員'
    """
    return one_line(text).replace("$", r"\$")


def use_japanese_font() -> str | None:
    """Select the first installed Japanese font for matplotlib; None when there is none.

    Matplotlib lists fonts from a cache built when it first ran; a font
    installed after that (fonts-ipafont-gothic by ``make system``) is missing
    from it, so the system's Japanese font files are added when needed.
    """
    name = _first_known_font()
    if name is None:
        known = {entry.fname for entry in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known and re.search(r"ipa|takao|cjk|japanese", Path(path).name, re.IGNORECASE):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a font file matplotlib cannot read: skip it
                    continue
        name = _first_known_font()
    if name is not None:
        plt.rcParams["font.family"] = name
    return name


def _first_known_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in JAPANESE_FONTS if name in installed), None)


def plot_monthly(table: pd.DataFrame, title: str = "月別・分類別の事案件数"):
    """A stacked bar chart of a month × category table (see ``summaries.by_month``); labels drawn as written."""
    use_japanese_font()
    fig, ax = plt.subplots(figsize=(9, 4))
    table.rename(index=literal, columns=literal).plot.bar(stacked=True, ax=ax, width=0.8)
    count_axis(ax.yaxis)
    ax.set_title(literal(title))
    ax.set_xlabel("月")
    ax.set_ylabel("件数")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    return fig
