"""Versions of one partner file: a later file supersedes what it restates.

Two files of the same dataset folder whose names differ only by a date (``..._2025-06-30``,
``..._20260115``) or a version (``..._v2``) are versions of one file; the later date, then the
higher version, is the later file (a file without a date or version is the earliest). Nothing
is decided by alphabetical order."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_VERSION = re.compile(r"(?i)(?:^|[-_ .])v(?:ersion)?[-_ ]?(\d{1,4})(?=$|[-_ .])")
_SEPARATORS = re.compile(r"[-_ .]+")


def file_version(file: str) -> tuple[str, str, int]:
    """``(family, date, version)`` of a raw file name (relative to the raw folder; a sheet after
    ``#`` ignored): the family is the name without its extension, date and version."""
    path = file.split("#", 1)[0]
    folder, _, name = path.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    date = ""
    for match in _DATE.finditer(stem):  # the last real calendar date in the name
        try:
            date = dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            continue
        stem = stem[: match.start()] + " " + stem[match.end() :]
    found = _VERSION.search(stem)
    version = int(found[1]) if found else 0
    if found:
        stem = stem[: found.start()] + " " + stem[found.end() :]
    family = _SEPARATORS.sub(" ", stem).strip().casefold()
    return f"{folder}/{family}", date, version


def versions(files: pd.Series) -> pd.DataFrame:
    """Per row: ``family`` and ``order`` (0 for the earliest version of its family; files of
    different families are unrelated). Computed once per distinct file."""
    distinct = pd.unique(files.dropna()).tolist()
    parsed = {f: file_version(str(f)) for f in distinct}
    table = pd.DataFrame(
        {
            "file": distinct,
            "family": [parsed[f][0] for f in distinct],
            "date": [parsed[f][1] for f in distinct],
            "version": [parsed[f][2] for f in distinct],
        }
    )
    table["order"] = (
        table.sort_values(["family", "date", "version"]).groupby("family").cumcount()
        if len(table)
        else pd.Series(dtype="int64")
    )
    by_file = table.set_index("file")
    return pd.DataFrame(
        {
            "family": files.map(by_file["family"]),
            "order": files.map(by_file["order"]).fillna(0).astype("int64"),
        },
        index=files.index,
    )


SUPERSEDED = "value: replaced by the later file's "  # the rejects' reason, then file:row


def is_latest(files: pd.Series, groups) -> np.ndarray:
    """Per row: False when a later version of its file has a row in the same group (the same
    figure, the same incident), so the later one's values win. Rows without a group are
    latest."""
    fam = versions(files.reset_index(drop=True))
    group = pd.Series(np.asarray(groups, dtype=object))
    latest = fam["order"].groupby([group, fam["family"]]).transform("max")
    return ~(fam["order"] < latest).to_numpy()
