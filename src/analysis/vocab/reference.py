"""Reference tables shipped as package data: countries, the violation taxonomy, vocabularies,
sources, themes, header names, and each kind's shipped aliases.

These are the package's part of the vocabulary; :class:`analysis.vocab.vocabulary.Vocabulary`
joins them with the researcher's own mappings into the matchers that read labels.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from analysis.paths import THEME_PREFIX
from analysis.vocab.tables import normalise_label, read_table
from analysis.vocab.tables import normalise_series as normalise_series  # re-exported

ALL_DESTINATIONS = "WLD"  # the countries.csv row that stands for every destination together


def countries() -> pd.DataFrame:
    """Countries: iso3, iso2, name_en, name_ru, region, is_mission (bool)."""
    return _countries().copy(deep=False)  # copy-on-write: a caller's change stays its own


@cache
def _countries() -> pd.DataFrame:
    table = read_table("countries").copy()
    table["is_mission"] = table["is_mission"].eq("true")
    return table


def mission_countries() -> list[str]:
    """ISO3 codes of the mission countries, in the order of the reference table."""
    table = countries()
    return table.loc[table["is_mission"], "iso3"].tolist()


def country_name(iso3: str, lang: str) -> str:
    """Country name in ``lang`` ('en' or 'ru')."""
    return country_names(lang)[iso3]


def _self_aliases(table: pd.DataFrame, code_col: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A reference table's own codes and labels as (code, alias) pairs."""
    return pd.concat(
        [pd.DataFrame({code_col: table[code_col], "alias": table[c]}) for c in columns]
    )


def _alias_map(pairs: pd.DataFrame, code_col: str, alias_col: str) -> dict[str, str]:
    """Normalised alias -> code; a normalised alias claimed by two codes is an error."""
    norm = pairs.assign(key=pairs[alias_col].map(normalise_label))
    norm = norm[norm["key"] != ""].drop_duplicates(["key", code_col])
    clash = norm[norm.duplicated("key", keep=False)]
    if not clash.empty:
        raise ValueError(f"ambiguous aliases in reference data: {clash.to_dict('records')}")
    return dict(zip(norm["key"], norm[code_col], strict=True))


def shipped_country_aliases() -> dict[str, str]:
    """Normalised alias (names, ISO2, ISO3, long and old forms) -> ISO3, as shipped."""
    own = _self_aliases(countries(), "iso3", ("iso3", "iso2", "name_en", "name_ru"))
    return _alias_map(pd.concat([own, read_table("country_aliases")]), "iso3", "alias")


def categories() -> pd.DataFrame:
    """Violation taxonomy: code, label_en, label_ru, ilo_conventions (';'-separated)."""
    return read_table("violation_categories").copy()


def shipped_category_aliases() -> dict[str, str]:
    """Normalised label (codes, Russian and English labels, aliases) -> category code."""
    own = _self_aliases(categories(), "code", ("code", "label_en", "label_ru"))
    return _alias_map(pd.concat([own, read_table("category_aliases")]), "code", "alias")


def coded_aliases(name: str) -> dict[str, str]:
    """Normalised label -> code of a table with an ``aliases`` column (directions, indicators,
    sectors, perpetrators), as shipped."""
    table = read_table(name)
    extra = (
        table[["code", "aliases"]].assign(alias=table["aliases"].str.split(";")).explode("alias")
    )
    own = _self_aliases(table, "code", ("code", "label_en", "label_ru"))
    return _alias_map(pd.concat([own, extra[["code", "alias"]]]), "code", "alias")


def indicators() -> pd.DataFrame:
    """Migration indicators: code, label_en, label_ru, unit, non_negative."""
    return read_table("migration_indicators").drop(columns="aliases").copy()


def directions() -> list[str]:
    """Legislation direction codes, in the order of ``legislation_directions.csv``."""
    return read_table("legislation_directions")["code"].tolist()


def person_categories() -> set[str]:
    """Violation categories that target a person (detention, prosecution, dismissal...): the
    cases a brief shows first and the ones whose victims may be named."""
    table = read_table("violation_categories")
    return set(table.loc[table["targets_persons"].eq("true"), "code"])


def country_names(lang: str) -> dict[str, str]:
    """ISO3 -> country name in ``lang`` ('en' or 'ru'): the mission's own table
    (``countries.csv``), then every other country or area (``world_countries.csv``)."""
    return dict(_country_names(lang))


@cache
def _country_names(lang: str) -> dict[str, str]:
    world = world_countries().set_index("iso3")[f"name_{lang}"].to_dict()
    return world | countries().set_index("iso3")[f"name_{lang}"].to_dict()


def world_countries() -> pd.DataFrame:
    """Every country or area a publisher's file may name: iso3, iso2, m49 (UN code, empty
    where the UN has none), name_en, name_ru (``world_countries.csv``, made by
    ``tools/world_countries.py`` from ISO 3166 and CLDR)."""
    return read_table("world_countries")


def all_iso3() -> set[str]:
    """Every country code the processed tables may hold (the mission's table and the world's)."""
    return (set(countries()["iso3"]) | set(world_countries()["iso3"])) - {ALL_DESTINATIONS}


def shipped_world_aliases() -> dict[str, str]:
    """Normalised name -> ISO3 for publishers' spellings (World Bank, UN, ILO, ISO), with the
    mission's own country aliases; exact names only: a publisher's name is never guessed."""
    world = world_countries()
    pairs = pd.concat(
        [
            _self_aliases(world, "iso3", ("iso3", "name_en", "name_ru")),
            read_table("world_country_aliases"),
        ]
    )
    keys = pairs.assign(key=pairs["alias"].map(normalise_label)).drop_duplicates("key")
    world_map = dict(zip(keys["key"], keys["iso3"], strict=True))
    return world_map | shipped_country_aliases()


def non_negative_indicators() -> list[str]:
    """Indicators that count people: a negative value is an error, not a figure."""
    table = read_table("migration_indicators")
    return table.loc[table["non_negative"].eq("true"), "code"].tolist()


@cache
def unit_aliases() -> dict[str, tuple[str, float]]:
    """Normalised unit label -> (unit code, multiplier)."""
    table = read_table("units")
    keys = table["alias"].map(normalise_label)
    return dict(
        zip(keys, zip(table["unit"], table["multiplier"].astype(float), strict=True), strict=True)
    )


@cache
def boolean_aliases() -> dict[str, bool]:
    """Normalised yes/no label (ru, en) -> bool."""
    table = read_table("booleans")
    return dict(zip(table["alias"].map(normalise_label), table["value"].eq("true"), strict=True))


@cache
def estimate_aliases() -> dict[str, str]:
    """Normalised label -> reported|estimated."""
    table = read_table("estimate_types")
    return dict(zip(table["alias"].map(normalise_label), table["code"], strict=True))


OTHER = "other"  # a sector or perpetrator no alias knows: kept, with the text as reported
VOCABULARIES = {"sectors": "sectors", "perpetrators": "perpetrators"}  # table -> mapping kind


def vocabulary_labels(name: str, lang: str) -> dict[str, str]:
    """Code -> label in ``lang`` of a vocabulary (sectors, perpetrators), ``other`` included."""
    table = read_table(name)
    labels = dict(zip(table["code"], table[f"label_{lang}"], strict=True))
    words = read_table("i18n").set_index("key")[lang]  # the catalogue's word for "other"
    return labels | {OTHER: words["vocabulary_other"]}


OTHER_SOURCE = "other"  # a source the registry does not know: named as written, ranked last


def sources() -> pd.DataFrame:
    """The source registry (``data/sources.csv``): code, kind (partner | official |
    international), pattern, names in both languages, licence, synthetic (bool), rank."""
    return _sources().copy(deep=False)  # copy-on-write: a caller's change stays its own


@cache
def _sources() -> pd.DataFrame:
    table = read_table("sources").copy()
    table["synthetic"] = table["synthetic"].eq("true")
    table["rank"] = table["rank"].astype(int)
    return table


def source_codes(texts: pd.Series) -> pd.Series:
    """Registry code of each source as written (first pattern that matches, case-insensitive;
    ``other`` when none does). Computed once per distinct text."""
    table = sources()
    mapping = {}
    for text in pd.unique(texts.dropna()).tolist():
        folded = normalise_label(text)
        mapping[text] = next(
            (r.code for r in table.itertuples() if re.search(r.pattern, folded, re.IGNORECASE)),
            OTHER_SOURCE,
        )
    return texts.map(mapping).fillna(OTHER_SOURCE)


def source_name(code: str, written: str, lang: str, licence: bool = True) -> str:
    """A source's name in ``lang`` with its licence ('World Bank WDI (CC BY 4.0)'); a source
    the registry does not know keeps the name it was written with."""
    table = sources().set_index("code")
    if code not in table.index:
        return written
    row = table.loc[code]
    name = row[f"name_{lang}"]
    return f"{name} ({row['licence']})" if row["licence"] and licence else name


def zero_means_missing() -> set[str]:
    """Indicators whose zeros the World Bank publishes for 'no data' (``wdi_indicators.csv``)."""
    table = read_table("wdi_indicators")
    return set(table.loc[table["zero_means_missing"].eq("true"), "indicator"])


def themes() -> pd.DataFrame:
    """Thematic reports (``data/themes.csv``): code, labels, the violation categories and ILO
    instruments each covers (lists), and whether it shows the migration context (bool)."""
    table = read_table("themes").copy()
    for column in ("categories", "ilo_instruments"):
        table[column] = table[column].str.split(";")
    table["migration"] = table["migration"].eq("true")
    return table


def theme_of(key: str) -> str | None:
    """The theme code of a batch key (``theme-association`` -> ``association``), else None."""
    return key[len(THEME_PREFIX) :] if key.startswith(THEME_PREFIX) else None


def column_spec(dataset: str) -> pd.DataFrame:
    """Canonical columns of a raw dataset: column, required (bool), aliases (list)."""
    table = read_table("columns")
    spec = table[table["dataset"] == dataset].copy()
    if spec.empty:
        raise KeyError(f"unknown dataset {dataset!r}")
    spec["required"] = spec["required"].eq("true")
    spec["aliases"] = spec["aliases"].str.split(";")
    return spec.reset_index(drop=True)


def shipped_header_aliases(dataset: str) -> dict[str, str]:
    """Normalised header -> canonical column for one dataset, as shipped."""
    spec = column_spec(dataset)
    pairs = spec[["column", "aliases"]].explode("aliases").rename(columns={"aliases": "alias"})
    own = _self_aliases(spec, "column", ("column",))
    return _alias_map(pd.concat([own, pairs]), "column", "alias")
