"""The problems collector: every rejected row with one reason per problem, named by column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.clean.coded import Coded
from analysis.clean.common import MIN_YEAR, PROVENANCE
from analysis.clean.records import join_per_cluster
from analysis.ingest.parse import (
    is_blank,
)


class Problems:
    """Collects (mask, code, message) problems and folds them into one reason per row."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self.parts: list[pd.DataFrame] = []

    def add(
        self, mask: pd.Series | np.ndarray, code: str, message: pd.Series | np.ndarray | str
    ) -> None:
        """``message``: one text, a Series (read at the flagged rows) or an array with one
        message per flagged row (cheaper to build on large files)."""
        if isinstance(mask, pd.Series):
            mask = mask.fillna(False).to_numpy(dtype=bool)
        if not mask.any():
            return
        rows = self.index[mask]
        text = message.reindex(rows).to_numpy() if isinstance(message, pd.Series) else message
        self.parts.append(pd.DataFrame({"row": rows, "code": code, "reason": text}))

    def value_problem(self, raw: Coded, unread: np.ndarray, column: str, code: str) -> None:
        """A filled raw cell whose parsed value is NA (``unread``): '<column>: cannot read '<value>''."""
        bad = ~raw.mask(is_blank) & unread
        self.add(bad, code, quoted(raw, bad, column + ": cannot read '"))

    def mapped(
        self, raw: Coded, unmapped_rows: np.ndarray, column: str, code: str, unmapped: dict
    ) -> None:
        """A filled raw cell that no alias maps (``unmapped_rows``); counted per label."""
        bad = ~raw.mask(is_blank) & unmapped_rows
        self.add(bad, code, quoted(raw, bad, column + ": unknown value '"))
        if bad.any():
            counts = raw.apply(lambda u: u.str.strip()).counts(bad)
            unmapped[column] = {str(k): int(v) for k, v in counts.items()}

    def fold(self) -> pd.DataFrame:
        """One row per problematic raw row: reason_code and reason, '; '-joined in order."""
        if not self.parts:
            return pd.DataFrame(columns=["reason_code", "reason"], index=pd.Index([], name="row"))
        parts = pd.concat(self.parts, ignore_index=True).astype({"code": "str", "reason": "str"})
        rows = parts["row"].to_numpy()
        return pd.DataFrame(
            {
                "reason_code": join_per_cluster(rows, parts["code"]),
                "reason": join_per_cluster(rows, parts["reason"]),
            }
        ).sort_index()


def read_problems(problems: Problems, raw: pd.DataFrame) -> None:
    """Rows the reader set apart (an unclosed quote) are rejected with the reader's reason."""
    if "read_problem" in raw:
        text = raw["read_problem"].fillna("")
        quote = text.str.contains("quote", regex=False).to_numpy(dtype=bool)
        flagged = text.ne("").to_numpy(dtype=bool)
        problems.add(quote, "unclosed_quote", raw["read_problem"])
        problems.add(flagged & ~quote, "bad_field_count", raw["read_problem"])


def quoted(raw: Coded, rows: np.ndarray, prefix: str) -> np.ndarray:
    """``prefix`` + the stripped raw value + "'" for the rows of a mask, built per distinct value."""
    text = (prefix + raw.uniques.fillna("").str.strip() + "'").to_numpy(dtype=object)
    return text[raw.codes[rows]]


def encode(raw: pd.DataFrame, columns: list[str]) -> dict[str, Coded]:
    return {c: Coded.of(raw[c]) for c in columns}


def empty_rows(columns: dict[str, Coded]) -> np.ndarray:
    return np.logical_and.reduce([c.mask(is_blank) for c in columns.values()])


def first_problems(raw: pd.DataFrame, col: dict[str, Coded], required: tuple[str, ...]) -> Problems:
    """The problems every dataset starts with, in this order: rows the reader set apart,
    empty rows, and a filled row missing a required value (``missing_<column>``)."""
    problems = Problems(raw.index)
    read_problems(problems, raw)
    empty = empty_rows(col)
    problems.add(empty, "empty_row", "empty row")
    for column in required:
        problems.add(~empty & col[column].mask(is_blank), f"missing_{column}", f"{column}: missing")
    return problems


def rejects_table(
    raw: pd.DataFrame, reasons: pd.DataFrame, drop: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Rejected raw rows with their reasons, text columns as they came (minus ``drop``)."""
    rows = raw.loc[reasons.index]
    columns = [c for c in raw.columns if c not in (*PROVENANCE, *drop)]
    return pd.concat(
        [rows[["source_file", "source_row"]], reasons[["reason_code", "reason"]], rows[columns]],
        axis=1,
    ).reset_index(drop=True)


def year_problems(
    problems: Problems, years: pd.Series, column: str, max_year: int, min_year: int = MIN_YEAR
) -> None:
    out = years.notna() & ((years < min_year) | (years > max_year))
    problems.add(
        out,
        "year_out_of_range",
        f"{column}: year outside {min_year}-{max_year} ('" + years[out].astype("str") + "')",
    )
