"""The coordinate reference systems every layer and incident is kept in.

Layers and points are stored in WGS84 lon/lat; distances and areas are
measured in JGD2011 / Japan Plane Rectangular CS II, the metric CRS that
covers 鹿児島県.
"""

WGS84 = "EPSG:4326"
# JGD2011 / Japan Plane Rectangular CS II: the metric CRS for 鹿児島県.
METRIC_CRS = "EPSG:6670"
