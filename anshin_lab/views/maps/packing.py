"""The internal map's incidents packed into the page: dictionaries, fixed-point coordinates, zlib, base64.

A 50,000-incident map written as plain JSON was 7.6 MB, almost all of it the
incidents (about 140 bytes each). Packed, the same incidents take about 32
bytes each (2.1 MB for the whole page), and the browser unpacks them with its built-in
``DecompressionStream("deflate")`` (``static/anshin/anshin-maps.js``,
``unpackIncidents``): nothing is fetched, nothing extra is inlined.

The rows are packed in the order the map draws them: grouped by category
(in the order of ``categories``), in input order within a category. Three
blocks, each zlib-compressed (RFC 1950, what ``DecompressionStream("deflate")``
reads) and base64-encoded:

``points``
    Per row, latitude then longitude as integers in 1e-6 degrees (the 6
    decimals the map always kept, about 0.1 m) minus ``pointOrigin``.
``attrs``
    Per row, the time (minutes after ``timeOrigin`` plus one, 0 = unknown;
    written as the zigzag difference from the row before) and, per field,
    its text's index in that field's dictionary as a symbol: 0 = empty,
    1 = the dictionary's next text not seen yet (dictionaries are in order
    of first use, so a column of unique texts is all ones), k + 2 = text k.
``strings``
    The dictionaries: UTF-8 JSON, one list of distinct texts per field.

Every number is an unsigned 32-bit integer and every column is written as
four byte planes (all low bytes, then all second bytes, …), which deflate
squeezes far better than interleaved integers: the high planes are mostly
zeros. ``unpack_incidents`` is the same decoder in Python (tests, debugging).
"""

from __future__ import annotations

import base64
import json
import zlib

import numpy as np

__all__ = ["COORDINATE_SCALE", "FORMAT", "pack_incidents", "unpack_incidents"]

FORMAT = "anshin-incidents/1"
# Coordinates travel as integers in this unit (1e-6 degrees: 6 decimals, about 0.1 m).
COORDINATE_SCALE = 1_000_000
# zlib level, measured on 50,000 sample incidents: 5 packs them into 1.6 MB of base64 in about
# 0.11 s of CPU; 6 saves 3% for 40% more time, 4 costs 6% more bytes to save 13% of the time.
ZLIB_LEVEL = 5
_PLANES = 4  # bytes per packed integer


def pack_incidents(lat: np.ndarray, lon: np.ndarray, offsets: np.ndarray, codes: np.ndarray,
                   strings: list[list[str]]) -> dict:
    """The packed blocks of ``n`` rows (already in drawing order) for the map's data block.

    Parameters
    ----------
    lat, lon : array of float, shape (n,)
        WGS84 degrees, finite; rounded to 6 decimals.
    offsets : array of int, shape (n,)
        Minutes after the map's ``timeOrigin``, -1 where unknown.
    codes : array of int, shape (n, k)
        Per row and field, the index into ``strings[field]``, -1 where empty.
    strings : list of k lists of str
        Each field's dictionary.

    Returns
    -------
    dict
        ``format``, ``pointOrigin`` ([lat, lon] in 1e-6 degrees) and the
        base64 blocks ``points``, ``attrs`` and ``strings``.
    """
    n = len(lat)
    codes = np.asarray(codes, dtype=np.int64).reshape(n, len(strings))
    qlat = np.rint(np.asarray(lat, dtype=float) * COORDINATE_SCALE).astype(np.int64)
    qlon = np.rint(np.asarray(lon, dtype=float) * COORDINATE_SCALE).astype(np.int64)
    origin = [int(qlat.min()), int(qlon.min())] if n else [0, 0]
    points = _planes(np.concatenate([qlat - origin[0], qlon - origin[1]]))

    times = np.asarray(offsets, dtype=np.int64) + 1  # 0 = unknown
    columns = [_zigzag(np.diff(times, prepend=0))]
    columns += [_symbols(codes[:, j]) for j in range(codes.shape[1])]
    attrs = _planes(np.concatenate(columns) if columns else np.empty(0, dtype=np.int64))
    texts = json.dumps(strings, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"format": FORMAT, "pointOrigin": origin,
            "points": _block(points), "attrs": _block(attrs), "strings": _block(texts)}


def unpack_incidents(data: dict) -> dict:
    """The rows of a packed data block, as plain lists (what the browser decodes, in Python).

    Returns ``{"strings": [[text, ...] per field], "points": {code: [lat, lon, ...]},
    "attrs": {code: [t, s1, ..., sk, t, ...]}}`` with ``t`` minutes after
    ``timeOrigin`` (-1 unknown) and ``s_f`` an index into ``strings[f]`` (-1 empty),
    one entry per category in ``data["categories"]`` order.
    """
    if data.get("format") != FORMAT:
        raise ValueError(f"not a packed incident block ({FORMAT}): {data.get('format')!r}")
    counts = [int(c["count"]) for c in data["categories"]]
    n, k = sum(counts), len(data["fields"])
    strings = json.loads(_unblock(data["strings"]).decode("utf-8"))
    coords = _unplanes(_unblock(data["points"]), 2 * n)
    lat = (coords[:n] + data["pointOrigin"][0]) / COORDINATE_SCALE
    lon = (coords[n:] + data["pointOrigin"][1]) / COORDINATE_SCALE
    columns = _unplanes(_unblock(data["attrs"]), (k + 1) * n).reshape(k + 1, n)
    zz = columns[0]
    times = np.cumsum((zz >> 1) ^ -(zz & 1)) - 1
    rows = np.empty((n, k + 1), dtype=np.int64)
    rows[:, 0] = times
    for j in range(k):
        rows[:, j + 1] = _codes(columns[j + 1])
    points, attrs, start = {}, {}, 0
    for category, count in zip(data["categories"], counts):
        chosen = slice(start, start + count)
        points[category["code"]] = np.column_stack([lat[chosen], lon[chosen]]).ravel().tolist()
        attrs[category["code"]] = rows[chosen].ravel().tolist()
        start += count
    return {"strings": strings, "points": points, "attrs": attrs}


def _block(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw, ZLIB_LEVEL)).decode("ascii")


def _unblock(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def _planes(values: np.ndarray) -> bytes:
    """Unsigned 32-bit integers as four byte planes: every low byte, then every second byte, …"""
    values = np.asarray(values, dtype=np.int64)
    if len(values) and (values.min() < 0 or values.max() >= 2 ** 32):
        raise ValueError("packed values must fit in 32 unsigned bits")
    return values.astype("<u4").view(np.uint8).reshape(-1, _PLANES).T.tobytes()


def _unplanes(raw: bytes, count: int) -> np.ndarray:
    planes = np.frombuffer(raw, dtype=np.uint8).reshape(_PLANES, count)
    return np.ascontiguousarray(planes.T).view("<u4").ravel().astype(np.int64)


def _zigzag(values: np.ndarray) -> np.ndarray:
    """Signed to unsigned, small magnitudes to small numbers: 0, -1, 1, -2 -> 0, 1, 2, 3."""
    values = np.asarray(values, dtype=np.int64)
    return (values << 1) ^ (values >> 63)


def _symbols(codes: np.ndarray) -> np.ndarray:
    """Dictionary indices (-1 empty) as symbols: 0 empty, 1 the next unseen text, k + 2 text k."""
    codes = np.asarray(codes, dtype=np.int64)
    seen = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]])) if len(codes) else codes
    return np.where(codes < 0, 0, np.where(codes == seen + 1, 1, codes + 2))


def _codes(symbols: np.ndarray) -> np.ndarray:
    """The inverse of ``_symbols``."""
    out = np.empty(len(symbols), dtype=np.int64)
    seen = -1
    for i, s in enumerate(symbols.tolist()):
        if s == 0:
            out[i] = -1
        elif s == 1:
            seen += 1
            out[i] = seen
        else:
            out[i] = s - 2
            seen = max(seen, s - 2)
    return out
