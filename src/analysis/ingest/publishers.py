"""Publishers' files in, straight into the processed schema (``analysis import <source> PATH...``).

A publisher module (:mod:`.wdi` today) reads its files as published and returns each series
as rows of the processed migration table (:data:`analysis.schema.MIGRATION`): its registry
``source_code``, the publisher's ``source_updated`` date, ``no_data`` for a value the publisher
marks as missing, ``estimate_type`` for a projection or an estimate, and the file and row it
came from. This module does what every publisher shares: which paths are data files, one
stored table per series (``data/external/imported/<source>/<series>.parquet``, validated on
write, an older download never replacing a newer one), the record of each import, and the
imported rows that :func:`analysis.clean.clean_all` joins to the partners' figures as they
are, with no partner-style file read again in between.
"""

from __future__ import annotations

import glob
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from analysis import schema, storage

IMPORTED_DIR = Path("imported")  # under the external folder: <source>/<series>.parquet
RECORDS = "records"  # beside the series: what each import did, and API answers
DATA_SUFFIXES = {".csv", ".xls", ".xlsx", ".xlsm", ".zip", ".gz"}
NOT_DATA = "not a data file"  # provenance notes, datapackage.json...: said once, in one line


class PublisherFormatError(ValueError):
    """A file that is not what its name or its source claims; the message names the file and
    says what was expected."""


NOT_AVAILABLE = {"..", "...", "…", "n/a", "na", ":", "-", "–", "—", "x"}  # publishers' "no figure"
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def number_cells(cells: list[str]) -> tuple[list[float | None], int]:
    """Publishers' numbers as written ('2,559,711', '9197.53', '1 234'): floats; an empty cell
    is no figure (never a zero) and a 'not available' mark ('..') is counted."""
    out: list[float | None] = []
    missing = 0
    for cell in cells:
        text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            out.append(None)
        elif text.casefold() in NOT_AVAILABLE:
            out.append(None)
            missing += 1
        elif _NUMBER.match(text):
            out.append(float(text.replace(",", "")))
        else:
            try:
                out.append(float(text))
            except ValueError:
                out.append(None)
                missing += 1
    return out, missing


@dataclass
class ImportResult:
    """What importing one series did."""

    source: str  # registry code of the publisher (data/sources.csv)
    series: str  # the publisher's code of the series (e.g. WDI's SM.POP.NETM)
    indicator: str  # the migration indicator it fills
    rows: int
    countries: list[str]
    aggregates_dropped: int
    not_in_reference: list[str]
    zeros: list[dict]  # publisher zeros flagged no_data
    written: str = ""
    years: list[int] = field(default_factory=list)  # first and last year kept
    last_updated: str | None = None
    file: str = ""
    kept_newer: str | None = None  # a newer series already imported was kept (its date)
    projected_from: int | None = None  # first projected year, flagged 'projected'
    table: str = "migration"  # the processed table the rows belong to
    set_aside: dict[str, int] = field(default_factory=dict)  # names that are no country: values
    not_available: int = 0  # values the publisher marks as not available ('..')


@dataclass
class ImportReport:
    """What one ``analysis import`` did: series written, files skipped (with why), failures."""

    imported: list[ImportResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    recognised: list[tuple[str, str]] = field(default_factory=list)  # auto: file -> publisher

    def extend(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.skipped += other.skipped
        self.failed += other.failed
        self.recognised += other.recognised

    def lines(self) -> list[str]:
        """A plain-text summary, one line per file."""
        out = [f"{name}: recognised as {source}" for name, source in self.recognised]
        for r in self.imported:
            span = f"{r.years[0]}-{r.years[1]}" if r.years else "no years"
            zeros = f", {len(r.zeros)} publisher zeros shown as 'no data'" if r.zeros else ""
            if r.projected_from is not None:
                zeros += f", projections from {r.projected_from} flagged"
            updated = f", last updated {r.last_updated}" if r.last_updated else ""
            where = (
                f"kept the newer series already imported (last updated {r.kept_newer})"
                if r.kept_newer
                else f"-> {r.written}"
            )
            aside = ""
            if r.set_aside:
                shown = ", ".join(f"{k} ({v})" for k, v in sorted(r.set_aside.items())[:8])
                more = f" and {len(r.set_aside) - 8} more" if len(r.set_aside) > 8 else ""
                aside = f"; set aside as no country: {shown}{more}"
            missing = f", {r.not_available} marked not available" if r.not_available else ""
            out.append(
                f"{r.file}: {r.series} ({r.indicator}{updated}): {r.rows} values, "
                f"{len(r.countries)} countries, {span}, {r.aggregates_dropped} aggregate values "
                f"dropped{zeros}{missing}{aside} {where}"
            )
        other = [name for name, why in self.skipped if why == NOT_DATA]
        out += [f"{name}: skipped ({why})" for name, why in self.skipped if why != NOT_DATA]
        if other:
            out.append(
                f"{len(other)} file(s) that hold no data ignored: {', '.join(sorted(set(other)))}"
            )
        out += [f"{name}: FAILED: {why}" for name, why in self.failed]
        return out


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, folders (searched recursively) and glob patterns, in a stable order."""
    out: list[Path] = []
    for item in paths:
        path = Path(item)
        if not path.exists() and glob.has_magic(str(item)):
            out += [Path(p) for p in sorted(glob.glob(str(item), recursive=True))]
        elif path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            out.append(path)
    return list(dict.fromkeys(p for p in out if not p.is_dir()))


def not_data(path: Path, suffixes: set[str] = DATA_SUFFIXES) -> str | None:
    """Why a file of a download is not a data file (None when it is one): metadata files are
    named, notes and the like are said once."""
    name = path.name
    if name.startswith("Metadata_Country_"):
        return "country metadata: used to tell aggregates from countries"
    if name.startswith("Metadata_Indicator_"):
        return "indicator metadata: definition and source note, no values"
    if path.suffix.lower() not in suffixes:
        return NOT_DATA
    return None


def provenance(file: str, rows: pd.Series) -> dict:
    """The provenance columns of a publisher's values: one report each, its file and row."""
    return {
        "n_reports": 1,
        "sources": file + ":" + rows.astype("str"),
        "source_file": file,
        "source_row": rows.astype("int64"),
        "is_synthetic": False,
    }


def provenance_name(path: Path, external_dir: str | Path) -> str:
    """How a processed row names the publisher's file: relative to the project's data folder
    when the file is in it (``external/world_bank/.../API_SM.POP.NETM_....csv``), else its name."""
    root = Path(external_dir).resolve().parent
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.name


def series_path(
    external_dir: str | Path, source: str, series: str, table: str = "migration"
) -> Path:
    return Path(external_dir) / IMPORTED_DIR / table / source / f"{_safe(series)}.parquet"


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)


def _record_path(target: Path) -> Path:
    return target.parent / RECORDS / f"{target.stem}.import.json"


def _imported_date(target: Path) -> str | None:
    """The last-updated date of a series already imported, from its record."""
    try:
        return json.loads(_record_path(target).read_text(encoding="utf-8")).get("last_updated")
    except (OSError, ValueError):
        return None


def write_series(
    rows: pd.DataFrame, result: ImportResult, external_dir: str | Path
) -> ImportResult:
    """Store one series' processed rows (validated against the migration schema) with the
    record of its import. A series already imported with a later last-updated date is kept:
    an older download never replaces a newer one."""
    target = series_path(external_dir, result.source, result.series, result.table)
    existing = _imported_date(target) if target.exists() else None
    if existing and result.last_updated and existing > result.last_updated:
        result.kept_newer = existing
        return result
    declared = schema.TABLES[result.table]
    table = schema.validate(schema.conform(rows, declared), declared)
    storage.write_parquet(target, table)
    result.written = target.as_posix()
    storage.write_json(_record_path(target), asdict(result))
    return result


def imported_files(external_dir: str | Path | None, table: str = "migration") -> list[Path]:
    """Every stored series of one table under ``external_dir`` (records excluded)."""
    if external_dir is None:
        return []
    root = Path(external_dir) / IMPORTED_DIR / table
    return sorted(p for p in root.glob("*/*.parquet") if not p.name.startswith("."))


def read_imported(external_dir: str | Path | None, table: str = "migration") -> pd.DataFrame:
    """The imported series of one processed table (empty when none were imported); a damaged
    stored series raises an error naming its file. Two imports that give the same figure
    under the same source keep the later one in file order."""
    declared = schema.TABLES[table]
    frames = []
    for path in imported_files(external_dir, table):
        try:
            frame = pd.read_parquet(path)
            frames.append(schema.validate(schema.conform(frame, declared), declared))
        except Exception as exc:
            raise ValueError(
                f"{path}: not a readable imported series ({type(exc).__name__}: {exc}); "
                "import the publisher's file again"
            ) from exc
    if not frames:
        return schema.empty(declared)
    both = pd.concat(frames, ignore_index=True)
    return both.drop_duplicates(list(declared.key), keep="last").reset_index(drop=True)


def import_records(external_dir: str | Path | None, table: str = "migration") -> list[dict]:
    """The record of every stored series (what the quality report lists as public series)."""
    out = []
    for path in imported_files(external_dir, table):
        try:
            record = json.loads(_record_path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        out.append(
            {
                "source": path.parent.name,
                "series": path.stem,
                "file": record.get("file", ""),
                "last_updated": record.get("last_updated"),
                "rows": record.get("rows"),
            }
        )
    return out
