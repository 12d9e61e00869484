"""Who sent each raw file: the partner registry (``data/partners.csv``).

A partner is an organisation, not a string in a source column: the registry lists each
partner's code, its name in each language, its country (or ``REG`` for a regional one) and the
raw files it sends, as glob patterns relative to ``data/raw`` (``violations/partner-a_*``).
Every violation record carries the codes of the partners whose files report it; a file no
pattern matches is its own partner (``file:<folder/name>``, renamed like every file name
that holds a protected name) and is listed in the quality report, so a
new file never passes as an existing partner and never disappears from the count."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pandas as pd

COLUMNS = ["code", "name_en", "name_ru", "country", "files"]
REGISTRY = "partners.csv"  # beside data/raw
UNREGISTERED = "file:"


class RegistryError(ValueError):
    """The partner registry cannot be used (names the file, the line and the column)."""


def read_registry(path: Path | None) -> pd.DataFrame:
    """The registry at ``path`` (validated), or an empty one when there is none."""
    if path is None or not Path(path).exists():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS})
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise RegistryError(f"{path}: missing columns {missing} (expected {', '.join(COLUMNS)})")
    for column in ("code", "name_en", "name_ru", "files"):
        blank = table.index[table[column].str.strip() == ""]
        if len(blank):
            raise RegistryError(f"{path}, line {int(blank[0]) + 2}, column {column!r}: empty")
    dup = table.index[table["code"].duplicated()]
    if len(dup):
        raise RegistryError(f"{path}, line {int(dup[0]) + 2}, column 'code': duplicate code")
    return table[COLUMNS]


def partner_of_file(file: str, registry: pd.DataFrame) -> str:
    """The code of the partner who sent ``file`` (relative to the raw folder; a sheet after
    ``#`` ignored): the first registry row with a matching pattern, else ``file:<name>``."""
    name = file.split("#", 1)[0]
    for row in registry.itertuples():
        if any(fnmatch.fnmatch(name, p.strip()) for p in row.files.split(";") if p.strip()):
            return row.code
    return UNREGISTERED + name


def partners_of(sources: pd.Series, registry: pd.DataFrame) -> pd.Series:
    """Per record, the codes of the partners behind its merged reports (``sources``:
    'file:row; file:row'), sorted and '; '-separated. Computed once per distinct file."""
    files = sources.str.split("; ").map(lambda items: [i.rsplit(":", 1)[0] for i in items])
    distinct = {f for items in files for f in items}
    code = {f: partner_of_file(f, registry) for f in distinct}
    return files.map(lambda items: "; ".join(sorted({code[f] for f in items}))).astype("str")


def registry_table(registry: pd.DataFrame, used: pd.Series) -> pd.DataFrame:
    """The registry as the briefs read it (``processed/partners.csv``): every registered
    partner plus a row for each unregistered file in use (named by its file)."""
    codes = {c for v in used.dropna() for c in v.split("; ")}
    extra = sorted(c for c in codes if c.startswith(UNREGISTERED))
    rows = pd.DataFrame(
        {
            "code": extra,
            "name_en": [c.removeprefix(UNREGISTERED) for c in extra],
            "name_ru": [c.removeprefix(UNREGISTERED) for c in extra],
            "country": [""] * len(extra),
            "files": [c.removeprefix(UNREGISTERED) for c in extra],
        }
    )
    return pd.concat([registry[COLUMNS], rows], ignore_index=True)
