"""Places: the reference data of 鹿児島県, addresses, and the areas incidents fall in.

- ``reference``: the reference files and their loaders (municipalities, census
  small areas, towns, stations), and the credits they need;
- ``small_areas`` and ``estat``: the small-area polygons (Voronoi cells of the
  census points, or e-Stat's real boundaries when a deployment has them);
- ``gazetteer``: every city and town, and the spelling ``fold`` that name
  matching uses;
- ``address``: reading what people type (``parse_address``);
- ``levels``, ``grid`` and ``areaset``: ``AreaSet``, every rung of the
  granularity ladder from 町丁目 to the prefecture, and placing incidents in
  them.

Nothing here opens a workspace: ``app.catalog.load_areas`` builds the AreaSet
of one.
"""

from anshin_lab.places.reference import (
    CENSUS_FILE,
    CREDITS,
    ESTAT_FILE,
    MUNICIPALITIES_FILE,
    STATIONS_FILE,
    TOWNS_FILE,
    assign_stations,
    load_census,
    load_municipalities,
    load_station_table,
    load_towns,
    prefecture_outline,
)
from anshin_lab.places.small_areas import build_small_areas
from anshin_lab.places.estat import build_small_area_layer, read_estat_small_areas
from anshin_lab.places.gazetteer import Gazetteer, build_gazetteer, fold, gazetteer, split_chome
from anshin_lab.places.address import Address, AddressError, locate, parse as parse_address
from anshin_lab.places.levels import AREA_LEVELS, town_name
from anshin_lab.places.areaset import (
    APPROXIMATE_NOTE,
    CODE_COLUMNS,
    OUTSIDE_TOLERANCE_M,
    PLACEMENTS,
    REAL_BOUNDARIES_NOTE,
    AreaSet,
    rate_per_1000_households,
)

__all__ = [
    "APPROXIMATE_NOTE",
    "AREA_LEVELS",
    "Address",
    "AddressError",
    "AreaSet",
    "CENSUS_FILE",
    "CODE_COLUMNS",
    "CREDITS",
    "ESTAT_FILE",
    "Gazetteer",
    "MUNICIPALITIES_FILE",
    "OUTSIDE_TOLERANCE_M",
    "PLACEMENTS",
    "REAL_BOUNDARIES_NOTE",
    "STATIONS_FILE",
    "TOWNS_FILE",
    "assign_stations",
    "build_gazetteer",
    "build_small_area_layer",
    "build_small_areas",
    "fold",
    "gazetteer",
    "load_census",
    "load_municipalities",
    "load_station_table",
    "load_towns",
    "locate",
    "parse_address",
    "prefecture_outline",
    "rate_per_1000_households",
    "read_estat_small_areas",
    "split_chome",
    "town_name",
]
