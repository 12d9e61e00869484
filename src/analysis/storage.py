"""Writing outputs safely: atomic files (temporary file beside the target, then rename), a
folder replaced whole, CSVs that an office suite cannot run, output folders checked first."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv


def _as_if_created(path: str | os.PathLike, mode: int) -> None:
    """The permissions ``open``/``mkdir`` would have given (``mode`` minus the umask): temporary
    files and folders are created private to their owner."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)


PRIVATE = "private"  # a folder of that name holds names of people at risk: owner only


def is_private(path: str | os.PathLike) -> bool:
    """Whether ``path`` lies in a ``private/`` folder (victim names, refused rows)."""
    return PRIVATE in Path(path).parts[:-1]


def private_folder(folder: str | os.PathLike) -> Path:
    """``folder`` created (with its parents) and made readable by its owner only (0700),
    whatever the umask: a private folder must never be world-readable."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto ``path`` on success.
    A file in a ``private/`` folder is the owner's only (0600, its folder 0700) whatever the
    umask; any other file gets what the umask gives."""
    target = Path(path)
    private = is_private(target)
    if private:
        private_folder(target.parent)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    if private:
        os.chmod(tmp, 0o600)
    else:
        _as_if_created(tmp, 0o666)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, payload: Any) -> None:
    write_text(path, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def write_parquet(path: str | os.PathLike, frame: pd.DataFrame) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that an office suite would run as a formula (``=HYPERLINK(...)``, ``+1``,
    ``-2``, ``@SUM``) prefixed with ``'`` (the OWASP rule for CSV injection); numbers stay."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object):
            continue
        text = values.astype("str")
        risky = text.str.lstrip(" ").str.startswith(FORMULA_START).fillna(False) & values.notna()
        if risky.any():
            out[column] = text.where(~risky, "'" + text).where(values.notna())
    return out


def write_csv(path: str | os.PathLike, frame: pd.DataFrame) -> None:
    """UTF-8 CSV for people: text values quoted, NA as an empty field, formulas neutralised.

    Written by Arrow's CSV writer: pandas' ``to_csv`` goes through Python's csv module, many
    times slower on large rejects (figures in docs/guide.md, "Benchmarks").
    """
    table = pa.Table.from_pandas(neutralise_formulas(frame), preserve_index=False)
    with atomic_path(path) as tmp:
        pa_csv.write_csv(table, tmp, pa_csv.WriteOptions(quoting_style="needed"))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A small table as the CSV a report attaches (UTF-8, formulas neutralised): the PDF's
    attachments and the web edition's data files are the same bytes."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8")


def folder_problem(path: str | os.PathLike, beside: bool = False) -> str | None:
    """Why ``path`` cannot be used as an output folder (None when it can): a file stands where
    the folder or one of its parents should be, or the nearest existing folder cannot be
    written. ``beside``: the folder is replaced whole, so its parent must be writable too."""
    folder = Path(path)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{path} is not a folder ({existing} is a file)"
    probe = folder.resolve().parent if beside else existing
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{path} cannot be written (no permission on {probe})"
    return None


def _stale(target: Path) -> Iterator[Path]:
    yield from target.parent.glob(f".{target.name}.new-*")


@contextlib.contextmanager
def replaced_folder(target: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it replaces ``target`` whole.

    Readers never see a mix of two runs: until the end, ``target`` is the previous run's
    folder; an interrupt or an error removes the staging folder and leaves ``target`` as it
    was. Top-level entries of the old folder that the new one lacks (``.gitkeep``, a user's
    notes) are carried over. The swap is two renames with Ctrl-C held back; a run killed
    between them leaves ``.<name>.old``, which the next run puts back before it starts.
    """
    import shutil
    import signal

    target = Path(target)
    old = target.parent / f".{target.name}.old"
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)
    for stale in _stale(target):
        shutil.rmtree(stale, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    _as_if_created(staging, 0o777)  # mkdtemp makes it private to its owner
    try:
        yield staging
        masked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            if target.is_dir():
                for entry in target.iterdir():
                    if not (staging / entry.name).exists():
                        entry.rename(staging / entry.name)
            if target.exists():
                target.rename(old)
            staging.rename(target)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, masked)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
