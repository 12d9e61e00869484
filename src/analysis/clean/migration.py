"""Clean labour-migration statistics: parse, scale units, one value per key and source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schema
from analysis.clean.coded import Coded
from analysis.clean.common import MIN_YEAR_STATISTICS, PROVENANCE, Cleaned
from analysis.clean.problems import (
    Problems,
    encode,
    first_problems,
    rejects_table,
    year_problems,
)
from analysis.clean.records import cluster_rows, first_rows, merge_provenance, merged_rows, row_refs
from analysis.clean.versions import SUPERSEDED, is_latest, versions
from analysis.ingest.parse import (
    is_blank,
    map_labels,
    parse_numbers,
    whole_numbers,
)
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


def clean_migration(
    raw: pd.DataFrame,
    max_year: int | None = None,
    vocab: Vocabulary | None = None,
    public: pd.DataFrame | None = None,
) -> Cleaned:
    """Parse migration rows (long format), scale units, keep one value per key and source.

    Two rows with the same country, partner, year, indicator and source and the same value are
    one record reported twice (merged); a later version of a file supersedes what it restates;
    other different values are settled as :func:`_reject_conflicts` says. ``public``: the
    imported publishers' rows (:mod:`analysis.ingest.publishers`), already in the processed
    schema: a partner row restating one of their figures under the same source is set aside
    (``public_duplicate``), and :func:`with_public` joins them to the processed table.
    """
    raw = raw.reset_index(drop=True)
    parsed = _parse(raw, vocab if vocab is not None else Vocabulary())
    problems, unmapped = _find_problems(raw, parsed, max_year or dt.date.today().year)
    key = _figure_key(parsed.values)
    if public is not None and len(public):
        imported = public.assign(key=_figure_key(public)).drop_duplicates("key")
        where = key.map(imported.set_index("key")["sources"])
        problems.add(
            where.notna(),
            "public_duplicate",
            "source: the same figure is imported from the publisher's file (" + where + ")",
        )
    reasons = _reject_conflicts(problems, parsed.values, key)
    bad = raw.index.isin(reasons.index)
    ok = parsed.values[~bad].reset_index(drop=True)
    cluster = (
        cluster_rows([key[~bad].reset_index(drop=True)]) if len(ok) else np.array([], dtype=int)
    )
    return Cleaned(
        processed=_figures_table(ok, cluster),
        rejects=rejects_table(raw, reasons),
        merged=merged_rows(ok, cluster),
        unmapped=unmapped,
    )


def with_public(processed: pd.DataFrame, public: pd.DataFrame) -> pd.DataFrame:
    """The partners' figures and the imported publishers' series as one processed table."""
    if public is None or public.empty:
        return processed
    both = pd.concat([processed, schema.conform(public, schema.MIGRATION)], ignore_index=True)
    return schema.conform(both, schema.MIGRATION).sort_values(
        list(schema.MIGRATION.key), ignore_index=True
    )


@dataclass
class _Parsed:
    values: pd.DataFrame  # every row's parsed values (NA where unreadable) and provenance
    partner_raw: pd.Series  # blank partner = all destinations
    numbers: pd.DataFrame  # value, is_percent as written (before the unit's multiplier)
    unit_pair: pd.Series  # (unit, multiplier) per row, NA when the label is unknown
    expected_unit: pd.Series  # the indicator's declared unit


_ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def _parse(raw: pd.DataFrame, vocab: Vocabulary) -> _Parsed:
    aliases = vocab.matcher("countries")
    country = map_labels(raw["country"], aliases)
    partner_raw = raw["partner"].where(~is_blank(raw["partner"]), reference.ALL_DESTINATIONS)
    indicator = map_labels(raw["indicator"], vocab.matcher("indicators"))
    year_parsed = parse_numbers(raw["year"])["value"]
    in_range = year_parsed.abs() < 10**6  # wider than any year; keeps the cast exact
    numbers = parse_numbers(raw["value"])
    unit_pair = map_labels(raw["unit"], reference.unit_aliases(), dtype="object")
    multiplier = unit_pair.map(lambda p: p[1], na_action="ignore").astype("float64").fillna(1.0)
    expected_unit = indicator.map(reference.indicators().set_index("code")["unit"])
    unit = unit_pair.map(lambda p: p[0], na_action="ignore")
    unit = unit.where(~is_blank(raw["unit"]), expected_unit)
    unit = unit.where(~(numbers["is_percent"] & is_blank(raw["unit"])), "pct_gdp")
    source = raw["source"].str.strip()
    source = source.where(source != "", raw["source_file"].str.split("#").str[0])
    source_code = reference.source_codes(source)
    synthetic_source = source_code.isin(reference.sources().loc[lambda t: t["synthetic"], "code"])
    value = numbers["value"] * multiplier
    updated = raw["source_updated"].str.strip()
    values = pd.DataFrame(
        {
            "country": country.where(country != reference.ALL_DESTINATIONS),
            "partner": map_labels(partner_raw, aliases),
            "year": year_parsed.where(whole_numbers(year_parsed) & in_range)
            .round()
            .astype("Int64"),
            "indicator": indicator,
            "value": value,
            "unit": unit,
            "source": source,
            "source_code": source_code,
            "source_updated": updated.where(updated.str.fullmatch(_ISO_DATE).fillna(False)),
            "no_data": False,  # a partner's figure is a figure (publishers' flags: on import)
            "estimate_type": map_labels(raw["estimate_type"], reference.estimate_aliases()),
            "source_file": raw["source_file"],
            "source_row": raw["source_row"],
            "is_synthetic": raw["is_synthetic"] | synthetic_source,
        }
    )
    return _Parsed(values, partner_raw, numbers, unit_pair, expected_unit)


def _find_problems(raw: pd.DataFrame, p: _Parsed, max_year: int) -> tuple[Problems, dict]:
    """Every problem of every row (folded by the caller, after the conflicts), and the
    unmapped labels with counts."""
    v = p.values
    col, unmapped = encode(raw, [c for c in raw.columns if c not in PROVENANCE]), {}
    problems = first_problems(raw, col, ("country", "year", "indicator", "value"))
    problems.mapped(
        col["country"], v["country"].isna().to_numpy(), "country", "unknown_country", unmapped
    )
    problems.mapped(
        Coded.of(p.partner_raw),
        v["partner"].isna().to_numpy(),
        "partner",
        "unknown_country",
        unmapped,
    )
    problems.mapped(
        col["indicator"],
        v["indicator"].isna().to_numpy(),
        "indicator",
        "unknown_indicator",
        unmapped,
    )
    problems.value_problem(col["year"], v["year"].isna().to_numpy(), "year", "bad_year")
    problems.value_problem(
        col["source_updated"], v["source_updated"].isna().to_numpy(), "source_updated", "bad_date"
    )
    year_problems(problems, v["year"], "year", max_year, MIN_YEAR_STATISTICS)
    problems.value_problem(
        col["value"], p.numbers["value"].isna().to_numpy(), "value", "bad_number"
    )
    problems.mapped(col["unit"], p.unit_pair.isna().to_numpy(), "unit", "unknown_unit", unmapped)
    mismatch = v["unit"].notna() & p.expected_unit.notna() & (v["unit"] != p.expected_unit)
    problems.add(
        mismatch,
        "unit_mismatch",
        "unit: '"
        + raw["unit"].str.strip()
        + "' does not fit indicator '"
        + v["indicator"].fillna("")
        + "'",
    )
    problems.mapped(
        col["estimate_type"],
        v["estimate_type"].isna().to_numpy(),
        "estimate_type",
        "unknown_estimate_type",
        unmapped,
    )
    problems.add(
        p.numbers["value"].notna() & ~np.isfinite(v["value"]),
        "bad_number",
        "value: out of range '" + raw["value"].str.strip().str.slice(0, 40) + "'",
    )
    negative = (p.numbers["value"] < 0) & v["indicator"].isin(reference.non_negative_indicators())
    problems.add(negative, "bad_number", "value: negative count '" + raw["value"].str.strip() + "'")
    return problems, unmapped


def _figure_key(values: pd.DataFrame) -> pd.Series:
    """One figure from one source (the table's key) as one text per row."""
    parts = [values[c].astype("str") for c in schema.MIGRATION.key]
    return parts[0].str.cat(parts[1:], sep="|")


def _reject_conflicts(problems: Problems, values: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """One value per figure, never by alphabetical order of files:

    1. a later version of a file (:mod:`.versions`: same name but a later date or version)
       supersedes what it restates: the earlier file's rows of the same figure are set aside as
       ``superseded`` with a pointer to the row that replaces them;
    2. different values within one file: the first (the partner's own order) is kept, the
       others are ``conflicting_value`` with a pointer to it;
    3. different values from unrelated files: none wins; every one is ``conflicting_value``
       naming the others, for review (a corrected, versioned file settles it).

    Returns the folded reasons."""
    reasons = problems.fold()
    valid = pd.Series(~values.index.isin(reasons.index), index=values.index)
    fam = versions(values["source_file"])
    pos = pd.Series(np.arange(len(values)), index=values.index)
    group = key.where(valid)
    # 1. superseded by a later version of the same file
    superseded = valid & ~is_latest(values["source_file"], group)
    if superseded.any():
        later = valid & ~superseded
        target = pos.where(later).groupby([group, fam["family"]]).transform("min")
        pointer = row_refs(values.iloc[target[superseded].astype(int).to_numpy()]).to_numpy()
        problems.add(
            superseded.to_numpy(),
            "superseded",
            pd.Series(SUPERSEDED, index=values.index)[superseded] + pointer,
        )
        valid &= ~superseded
        group = key.where(valid)
    # 2. and 3. different values of one figure among the rows left
    distinct = values["value"].where(valid).groupby(group).transform("nunique")
    clash = valid & (distinct > 1)
    if clash.any():
        files = fam["family"].where(clash)
        one_file = files.groupby(group).transform("nunique") == 1
        first_pos = pos.where(clash).groupby(group).transform("min")
        first_value = values["value"].where(clash).groupby(group).transform("first")
        within = clash & one_file & (values["value"] != first_value)
        if within.any():
            pointer = row_refs(values.iloc[first_pos[within].astype(int).to_numpy()]).to_numpy()
            problems.add(
                within.to_numpy(),
                "conflicting_value",
                pd.Series("value: differs from the value kept at ", index=values.index)[within]
                + pointer,
            )
        across = clash & ~one_file
        if across.any():
            refs = row_refs(values).where(across)
            listed = refs.groupby(group).transform(lambda r: "; ".join(r.dropna()))
            problems.add(
                across.to_numpy(),
                "conflicting_value",
                "value: unrelated files give different values ("
                + listed[across]
                + "); none is kept until a corrected file or data/corrections.csv settles it",
            )
    return problems.fold()


def _figures_table(ok: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    """One row per figure at its first report, with the merged reports' provenance."""
    provenance = merge_provenance(ok.assign(source=""), cluster)
    first = ok.iloc[first_rows(cluster)].copy()
    clusters = first.index.to_numpy()
    for column in ("n_reports", "sources"):
        first[column] = provenance.loc[clusters, column].to_numpy()
    return schema.conform(first, schema.MIGRATION).sort_values(
        list(schema.MIGRATION.key), ignore_index=True
    )
