"""The interactive API: ``from analysis import load``.

>>> data = load()                                   # cleans first if needed
>>> data.select("violations", country="TJK", years=range(2020, 2026), category="activist_prosecution")
>>> data.labelled("violations", "ru").head()         # codes replaced by Russian labels
>>> data.per_year("violations", country="KGZ")       # every monitored year, zeros included
>>> from analysis import charts, indicators         # the functions the briefs use

Migration figures: ``data.migration`` has **one row per country, partner, indicator and year**,
and each series from **one source** (the first of ``data/sources.csv`` that gives it), so that
a ``pivot_table`` or a ``groupby().mean()`` can never average two sources and a series never
joins two sources' years; ``select(..., combine_sources=True)`` combines them year by year
with the source of each value and a ``source_break`` column. Every source's rows are in
``data.migration_all_sources`` (or ``data.select("migration", ..., all_sources=True)``); the
columns ``source``, ``source_code`` and ``is_synthetic`` say where each figure comes from.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import indicators, schema
from analysis.clean import clean_all
from analysis.indicators import corridors
from analysis.indicators.inputs import read_processed
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary

log = logging.getLogger(__name__)
TABLE_NAMES = (*schema.DATASETS, "labour")  # "labour": labour-standards statistics


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
    migration: pd.DataFrame  # one source per series, one row per country, partner, indicator, year
    quality: dict
    migration_all_sources: pd.DataFrame | None = None  # every source's rows
    vocab: Vocabulary = field(default_factory=Vocabulary)  # the labels select() understands

    labour: pd.DataFrame = field(default_factory=lambda: schema.empty(schema.LABOUR))

    def __post_init__(self) -> None:
        if self.migration_all_sources is None:
            self.migration_all_sources = self.migration
            self.migration = indicators.single_source(self.migration)

    def select(
        self,
        table: str,
        country: str | Iterable[str] | None = None,
        years: int | str | Iterable[int] | None = None,
        category: str | Iterable[str] | None = None,
        all_sources: bool = False,
        combine_sources: bool = False,
        **equals: object,
    ) -> pd.DataFrame:
        """Rows of ``table`` for the given countries (ISO3 or any alias), years (``2025``,
        ``"2016-2025"``, ``"2016,2020"``, a range or a list) and categories (codes or labels);
        other keyword arguments filter a column on a value, coded columns (``direction``,
        ``sector``, ``perpetrator``, ``indicator``, ``partner``) by code or any label the cleaning
        maps. A value nothing maps raises an error naming the closest codes.

        Migration: each series (country, partner, indicator) comes from **one source**, the
        first of the registry that has it; ``combine_sources=True`` takes the preferred source
        year by year, each value with its ``source`` and ``source_break`` marking a year whose
        source differs from the year before; ``all_sources=True`` every source's rows.

        >>> data.select("violations", country="Таджикистан", years="2020-2025")
        """
        if table not in TABLE_NAMES:
            raise ValueError(f"unknown table {table!r}; valid: {', '.join(TABLE_NAMES)}")
        if table == "migration" and all_sources:
            frame = self.migration_all_sources
        elif table == "migration" and combine_sources:
            frame = indicators.mark_source_breaks(indicators.preferred(self.migration_all_sources))
        else:
            frame = getattr(self, table)
        mask = pd.Series(True, index=frame.index)
        if country is not None:
            mask &= frame["country"].isin(codes_of("country", country, self.vocab))
        if years is not None:
            mask &= frame["year"].isin(parse_years(years))
        if category is not None and table == "labour":
            mask &= frame["indicator"].isin(labour_codes(category))
        elif category is not None:
            column = CATEGORY_COLUMN[table]
            mask &= frame[column].isin(codes_of(column, category, self.vocab))
        for column, value in equals.items():
            if column not in frame.columns:
                raise ValueError(
                    f"{table} has no column {column!r}; columns: {', '.join(frame.columns)}"
                )
            if column in CODED:
                mask &= frame[column].isin(codes_of(column, value, self.vocab))  # type: ignore[arg-type]
            else:
                mask &= frame[column] == value
        return frame[mask].reset_index(drop=True)

    def corridors(
        self, country: str, year: int | None = None, origins: bool = False, top: int = 10
    ) -> pd.DataFrame:
        """The largest migration corridors of a country from the publishers' files: where its
        migrants live (``origins=True``: where the migrants living in it come from), each with
        its share of all and its change since the source's first year, from one source.

        >>> data.corridors("Uzbekistan")            # destinations of Uzbekistan's migrants
        >>> data.corridors("KAZ", origins=True)     # origins of the migrants in Kazakhstan
        """
        key = codes_of("country", country, self.vocab)[0]
        year = year if year is not None else int(self.migration_all_sources["year"].max())
        side = corridors.origins if origins else corridors.destinations
        return side(self.migration_all_sources, key, year, top)

    def compare(
        self, origin: str, destination: str, indicator: str = "corridor_stock"
    ) -> pd.DataFrame:
        """One corridor in every source, side by side (years down, one column per source):
        the differences between the publishers and the mission's partners, not hidden.

        >>> data.compare("Uzbekistan", "Kazakhstan")
        >>> data.compare("Tajikistan", "Russia", "stock_abroad")
        """
        country = codes_of("country", origin, self.vocab)[0]
        partner = codes_of("partner", destination, self.vocab)[0]
        rows = self.select("migration", country=country, partner=partner, all_sources=True)
        rows = rows[rows["indicator"] == codes_of("indicator", indicator, self.vocab)[0]]
        return rows.pivot_table(index="year", columns="source", values="value", aggfunc="first")

    def labelled(self, table: str | pd.DataFrame, lang: str = "en") -> pd.DataFrame:
        """A copy of a table with codes replaced by labels in ``lang`` ('en' or 'ru').

        >>> data.labelled(data.select("violations", country="KAZ"), "ru")
        """
        frame = (getattr(self, table) if isinstance(table, str) else table).copy()
        return label(frame, lang)

    def monitoring(self) -> dict[str, tuple[int, int]]:
        """First and last monitored year per country: earlier years are not monitored."""
        return indicators.monitoring_spans(self.violations, self.legislation)

    def per_year(
        self,
        table: str = "violations",
        country: str | None = None,
        category: str | Iterable[str] | None = None,
        **equals: object,
    ) -> pd.Series:
        """Records per year for one country (or all with ``country=None``), **every monitored
        year present** with zeros where nothing was recorded, and no year before monitoring
        began: the series :func:`analysis.indicators.trend` expects.

        >>> indicators.trend(data.per_year("violations", country="KGZ", category="strike_restriction"))
        """
        spans = self.monitoring()
        key = codes_of("country", country, self.vocab)[0] if country else None
        if not spans or (key is not None and key not in spans):
            return pd.Series(dtype="int64", name="records").rename_axis("year")
        first = spans[key][0] if key else min(s[0] for s in spans.values())
        last = max(s[1] for s in spans.values())
        rows = self.select(table, country=key, category=category, **equals)
        counts = rows.groupby("year").size()
        return (
            counts.reindex(range(first, last + 1), fill_value=0)
            .astype("int64")
            .rename("records")
            .rename_axis("year")
        )

    def count_by(self, frame: pd.DataFrame, by: str, lang: str = "en") -> pd.DataFrame:
        """Violation records of ``frame`` counted by a coded column (``sector``, ``perpetrator``,
        ``category``...): cases and persons affected, labels in ``lang``, largest first."""
        table = (
            frame.assign(**{by: frame[by].fillna("—")})
            .groupby(by)
            .agg(cases=("incident_id", "size"), persons=("persons_affected", "sum"))
            .reset_index()
            .sort_values(["cases", by], ascending=[False, True], ignore_index=True)
        )
        return label(table, lang)

    def around_acts(self, country: str, window: int = 2) -> pd.DataFrame:
        """Documented violations in the ``window`` monitored years before and after each
        restrictive act of ``country`` (descriptive, see :func:`indicators.before_after`)."""
        key = codes_of("country", country, self.vocab)[0]
        spans = self.monitoring()
        first, last = spans.get(key, (None, None))
        return indicators.before_after(
            self.violations, self.legislation, key, window, last, first_year=first
        )


CATEGORY_COLUMN = {
    "violations": "category",
    "legislation": "direction",
    "migration": "indicator",
    "labour": "indicator",
}


MATCHER_KINDS = {  # coded column -> the vocabulary kind the cleaning maps it with
    "country": "countries",
    "partner": "countries",
    "category": "categories",
    "direction": "directions",
    "indicator": "indicators",
    "sector": "sectors",
    "perpetrator": "perpetrators",
}


CODED = tuple(MATCHER_KINDS)


def codes_of(
    column: str, values: str | Iterable[str], vocab: Vocabulary | None = None
) -> list[str]:
    """The codes of ``values`` (codes or any label the cleaning maps) for a coded column;
    a value nothing maps raises a ``ValueError`` naming the closest codes. ``vocab``: the
    labels in use (``load()`` gives its :class:`Data` the project's; default: shipped)."""
    vocab = vocab if vocab is not None else Vocabulary()
    matcher = vocab.matcher(MATCHER_KINDS[column])
    values = [values] if isinstance(values, str) else list(values)
    codes = []
    for value in values:
        code = matcher.get(reference.normalise_label(str(value)))
        if code is None and MATCHER_KINDS[column] == "countries":  # any country a publisher names
            found = vocab.world_codes(pd.Series([str(value)], dtype="str")).iloc[0]
            code = None if pd.isna(found) else found
        if code is None:
            close = matcher.suggest(str(value))
            hint = f"; closest: {', '.join(c for c, _ in close)}" if close else ""
            raise ValueError(f"unknown {column} {value!r}{hint}")
        codes.append(code)
    return codes


def labour_codes(values: str | Iterable[str]) -> list[str]:
    """Labour-standards indicator codes of ``values`` (codes, English or Russian labels, or a
    publisher's series code kept as the indicator)."""
    table = reference.read_table("labour_indicators")
    known = {
        reference.normalise_label(label): code
        for column in ("code", "label_en", "label_ru")
        for code, label in zip(table["code"], table[column], strict=True)
    }
    values = [values] if isinstance(values, str) else list(values)
    out = []
    for value in values:
        code = known.get(reference.normalise_label(str(value)))
        if code is None and not str(value).isupper():  # ILOSTAT's own codes are kept as given
            raise ValueError(
                f"unknown labour indicator {value!r}; one of {', '.join(table['code'])}"
            )
        out.append(code or str(value))
    return out


def parse_years(years: int | str | Iterable[int]) -> list[int]:
    """Years as given: ``2025``, ``"2016-2025"``, ``"2016,2020"`` (or both, ``"2010-2012,2020"``),
    a ``range`` or a list; anything else raises a ``ValueError`` that says what is accepted."""
    accepted = "a year, '2016-2025', '2016,2020', a range or a list of years"
    if isinstance(years, bool):
        raise ValueError(f"years={years!r}: give {accepted}")
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        out: list[int] = []
        for part in years.replace(" ", "").split(","):
            bounds = re.fullmatch(r"(\d{4})(?:[-–—](\d{4}))?", part)
            if not bounds:
                raise ValueError(f"years={years!r}: cannot read {part!r}; give {accepted}")
            first, last = int(bounds[1]), int(bounds[2] or bounds[1])
            if last < first:
                raise ValueError(f"years={years!r}: {part!r} ends before it starts")
            out.extend(range(first, last + 1))
        return out
    try:
        out = [int(y) for y in years]
    except (TypeError, ValueError):
        raise ValueError(f"years={years!r}: give {accepted}") from None
    if any(isinstance(y, str) and not str(y).isdigit() for y in years):
        raise ValueError(f"years={years!r}: give {accepted}")
    return out


def label(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Replace country, partner, category, direction, indicator, sector and perpetrator codes
    by labels in ``lang``."""
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
    for column, vocabulary in (("sector", "sectors"), ("perpetrator", "perpetrators")):
        maps[column] = pd.Series(reference.vocabulary_labels(vocabulary, lang))
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
        log.warning("cleaning %s into %s", raw, processed)
        clean_all(raw, processed, external_dir=external)
    vocab = Vocabulary.load(raw.parent / "mappings")  # the researcher's aliases, as in cleaning
    data = read_processed(processed)  # shared within the process: hand out copies to change
    return Data(
        data.violations.copy(),
        data.legislation.copy(),
        data.migration.copy(),
        quality=copy.deepcopy(data.quality),
        vocab=vocab,
        labour=data.labour.copy(),
    )
