"""The workspace: where the database, reference layers, samples and quarantine live.

``init_workspace`` builds every missing part and leaves existing ones alone,
so running it again is cheap and safe. The sample data is written by a
function the caller passes in (``anshin init`` passes the demo's
``write_sample``): the product itself never imports the demo.

The workspace also holds what the service needs and nobody else may read:
the service key (``secrets/service.key``, 0600 in a 0700 folder), the file
the audit chain's head is anchored in (``audit/anchor.log``) and the
service's socket (``run/service.sock``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import geopandas as gpd

from anshin_lab.core.errors import WorkspaceError
from anshin_lab.core.settings import Settings, load_settings
from anshin_lab.places.estat import build_small_area_layer
from anshin_lab.places.reference import (
    CENSUS_FILE,
    ESTAT_FILE,
    MUNICIPALITIES_FILE,
    STATIONS_FILE,
    TOWNS_FILE,
    assign_stations,
    load_municipalities,
    load_station_table,
)
from anshin_lab.storage import store
from anshin_lab.workflow.authority import Authority, create_key, current, install, load_key

REFERENCE_FILES = (
    MUNICIPALITIES_FILE, CENSUS_FILE, "census2015_small_areas.prj",
    TOWNS_FILE, STATIONS_FILE, "README.md",
)
LAYERS_FILE = "layers/areas.gpkg"
# The file whose presence says the sample data has been written.
SAMPLE_MARKER = "incidents_export.csv"
# Writes the sample data: (sample_dir, small-area layer, seed) -> counts and paths.
SampleWriter = Callable[[Path, gpd.GeoDataFrame, int], dict]


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

    @property
    def key_file(self) -> Path:
        """The service's signing key (0600; only the service's OS user reads it)."""
        return self.root / "secrets" / "service.key"

    @property
    def audit_anchor(self) -> Path:
        """The append-only file the audit chain's head is anchored in, outside the database."""
        return self.root / "audit" / "anchor.log"

    @property
    def service_socket(self) -> Path:
        """The Unix socket ``anshin service`` listens on."""
        return self.root / "run" / "service.sock"

    def authority(self) -> Authority:
        """What the service holds here: the key (``ConfigError`` naming the fix when unreadable) and the anchor file."""
        return Authority(load_key(self.key_file), self.audit_anchor)

    def is_initialised(self) -> bool:
        """Whether ``anshin init`` has built the area layers and the database here.

        A server database (PostgreSQL) is taken as there once the layers are;
        the sample data is optional (``init_workspace`` writes it only when given
        a writer).
        """
        if not self.layers_file.exists():
            return False
        url = self.database_url
        return not url.startswith("sqlite:///") or Path(url[len("sqlite:///"):]).exists()


def open_workspace(workspace: Workspace | str | Path | None = None, settings: Settings | None = None) -> Workspace:
    """The workspace at ``workspace`` (the configured default when None); an open ``Workspace`` is kept as is."""
    if isinstance(workspace, Workspace) and settings is None:
        return workspace
    settings = (settings or load_settings()).with_workspace(workspace)
    return Workspace(settings)


def require_workspace(workspace: Workspace | str | Path | None = None, settings: Settings | None = None) -> Workspace:
    """Like ``open_workspace`` but fails clearly when ``anshin init`` has not run there."""
    ws = open_workspace(workspace, settings)
    if not ws.layers_file.exists():
        raise WorkspaceError(f"作業領域 {ws.root} は初期化されていません: 先に `anshin init --workspace {ws.root}` を実行してください")
    return ws


def init_workspace(workspace: str | Path | None = None, settings: Settings | None = None, *,
                   progress: Callable[[str], None] = lambda message: None,
                   sample: SampleWriter | None = None) -> Workspace:
    """Create the workspace: reference data, area layers, database schema and, with ``sample``, sample data.

    ``sample`` writes the sample data into ``sample_dir`` from the small-area
    layer and ``settings.sample_seed`` (``anshin init`` passes
    ``demo.sample.write_sample``); it runs only when the sample is missing.
    """
    ws = open_workspace(workspace, settings)
    try:
        ws.root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"作業領域 {ws.root} を作れません: {exc}") from exc
    copy_reference(ws, progress)
    if not ws.layers_file.exists():
        progress("小地域レイヤを作成しています…")
        _write_layers(ws)
    store.connect(ws.database_url).dispose()
    if sample is not None and not (ws.sample_dir / SAMPLE_MARKER).exists():
        progress("サンプルデータ(事案・うそ電話・会員)を生成しています…")
        small_areas = load_layer(ws, "small_areas")
        sample(ws.sample_dir, small_areas, ws.settings.sample_seed)
    ws.quarantine_dir.mkdir(mode=0o700, exist_ok=True)
    if not ws.key_file.exists():
        progress(f"サービスの鍵を作成しています({ws.key_file}、所有者だけが読めます)…")
        create_key(ws.key_file)
    for folder in (ws.audit_anchor.parent, ws.service_socket.parent):
        folder.mkdir(mode=0o700, exist_ok=True)
    return ws


def act_as_service(ws: Workspace) -> Authority:
    """Make this process the service of ``ws`` (the single-user demo, a command run as the service's user).

    Keeps an authority already installed (``anshin service``, a test); else
    loads the workspace's key, which fails with a clear message for anyone who
    cannot read it.
    """
    installed = current()
    if installed is None:
        installed = ws.authority()
        install(installed)
    return installed


def copy_reference(ws: Workspace, progress: Callable[[str], None]) -> None:
    """Copy the missing reference files (and any e-Stat shapefile) into the workspace."""
    source = Path(ws.settings.reference_dir).resolve()
    target = ws.reference_dir.resolve()
    if source == target:
        return
    # Real e-Stat boundaries, when a deployment put them in the reference folder, come along.
    estat = [p.name for p in source.glob(Path(ESTAT_FILE).stem + ".*")]
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
    small = build_small_area_layer(ws.reference_dir)
    small["station"] = assign_stations(small, load_station_table(ws.reference_dir)).astype(str)
    cities = load_municipalities(ws.reference_dir)
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
