"""The 回覧板 as an A4 PDF: sent alerts as published, their area maps, tips, contact and a 回覧 stamp table.

``write_alert_circular`` (one sent alert) and ``write_week_circular`` (a week
of sent alerts in a municipality or station district) draw what
``app.printing`` collected with matplotlib's PDF backend, offline: the map is
the published polygon drawn over the workspace's reference outlines (never a
point, never finer than the 町丁目), the type is large (14 pt body), and the
Japanese font is embedded (TrueType, so the text can be searched and copied).
The file leaves the workspace, so every text printed on it is read by the
privacy lint first: a finding refuses the whole file, and nothing is written.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import matplotlib.lines
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from anshin_lab.app.printing import Circular, PrintedSection, alert_circular, format_day, week_circular
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.directive import POLICE_NAME, SERVICE_NAME
from anshin_lab.core.errors import ReportError
from anshin_lab.core.files import write_atomic
from anshin_lab.core.settings import PROJECT_ROOT
from anshin_lab.privacy import PrivacyError, lint
from anshin_lab.views.charts import use_japanese_font
from anshin_lab.views.print_layout import PAGE_H_MM, PAGE_W_MM, Block, flow, line_height, wrap_text

__all__ = [
    "AREA_FILL", "DEFAULT_DIR", "MapPlacement", "PrintResult", "render_circular", "write_alert_circular",
    "write_week_circular",
]

DEFAULT_DIR = PROJECT_ROOT / "reports" / "circulars"
# The published area's fill: used for nothing else on the page, so it can be found in a picture of it.
AREA_FILL = "#e8590c"
AREA_EDGE = "#862e00"
SEA, LAND, OUTLINE, NEIGHBOUR = "#e7f5ff", "#f1f3f5", "#495057", "#adb5bd"
INK, MUTED, ACCENT, TIP_BG, RULE = "#111111", "#495057", "#c92a2a", "#fff9db", "#868e96"
MARGIN = 14.0
CONTENT_W = PAGE_W_MM - 2 * MARGIN
HEAD_PT, TITLE_PT, BODY_PT, SMALL_PT = 20, 16, 13, 10.5
# A section's map (width, height in mm): larger when the sheet holds one alert.
MAP_SIZES = {"single": (100.0, 66.0), "week": (92.0, 58.0)}
STAMP_COLUMNS, STAMP_LABEL_W, STAMP_NAME_H, STAMP_SEAL_H = 8, 22.0, 11.0, 19.0
STAMP_H = line_height(SMALL_PT) + STAMP_NAME_H + STAMP_SEAL_H + 2
FOOTER_H = 10.0
LINT_KINDS = {"person": "人名", "facility": "施設名", "exact_address": "番地・号", "phone": "電話番号",
              "email": "メールアドレス"}


@dataclass(frozen=True)
class MapPlacement:
    """Where a section's map is: ``page`` (0-based), ``box`` (left, top, right, bottom as shares of the page
    from its top-left corner) and ``extent`` (minx, miny, maxx, maxy, EPSG:4326) it shows exactly."""

    alert_id: int
    page: int
    box: tuple[float, float, float, float]
    extent: tuple[float, float, float, float]


@dataclass(frozen=True)
class PrintResult:
    """What was written: the PDF, its pages, the alerts printed and where each map is."""

    path: Path
    pages: int
    alert_ids: tuple[int, ...]
    maps: tuple[MapPlacement, ...]

    def line(self) -> str:
        ids = "、".join(f"#{i}" for i in self.alert_ids) or "なし"
        return f"回覧板を書き出しました: {self.path}({self.pages}ページ、配信 {len(self.alert_ids)}件: {ids})"


def write_alert_circular(workspace, alert_id: int, out=None) -> PrintResult:
    """Write the 回覧板 of one sent alert to ``out`` (default ``reports/circulars/alert-<id>.pdf``).

    ``workspace`` is a folder or None (the default workspace). Raises
    ``PrintError`` for an alert that was not sent and ``PrivacyError`` when
    the lint finds anything in the printed text (nothing is written then).
    """
    circular = alert_circular(require_workspace(workspace), alert_id)
    return render_circular(circular, Path(out).expanduser() if out else DEFAULT_DIR / f"{circular.name}.pdf")


def write_week_circular(workspace, area: str, week_of=None, out=None) -> PrintResult:
    """Write the 回覧板 of a week's sent alerts in ``area`` (default ``reports/circulars/week-<area>-<monday>.pdf``).

    ``week_of`` is any day of the week (a ``datetime.date``; this week when
    None). Raises as ``write_alert_circular`` does, and ``PrintError`` for an
    area the workspace does not know.
    """
    circular = week_circular(require_workspace(workspace), area, week_of)
    return render_circular(circular, Path(out).expanduser() if out else DEFAULT_DIR / f"{circular.name}.pdf")


def render_circular(circular: Circular, path) -> PrintResult:
    """Draw ``circular`` on A4 pages and write it to ``path`` as one PDF, fonts embedded.

    Every text drawn is linted first (``privacy.lint``); a finding raises
    ``PrivacyError`` naming the alert and the kind of finding (never the
    text) and nothing is written. Raises ``ReportError`` when no Japanese
    font is installed.
    """
    font = use_japanese_font()
    if font is None:
        raise ReportError("日本語のフォントが見つかりません(回覧板の文字が印刷できません): "
                          "fonts-ipafont-gothic を入れてください(make system)")
    sheet = _Sheet(circular)
    sheet.check_privacy()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"font.family": font, "pdf.fonttype": 42, "axes.unicode_minus": False}):
        maps = sheet.draw(buffer)
    path = write_atomic(Path(path), buffer.getvalue(), mode=None)
    return PrintResult(path, sheet.pages, circular.alert_ids, maps)


class _Sheet:
    """One circular laid out: the texts it prints (for the lint), its blocks and their pages."""

    def __init__(self, circular: Circular):
        self.circular = circular
        self.texts: dict[int | None, list[str]] = {None: []}  # what each section prints (None: the page's own)
        self.kind = "single" if len(circular.sections) <= 1 else "week"
        groups = [self._intro()]
        for number, section in enumerate(circular.sections):
            groups += self._section(section, first=number == 0)
        if circular.note:
            groups.append([self._paragraph(circular.note, BODY_PT, None)])
        self.footer_texts = [f"{SERVICE_NAME}({POLICE_NAME}) 発行日 {format_day(circular.issued_on)}"]
        self.texts[None] += self.footer_texts + _STAMP_TEXTS
        top = MARGIN + 26.0
        bottom = PAGE_H_MM - MARGIN - FOOTER_H
        self.placed, self.pages = flow(groups, top=top, bottom=bottom, first_bottom=bottom - STAMP_H - 4,
                                       next_top=MARGIN + 10.0)

    # -- what is printed ---------------------------------------------------------------------

    def _say(self, section: int | None, text: str) -> str:
        self.texts.setdefault(section, []).append(text)
        return text

    def _paragraph(self, text: str, size: float, section: int | None, *, width: float = CONTENT_W,
                   indent: float = 0.0, colour: str = INK) -> Block:
        lines = wrap_text(self._say(section, text), width - indent, size)
        step = line_height(size)

        def draw(page, top):
            for i, line in enumerate(lines):
                page.text(MARGIN + indent, top + i * step, line, size, colour)
        return Block(step * len(lines), draw)

    def _intro(self) -> list[Block]:
        c = self.circular
        words = [self._say(None, f"{SERVICE_NAME} {c.title}"), None,
                 self._say(None, f"発行日 {format_day(c.issued_on)}"), self._say(None, POLICE_NAME),
                 self._say(None, "回覧")]
        scope = self._paragraph(c.scope, 14, None)
        lead = self._paragraph("警察が会員にメールで配信したお知らせを、メールを使わない方にもお届けします。"
                               "読んだら下の回覧確認欄にお名前を書き、次の方へ回してください。", SMALL_PT, None,
                               colour=MUTED)

        def head(page, top):
            page.stamp(MARGIN, MARGIN, 26, 19, words[4])
            page.text(MARGIN + 31, MARGIN + 4, words[0], HEAD_PT, INK)
            page.text(PAGE_W_MM - MARGIN, MARGIN + 3, words[3], 12, INK, align="right")
            page.text(PAGE_W_MM - MARGIN, MARGIN + 10, words[2], 12, INK, align="right")
            page.rule(MARGIN + 22)
        return [Block(0.0, head), scope, Block(1.0, lambda page, top: None), lead, Block(3.0, lambda page, top: None)]

    def _section(self, s: PrintedSection, *, first: bool) -> list[list[Block]]:
        sid = s.alert_id
        map_w, map_h = MAP_SIZES[self.kind]
        title = self._paragraph(s.title, TITLE_PT, sid)
        facts_x = map_w + 6.0
        facts_w = CONTENT_W - facts_x
        facts = [("分類", s.category_label), (f"配信日時(配信 #{sid})", s.sent), ("場所(範囲)", s.area_text)]
        fact_blocks = []
        for label, value in facts:
            fact_blocks.append((self._say(sid, label), wrap_text(self._say(sid, value), facts_w, 13)))
        note = wrap_text(self._say(sid, "地図の色の範囲が配信した場所です(正確な地点ではありません)。"), facts_w, SMALL_PT)
        facts_h = sum(line_height(SMALL_PT) + len(v) * line_height(13) + 1.5 for _, v in fact_blocks) \
            + len(note) * line_height(SMALL_PT)

        def draw_map(page, top):
            page.area_map(s, MARGIN, top, map_w, map_h)
            y = top
            for label, values in fact_blocks:
                page.text(MARGIN + facts_x, y, label, SMALL_PT, MUTED)
                y += line_height(SMALL_PT)
                for value in values:
                    page.text(MARGIN + facts_x, y, value, 13, INK)
                    y += line_height(13)
                y += 1.5
            for line in note:
                page.text(MARGIN + facts_x, y, line, SMALL_PT, MUTED)
                y += line_height(SMALL_PT)

        head = [] if first else [Block(6.0, lambda page, top: page.rule(top + 2.5))]
        groups = [head + [Block(1.0, lambda page, top: None), title, Block(2.0, lambda page, top: None),
                          Block(max(map_h, facts_h) + 4.0, draw_map)]]
        groups += [[self._paragraph(line, BODY_PT, sid)] for line in s.lines]
        if s.tips:
            groups.append([Block(2.0, lambda page, top: None), self._box("防犯のポイント", [f"★{t}" for t in s.tips], sid)])
        groups.append([Block(2.0, lambda page, top: None), self._box("問い合わせ先", [s.contact], sid, fill="#ffffff")])
        for followup in s.followups:
            groups.append([Block(3.0, lambda page, top: None),
                           self._paragraph(f"続報({followup.sent}) {followup.title}", BODY_PT, sid, colour=ACCENT)])
            groups += [[self._paragraph(line, BODY_PT, sid, indent=4.0)] for line in followup.lines]
        return groups

    def _box(self, heading: str, lines: list[str], section: int, *, fill: str = TIP_BG) -> Block:
        inner = CONTENT_W - 8.0
        wrapped = [wrap_text(self._say(section, line), inner, BODY_PT) for line in lines]
        self._say(section, heading)
        height = line_height(SMALL_PT + 1) + sum(len(w) for w in wrapped) * line_height(BODY_PT) + 5.0

        def draw(page, top):
            page.box(MARGIN, top, CONTENT_W, height - 1.0, fill)
            page.text(MARGIN + 4, top + 1.5, heading, SMALL_PT + 1, ACCENT)
            y = top + 1.5 + line_height(SMALL_PT + 1)
            for rows in wrapped:
                for row in rows:
                    page.text(MARGIN + 4, y, row, BODY_PT, INK)
                    y += line_height(BODY_PT)
        return Block(height, draw)

    # -- the lint ---------------------------------------------------------------------------

    def check_privacy(self) -> None:
        """Lint every text this sheet prints, per section; a finding raises ``PrivacyError`` (nothing written)."""
        for section, texts in self.texts.items():
            findings = lint("\n".join(texts))
            if findings:
                kinds = "・".join(dict.fromkeys(LINT_KINDS.get(f.kind, "公開できない表現") for f in findings))
                where = f"配信 #{section} の文面" if section is not None else "回覧板の見出し"
                raise PrivacyError(f"{where}に、紙に載せられない表現({kinds}、{len(findings)}か所)が見つかりました。"
                                   f"印刷しません: 直した文面を続報・訂正として発信してから印刷してください")

    # -- drawing ------------------------------------------------------------------------------

    def draw(self, buffer) -> tuple[MapPlacement, ...]:
        meta = {"Title": f"{self.circular.title} {self.circular.scope}", "Author": POLICE_NAME,
                "Subject": SERVICE_NAME, "Creator": SERVICE_NAME}
        maps: list[MapPlacement] = []
        with PdfPages(buffer, metadata=meta) as pdf:
            for number in range(self.pages):
                page = _Page()
                for placed in self.placed:
                    if placed.page == number:
                        placed.block.draw(page, placed.top)
                if number == 0:
                    page.stamp_table(PAGE_H_MM - MARGIN - FOOTER_H - STAMP_H)
                else:
                    page.text(MARGIN, MARGIN, f"{self.circular.title}(続き) {self.circular.scope}", SMALL_PT, MUTED)
                    page.rule(MARGIN + 6)
                page.text(MARGIN, PAGE_H_MM - MARGIN - 4, self.footer_texts[0], SMALL_PT - 1, MUTED)
                page.text(PAGE_W_MM - MARGIN, PAGE_H_MM - MARGIN - 4, f"{number + 1} / {self.pages}",
                          SMALL_PT - 1, MUTED, align="right")
                maps += [MapPlacement(m.alert_id, number, m.box, m.extent) for m in page.maps]
                pdf.savefig(page.figure)
        return tuple(maps)


_STAMP_TEXTS = ["回覧確認欄", "読んだらお名前を書くか押印して、次の方へ回してください。", "お名前", "確認印"]


class _Page:
    """One A4 figure, drawn in millimetres from the top-left corner."""

    def __init__(self):
        self.figure = Figure(figsize=(PAGE_W_MM / 25.4, PAGE_H_MM / 25.4))
        self.figure.patch.set_facecolor("white")
        self.maps: list[MapPlacement] = []

    @staticmethod
    def _x(mm: float) -> float:
        return mm / PAGE_W_MM

    @staticmethod
    def _y(mm: float) -> float:
        return 1.0 - mm / PAGE_H_MM

    def text(self, x, top, text, size, colour, *, align="left"):
        self.figure.text(self._x(x), self._y(top), text, fontsize=size, color=colour, ha=align, va="top",
                         parse_math=False)

    def rule(self, y, colour=RULE):
        self.figure.add_artist(matplotlib.lines.Line2D([self._x(MARGIN), self._x(PAGE_W_MM - MARGIN)],
                                                       [self._y(y), self._y(y)], color=colour, linewidth=0.8))

    def box(self, x, top, width, height, fill, edge=RULE):
        self.figure.add_artist(Rectangle((self._x(x), self._y(top + height)), width / PAGE_W_MM, height / PAGE_H_MM,
                                         facecolor=fill, edgecolor=edge, linewidth=0.8, zorder=0))

    def stamp(self, x, top, width, height, word):
        self.figure.add_artist(FancyBboxPatch(
            (self._x(x), self._y(top + height)), width / PAGE_W_MM, height / PAGE_H_MM,
            boxstyle="round,pad=0,rounding_size=0.01", facecolor="white", edgecolor=ACCENT, linewidth=2.2))
        self.figure.text(self._x(x + width / 2), self._y(top + height / 2), word, fontsize=24, color=ACCENT,
                         ha="center", va="center", parse_math=False)

    def stamp_table(self, top):
        """The 回覧 stamp table: a name box and a seal box for each of ``STAMP_COLUMNS`` households."""
        self.text(MARGIN, top, f"{_STAMP_TEXTS[0]}  {_STAMP_TEXTS[1]}", SMALL_PT, INK)
        y = top + line_height(SMALL_PT) + 1
        column = (CONTENT_W - STAMP_LABEL_W) / STAMP_COLUMNS
        for label, height, row_top in ((_STAMP_TEXTS[2], STAMP_NAME_H, y), (_STAMP_TEXTS[3], STAMP_SEAL_H, y + STAMP_NAME_H)):
            self.box(MARGIN, row_top, STAMP_LABEL_W, height, "#f8f9fa", edge=INK)
            self.text(MARGIN + STAMP_LABEL_W / 2, row_top + height / 2 - 2.2, label, SMALL_PT, INK, align="center")
            for i in range(STAMP_COLUMNS):
                self.box(MARGIN + STAMP_LABEL_W + i * column, row_top, column, height, "white", edge=INK)

    def area_map(self, section: PrintedSection, x, top, width, height) -> None:
        """The published polygon over the reference outlines, in exactly the box given; no ticks, no labels."""
        extent = fitted_extent(section.extent, width, height)
        box = (x / PAGE_W_MM, top / PAGE_H_MM, (x + width) / PAGE_W_MM, (top + height) / PAGE_H_MM)
        ax = self.figure.add_axes((box[0], 1.0 - box[3], box[2] - box[0], box[3] - box[1]))
        ax.set_facecolor(SEA)
        context = section.context
        towns, cities = context[context["level"] == 1], context[context["level"] == 0]
        if len(cities):
            cities.plot(ax=ax, facecolor=LAND, edgecolor="none", aspect=None)
        if len(towns):
            towns.boundary.plot(ax=ax, color=NEIGHBOUR, linewidth=0.4, aspect=None)
        if len(cities):
            cities.boundary.plot(ax=ax, color=OUTLINE, linewidth=0.9, aspect=None)
        area = gpd.GeoSeries([section.geometry], crs=context.crs)
        area.boundary.plot(ax=ax, color=AREA_EDGE, linewidth=1.4, aspect=None)  # outside half stays visible
        area.plot(ax=ax, facecolor=AREA_FILL, edgecolor="none", aspect=None)
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("auto")
        ax.set_xlabel("")  # geopandas names the CRS's axes: no coordinate text on the paper
        ax.set_ylabel("")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(OUTLINE)
        self.maps.append(MapPlacement(section.alert_id, -1, box, extent))  # the page number is set when saved


def fitted_extent(extent, width_mm: float, height_mm: float) -> tuple[float, float, float, float]:
    """``extent`` grown in one direction so that a ``width_mm`` × ``height_mm`` box shows it undistorted.

    A degree of longitude is ``cos(latitude)`` of a degree of latitude, so at
    the extent's middle latitude the box's shape fixes the ratio of its spans.
    """
    minx, miny, maxx, maxy = extent
    k = 1.0 / math.cos(math.radians((miny + maxy) / 2))  # displayed y per x, as geopandas sets it
    dx, dy = maxx - minx, maxy - miny
    want_dy = dx * height_mm / (width_mm * k)
    if want_dy >= dy:
        grow = (want_dy - dy) / 2
        return (minx, miny - grow, maxx, maxy + grow)
    want_dx = dy * width_mm * k / height_mm
    grow = (want_dx - dx) / 2
    return (minx - grow, miny, maxx + grow, maxy)

