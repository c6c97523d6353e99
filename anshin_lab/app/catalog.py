"""The named data of a workspace, read in one place: its areas, layers and stored incidents.

Analysis code, views and notebooks ask the catalog for data by name rather
than opening files or the database themselves: ``load_areas`` (the
``AreaSet``), ``load_layer`` (one layer of the area file) and
``read_incidents`` (the stored incidents). They raise ``WorkspaceError`` when
``anshin init`` has not run in the workspace.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from anshin_lab.app.workspace import load_layer, require_workspace
from anshin_lab.core.settings import Settings
from anshin_lab.places.areaset import AreaSet
from anshin_lab.places.reference import TOWNS_FILE, load_station_table, load_towns
from anshin_lab.storage import store

__all__ = ["load_areas", "load_layer", "read_incidents"]


def load_areas(workspace=None) -> AreaSet:
    """The AreaSet of a workspace (the default one when None).

    Reads the workspace's layers (``small_areas``, ``municipalities``), the
    station table and the town list from its reference dir. Raises
    ``WorkspaceError`` when the workspace is not initialised.
    """
    ws = require_workspace(workspace)
    small = load_layer(ws, "small_areas")
    cities = load_layer(ws, "municipalities")
    station_table = load_station_table(ws.reference_dir)
    towns_path = ws.reference_dir / TOWNS_FILE
    towns = load_towns(ws.reference_dir) if towns_path.exists() else None
    return AreaSet.from_layers(small, cities, station_table=station_table, towns=towns)


def read_incidents(workspace: str | Path | None = None, *, since=None, until=None, category: str | None = None,
                   settings: Settings | None = None) -> gpd.GeoDataFrame:
    """The incidents stored in a workspace (the default one when None), oldest first."""
    ws = require_workspace(workspace, settings)
    engine = store.connect(ws.database_url)
    try:
        return store.read_incidents(engine, since=since, until=until, category=category)
    finally:
        engine.dispose()
