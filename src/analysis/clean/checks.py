"""Data checks that the quality report lists: sources that disagree, publishers' 'no data' zeros."""

from __future__ import annotations

import pandas as pd


def source_disagreements(migration: pd.DataFrame, threshold_pct: float = 10.0) -> list[dict]:
    """Country, partner, year and indicator where two sources differ by more than ``threshold_pct``
    (relative to the smaller absolute value), with both values and sources."""
    key = ["country", "partner", "year", "indicator"]
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
