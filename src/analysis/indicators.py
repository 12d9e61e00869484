"""Figures a brief shows, as small pure functions over the processed tables."""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis import reference


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


def source_rank(sources: pd.Series) -> pd.Series:
    """Preference rank of each source (1 = preferred), from ``data/source_preference.csv``."""

    table = reference.read_table("source_preference")
    uniques = pd.unique(sources.dropna()).tolist()
    rank = {}
    for source in uniques:
        for row in table.itertuples():  # a handful of rules
            if re.search(row.pattern, source, re.IGNORECASE):
                rank[source] = int(row.rank)
                break
    return sources.map(rank).fillna(len(table) + 1).astype(int)


def migration_series(
    migration: pd.DataFrame, country: str, indicator: str, partner: str = reference.ALL_DESTINATIONS
) -> pd.DataFrame:
    """One migration series (year, value, source, estimate_type) for a country and partner.

    Where several sources give the same year, the preferred one is used (the documented order
    in ``data/source_preference.csv``: World Bank WDI, then national statistics, then others);
    the other values stay in the table and disagreements are listed in the quality report.
    """
    rows = migration[
        (migration["country"] == country)
        & (migration["indicator"] == indicator)
        & (migration["partner"] == partner)
    ]
    rows = rows.assign(rank=source_rank(rows["source"])).sort_values(["year", "rank", "source"])
    rows = rows.drop_duplicates("year")
    return rows[["year", "value", "source", "estimate_type"]].reset_index(drop=True)


def stock_by_partner(migration: pd.DataFrame, country: str) -> pd.DataFrame:
    """Migrants abroad by destination: a year x partner table (persons)."""
    rows = migration[
        (migration["country"] == country)
        & (migration["indicator"] == "stock_abroad")
        & (migration["partner"] != reference.ALL_DESTINATIONS)
    ]
    rows = rows.sort_values(["year", "partner", "source"]).drop_duplicates(["year", "partner"])
    return rows.pivot(index="year", columns="partner", values="value").sort_index()


def value_in(series: pd.DataFrame, year: int) -> float | None:
    """The value of a (year, value) series in ``year``, or None."""
    match = series.loc[series["year"] == year, "value"]
    return float(match.iloc[0]) if len(match) else None


def compare_year(values: pd.Series, year: int) -> dict[str, float | None]:
    """A year's value against the previous year and against the mean of the three before.

    ``values`` is indexed by year. Missing years count as missing, never as zero.
    """

    def get(y: int) -> float | None:
        v = values.get(y)
        return None if v is None or pd.isna(v) else float(v)

    current, previous = get(year), get(year - 1)
    before = [get(y) for y in (year - 3, year - 2, year - 1)]
    mean3 = sum(before) / 3 if all(b is not None for b in before) else None
    return {
        "current": current,
        "previous": previous,
        "change_prev_pct": change(current, previous),
        "mean3": mean3,
        "change_mean3_pct": change(current, mean3),
    }


def trend(values: pd.Series, last_n: int = 10, alpha: float = 0.05) -> dict:
    """Trend of a yearly count over its last ``last_n`` years: Theil-Sen slope, Mann-Kendall test.

    Returns ``slope`` (per year), ``direction`` ('up' | 'down' | 'flat'), ``p_value`` (Kendall's
    tau between year and value), ``significant`` (p < alpha) and the ``years`` used. With fewer
    than four years there is no trend to speak of: direction 'insufficient'.
    """
    from scipy.stats import kendalltau, theilslopes

    series = values.dropna().sort_index().iloc[-last_n:]
    result = {"years": (int(series.index.min()), int(series.index.max())) if len(series) else None}
    if len(series) < 4 or series.nunique() < 2:
        return result | {
            "slope": None,
            "direction": "insufficient",
            "p_value": None,
            "significant": False,
        }
    x = series.index.to_numpy(dtype=float)
    slope = float(theilslopes(series.to_numpy(dtype=float), x).slope)
    p_value = float(kendalltau(x, series.to_numpy(dtype=float)).pvalue)
    significant = p_value < alpha
    direction = "up" if slope > 0 else "down" if slope < 0 else "flat"
    return result | {
        "slope": slope,
        "direction": direction,
        "p_value": p_value,
        "significant": significant,
    }


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


def is_partial_year(violations: pd.DataFrame, year: int) -> tuple[bool, str | None]:
    """Whether the data stop before the end of ``year`` (latest dated record earlier than
    December of that year), and the latest record date. Counts are never extrapolated."""
    dated = violations.loc[violations["date_precision"] != "year", "date"]
    latest = dated.max() if len(dated) else None
    if latest is None:
        return False, None
    return latest < f"{year}-12", latest


def source_coverage(violations: pd.DataFrame, country: str, years: range) -> pd.DataFrame:
    """Per year: distinct reporting partners and reports (raw rows) behind the incidents."""
    rows = violations[violations["country"] == country]
    partners = (
        rows[["year", "source"]]
        .assign(source=rows["source"].fillna("").str.split("; "))
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


def migration_summary(migration: pd.DataFrame, country: str, year: int) -> pd.DataFrame:
    """Per indicator: the year's value, the previous year's, change, unit and source.

    Rows only for the indicators the country has data on; ``value`` NA when the year is missing.
    """
    rows = []
    for indicator in (
        "outflow",
        "stock_abroad",
        "returnees",
        "remittances_usd",
        "remittances_gdp_pct",
    ):
        if indicator == "stock_abroad":
            series = total_stock(migration, country)
        else:
            series = migration_series(migration, country, indicator)
        if series.empty:
            continue
        now, before = value_in(series, year), value_in(series, year - 1)
        source_rows = series.loc[series["year"] == year, "source"]
        rows.append(
            {
                "indicator": indicator,
                "value": now,
                "previous": before,
                "change_pct": change(now, before),
                "source": source_rows.iloc[0]
                if len(source_rows)
                else "; ".join(sorted(series["source"].unique())),
                "estimate_type": (
                    series.loc[series["year"] == year, "estimate_type"].dropna().tolist() or [None]
                )[0],
            }
        )
    return pd.DataFrame(
        rows, columns=["indicator", "value", "previous", "change_pct", "source", "estimate_type"]
    )


def total_stock(migration: pd.DataFrame, country: str) -> pd.DataFrame:
    """Migrants abroad per year: the WLD total where given, else the sum over destinations."""
    total = migration_series(migration, country, "stock_abroad", reference.ALL_DESTINATIONS)
    by_partner = stock_by_partner(migration, country)
    if by_partner.empty:
        return total
    summed = by_partner.sum(axis=1).rename("value").reset_index()
    sources = migration[
        (migration["country"] == country) & (migration["indicator"] == "stock_abroad")
    ]
    summed["source"] = "; ".join(sorted(sources["source"].unique()))
    summed["estimate_type"] = None
    missing = ~summed["year"].isin(total["year"])
    return pd.concat([total, summed[missing]], ignore_index=True).sort_values(
        "year", ignore_index=True
    )


def main_destination(migration: pd.DataFrame, country: str, year: int) -> dict | None:
    """The destination with the most migrants in ``year`` and its share of all destinations listed."""
    table = stock_by_partner(migration, country)
    if table.empty or year not in table.index:
        return None
    row = table.loc[year].dropna()
    if row.empty or row.sum() == 0:
        return None
    top = row.idxmax()
    return {
        "partner": top,
        "value": float(row[top]),
        "share_pct": float(100 * row[top] / row.sum()),
    }


def regional_comparison(
    violations: pd.DataFrame,
    legislation: pd.DataFrame,
    migration: pd.DataFrame,
    countries: list[str],
    year: int,
) -> pd.DataFrame:
    """One row per country: the year's violations, change, persons affected, restrictive and
    protective acts, remittances (% GDP) and outflow (NA where a country has no data)."""
    # Only the rows these figures read: the per-country steps below then work on small frames.
    violations = violations[violations["year"].between(year - 1, year)]
    legislation = legislation[legislation["year"] == year]
    migration = migration[
        (migration["year"] == year)
        & (migration["partner"] == reference.ALL_DESTINATIONS)
        & migration["indicator"].isin(["remittances_gdp_pct", "outflow"])
    ]
    rows = []
    for country in countries:
        per_year = violations_per_year(violations, country, range(year - 1, year + 1)).set_index(
            "year"
        )
        acts = legislation_by_direction(legislation, country, range(year, year + 1)).loc[year]
        remit = migration_series(migration, country, "remittances_gdp_pct")
        outflow = migration_series(migration, country, "outflow")
        rows.append(
            {
                "country": country,
                "incidents": int(per_year.loc[year, "incidents"]),
                "change_prev_pct": change(
                    per_year.loc[year, "incidents"], per_year.loc[year - 1, "incidents"]
                ),
                "persons_affected": int(per_year.loc[year, "persons_affected"]),
                "restrictive": int(acts["restrictive"]),
                "protective": int(acts["protective"]),
                "remittances_gdp_pct": value_in(remit, year),
                "outflow": value_in(outflow, year),
            }
        )
    return pd.DataFrame(rows)


def before_after(
    violations: pd.DataFrame,
    legislation: pd.DataFrame,
    country: str,
    window: int = 2,
    last_year: int | None = None,
) -> pd.DataFrame:
    """Documented violations in the ``window`` years before and after each restrictive act.

    Descriptive only: other things change around an act (monitoring, politics), so the
    difference is not an effect of the act. Windows that reach past ``last_year`` are marked
    incomplete and their 'after' mean covers only the years available.
    """
    acts = legislation[
        (legislation["country"] == country) & (legislation["direction"] == "restrictive")
    ]
    per_year = violations[violations["country"] == country].groupby("year").size()
    last_year = (
        last_year if last_year is not None else int(per_year.index.max()) if len(per_year) else 0
    )
    rows = []
    for act in acts.sort_values("date_adopted").itertuples():  # acts are few: a handful per year
        year = int(act.year)
        before_years = range(year - window, year)
        after_years = [y for y in range(year + 1, year + window + 1) if y <= last_year]
        before = [int(per_year.get(y, 0)) for y in before_years]
        after = [int(per_year.get(y, 0)) for y in after_years]
        rows.append(
            {
                "act_id": act.act_id,
                "year": year,
                "title": act.title,
                "before_mean": sum(before) / len(before),
                "after_mean": sum(after) / len(after) if after else None,
                "after_years": len(after),
                "complete": len(after) == window,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["act_id", "year", "title", "before_mean", "after_mean", "after_years", "complete"],
    )


def per_million(migration: pd.DataFrame, country: str, year: int, count: float) -> dict | None:
    """``count`` per million inhabitants, with the population used: the year's value or the
    latest earlier one (never a later one), from the preferred population source. None when
    there is no population for the country."""
    population = migration_series(migration, country, "population")
    usable = population[population["year"] <= year]
    if usable.empty or usable["value"].iloc[-1] <= 0:
        return None
    row = usable.iloc[-1]
    return {
        "rate": 1e6 * count / float(row["value"]),
        "population": float(row["value"]),
        "population_year": int(row["year"]),
        "source": row["source"],
    }
