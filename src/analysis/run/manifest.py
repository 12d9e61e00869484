"""The one record of what was built from what: each report's input hash (notebook, parameters,
the processed data it reads, the monitors' notes, the package's code and version) in
``<output>/briefs/<year>/manifest.json``; a report whose hash and PDF are unchanged is up to date."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from analysis import storage
from analysis.cache import report_hash
from analysis.paths import note_path, notes_dir
from analysis.run.plan import BriefJob
from analysis.version import __version__
from analysis.vocab.languages import LANGS

log = logging.getLogger(__name__)


def input_hash(job: BriefJob, data_hash: str) -> str:
    """What a brief depends on (:func:`analysis.cache.report_hash`): notebook, parameters, the
    data it shows (``data_hash``, from :func:`analysis.indicators.inputs.data_digest`), the
    package, its note and whether the other language has one."""
    folder = notes_dir(job.processed_dir)
    notes = [note_path(folder, job.year, job.country, lang) for lang in LANGS]
    return report_hash(job.notebook, job.parameters, data_hash, notes)


def manifest_path(output_dir: str, year: int) -> Path:
    return Path(output_dir) / "briefs" / str(year) / "manifest.json"


def read_manifest(output_dir: str, year: int) -> dict[str, dict]:
    """The manifest's entries by key; a damaged manifest is not trusted (every brief is
    rebuilt and the manifest rewritten)."""
    path = manifest_path(output_dir, year)
    if not path.exists():
        return {}
    try:
        entries = {
            f"{b['lang']}/{b['country']}": b
            for b in json.loads(path.read_text(encoding="utf-8"))["briefs"]
        }
    except (ValueError, KeyError, TypeError, OSError) as exc:
        log.warning("%s is damaged (%s): every brief is rebuilt", path, type(exc).__name__)
        return {}
    return {k: b for k, b in entries.items() if isinstance(b, dict)}


def pdf_intact(path: Path, pages: object = None) -> bool:
    """True when ``path`` is a whole PDF: header, end-of-file marker and, when known, the
    page count the manifest recorded (a truncated or damaged file is rebuilt, not trusted)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
    except OSError:
        return False
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        return False
    if isinstance(pages, int) and pages > 0:
        try:
            from pypdf import PdfReader

            return len(PdfReader(path).pages) == pages
        except Exception:
            return False
    return True


def write_manifest(output_dir: str, year: int, entries: dict[str, dict]) -> None:
    briefs = [entries[k] for k in sorted(entries)]
    storage.write_json(
        manifest_path(output_dir, year),
        {"year": year, "package_version": __version__, "briefs": briefs},
    )


# --------------------------------------------------------------------------- one brief
