"""Nothing to do should cost next to nothing: the ``analysis briefs`` fast path.

After a batch whose every brief ended ok (or up to date), the command remembers a fingerprint of
everything the batch read (the command's arguments, the bytes of the processed data, the
monitors' notes, the notebooks and the package's own code and data) and the size and time of
every PDF it left. The next identical command with the same fingerprint and untouched PDFs
says "nothing to do" without importing pandas, matplotlib or nbconvert; anything else goes
the normal way (per-brief digests in :mod:`analysis.run.batch`). What "changed" means is
declared once, in :mod:`analysis.cache`. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.cache import batch_fingerprint, file_state
from analysis.paths import notes_dir

RECORD = ".uptodate.json"  # under <output>/briefs/


def fingerprint(arguments: dict, processed_dir: str, notebooks: list[str]) -> str:
    """Every input of the command (:func:`analysis.cache.batch_fingerprint`)."""
    return batch_fingerprint(arguments, processed_dir, notes_dir(processed_dir), notebooks)


def _record_path(output_dir: str) -> Path:
    return Path(output_dir) / "briefs" / RECORD


def _pdf_state(path: str) -> list[int] | None:
    state = file_state(path)
    return list(state) if state else None


def _key(arguments: dict) -> str:
    return hashlib.sha256(json.dumps(arguments, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def check(arguments: dict, processed_dir: str, output_dir: str, notebooks: list[str]) -> int | None:
    """The number of briefs already up to date for exactly this command, or None when the
    normal path must decide."""
    try:
        records = json.loads(_record_path(output_dir).read_text(encoding="utf-8"))
        entry = records[_key(arguments)]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(entry, dict) or not entry.get("pdfs"):
        return None
    if any(_pdf_state(path) != state for path, state in entry["pdfs"].items()):
        return None
    if entry.get("fingerprint") != fingerprint(arguments, processed_dir, notebooks):
        return None
    return len(entry["pdfs"])


def remember(
    arguments: dict, processed_dir: str, output_dir: str, notebooks: list[str], pdfs: list[str]
) -> None:
    """Record this command's fingerprint and PDFs (after a batch where every brief is ok)."""
    from analysis import storage

    path = _record_path(output_dir)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        records = records if isinstance(records, dict) else {}
    except (OSError, ValueError):
        records = {}
    states = {pdf: _pdf_state(pdf) for pdf in pdfs}
    if any(state is None for state in states.values()):
        return
    records[_key(arguments)] = {
        "fingerprint": fingerprint(arguments, processed_dir, notebooks),
        "pdfs": states,
    }
    storage.write_json(path, records)
