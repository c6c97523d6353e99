"""The workspace: where the database, reference layers, samples and quarantine live.

``init_workspace`` builds every missing part and leaves existing ones alone,
so running it again is cheap and safe.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import geopandas as gpd

from anshin_lab.places import areas
from anshin_lab.core.errors import WorkspaceError
from anshin_lab.core.settings import Settings, load_settings

REFERENCE_FILES = (
    areas.MUNICIPALITIES_FILE, areas.CENSUS_FILE, "census2015_small_areas.prj",
    areas.TOWNS_FILE, areas.STATIONS_FILE, "README.md",
)
LAYERS_FILE = "layers/areas.gpkg"


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace, derived from the settings."""

    settings: Settings

    @property
    def root(self) -> Path:
        return Path(self.settings.workspace)

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference"

    @property
    def layers_file(self) -> Path:
        return self.root / LAYERS_FILE

    @property
    def sample_dir(self) -> Path:
        return self.root / "sample"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def database_url(self) -> str:
        return self.settings.database

    def is_initialised(self) -> bool:
        return self.layers_file.exists() and (self.sample_dir / "incidents_export.csv").exists()


def open_workspace(workspace: str | Path | None = None, settings: Settings | None = None) -> Workspace:
    """The workspace at ``workspace`` (the configured default when None)."""
    settings = (settings or load_settings()).with_workspace(workspace)
    return Workspace(settings)


def require_workspace(workspace: str | Path | None = None, settings: Settings | None = None) -> Workspace:
    """Like ``open_workspace`` but fails clearly when ``anshin init`` has not run there."""
    ws = open_workspace(workspace, settings)
    if not ws.layers_file.exists():
        raise WorkspaceError(f"作業領域 {ws.root} は初期化されていません: 先に `anshin init --workspace {ws.root}` を実行してください")
    return ws


def init_workspace(workspace: str | Path | None = None, settings: Settings | None = None, *,
                   progress: Callable[[str], None] = lambda message: None) -> Workspace:
    """Create the workspace: reference data, area layers, database schema, sample data."""
    from anshin_lab.demo import sample
    from anshin_lab.storage import store  # heavy imports only when building

    ws = open_workspace(workspace, settings)
    try:
        ws.root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"作業領域 {ws.root} を作れません: {exc}") from exc
    _copy_reference(ws, progress)
    if not ws.layers_file.exists():
        progress("小地域レイヤを作成しています…")
        _write_layers(ws)
    store.connect(ws.database_url).dispose()
    if not (ws.sample_dir / "incidents_export.csv").exists():
        progress("サンプルデータ(事案・うそ電話・会員)を生成しています…")
        small_areas = load_layer(ws, "small_areas")
        sample.write_sample(ws.sample_dir, small_areas, ws.settings.sample_seed)
    ws.quarantine_dir.mkdir(mode=0o700, exist_ok=True)
    return ws


def _copy_reference(ws: Workspace, progress) -> None:
    source = Path(ws.settings.reference_dir).resolve()
    target = ws.reference_dir.resolve()
    if source == target:
        return
    # Real e-Stat boundaries, when a deployment put them in the reference folder, come along.
    estat = [p.name for p in source.glob(Path(areas.ESTAT_FILE).stem + ".*")]
    missing = [name for name in (*REFERENCE_FILES, *estat) if not (target / name).exists()]
    if not missing:
        return
    progress(f"参照データを {target} にコピーしています…")
    target.mkdir(parents=True, exist_ok=True)
    for name in missing:
        if not (source / name).exists():
            raise WorkspaceError(f"参照データ {source / name} がありません(ANSHIN_REFERENCE_DIR を確認してください)")
        shutil.copy2(source / name, target / name)


def _write_layers(ws: Workspace) -> None:
    small = areas.build_small_area_layer(ws.reference_dir)
    small["station"] = areas.assign_stations(small, areas.load_station_table(ws.reference_dir)).astype(str)
    cities = areas.load_municipalities(ws.reference_dir)
    ws.layers_file.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file first so an interrupted build leaves no half layer.
    fd, tmp = tempfile.mkstemp(suffix=".gpkg", dir=ws.layers_file.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        small.to_file(tmp, layer="small_areas", driver="GPKG")
        cities.to_file(tmp, layer="municipalities", driver="GPKG")
        os.replace(tmp, ws.layers_file)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load_layer(ws: Workspace, layer: str) -> gpd.GeoDataFrame:
    """One layer of the workspace's area file (``small_areas`` or ``municipalities``)."""
    if not ws.layers_file.exists():
        raise WorkspaceError(f"{ws.layers_file} がありません: `anshin init` を実行してください")
    return gpd.read_file(ws.layers_file, layer=layer)


def read_incidents(workspace: str | Path | None = None, *, since=None, until=None, category: str | None = None,
                   settings: Settings | None = None) -> gpd.GeoDataFrame:
    """The incidents stored in a workspace (the default one when None), oldest first."""
    from anshin_lab.storage import store

    ws = require_workspace(workspace, settings)
    engine = store.connect(ws.database_url)
    try:
        return store.read_incidents(engine, since=since, until=until, category=category)
    finally:
        engine.dispose()
