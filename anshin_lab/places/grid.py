"""The spatial index ``AreaSet`` places points with: a uniform grid of polygon parts.

Placing a million incidents is arithmetic on their coordinates followed by an
exact test on prepared polygons; no tree walk and no Point objects.
"""

from __future__ import annotations

import gc

import numpy as np
import shapely

# Cells of the grid that finds candidate polygons (about this many over the layer's extent).
GRID_CELLS = 2_000_000


class PartGrid:
    """A uniform grid over the small areas listing, per cell, the polygon parts whose box covers it.

    Looking a point up is arithmetic on its coordinates, so a million points
    need no Point objects and no tree walk; the exact test then runs on
    prepared copies of the parts (the layer's own geometries stay unprepared).
    """

    def __init__(self, geometries: np.ndarray):
        copies = shapely.from_wkb(shapely.to_wkb(geometries))
        self.parts, self.owner = shapely.get_parts(copies, return_index=True)
        shapely.prepare(self.parts)
        self.bounds = shapely.bounds(self.parts)
        x0, y0 = self.bounds[:, 0].min(), self.bounds[:, 1].min()
        width, height = self.bounds[:, 2].max() - x0, self.bounds[:, 3].max() - y0
        self.x0, self.y0 = x0, y0
        self.cell = max(float(np.sqrt(width * height / GRID_CELLS)), 1e-6)
        self.ncols = int(np.floor(width / self.cell)) + 1
        self.nrows = int(np.floor(height / self.cell)) + 1
        c0, c1 = (np.floor((self.bounds[:, i] - x0) / self.cell).astype(np.int64) for i in (0, 2))
        r0, r1 = (np.floor((self.bounds[:, i] - y0) / self.cell).astype(np.int64) for i in (1, 3))
        cols = c1 - c0 + 1
        per_part = cols * (r1 - r0 + 1)
        part = np.repeat(np.arange(len(self.parts)), per_part)
        offset = np.arange(per_part.sum()) - np.repeat(np.cumsum(per_part) - per_part, per_part)
        cell = (r0[part] + offset // cols[part]) * self.ncols + c0[part] + offset % cols[part]
        self.cell_parts = part[np.argsort(cell, kind="stable")]
        self.counts = np.bincount(cell, minlength=self.ncols * self.nrows).astype(np.int32)
        self.starts = np.cumsum(self.counts, dtype=np.int64) - self.counts

    def find(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Row of the area holding each point (-1: none); NaN coordinates find nothing."""
        # Candidates: the polygon parts whose bounding box covers the point's grid cell ...
        col = np.floor((lon - self.x0) / self.cell)
        row = np.floor((lat - self.y0) / self.cell)
        on_grid = (col >= 0) & (col < self.ncols) & (row >= 0) & (row < self.nrows)  # False for NaN
        cell = np.where(on_grid, row * self.ncols + col, 0).astype(np.int64)
        count = np.where(on_grid, self.counts[cell], 0)
        point = np.repeat(np.arange(len(lon)), count)
        slot = np.repeat(self.starts[cell] - (np.cumsum(count) - count), count) + np.arange(count.sum())
        part = self.cell_parts[slot]
        # ... and the point itself: its bounding box, then the prepared polygon,
        # tested straight from the coordinates (no Point objects).
        box = self.bounds[part]
        x, y = lon[point], lat[point]
        keep = (x >= box[:, 0]) & (x <= box[:, 2]) & (y >= box[:, 1]) & (y <= box[:, 3])
        point, part = point[keep], part[keep]
        inside = shapely.intersects_xy(self.parts[part], x[keep], y[keep])
        none = np.iinfo(np.int64).max
        first = np.full(len(lon), none, dtype=np.int64)
        # A point on a shared edge touches two areas: the lower area code wins, every time.
        np.minimum.at(first, point[inside], self.owner[part[inside]])
        first[first == none] = -1
        return first


def make_points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Point geometries for coordinate arrays, with the cyclic garbage collector paused.

    Shapely geometries are tracked by the collector, so a million new ones
    set off collections that walk every tracked object: pausing it makes
    this two to three times faster. Points hold no references, so they can
    form no cycles, and nothing goes uncollected.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return shapely.points(lon, lat)
    finally:
        if paused:
            gc.enable()
