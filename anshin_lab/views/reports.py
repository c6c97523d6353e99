"""Reports reviewers read: papermill runs the notebook, nbconvert renders HTML that loads nothing from outside.

- ``run_fraud_summary`` executes ``notebooks/fraud_call_summary.ipynb`` with
  papermill on a real kernel, renders it to
  ``reports/fraud-summary_<start>_<end>_<area>.html`` without code cells
  (``render_html``: nbconvert's lab template minus require.js, MathJax,
  mermaid and the widget loader, which come from CDNs) and refreshes
  ``reports/index.html`` (``refresh_index``). A failing cell leaves an error
  report (``..._error.html``) naming the cell and the parameters, and raises
  ``ReportError``.
- The ``show_*`` and ``plot_*`` functions are what the notebook's cells call:
  each returns one displayable block (HTML tables with stable ``data-table`` /
  ``data-key`` / ``data-col`` attributes, PNG charts with Japanese labels, the
  offline choropleth in an ``iframe srcdoc``), so the cells hold no logic.

Every report carries its parameters, the hash of the data it read, the
package version and the run time in a visible block, and the same facts in a
``<meta name="anshin-report">`` tag that the index reads.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from anshin_lab.core.errors import ReportError
from anshin_lab.core.settings import PROJECT_ROOT

KIND = "fraud-summary"
NOTEBOOK = PROJECT_ROOT / "notebooks" / "fraud_call_summary.ipynb"
INDEX_NAME = "index.html"
REPORT_MIME = "application/vnd.anshin.report+json"
META_NAME = "anshin-report"
CELL_TIMEOUT_S = 600
TOKYO = "Asia/Tokyo"
# How much of a report's head holds its <meta name="anshin-report"> (it comes before the inlined CSS).
_HEAD_BYTES = 64 * 1024


def default_reports_dir() -> Path:
    """Where reports go unless told otherwise: ``reports/`` in the project."""
    return PROJECT_ROOT / "reports"


def package_version() -> str:
    """The installed anshin-lab version (the source tree's when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("anshin-lab")
    except PackageNotFoundError:
        from anshin_lab import __version__

        return __version__


def _skip_iri_grammar() -> None:
    """Keep jsonschema from compiling its IRI grammar when papermill / nbconvert import nbformat.

    ``nbformat`` imports ``jsonschema``, whose format checkers import
    ``rfc3987_syntax`` if it is installed, and that compiles a Lark grammar at
    import: 2-3 s of every report process on a 2-core machine, a fifth of
    the command line's budget. Nothing here validates IRIs (the notebook
    schema has no "iri" format), so when neither module is loaded yet the
    package is marked absent for this process; jsonschema then simply does
    not register the "iri" format checks.
    """
    import sys

    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # an import of it now raises ImportError, which jsonschema expects


def _now() -> pd.Timestamp:
    return pd.Timestamp.now(tz=TOKYO).floor("s")


# ---------------------------------------------------------------------------
# Blocks the notebook displays


class _Block:
    """One output: HTML for people, plain text for consoles, optionally JSON for ``run_fraud_summary``."""

    def __init__(self, html_text: str, plain: str = "", data: dict | None = None):
        self.html = html_text
        self.plain = plain or re.sub(r"<[^>]+>", "", html_text)[:2000]
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.html, "text/plain": self.plain}
        if self.data is not None:
            bundle[REPORT_MIME] = self.data
        return bundle


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _n(value) -> str:
    """A number as a report writes it: 1,234; a signed change as +12 / −3."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, float) and not float(value).is_integer():
        return f"{value:,.3f}"
    return f"{int(value):,}"


def _signed(value) -> str:
    value = int(value)
    return f"+{value:,}" if value > 0 else (f"−{-value:,}" if value < 0 else "±0")


COMPARE_COLUMNS = [("count", "件数", _n), ("attempted", "うち未遂", _n), ("completed", "うち既遂", _n),
                   ("previous", "前期間", _n), ("change", "増減", _signed)]
TABLES = {
    "by_method": ("手口別", "method", "手口", COMPARE_COLUMNS),
    "by_caller": ("名乗り別", "caller_as", "名乗り", COMPARE_COLUMNS + [("main_method", "主な手口", _e)]),
    "by_city": ("市町村別", "city_code", "市町村", [("city", "市町村", _e)] + COMPARE_COLUMNS +
                [("households", "世帯数", _n), ("per_1000_households", "世帯1,000あたり", _n)]),
    "by_station": ("警察署別", "station", "管轄署", COMPARE_COLUMNS),
    "by_age_band": ("被害者の年代別", "victim_age_band", "年代", COMPARE_COLUMNS),
    "by_day": ("日別", "date", "日付", [("count", "件数", _n), ("予兆", "予兆", _n), ("未遂", "未遂", _n),
                                     ("既遂", "既遂", _n)]),
    "by_hour": ("時間帯別", "hour", "時台", [("count", "件数", _n)]),
}


def _table(frame: pd.DataFrame, name: str, key: str, key_label: str, columns, *, caption: str = "",
           key_format=_e, label: str | None = None) -> str:
    """An HTML table with the attributes tests and scripts read: data-table, data-key, data-col.

    Each row's header shows ``key_format(key)``, or the ``label`` column when given.
    """
    shown = [(c, heading, fmt) for c, heading, fmt in columns if c not in (key, label)]
    head = "".join(f"<th>{_e(heading)}</th>" for _, heading, _ in shown)
    rows = []
    for record in frame.to_dict("records"):
        cells = "".join(f'<td data-col="{_e(c)}">{fmt(record.get(c))}</td>' for c, _, fmt in shown)
        header = _e(record[label]) if label else key_format(record[key])
        rows.append(f'<tr data-key="{_e(record[key])}"><th scope="row">{header}</th>{cells}</tr>')
    if not rows:
        rows.append(f'<tr class="empty"><td colspan="{len(shown) + 1}">該当なし</td></tr>')
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return (f'<table class="anshin-table" data-table="{_e(name)}">{cap}<thead><tr><th>{_e(key_label)}</th>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def show_provenance(summary, **parameters) -> _Block:
    """The block that makes a report reproducible: parameters, data hash, version, run time, command.

    ``parameters`` are the notebook's parameters as run (``workspace``,
    ``calls_file``, ``analyst``, ``store_draft``, ``run_label``, …); the
    summary adds its own (period, area, wave-test options).
    """
    run_at = _now()
    params = {"start": str(summary.period.start), "end": str(summary.period.end), "area": summary.area.name,
              **summary.options, **{k: v for k, v in parameters.items()}}
    first, last = summary.coverage
    facts = {**summary.facts(), "kind": KIND, "title": summary.title, "run_at": run_at.isoformat(),
             "version": package_version(), "parameters": _jsonable(params), "status": "ok"}
    workspace = parameters.get("workspace")
    command = (f"anshin report fraud-summary --start {summary.period.start} --end {summary.period.end} "
               f"--area {summary.area.name}" + (f" --workspace {workspace}" if workspace else ""))
    rows = [
        ("対象地域", f"{summary.area.label}({summary.area.kind_label})"),
        ("集計期間", summary.period.label),
        ("比較した期間", summary.previous.label),
        ("データ", summary.source),
        ("読み込んだ記録", f"{summary.rows_read:,}件(集計期間・比較期間・急増判定の基準期間。全地域)"),
        ("記録のある期間", f"{first.date()} 〜 {last.date()}" if first is not None else "記録なし"),
        ("データのハッシュ(SHA-256)", summary.data_hash),
        ("anshin-lab のバージョン", facts["version"]),
        ("実行日時", f"{run_at:%Y-%m-%d %H:%M:%S} (日本時間)"),
        ("再現するコマンド", command),
    ]
    body = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    param_rows = "".join(f'<tr data-key="{_e(k)}"><th scope="row">{_e(k)}</th><td>{_e(_param_text(v))}</td></tr>'
                         for k, v in params.items())
    notes = "".join(f"<li>{_e(n)}</li>" for n in summary.notes)
    text = (f'<section class="anshin-provenance" data-table="provenance"><h2>{_e(summary.title)}</h2>'
            f'<table class="anshin-table" data-table="about"><tbody>{body}</tbody></table>'
            f'<details><summary>パラメータ(ノートブックに渡した値)</summary>'
            f'<table class="anshin-table" data-table="parameters"><tbody>{param_rows}</tbody></table></details>'
            + (f'<ul class="anshin-notes">{notes}</ul>' if notes else "") + "</section>")
    return _Block(text, f"{summary.title} / データのハッシュ {summary.data_hash} / 実行 {run_at}", facts)


def _param_text(value) -> str:
    return "(なし)" if value is None or value == "" else str(value)


def _jsonable(params: dict) -> dict:
    return {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v)) for k, v in params.items()}


def show_overview(summary) -> _Block:
    """Totals of the period against the one before: calls, 予兆 / 未遂 / 既遂, loss."""
    t = summary.totals
    rows = pd.DataFrame([
        {"item": "件数(総数)", "count": t["count"], "previous": t["previous"], "change": t["change"]},
        {"item": "予兆電話", "count": t["予兆"], "previous": int((summary.previous_calls["outcome"] == "予兆").sum()),
         "change": t["予兆"] - int((summary.previous_calls["outcome"] == "予兆").sum())},
        {"item": "未遂", "count": t["未遂"], "previous": int((summary.previous_calls["outcome"] == "未遂").sum()),
         "change": t["未遂"] - int((summary.previous_calls["outcome"] == "未遂").sum())},
        {"item": "既遂(被害あり)", "count": t["既遂"], "previous": int((summary.previous_calls["outcome"] == "既遂").sum()),
         "change": t["既遂"] - int((summary.previous_calls["outcome"] == "既遂").sum())},
        {"item": "被害額(円)", "count": t["loss_yen"], "previous": t["previous_loss_yen"],
         "change": t["loss_yen"] - t["previous_loss_yen"]},
    ])
    rows["key"] = ["total", "予兆", "未遂", "既遂", "loss_yen"]
    table = _table(rows, "totals", "key", "項目", [("count", "集計期間", _n), ("previous", "前期間", _n),
                                                  ("change", "増減", _signed)], label="item")
    pct = f"(前期間比 {t['change_pct']:+.1f}%)" if t["change_pct"] is not None else ""
    lead = (f"<p class=\"anshin-lead\">{_e(summary.period.label)}、{_e(summary.area.label)}で"
            f"<strong>{t['count']:,}件</strong>のうそ電話を把握しました{_e(pct)}。"
            f"急増の検出は<strong>{len(summary.waves)}件</strong>です。</p>")
    unknown = f"<p>既遂のうち被害額が未確定のもの: {t['loss_unknown']}件(被害額に含めていません)</p>" if t["loss_unknown"] else ""
    return _Block(lead + table + unknown)


def show_table(summary, name: str, *, top: int | None = None, collapsed: bool = False) -> _Block:
    """One of the summary's tables (``TABLES``: by_method, by_caller, by_city, by_station, by_age_band,
    by_day, by_hour) as HTML; ``top`` keeps the first rows, ``collapsed`` folds it under a summary line."""
    if name not in TABLES:
        raise KeyError(f"表「{name}」はありません: {', '.join(TABLES)}")
    caption, key, key_label, columns = TABLES[name]
    frame = getattr(summary, name)
    if top is not None and len(frame) > top:
        frame = frame.head(top)
        caption += f"(上位{top}件)"
    key_format = _e
    if name == "by_day":
        key_format = lambda d: _e(f"{pd.Timestamp(d).month}/{pd.Timestamp(d).day}({_weekday(d)})")  # noqa: E731
    if name == "by_hour":
        key_format = lambda h: f"{int(h)}時台"  # noqa: E731
    label = "city" if name == "by_city" else None  # keyed by JIS code, shown by name
    text = _table(frame, name, key, key_label, columns, caption=caption, key_format=key_format, label=label)
    if collapsed:
        text = f"<details><summary>{_e(caption)}の表を開く</summary>{text}</details>"
    return _Block(text)


def _weekday(day) -> str:
    return "月火水木金土日"[pd.Timestamp(day).weekday()]


def show_waves(summary) -> _Block:
    """The waves found, with the test that found them stated."""
    waves = summary.waves
    if len(waves):
        frame = waves.assign(
            key=[f"{d}|{c}|{n}" for d, c, n in zip(waves["date"], waves["city_code"], waves["caller_as"])],
            day=[f"{pd.Timestamp(d).month}/{pd.Timestamp(d).day}({_weekday(d)})" for d in waves["date"]],
            hours=[f"{a:%H:%M}〜{b:%H:%M}" for a, b in zip(waves["first_at"], waves["last_at"])],
            p=[f"{p:.1e}" for p in waves["p_value"]],
        )
        table = _table(frame, "waves", "key", "日付", [
            ("city", "市町村", _e), ("caller_as", "名乗り", _e), ("method", "主な手口", _e),
            ("count", "件数", _n), ("expected", "基準(1日あたり)", lambda v: f"{v:.3f}"), ("ratio", "倍率", lambda v: f"{v:,.1f}"),
            ("p", "p値", _e), ("hours", "時間帯", _e), ("stations", "管轄署", _e)], label="day")
        lead = f"<p>{len(waves)}件の急増を検出しました。</p>"
    else:
        table, lead = "", "<p>急増は検出されませんでした。</p>"
    test = f'<p class="anshin-test"><strong>判定の方法:</strong> {_e(summary.wave_test)}</p>'
    return _Block(lead + table + test)


# -- charts ---------------------------------------------------------------------------

OUTCOME_COLOURS = {"予兆": "#9fb3c8", "未遂": "#f0a202", "既遂": "#c62828"}


def japanese_font() -> str:
    """Select a Japanese font for matplotlib (``charts.use_japanese_font``) and return its name.

    Raises ``ReportError`` when there is none: a chart with empty boxes for
    every label is worse than no report.
    """
    from anshin_lab.views.charts import use_japanese_font

    name = use_japanese_font()
    if name is None:
        raise ReportError("日本語のフォントが見つかりません(グラフの文字が表示できません): "
                          "fonts-ipafont-gothic を入れてください(make system)")
    return name


# Up to this many days the daily chart has bars; longer periods are drawn as filled steps.
BAR_DAYS = 62


def plot_timeline(summary):
    """Calls per day (stacked by outcome) and per hour of the day, Japanese labels."""
    import matplotlib.pyplot as plt
    import numpy as np

    japanese_font()
    fig, (daily, hourly) = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [2.2, 1]})
    days = pd.to_datetime(summary.by_day["date"])
    bottom = np.zeros(len(days), dtype=int)
    for outcome, colour in OUTCOME_COLOURS.items():
        top = bottom + summary.by_day[outcome].to_numpy()
        if len(days) <= BAR_DAYS:
            daily.bar(days, top - bottom, bottom=bottom, color=colour, width=0.85, label=outcome)
        else:  # one filled step line per outcome: a bar per day costs seconds for a year
            daily.fill_between(days, bottom, top, step="mid", color=colour, linewidth=0, label=outcome)
        bottom = top
    daily.set_title("日別の件数")
    daily.set_ylabel("件数")
    daily.legend(loc="upper left", fontsize=8, title="結果", title_fontsize=8)
    daily.xaxis.set_major_formatter(_date_formatter())
    for label in daily.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")
    hourly.bar(summary.by_hour["hour"], summary.by_hour["count"], color="#ef6c00", width=0.85)
    hourly.set_title("時間帯別の件数")
    hourly.set_xlabel("時台")
    hourly.set_xticks(range(0, 24, 3))
    fig.tight_layout()
    return fig


def _date_formatter():
    from matplotlib.ticker import FuncFormatter
    import matplotlib.dates as mdates

    return FuncFormatter(lambda x, _: f"{mdates.num2date(x).month}月{mdates.num2date(x).day}日")


def plot_breakdown(summary, top: int = 10):
    """Calls by 手口 and by 名乗り (this period and the one before), Japanese labels."""
    import matplotlib.pyplot as plt
    import numpy as np

    japanese_font()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for ax, frame, column, title in ((axes[0], summary.by_method, "method", "手口別"),
                                     (axes[1], summary.by_caller.head(top), "caller_as", "名乗り別")):
        labels = list(frame[column])[::-1]
        y = np.arange(len(labels))
        ax.barh(y + 0.2, frame["count"].to_numpy()[::-1], height=0.4, color="#ef6c00", label="集計期間")
        ax.barh(y - 0.2, frame["previous"].to_numpy()[::-1], height=0.4, color="#b0bec5", label="前期間")
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.set_title(title)
        ax.set_xlabel("件数")
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def show_figure(fig, *, dpi: int = 96) -> _Block:
    """A matplotlib figure as an inline PNG (data: URI, nothing to fetch); closes the figure."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    title = " / ".join(ax.get_title() for ax in fig.axes if ax.get_title())
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return _Block(f'<figure class="anshin-figure"><img alt="{_e(title)}" src="data:image/png;base64,{encoded}">'
                  f"</figure>", f"[図] {title}")


# -- the map --------------------------------------------------------------------------------


def show_choropleth(summary, areas, *, height: int = 520) -> _Block:
    """The offline choropleth (counts per 1,000 households) embedded as an ``iframe srcdoc``.

    By municipality for a prefecture report; by 大字・町 for a municipality or
    station report (calls with a known small area only; marked 部外秘). Never
    uses a tile server, so the report loads nothing from outside.
    """
    from anshin_lab.views import maps
    from anshin_lab.core.granularity import Granularity

    calls = summary.calls
    period = f"{summary.period.start}〜{summary.period.end}"
    if summary.area.kind == "pref":
        level, counts = Granularity.CITY, calls["city_code"].astype(str).value_counts()
        title, note = f"市町村別 世帯1,000あたりの件数({period})", ""
        confidential, min_households = False, 1
    else:
        level = Granularity.TOWN
        known = calls["key_code"].dropna().astype(str)
        counts = known.map(lambda code: code[:9]).value_counts()
        title = f"大字・町別 世帯1,000あたりの件数({summary.area.label} {period})"
        note = f"小地域が分からない{len(calls) - len(known):,}件は地図に含めていません。" if len(known) < len(calls) else ""
        confidential, min_households = True, 50
    layer_codes = set(areas.layer(level)["area_code"].astype(str))
    outside = int(counts[~counts.index.isin(layer_codes)].sum())
    counts = counts[counts.index.isin(layer_codes)]
    if outside:
        note += f"地域データにない地域の{outside:,}件は地図に含めていません。"
    m = maps.choropleth(counts, level, areas=areas, title=title, tile_url="", confidential=confidential,
                        min_households=min_households)
    if summary.area.kind != "pref":
        # The layer spans the prefecture: show the report's own area (its municipalities or station district).
        if summary.area.kind == "station":
            shapes = areas.stations[areas.stations["station"] == summary.area.name]
        else:
            cities = areas.layer(Granularity.CITY)
            shapes = cities[cities["area_code"].isin(summary.area.city_codes)]
        if len(shapes):
            west, south, east, north = shapes.total_bounds
            m.fit_bounds([[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]])
    page = maps.render_html(m)
    frame = (f'<figure class="anshin-map" data-map="choropleth"><iframe title="{_e(title)}" '
             f'srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:1px solid #ccc">'
             f"</iframe><figcaption>{_e(title)}。{_e(note)}{_e(areas.note)}。</figcaption></figure>")
    return _Block(frame, f"[地図] {title}")


# -- the drafted alert ------------------------------------------------------------------------


def show_draft(draft, stored) -> _Block:
    """The drafted summary alert, its checks, and whether it was stored as a draft awaiting approval."""
    status = f'<p class="anshin-draft-status" data-stored="{str(bool(stored.stored)).lower()}">{_e(stored.message)}</p>'
    rule = ("<p>この集計(定期実行を含む)は配信しません。起案した文面は下書きとして承認の手続き"
            "(署長の判断・生活安全企画課長の承認)を経て、発信操作担当者だけが配信します。</p>")
    if draft is None:
        return _Block(status + rule)
    findings = "".join(f"<li>{_e(getattr(f, 'message', f))}</li>" for f in draft.findings)
    warnings = "".join(f"<li>{_e(w.message)}({_e(w.fix)})</li>" for w in draft.warnings)
    checks = ""
    if findings or warnings:
        checks = f"<p>確認事項:</p><ul>{findings}{warnings}</ul>"
    return _Block(
        f'<div class="anshin-draft" data-table="draft"><p><strong>件名:</strong> {_e(draft.subject)}</p>'
        f"<p>公表する場所: {_e(draft.public_text)}({_e(draft.level.label)})</p>"
        f'<pre class="anshin-mail">{_e(draft.body)}</pre>{checks}{status}{rule}</div>',
        f"{draft.subject}\n{draft.body}")


def show_credits(areas=None) -> _Block:
    """Data credits and what made the report."""
    from anshin_lab.places.areas import CREDITS

    lines = [*CREDITS] + ([areas.note] if areas is not None else [])
    return _Block('<footer class="anshin-credits"><p>出典: ' + "/".join(_e(c) for c in lines) +
                  f"</p><p>作成: anshin-lab {_e(package_version())}(県警あんしんメール 分析ワークベンチ)。"
                  "この報告書はインターネットに接続せずに表示できます。</p></footer>")


# ---------------------------------------------------------------------------
# Running the notebook


@dataclass
class ReportResult:
    """A report written: where, what it covers, the facts it states, and how long each stage took."""

    path: Path
    title: str
    parameters: dict
    facts: dict
    stages: dict = field(default_factory=dict)  # stage -> seconds
    cells: list = field(default_factory=list)  # (cell number, first line, seconds)
    warnings: list = field(default_factory=list)  # stderr of the cells (kept out of the HTML)
    draft: str = ""

    @property
    def data_hash(self) -> str:
        return self.facts.get("data_hash", "")

    @property
    def run_at(self) -> str:
        return self.facts.get("run_at", "")


def report_filename(start, end, area_name: str, *, error: bool = False) -> str:
    """``fraud-summary_<start>_<end>_<area>.html`` (``_error`` before the suffix for an error report)."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", area_name)
    return f"{KIND}_{start}_{end}_{safe}{'_error' if error else ''}.html"


def run_fraud_summary(start, end, area, *, workspace=None, reports_dir=None, analyst: str = "",
                      store_draft: bool = True, calls_file=None, run_label: str = "", notebook=None,
                      kernel_name: str = "python3", cell_timeout_s: int = CELL_TIMEOUT_S) -> ReportResult:
    """Execute the fraud-call summary for ``start``–``end`` (inclusive) in ``area`` and write its HTML.

    ``area`` is 「鹿児島県」, a municipality or a station. The report goes to
    ``reports_dir`` (``reports/`` in the project by default) as
    ``report_filename(...)``, replacing an earlier one for the same
    parameters, and ``index.html`` there is refreshed. ``analyst`` names the
    analyst account that stores the drafted alert (see
    ``fraud.store_summary_draft``); nothing is ever sent.

    Raises ``ParameterError`` / ``WorkspaceError`` before running anything
    when a parameter is unusable, and ``ReportError`` (naming the failing
    cell, after writing an error report and refreshing the index) when the
    notebook fails.
    """
    _skip_iri_grammar()
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    from anshin_lab.app import fraud
    from anshin_lab.app.workspace import require_workspace

    stages = {}
    started = time.perf_counter()
    ws = require_workspace(workspace)
    tables = fraud.reference_tables(ws.reference_dir)
    resolved = fraud.resolve_area(area, tables)
    period = fraud.Period(fraud.parse_day(start, "開始日"), fraud.parse_day(end, "終了日"))
    if calls_file is not None and not Path(calls_file).exists():
        from anshin_lab.core.errors import ParameterError

        raise ParameterError(f"うそ電話の記録ファイル {calls_file} がありません")
    notebook = Path(notebook) if notebook else NOTEBOOK
    reports_dir = Path(reports_dir) if reports_dir else default_reports_dir()
    parameters = {"workspace": str(ws.root), "start": str(period.start), "end": str(period.end), "area": resolved.name,
                  "calls_file": None if calls_file is None else str(Path(calls_file).resolve()),
                  "analyst": analyst or "", "store_draft": bool(store_draft), "run_label": run_label or ""}
    path = reports_dir / report_filename(period.start, period.end, resolved.name)
    error_path = reports_dir / report_filename(period.start, period.end, resolved.name, error=True)
    stages["parameters"] = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="anshin-report-") as tmp:
        executed = Path(tmp) / notebook.name
        wall_start, started = time.time(), time.perf_counter()
        try:
            # The kernel talks over Unix sockets in this private (0700) temporary folder rather than
            # unencrypted loopback TCP, and is stopped at once after the last cell (it needs no atexit): ~1 s.
            papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, kernel_name=kernel_name,
                                       progress_bar=False, log_output=False, cwd=str(notebook.parent),
                                       execution_timeout=cell_timeout_s, shutdown_kernel="immediate",
                                       config=Config({"KernelManager": {"transport": "ipc", "ip": f"{tmp}/kernel"}}))
        except PapermillExecutionError as exc:
            raise _failed(notebook, executed, parameters, reports_dir, error_path, exc) from exc
        except (RuntimeError, TimeoutError, OSError) as exc:
            # The kernel would not start, died, or a cell ran past its timeout (nbclient's errors are RuntimeErrors).
            raise _failed(notebook, executed, parameters, reports_dir, error_path, exc) from exc
        stages["execute"] = time.perf_counter() - started
        import nbformat

        nb = nbformat.read(executed, as_version=4)
    stages.update(_execution_stages(nb, wall_start, stages["execute"]))
    facts = _report_facts(nb) or {}
    facts.update({"kind": KIND, "status": "ok", "title": facts.get("title") or f"うそ電話詐欺の集計 {resolved.label}",
                  "area": resolved.name, "start": str(period.start), "end": str(period.end),
                  "parameters": _jsonable(parameters)})
    facts.setdefault("run_at", _now().isoformat())
    facts.setdefault("version", package_version())
    warnings = _strip_stderr(nb)
    started = time.perf_counter()
    try:
        text = render_html(nb, facts)
    except ReportError as exc:
        write_error_report(error_path, parameters=parameters, message=exc.message, notebook=notebook)
        refresh_index(reports_dir)
        raise ReportError(exc.message, notebook=notebook, parameters=parameters, report_path=error_path) from exc
    stages["render_html"] = time.perf_counter() - started
    started = time.perf_counter()
    _write_atomic(path, text)
    if error_path.exists():
        error_path.unlink()  # this run succeeded: the earlier failure no longer stands
    stages["write"] = time.perf_counter() - started
    started = time.perf_counter()
    refresh_index(reports_dir)
    stages["index"] = time.perf_counter() - started
    return ReportResult(path, facts["title"], parameters, facts, stages, _cell_times(nb, notebook), warnings,
                        facts.get("draft", ""))


def _failed(notebook: Path, executed: Path, parameters: dict, reports_dir: Path, error_path: Path,
            exc: Exception) -> ReportError:
    """Write the error report for a failed run and return the ReportError to raise."""
    import nbformat

    cell, source, ename, evalue, trace = None, None, type(exc).__name__, str(exc), ""
    if hasattr(exc, "ename"):
        ename, evalue, trace = exc.ename, exc.evalue, _strip_ansi("\n".join(exc.traceback or []))
        source = exc.source
        if executed.exists():
            cell, source = _failing_cell(nbformat.read(executed, as_version=4), notebook, exc.source)
    message = "ノートブックの実行に失敗しました" if cell is not None else "ノートブックを実行できませんでした"
    write_error_report(error_path, parameters=parameters, message=message, notebook=notebook, cell=cell,
                       source=source, ename=ename, evalue=evalue, traceback_text=trace)
    refresh_index(reports_dir)
    return ReportError(message, notebook=notebook, cell=cell, source=source, ename=ename, evalue=evalue,
                       parameters=parameters, report_path=error_path)


def _failing_cell(executed_nb, notebook: Path, source: str) -> tuple[int | None, str]:
    """(1-based position in the committed notebook, source) of the cell whose output is an error."""
    import nbformat

    failing = next((c for c in executed_nb.cells if c.cell_type == "code"
                    and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    original = nbformat.read(notebook, as_version=4)
    if failing is not None:
        for number, cell in enumerate(original.cells, start=1):
            if cell.get("id") and cell.get("id") == failing.get("id"):
                return number, cell.source
        if "injected-parameters" in failing.metadata.get("tags", []):
            return 0, failing.source  # papermill's injected parameters (0: not a committed cell)
    return None, source


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _execution_stages(nb, wall_start: float, total: float) -> dict:
    """Kernel start, cells and kernel stop from papermill's per-cell times (ISO, UTC)."""
    times = [(pd.Timestamp(c.metadata["papermill"]["start_time"]), pd.Timestamp(c.metadata["papermill"]["end_time"]))
             for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    if not times:
        return {}
    first, last = times[0][0], times[-1][1]
    first = first.tz_localize("UTC") if first.tzinfo is None else first
    last = last.tz_localize("UTC") if last.tzinfo is None else last
    kernel_start = max(0.0, first.timestamp() - wall_start)
    cells = max(0.0, (last - first).total_seconds())
    return {"kernel_start": kernel_start, "cells": cells, "kernel_stop": max(0.0, total - kernel_start - cells)}


def _cell_times(nb, notebook: Path) -> list:
    out, number = [], 0
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            continue
        number += 1
        duration = cell.metadata.get("papermill", {}).get("duration")
        if cell.cell_type == "code" and duration is not None:
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            out.append((number, first[:60], float(duration)))
    return out


def _report_facts(nb) -> dict | None:
    """The facts the provenance block put out (``REPORT_MIME``), plus the draft status line."""
    facts = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if REPORT_MIME in data:
                facts = dict(data[REPORT_MIME])
            html_text = data.get("text/html", "")
            if "anshin-draft-status" in html_text and facts is not None:
                m = re.search(r'class="anshin-draft-status"[^>]*>([^<]*)<', html_text)
                facts["draft"] = html.unescape(m.group(1)) if m else ""
    return facts


def _strip_stderr(nb) -> list[str]:
    """Remove stderr streams (warnings, logs) from the outputs; return their text for the caller to log."""
    texts = []
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                texts.append(output.get("text", ""))
            else:
                kept.append(output)
        if cell.cell_type == "code":
            cell.outputs = kept
    return texts


# ---------------------------------------------------------------------------
# HTML


REPORT_CSS = """
body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 1.5em; }
.jp-RenderedHTMLCommon { font-family: "IPAexGothic", "IPAGothic", "Noto Sans CJK JP", sans-serif; }
table.anshin-table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 13px; }
table.anshin-table th, table.anshin-table td { border: 1px solid #c9d1d9; padding: 3px 8px; }
table.anshin-table td { text-align: right; font-variant-numeric: tabular-nums; }
table.anshin-table td[data-col="main_method"], table.anshin-table td[data-col="city"],
table.anshin-table td[data-col="caller_as"], table.anshin-table td[data-col="method"],
table.anshin-table td[data-col="stations"], table.anshin-table td[data-col="hours"] { text-align: left; }
table.anshin-table[data-table="about"] td, table.anshin-table[data-table="parameters"] td { text-align: left; word-break: break-all; }
table.anshin-table caption { text-align: left; font-weight: bold; }
.anshin-provenance { border: 1px solid #c9d1d9; background: #f6f8fa; padding: 0.5em 1em; }
pre.anshin-mail { white-space: pre-wrap; border-left: 4px solid #ef6c00; padding-left: 1em; background: #fffaf3; }
figure.anshin-figure img { max-width: 100%; }
.anshin-credits { color: #57606a; font-size: 12px; }
"""

TEMPLATE = """{%- extends 'index.html.j2' -%}
{#- The lab template without what it fetches from CDNs: require.js, MathJax, mermaid, the widget manager. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<meta name="generator" content="anshin-lab">
<meta name="anshin-report" content="{{ resources.anshin_meta | e }}">
<style type="text/css">{{ resources.anshin_css }}</style>
{%- endblock extra_css -%}
"""

# A tag that makes the browser fetch something from another host (links <a href> only navigate).
_EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source|embed|object|audio|video|track|input)\b[^>]*?"""
                       r"""\b(?:src|href|data|srcset|poster)\s*=\s*["']?\s*((?:[a-z][a-z0-9+.-]*:)?//[^"'\s>]+)""",
                       re.IGNORECASE)
_CSS_EXTERNAL = re.compile(r"""(?:@import\s+|url\(\s*)["']?\s*((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)


_SLOT = re.compile(r'<div data-anshin-slot="(anshin-slot-\d+)"></div>')


def external_references(text: str) -> list[str]:
    """The URLs a page would load from another host (scripts, styles, images, frames, CSS imports)."""
    return sorted({m.group(1) for m in _EXTERNAL.finditer(text)} | {m.group(1) for m in _CSS_EXTERNAL.finditer(text)})


def render_html(nb, facts: dict) -> str:
    """The executed notebook as HTML without code cells, loading nothing from outside.

    Uses nbconvert's lab template with the CDN parts removed, and the report's
    facts in ``<meta name="anshin-report">``. Raises ``ReportError`` when the
    result would still load something from another host.
    """
    _skip_iri_grammar()
    import jinja2
    from nbconvert import HTMLExporter

    nb.metadata["title"] = facts.get("title", "報告書")
    # nbconvert re-parses its whole output with BeautifulSoup (about 1 s for a year's tables): hand it
    # a placeholder for each HTML output and put the outputs back afterwards.
    slots = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if "text/html" in data:
                key = f"anshin-slot-{len(slots)}"
                slots[key] = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
                data["text/html"] = f'<div data-anshin-slot="{key}"></div>'
    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[jinja2.DictLoader({"anshin_report.html.j2": TEMPLATE})],
        template_file="anshin_report.html.j2", exclude_input=True, exclude_input_prompt=True,
        exclude_output_prompt=True, theme="light", language_code="ja", require_js_url="", mathjax_url="", mermaid_js_url="",
        mermaid_layout_elk_js_url="", jupyter_widgets_base_url="",
    )
    body, _ = exporter.from_notebook_node(nb, resources={
        "anshin_meta": json.dumps(facts, ensure_ascii=False, default=str), "anshin_css": REPORT_CSS})
    body, filled = _SLOT.subn(lambda m: slots[m.group(1)], body)
    if filled != len(slots):
        raise ReportError(f"報告書の組み立てに失敗しました(出力 {len(slots)}件のうち {filled}件しか入りませんでした)")
    external = external_references(body)
    if external:
        raise ReportError(f"報告書が外部のファイルを読み込もうとしています({', '.join(external[:3])})。"
                          f"閉じたネットワークでは表示できないため書き出しません")
    return body


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # reviewers read reports; the workspace's personal data never goes here
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


ERROR_TEMPLATE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="generator" content="anshin-lab">
<meta name="anshin-report" content="{{ meta }}">
<style>
body { font-family: "IPAexGothic", "IPAGothic", sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; }
h1 { color: #b71c1c; } table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
pre { background: #f6f8fa; padding: 1em; overflow-x: auto; white-space: pre-wrap; }
</style></head>
<body>
<h1>{{ title }}</h1>
<p>{{ message }}。この期間・地域の報告書は作られていません。原因を直して、もう一度実行してください
(定期実行なら <code>anshin schedule run --force</code>)。</p>
<h2>失敗した箇所</h2>
<table class="anshin-error" data-table="error">
<tr><th>ノートブック</th><td>{{ notebook }}</td></tr>
<tr><th>セル</th><td data-col="cell">{{ cell_text }}</td></tr>
<tr><th>エラー</th><td data-col="error">{{ ename }}: {{ evalue }}</td></tr>
<tr><th>実行日時</th><td>{{ run_at }}</td></tr>
<tr><th>anshin-lab のバージョン</th><td>{{ version }}</td></tr>
</table>
{% if source %}<h2>セルの内容</h2><pre>{{ source }}</pre>{% endif %}
<h2>パラメータ</h2>
<table data-table="parameters">
{% for key, value in parameters %}<tr data-key="{{ key }}"><th>{{ key }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
{% if traceback %}<h2>トレースバック</h2><pre>{{ traceback }}</pre>{% endif %}
</body></html>
"""


def write_error_report(path, *, parameters: dict, message: str, notebook=None, cell=None, source=None,
                       ename=None, evalue=None, traceback_text: str = "", title: str | None = None) -> Path:
    """An HTML page saying which run failed, in which cell, with what parameters (offline, self-contained)."""
    import jinja2

    path = Path(path)
    run_at = _now()
    title = title or f"集計に失敗しました: うそ電話詐欺の集計 {parameters.get('area', '')} " \
                     f"{parameters.get('start', '')}〜{parameters.get('end', '')}"
    facts = {"kind": KIND, "status": "failed", "title": title, "area": parameters.get("area"),
             "start": parameters.get("start"), "end": parameters.get("end"), "run_at": run_at.isoformat(),
             "version": package_version(), "parameters": _jsonable(parameters), "cell": cell,
             "error": f"{ename}: {evalue}" if ename else message}
    if cell is None:
        cell_text = "(セルの実行前に失敗しました)"
    elif cell == 0:
        cell_text = "papermill が挿入したパラメータのセル"
    else:
        first = next((line for line in (source or "").splitlines() if line.strip()), "")
        cell_text = f"セル{cell}({first})"
    env = jinja2.Environment(autoescape=True)
    text = env.from_string(ERROR_TEMPLATE).render(
        title=title, meta=json.dumps(facts, ensure_ascii=False, default=str), message=message,
        notebook=Path(notebook).name if notebook else "—", cell_text=cell_text, ename=ename or "—",
        evalue=evalue or "", run_at=f"{run_at:%Y-%m-%d %H:%M:%S}", version=package_version(), source=source,
        parameters=[(k, _param_text(v)) for k, v in parameters.items()], traceback=traceback_text)
    _write_atomic(path, text)
    return path


# ---------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class IndexEntry:
    """One report listed in ``index.html``."""

    file: str
    title: str
    kind: str
    area: str
    start: str
    end: str
    run_at: pd.Timestamp
    status: str
    data_hash: str


def read_report_facts(path) -> dict | None:
    """The facts a report states in its ``<meta name="anshin-report">``, or None for other HTML."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    tag = _META.search(head)
    content = _CONTENT.search(tag.group(0)) if tag else None
    if not content:
        return None
    try:
        return json.loads(html.unescape(content.group(2)))
    except json.JSONDecodeError:
        return None


# The tag as written here, or as nbconvert's BeautifulSoup pass re-serialises it (attributes reordered,
# single quotes around JSON).
_META = re.compile(r"""<meta\b[^>]*\bname=["']anshin-report["'][^>]*>""")
_CONTENT = re.compile(r"""\bcontent=(["'])(.*?)\1""", re.S)


def list_reports(reports_dir) -> list[IndexEntry]:
    """Every HTML report in ``reports_dir`` (not the index), newest run first.

    Reports written here carry their facts; other pages (e.g. the public map)
    are listed by their ``<title>`` and file time.
    """
    entries = []
    for path in Path(reports_dir).glob("*.html"):
        if path.name == INDEX_NAME or path.name.startswith("."):
            continue
        facts = read_report_facts(path)
        if facts is None:
            with open(path, "rb") as handle:
                head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
            m = re.search(r"<title>(.*?)</title>", head, flags=re.S)
            title = html.unescape(m.group(1)).strip() if m else path.stem
            run_at = pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC").tz_convert(TOKYO)
            entries.append(IndexEntry(path.name, title or path.stem, "other", "", "", "", run_at, "ok", ""))
            continue
        run_at = pd.Timestamp(facts.get("run_at") or pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC"))
        run_at = (run_at.tz_localize(TOKYO) if run_at.tzinfo is None else run_at).tz_convert(TOKYO)
        entries.append(IndexEntry(path.name, facts.get("title", path.stem), facts.get("kind", ""),
                                  facts.get("area") or "", str(facts.get("start") or ""), str(facts.get("end") or ""),
                                  run_at, facts.get("status", "ok"), facts.get("data_hash", "")))
    return sorted(entries, key=lambda e: (e.run_at, e.file), reverse=True)


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>報告書の一覧</title>
<meta name="generator" content="anshin-lab">
<style>
body { font-family: "IPAexGothic", "IPAGothic", sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #c9d1d9; padding: 4px 8px; text-align: left; }
tr.failed td { background: #fdecea; } .hash { font-family: monospace; font-size: 12px; }
</style></head>
<body>
<h1>報告書の一覧</h1>
<p>新しい順。{{ entries|length }}件。更新 {{ updated }}(日本時間)。各報告書はインターネットに接続せずに表示できます。</p>
<table data-table="reports">
<thead><tr><th>実行日時</th><th>報告書</th><th>期間</th><th>地域</th><th>状態</th><th>データのハッシュ</th></tr></thead>
<tbody>
{% for e in entries %}<tr class="{{ e.status }}" data-file="{{ e.file }}" data-status="{{ e.status }}">
<td>{{ e.run_at.strftime('%Y-%m-%d %H:%M:%S') }}</td>
<td><a href="{{ e.file | urlquote }}">{{ e.title }}</a></td>
<td>{% if e.start %}{{ e.start }}〜{{ e.end }}{% endif %}</td>
<td>{{ e.area }}</td>
<td>{{ '失敗' if e.status == 'failed' else '完了' }}</td>
<td class="hash">{{ e.data_hash[:12] }}</td>
</tr>
{% endfor %}</tbody></table>
</body></html>
"""


def refresh_index(reports_dir=None) -> Path:
    """Rewrite ``index.html`` listing every report in ``reports_dir``, newest first; returns its path."""
    import jinja2

    reports_dir = Path(reports_dir) if reports_dir else default_reports_dir()
    env = jinja2.Environment(autoescape=True)
    env.filters["urlquote"] = lambda name: quote(name)
    text = env.from_string(INDEX_TEMPLATE).render(entries=list_reports(reports_dir),
                                                  updated=f"{_now():%Y-%m-%d %H:%M:%S}")
    path = reports_dir / INDEX_NAME
    _write_atomic(path, text)
    return path
