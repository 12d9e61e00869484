"""The one definition of "its inputs changed", for everything that skips work it did before.

A report depends on: its notebook, its parameters, the package (code, templates, reference
tables and version: :func:`code_hash`), the processed data it shows and the monitors' notes.

* :func:`report_hash` - one report's inputs, with the digest of exactly the data it shows
  (:func:`analysis.indicators.inputs.data_digest`): the batch rebuilds a report when it changes
  and ``analysis status`` calls it out of date (the manifest keeps it);
* :func:`batch_fingerprint` - the same inputs for a whole command, taken coarsely (every byte
  of the processed folder and the notes), so that "nothing to do" is known without pandas;
* :func:`file_state` - size and modification time: cheap, for what is kept in memory while a
  process runs (the processed tables a kernel read, :class:`LatestOnly`) and for the PDFs a
  command left.

Standard library only: the "nothing to do" path imports nothing heavier.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

from analysis.version import __version__

PACKAGE_SUFFIXES = {
    ".py",
    ".csv",
    ".j2",
    ".css",
    ".json",
}  # what the package's behaviour is made of
PACKAGE = Path(__file__).resolve().parent
T = TypeVar("T")


def file_state(path: str | os.PathLike) -> tuple[int, int] | None:
    """(size, modification time in ns) of a file, None when it is missing."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def files_in(folder: Path, suffixes: set[str] | None = None) -> list[Path]:
    """Every file under ``folder`` (of the given suffixes), in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and (suffixes is None or p.suffix in suffixes)
        and "__pycache__" not in p.parts
    )


@functools.cache
def code_hash() -> str:
    """The package's code, templates and reference tables, and its version (once per process:
    the installed package does not change under a running batch)."""
    digest = hashlib.sha256(__version__.encode())
    for path in files_in(PACKAGE, PACKAGE_SUFFIXES):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_bytes(digest, path: Path | None) -> None:
    digest.update(path.read_bytes() if path is not None and path.is_file() else b"-")


def report_hash(
    notebook: str | Path, parameters: dict, data_digest: str, notes: Iterable[Path]
) -> str:
    """What one report depends on: its notebook, parameters, the digest of the data it shows,
    the package (:func:`code_hash`) and its notes (missing ones count as missing)."""
    digest = hashlib.sha256()
    _file_bytes(digest, Path(notebook))
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update(code_hash().encode())
    digest.update(data_digest.encode())
    for path in notes:
        _file_bytes(digest, path)
    return digest.hexdigest()[:16]


def batch_fingerprint(
    arguments: dict, processed_dir: str | Path, notes_dir: str | Path, notebooks: Iterable[str]
) -> str:
    """Every input of a command (the same kinds as :func:`report_hash`, coarsely): its
    arguments, every byte of the processed folder and of the notes, the notebooks, the package."""
    digest = hashlib.sha256(json.dumps(arguments, sort_keys=True, default=str).encode())
    digest.update(code_hash().encode())
    inputs = [*files_in(Path(processed_dir)), *files_in(Path(notes_dir))]
    inputs += [Path(n) for n in notebooks]
    for path in inputs:
        digest.update(str(path).encode())
        _file_bytes(digest, path)
    return digest.hexdigest()


class LatestOnly(Generic[T]):
    """A value computed from files, kept while the files' states are unchanged (only the
    latest is kept: older files are not worth memory)."""

    def __init__(self, compute: Callable[[Path], T]) -> None:
        self.compute = compute
        self._key: tuple | None = None
        self._value: T | None = None

    def clear(self) -> None:
        """Forget the value (files rewritten within the clock's resolution look unchanged)."""
        self._key, self._value = None, None

    def get(self, folder: Path, names: Iterable[str]) -> T:
        key = (folder, *(file_state(folder / name) for name in names))
        if key != self._key:
            self._value, self._key = self.compute(folder), key
        return self._value  # type: ignore[return-value]
