"""Which row of a partner file is the header, and which canonical column each cell names.

Header spellings are vocabulary (the package's ``columns.csv`` and the researcher's
``data/mappings/columns_<dataset>.csv``), read through a
:class:`~analysis.vocab.vocabulary.Vocabulary`: tolerantly (units in brackets, bilingual
headers, word order, inflection) but never past a scale word or a names header.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.ingest.raw_table import FileReadError, RawTable
from analysis.vocab.tables import normalise_label, read_table
from analysis.vocab.vocabulary import Vocabulary

HEADER_SEARCH_ROWS = 30
_SYNTHETIC = re.compile(r"synthetic|синтетическ", re.IGNORECASE)


@dataclass(frozen=True)
class Headers:
    """The header vocabulary of one dataset."""

    dataset: str
    vocab: Vocabulary = field(default_factory=Vocabulary)

    def column(self, cell: str) -> str | None:
        return header_column(cell, self.dataset, self.vocab)

    def find(self, rows: list[list[str]]) -> tuple[int, dict[int, str]]:
        return find_header(rows, self.dataset, self.vocab)


def find_header(
    rows: list[list[str]], dataset: str, vocab: Vocabulary | None = None
) -> tuple[int, dict[int, str]]:
    """Index of the header row among ``rows`` and its recognised columns {position: canonical}.

    Raises FileReadError naming the headers seen when no row names a required column.
    """
    vocab = vocab if vocab is not None else Vocabulary()
    best, best_map = -1, {}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapped = {
            j: c
            for j, cell in enumerate(row)
            if (c := header_column(cell, dataset, vocab)) and c != ROW_NUMBER
        }
        if len(set(mapped.values())) > len(set(best_map.values())):
            best, best_map = i, mapped
    if len(best_map) < 2:
        # The cells are not echoed: in a file without a header they are data, names included.
        found = sorted(set(best_map.values()))
        raise FileReadError(
            f"no {dataset} header in the first {HEADER_SEARCH_ROWS} rows (a header names at "
            f"least two known columns; recognised: {found or 'none'}); see docs/guide.md for "
            "the column names"
        )
    repeated = {c for c in best_map.values() if c != NAMES_COLUMN}
    repeated = {c for c in repeated if list(best_map.values()).count(c) > 1}
    if repeated:
        where = {c: [j + 1 for j, m in best_map.items() if m == c] for c in sorted(repeated)}
        raise FileReadError(
            f"duplicate headers in row {best + 1}: "
            + "; ".join(f"columns {cols} all mean '{c}'" for c, cols in where.items())
            + " (keep one of each)"
        )
    return best, best_map


NAMES_COLUMN = "victim_names"


@functools.cache
def _name_header_words() -> tuple[str, ...]:
    return tuple(read_table("name_headers")["word"].map(normalise_label))


ROW_NUMBER = "row_number"  # a partner's numbering column ("№", "No.", "№ п/п"): not data
_NUMBERING = {"№", "no", "nr", "n", "#", "п/п", "№ п/п", "n п/п", "no п/п", "№№", "номер", "num"}
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")  # units or notes: "(чел.)", "[USD]"
_PARTS = re.compile(r"\s*(?:/|\||\n|\s[-–—]\s)\s*")  # "Страна / Country", "Год | Year"


_SCALE = re.compile(r"тыс|млн|млрд|thousand|million|billion|'000|000s|\bk\b|\bm\b", re.I)


def _header_candidates(cell: str) -> list[list[str]]:
    """Readings of a header cell, most literal first: as written; without a unit or note in
    brackets (never a scale such as "(тыс. чел.)": that changes every value, so such a header
    stays unknown and is reported); each part of a bilingual header."""
    label = normalise_label(cell)
    readings = [[label]]
    brackets = _BRACKETS.findall(label)
    if brackets and not any(_SCALE.search(b) for b in brackets):
        readings.append([_BRACKETS.sub(" ", label).strip()])
    parts = [normalise_label(p) for p in _PARTS.split(cell.strip()) if p.strip()]
    if len(parts) > 1:
        readings.append(
            [_BRACKETS.sub(" ", p).strip() if not _SCALE.search(p) else p for p in parts]
        )
    return readings


def header_column(cell: str, dataset: str, vocab: Vocabulary | None = None) -> str | None:
    """The canonical column a header cell names, or None.

    Known aliases (the package's and the researcher's ``data/mappings/columns_<dataset>.csv``)
    first, read tolerantly: a unit or note in brackets (``Число пострадавших (чел.)``) and a
    bilingual header (``Страна / Country``, whose parts must agree) are understood; a
    numbering column (``№ п/п``) is :data:`ROW_NUMBER`. Then, for violations, any header with a
    word that starts like a names header (``ФИО задержанных``, ``Victims' full names``,
    ``Ismlar``) is a names column: names must never pass as an unknown column (see
    :mod:`analysis.privacy`).
    """
    if not cell or not cell.strip():
        return None
    label = normalise_label(cell)
    if label.rstrip(".") in _NUMBERING:
        return ROW_NUMBER
    vocab = vocab if vocab is not None else Vocabulary()
    matcher = vocab.header_matcher(dataset)
    canonical = None
    for reading in _header_candidates(cell):
        exact = [part for part in reading if part in matcher]
        found = {dict.get(matcher, part) for part in exact}
        if len(found) > 1:  # the parts of a bilingual header say different things
            return None
        if found:
            matcher.used.update(exact)  # a project alias that read a header is not unused
            canonical = found.pop()
            break
    if canonical:
        return canonical
    words = re.findall(r"[\w.']+", label)
    if dataset == "violations" and any(w.startswith(_name_header_words()) for w in words):
        return NAMES_COLUMN  # before any tolerant reading: names never pass as another column
    if _SCALE.search(label):  # a scale changes every value: such a header stays unknown
        return None
    # the tolerance labels get (word order, inflection, extra words; never two meanings)
    return matcher.get(_BRACKETS.sub(" ", label).strip())


def to_table(
    source_file: str,
    headers: Headers,
    rows: list[list[str]],
    found: tuple[int, dict[int, str]],
    body: pd.DataFrame,
    **meta: str | None,
) -> RawTable:
    """Rename recognised columns, keep the others as extras, add ``source_row`` and
    ``read_problem`` (when :func:`split_swallowed_rows` did not add them). ``rows``: the
    first rows of the file; ``found``: the header's index among them and its columns."""
    header_index, mapped = found
    header, preamble = rows[header_index], rows[:header_index]
    lines = body.get("source_row")
    read_problem = body.get("read_problem", "")
    body = body.drop(columns=["source_row", "read_problem"], errors="ignore").fillna("")
    names_at = [j for j, c in mapped.items() if c == NAMES_COLUMN]
    if len(names_at) > 1:  # several names columns: one list of names per row
        joined = body[names_at[0]].str.strip()
        for j in names_at[1:]:
            more = body[j].str.strip()
            joined = joined.where(more == "", (joined + "; " + more).str.strip("; "))
        body[names_at[0]] = joined
        body = body.drop(columns=names_at[1:])
        header = [h for j, h in enumerate(header) if j not in names_at[1:]]
        mapped = {k: mapped[j] for k, j in enumerate(body.columns) if j in mapped}
        body.columns = range(len(header))
    names = [h.strip() or f"column_{j + 1}" for j, h in enumerate(header)]
    columns: list[str] = []
    for j, name in enumerate(names):
        column = mapped.get(j, f"extra:{name}")
        columns.append(f"{column} #{j + 1}" if column in columns else column)
    body.columns = columns
    unnamed_empty = [
        c for j, c in enumerate(body.columns) if not header[j].strip() and body[c].eq("").all()
    ]
    numbering = [  # the partner's own row numbers: the source row is kept instead
        c for j, c in enumerate(body.columns) if headers.column(header[j]) == ROW_NUMBER
    ]
    body = body.drop(columns=unnamed_empty + numbering)
    if lines is None:
        lines = range(header_index + 2, header_index + 2 + len(body))
    body.insert(0, "source_row", lines)
    body["read_problem"] = read_problem
    text = " ".join(" ".join(r) for r in preamble) + " " + source_file
    extras = [c.removeprefix("extra:") for c in body.columns if c.startswith("extra:")]
    return RawTable(
        source_file=source_file,
        frame=body,
        header_row=header_index + 1,
        is_synthetic=bool(_SYNTHETIC.search(text)),
        extra_columns=extras,
        headers={mapped[j]: names[j] for j in mapped if j < len(names)},
        **meta,
    )
