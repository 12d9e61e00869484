"""Constants and the result type shared by the three cleaners."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import schema
from analysis.privacy import NameShield

MIN_YEAR = schema.MIN_YEAR
MIN_YEAR_STATISTICS = schema.MIN_YEAR_STATISTICS


MAX_COUNT = 10**10  # persons: more than the world's population is not a count


PROVENANCE = ["source_file", "source_row", "is_synthetic", "read_problem"]


@dataclass
class Cleaned:
    """Result of cleaning one dataset."""

    processed: pd.DataFrame
    rejects: pd.DataFrame  # source_file, source_row, reason_code, reason, raw columns (no names)
    merged: pd.DataFrame  # source_file, source_row of rows merged into another record
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    other_values: dict[str, dict[str, int]] = field(default_factory=dict)  # kept as 'other'
    private: dict[str, pd.DataFrame] = field(default_factory=dict)
    shield: NameShield = field(default_factory=NameShield)  # the dataset's non-public names
    superseded: list[dict] = field(default_factory=list)  # values a later file version replaced


def none_if_blank(values: pd.Series) -> pd.Series:
    stripped = values.str.strip()
    return stripped.where(stripped != "", pd.NA)
