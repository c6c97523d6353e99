"""Counts analysts read first: incidents by category, month and station."""

from __future__ import annotations

import pandas as pd

from anshin_lab.core.glossary import CATEGORIES


def by_category(incidents: pd.DataFrame) -> pd.Series:
    """Incident counts per category, named in Japanese, in the directive's order."""
    counts = incidents["category"].value_counts().reindex(list(CATEGORIES), fill_value=0)
    counts.index = [CATEGORIES[c] for c in counts.index]
    counts.index.name = "分類"
    return counts.rename("件数")


def by_month(incidents: pd.DataFrame) -> pd.DataFrame:
    """A month × category table of counts (months as 2026-04, categories in Japanese)."""
    if incidents.empty:
        return pd.DataFrame(columns=list(CATEGORIES.values()))
    month = incidents["occurred_at"].dt.tz_convert("Asia/Tokyo").dt.strftime("%Y-%m").rename("月")
    table = pd.crosstab(month, incidents["category"]).reindex(columns=list(CATEGORIES), fill_value=0)
    table.columns = [CATEGORIES[c] for c in table.columns]
    return table


def by_station(incidents: pd.DataFrame) -> pd.DataFrame:
    """A station × category table, busiest station first (unknown station as 不明)."""
    station = incidents["station"].fillna("不明").rename("管轄署")
    table = pd.crosstab(station, incidents["category"]).reindex(columns=list(CATEGORIES), fill_value=0)
    table.columns = [CATEGORIES[c] for c in table.columns]
    table["計"] = table.sum(axis=1)
    return table.sort_values("計", ascending=False)
