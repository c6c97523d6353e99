"""Labels that come from data are drawn as written: no mathtext, no line breaks, on every chart and format."""

from __future__ import annotations

import io
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib import cbook

from anshin_lab.views import charts, reports

# What broke every report of its period, and its relatives: an odd or even number of 「$」,
# TeX's specials outside a formula, a lone backslash, an unfinished command, a line break.
HOSTILE = [r"$\x$", "a_b^c $5", "\\", r"$\frac{", "$^$", "a$b$c$", "US$100の請求", "市役所\r\n職員"]
AS_DRAWN = {label: label.replace("\r\n", " ") for label in HOSTILE}


@pytest.fixture(autouse=True)
def offscreen():
    charts.draw_offscreen()
    yield
    plt.close("all")


def _drawn(text) -> str:
    """What matplotlib puts on the page for a label: it un-escapes 「\\$」 when the text is no formula."""
    label = text.get_text()
    assert not cbook.is_math_text(label), label
    return label.replace(r"\$", "$")


def _render_all_formats(figure) -> None:
    for fmt in ("png", "svg"):
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt)  # mathtext raises ValueError here on 「$\x$」
        assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n" if fmt == "png" else b"<svg" in buffer.getvalue()


def test_a_month_chart_draws_labels_from_a_table_as_written():
    table = pd.DataFrame({HOSTILE[0]: [1, 2, 0], HOSTILE[1]: [0, 1, 3]}, index=["2026-04", HOSTILE[2], HOSTILE[7]])
    figure = charts.plot_monthly(table, title=HOSTILE[3])
    _render_all_formats(figure)
    ax = figure.axes[0]
    assert _drawn(ax.title) == HOSTILE[3]
    assert [_drawn(t) for t in ax.get_xticklabels()] == ["2026-04", HOSTILE[2], AS_DRAWN[HOSTILE[7]]]
    assert [_drawn(t) for t in ax.get_legend().get_texts()] == HOSTILE[:2]


def test_the_fraud_summary_chart_draws_every_hostile_name_as_written():
    days = pd.date_range("2026-11-01", periods=7).date
    callers = pd.DataFrame({"caller_as": HOSTILE, "count": range(len(HOSTILE), 0, -1), "previous": 0})
    summary = SimpleNamespace(
        by_day=pd.DataFrame({"date": days, "count": 1, "予兆": 1, "未遂": 0, "既遂": 0}),
        by_hour=pd.DataFrame({"hour": range(24), "count": 1}),
        by_method=pd.DataFrame({"method": ["還付金詐欺"], "count": [len(HOSTILE)], "previous": [0]}),
        by_caller=callers)
    figure = reports.plot_breakdown(summary, top=len(HOSTILE))
    _render_all_formats(figure)
    drawn = [_drawn(t) for t in figure.axes[1].get_yticklabels()]
    assert sorted(drawn) == sorted(AS_DRAWN.values())
    block = reports.show_figure(figure)
    assert "data:image/png;base64," in block.html


def test_literal_never_leaves_a_formula_or_a_line_break():
    for label in HOSTILE:
        assert not cbook.is_math_text(charts.literal(label)) and "\n" not in charts.literal(label)
