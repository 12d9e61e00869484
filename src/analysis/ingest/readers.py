"""Read partner files (CSV, TSV, XLSX) into raw string tables with their provenance.

A partner file may carry a title row (or several) above its header, may be cp1251, UTF-8 with
a BOM or UTF-16, and may separate fields with ``,``, ``;``, tabs or ``|``. The header row is the
row among the first :data:`HEADER_SEARCH_ROWS` that names the most known columns. Every value is
kept as text: parsing happens later, in :mod:`analysis.clean`, where a bad value becomes a reject.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.vocab.reference import header_aliases, header_matcher, normalise_label, read_table

HEADER_SEARCH_ROWS = 30
HEAD_BYTES = 256 * 1024  # enough for the title rows, header and sample lines
# Bounds on what one partner file may cost (stated in docs/guide.md): past them, a clear error.
MAX_XLSX_UNCOMPRESSED = 256 * 1024**2  # bytes of XML inside an .xlsx (a zip)
MAX_XLSX_RATIO = 200  # uncompressed / compressed size of one part (zip bombs: thousands)
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = 500
MAX_FIELD_CHARS = 10 * 1024**2  # one cell; Python's csv module stops at 128 KB by default
SWALLOWED_LINES = 1  # record-like lines inside one field: an unclosed quote, not a text
SUPPORTED_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
_SYNTHETIC = re.compile(r"synthetic|синтетическ", re.IGNORECASE)


class FileReadError(Exception):
    """A partner file (or sheet) that cannot be read; the message names the file and why.

    ``names``: people's names found in a file refused for holding them in an unknown column;
    they are never shown, but still withheld from every other file's text."""

    def __init__(self, message: str, names: list[str] | None = None) -> None:
        super().__init__(message)
        self.names = names or []


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
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> as written


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


def find_header(rows: list[list[str]], dataset: str) -> tuple[int, dict[int, str]]:
    """Index of the header row among ``rows`` and its recognised columns {position: canonical}.

    Raises FileReadError naming the headers seen when no row names a required column.
    """
    best, best_map = -1, {}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapped = {
            j: c
            for j, cell in enumerate(row)
            if (c := header_column(cell, dataset)) and c != ROW_NUMBER
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


def header_column(cell: str, dataset: str) -> str | None:
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
    aliases = header_aliases(dataset)
    canonical = None
    for reading in _header_candidates(cell):
        found = {aliases.get(part) for part in reading} - {None}
        if len(found) > 1:  # the parts of a bilingual header say different things
            return None
        if found:
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
    return header_matcher(dataset).get(_BRACKETS.sub(" ", label).strip())


def _to_table(
    source_file: str,
    dataset: str,
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
        c for j, c in enumerate(body.columns) if header_column(header[j], dataset) == ROW_NUMBER
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


def read_text_table(path: Path, source_file: str, dataset: str) -> list[RawTable]:
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
    found = find_header(rows, dataset)
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
    return [_to_table(source_file, dataset, rows, found, body, **meta)]


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


def check_xlsx_size(path: Path) -> None:
    """Refuse a workbook whose parts would inflate past :data:`MAX_XLSX_UNCOMPRESSED` (or by
    more than :data:`MAX_XLSX_RATIO` times), before anything is decompressed."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileReadError(f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise FileReadError(
            f"workbook too large: {total / 1024**2:,.0f} MB uncompressed (limit "
            f"{MAX_XLSX_UNCOMPRESSED / 1024**2:,.0f} MB); split it or save as CSV"
        )
    for part in parts:
        if part.file_size > 1024**2 and part.file_size > MAX_XLSX_RATIO * max(
            part.compress_size, 1
        ):
            raise FileReadError(
                f"workbook part {part.filename!r} inflates {part.file_size // max(part.compress_size, 1):,}"
                f" times (limit {MAX_XLSX_RATIO}): refused as a possible zip bomb"
            )


TEMPLATE_MARKER = "_labour_briefs_template"  # see analysis.ingest.template
TEMPLATE_SHEETS = {
    "violations": {"en": "Violations", "ru": "Нарушения"},
    "legislation": {"en": "Legislation", "ru": "Законодательство"},
    "migration": {"en": "Migration", "ru": "Миграция"},
}


def _sheet_rows(sheet) -> list[list[str]]:
    """A sheet's rows as text, bounded: the declared dimension is ignored (a file may declare
    a million rows and hold ten), the real rows and columns are counted as they are read."""
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows(min_row=1, values_only=True):
        if len(row) > MAX_SHEET_COLUMNS:
            if any(v not in (None, "") for v in row[MAX_SHEET_COLUMNS:]):
                raise FileReadError(f"sheet {sheet.title!r}: more than {MAX_SHEET_COLUMNS} columns")
            row = row[:MAX_SHEET_COLUMNS]
        rows.append([_cell_text(v) for v in row])
        if len(rows) > MAX_SHEET_ROWS:
            raise FileReadError(f"sheet {sheet.title!r}: more than {MAX_SHEET_ROWS:,} rows")
    return rows


def read_excel_tables(path: Path, source_file: str, dataset: str) -> list[RawTable]:
    """Read every sheet of an .xlsx workbook that has a recognised header."""
    from openpyxl import load_workbook

    check_xlsx_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileReadError(f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
    tables, problems = [], []
    try:
        sheets = workbook.worksheets
        if TEMPLATE_MARKER in workbook.sheetnames:  # the data-entry template: its own sheet only
            own = set(TEMPLATE_SHEETS[dataset].values())
            sheets = [w for w in sheets if w.title in own]
            if not sheets:
                return []
        for sheet in sheets:
            rows = _sheet_rows(sheet)
            width_seen = max((len(r) for r in rows), default=0)
            rows = [(r + [""] * width_seen)[:width_seen] for r in rows]
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            try:
                found = find_header(rows, dataset)
            except FileReadError as exc:
                problems.append(f"sheet {sheet.title!r}: {exc}")
                continue
            width = len(rows[found[0]])
            body = pd.DataFrame(
                [(r + [""] * width)[:width] for r in rows[found[0] + 1 :]],
                columns=range(width),
                dtype="str",
            )
            tables.append(_to_table(source_file, dataset, rows, found, body, sheet=sheet.title))
    except FileReadError:
        raise
    except Exception as exc:  # a damaged part found while reading rows
        raise FileReadError(f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
    finally:
        workbook.close()
    if not tables:
        raise FileReadError("; ".join(problems) or "workbook has no sheets")
    return tables


def is_template(path: Path) -> bool:
    """True for an .xlsx made by ``analysis template`` (its hidden marker sheet)."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return False
    from openpyxl import load_workbook

    try:
        check_xlsx_size(path)
        workbook = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is reported where it is read
        return False
    try:
        return TEMPLATE_MARKER in workbook.sheetnames
    finally:
        workbook.close()


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
