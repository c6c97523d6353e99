"""What people look at: maps, charts, notebook forms and reports, drawn from the floors below.

- ``maps``: offline Leaflet maps (internal incident map, public map, choropleth);
- ``charts``: matplotlib charts with Japanese labels;
- ``forms``: the ipywidgets draft form;
- ``reports``: the papermill report, its HTML, the index and the schedule.

The submodules are not imported here: each pulls in a heavy library (folium,
matplotlib, ipywidgets, papermill), and the command line loads only the one
it needs.
"""

__all__ = ["charts", "forms", "maps", "reports"]
