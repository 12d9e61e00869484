"""SDG indicator files in the Open SDG layout that the national SDG platforms of the region use
(``analysis import opensdg FILE...``): ``Year, SeriesCode, GeoAreaName, <disaggregations...>,
Value`` (and, where given, ``Units``, ``Nature``, ``Observation status``).

Country names are the UN's (through the vocabulary); regions are set aside and counted.
Disaggregations ("Sex", "Migratory status", "Activity"...) become the breakdown, their totals
(``_T``, ``BOTHSEX``, ``TOTAL``, blank) the breakdown ``total``. An exact duplicate row (the
files have some) is read once; two different values for one figure are both set aside and
reported. A series whose code the project declares (``data/labour_indicators.csv``: 8.8.2,
8.3.1, 8.8.1) goes to the labour-standards table; 17.3.2 (``BX_TRF_PWKR``, the World Bank's
remittances in % of GDP) to the migration table. The files carry no release date: the vintage
given with ``--vintage`` (or none) is recorded.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.ingest.ilostat import _breakdown, flags
from analysis.ingest.publishers import ImportResult, PublisherFormatError, number_cells, provenance
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary

SOURCE = "sdg_db"
NAME = "UN SDG Global Database (Open SDG extract)"
MIGRATION_SERIES = {"BX_TRF_PWKR": ("remittances_gdp_pct", "pct_gdp")}  # 17.3.2
_FIXED = {"year", "seriescode", "geoareaname", "value", "units", "nature", "observation status",
          "geoareacode", "seriesdescription", "unit multiplier", "reporting type"}  # fmt: skip


def looks_like(path: Path, head: str) -> bool:
    first = head.splitlines()[0].casefold() if head else ""
    return "seriescode" in first and "geoareaname" in first


def _series_indicator(series: str) -> tuple[str, str, str]:
    """(table, indicator, unit) of an SDG series code."""
    if series in MIGRATION_SERIES:
        return ("migration", *MIGRATION_SERIES[series])
    for row in reference.read_table("labour_indicators").itertuples():
        if series in [c for c in row.sdg.split(";") if c]:
            return "labour_standards", row.code, row.unit
    return "labour_standards", series, "as published"


def read_opensdg(
    path: Path, file: str, vocab: Vocabulary | None = None, vintage: str | None = None
) -> list[tuple[pd.DataFrame, ImportResult]]:
    """One (rows, result) per series of the file and table it goes to."""
    vocab = vocab if vocab is not None else Vocabulary()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as exc:
        raise PublisherFormatError(f"{path.name}: not a readable CSV ({exc})") from exc
    columns = {c.casefold(): c for c in frame.columns}
    if not {"year", "seriescode", "geoareaname", "value"} <= set(columns):
        raise PublisherFormatError(
            f"{path.name}: not an Open SDG file (expected Year, SeriesCode, GeoAreaName, Value)"
        )
    parts = [frame[c] for c in frame.columns if c.casefold() not in _FIXED]
    values, missing = number_cells(frame[columns["value"]].tolist())
    nature = frame[columns["nature"]] if "nature" in columns else pd.Series("", index=frame.index)
    status_map = flags("sdg")
    figures = pd.DataFrame(
        {
            "area": frame[columns["geoareaname"]].str.strip(),
            "year": pd.to_numeric(frame[columns["year"]].str[:4], errors="coerce"),
            "series": frame[columns["seriescode"]].str.strip(),
            "breakdown": _breakdown(parts) if parts else "total",
            "value": values,
            "status": nature.str.strip().map(lambda c: status_map.get(c, c)),
            "row": frame.index + 2,
        }
    )
    figures["country"] = vocab.world_codes(figures["area"])
    figures["country"] = figures["country"].where(figures["country"] != reference.ALL_DESTINATIONS)
    aside = figures.loc[figures["country"].isna(), "area"].value_counts().to_dict()
    figures = figures.dropna(subset=["country", "year", "value"])
    figures = figures[figures["country"].isin(set(reference.countries()["iso3"]))]
    key = ["country", "year", "series", "breakdown"]
    figures = figures.drop_duplicates([*key, "value"])  # an exact duplicate is one figure
    clash = figures.duplicated(key, keep=False)
    for name, count in figures.loc[clash, "area"].value_counts().items():
        aside[f"{name} (two different values for one figure)"] = int(count)
    figures = figures[~clash]
    out = []
    for series, group in figures.groupby("series", sort=True):
        table, indicator, unit = _series_indicator(series)
        out.append(
            (
                _rows(group, table, indicator, unit, series, file, vintage),
                ImportResult(
                    source=SOURCE,
                    series=series,
                    indicator=indicator,
                    rows=len(group),
                    countries=sorted(set(group["country"]) & set(reference.mission_countries())),
                    aggregates_dropped=sum(v for k, v in aside.items()),
                    not_in_reference=[],
                    zeros=[],
                    years=[int(group["year"].min()), int(group["year"].max())],
                    last_updated=vintage,
                    file=file,
                    table=table,
                    set_aside={str(k): int(v) for k, v in aside.items()},
                    not_available=missing,
                ),
            )
        )
    if not out:
        raise PublisherFormatError(f"{path.name}: no value for a country of the project")
    return out


def _rows(group, table, indicator, unit, series, file, vintage) -> pd.DataFrame:
    common = {
        "country": group["country"],
        "year": group["year"].astype("int64"),
        "indicator": indicator,
        "value": group["value"].astype("float64"),
        "unit": unit,
        "source": f"{NAME} {series}" + (f" ({vintage})" if vintage else ""),
        "source_code": SOURCE,
        "source_updated": vintage,
        **provenance(file, group["row"]),
    }
    if table == "migration":
        estimate = group["status"].map({"estimate": "estimated", "modelled": "estimated"})
        return pd.DataFrame(
            common
            | {"partner": reference.ALL_DESTINATIONS, "no_data": False, "estimate_type": estimate}
        ).reset_index(drop=True)
    return pd.DataFrame(
        common
        | {
            "breakdown": group["breakdown"],
            "series": series,
            "source_type": "",
            "status": group["status"].fillna(""),
            "note": None,
        }
    ).reset_index(drop=True)
