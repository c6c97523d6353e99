"""Analysis: pure functions over record frames (incident counts, fraud-call summaries and waves).

Nothing here reads files or the database: the calls, incidents and
reference lookups are passed in.
"""

from anshin_lab.analysis.fraud_calls import Area, FraudSummary, Period, format_day, parse_day, resolve_area, summarise
from anshin_lab.analysis.fraud_waves import WAVE_COLUMNS, detect_waves, poisson_sf
from anshin_lab.analysis.summaries import by_category, by_month, by_station

__all__ = [
    "WAVE_COLUMNS", "Area", "FraudSummary", "Period", "by_category", "by_month", "by_station", "detect_waves",
    "format_day", "parse_day", "poisson_sf", "resolve_area", "summarise",
]
