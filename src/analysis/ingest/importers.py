"""``analysis import <source> PATH...``: one entry for every publisher, or ``auto``.

``auto`` recognises each file's layout from its first rows (and says which it chose); a named
source refuses a file that is not what the name claims, with an error that names the file.
Files that hold no data (provenance notes, ``datapackage.json``, metadata) are skipped with a
note; a file that fails is listed and the others are still imported.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.ingest import ilostat, knomad, opensdg, undesa, wdi
from analysis.ingest.publishers import (
    ImportReport,
    ImportResult,
    PublisherFormatError,
    expand,
    not_data,
    provenance_name,
    write_series,
)
from analysis.vocab.vocabulary import Vocabulary

SOURCES = ("wdi", "undesa", "knomad", "ilostat", "opensdg")


def _head(path: Path) -> str:
    """The first rows of a file as text (an Excel file: its first cells), to tell layouts."""
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm", ".xls"}:
            sheets = pd.read_excel(path, sheet_name=None, header=None, nrows=20, engine="calamine")
            return "\n".join(
                " ".join(str(v) for v in row if pd.notna(v))
                for frame in sheets.values()
                for row in frame.itertuples(index=False)
            )
        if suffix == ".gz":
            with gzip.open(path) as handle:
                raw = handle.read(65536)
        else:
            raw = path.read_bytes()[:65536]
        return raw.decode("utf-8-sig", errors="replace")
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise PublisherFormatError(f"{path.name}: cannot be read ({type(exc).__name__})") from exc


def detect(path: Path) -> str | None:
    """The publisher whose layout the file has, or None."""
    if path.suffix.lower() == ".zip":
        return "wdi"  # the World Bank's zipped downloads
    head = _head(path)
    checks = (
        ("opensdg", opensdg.looks_like),
        ("knomad", knomad.looks_like),
        ("undesa", undesa.looks_like),
        ("ilostat", ilostat.looks_like),
    )
    for source, looks in checks:
        if looks(path, head):
            return source
    if "Country Name" in head and ("Indicator Code" in head or "Year" in head):
        return "wdi"
    return None


_NAMED = (  # what a publisher's download is called (a file's name claims its source)
    ("undesa", re.compile(r"migrantstock|undesa|un_desa|ims_stock", re.I)),
    ("knomad", re.compile(r"bilateral_(migration|remittance)|knomad", re.I)),
    ("wdi", re.compile(r"^API_[A-Z]{2}\.|^Metadata_", re.I)),
    ("opensdg", re.compile(r"^indicator_\d+-\d+-\d+", re.I)),
)


def claimed(path: Path) -> str | None:
    """The publisher a file's name says it comes from, or None when the name does not say."""
    return next((source for source, pattern in _NAMED if pattern.search(path.name)), None)


def _readers(vintage: str | None) -> dict[str, Callable]:
    def one(read):
        return lambda path, file, vocab: [read(path, file, vocab)]

    return {
        "undesa": one(undesa.read_undesa),
        "knomad": one(knomad.read_knomad),
        "ilostat": one(ilostat.read_ilostat),
        "opensdg": lambda path, file, vocab: opensdg.read_opensdg(path, file, vocab, vintage),
    }


def import_files(
    source: str,
    paths: list[str | Path],
    external_dir: str | Path = "data/external",
    indicator: str | None = None,
    vintage: str | None = None,
    vocab: Vocabulary | None = None,
) -> ImportReport:
    """Import publishers' files (``source`` one of :data:`SOURCES` or ``auto``)."""
    if source not in (*SOURCES, "auto"):
        raise ValueError(f"unknown source {source!r}; one of {', '.join((*SOURCES, 'auto'))}")
    vocab = vocab if vocab is not None else Vocabulary()
    report, readers = ImportReport(), _readers(vintage)
    for path in expand(paths):
        why = not_data(path)
        if why:
            report.skipped.append((path.name, why))
            continue
        try:
            head = _head(path) if path.suffix.lower() != ".zip" else ""
            if knomad.is_inward_flows(head):
                report.skipped.append((path.name, knomad.INWARD_FLOWS))
                continue
            found = detect(path)
            chosen = source if source != "auto" else found
            if chosen is None:
                raise PublisherFormatError(
                    f"{path.name}: no publisher's layout recognised ({', '.join(SOURCES)})"
                )
            if source != "auto" and found is not None and found != source:
                raise PublisherFormatError(
                    f"{path.name}: not a {source} file (its layout is {found}'s); "
                    f"use `analysis import {found}` or `auto`"
                )
            named = claimed(path)
            if named is not None and found is not None and named != found:
                raise PublisherFormatError(
                    f"{path.name}: the name says {named} but the file reads as {found}'s layout: "
                    "check it is the download you meant (rename it if it is)"
                )
            if source == "auto":
                report.recognised.append((path.name, chosen))
            if chosen == "wdi":
                report.extend(wdi.import_wdi([path], external_dir, indicator))
                continue
            file = provenance_name(path, external_dir)
            for rows, result in readers[chosen](path, file, vocab):
                written = write_series(rows, result, external_dir)
                written.file = path.name  # as the command line names it
                report.imported.append(written)
        except (PublisherFormatError, OSError, ValueError, KeyError) as exc:
            report.failed.append((path.name, str(exc)[:300]))
    return report


__all__ = ["SOURCES", "ImportResult", "detect", "import_files"]
