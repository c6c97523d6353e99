"""anshin-lab: the analyst workbench behind the police safety-mail service (県警あんしんメール).

The public API — what a notebook or a script needs — is importable from here::

    from anshin_lab import (load_incidents, parse_address, load_areas, assess, adjust,
                            lint, scrub, draft, followup, report_route, Granularity)

Each name lives on its floor (see ``ARCHITECTURE.md``); this table says where.
They are loaded on first use, so ``import anshin_lab`` (and the ``anshin``
command's ``--help``) does not pay for pandas, GeoPandas and SudachiPy.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> the module that defines it
_API = {
    "load_incidents": "anshin_lab.app.imports",
    "parse_address": "anshin_lab.places",
    "load_areas": "anshin_lab.app.catalog",
    "assess": "anshin_lab.privacy",
    "adjust": "anshin_lab.privacy",
    "lint": "anshin_lab.privacy",
    "scrub": "anshin_lab.privacy",
    "draft": "anshin_lab.drafting",
    "followup": "anshin_lab.drafting",
    "report_route": "anshin_lab.workflow.rules",
    "Granularity": "anshin_lab.core.granularity",
    "AnshinError": "anshin_lab.core.errors",
    "DataError": "anshin_lab.core.errors",
    "LoadResult": "anshin_lab.records",
    "Settings": "anshin_lab.core.settings",
    "load_settings": "anshin_lab.core.settings",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    # PEP 562: load a public name's floor the first time it is asked for.
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'anshin_lab' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
