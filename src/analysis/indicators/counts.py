"""Counts a brief shows: violations and acts per country and year, their breakdowns and
the monitored years (zero in a monitored year, missing before), as small pure functions."""

from __future__ import annotations

import math

import pandas as pd

from analysis.vocab import reference


def monitoring_spans(
    violations: pd.DataFrame, legislation: pd.DataFrame
) -> dict[str, tuple[int, int]]:
    """Per country, the first year with a monitoring record and the last year of monitoring
    anywhere (records stop when monitoring stops, not when a country has a quiet year).
    Violation records mark monitoring; a country without any falls back to its legislation
    records. A year before a country's first record is *not monitored*, not zero."""
    last = [int(f["year"].max()) for f in (violations, legislation) if len(f)]
    if not last:
        return {}
    end = max(last)
    first = legislation.groupby("country")["year"].min().to_dict() if len(legislation) else {}
    if len(violations):
        first |= violations.groupby("country")["year"].min().to_dict()
    return {str(c): (int(y), end) for c, y in first.items()}


def monitored_years(spans: dict[str, tuple[int, int]], country: str, years: range) -> range:
    """The part of ``years`` that a country's monitoring covers: none for a mission country
    without any record; for the regional overview and the thematic reports (any other key)
    from the earliest first year of all countries."""
    if country in spans:
        first = spans[country][0]
    elif country in reference.mission_countries():  # no record at all: never monitored
        return range(years.stop, years.stop)
    else:
        first = min((s[0] for s in spans.values()), default=years.start)
    return range(max(years.start, first), years.stop)


def per_country_year(
    rows: pd.DataFrame, countries: list[str], years: range, spans: dict[str, tuple[int, int]]
) -> pd.DataFrame:
    """Records per year (rows) and country (columns) over ``years``: **zero in a monitored
    year without a record, NA in a year the country was not monitored**, and only the years
    some country was monitored (the one place this rule is written)."""
    counts = rows.groupby(["year", "country"]).size().unstack("country")
    table = counts.reindex(index=list(years), columns=countries).astype("float64")
    for country in countries:
        monitored = table.index.isin(monitored_years(spans, country, years))
        table.loc[monitored, country] = table.loc[monitored, country].fillna(0)
        table.loc[~monitored, country] = float("nan")
    return table.loc[table.notna().any(axis=1)].rename_axis(index="year", columns=None)


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
    columns = reference.directions()
    return table.reindex(index=list(years), columns=columns, fill_value=0).rename_axis("year")


def breakdown(violations: pd.DataFrame, country: str, year: int, by: str) -> pd.DataFrame:
    """Incidents and persons affected in one country and year by ``by`` (category, sector,
    perpetrator); blank values are counted as 'not reported'."""
    rows = violations[(violations["country"] == country) & (violations["year"] == year)]
    keys = rows[by].fillna("—")
    table = rows.groupby(keys).agg(
        incidents=("incident_id", "size"), persons_affected=("persons_affected", "sum")
    )
    table = table.rename_axis(by).reset_index()
    table["share_pct"] = 100 * table["incidents"] / max(len(rows), 1)
    return table.sort_values(["incidents", by], ascending=[False, True], ignore_index=True)


def rounded_shares(counts: list[int] | pd.Series, total: int = 100) -> list[int]:
    """Whole-number shares of ``counts`` that add up to ``total`` (largest-remainder method):
    the floors first, then one point each to the largest remainders (ties to the earlier
    item). All zero counts give all zero shares."""
    values = [float(c) for c in counts]
    whole = sum(values)
    if whole <= 0:
        return [0] * len(values)
    exact = [total * v / whole for v in values]
    floors = [math.floor(e) for e in exact]
    left = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def is_partial_year(violations: pd.DataFrame, year: int) -> tuple[bool, str | None]:
    """Whether the data stop before the end of ``year`` (latest dated record earlier than
    December of that year), and the latest record date. Counts are never extrapolated."""
    dated = violations.loc[violations["date_precision"] != "year", "date"]
    latest = dated.max() if len(dated) else None
    if latest is None:
        return False, None
    return latest < f"{year}-12", latest


def source_coverage(violations: pd.DataFrame, country: str, years: range) -> pd.DataFrame:
    """Per year: distinct reporting partners (organisations of the partner registry, not
    source strings) and reports (raw rows) behind the incidents."""
    rows = violations[violations["country"] == country]
    partners = (
        rows[["year", "partners"]]
        .assign(source=rows["partners"].fillna("").str.split("; "))
        .explode("source")
    )
    partners = partners[partners["source"] != ""]
    table = pd.DataFrame(
        {
            "partners": partners.groupby("year")["source"].nunique(),
            "reports": rows.groupby("year")["n_reports"].sum(),
        }
    )
    return (
        table.reindex(list(years), fill_value=0)
        .fillna(0)
        .astype("int64")
        .rename_axis("year")
        .reset_index()
    )


def partners_by_year(violations: pd.DataFrame, country: str, years: list[int]) -> dict[int, set]:
    """The set of partner codes reporting on ``country`` in each of ``years``."""
    rows = violations[(violations["country"] == country) & violations["year"].isin(years)]
    out: dict[int, set] = {int(y): set() for y in years}
    for year, codes in zip(rows["year"], rows["partners"].fillna(""), strict=True):
        out[int(year)].update(c for c in codes.split("; ") if c)
    return out


def legislation_balance(legislation: pd.DataFrame, country: str, years: range) -> pd.DataFrame:
    """Acts per year by direction plus ``balance`` (protective - restrictive) and its running sum."""
    table = legislation_by_direction(legislation, country, years)
    table["balance"] = table["protective"] - table["restrictive"]
    table["running_balance"] = table["balance"].cumsum()
    return table.reset_index()


def conventions_touched(acts: pd.DataFrame) -> pd.DataFrame:
    """ILO instruments named by a set of acts, with how many restrictive/protective acts name each."""
    exploded = acts.assign(convention=acts["ilo_conventions"].fillna("").str.split(";")).explode(
        "convention"
    )
    exploded = exploded[exploded["convention"] != ""]
    if exploded.empty:
        return pd.DataFrame(columns=["convention", "acts", "restrictive", "protective"])
    table = pd.crosstab(exploded["convention"], exploded["direction"])
    table = table.reindex(columns=reference.directions(), fill_value=0)
    table.insert(0, "acts", table.sum(axis=1))
    return (
        table[["acts", "restrictive", "protective"]]
        .reset_index()
        .sort_values(["acts", "convention"], ascending=[False, True], ignore_index=True)
    )
