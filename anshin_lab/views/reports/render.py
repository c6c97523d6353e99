"""Report HTML: the executed notebook without code cells, and the error page, both loading nothing from outside.

``render_html`` uses nbconvert's lab template minus require.js, MathJax,
mermaid and the widget loader, which come from CDNs, and refuses a page that
would still load something from another host (``external_references``).
``write_error_report`` writes the page a failed run leaves behind.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.errors import ReportError
from anshin_lab.views.reports.common import (
    CONFIDENTIAL_CSS,
    KIND,
    confidential_html,
    jsonable,
    package_version,
    param_text,
    skip_iri_grammar,
    write_report,
)

__all__ = ["external_references", "render_html", "report_exporter", "write_error_report"]


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
{%- block body_header -%}
{{ super() }}
{{ resources.anshin_label }}
{%- endblock body_header -%}
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


_EXPORTERS: list = []  # the one report exporter of this process, once built


def report_exporter():
    """nbconvert's exporter for reports (the lab template without its CDN parts), built once per process.

    Importing nbconvert and compiling its templates takes about half a
    second; ``run_fraud_summary`` calls this in a thread while the notebook
    runs, and every later report of the process reuses the exporter.
    """
    if not _EXPORTERS:
        skip_iri_grammar()
        # why: nbconvert takes seconds to import; only rendering needs it, and only after skip_iri_grammar
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name="lab", extra_loaders=[jinja2.DictLoader({"anshin_report.html.j2": TEMPLATE})],
            template_file="anshin_report.html.j2", exclude_input=True, exclude_input_prompt=True,
            exclude_output_prompt=True, theme="light", language_code="ja", require_js_url="", mathjax_url="",
            mermaid_js_url="", mermaid_layout_elk_js_url="", jupyter_widgets_base_url="",
        )
        exporter.template  # noqa: B018 - compiles the template now, not in the first report
        _EXPORTERS.append(exporter)
    return _EXPORTERS[0]


def render_html(nb, facts: dict) -> str:
    """The executed notebook as HTML without code cells, loading nothing from outside.

    Uses nbconvert's lab template with the CDN parts removed, and the report's
    facts in ``<meta name="anshin-report">``. Raises ``ReportError`` when the
    result would still load something from another host.
    """
    exporter = report_exporter()
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
    body, _ = exporter.from_notebook_node(nb, resources={
        "anshin_meta": json.dumps(facts, ensure_ascii=False, default=str), "anshin_css": REPORT_CSS + CONFIDENTIAL_CSS,
        "anshin_label": confidential_html()})
    body, filled = _SLOT.subn(lambda m: slots[m.group(1)], body)
    if filled != len(slots):
        raise ReportError(f"報告書の組み立てに失敗しました(出力 {len(slots)}件のうち {filled}件しか入りませんでした)")
    external = external_references(body)
    if external:
        raise ReportError(f"報告書が外部のファイルを読み込もうとしています({', '.join(external[:3])})。"
                          f"閉じたネットワークでは表示できないため書き出しません")
    return body


ERROR_TEMPLATE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="generator" content="anshin-lab">
<meta name="anshin-report" content="{{ meta }}">
<style>
body { font-family: "IPAexGothic", "IPAGothic", sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; }
h1 { color: #b71c1c; } table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
pre { background: #f6f8fa; padding: 1em; overflow-x: auto; white-space: pre-wrap; }
{{ label_css }}
</style></head>
<body>
{{ label }}
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
    path = Path(path)
    run_at = tokyo_now()
    title = title or f"集計に失敗しました: うそ電話詐欺の集計 {parameters.get('area', '')} " \
                     f"{parameters.get('start', '')}〜{parameters.get('end', '')}"
    facts = {"kind": KIND, "status": "failed", "title": title, "area": parameters.get("area"),
             "start": parameters.get("start"), "end": parameters.get("end"), "run_at": run_at.isoformat(),
             "version": package_version(), "parameters": jsonable(parameters), "cell": cell,
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
        title=title, label=Markup(confidential_html()), label_css=CONFIDENTIAL_CSS,
        meta=json.dumps(facts, ensure_ascii=False, default=str), message=message,
        notebook=Path(notebook).name if notebook else "—", cell_text=cell_text, ename=ename or "—",
        evalue=evalue or "", run_at=f"{run_at:%Y-%m-%d %H:%M:%S}", version=package_version(), source=source,
        parameters=[(k, param_text(v)) for k, v in parameters.items()], traceback=traceback_text)
    write_report(path, text)
    return path
