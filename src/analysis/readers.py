"""Read partner files (CSV, TSV, XLSX) into raw string tables with their provenance.

A partner file may carry a title row (or several) above its header, may be cp1251, UTF-8 with
a BOM or UTF-16, and may separate fields with ``,``, ``;``, tabs or ``|``. The header row is the
row among the first :data:`HEADER_SEARCH_ROWS` that names the most known columns. Every value is
kept as text: parsing happens later, in :mod:`analysis.clean`, where a bad value becomes a reject.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.reference import header_aliases, normalise_label

HEADER_SEARCH_ROWS = 30
HEAD_BYTES = 256 * 1024  # enough for the title rows, header and sample lines
SUPPORTED_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
_SYNTHETIC = re.compile(r"synthetic|синтетическ", re.IGNORECASE)


class FileReadError(Exception):
    """A partner file (or sheet) that cannot be read; the message names the file and why."""


@dataclass
class RawTable:
    """One table found in a partner file: canonical columns as text plus provenance."""

    source_file: str
    frame: pd.DataFrame  # canonical columns (str), ``source_row`` (int), extra columns
    header_row: int  # 1-based row of the header in the file/sheet
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    is_synthetic: bool = False
    extra_columns: list[str] = field(default_factory=list)


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


def detect_delimiter(sample: str, suffix: str) -> str:
    """The delimiter that splits the sample's lines most consistently."""
    if suffix == ".tsv":
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        return max(counts, key=counts.get)


def find_header(rows: list[list[str]], dataset: str) -> tuple[int, dict[int, str]]:
    """Index of the header row among ``rows`` and its recognised columns {position: canonical}.

    Raises FileReadError naming the headers seen when no row names a required column.
    """
    aliases = header_aliases(dataset)
    best, best_map = -1, {}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapped = {}
        for j, cell in enumerate(row):
            canonical = aliases.get(normalise_label(cell)) if cell else None
            if canonical and canonical not in mapped.values():
                mapped[j] = canonical
        if len(mapped) > len(best_map):
            best, best_map = i, mapped
    if len(best_map) < 2:
        seen = [c for c in (rows[0] if rows else []) if c]
        raise FileReadError(f"no recognised {dataset} header in the first rows (saw: {seen})")
    return best, best_map


def _to_table(
    source_file: str,
    dataset: str,
    header_index: int,
    header: list[str],
    mapped: dict[int, str],
    body: pd.DataFrame,
    preamble: list[list[str]],
    **meta: str | None,
) -> RawTable:
    """Rename recognised columns, keep the others as extras, add ``source_row``."""
    body = body.copy()
    names = [h.strip() or f"column_{j + 1}" for j, h in enumerate(header)]
    columns: list[str] = []
    for j, name in enumerate(names):
        column = mapped.get(j, f"extra:{name}")
        columns.append(f"{column} #{j + 1}" if column in columns else column)
    body.columns = columns
    body = body.fillna("")
    unnamed_empty = [
        c for j, c in enumerate(body.columns) if not header[j].strip() and body[c].eq("").all()
    ]
    body = body.drop(columns=unnamed_empty)
    body.insert(0, "source_row", range(header_index + 2, header_index + 2 + len(body)))
    text = " ".join(" ".join(r) for r in preamble) + " " + source_file
    extras = [c.removeprefix("extra:") for c in body.columns if c.startswith("extra:")]
    return RawTable(
        source_file=source_file,
        frame=body,
        header_row=header_index + 1,
        is_synthetic=bool(_SYNTHETIC.search(text)),
        extra_columns=extras,
        **meta,
    )


def read_text_table(path: Path, source_file: str, dataset: str) -> list[RawTable]:
    """Read a delimited text file (encoding, delimiter and header row detected)."""
    with path.open("rb") as handle:
        head_bytes = handle.read(HEAD_BYTES)
    if not head_bytes.strip():
        raise FileReadError("empty file")
    encoding = detect_encoding(head_bytes)
    head_text = head_bytes.decode(encoding, errors="ignore")
    head = "\n".join(head_text.splitlines()[: HEADER_SEARCH_ROWS + 5])
    delimiter = detect_delimiter(head, path.suffix.lower())
    rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    header_index, mapped = find_header(rows, dataset)
    header = rows[header_index]
    body = _read_body_fast(path, encoding, delimiter, header_index + 1, len(header))
    if body is None:
        body = _read_body(path, encoding, delimiter, header_index + 1, len(header))
    # A trailing blank line is a line end, not a row.
    while len(body) and body.iloc[-1].eq("").all():
        body = body.iloc[:-1]
    return [
        _to_table(
            source_file, dataset, header_index, header, mapped, body, rows[:header_index],
            encoding=encoding, delimiter=delimiter,
        )
    ]  # fmt: skip


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
    except (pd.errors.ParserError, ValueError) as exc:
        raise FileReadError(f"cannot parse as {delimiter!r}-separated text: {exc}") from exc


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


def _cell_text(value: object) -> str:
    """Excel cell -> text: dates as ISO, whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_excel_tables(path: Path, source_file: str, dataset: str) -> list[RawTable]:
    """Read every sheet of an .xlsx workbook that has a recognised header."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileReadError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    tables, problems = [], []
    try:
        for sheet in workbook.worksheets:
            rows = [
                [_cell_text(v) for v in row] for row in sheet.iter_rows(min_row=1, values_only=True)
            ]
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            try:
                header_index, mapped = find_header(rows, dataset)
            except FileReadError as exc:
                problems.append(f"sheet {sheet.title!r}: {exc}")
                continue
            header = rows[header_index]
            width = len(header)
            body = pd.DataFrame(
                [(r + [""] * width)[:width] for r in rows[header_index + 1 :]],
                columns=range(width),
                dtype="str",
            )
            tables.append(
                _to_table(
                    source_file, dataset, header_index, header, mapped, body,
                    rows[:header_index], sheet=sheet.title,
                )
            )  # fmt: skip
    finally:
        workbook.close()
    if not tables:
        raise FileReadError("; ".join(problems) or "workbook has no sheets")
    return tables


def read_partner_file(path: Path, source_file: str, dataset: str) -> list[RawTable]:
    """Read one partner file into its raw tables; FileReadError when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return read_excel_tables(path, source_file, dataset)
    if suffix in {".csv", ".tsv", ".txt"}:
        return read_text_table(path, source_file, dataset)
    raise FileReadError(
        f"unsupported file type {suffix!r} (expected one of {sorted(SUPPORTED_SUFFIXES)})"
    )
