"""Figures a brief shows, as small pure functions over the processed tables."""

from __future__ import annotations

import math

import pandas as pd


def violations_per_year(violations: pd.DataFrame, country: str, years: range) -> pd.DataFrame:
    """Incidents and persons affected per year for one country, every year of ``years`` present.

    Columns: year, incidents, persons_affected (sum of reported counts; NA-free), reports.
    """
    rows = violations[violations["country"] == country]
    grouped = rows.groupby("year").agg(
        incidents=("incident_id", "size"),
        persons_affected=("persons_affected", "sum"),
        reports=("n_reports", "sum"),
    )
    full = grouped.reindex(list(years), fill_value=0).rename_axis("year").reset_index()
    return full.astype({"incidents": "int64", "persons_affected": "int64", "reports": "int64"})


def change(current: float | None, previous: float | None) -> float | None:
    """Percentage change from ``previous`` to ``current``; None when it is not defined."""
    if current is None or previous is None or previous == 0:
        return None
    if isinstance(previous, float) and math.isnan(previous):
        return None
    return 100.0 * (current - previous) / previous


def violations_by_category(violations: pd.DataFrame, country: str, year: int) -> pd.DataFrame:
    """Incidents per category in one country and year, most frequent first (ties by code)."""
    rows = violations[(violations["country"] == country) & (violations["year"] == year)]
    counts = rows.groupby("category").size().rename("incidents").reset_index()
    return counts.sort_values(["incidents", "category"], ascending=[False, True], ignore_index=True)


def legislation_in_year(legislation: pd.DataFrame, country: str, year: int) -> pd.DataFrame:
    """Acts adopted in ``year`` by ``country``, in date order."""
    rows = legislation[(legislation["country"] == country) & (legislation["year"] == year)]
    return rows.sort_values(["date_adopted", "title"], ignore_index=True)


def legislation_by_direction(legislation: pd.DataFrame, country: str, years: range) -> pd.DataFrame:
    """Acts per year and direction (columns restrictive, protective, neutral, mixed), all years."""
    rows = legislation[legislation["country"] == country]
    table = pd.crosstab(rows["year"], rows["direction"])
    columns = ["restrictive", "protective", "neutral", "mixed"]
    return table.reindex(index=list(years), columns=columns, fill_value=0).rename_axis("year")


def migration_series(
    migration: pd.DataFrame, country: str, indicator: str, partner: str = "WLD"
) -> pd.DataFrame:
    """One migration series (year, value, source, estimate_type) for a country and partner.

    Where several sources give the same year, the first source in alphabetical order is used
    (a documented preference order arrives with the public-data importers).
    """
    rows = migration[
        (migration["country"] == country)
        & (migration["indicator"] == indicator)
        & (migration["partner"] == partner)
    ]
    rows = rows.sort_values(["year", "source"]).drop_duplicates("year")
    return rows[["year", "value", "source", "estimate_type"]].reset_index(drop=True)


def stock_by_partner(migration: pd.DataFrame, country: str) -> pd.DataFrame:
    """Migrants abroad by destination: a year x partner table (persons)."""
    rows = migration[
        (migration["country"] == country)
        & (migration["indicator"] == "stock_abroad")
        & (migration["partner"] != "WLD")
    ]
    rows = rows.sort_values(["year", "partner", "source"]).drop_duplicates(["year", "partner"])
    return rows.pivot(index="year", columns="partner", values="value").sort_index()


def value_in(series: pd.DataFrame, year: int) -> float | None:
    """The value of a (year, value) series in ``year``, or None."""
    match = series.loc[series["year"] == year, "value"]
    return float(match.iloc[0]) if len(match) else None
