"""The reference checks a load needs, read once per reference folder.

Records are checked against reference data (the station table, the
prefecture outline, municipalities and census small areas) that the
``records`` floor may not read itself: it is read here, from the places'
loaders, and passed in.
"""

from __future__ import annotations

import functools
from pathlib import Path

from anshin_lab.places.reference import (
    assign_stations,
    load_census,
    load_municipalities,
    load_station_table,
    prefecture_outline,
)
from anshin_lab.records.fraud_calls import ReferenceTables


@functools.lru_cache(maxsize=4)
def station_names(reference_dir: Path) -> frozenset:
    """The names in the station table of ``reference_dir`` (what an incident's 管轄署 must be)."""
    return frozenset(load_station_table(Path(reference_dir))["station"])


@functools.lru_cache(maxsize=4)
def outline(reference_dir: Path):
    """The prefecture outline of ``reference_dir`` (EPSG:4326), for 'inside the prefecture' checks."""
    return prefecture_outline(Path(reference_dir))


@functools.lru_cache(maxsize=4)
def reference_tables(reference_dir) -> ReferenceTables:
    """The lookups of a reference folder (municipalities, census small areas, station table), read once."""
    reference_dir = Path(reference_dir)
    cities = load_municipalities(reference_dir)
    census = load_census(reference_dir)
    table = load_station_table(reference_dir)
    census["station"] = assign_stations(census, table).astype(str).to_numpy()
    names = dict(zip(cities["city_code"].astype(str), cities["city"].astype(str)))
    codes = {**{short: code for code, short in zip(cities["city_code"].astype(str), cities["city_short"].astype(str))},
             **{name: code for code, name in names.items()}}
    table = table.astype({"city_code": str})
    stations = {s: tuple(sorted(g["city_code"])) for s, g in table.groupby("station")}
    city_stations = {c: tuple(sorted(g["station"])) for c, g in table.groupby("city_code")}
    households = census.groupby("city_code")["households"].sum().astype(int).to_dict()
    small = {key: (city, station) for key, city, station in
             zip(census["key_code"].astype(str), census["city_code"].astype(str), census["station"])}
    return ReferenceTables(names, codes, small, households, stations, city_stations)
