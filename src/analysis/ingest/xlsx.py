"""Excel workbooks (.xlsx, .xlsm): every sheet with a recognised header, bounded in size
(a zip bomb or a million declared rows is refused with a clear error), the data-entry
template's own sheets only."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analysis.ingest.headers import Headers, to_table
from analysis.ingest.raw_table import FileReadError, RawTable
from analysis.vocab.languages import LANGS
from analysis.vocab.text import t

# Bounds on what one partner file may cost (stated in docs/guide.md): past them, a clear error.
MAX_XLSX_UNCOMPRESSED = 256 * 1024**2  # bytes of XML inside an .xlsx (a zip)
MAX_XLSX_RATIO = 200  # uncompressed / compressed size of one part (zip bombs: thousands)
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = 500
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


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


def template_sheet(dataset: str, lang: str) -> str:
    """The data-entry template's sheet of a dataset in ``lang`` (the translation catalogue's
    ``sheet_<dataset>``)."""
    return t(f"sheet_{dataset}", lang)


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


def read_excel_tables(path: Path, source_file: str, headers: Headers) -> list[RawTable]:
    """Read every sheet of an .xlsx workbook that has a recognised header."""
    check_xlsx_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileReadError(f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
    tables, problems = [], []
    try:
        sheets = workbook.worksheets
        if TEMPLATE_MARKER in workbook.sheetnames:  # the data-entry template: its own sheet only
            own = {template_sheet(headers.dataset, lang) for lang in LANGS}
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
                found = headers.find(rows)
            except FileReadError as exc:
                problems.append(f"sheet {sheet.title!r}: {exc}")
                continue
            width = len(rows[found[0]])
            body = pd.DataFrame(
                [(r + [""] * width)[:width] for r in rows[found[0] + 1 :]],
                columns=range(width),
                dtype="str",
            )
            tables.append(to_table(source_file, headers, rows, found, body, sheet=sheet.title))
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
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return False
    try:
        check_xlsx_size(path)
        workbook = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is reported where it is read
        return False
    try:
        return TEMPLATE_MARKER in workbook.sheetnames
    finally:
        workbook.close()
