"""Clean labour-migration statistics: parse, scale units, one value per key and source."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis import reference, schema
from analysis.clean.common import MIN_YEAR_STATISTICS, PROVENANCE, Cleaned
from analysis.clean.problems import (
    Problems,
    empty_rows,
    encode,
    read_problems,
    rejects_table,
    year_problems,
)
from analysis.clean.records import cluster_rows, first_rows, merge_provenance, merged_rows, row_refs
from analysis.coded import Coded
from analysis.parse import (
    is_blank,
    map_labels,
    parse_numbers,
    whole_numbers,
)


def clean_migration(raw: pd.DataFrame, max_year: int | None = None) -> Cleaned:
    """Parse migration rows (long format), scale units, keep one value per key and source.

    Two rows with the same country, partner, year, indicator and source and the same value are
    one record reported twice (merged); with different values the first (in file order) is kept
    and the others are rejected as ``conflicting_value`` with a pointer to the kept row.
    """
    max_year = max_year or dt.date.today().year
    raw = raw.reset_index(drop=True)
    problems, unmapped = Problems(raw.index), {}
    read_problems(problems, raw)
    content = [c for c in raw.columns if c not in PROVENANCE]
    col = encode(raw, content)
    empty = empty_rows(col)
    problems.add(empty, "empty_row", "empty row")
    filled = ~empty

    aliases = reference.country_aliases()
    country = map_labels(raw["country"], aliases).pipe(lambda s: s.where(s != "WLD"))
    partner_raw = raw["partner"].where(~is_blank(raw["partner"]), "WLD")
    partner = map_labels(partner_raw, aliases)
    indicator = map_labels(raw["indicator"], reference.indicator_aliases())
    year_parsed = parse_numbers(raw["year"])["value"]
    in_range = year_parsed.abs() < 10**6  # wider than any year; keeps the cast exact
    year = year_parsed.where(whole_numbers(year_parsed) & in_range).round().astype("Int64")
    numbers = parse_numbers(raw["value"])
    units = reference.unit_aliases()
    unit_pair = map_labels(raw["unit"], units, dtype="object")
    unit = unit_pair.map(lambda p: p[0], na_action="ignore")
    multiplier = unit_pair.map(lambda p: p[1], na_action="ignore").astype("float64").fillna(1.0)
    declared = reference.indicators().set_index("code")["unit"]
    expected_unit = indicator.map(declared)
    unit = unit.where(~is_blank(raw["unit"]), expected_unit)
    unit = unit.where(~(numbers["is_percent"] & is_blank(raw["unit"])), "pct_gdp")
    estimate = map_labels(raw["estimate_type"], reference.estimate_aliases())

    for column in ("country", "year", "indicator", "value"):
        problems.add(filled & is_blank(raw[column]), f"missing_{column}", f"{column}: missing")
    problems.mapped(
        col["country"], country.isna().to_numpy(), "country", "unknown_country", unmapped
    )
    problems.mapped(
        Coded.of(partner_raw), partner.isna().to_numpy(), "partner", "unknown_country", unmapped
    )
    problems.mapped(
        col["indicator"], indicator.isna().to_numpy(), "indicator", "unknown_indicator", unmapped
    )
    problems.value_problem(col["year"], year.isna().to_numpy(), "year", "bad_year")
    year_problems(problems, year, "year", max_year, MIN_YEAR_STATISTICS)
    problems.value_problem(col["value"], numbers["value"].isna().to_numpy(), "value", "bad_number")
    problems.mapped(col["unit"], unit_pair.isna().to_numpy(), "unit", "unknown_unit", unmapped)
    mismatch = unit.notna() & expected_unit.notna() & (unit != expected_unit)
    problems.add(mismatch, "unit_mismatch",
                 "unit: '" + raw["unit"].str.strip() + "' does not fit indicator '" + indicator.fillna("") + "'")  # fmt: skip
    problems.mapped(
        col["estimate_type"],
        estimate.isna().to_numpy(),
        "estimate_type",
        "unknown_estimate_type",
        unmapped,
    )
    scaled = numbers["value"] * multiplier
    problems.add(numbers["value"].notna() & ~np.isfinite(scaled), "bad_number",
                 "value: out of range '" + raw["value"].str.strip().str.slice(0, 40) + "'")  # fmt: skip
    negative = (numbers["value"] < 0) & indicator.isin(["outflow", "stock_abroad", "returnees"])
    problems.add(negative, "bad_number", "value: negative count '" + raw["value"].str.strip() + "'")

    source = raw["source"].str.strip()
    source = source.where(source != "", raw["source_file"].str.split("#").str[0])
    ok = pd.DataFrame(
        {
            "country": country,
            "partner": partner,
            "year": year,
            "indicator": indicator,
            "value": scaled,
            "unit": unit,
            "source": source,
            "estimate_type": estimate,
            "source_file": raw["source_file"],
            "source_row": raw["source_row"],
            "is_synthetic": raw["is_synthetic"],
        }
    )
    # Same key and source, different value: the first is kept, the others are rejected.
    reasons = problems.fold()
    valid = ~raw.index.isin(reasons.index)
    key = (
        ok["country"] + "|" + ok["partner"] + "|" + ok["year"].astype("str") + "|" + ok["indicator"]
        + "|" + ok["source"]
    )  # fmt: skip
    first_value = ok["value"].where(valid).groupby(key.where(valid)).transform("first")
    conflict = valid & ok["value"].ne(first_value) & first_value.notna()
    if conflict.any():
        first_pos = (
            pd.Series(np.arange(len(ok)))
            .where(valid)
            .groupby(key.where(valid).to_numpy())
            .transform("min")
        )
        kept = ok.iloc[first_pos[conflict.to_numpy()].astype(int)]
        pointer = row_refs(kept).to_numpy()
        problems.add(conflict, "conflicting_value",
                     pd.Series("value: differs from the value kept at ", index=raw.index)[conflict] + pointer)  # fmt: skip
        reasons = problems.fold()
    bad = raw.index.isin(reasons.index)
    rejects = rejects_table(raw, reasons)
    ok = ok[~bad].reset_index(drop=True)
    cluster = (
        cluster_rows([key[~bad].reset_index(drop=True)]) if len(ok) else np.array([], dtype=int)
    )
    merged = merged_rows(ok, cluster)
    provenance = merge_provenance(ok.assign(source=""), cluster)
    first = ok.iloc[first_rows(cluster)].copy()
    clusters = first.index.to_numpy()
    for column in ("n_reports", "sources"):
        first[column] = provenance.loc[clusters, column].to_numpy()
    processed = schema.conform(first, schema.MIGRATION).sort_values(
        list(schema.MIGRATION.key), ignore_index=True
    )
    return Cleaned(processed=processed, rejects=rejects, merged=merged, unmapped=unmapped)
