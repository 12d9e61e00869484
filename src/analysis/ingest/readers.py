"""Read partner files (CSV, TSV, XLSX) into raw string tables with their provenance.

A partner file may carry a title row (or several) above its header, may be cp1251, UTF-8 with
a BOM or UTF-16, and may separate fields with ``,``, ``;``, tabs or ``|``. The header row is the
row among the first :data:`HEADER_SEARCH_ROWS` that names the most known columns. Every value is
kept as text: parsing happens later, in :mod:`analysis.clean`, where a bad value becomes a reject.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest.headers import (
    HEADER_SEARCH_ROWS,
    NAMES_COLUMN,
    ROW_NUMBER,
    Headers,
    header_column,
    to_table,
)
from analysis.ingest.raw_table import FileReadError, RawTable
from analysis.ingest.xlsx import (
    EXCEL_SUFFIXES,
    TEMPLATE_MARKER,
    is_template,
    read_excel_tables,
    template_sheet,
)
from analysis.vocab.vocabulary import Vocabulary

__all__ = [  # the readers' front door: what the cleaning and the tests use
    "NAMES_COLUMN",
    "ROW_NUMBER",
    "TEMPLATE_MARKER",
    "template_sheet",
    "FileReadError",
    "RawTable",
    "header_column",
    "is_template",
]

HEAD_BYTES = 256 * 1024  # enough for the title rows, header and sample lines
MAX_FIELD_CHARS = 10 * 1024**2  # one cell; Python's csv module stops at 128 KB by default
SWALLOWED_LINES = 1  # record-like lines inside one field: an unclosed quote, not a text
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | EXCEL_SUFFIXES


def detect_encoding(head: bytes) -> str:
    """UTF-16 (BOM), UTF-8 (with or without BOM) or cp1251, judged on the file's first bytes.

    A multi-byte character cut at the end of ``head`` still counts as UTF-8.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8-sig"
    else:
        return "utf-8-sig"
    if b"\x00" in head:
        raise FileReadError("binary content (not a text table)")
    try:
        head.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise FileReadError(f"unknown text encoding ({exc.reason})") from exc
    return "cp1251"


DELIMITERS = ",;\t|"


def _counts_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


def detect_delimiter(sample: str, suffix: str) -> str:
    """The delimiter that splits the sample's lines most consistently (outside quotes).

    A single pass per line (no regular expressions to backtrack on a crafted line): for each
    candidate, the number of lines that share its most common non-zero count, then that count.
    """
    if suffix == ".tsv":
        return "\t"
    per_line = [_counts_outside_quotes(line[:MAX_FIELD_CHARS]) for line in sample.splitlines()[:60]]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [c[delimiter] for c in per_line if c[delimiter]]
        if not counts:
            return (0, 0)
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        return (counts.count(mode), mode)

    return max(DELIMITERS, key=score)


def read_text_table(path: Path, source_file: str, headers: Headers) -> list[RawTable]:
    """Read a delimited text file (encoding, delimiter and header row detected)."""
    with path.open("rb") as handle:
        head_bytes = handle.read(HEAD_BYTES)
    if not head_bytes.strip():
        raise FileReadError("empty file")
    encoding = detect_encoding(head_bytes)
    if encoding != "utf-16" and b"\x00" in head_bytes:
        line = head_bytes[: head_bytes.index(b"\x00")].count(b"\n") + 1
        raise FileReadError(f"binary content: a NUL byte on line {line} (not a text table)")
    head_text = head_bytes.decode(encoding, errors="ignore")
    head = "\n".join(head_text.splitlines()[: HEADER_SEARCH_ROWS + 5])
    delimiter = detect_delimiter(head, path.suffix.lower())
    csv.field_size_limit(MAX_FIELD_CHARS)  # a long description is read, not an error
    try:
        rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    except csv.Error as exc:
        raise FileReadError(f"cannot split the first rows into fields ({_short(exc)})") from exc
    found = headers.find(rows)
    header_index, width = found[0], len(rows[found[0]])
    body = _read_body_fast(path, encoding, delimiter, header_index + 1, width)
    if body is None:
        try:
            body = _read_body(path, encoding, delimiter, header_index + 1, width)
        except FileReadError as exc:
            if not isinstance(exc.__cause__, pd.errors.ParserError):
                raise
            body = _read_body_lines(path, encoding, delimiter, header_index + 1, width)
    # A trailing blank line is a line end, not a row.
    while len(body) and body.iloc[-1][list(range(width))].eq("").all():
        body = body.iloc[:-1]
    if "source_row" not in body:
        body = split_swallowed_rows(body, delimiter, header_index + 2)
    meta = {"encoding": encoding, "delimiter": delimiter}
    return [to_table(source_file, headers, rows, found, body, **meta)]


def _read_body(path: Path, encoding: str, delimiter: str, skip: int, width: int) -> pd.DataFrame:
    """The rows below the header as text, with pandas' parser (any regular or ragged file)."""
    try:
        return pd.read_csv(
            path,
            encoding=encoding,
            sep=delimiter,
            skiprows=skip,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            index_col=False,
            on_bad_lines="error",
        )
    except UnicodeDecodeError as exc:
        raise FileReadError(
            f"not valid {encoding} text further into the file ({exc.reason})"
        ) from exc
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        raise FileReadError(f"cannot parse as {delimiter!r}-separated text: {_short(exc)}") from exc


def _read_body_lines(
    path: Path, encoding: str, delimiter: str, skip: int, width: int
) -> pd.DataFrame:
    """The rows below the header, one line each, when the file cannot be parsed whole (a quote
    left open to the end of the file, a row with more fields than the header): each line is
    split on its own, and a line that does not split into the header's fields is flagged in
    ``read_problem`` (rejected with that reason) instead of sinking the file."""
    text = path.read_bytes().decode(encoding, errors="replace").removeprefix("\ufeff")
    lines = text.splitlines()[skip:]
    rows, problems = [], []
    for line in lines:
        problem = ""
        if line.count('"') % 2:
            problem = "unclosed quote on this line (close it and resend)"
        fields = next(
            csv.reader([line.replace('"', "") if problem else line], delimiter=delimiter), []
        )
        if len(fields) > width or (len(fields) < width and len(fields) > 1 and not problem):
            problem = f"{len(fields)} fields where the header has {width}"
        rows.append((fields + [""] * width)[:width])
        problems.append(problem)
    body = (
        pd.DataFrame(rows, columns=range(width), dtype="str")
        if rows
        else pd.DataFrame(columns=range(width), dtype="str")
    )
    body["source_row"] = np.arange(skip + 1, skip + 1 + len(rows), dtype=np.int64)
    body["read_problem"] = problems
    return body


_PARSER_DETAIL = re.compile(
    r"(Expected \d+ fields in line \d+, saw \d+|line \d+|EOF inside string)"
)


def _short(exc: BaseException) -> str:
    """What a parser said, without the file's content: its line/field counts or its kind."""
    details = _PARSER_DETAIL.findall(str(exc)[:2000])
    return details[0] if details else type(exc).__name__


def split_swallowed_rows(body: pd.DataFrame, delimiter: str, first_line: int) -> pd.DataFrame:
    """Physical line numbers for the rows, and rows swallowed by an unclosed quote set apart.

    A quote left open makes the parser read on, across line ends, until the next quote: the
    rows in between become one field (thousands of rows, one description). A field with
    :data:`SWALLOWED_LINES` or more lines that split into nearly a row's number of fields is
    such a swallow: the row that holds it and each swallowed line become rows of their own,
    flagged in ``read_problem`` (rejected with that reason, never kept or silently merged).
    ``source_row`` is the file's line number of each row (a multi-line text counts its lines).
    """
    width = body.shape[1]
    text = body.fillna("")
    breaks = np.zeros(len(body), dtype=np.int64)
    multi = {c: text[c].str.contains("\n", regex=False) for c in text.columns}
    for column, has in multi.items():
        if has.any():
            breaks += np.where(has, text[column].str.count("\n").fillna(0), 0).astype(np.int64)
    lines = first_line + np.concatenate([[0], np.cumsum(1 + breaks)[:-1]]).astype(np.int64)
    out = body.assign(source_row=lines, read_problem="")
    if not breaks.any():
        return out
    threshold = max(2, width - 2)  # delimiters in a line that reads as a row
    extra_rows, problems = [], {}
    for column, has in multi.items():
        for i in np.flatnonzero(has.to_numpy()):
            parts = str(text.iat[i, column]).split("\n")
            row_like = [k for k, p in enumerate(parts[1:], 1) if p.count(delimiter) >= threshold]
            if len(row_like) < SWALLOWED_LINES:
                continue
            problems[i] = (
                f"unclosed quote: column {column + 1} runs over {len(parts)} lines, "
                f"{len(row_like)} of them rows of their own (close the quote and resend)"
            )
            offset = 0
            for c in range(column):  # line breaks in earlier cells of the same row
                offset += str(text.iat[i, c]).count("\n")
            for k, part in enumerate(parts[1:], 1):  # every line after the quote: its own row
                if not part.strip():
                    continue
                fields = next(csv.reader([part.replace('"', "")], delimiter=delimiter), [])
                fields = (fields + [""] * width)[:width]
                extra_rows.append(
                    [
                        *fields,
                        int(lines[i]) + offset + k,
                        f"swallowed by an unclosed quote on line {int(lines[i])}",
                    ]
                )
    if not problems:
        return out
    rows = np.fromiter(problems, dtype=np.int64)
    out.loc[out.index[rows], "read_problem"] = [problems[i] for i in rows]
    swallowed = pd.DataFrame(extra_rows, columns=[*body.columns, "source_row", "read_problem"])
    out = pd.concat([out, swallowed.astype({c: "str" for c in body.columns})], ignore_index=True)
    return out.sort_values("source_row", kind="stable", ignore_index=True)


TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=float("nan"))  # pandas' default "str" dtype


def _read_body_fast(
    path: Path, encoding: str, delimiter: str, skip: int, width: int
) -> pd.DataFrame | None:
    """The same table as :func:`_read_body` with pyarrow's multithreaded parser, several times
    faster on large files (pandas' ``dtype=str`` path converts column by column). Only for
    files where both parsers agree row for row: no blank line (pandas keeps it as a row, so
    that ``source_row`` stays the line number) and the header's number of fields on every row.
    Anything else returns None and the caller uses pandas."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    data = path.read_bytes()
    start = 0
    if encoding == "utf-8-sig":
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    else:
        try:
            data = data.decode(encoding).encode("utf-8")
        except UnicodeError:
            return None
    end = len(data)
    while end > start and data[end - 1] in b"\r\n":  # trailing line ends only
        end -= 1
    view = memoryview(data)[start:end]  # no copy of a large file
    names = [str(j) for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(view),
            read_options=pacsv.ReadOptions(skip_rows=skip, column_names=names),
            # A blank line is a one-field row here, which fails the column count: pandas then.
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    body = table.to_pandas(types_mapper=lambda _: TEXT_DTYPE)
    body.columns = range(width)
    return body


def read_partner_file(
    path: Path, source_file: str, dataset: str, vocab: Vocabulary | None = None
) -> list[RawTable]:
    """Read one partner file into its raw tables; FileReadError when it cannot be read.
    ``vocab``: the header spellings in use (default: the shipped ones)."""
    suffix = path.suffix.lower()
    headers = Headers(dataset, vocab if vocab is not None else Vocabulary())
    if suffix in EXCEL_SUFFIXES:
        return read_excel_tables(path, source_file, headers)
    if suffix in TEXT_SUFFIXES:
        return read_text_table(path, source_file, headers)
    raise FileReadError(
        f"unsupported file type {suffix!r} (expected one of {sorted(SUPPORTED_SUFFIXES)})"
    )
