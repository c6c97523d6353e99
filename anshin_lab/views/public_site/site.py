"""``write_site``: the static public site of ``anshin publish``, every page in every language, fully offline.

Layout of the output folder (default ``reports/public/``)::

    index.html                 the language choice
    <code>/index.html          sent alerts, newest first, with follow-ups; filters by category and municipality
    <code>/alerts/<id>.html    one alert, its published area on a small map, its follow-ups
    <code>/statistics.html     per municipality × month × category, per 1,000 households, with SVG charts
    <code>/map.html            the public map (``map/public_map.html``, ``views.maps.public``)
    <code>/places.html         how places are coarsened (generated from the privacy Policy)
    <code>/data.html           links to the open data and the CAP feed
    opendata/, cap/            ``app.open_data.write_open_data``, ``app.cap_feed.write_cap_feed``
    assets/                    site.css, site.js, Leaflet (vendored in ``views/maps/static``)

One folder per language code of ``drafting.languages.LANGUAGES``. Nothing is
loaded from the network: Leaflet is copied from the package, fonts are the
system's. Everything comes from ``app.public_data`` (sent alerts only).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from anshin_lab.app.cap_feed import write_cap_feed
from anshin_lab.app.catalog import load_areas
from anshin_lab.app.open_data import write_open_data
from anshin_lab.app.public_data import published_alerts, published_statistics
from anshin_lab.app.workspace import Workspace, require_workspace
from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.files import write_atomic
from anshin_lab.core.settings import PROJECT_ROOT
from anshin_lab.drafting.languages.codes import LANGUAGES
from anshin_lab.privacy import Decision
from anshin_lab.views.maps.assets import STATIC_DIR, render_html
from anshin_lab.views.maps.public import public_map
from anshin_lab.views.public_site.pages import (
    alert_view,
    category_options,
    city_options,
    places_view,
    statistics_view,
)
from anshin_lab.views.public_site.wording import format_sent_at, site_words

__all__ = ["DEFAULT_OUT", "PAGES", "SiteResult", "write_site"]

DEFAULT_OUT = Path("reports") / "public"
HERE = Path(__file__).parent
# A file that marks a folder as written by ``write_site``: only such a folder is emptied before writing.
MARKER = ".anshin-public-site"
# The pages every language has besides one per alert: (file, template, label of its title and menu entry).
PAGES = (
    ("index.html", "index.html.j2", "nav_alerts"),
    ("statistics.html", "statistics.html.j2", "nav_stats"),
    ("map.html", "map.html.j2", "nav_map"),
    ("places.html", "places.html.j2", "nav_places"),
    ("data.html", "data.html.j2", "nav_data"),
)
PUBLIC_MAP = Path("map") / "public_map.html"


class SiteError(AnshinError):
    """The public site cannot be written where asked."""


@dataclass(frozen=True)
class SiteResult:
    """What ``write_site`` wrote: the folder, the pages (HTML files) and the alerts listed."""

    out_dir: Path
    pages: int
    alerts: int
    followups: int
    languages: tuple[str, ...]

    def line(self) -> str:
        """One Japanese line for the command line."""
        return (f"公開サイトを書き出しました: {self.out_dir / 'index.html'}"
                f"(発信情報 {self.alerts}件・続報 {self.followups}件、{len(self.languages)}言語、{self.pages}ページ)")


def write_site(workspace=None, out_dir=None, *, base_url: str | None = None) -> SiteResult:
    """Write the public site of a workspace's sent alerts into ``out_dir`` (default ``reports/public/``).

    The folder is emptied first when an earlier ``write_site`` wrote it (it
    holds the marker file); a folder that holds anything else is refused
    with ``SiteError``. ``base_url`` is where the site will be served, for
    the CAP feed's links (relative links when None).
    """
    ws = workspace if isinstance(workspace, Workspace) else require_workspace(workspace)
    out = Path(out_dir).expanduser() if out_dir is not None else PROJECT_ROOT / DEFAULT_OUT
    _prepare(out)
    area_set = load_areas(ws.root)
    items = published_alerts(ws, areas=area_set)
    stats = published_statistics(ws, alerts_list=items, areas=area_set)
    write_open_data(ws, out / "opendata", alerts_list=items)
    write_cap_feed(ws, out / "cap", base_url=base_url, alerts_list=items)
    _write_public_map(ws, items, area_set, out / PUBLIC_MAP)
    _copy_assets(out / "assets")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    now = tokyo_now()
    data_files = _data_files(out)
    pages = 0
    for code in LANGUAGES:
        pages += _write_language(env, out, code, items, stats, now, data_files)
    pages += _write_choice(env, out)
    return SiteResult(out, pages, len(items), sum(len(a.followups) for a in items), tuple(LANGUAGES))


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} はファイルです。公開サイトの出力先にはフォルダを指定してください(--out)")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SiteError(f"{out} には公開サイト以外のファイルがあります。空のフォルダか新しいフォルダを指定してください(--out)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("anshin publish\n", encoding="utf-8")


def _write_public_map(ws, items, area_set, path: Path) -> None:
    """The public map of the same alerts (``views.maps.public``), drawn at their published areas."""
    pairs = [(Decision(alert.area_level, alert.area_code, alert.area_name, None, alert.public_text, ()),
              {"category": alert.category, "date": alert.sent_at, "title": alert.subject}) for alert in items]
    text = render_html(public_map(pairs, areas=area_set, tile_url=ws.settings.tile_url))
    write_atomic(path, text, mode=None)


def _copy_assets(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "site.js"):
        shutil.copyfile(HERE / "static" / name, folder / name)
    leaflet = STATIC_DIR / "leaflet"
    target = folder / "leaflet"
    target.mkdir(exist_ok=True)
    for name in ("leaflet.js", "leaflet.css", "LICENSE"):
        shutil.copyfile(leaflet / name, target / name)
    shutil.copytree(leaflet / "images", target / "images", dirs_exist_ok=True)


def _data_files(out: Path) -> list[dict]:
    """The open data and CAP files written, grouped for the data page (paths relative to a language folder)."""
    groups = []
    for folder, key, first in (("opendata", "data_csv", (".csv",)), ("cap", "data_cap", (".atom", ".xml"))):
        files = sorted(p for p in (out / folder).rglob("*") if p.is_file())
        main = [p for p in files if p.suffix in first and p.parent == out / folder]
        groups.append((key, main))
        groups.append(("data_other", [p for p in files if p not in main and p.parent == out / folder]))
    return [{"key": key, "files": [{"href": "../" + p.relative_to(out).as_posix(), "name": p.name} for p in files]}
            for key, files in groups if files]


def _languages(code: str, page: str) -> list[dict]:
    return [{"code": other, "html_lang": LANGUAGES[other].html_lang, "name": LANGUAGES[other].native,
             "href": f"../{other}/{page}" if page.count("/") == 0 else f"../../{other}/{page}",
             "current": other == code} for other in LANGUAGES]


def _write_language(env, out: Path, code: str, items, stats, now, data_files) -> int:
    words = site_words(code)
    folder = out / code
    common = {"words": words, "generated": format_sent_at(now, code), "generated_iso": now.isoformat(timespec="seconds")}

    def render(page: str, template: str, title: str, current: str | None, **context) -> None:
        depth = page.count("/")
        up = "../" * depth
        nav = [{"href": up + name, "label": words.label(key), "current": name == current} for name, _, key in PAGES]
        text = env.get_template(template).render(
            **common, **context, page_title=title, root="../" * (depth + 1), nav=nav,
            languages=_languages(code, page))
        write_atomic(folder / page, text, mode=None)

    views = [alert_view(a, words, href=f"alerts/{a.alert_id}.html", original_href=f"../../ja/alerts/{a.alert_id}.html")
             for a in items]
    render("index.html", "index.html.j2", words.label("nav_alerts"), "index.html", alerts=views,
           category_options=category_options(items, words), city_options=city_options(items, words))
    for view in views:
        render(f"alerts/{view['alert_id']}.html", "alert.html.j2",
               f"{view['title']} ({view['sent']})", None, alert=view)
    render("statistics.html", "statistics.html.j2", words.label("stats_title"), "statistics.html",
           **statistics_view(stats, words))
    render("map.html", "map.html.j2", words.label("map_title"), "map.html", map_href="../" + PUBLIC_MAP.as_posix())
    render("places.html", "places.html.j2", words.label("places_title"), "places.html", **places_view(items, words))
    groups = [{"title": words.label(g["key"]), "files": g["files"]} for g in data_files]
    render("data.html", "data.html.j2", words.label("data_title"), "data.html", groups=groups)
    return len(PAGES) + len(views)


def _write_choice(env, out: Path) -> int:
    """The root page: each language named in itself, linking to its list of alerts."""
    first = next(iter(LANGUAGES))
    languages = [{"href": f"{code}/index.html", "html_lang": LANGUAGES[code].html_lang,
                  "name": LANGUAGES[code].native, "site_title": site_words(code).label("site_title")}
                 for code in LANGUAGES]
    titles = [{"html_lang": LANGUAGES[code].html_lang, "text": site_words(code).label("languages_title")}
              for code in ("ja", "en") if code in LANGUAGES]
    text = env.get_template("languages.html.j2").render(
        html_lang=LANGUAGES[first].html_lang, titles=titles, skip=site_words(first).label("skip"), languages=languages)
    write_atomic(out / "index.html", text, mode=None)
    return 1
