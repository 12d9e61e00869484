"""Dictionary-encoded columns: work once per distinct value, map back to rows by position.

A partner file of a million rows has a few thousand distinct dates, a dozen country spellings
and a handful of partners. :class:`Coded` keeps a text column as integer codes into its
distinct values, so that stripping, parsing, mapping and comparing run on the distinct
values and a row subset is an integer take, not a copy of a million strings. Full columns are
built once, at the end (:meth:`Coded.values`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Coded:
    """A column as ``codes`` (int64, one per row, >= 0) into ``uniques`` (a Series, RangeIndex).

    ``uniques`` may hold NA and repeated values (after a mapping); :meth:`group` gives codes
    that are equal exactly where the values are equal.
    """

    codes: np.ndarray
    uniques: pd.Series

    @classmethod
    def of(cls, values: pd.Series) -> Coded:
        """Encode a Series (NA is a value of its own)."""
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return cls(codes.astype(np.int64, copy=False), pd.Series(uniques, dtype=values.dtype))

    def apply(self, func: Callable[[pd.Series], pd.Series]) -> Coded:
        """``func`` (Series -> Series of the same length) on the distinct values."""
        return Coded(self.codes, func(self.uniques).reset_index(drop=True))

    def mask(self, func: Callable[[pd.Series], pd.Series]) -> np.ndarray:
        """Boolean per row from ``func`` (Series -> boolean Series) on the distinct values."""
        flags = func(self.uniques)
        return flags.fillna(False).to_numpy(dtype=bool)[self.codes]

    def isna(self) -> np.ndarray:
        """True per row where the value is NA."""
        return self.mask(pd.Series.isna)

    def take(self, rows: np.ndarray) -> Coded:
        """The rows at positions ``rows`` (or where a boolean mask is True)."""
        return Coded(self.codes[rows], self.uniques)

    def group(self) -> np.ndarray:
        """Codes equal exactly where the values are equal; -1 where the value is NA."""
        groups, _ = pd.factorize(self.uniques)
        return groups[self.codes]

    def rank(self) -> np.ndarray:
        """Codes in the sort order of the values (NA last), for sorting rows by this column."""
        groups, _ = pd.factorize(self.uniques, sort=True)
        return np.where(groups < 0, len(groups), groups)[self.codes]

    def values(self) -> pd.Series:
        """The full column (RangeIndex), in the dtype of ``uniques``."""
        return self.uniques.take(self.codes).reset_index(drop=True)

    def counts(self, rows: np.ndarray) -> pd.Series:
        """How often each distinct value occurs in ``rows`` (a boolean mask), by value."""
        per_code = np.bincount(self.codes[rows], minlength=len(self.uniques))
        present = per_code > 0
        return (
            pd.Series(per_code[present], index=self.uniques[present].to_numpy())
            .groupby(level=0)
            .sum()
        )
