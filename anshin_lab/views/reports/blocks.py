"""The blocks the report notebook displays, one per cell: tables, charts, the map, the draft, the credits.

The ``show_*`` and ``plot_*`` functions are what the notebook's cells call:
each returns one displayable block (HTML tables with stable ``data-table`` /
``data-key`` / ``data-col`` attributes, PNG charts with Japanese labels, the
offline choropleth in an ``iframe srcdoc``), so the cells hold no logic.
``show_provenance`` also puts out the report's facts (``REPORT_MIME``) for
``run_fraud_summary`` to read.
"""

from __future__ import annotations

import base64
import html
import io
import re

import numpy as np
import pandas as pd

from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.errors import ReportError
from anshin_lab.core.granularity import Granularity
from anshin_lab.places import CREDITS
from anshin_lab.views.reports.area_layers import areas_within, first_view
from anshin_lab.views.reports.common import KIND, REPORT_MIME, jsonable, package_version, param_text

__all__ = [
    "TABLES", "japanese_font", "plot_breakdown", "plot_timeline", "show_choropleth", "show_credits", "show_draft",
    "show_figure", "show_overview", "show_provenance", "show_table", "show_waves",
]


class Block:
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


def show_provenance(summary, **parameters) -> Block:
    """The block that makes a report reproducible: parameters, data hash, version, run time, command.

    ``parameters`` are the notebook's parameters as run (``workspace``,
    ``calls_file``, ``analyst``, ``store_draft``, ``run_label``, …); the
    summary adds its own (period, area, wave-test options).
    """
    run_at = tokyo_now()
    params = {"start": str(summary.period.start), "end": str(summary.period.end), "area": summary.area.name,
              **summary.options, **{k: v for k, v in parameters.items()}}
    first, last = summary.coverage
    facts = {**summary.facts(), "kind": KIND, "title": summary.title, "run_at": run_at.isoformat(),
             "version": package_version(), "parameters": jsonable(params), "status": "ok"}
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
    param_rows = "".join(f'<tr data-key="{_e(k)}"><th scope="row">{_e(k)}</th><td>{_e(param_text(v))}</td></tr>'
                         for k, v in params.items())
    notes = "".join(f"<li>{_e(n)}</li>" for n in summary.notes)
    text = (f'<section class="anshin-provenance" data-table="provenance"><h2>{_e(summary.title)}</h2>'
            f'<table class="anshin-table" data-table="about"><tbody>{body}</tbody></table>'
            f'<details><summary>パラメータ(ノートブックに渡した値)</summary>'
            f'<table class="anshin-table" data-table="parameters"><tbody>{param_rows}</tbody></table></details>'
            + (f'<ul class="anshin-notes">{notes}</ul>' if notes else "") + "</section>")
    return Block(text, f"{summary.title} / データのハッシュ {summary.data_hash} / 実行 {run_at}", facts)



def show_overview(summary) -> Block:
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
    said = overview_sentence(t, len(summary.waves))
    lead = f'<p class="anshin-lead">{_e(summary.period.label)}、{_e(summary.area.label)}で{said}</p>'
    unknown = f"<p>既遂のうち被害額が未確定のもの: {t['loss_unknown']}件(被害額に含めていません)</p>" if t["loss_unknown"] else ""
    return Block(lead + table + unknown)


def overview_sentence(totals: dict, waves: int) -> str:
    """The lead's numbers in words (HTML): an empty period said plainly, and no percentage against 0 calls.

    Against an empty previous period the text says 「前期間は0件」; an empty
    period says there were none, never 「前期間比 -100.0%」.
    """
    count, previous = int(totals["count"]), int(totals["previous"])
    if count == 0:
        return f"把握したうそ電話はありませんでした(前期間は{previous:,}件)。"
    compared = "前期間は0件" if previous == 0 else f"前期間は{previous:,}件、前期間比 {totals['change_pct']:+.1f}%"
    return (f"<strong>{count:,}件</strong>のうそ電話を把握しました({compared})。"
            f"急増の検出は<strong>{waves}件</strong>です。")


def show_table(summary, name: str, *, top: int | None = None, collapsed: bool = False) -> Block:
    """One of the summary's tables (``TABLES``: by_method, by_caller, by_city, by_station, by_age_band,
    by_day, by_hour) as HTML; ``top`` keeps the first rows, ``collapsed`` folds it under a summary line."""
    if name not in TABLES:
        raise KeyError(f"表「{name}」はありません: {', '.join(TABLES)}")
    caption, key, key_label, columns = TABLES[name]
    if name == "by_city" and summary.area.kind == "station":
        caption += f"({summary.area.label}の分。世帯数は管内が市町村の全域のときだけ)"
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
    return Block(text)


def _weekday(day) -> str:
    return "月火水木金土日"[pd.Timestamp(day).weekday()]


def show_waves(summary) -> Block:
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
    return Block(lead + table + test)


# -- charts ---------------------------------------------------------------------------

OUTCOME_COLOURS = {"予兆": "#9fb3c8", "未遂": "#f0a202", "既遂": "#c62828"}


def japanese_font() -> str:
    """Select a Japanese font for matplotlib (``charts.use_japanese_font``) and return its name.

    Raises ``ReportError`` when there is none: a chart with empty boxes for
    every label is worse than no report.
    """
    # why: matplotlib (about 0.4 s) loads only where a chart is drawn, not in every process that imports reports
    from anshin_lab.views.charts import use_japanese_font

    name = use_japanese_font()
    if name is None:
        raise ReportError("日本語のフォントが見つかりません(グラフの文字が表示できません): "
                          "fonts-ipafont-gothic を入れてください(make system)")
    return name


# Up to this many days the daily chart has bars; longer periods are drawn as filled steps.
BAR_DAYS = 62


def _report_pyplot():
    """pyplot and the chart helpers, set up for a chart that becomes a PNG: off screen, with a Japanese font."""
    # why: matplotlib (about 0.4 s) loads only where a chart is drawn, not in every process that imports reports
    import matplotlib.pyplot as plt
    from anshin_lab.views import charts  # why: charts imports matplotlib, as above

    charts.draw_offscreen()
    japanese_font()
    return plt, charts


def _legend_outside(ax, **kwargs):
    """The legend to the right of the plot area, where it can cover no bar."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=8, **kwargs)


def plot_timeline(summary):
    """Calls per day (stacked by outcome) and per hour of the day, Japanese labels, whole-number count axes."""
    plt, charts = _report_pyplot()
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
    charts.count_axis(daily.yaxis)
    _legend_outside(daily, title="結果", title_fontsize=8)
    daily.xaxis.set_major_formatter(_date_formatter())
    for label in daily.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")
    hourly.bar(summary.by_hour["hour"], summary.by_hour["count"], color="#ef6c00", width=0.85)
    hourly.set_title("時間帯別の件数")
    hourly.set_xlabel("時台")
    hourly.set_xticks(range(0, 24, 3))
    charts.count_axis(hourly.yaxis)
    fig.tight_layout()
    return fig


def _date_formatter():
    # why: matplotlib loads only where a chart is drawn (see _report_pyplot)
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter  # why: as matplotlib.dates above

    return FuncFormatter(lambda x, _: f"{mdates.num2date(x).month}月{mdates.num2date(x).day}日")


def plot_breakdown(summary, top: int = 10):
    """Calls by 手口 and by 名乗り (this period and the one before), Japanese labels, whole-number count axes.

    Labels from the records are drawn as written (``charts.literal``: a 「$」 is no mathtext).
    """
    plt, charts = _report_pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for ax, frame, column, title in ((axes[0], summary.by_method, "method", "手口別"),
                                     (axes[1], summary.by_caller.head(top), "caller_as", "名乗り別")):
        labels = [charts.literal(label) for label in frame[column]][::-1]
        y = np.arange(len(labels))
        ax.barh(y + 0.2, frame["count"].to_numpy()[::-1], height=0.4, color="#ef6c00", label="集計期間")
        ax.barh(y - 0.2, frame["previous"].to_numpy()[::-1], height=0.4, color="#b0bec5", label="前期間")
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.set_title(title)
        ax.set_xlabel("件数")
        charts.count_axis(ax.xaxis)
        _legend_outside(ax)
    fig.tight_layout()
    return fig


def show_figure(fig, *, dpi: int = 96) -> Block:
    """A matplotlib figure as an inline PNG (data: URI, nothing to fetch); closes the figure."""
    # why: matplotlib loads only where a chart is drawn (see _report_pyplot)
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    title = " / ".join(ax.get_title() for ax in fig.axes if ax.get_title())
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Block(f'<figure class="anshin-figure"><img alt="{_e(title)}" src="data:image/png;base64,{encoded}">'
                  f"</figure>", f"[図] {title}")


# -- the map --------------------------------------------------------------------------------


def show_choropleth(summary, areas, *, height: int = 520) -> Block:
    """The offline choropleth (counts per 1,000 households) of the report's area, as an ``iframe srcdoc``.

    By municipality for a prefecture report; by 大字・町 for a municipality or
    station report (calls with a known small area only). The map draws the
    report's area and nothing else (``area_layers.areas_within``): a station
    report shows its district, cut at the district's edge, first on the land
    where most of its households live (``area_layers.first_view``; far islands
    a zoom-out away). Marked 部外秘 like the report. Never uses a tile server, so the report loads nothing from outside.
    """
    # why: folium (about 0.3 s) loads only in the kernel that draws the map, not in the command line that runs it
    from anshin_lab.views import maps

    calls = summary.calls
    period = f"{summary.period.start}〜{summary.period.end}"
    shown = areas_within(areas, summary.area)
    if summary.area.kind == "pref":
        level, counts = Granularity.CITY, calls["city_code"].astype(str).value_counts()
        title, note, min_households = f"市町村別 世帯1,000あたりの件数({period})", "", 1
    else:
        level = Granularity.TOWN
        known = calls["key_code"].dropna().astype(str)
        counts = known.map(lambda code: code[:9]).value_counts()
        title = f"大字・町別 世帯1,000あたりの件数({summary.area.label} {period})"
        note = f"小地域が分からない{len(calls) - len(known):,}件は地図に含めていません。" if len(known) < len(calls) else ""
        min_households = 50
    layer_codes = set(shown.layer(level)["area_code"].astype(str))
    outside = int(counts[~counts.index.isin(layer_codes)].sum())
    counts = counts[counts.index.isin(layer_codes)]
    if outside:
        note += f"地域データにない地域の{outside:,}件は地図に含めていません。"
    m = maps.choropleth(counts, level, areas=shown, title=title, tile_url="", confidential=True,
                        min_households=min_households, bounds=first_view(shown))
    page = maps.render_html(m)
    frame = (f'<figure class="anshin-map" data-map="choropleth" data-area="{_e(summary.area.name)}">'
             f'<iframe title="{_e(title)}" '
             f'srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:1px solid #ccc">'
             f"</iframe><figcaption>{_e(title)}。{_e(note)}{_e(areas.note)}。</figcaption></figure>")
    return Block(frame, f"[地図] {title}")


# -- the drafted alert ------------------------------------------------------------------------


def show_draft(draft, stored) -> Block:
    """The drafted summary alert, its checks, and whether it was stored as a draft awaiting approval."""
    status = f'<p class="anshin-draft-status" data-stored="{str(bool(stored.stored)).lower()}">{_e(stored.message)}</p>'
    rule = ("<p>この集計(定期実行を含む)は配信しません。起案した文面は下書きとして承認の手続き"
            "(署長の判断・生活安全企画課長の承認)を経て、発信操作担当者だけが配信します。</p>")
    if draft is None:
        return Block(status + rule)
    findings = "".join(f"<li>{_e(getattr(f, 'message', f))}</li>" for f in draft.findings)
    warnings = "".join(f"<li>{_e(w.message)}({_e(w.fix)})</li>" for w in draft.warnings)
    checks = ""
    if findings or warnings:
        checks = f"<p>確認事項:</p><ul>{findings}{warnings}</ul>"
    return Block(
        f'<div class="anshin-draft" data-table="draft"><p><strong>件名:</strong> {_e(draft.subject)}</p>'
        f"<p>公表する場所: {_e(draft.public_text)}({_e(draft.level.label)})</p>"
        f'<pre class="anshin-mail">{_e(draft.body)}</pre>{checks}{status}{rule}</div>',
        f"{draft.subject}\n{draft.body}")


def show_credits(areas=None) -> Block:
    """Data credits and what made the report."""
    lines = [*CREDITS] + ([areas.note] if areas is not None else [])
    return Block('<footer class="anshin-credits"><p>出典: ' + "/".join(_e(c) for c in lines) +
                  f"</p><p>作成: anshin-lab {_e(package_version())}(県警あんしんメール 分析ワークベンチ)。"
                  "この報告書はインターネットに接続せずに表示できます。</p></footer>")
