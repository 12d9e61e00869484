"""Migration figures: one source per series (the registry's rank), projections kept apart,
the year's figure with its source, stocks by destination and the per-person rates."""

from __future__ import annotations

import math

import pandas as pd

from analysis import schema
from analysis.indicators.counts import change
from analysis.vocab import reference


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


MIGRATION_KEY = list(schema.MIGRATION_FIGURE)  # one figure (its sources compete)
SERIES_KEY = list(schema.MIGRATION_SERIES)  # one series (its years)
_BY_SERIES = [*SERIES_KEY, "year"]  # the order a series is read in


def preferred(migration: pd.DataFrame) -> pd.DataFrame:
    """One row per country, partner, indicator and year: the preferred source's figure (the
    order of ``data/sources.csv``). A publisher's 'no data' zero is used only when no other
    source has the year, and then its ``value`` is NA. The other sources' rows are dropped:
    this is what stops a pivot or a groupby from averaging two sources."""
    rows = with_registry(migration)
    ranked = rows.assign(_rank=source_rank(rows["source_code"])).sort_values(
        [*_BY_SERIES, "no_data", "_rank", "source"]
    )
    out = ranked.drop_duplicates(MIGRATION_KEY).drop(columns="_rank")
    out["value"] = out["value"].where(~out["no_data"].astype(bool))
    return out.sort_values(_BY_SERIES, ignore_index=True)


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
