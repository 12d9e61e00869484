"""Accounting: every raw row is kept, merged or rejected, per dataset and per file."""

from __future__ import annotations

import pandas as pd

from analysis.clean.common import Cleaned


def account(raw: pd.DataFrame, cleaned: Cleaned) -> dict:
    """Rows in/kept/merged/rejected per dataset and per file; raises if a row is unaccounted."""
    per_file = pd.DataFrame({"rows_in": raw.groupby("source_file").size()})
    per_file["rows_kept"] = cleaned.processed.groupby("source_file").size()
    per_file["rows_merged_duplicates"] = cleaned.merged.groupby("source_file").size()
    per_file["rows_rejected"] = cleaned.rejects.groupby("source_file").size()
    per_file = per_file.fillna(0).astype(int)
    totals = (
        per_file.sum().astype(int).to_dict()
        if len(per_file)
        else dict.fromkeys(["rows_in", "rows_kept", "rows_merged_duplicates", "rows_rejected"], 0)
    )
    lost = per_file["rows_in"] - per_file[
        ["rows_kept", "rows_merged_duplicates", "rows_rejected"]
    ].sum(axis=1)
    if lost.any() or totals["rows_in"] != len(raw):
        raise AssertionError(f"rows unaccounted for: {lost[lost != 0].to_dict()}")
    reasons = (
        cleaned.rejects["reason_code"].str.split("; ").explode().value_counts().sort_index()
        if len(cleaned.rejects)
        else pd.Series(dtype=int)
    )
    rejected_by_file = {
        f: {
            str(k): int(v)
            for k, v in g["reason_code"]
            .str.split("; ")
            .explode()
            .value_counts()
            .sort_index()
            .items()
        }
        for f, g in cleaned.rejects.groupby("source_file")
    }
    files = {
        f: {**{k: int(v) for k, v in row.items()}, "rejects_by_reason": rejected_by_file.get(f, {})}
        for f, row in per_file.iterrows()  # one row per file: small
    }
    return {
        **{k: int(v) for k, v in totals.items()},
        "rejects_by_reason": {str(k): int(v) for k, v in reasons.items()},
        "unmapped_labels": cleaned.unmapped,
        "other_values": cleaned.other_values,
        "files": files,
    }
