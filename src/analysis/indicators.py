"""Figures a brief shows, as small pure functions over the processed tables."""

from __future__ import annotations

import math

import pandas as pd

from analysis import reference


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


def with_registry(migration: pd.DataFrame) -> pd.DataFrame:
    """The migration rows with ``source_code`` and ``no_data`` (computed when a hand-made frame
    lacks them: the processed table always has them)."""
    missing = {}
    if "source_code" not in migration.columns:
        missing["source_code"] = reference.source_codes(migration["source"])
    if "no_data" not in migration.columns:
        missing["no_data"] = False
    return migration.assign(**missing) if missing else migration


def source_rank(codes: pd.Series) -> pd.Series:
    """Preference rank of each registry code (1 = preferred), from ``data/sources.csv``; a
    source the registry does not know ranks after every registered one."""
    ranks = reference.sources().set_index("code")["rank"]
    return codes.map(ranks).fillna(ranks.max() + 1).astype(int)


MIGRATION_KEY = ["country", "partner", "indicator", "year"]


def preferred(migration: pd.DataFrame) -> pd.DataFrame:
    """One row per country, partner, indicator and year: the preferred source's figure (the
    order of ``data/sources.csv``). A publisher's 'no data' zero is used only when no other
    source has the year, and then its ``value`` is NA. The other sources' rows are dropped:
    this is what stops a pivot or a groupby from averaging two sources."""
    rows = with_registry(migration)
    ranked = rows.assign(_rank=source_rank(rows["source_code"])).sort_values(
        [*MIGRATION_KEY, "no_data", "_rank", "source"]
    )
    out = ranked.drop_duplicates(MIGRATION_KEY).drop(columns="_rank")
    out["value"] = out["value"].where(~out["no_data"].astype(bool))
    return out.sort_values(MIGRATION_KEY, ignore_index=True)


SERIES_KEY = ["country", "partner", "indicator"]


def single_source(migration: pd.DataFrame) -> pd.DataFrame:
    """Each series (country, partner, indicator) from one source only: the first of the
    registry's order that gives it a value (a publisher's 'no data' zeros do not count), so
    that joining two sources' years can never read as a change. One row per year (see
    :func:`preferred` for the 'no data' rule)."""
    rows = with_registry(migration)
    if rows.empty:
        return preferred(rows)
    ranked = rows.assign(
        _rank=source_rank(rows["source_code"]), _empty=rows["no_data"].astype(bool)
    )
    best = ranked.sort_values([*SERIES_KEY, "_empty", "_rank", "source"]).drop_duplicates(
        SERIES_KEY
    )[[*SERIES_KEY, "source"]]
    kept = ranked.merge(best, on=[*SERIES_KEY, "source"], validate="m:1")
    return preferred(kept.drop(columns=["_rank", "_empty"]))


def mark_source_breaks(migration: pd.DataFrame) -> pd.DataFrame:
    """``source_break``: True on a year whose source differs from the series' year before, so
    a series combined from several sources shows where one stops and another starts."""
    ordered = migration.sort_values(MIGRATION_KEY, ignore_index=True)
    previous = ordered.groupby(SERIES_KEY, sort=False)["source"].shift()
    return ordered.assign(source_break=previous.notna() & (previous != ordered["source"]))


PROJECTED = "projected"  # estimate_type of a publisher's projection (WPP years after its estimates)


def measured(migration: pd.DataFrame) -> pd.DataFrame:
    """The rows that are not a publisher's projection: a brief never shows a projected year as
    the latest measured value (the API keeps them, flagged in ``estimate_type``)."""
    if "estimate_type" not in migration.columns:
        return migration
    return migration[migration["estimate_type"].fillna("") != PROJECTED]


def migration_series(
    migration: pd.DataFrame,
    country: str,
    indicator: str,
    partner: str = reference.ALL_DESTINATIONS,
    source: str | None = None,
) -> pd.DataFrame:
    """One migration series for a country and partner: year, value, source, source_code,
    estimate_type, no_data (value NA), is_synthetic, source_updated.

    Where several sources give the same year, the preferred one is used (:func:`preferred`);
    ``source`` (a source as written) restricts the series to that one source.
    """
    rows = measured(with_registry(migration))
    rows = rows[
        (rows["country"] == country)
        & (rows["indicator"] == indicator)
        & (rows["partner"] == partner)
    ]
    if source is not None:
        rows = rows[rows["source"] == source]
    columns = ["year", "value", "source", "source_code", "estimate_type", "no_data"]
    columns += [c for c in ("is_synthetic", "source_updated") if c in rows.columns]
    return preferred(rows)[columns].reset_index(drop=True)


def figure_for_year(
    migration: pd.DataFrame,
    country: str,
    indicator: str,
    year: int,
    codes: set[str] | None = None,
) -> dict | None:
    """The figure a brief shows for ``year``: one source (among registry ``codes`` when given),
    its value in ``year`` (projections left out) or, failing that, in its latest earlier year (``year`` says which),
    and the change against the previous year **of the same source** (None when that source
    has no previous year: a change is never computed across two sources). The source chosen
    is the one with the most recent year, then the preferred one. ``no_data`` when the
    publisher's figure for that year is a 'no data' zero. None when no source has a year up
    to ``year``."""
    rows = measured(with_registry(migration))
    rows = rows[
        (rows["country"] == country)
        & (rows["indicator"] == indicator)
        & (rows["partner"] == reference.ALL_DESTINATIONS)
        & (rows["year"] <= year)
    ]
    if codes is not None:
        rows = rows[rows["source_code"].isin(codes)]
    if rows.empty:
        return None
    # A handful of rows: chosen in plain Python (a dozen pandas calls cost more than the data).
    by_source: dict[str, list[dict]] = {}
    for record in rows.to_dict("records"):
        if isinstance(record["source"], str):  # a row without a source names no figure
            by_source.setdefault(record["source"], []).append(record)
    if not by_source:
        return None
    latest = {source: max(r["year"] for r in records) for source, records in by_source.items()}
    codes_seen = pd.Series([records[0]["source_code"] for records in by_source.values()])
    rank = dict(zip(by_source, source_rank(codes_seen), strict=True))

    def preference(source: str) -> tuple:  # most recent year, then registry rank, then name
        return (-latest[source], rank[source], source)

    source = min(by_source, key=preference)
    at = int(latest[source])
    in_year = {int(r["year"]): r for r in reversed(by_source[source])}  # first row of a year
    row = in_year[at]
    no_data = bool(row["no_data"])
    value = None if no_data else float(row["value"])
    previous = None
    if at - 1 in in_year and not bool(in_year[at - 1]["no_data"]):
        previous = float(in_year[at - 1]["value"])
    return {
        "indicator": indicator,
        "year": at,
        "value": value,
        "no_data": no_data,
        "previous": previous,
        "change_pct": change(value, previous),
        "source": source,
        "source_code": row["source_code"],
        "source_updated": row.get("source_updated"),
        "is_synthetic": bool(row.get("is_synthetic", False)),
        "estimate_type": row.get("estimate_type"),
    }


def stock_by_partner(migration: pd.DataFrame, country: str) -> pd.DataFrame:
    """Migrants abroad by destination: a year x partner table (persons)."""
    rows = migration[
        (migration["country"] == country)
        & (migration["indicator"] == "stock_abroad")
        & (migration["partner"] != reference.ALL_DESTINATIONS)
    ]
    rows = preferred(rows)
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


PARTNER_INDICATORS = (
    "outflow",
    "stock_abroad",
    "returnees",
    "remittances_usd",
    "remittances_gdp_pct",
)
PUBLIC_INDICATORS = (
    "population",
    "net_migration",
    "remittances_usd",
    "remittances_per_person",
    "remittances_gdp_pct",
    "refugees_by_origin",
    "immigrant_stock",
)
_SUMMARY_COLUMNS = [
    "indicator",
    "year",
    "value",
    "no_data",
    "previous",
    "change_pct",
    "source",
    "source_code",
    "source_updated",
    "is_synthetic",
    "estimate_type",
]


def international_codes() -> set[str]:
    """Registry codes of the international publishers (World Bank, UN, ILO)."""
    table = reference.sources()
    return set(table.loc[table["kind"] == "international", "code"])


def migration_summary(
    migration: pd.DataFrame, country: str, year: int, public: bool = False
) -> pd.DataFrame:
    """Per indicator, the figure a brief shows (:func:`figure_for_year`): the public series
    of the international publishers (``public=True``: population, net migration, remittances
    in US$ and per inhabitant, refugees by origin...) or the mission's partner and national
    statistics (``public=False``). Rows only for the indicators the country has data on."""
    international = international_codes()
    if public:
        codes = international
    else:
        codes = (
            set(with_registry(migration)["source_code"].unique()) | {reference.OTHER_SOURCE}
        ) - international
    rows = []
    for indicator in PUBLIC_INDICATORS if public else PARTNER_INDICATORS:
        if indicator == "remittances_per_person":
            found = _per_person(migration, country, year, codes)
        elif indicator == "stock_abroad":
            found = _stock_figure(migration, country, year, codes)
        else:
            found = figure_for_year(migration, country, indicator, year, codes)
        if found is not None:
            rows.append(found)
    return pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)


def _per_person(migration: pd.DataFrame, country: str, year: int, codes: set[str]) -> dict | None:
    """Remittances in US$ per inhabitant: both series from one publisher and one year."""
    remit = figure_for_year(migration, country, "remittances_usd", year, codes)
    if remit is None or remit["no_data"]:
        return None
    same = with_registry(migration)
    same = same[same["source_code"] == remit["source_code"]]
    money = migration_series(same, country, "remittances_usd", source=remit["source"])
    population = migration_series(same, country, "population")

    def per_person(at: int) -> float | None:
        pop, amount = value_in(population, at), value_in(money, at)
        if amount is None or not pop or math.isnan(pop) or math.isnan(amount):
            return None
        return amount / pop

    value, previous = per_person(remit["year"]), per_person(remit["year"] - 1)
    if value is None:
        return None
    return remit | {
        "indicator": "remittances_per_person",
        "value": value,
        "previous": previous,
        "change_pct": change(value, previous),
    }


def _stock_figure(migration: pd.DataFrame, country: str, year: int, codes: set[str]) -> dict | None:
    """Migrants abroad: the all-destinations figure, else the sum over destinations (one
    source, same year)."""
    found = figure_for_year(migration, country, "stock_abroad", year, codes)
    if found is not None:
        return found
    rows = with_registry(migration)
    rows = rows[
        (rows["country"] == country)
        & (rows["indicator"] == "stock_abroad")
        & rows["source_code"].isin(codes)
        & (rows["year"] <= year)
    ]
    if rows.empty:
        return None
    summed = rows.groupby(["source", "year"], as_index=False)["value"].sum()
    summed = summed.assign(
        partner=reference.ALL_DESTINATIONS, country=country, indicator="stock_abroad"
    )
    meta = rows.drop_duplicates("source").set_index("source")
    summed["source_code"] = summed["source"].map(meta["source_code"])
    summed["no_data"] = False
    summed["is_synthetic"] = (
        summed["source"].map(meta["is_synthetic"]) if "is_synthetic" in meta else False
    )
    return figure_for_year(summed, country, "stock_abroad", year, codes)


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


def per_million(migration: pd.DataFrame, country: str, year: int, count: float) -> dict | None:
    """``count`` per million inhabitants, with the population used: the year's value or the
    latest earlier one (never a later one), from the preferred population source. None when
    there is no population for the country."""
    population = migration_series(migration, country, "population")
    usable = population[(population["year"] <= year) & population["value"].notna()]
    if usable.empty or usable["value"].iloc[-1] <= 0:
        return None
    row = usable.iloc[-1]
    return {
        "rate": 1e6 * count / float(row["value"]),
        "population": float(row["value"]),
        "population_year": int(row["year"]),
        "source": row["source"],
        "source_code": row["source_code"],
        "is_synthetic": bool(row.get("is_synthetic", False)),
    }
