"""The operations report: its blocks (tables, charts, the recruitment map) and its run with papermill.

``notebooks/operations_report.ipynb`` calls ``app.operations.operations_report``
and then the ``show_*`` / ``plot_*`` blocks here, one per cell; each block is
an HTML table with stable ``data-table`` / ``data-key`` / ``data-col``
attributes (the tests read them), a PNG chart, or the offline choropleth.
``run_operations_report`` executes the notebook on a fresh kernel and writes
``reports/operations-report_<start>_<end>.html`` (``index.html`` refreshed);
``anshin schedule run`` runs it for a ``kind = "operations-report"`` job.
Counts, minutes and rates only: no member's or incident's detail.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from anshin_lab.analysis.operations import CARRIERS
from anshin_lab.app.scheduled_jobs import OPERATIONS
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.errors import ParameterError, ReportError
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.settings import PROJECT_ROOT
from anshin_lab.places import AreaSet
from anshin_lab.views.reports.blocks import Block, japanese_font, show_figure
from anshin_lab.views.reports.common import REPORT_MIME, default_reports_dir, jsonable, package_version, write_report
from anshin_lab.views.reports.index import refresh_index
from anshin_lab.views.reports.render import render_html, write_error_report
from anshin_lab.views.reports.run import ReportResult

__all__ = [
    "NOTEBOOK", "operations_filename", "plot_delays", "plot_growth", "run_operations_report", "show_carriers",
    "show_delays", "show_growth", "show_operations_provenance", "show_reach", "show_recruitment_map", "show_target",
]

NOTEBOOK = PROJECT_ROOT / "notebooks" / "operations_report.ipynb"
CELL_TIMEOUT_S = 600
TITLE = "運用の報告"
# How many of the lowest-covered areas the recruitment tables list.
LOWEST = 10


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value, digits: int = 1) -> str:
    """「1,234」 for counts, 「12.3」 for minutes and rates, 「—」 for none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


def _table(name: str, header: list, rows: list, *, caption: str = "") -> str:
    """An HTML table; ``rows`` are (key, [(column, value, text)]) with the raw value in ``data-value``."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for key, cells in rows:
        tds = "".join(f'<td data-col="{_e(col)}" data-value="{_e("" if pd.isna(val) else val)}">{_e(text)}</td>'
                      if not isinstance(val, str) else f'<td data-col="{_e(col)}" data-value="{_e(val)}">{_e(text)}</td>'
                      for col, val, text in cells)
        body.append(f'<tr data-key="{_e(key)}">{tds}</tr>')
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return (f'<table class="anshin-table" data-table="{_e(name)}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def show_operations_provenance(report, *, workspace=None, run_label: str = "") -> Block:
    """The period, run time, version and parameters; also the report's facts for ``run_operations_report``."""
    facts = {**report.facts(), "kind": OPERATIONS, "title": f"{TITLE} {report.start}〜{report.end}",
             "version": package_version(), "run_label": run_label,
             "workspace": str(require_workspace(workspace).root)}
    rows = [("期間", f"{report.start}〜{report.end}(日本時間、両端を含む)"),
            ("作成日時", f"{report.run_at:%Y-%m-%d %H:%M}"), ("anshin-lab のバージョン", package_version()),
            ("コマンド", f"anshin schedule run --job {run_label}(定期実行)" if run_label else
             f"anshin_lab.views.operations.run_operations_report('{report.start}', '{report.end}')"),
            ("発信した注意喚起", f"{report.totals['alerts_sent']:,}件(続報を除く)"),
            ("有効な会員", f"{report.totals['active_members']:,}人(実行時点)")]
    body = "".join(f'<tr data-key="{_e(k)}"><th>{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows)
    return Block(f'<div class="anshin-provenance"><table class="anshin-table" data-table="about">{body}</table>'
                 "<p>件数・時間・率だけを載せています(会員のアドレスや事案の内容は載せません)。</p></div>",
                 data=jsonable(facts) | {"target_min": report.target_min})


def show_delays(report) -> Block:
    """Median and 90th percentile minutes of each stage, per category (``data-table="delays"``)."""
    rows = []
    for r in report.delays.itertuples(index=False):
        rows.append((f"{r.category}:{r.stage}", [("category", r.category, r.label), ("stage", r.stage, r.stage_label),
                                                  ("alerts", int(r.alerts), _num(int(r.alerts))),
                                                  ("median_min", r.median_min, _num(r.median_min)),
                                                  ("p90_min", r.p90_min, _num(r.p90_min))]))
    note = ("分単位。発生は結び付いた事案のうち最も早い発生日時、起案は下書きの作成、承認は発信を可能にした承認"
            "(生活安全企画課長の承認、または総合当直の緊急承認)、発信は発信操作の記録時刻です。中央値と90パーセンタイル"
            "(線形補間)。事案が保存期間を過ぎて削除された注意喚起は、事案からの区間を数えません。")
    return Block(_table("delays", ["種別", "区間", "件数", "中央値(分)", "90パーセンタイル(分)"], rows,
                        caption="発生から発信までの時間(種別・区間別)") + f"<p>{_e(note)}</p>")


def show_target(report) -> Block:
    """The urgent-path categories (逃走事案) against the target minutes, stated (``data-table="target"``)."""
    rows, sentences = [], []
    for r in report.target.itertuples(index=False):
        rows.append((r.category, [("category", r.category, r.label), ("target_min", r.target_min, _num(r.target_min, 0)),
                                  ("alerts", int(r.alerts), _num(int(r.alerts))), ("within", int(r.within), _num(int(r.within))),
                                  ("share_pct", r.share_pct, _num(r.share_pct)),
                                  ("median_min", r.median_min, _num(r.median_min)), ("p90_min", r.p90_min, _num(r.p90_min))]))
        if r.alerts:
            verdict = "目標内" if r.p90_min <= r.target_min else "目標超過"
            sentences.append(f"{r.label}: 発生から発信まで中央値 {_num(r.median_min)}分、90パーセンタイル "
                             f"{_num(r.p90_min)}分で、目標 {_num(r.target_min, 0)}分に対して{verdict}"
                             f"({int(r.within)}/{int(r.alerts)}件が目標内)。")
        else:
            sentences.append(f"{r.label}: この期間に発信はありません(目標 {_num(r.target_min, 0)}分)。")
    return Block(_table("target", ["種別", "目標(分)", "件数", "目標内", "目標内の割合(%)", "中央値(分)",
                                   "90パーセンタイル(分)"], rows, caption="緊急の種別の目標(発生→発信)")
                 + "".join(f'<p class="anshin-target">{_e(s)}</p>' for s in sentences))


def plot_delays(report):
    """Median and 90th percentile of 発生→発信 per category (hours), a horizontal bar chart (an inline PNG)."""
    plt = _pyplot()
    total = report.delays[(report.delays["stage"] == "total") & (report.delays["alerts"] > 0)]
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * max(len(total), 1)))
    y = np.arange(len(total))
    ax.barh(y - 0.2, total["median_min"] / 60, height=0.4, label="中央値", color="#1f77b4")
    ax.barh(y + 0.2, total["p90_min"] / 60, height=0.4, label="90パーセンタイル", color="#ff7f0e")
    ax.set_yticks(y, total["label"])
    ax.set_xlabel("発生から発信まで(時間)")
    ax.set_title("発生から発信までの時間(種別別)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return show_figure(fig)


def show_reach(report, kind: str = "city", *, lowest: int | None = None) -> Block:
    """Active members per 1,000 households per municipality (or station district) and category, lowest first."""
    table = report.city_reach if kind == "city" else report.station_reach
    shown = table.head(lowest) if lowest else table
    header = ["市町村" if kind == "city" else "警察署管内", "世帯数", "会員", "世帯1,000あたり",
              *[f"{label}(1,000あたり)" for label in report.categories.values()]]
    rows = []
    for r in shown.to_dict("records"):
        # the report's stylesheet sets these two name columns flush left
        cells = [("city" if kind == "city" else "stations", r["name"], r["name"]), ("households", int(r["households"]), _num(int(r["households"]))),
                 ("members", int(r["members"]), _num(int(r["members"]))), ("per_1000", r["per_1000"], _num(r["per_1000"], 2))]
        cells += [(f"{c}_per_1000", r[f"{c}_per_1000"], f"{_num(r[f'{c}_per_1000'], 2)}({int(r[c]):,})")
                  for c in report.categories]
        rows.append((r["code"], cells))
    which = "市町村" if kind == "city" else "警察署管内"
    caption = (f"会員の少ない{which}(下位{len(shown)})" if lowest else f"{which}別の到達(会員数、世帯1,000あたり)")
    note = ("到達: その地域の注意喚起を受け取る有効な会員(その種別を選び、県全体・その市町村・その警察署管内・"
            "その中の町丁目のどれかを選んだ人)。世帯数は2015年国勢調査。少ない順。")
    name = f"reach_{kind}" + ("_lowest" if lowest else "")
    return Block(_table(name, header, rows, caption=caption) + f"<p>{_e(note)}</p>")


def show_growth(report) -> Block:
    """Members joined, unsubscribed, suppressed and active per month, and churn (``data-table="growth"``)."""
    rows = []
    for r in report.growth.to_dict("records"):
        rows.append((r["month"], [("month", r["month"], r["month"])] +
                     [(c, int(r[c]), _num(int(r[c]))) for c in ("joined", "unsubscribed", "suppressed", "net",
                                                                 "active_start", "active_end")] +
                     [("churn_pct", r["churn_pct"], _num(r["churn_pct"], 2))]))
    note = ("登録: 登録を確認した日(opted_in_at)、解除: 配信停止の日(unsubscribed_at)、停止: 宛先不明が続いて配信を"
            "止めた日。解約率 = (解除+停止) ÷ 月初の有効な会員。")
    return Block(_table("growth", ["月", "登録", "解除", "停止(宛先不明)", "増減", "月初の会員", "月末の会員",
                                   "解約率(%)"], rows, caption="会員の増減(月別)") + f"<p>{_e(note)}</p>")


def plot_growth(report):
    """Members joined and left per month (bars) and active at each month's end (line), an inline PNG."""
    plt = _pyplot()
    growth = report.growth
    fig, ax = plt.subplots(figsize=(8, 3.2))
    x = np.arange(len(growth))
    ax.bar(x - 0.2, growth["joined"], width=0.4, label="登録", color="#2ca02c")
    ax.bar(x + 0.2, growth["unsubscribed"] + growth["suppressed"], width=0.4, label="解除・停止", color="#d62728")
    ax.set_xticks(x, growth["month"])
    ax.set_ylabel("人")
    line = ax.twinx()
    line.plot(x, growth["active_end"], color="#1f77b4", marker="o", label="月末の会員")
    line.set_ylabel("月末の会員(人)")
    ax.set_title("会員の増減(月別)")
    handles = ax.get_legend_handles_labels()[0] + line.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8)
    fig.tight_layout()
    return show_figure(fig)


def show_carriers(report) -> Block:
    """Messages sent, bounces and bounce rate per carrier (``data-table="carriers"``), with the domains used."""
    rows = [(r["carrier"], [("carrier", r["carrier"], r["carrier"]), ("sent", int(r["sent"]), _num(int(r["sent"]))),
                            ("bounces", int(r["bounces"]), _num(int(r["bounces"]))),
                            ("bounce_pct", r["bounce_pct"], _num(r["bounce_pct"], 2))])
            for r in report.carriers.to_dict("records")]
    domains = "、".join(f"{c}: {'/'.join(d)}" for c, d in CARRIERS)
    return Block(_table("carriers", ["携帯会社など", "送信", "不達", "不達率(%)"], rows,
                        caption="携帯会社別の不達(期間中の送信と不達)")
                 + f"<p>{_e(f'ドメインでの分け方: {domains}、ほかはその他(サブドメインを含む)。')}</p>")


def show_recruitment_map(report, areas: AreaSet, kind: str = "city", *, height: int = 520) -> Block:
    """The offline choropleth of active members per 1,000 households, by municipality or station district, for 広報.

    Paler areas have fewer members per household: where recruiting helps
    most. Drawn from the workspace's own layers (no tile server), as an
    ``iframe srcdoc``; marked 部外秘 like the report.
    """
    # why: folium (about 0.3 s) loads only in the kernel that draws the map
    from anshin_lab.views import maps

    if kind == "city":
        shown, counts = areas, report.city_reach.set_index("code")["members"]
        title = "市町村別 会員数(世帯1,000あたり)"
    else:
        shown, counts = station_areas(areas), report.station_reach.set_index("code")["members"]
        title = "警察署管内別 会員数(世帯1,000あたり)"
    m = maps.choropleth(counts, Granularity.CITY, areas=shown, title=title, tile_url="", confidential=True,
                        per_1000=True, counted="会員数")
    page = maps.render_html(m)
    lowest = "、".join((report.city_reach if kind == "city" else report.station_reach)["name"].head(5))
    caption = f"{title}。色が薄いほど会員が少なく、募集の重点になる地域です(少ない順に: {lowest})。{areas.note}。"
    return Block(f'<figure class="anshin-map" data-map="recruitment" data-kind="{_e(kind)}">'
                 f'<iframe title="{_e(title)}" srcdoc="{html.escape(page, quote=True)}" '
                 f'style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe>'
                 f"<figcaption>{_e(caption)}</figcaption></figure>", f"[地図] {title}")


def station_areas(areas: AreaSet) -> AreaSet:
    """``areas`` with the station districts in place of the municipalities (area_code = the station's name)."""
    stations = areas.stations.copy()
    stations["area_code"] = stations["station"].astype(str)
    stations["name"] = stations["station"].astype(str)
    stations["city_code"] = stations["area_code"]
    stations["city"] = stations["name"]
    layers = {level: areas.layer(level) for level in (Granularity.CHOME, Granularity.TOWN, Granularity.PREF)}
    layers[Granularity.CITY] = stations[["area_code", "name", "city_code", "city", "population", "households",
                                         "approximate", "geometry"]].reset_index(drop=True)
    return AreaSet(layers, areas.stations)


def _pyplot():
    # why: matplotlib loads only in the kernel that draws the charts
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # why: as matplotlib above

    plt.rcParams["font.family"] = japanese_font()
    return plt


# -- the run ---------------------------------------------------------------------------------


def operations_filename(start, end, *, error: bool = False) -> str:
    """``operations-report_<start>_<end>.html`` (``_error`` before the suffix for an error report)."""
    return f"{OPERATIONS}_{start}_{end}{'_error' if error else ''}.html"


def run_operations_report(start, end, area: str = "", *, workspace=None, reports_dir=None, run_label: str = "",
                          operations_notebook=None, kernel_name: str = "python3", cell_timeout_s: int = CELL_TIMEOUT_S,
                          **_ignored) -> ReportResult:
    """Execute the operations report for ``start``–``end`` (inclusive) with papermill and write its HTML.

    ``area`` is ignored (the report covers the workspace), and so is
    ``notebook`` (the schedule's fraud-summary notebook; ``operations_notebook``
    replaces this report's). The page goes to
    ``reports_dir`` (``reports/`` by default) as ``operations_filename``;
    ``index.html`` there is refreshed. Raises ``ParameterError`` before
    running for an unusable date, and ``ReportError`` (after writing an
    error report) when a cell fails.
    """
    import nbformat  # why: papermill and nbformat take seconds to import; only a run needs them
    import papermill  # why: as nbformat above
    from papermill.exceptions import PapermillExecutionError  # why: as papermill above

    from anshin_lab.views.reports.kernel import fresh_kernel  # why: jupyter_client loads only for a run

    ws = require_workspace(workspace)
    start_day, end_day = (pd.Timestamp(str(day)).date() if day else None for day in (start, end))
    if start_day is None or end_day is None or start_day > end_day:
        raise ParameterError(f"運用の報告の期間 {start}〜{end} が正しくありません: start ≦ end の日付にしてください")
    notebook = Path(operations_notebook) if operations_notebook else NOTEBOOK
    target = Path(reports_dir) if reports_dir else default_reports_dir()
    parameters = {"workspace": str(ws.root), "start": str(start_day), "end": str(end_day), "run_label": run_label or ""}
    path = target / operations_filename(start_day, end_day)
    error_path = target / operations_filename(start_day, end_day, error=True)
    title = f"{TITLE} {start_day}〜{end_day}"
    with tempfile.TemporaryDirectory(prefix="anshin-operations-") as tmp:
        executed = Path(tmp) / notebook.name
        try:
            with fresh_kernel(Path(tmp), kernel_name=kernel_name, cwd=notebook.parent) as km:
                nb = papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, km=km,
                                                kernel_name=kernel_name, progress_bar=False, log_output=False,
                                                execution_timeout=cell_timeout_s, request_save_on_cell_execute=False)
        except (PapermillExecutionError, RuntimeError, TimeoutError, OSError) as exc:
            write_error_report(error_path, parameters=parameters, message="ノートブックの実行に失敗しました",
                               notebook=notebook, ename=getattr(exc, "ename", type(exc).__name__),
                               evalue=getattr(exc, "evalue", str(exc)), title=f"作成に失敗しました: {title}")
            refresh_index(target)
            raise ReportError("運用の報告のノートブックの実行に失敗しました", notebook=notebook, parameters=parameters,
                              ename=getattr(exc, "ename", type(exc).__name__), evalue=getattr(exc, "evalue", str(exc)),
                              report_path=error_path) from exc
    facts = next((o["data"][REPORT_MIME] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if REPORT_MIME in (o.get("data") or {})), {})
    facts = {**facts, "kind": OPERATIONS, "status": "ok", "title": title, "area": "", "start": str(start_day),
             "end": str(end_day), "parameters": jsonable(parameters)}
    facts.setdefault("run_at", tokyo_now().isoformat())
    write_report(path, render_html(nbformat.from_dict(nb) if isinstance(nb, dict) else nb, facts))
    if error_path.exists():
        error_path.unlink()  # this run succeeded: the earlier failure no longer stands
    refresh_index(target)
    return ReportResult(path, title, parameters, facts)
