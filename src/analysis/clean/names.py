"""Victim names on the cleaning side: listed names per record, and what a shared table may
show (see :mod:`analysis.privacy` for the matching rules).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.clean.coded import Coded
from analysis.clean.records import join_per_cluster
from analysis.ingest.parse import (
    is_blank,
    map_unique,
)
from analysis.privacy import WITHHELD, NameShield, split_names


def list_names(text: str) -> list[str]:
    """The names of a names cell, split as the shield splits them (one rule:
    :func:`analysis.privacy.split_names`)."""
    return split_names(text)


def normal_names(text: str) -> str:
    """'A, B; A' -> 'A; B': each listed name once, in order, '; '-separated."""
    return "; ".join(dict.fromkeys(list_names(text)))


def names_per_cluster(cluster: np.ndarray, names: Coded) -> Coded:
    """Every name listed for a cluster's rows, once each (split and joined per distinct list);
    one entry per cluster, in cluster order."""
    per_row = names.apply(lambda u: map_unique(u, normal_names, missing="")).values()
    joined = join_per_cluster(cluster, per_row, unique=True)
    return Coded.of(joined).apply(lambda u: map_unique(u, normal_names, missing=""))


PRIVATE_TEXT = ("description", "url")  # shared only for a public case


def withhold(values: pd.Series, private: np.ndarray | pd.Series) -> pd.Series:
    """``values`` with every filled cell of a ``private`` row replaced by :data:`WITHHELD`."""
    private = np.asarray(private, dtype=bool) & ~is_blank(values).to_numpy(dtype=bool)
    return values.where(~private, WITHHELD)


def shield_frame(frame: pd.DataFrame, shield: NameShield, columns: list[str]) -> pd.DataFrame:
    """Names withheld from ``columns`` (a frame of free text), see :mod:`analysis.privacy`."""
    return shield.redact_frame(frame, columns) if shield else frame


def shareable_names(names: pd.Series, is_public: pd.Series, shield: NameShield) -> pd.Series:
    """The names a brief may print: a public record's names, minus any name that another,
    non-public record lists (that person is at risk there); NA when none is left."""

    def keep(cell: str) -> str | None:
        kept = [n for n in list_names(cell) if not shield.contains_name(n)]
        return "; ".join(kept) or None

    public = is_public.to_numpy(dtype=bool)
    out = pd.Series(pd.NA, index=names.index, dtype="str")
    if public.any():
        out[public] = map_unique(names[public], keep)
    return out
