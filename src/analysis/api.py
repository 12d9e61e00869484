"""The interactive API: ``from analysis import load``.

>>> data = load()                                   # cleans first if needed
>>> data.select("violations", country="TJK", years=range(2020, 2026), category="activist_prosecution")
>>> data.labelled("violations", "ru").head()         # codes replaced by Russian labels
>>> from analysis import charts, indicators         # the functions the briefs use
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import reference, schema
from analysis.inputs import read_processed

log = logging.getLogger(__name__)
TABLE_NAMES = schema.DATASETS


def project_root(start: str | Path | None = None) -> Path:
    """The project folder (holding ``pyproject.toml`` and ``data/``), found from ``start`` upwards,
    so that ``load()`` works from ``notebooks/`` as well as from the project root."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "data").is_dir():
            return folder
    return here


def needs_cleaning(raw_dir: Path, processed_dir: Path, external_dir: Path | None = None) -> bool:
    """True when a processed table is missing or older than any raw (or imported) file."""
    outputs = [processed_dir / f"{name}.parquet" for name in TABLE_NAMES]
    if not all(p.exists() for p in outputs):
        return True
    folders = [raw_dir, *([external_dir] if external_dir else [])]
    raw_files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    newest_raw = max((p.stat().st_mtime for p in raw_files), default=0)
    return newest_raw > min(p.stat().st_mtime for p in outputs)


@dataclass
class Data:
    """The processed tables with one-call filters and labels."""

    violations: pd.DataFrame
    legislation: pd.DataFrame
    migration: pd.DataFrame
    quality: dict

    def select(
        self,
        table: str,
        country: str | Iterable[str] | None = None,
        years: int | Iterable[int] | None = None,
        category: str | Iterable[str] | None = None,
        **equals: object,
    ) -> pd.DataFrame:
        """Rows of ``table`` for the given countries (ISO3 or any alias), years and categories
        (codes or labels); other keyword arguments filter on equality (``direction="restrictive"``).

        >>> data.select("violations", country="Таджикистан", years=range(2020, 2026))
        """
        frame = getattr(self, table)
        mask = pd.Series(True, index=frame.index)
        if country is not None:
            mask &= frame["country"].isin(_codes(country, reference.country_aliases(), "country"))
        if years is not None:
            mask &= frame["year"].isin([years] if isinstance(years, int) else list(years))
        if category is not None:
            column = {
                "violations": "category",
                "legislation": "direction",
                "migration": "indicator",
            }[table]
            aliases = {
                "violations": reference.category_aliases,
                "legislation": reference.direction_aliases,
                "migration": reference.indicator_aliases,
            }[table]()
            mask &= frame[column].isin(_codes(category, aliases, column))
        for column, value in equals.items():
            mask &= frame[column] == value
        return frame[mask].reset_index(drop=True)

    def labelled(self, table: str | pd.DataFrame, lang: str = "en") -> pd.DataFrame:
        """A copy of a table with codes replaced by labels in ``lang`` ('en' or 'ru').

        >>> data.labelled(data.select("violations", country="KAZ"), "ru")
        """
        frame = (getattr(self, table) if isinstance(table, str) else table).copy()
        return label(frame, lang)


def _codes(values: str | Iterable[str], aliases: dict[str, str], what: str) -> list[str]:
    values = [values] if isinstance(values, str) else list(values)
    codes = []
    for value in values:
        code = aliases.get(reference.normalise_label(value))
        if code is None:
            raise ValueError(f"unknown {what} {value!r}")
        codes.append(code)
    return codes


def label(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Replace country, partner, category, direction and indicator codes by labels in ``lang``."""
    countries = reference.countries().set_index("iso3")[f"name_{lang}"]
    maps = {
        "country": countries,
        "partner": countries,
        "category": reference.categories().set_index("code")[f"label_{lang}"],
        "direction": reference.read_table("legislation_directions").set_index("code")[
            f"label_{lang}"
        ],
        "indicator": reference.indicators().set_index("code")[f"label_{lang}"],
    }
    out = frame.copy()
    for column, mapping in maps.items():
        if column in out.columns:
            out[column] = out[column].map(mapping).fillna(out[column])
    return out


def load(
    processed_dir: str | Path | None = None,
    raw_dir: str | Path | None = None,
    refresh: bool | None = None,
) -> Data:
    """The processed tables, cleaning ``data/raw`` first when they are missing or older than the
    raw files (``refresh=True`` forces it, ``False`` never cleans).

    >>> data = load()
    >>> data.violations.groupby("year").size()
    """
    root = project_root()
    processed = Path(processed_dir) if processed_dir else root / "data" / "processed"
    raw = Path(raw_dir) if raw_dir else root / "data" / "raw"
    external = root / "data" / "external"
    if refresh or (refresh is None and needs_cleaning(raw, processed, external)):
        from analysis.clean import clean_all

        log.warning("cleaning %s into %s", raw, processed)
        clean_all(raw, processed, external_dir=external)
    data = read_processed(processed)  # shared within the process: hand out copies to change
    return Data(
        data.violations.copy(),
        data.legislation.copy(),
        data.migration.copy(),
        quality=copy.deepcopy(data.quality),
    )
