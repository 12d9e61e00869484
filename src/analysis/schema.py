"""The processed tables, declared once: columns, dtypes, units, allowed values, primary key.

:func:`validate` runs on every write (see :mod:`analysis.clean`); the data dictionary in
``docs/`` is generated from these declarations (``analysis data-dictionary``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analysis.vocab import reference


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "str", "int64", "Int64", "float64", "bool"
    description: str
    nullable: bool = False
    allowed: Callable[[], set[str]] | None = None  # lazily read reference values
    unit: str = ""
    free_text: bool = False  # as partners wrote it: names are withheld before it is shared


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    shareable: bool = True
    checks: tuple[Callable[[pd.DataFrame], list[str]], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def free_text(self) -> list[str]:
        """Columns written by partners in their own words (see :mod:`analysis.privacy`)."""
        return [c.name for c in self.columns if c.free_text]


class SchemaError(ValueError):
    """A processed table that breaks its declaration; the message lists every problem."""


def _iso3() -> set[str]:
    return set(reference.countries()["iso3"]) - {reference.ALL_DESTINATIONS}


def _partners() -> set[str]:
    return set(reference.countries()["iso3"])


def _world() -> set[str]:
    return reference.all_iso3()


def _world_partners() -> set[str]:
    return reference.all_iso3() | {reference.ALL_DESTINATIONS}


def _categories() -> set[str]:
    return set(reference.categories()["code"])


def _indicators() -> set[str]:
    return set(reference.indicators()["code"])


def _units() -> set[str]:
    return set(reference.indicators()["unit"])


MIN_YEAR = 1991  # the mission's countries exist as states from 1991: a record before is wrong
MIN_YEAR_STATISTICS = 1950  # public statistics go further back (World Bank series from 1960)
PRECISIONS = {"day", "month", "year"}
ESTIMATES = {"reported", "estimated", "projected"}
_PROVENANCE = (
    Column("n_reports", "int64", "Number of raw rows (partner reports) merged into this record"),
    Column("sources", "str", "Every merged raw row as 'file:row', '; '-separated"),
    Column("source_file", "str", "Raw file of the first report, relative to the raw folder"),
    Column("source_row", "int64", "Row of the first report in its file or sheet (1-based)"),
    Column("is_synthetic", "bool", "True when the raw file says it holds synthetic demo data"),
)


def _non_negative(column: str) -> Callable[[pd.DataFrame], list[str]]:
    def check(frame: pd.DataFrame) -> list[str]:
        bad = frame[column].dropna() < 0
        return [f"{column}: {int(bad.sum())} negative values"] if bad.any() else []

    return check


VIOLATIONS = Table(
    name="violations",
    description="Documented labour-rights violations, one row per incident after merging "
    "reports of the same incident. Never holds victim names (see private/violations_names).",
    columns=(
        Column(
            "incident_id",
            "str",
            "Stable identifier of the incident, from its content (country, date, category and the "
            "source URL, else the description, else the reported details), never its file or row",
        ),
        Column(
            "partners",
            "str",
            "Reporting partners: codes of the partner registry (data/partners.csv; 'file:<name>' "
            "for a file it does not list), '; '-separated",
        ),
        Column("country", "str", "Country where it happened (ISO3)", allowed=_iso3),
        Column("date", "str", "Date at its precision: YYYY-MM-DD, YYYY-MM or YYYY"),
        Column("date_precision", "str", "Precision of date", allowed=lambda: PRECISIONS),
        Column("year", "int64", "Calendar year of the incident"),
        Column("month", "Int64", "Month (1-12) when known", nullable=True),
        Column("category", "str", "Violation category code (taxonomy)", allowed=_categories),
        Column(
            "persons_affected",
            "Int64",
            "Persons affected, when reported",
            nullable=True,
            unit="persons",
        ),
        Column("is_public", "bool", "True only when every report says the case is public"),
        Column(
            "sector",
            "str",
            "Economic sector: code of data/sectors.csv, 'other' when no alias knows the text",
            nullable=True,
            allowed=lambda: set(reference.read_table("sectors")["code"]) | {reference.OTHER},
        ),
        Column("sector_reported", "str", "Sector as reported", nullable=True, free_text=True),
        Column(
            "perpetrator",
            "str",
            "Alleged perpetrator: code of data/perpetrators.csv, 'other' when no alias knows it",
            nullable=True,
            allowed=lambda: set(reference.read_table("perpetrators")["code"]) | {reference.OTHER},
        ),
        Column(
            "perpetrator_reported",
            "str",
            "Alleged perpetrator as reported",
            nullable=True,
            free_text=True,
        ),
        Column("location", "str", "Place as reported", nullable=True, free_text=True),
        Column(
            "description",
            "str",
            "Description; withheld whole for a non-public case, names of non-public victims "
            "withheld from the others",
            nullable=True,
            free_text=True,
        ),
        Column(
            "source", "str", "Reporting partners, '; '-separated", nullable=True, free_text=True
        ),
        Column("url", "str", "Source URL of the first report", nullable=True, free_text=True),
        *_PROVENANCE,
    ),
    key=("incident_id",),
    checks=(_non_negative("persons_affected"),),
)

VIOLATIONS_NAMES = Table(
    name="violations_names",
    description="PRIVATE. Victim names by incident; never shared, never in briefs unless public.",
    columns=(
        Column("incident_id", "str", "Incident (violations.incident_id)"),
        Column("victim_names", "str", "Names as reported, '; '-separated"),
        Column("is_public", "bool", "True only when every report says the case is public"),
        Column(
            "shareable_names",
            "str",
            "Public cases: the names a brief may print (none that a non-public record lists)",
            nullable=True,
        ),
    ),
    key=("incident_id",),
    shareable=False,
)

LEGISLATION = Table(
    name="legislation",
    description="Laws and decrees that restrict or protect labour rights, one row per act.",
    columns=(
        Column("act_id", "str", "Stable identifier of the act"),
        Column("country", "str", "Country (ISO3)", allowed=_iso3),
        Column("title", "str", "Title of the act as reported", free_text=True),
        Column("date_adopted", "str", "Adoption date at its precision"),
        Column(
            "date_adopted_precision", "str", "Precision of date_adopted", allowed=lambda: PRECISIONS
        ),
        Column("year", "int64", "Year of adoption"),
        Column("date_in_force", "str", "Entry-into-force date at its precision", nullable=True),
        Column(
            "direction",
            "str",
            "Effect on labour rights",
            allowed=lambda: set(reference.directions()),
        ),
        Column(
            "ilo_conventions",
            "str",
            "ILO instruments concerned, ';'-separated (C087;P029)",
            nullable=True,
        ),
        Column("act_type", "str", "Kind of act as reported", nullable=True, free_text=True),
        Column("summary", "str", "Summary as reported", nullable=True, free_text=True),
        Column(
            "source", "str", "Reporting partners, '; '-separated", nullable=True, free_text=True
        ),
        Column("url", "str", "Source URL", nullable=True, free_text=True),
        *_PROVENANCE,
    ),
    key=("act_id",),
)

MIGRATION_SERIES = ("country", "partner", "indicator")  # one series: its years, one source
MIGRATION_FIGURE = ("country", "partner", "year", "indicator")  # one figure: its sources compete

MIGRATION = Table(
    name="migration",
    description="Labour-migration statistics in long format, one value per country, partner, "
    "year, indicator and source (two sources for the same figure are both kept).",
    columns=(
        Column("country", "str", "Country of origin (ISO3)", allowed=_world),
        Column(
            "partner", "str", "Destination (ISO3); WLD = all destinations", allowed=_world_partners
        ),
        Column("year", "int64", "Year"),
        Column("indicator", "str", "Indicator code", allowed=_indicators),
        Column("value", "float64", "Value in unit (scaled: '3,2 млн' -> 3200000)"),
        Column("unit", "str", "persons | usd | pct_gdp", allowed=_units),
        Column(
            "source",
            "str",
            "Publisher of the figure as reported (file name when blank)",
            free_text=True,
        ),
        Column(
            "source_code",
            "str",
            "The source in the registry (data/sources.csv); 'other' when it is not registered",
            allowed=lambda: set(reference.sources()["code"]) | {reference.OTHER_SOURCE},
        ),
        Column(
            "source_updated",
            "str",
            "The publisher's last-update date of the series (YYYY-MM-DD), when known",
            nullable=True,
        ),
        Column(
            "no_data",
            "bool",
            "True for a publisher's zero that stands for 'no data' (World Bank WDI): not a figure",
        ),
        Column(
            "estimate_type",
            "str",
            "reported | estimated | projected (a publisher's projection, e.g. WPP years after its estimates), when the file or its metadata says so",
            nullable=True,
            allowed=lambda: ESTIMATES,
        ),
        *_PROVENANCE,
    ),
    key=(*MIGRATION_FIGURE, "source"),
)


def _labour_indicators() -> set[str]:
    return set(reference.read_table("labour_indicators")["code"])


LABOUR = Table(
    name="labour_standards",
    description="Labour-standards statistics from the publishers' own files (ILOSTAT, the UN SDG "
    "database): one value per country, year, indicator, breakdown, source and source type.",
    columns=(
        Column("country", "str", "Country (ISO3)", allowed=_world),
        Column("year", "int64", "Year"),
        Column(
            "indicator",
            "str",
            "Indicator code (data/labour_indicators.csv); a series the table does not declare "
            "keeps the publisher's code",
        ),
        Column(
            "breakdown",
            "str",
            "'total', or the publisher's breakdown as coded ('SEX_F', 'MIGPER', 'ECO_AGNAG_AGR'; "
            "several joined by '; ')",
        ),
        Column("value", "float64", "Value in unit"),
        Column(
            "unit",
            "str",
            "pct | per_100k_workers | per_10k_employed | persons | score_0_10 | as published",
        ),
        Column("source", "str", "The publisher and its release, as attributed in the briefs"),
        Column(
            "source_code",
            "str",
            "The source in the registry (data/sources.csv)",
            allowed=lambda: set(reference.sources()["code"]),
        ),
        Column(
            "series", "str", "The publisher's own code of the series (e.g. SDG_0831_SEX_ECO_RT)"
        ),
        Column(
            "source_type",
            "str",
            "The publisher's source of the value (survey, register...), as coded or labelled; "
            "empty when the file does not say",
            nullable=True,
        ),
        Column(
            "source_updated",
            "str",
            "The publisher's last update or vintage, as the file gives it",
            nullable=True,
        ),
        Column(
            "status",
            "str",
            "The publisher's flag on the value: break in series, estimate, modelled, "
            "provisional, unreliable... (empty when none)",
            nullable=True,
        ),
        Column("note", "str", "The publisher's notes on the value, as coded", nullable=True),
        *_PROVENANCE,
    ),
    key=("country", "year", "indicator", "breakdown", "source", "source_type"),
)

TABLES = {t.name: t for t in (VIOLATIONS, VIOLATIONS_NAMES, LEGISLATION, MIGRATION, LABOUR)}
DATASETS = ("violations", "legislation", "migration")  # the processed tables, in cleaning order


def conform(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Select the declared columns in order and cast them to their dtypes."""
    missing = [c for c in table.names if c not in frame.columns]
    if missing:
        raise SchemaError(f"{table.name}: missing columns {missing}")
    out = frame[table.names].copy()
    for column in table.columns:
        out[column.name] = out[column.name].astype(column.dtype)
    return out.reset_index(drop=True)


def empty(table: Table) -> pd.DataFrame:
    """A table with no rows and the declared columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in table.columns})


def validate(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Check a processed table against its declaration; raise SchemaError listing all problems."""
    problems = []
    if list(frame.columns) != table.names:
        problems.append(f"columns {list(frame.columns)} != declared {table.names}")
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        series = frame[column.name]
        if str(series.dtype) != column.dtype:
            problems.append(f"{column.name}: dtype {series.dtype}, declared {column.dtype}")
        nulls = series.isna()
        if column.dtype == "str":
            nulls |= series.eq("") if not column.nullable else False
        if not column.nullable and nulls.any():
            problems.append(f"{column.name}: {int(nulls.sum())} missing values")
        if column.allowed is not None:
            bad = set(series.dropna().unique()) - column.allowed()
            if bad:
                problems.append(f"{column.name}: values not allowed {sorted(map(str, bad))[:10]}")
    key = list(table.key)
    if set(key) <= set(frame.columns) and frame.duplicated(key).any():
        problems.append(f"key {key}: {int(frame.duplicated(key).sum())} duplicate rows")
    for check in table.checks:
        problems.extend(check(frame))
    if problems:
        raise SchemaError(f"{table.name} breaks its schema: " + "; ".join(problems))
    return frame


def data_dictionary_markdown() -> str:
    """The data dictionary of every processed table, generated from the declarations above."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `src/analysis/schema.py` by `analysis data-dictionary`; do not edit by hand.",
        "",
    ]
    for table in TABLES.values():
        where = "data/processed/private/" if not table.shareable else "data/processed/"
        lines += [f"## `{table.name}`", "", table.description, ""]
        lines += [f"File: `{where}{table.name}.parquet`. Key: `{', '.join(table.key)}`.", ""]
        if not table.shareable:
            lines += [
                "**Private: never share this file, never copy it into a brief or a test.**",
                "",
            ]
        lines += [
            "| column | dtype | unit | required | allowed values | description |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for c in table.columns:
            allowed = ", ".join(sorted(c.allowed())) if c.allowed else ""
            if len(allowed) > 120:
                allowed = allowed[:117] + "..."
            required = "no" if c.nullable else "yes"
            lines.append(
                f"| `{c.name}` | {c.dtype} | {c.unit} | {required} | {allowed} | {c.description} |"
            )
        lines.append("")
    return "\n".join(lines)
