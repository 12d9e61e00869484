"""Figures that compare: a year against the ones before, the trend test, the regional table
and the violations around restrictive acts."""

from __future__ import annotations

import pandas as pd

from analysis.indicators.counts import change, legislation_by_direction, violations_per_year
from analysis.indicators.migration import migration_series, value_in
from analysis.vocab import reference


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


TREND_YEARS = 10  # the trend test looks at this many years up to a report's year


def trend(values: pd.Series, last_n: int = TREND_YEARS, alpha: float = 0.05) -> dict:
    """Trend of a yearly count over its last ``last_n`` years: Theil-Sen slope, Mann-Kendall test.

    Returns ``slope`` (per year), ``direction`` ('up' | 'down' | 'flat'), ``p_value`` (Kendall's
    tau between year and value), ``significant`` (p < alpha) and the ``years`` used. With fewer
    than four years there is no trend to speak of: direction 'insufficient'. ``values`` must
    hold every year of its span (zeros included): a series with a missing year inside its
    span is refused, since a ``groupby("year").size()`` silently drops the zero years.
    """
    from scipy.stats import kendalltau, theilslopes

    series = values.dropna().sort_index()
    if len(series):
        index = series.index.astype(int)
        gaps = sorted(set(range(index.min(), index.max() + 1)) - set(index))
        if gaps:
            raise ValueError(
                f"the yearly series has no value for {', '.join(map(str, gaps[:10]))}: a count "
                "series that skips its zero years gives a false trend; pass every monitored "
                "year, e.g. data.per_year(...) or indicators.violations_per_year(...)"
            )
    series = series.iloc[-last_n:]
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
    first_year: int | None = None,
) -> pd.DataFrame:
    """Documented violations in the ``window`` years before and after each restrictive act.

    Descriptive only: other things change around an act (monitoring, politics), so the
    difference is not an effect of the act. Windows that reach past ``last_year`` are marked
    incomplete and their 'after' mean covers only the years available; years before
    ``first_year`` (not monitored) count in neither mean (no 'before' year: NA).
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
        before_years = range(max(year - window, first_year or year - window), year)
        after_years = [y for y in range(year + 1, year + window + 1) if y <= last_year]
        before = [int(per_year.get(y, 0)) for y in before_years]
        after = [int(per_year.get(y, 0)) for y in after_years]
        rows.append(
            {
                "act_id": act.act_id,
                "year": year,
                "title": act.title,
                "before_mean": sum(before) / len(before) if before else None,
                "after_mean": sum(after) / len(after) if after else None,
                "after_years": len(after),
                "complete": len(after) == window,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["act_id", "year", "title", "before_mean", "after_mean", "after_years", "complete"],
    )
