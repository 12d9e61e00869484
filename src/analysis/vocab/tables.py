"""The package's reference data as tables, and the one way labels are compared.

Mappings live in CSV files under ``analysis/data`` so that researchers extend them without
touching code. Every lookup goes through :func:`normalise_label` on both sides.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import pandas as pd

_QUOTES = str.maketrans({"ʻ": "'", "’": "'", "‘": "'", "`": "'", "ʼ": "'", "ё": "е", "Ё": "Е"})
_SPACES = re.compile(r"[\s_\u00a0]+")


def normalise_label(value: str) -> str:
    """Casefold, unify quotes and ё, collapse whitespace, strip outer spaces and trailing dots."""
    text = _SPACES.sub(" ", str(value).translate(_QUOTES)).strip().casefold()
    return text.rstrip(".,;:").strip() if len(text) > 1 else text


def normalise_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalise_label` (computed once per unique value)."""
    uniques = pd.unique(values.dropna()).tolist()
    mapping = {u: normalise_label(u) for u in uniques}
    return values.map(mapping)


@cache
def read_table(name: str) -> pd.DataFrame:
    """Read one package data CSV (all columns as strings, empty cells as empty strings).
    Cached: package data do not change while a process runs."""
    path = files("analysis") / "data" / f"{name}.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)
