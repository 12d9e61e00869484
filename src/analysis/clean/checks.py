"""Data checks that the quality report lists: sources that disagree, publishers' 'no data' zeros."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

IMPORT_RECORDS = Path("wdi") / "records"  # under data/external/: what each import did


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


def publisher_zeros(external_dir: str | Path) -> list[dict]:
    """Zeros that the publisher uses for 'no data', recorded at import (for the quality report)."""
    out = []
    for meta in sorted((Path(external_dir) / IMPORT_RECORDS).glob("wdi_*.import.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        out += [
            {"indicator": info["indicator"], "source": info["indicator_code"], **z}
            for z in info["zeros"]
        ]
    return out
