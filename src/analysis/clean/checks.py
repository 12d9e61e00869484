"""Data checks that the quality report lists: sources that disagree, publishers' 'no data'
zeros, values a later file superseded, large year-on-year jumps."""

from __future__ import annotations

import pandas as pd

from analysis import schema
from analysis.clean.versions import SUPERSEDED
from analysis.vocab import reference

DISAGREEMENT_PCT = 10  # two sources further apart than this are listed (report, methodology)


def source_disagreements(
    migration: pd.DataFrame, threshold_pct: float = DISAGREEMENT_PCT
) -> list[dict]:
    """Country, partner, year and indicator where two sources differ by more than ``threshold_pct``
    (relative to the smaller absolute value), with both values and sources."""
    key = list(schema.MIGRATION_FIGURE)
    multi = migration[migration.duplicated(key, keep=False)]
    if multi.empty:
        return []
    grouped = multi.groupby(key)
    low, high = grouped["value"].min(), grouped["value"].max()
    base = pd.concat([low.abs(), high.abs()], axis=1).min(axis=1).replace(0, float("nan"))
    spread = 100 * (high - low) / base
    flagged = spread[(spread > threshold_pct) | (base.isna() & (high != low))].index
    out = []
    for idx in flagged:  # a short list by construction
        rows = grouped.get_group(idx)
        out.append(
            {
                **dict(
                    zip(
                        key,
                        [str(v) if not isinstance(v, int | float) else int(v) for v in idx],
                        strict=True,
                    )
                ),
                "values": {s: float(v) for s, v in zip(rows["source"], rows["value"], strict=True)},
            }
        )
    return out


def publisher_zeros(migration: pd.DataFrame) -> list[dict]:
    """Zeros that a publisher uses for 'no data' (flagged ``no_data`` by the cleaning), for the
    quality report: indicator, source, country, year."""
    zeros = migration[migration["no_data"]].sort_values(["source", "country", "year"])
    return [
        {"indicator": r.indicator, "source": r.source, "country": r.country, "year": int(r.year)}
        for r in zeros.itertuples()
    ]


JUMP_FACTOR = 2.0  # a series value more than twice or less than half the year before's


def large_jumps(
    migration: pd.DataFrame, factor: float = JUMP_FACTOR, years: int = 10
) -> list[dict]:
    """Consecutive years of one series (country, partner, indicator, source) whose value
    changes by more than ``factor`` times either way in the last ``years`` years of the data,
    for review before a brief goes out (a unit slip, a changed definition, a typo). Counts and
    sums only: a balance such as net migration swings by nature. Publishers' 'no data' rows
    are left out."""
    key = [*schema.MIGRATION_SERIES, "source"]
    recent = migration["year"] > migration["year"].max() - years if len(migration) else True
    table = reference.indicators()
    balances = table.loc[
        ~table["code"].isin(reference.non_negative_indicators()) & (table["unit"] == "persons"),
        "code",
    ]
    counts = ~migration["indicator"].isin(balances)
    rows = migration[~migration["no_data"].astype(bool) & recent & counts].sort_values(
        [*key, "year"]
    )
    previous = rows.groupby(key)["value"].shift()
    previous_year = rows.groupby(key)["year"].shift()
    ratio = (rows["value"] / previous).abs()
    jump = (
        (previous_year == rows["year"] - 1)
        & (rows["value"] * previous > 0)  # a sign change is a balance, not a slip
        & ((ratio > factor) | (ratio < 1 / factor))
    )
    return [
        {
            "country": r.country,
            "partner": r.partner,
            "indicator": r.indicator,
            "source": r.source,
            "year": int(r.year),
            "previous": float(p),
            "value": float(r.value),
        }
        for r, p in zip(rows[jump].itertuples(), previous[jump], strict=True)
    ]


def superseded_values(rejects: pd.DataFrame, processed: pd.DataFrame) -> list[dict]:
    """The values a later version of a file replaced, each with both sources and both values
    (the reject's file, row and value as written; the row that replaces it and the value
    kept), as the quality report lists them."""
    rows = rejects[rejects["reason_code"] == "superseded"]
    if rows.empty:
        return []
    kept = {
        ref: float(value)
        for refs, value in zip(processed["sources"], processed["value"], strict=True)
        for ref in str(refs).split("; ")
    }
    out = []
    for r in rows.itertuples():
        by = str(r.reason).removeprefix(SUPERSEDED)
        out.append(
            {
                "file": f"{r.source_file}:{r.source_row}",
                "value": str(r.value),
                "replaced_by": by,
                "new_value": kept.get(by),
            }
        )
    return out
