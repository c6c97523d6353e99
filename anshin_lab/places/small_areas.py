"""Approximate small-area polygons built from the census points (Voronoi cells).

The census small areas (町丁・字等) come as centroids with population and
households but no polygons in the offline reference data. ``build_small_areas``
turns them into **approximate** polygons: Voronoi cells of the centroids,
computed per municipality in a metric CRS and clipped to that municipality's
polygon, so the cells tile each municipality exactly. A police deployment
swaps in e-Stat's real boundaries (``places.estat``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from anshin_lab.core.errors import DataError
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.places.reference import CENSUS_FILE, load_census, load_municipalities

# Radius of the stand-in cell of a census point whose Voronoi cell misses the land.
EMPTY_CELL_RADIUS_M = 150.0


def build_small_areas(reference_dir: Path) -> gpd.GeoDataFrame:
    """Approximate small-area polygons (Voronoi cells clipped to municipalities).

    Returns one row per census small area with ``key_code``, ``city_code``,
    ``city``, ``name``, ``population``, ``households``, the census point
    (``lat``, ``lon``) and ``approximate=True``; EPSG:4326.
    """
    census = load_census(reference_dir)
    cities = load_municipalities(reference_dir).to_crs(METRIC_CRS).set_index("city_code")
    points = gpd.GeoSeries(gpd.points_from_xy(census["lon"], census["lat"]), crs=WGS84).to_crs(METRIC_CRS)
    cells = np.empty(len(census), dtype=object)
    for city_code, idx in census.groupby("city_code").indices.items():
        if city_code not in cities.index:
            raise DataError(f"小地域の市区町村コード {city_code} が行政区域データにありません", path=CENSUS_FILE)
        boundary = cities.at[city_code, "geometry"]
        cells[idx] = voronoi_cells(points.iloc[idx].to_numpy(), boundary)
    frame = gpd.GeoDataFrame(census, geometry=gpd.GeoSeries(cells, crs=METRIC_CRS)).to_crs(WGS84)
    # Reprojection can nudge a vertex across an edge; repair in the stored CRS.
    frame["geometry"] = [polygonal(g) for g in frame.geometry]
    frame["approximate"] = True
    return frame


def voronoi_cells(points: np.ndarray, boundary) -> np.ndarray:
    """One cell per point, the cells together covering ``boundary`` exactly."""
    if len(points) == 1:
        return np.array([boundary], dtype=object)
    coords = shapely.get_coordinates(points)
    # Coincident points would share a cell: nudge duplicates by a millimetre.
    _, first = np.unique(coords.round(3), axis=0, return_index=True)
    dup = np.setdiff1d(np.arange(len(coords)), first)
    coords[dup] += np.arange(1, len(dup) + 1)[:, None] * 1e-3
    multipoint = shapely.multipoints(coords)
    regions = shapely.voronoi_polygons(multipoint, extend_to=boundary.envelope.buffer(1000), ordered=True)
    parts = shapely.get_parts(regions)
    cells = np.array([polygonal(g) for g in shapely.intersection(parts, boundary)], dtype=object)
    # A seed off a simplified coast can get a cell that misses the land: give it
    # the land within a small disc around the nearest shore point, carved out of
    # its neighbours so the cells never overlap.
    for i in np.flatnonzero(shapely.is_empty(cells)):
        shore = shapely.shortest_line(boundary, shapely.points(coords[i])).coords[0]
        disc = shapely.intersection(shapely.buffer(shapely.points(shore), EMPTY_CELL_RADIUS_M), boundary)
        others = np.arange(len(cells)) != i
        cells[others] = shapely.difference(cells[others], disc)
        cells[i] = disc
    return np.array([polygonal(g) for g in cells], dtype=object)


def polygonal(geometry):
    """The valid polygonal part of a clipping result (drops stray lines and points)."""
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons)
