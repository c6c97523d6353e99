"""The reports index: ``index.html`` listing every report in a folder, newest first, failures marked.

It reads each report's facts from its ``<meta name="anshin-report">`` tag
(``read_report_facts``); other pages there (e.g. the public map) are listed
by their ``<title>`` and file time.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup
import pandas as pd

from anshin_lab.core.clock import TOKYO_NAME, tokyo_now
from anshin_lab.views.reports.common import CONFIDENTIAL_CSS, confidential_html, default_reports_dir, write_report

__all__ = ["HEAD_BYTES", "INDEX_NAME", "META_TAG", "IndexEntry", "list_reports", "read_report_facts", "refresh_index"]

INDEX_NAME = "index.html"
# How much of a report's head holds its <meta name="anshin-report"> (it comes before the inlined CSS).
HEAD_BYTES = 64 * 1024


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
        head = handle.read(HEAD_BYTES).decode("utf-8", errors="replace")
    tag = META_TAG.search(head)
    content = META_CONTENT.search(tag.group(0)) if tag else None
    if not content:
        return None
    try:
        return json.loads(html.unescape(content.group(2)))
    except json.JSONDecodeError:
        return None


# The tag as written here, or as nbconvert's BeautifulSoup pass re-serialises it (attributes reordered,
# single quotes around JSON).
META_TAG = re.compile(r"""<meta\b[^>]*\bname=["']anshin-report["'][^>]*>""")
META_CONTENT = re.compile(r"""\bcontent=(["'])(.*?)\1""", re.S)


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
                head = handle.read(HEAD_BYTES).decode("utf-8", errors="replace")
            m = re.search(r"<title>(.*?)</title>", head, flags=re.S)
            title = html.unescape(m.group(1)).strip() if m else path.stem
            run_at = pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC").tz_convert(TOKYO_NAME)
            entries.append(IndexEntry(path.name, title or path.stem, "other", "", "", "", run_at, "ok", ""))
            continue
        run_at = pd.Timestamp(facts.get("run_at") or pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC"))
        run_at = (run_at.tz_localize(TOKYO_NAME) if run_at.tzinfo is None else run_at).tz_convert(TOKYO_NAME)
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
{{ label_css }}
</style></head>
<body>
{{ label }}
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
    reports_dir = Path(reports_dir) if reports_dir else default_reports_dir()
    env = jinja2.Environment(autoescape=True)
    env.filters["urlquote"] = lambda name: quote(name)
    text = env.from_string(INDEX_TEMPLATE).render(entries=list_reports(reports_dir), label=Markup(confidential_html()),
                                                  label_css=CONFIDENTIAL_CSS,
                                                  updated=f"{tokyo_now():%Y-%m-%d %H:%M:%S}")
    path = reports_dir / INDEX_NAME
    write_report(path, text)
    return path
