"""The researcher's own mappings as project data: ``data/mappings/<kind>.csv`` (``code,alias``;
kinds: countries, categories, directions, indicators, sectors, perpetrators, and
``columns_<dataset>`` for headers) extend and override the shipped tables without touching the
package. They are validated (unknown code, one alias claimed by two codes: an error naming the
file and line); reviewed suggestions become new lines through :func:`accept`.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import storage
from analysis.vocab.tables import normalise_label, read_table

KINDS = {  # project mapping file -> the reference table whose codes it may use
    "countries": ("countries", "iso3"),
    "categories": ("violation_categories", "code"),
    "directions": ("legislation_directions", "code"),
    "indicators": ("migration_indicators", "code"),
    "sectors": ("sectors", "code"),
    "perpetrators": ("perpetrators", "code"),
}
HEADER_KINDS = {  # project header files -> the dataset whose columns they may name
    f"columns_{dataset}": dataset for dataset in ("violations", "legislation", "migration")
}


class MappingError(ValueError):
    """A project mapping file that cannot be used; the message names the file and line."""


@dataclass
class ProjectMappings:
    folder: Path | None = None
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> alias -> code
    lines: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> alias -> file:line


def read_project(folder: str | Path | None) -> ProjectMappings:
    """Read and validate ``folder/<kind>.csv`` (``code,alias``)."""
    if folder is None or not Path(folder).is_dir():
        return ProjectMappings()
    mappings = ProjectMappings(Path(folder))
    for path in sorted(Path(folder).glob("*.csv")):
        kind = path.stem
        if kind not in KINDS and kind not in HEADER_KINDS:
            expected = ", ".join(f"{k}.csv" for k in (*KINDS, *HEADER_KINDS))
            raise MappingError(f"{path}: unknown mapping file; expected one of {expected}")
        if kind in HEADER_KINDS:
            table, column = "columns", f"column (dataset {HEADER_KINDS[kind]})"
            spec = read_table("columns")
            valid = set(spec.loc[spec["dataset"] == HEADER_KINDS[kind], "column"])
        else:
            table, column = KINDS[kind]
            valid = set(read_table(table)[column])
        seen = mappings.aliases.setdefault(kind, {})
        where = mappings.lines.setdefault(kind, {})
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().casefold() for h in next(reader, [])]
            if header[:2] != ["code", "alias"]:
                raise MappingError(f"{path}, line 1: the header must be 'code,alias'")
            for number, row in enumerate(reader, start=2):
                if not any(c.strip() for c in row):
                    continue
                if len(row) < 2:
                    raise MappingError(f"{path}, line {number}: expected 'code,alias'")
                code, alias = row[0].strip(), row[1].strip()
                if code not in valid:
                    raise MappingError(
                        f"{path}, line {number}: unknown code {code!r} (column {column} of {table}.csv)"
                    )
                key = normalise_label(alias)
                if not key:
                    raise MappingError(f"{path}, line {number}: empty alias")
                if key in seen and seen[key] != code:
                    raise MappingError(
                        f"{path}, line {number}: alias {alias!r} is claimed by {seen[key]!r} "
                        f"({where[key]}) and {code!r}"
                    )
                seen[key] = code
                where[key] = f"{path.name}:{number}"
    return mappings


def accept(marked: str | Path, folder: str | Path) -> dict[str, int]:
    """Turn reviewed suggestions into project mappings: ``marked`` is the suggestions CSV the
    cleaning wrote (``kind,label,...,accept``) with ``accept`` filled by a person: a code, or
    ``1``/``2``/``3`` for that suggestion. Rows left blank are skipped. Every accepted row is
    validated before any file is written; returns the aliases added per kind."""
    table = pd.read_csv(marked, dtype=str, keep_default_na=False)
    needed = {"kind", "label", "accept"}
    if not needed <= set(table.columns):
        raise MappingError(
            f"{marked}: expected the columns {sorted(needed)} (the suggestions file)"
        )
    added: dict[str, list[tuple[str, str]]] = {}
    for number, row in enumerate(table.itertuples(index=False), start=2):
        choice = str(row.accept).strip()
        if not choice:
            continue
        if row.kind not in KINDS and row.kind not in HEADER_KINDS:
            raise MappingError(f"{marked}, line {number}: unknown kind {row.kind!r}")
        if choice in {"1", "2", "3"}:
            choice = getattr(row, f"suggestion_{choice}", "").strip()
            if not choice:
                raise MappingError(f"{marked}, line {number}: there is no such suggestion")
        added.setdefault(row.kind, []).append((choice, row.label))
    folder = Path(folder)
    contents = {}
    for kind, pairs in added.items():
        path = folder / f"{kind}.csv"
        lines = (
            path.read_text(encoding="utf-8-sig").splitlines() if path.exists() else ["code,alias"]
        )
        contents[kind] = "\n".join([*lines, *(_csv_line(c, a) for c, a in pairs)]) + "\n"
    with tempfile.TemporaryDirectory() as tmp:  # the whole result validated before writing
        trial = Path(tmp) / "mappings"
        if folder.is_dir():
            shutil.copytree(folder, trial)
        trial.mkdir(exist_ok=True)
        for kind, text in contents.items():
            (trial / f"{kind}.csv").write_text(text, encoding="utf-8")
        try:
            read_project(trial)
        except MappingError as exc:
            raise MappingError(str(exc).replace(str(trial), str(folder))) from None
    for kind, text in contents.items():
        storage.write_text(folder / f"{kind}.csv", text)
    return {kind: len(pairs) for kind, pairs in added.items()}


def _csv_line(code: str, alias: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([code, alias])
    return buffer.getvalue()
