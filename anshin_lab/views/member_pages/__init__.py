"""The member site's pages (``app.member_site``): Jinja2 templates, Japanese, no script, nothing from elsewhere.

``render(name, **context)`` is the callable ``app.member_site.MemberSite``
takes; ``anshin members serve`` passes it in (the app floor draws nothing).
Every page declares ``lang="ja"`` and a viewport, labels each field and
loads no external asset, font, script or counter.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from anshin_lab.core.directive import PREFECTURE

__all__ = ["render"]

HERE = Path(__file__).resolve().parent
SITE_NAME = "県警あんしんメール"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # auto_reload off: the templates ship with the package, and a stat per template per request costs.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, auto_reload=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(site_name=SITE_NAME, prefecture=PREFECTURE, checkboxes=checkboxes)
    return env


@lru_cache(maxsize=64)
def _box_parts(name: str, items: tuple) -> tuple[tuple[str, str, str], ...]:
    """``(value, opening, closing)`` of each checkbox, escaped once: the long lists are the same on every page."""
    return tuple((str(value), f'<label><input type="checkbox" name="{escape(name)}" value="{escape(value)}"',
                  f"> {escape(label)}</label>\n") for value, label in items)


def checkboxes(name: str, items: tuple, checked) -> Markup:
    """Labelled checkboxes ``name`` for ``items`` ((value, label), …), those in ``checked`` ticked."""
    return Markup("".join(opening + (" checked" if value in checked else "") + closing
                          for value, opening, closing in _box_parts(name, tuple(items))))


def render(name: str, **context) -> str:
    """The page ``name`` (a template in ``templates/``) with ``context``."""
    return _environment().get_template(name).render(**context)
