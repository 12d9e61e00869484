"""World Bank WDI files in, as the World Bank publishes them (``analysis import wdi FILE...``).

Layouts read:

* the "API_" CSV download: UTF-8 BOM, CRLF, preamble lines ("Data Source", "Last Updated
  Date"), a trailing comma on every line, years as columns; its ``Metadata_Country_`` file
  beside it tells countries from aggregates (aggregates have no Region);
* the Excel download (``.xls`` or ``.xlsx``): the same table below a preamble on the "Data"
  sheet, among metadata sheets ("Metadata - Countries" again tells aggregates);
* the long ``Country Name, Country Code, Year, Value`` layout (e.g. datahub.io's population),
  whose indicator comes from ``--indicator`` or the ``datapackage.json`` beside it.

Aggregates (World, regions, income groups) never become countries: they are dropped using the
metadata, or, without it, the shipped list ``data/wb_aggregates.csv``. Each series becomes rows
of the processed migration table (:mod:`.publishers`): source code ``wdi``, the file's
last-updated date, ``no_data`` for the zeros the World Bank publishes for "no data"
(``zero_means_missing`` in ``data/wdi_indicators.csv``), ``projected`` for the years a World
Population Prospects revision projects, and the publisher's file and row of every value. They
are stored under ``data/external/imported/migration/wdi/``, outside the read-only ``data/raw/``: a rerun
replaces the series instead of duplicating it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import storage
from analysis.ingest.publishers import (
    RECORDS,
    ImportReport,
    ImportResult,
    PublisherFormatError,
    expand,
    not_data,
    provenance,
    provenance_name,
    series_path,
    write_series,
)
from analysis.vocab import reference

SOURCE = "wdi"  # the World Bank WDI's code in the source registry (data/sources.csv)
_CODE = re.compile(r"\b([A-Z]{2}\.[A-Z0-9]+(?:\.[A-Z0-9]+){1,4})\b")


class WdiFormatError(PublisherFormatError):
    """A file that is not a recognisable WDI download; the message says what was expected."""


@dataclass
class WdiSeries:
    """One indicator read from one WDI file, in long format."""

    indicator_code: str
    indicator_name: str
    last_updated: str | None  # ISO date
    values: pd.DataFrame  # country_code, country_name, year, value, source_row (NA rows dropped)
    aggregates: set[str] = field(default_factory=set)
    source_file: str = ""
    source_organization: str | None = None  # the indicator metadata's SOURCE_ORGANIZATION

    @property
    def first_projected_year(self) -> int | None:
        """The first year that is a projection, not an estimate: a series from the UN World
        Population Prospects (WPP) holds estimates up to the year before its revision
        ('World Population Prospects: 2022 Revision' estimates 1950-2021) and projections
        after; None for a series whose metadata names no such source."""
        found = _WPP.search(self.source_organization or "")
        return int(found[1]) if found else None


_WPP = re.compile(r"World Population Prospects\W*(?:the\s*)?(\d{4})\s*Revision", re.IGNORECASE)


def _source_organization(frame: pd.DataFrame) -> str | None:
    """SOURCE_ORGANIZATION of a WDI indicator-metadata table (first row), if any."""
    columns = {str(c).strip().upper(): c for c in frame.columns}
    column = columns.get("SOURCE_ORGANIZATION")
    if column is None or frame.empty:
        return None
    value = frame[column].dropna()
    return str(value.iloc[0]).strip() if len(value) else None


def _indicators() -> pd.DataFrame:
    return reference.read_table("wdi_indicators").set_index("wdi_code")


def _excel_date(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    try:
        serial = float(value)
    except (TypeError, ValueError):
        return str(value).strip()[:10]
    return (dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))).isoformat()


def _from_rows(rows: list[list[object]], path: Path, indicator: str | None) -> WdiSeries:
    """Parse a WDI table given as rows of cells (CSV or a sheet), wide or long."""
    header_at = next(
        (i for i, r in enumerate(rows[:30]) if r and str(r[0]).strip() == "Country Name"), None
    )
    if header_at is None:
        raise WdiFormatError(f"{path.name}: no 'Country Name' header in the first 30 rows")
    last_updated = None
    for row in rows[:header_at]:
        if row and str(row[0]).strip() == "Last Updated Date" and len(row) > 1:
            last_updated = _excel_date(row[1])
    header = [str(c).strip() for c in rows[header_at]]
    body = pd.DataFrame(
        [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows[header_at + 1 :]],
        columns=header,
    )
    body = body.loc[:, [c for c in body.columns if c]]  # the trailing comma's empty column
    body["source_row"] = range(header_at + 2, header_at + 2 + len(body))  # 1-based, as in the file
    if {"Year", "Value"} <= set(body.columns):  # long layout
        code = indicator or _indicator_from_package(path)
        long = body.rename(
            columns={
                "Country Code": "country_code",
                "Country Name": "country_name",
                "Year": "year",
                "Value": "value",
            }
        )
        name = code
    else:
        if "Indicator Code" not in body.columns:
            raise WdiFormatError(
                f"{path.name}: neither year columns with 'Indicator Code' nor Year/Value"
            )
        codes = body["Indicator Code"].dropna().astype(str).str.strip().unique()
        if len(codes) != 1:
            raise WdiFormatError(f"{path.name}: expected one indicator, found {list(codes)[:5]}")
        code, name = codes[0], str(body["Indicator Name"].iloc[0]).strip()
        years = [c for c in body.columns if re.fullmatch(r"\d{4}", c)]
        long = body.melt(
            id_vars=["Country Name", "Country Code", "source_row"],
            value_vars=years,
            var_name="year",
            value_name="value",
        ).rename(columns={"Country Code": "country_code", "Country Name": "country_name"})
    long["value"] = pd.to_numeric(long["value"].replace("", None), errors="coerce")
    long["year"] = pd.to_numeric(long["year"], errors="coerce").astype("Int64")
    long = long.dropna(subset=["value", "year"])
    long["country_code"] = long["country_code"].astype(str).str.strip()
    return WdiSeries(
        code,
        name,
        last_updated,
        long[["country_code", "country_name", "year", "value", "source_row"]].reset_index(
            drop=True
        ),
        source_file=path.name,
    )


def _indicator_from_package(path: Path) -> str:
    package = path.parent / "datapackage.json"
    if package.exists():
        known = set(_indicators().index)
        found = [c for c in _CODE.findall(package.read_text(encoding="utf-8")) if c in known]
        if found:
            return found[0]
    raise WdiFormatError(f"{path.name}: long layout without an indicator; pass --indicator CODE")


def _aggregates_from_metadata(frame: pd.DataFrame) -> set[str]:
    """Codes with a blank Region in a WDI country-metadata table are aggregates."""
    region = frame["Region"].fillna("").astype(str).str.strip()
    return set(frame.loc[region == "", "Country Code"].astype(str).str.strip())


def read_wdi(path: str | Path, indicator: str | None = None) -> WdiSeries:
    """Read one WDI file (API CSV, .xls/.xlsx download or long CSV)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".xls", ".xlsx"}:
        try:  # calamine reads both the legacy .xls and .xlsx (pandas' recommended engine)
            sheets = pd.read_excel(
                path, sheet_name=None, header=None, dtype=object, engine="calamine"
            )
        except Exception as exc:
            raise WdiFormatError(f"{path.name}: not a readable {suffix} workbook ({exc})") from exc
        data = next(
            (
                s
                for s in sheets.values()
                if (s.iloc[:30, 0].astype(str).str.strip() == "Country Name").any()
            ),
            None,
        )
        if data is None:
            raise WdiFormatError(f"{path.name}: no sheet with a 'Country Name' header")
        rows = data.astype(object).where(data.notna(), "").to_numpy().tolist()
        series = _from_rows(rows, path, indicator)
        meta = next(
            (
                s
                for name, s in sheets.items()
                if "countr" in name.lower() and "meta" in name.lower()
            ),
            None,
        )
        if meta is not None:
            meta.columns = [str(c).strip() for c in meta.iloc[0]]
            series.aggregates = _aggregates_from_metadata(meta.iloc[1:])
        about = next(
            (s for n, s in sheets.items() if "indicator" in n.lower() and "meta" in n.lower()),
            None,
        )
        if about is not None and len(about):
            about.columns = [str(c).strip() for c in about.iloc[0]]
            series.source_organization = _source_organization(about.iloc[1:])
    elif suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        series = _from_rows(rows, path, indicator)
        meta_path = path.with_name("Metadata_Country_" + path.name)
        if path.name.startswith("API_") and meta_path.exists():
            series.aggregates = _aggregates_from_metadata(
                pd.read_csv(meta_path, encoding="utf-8-sig", dtype=str)
            )
        about_path = path.with_name("Metadata_Indicator_" + path.name)
        if path.name.startswith("API_") and about_path.exists():
            series.source_organization = _source_organization(
                pd.read_csv(about_path, encoding="utf-8-sig", dtype=str, index_col=False)
            )
    else:
        raise WdiFormatError(f"{path.name}: expected .csv, .xls or .xlsx")
    if not series.aggregates:
        series.aggregates = set(reference.read_table("wb_aggregates")["code"])
    return series


def to_processed_rows(series: WdiSeries, file: str) -> tuple[pd.DataFrame, ImportResult]:
    """The series as rows of the processed migration table (country ISO3, partner WLD, the
    indicator, value, unit, source ``wdi`` with its last update, the no-data and projection
    flags, the publisher's file and row) and what the import kept and set aside."""
    table = _indicators()
    if series.indicator_code not in table.index:
        raise WdiFormatError(
            f"{series.source_file}: indicator {series.indicator_code} is not mapped; known: {', '.join(table.index)}"
        )
    spec = table.loc[series.indicator_code]
    known = set(reference.countries()["iso3"]) - {reference.ALL_DESTINATIONS}
    values = series.values
    is_aggregate = values["country_code"].isin(series.aggregates)
    in_reference = values["country_code"].isin(known)
    kept = values[in_reference & ~is_aggregate]
    estimate = pd.Series(None, index=kept.index, dtype="str")
    first_projected = series.first_projected_year
    if first_projected is not None:  # flagged on import: never shown as a measured value
        estimate = estimate.where(kept["year"] < first_projected, "projected")
    no_data = kept["value"].eq(0) & (spec["zero_means_missing"] == "true")
    rows = pd.DataFrame(
        {
            "country": kept["country_code"],
            "partner": reference.ALL_DESTINATIONS,
            "year": kept["year"].astype("int64"),
            "indicator": spec["indicator"],
            "value": kept["value"].astype("float64"),
            "unit": spec["unit"],
            "source": f"World Bank WDI {series.indicator_code}",
            "source_code": SOURCE,
            "source_updated": series.last_updated,
            "no_data": no_data,
            "estimate_type": estimate,
            **provenance(file, kept["source_row"]),
        }
    ).sort_values(["country", "year"], ignore_index=True)
    result = ImportResult(
        source=SOURCE,
        series=series.indicator_code,
        indicator=spec["indicator"],
        rows=len(rows),
        countries=sorted(rows["country"].unique()),
        aggregates_dropped=int(is_aggregate.sum()),
        not_in_reference=sorted(values.loc[~in_reference & ~is_aggregate, "country_code"].unique()),
        zeros=[
            {"country": c, "year": int(y)}
            for c, y in rows.loc[rows["no_data"], ["country", "year"]].itertuples(index=False)
        ],
        years=[int(rows["year"].min()), int(rows["year"].max())] if len(rows) else [],
        last_updated=series.last_updated,
        file=file,
        projected_from=first_projected,
    )
    return rows, result


def _store(series: WdiSeries, external_dir: str | Path, file: str) -> ImportResult:
    rows, result = to_processed_rows(series, file)
    return write_series(rows, result, external_dir)


def import_wdi(
    paths: list[str | Path],
    external_dir: str | Path = "data/external",
    indicator: str | None = None,
    within: str | None = None,
) -> ImportReport:
    """Import WDI files, folders, globs or zipped downloads into
    ``external_dir/imported/migration/wdi/<CODE>.parquet`` (one table per series). Metadata files are
    recognised and skipped with a note; a file that fails is reported and the others are still
    imported. ``within``: the zip the paths were unpacked from (named in the provenance)."""
    report = ImportReport()
    for path in expand(paths):
        shown = f"{within}:{path.name}" if within else path.name
        why = not_data(path, {".csv", ".xls", ".xlsx", ".zip"})
        if why:
            report.skipped.append((shown, why))
            continue
        try:
            if path.suffix.lower() == ".zip":
                report.extend(_import_zip(path, external_dir, indicator))
                continue
            series = read_wdi(path, indicator)
            file = f"{within}:{path.name}" if within else provenance_name(path, external_dir)
            result = _store(series, external_dir, file)
            result.file = shown
            report.imported.append(result)
        except (WdiFormatError, OSError, ValueError) as exc:
            report.failed.append((shown, str(exc)[:300]))
    return report


def _import_zip(path: Path, external_dir: str | Path, indicator: str | None) -> ImportReport:
    """A zipped World Bank download: its members imported like a folder."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    m
                    for m in archive.infolist()
                    if not m.is_dir() and "/" not in m.filename.strip("/") and m.file_size < 2**28
                ]
                for member in members:  # flat downloads only: no paths out of the folder
                    (Path(tmp) / member.filename).write_bytes(archive.read(member))
        except zipfile.BadZipFile as exc:
            raise WdiFormatError(f"{path.name}: not a readable zip file ({exc})") from exc
        return import_wdi(
            [Path(tmp)], external_dir, indicator, within=provenance_name(path, external_dir)
        )


# --------------------------------------------------------------------------- fetching

API_URL = (
    "https://api.worldbank.org/v2/country/{countries}/indicator/{code}?format=json&per_page=20000"
)
DEFAULT_FETCH = ("BX.TRF.PWKR.CD.DT", "BX.TRF.PWKR.DT.GD.ZS", "SM.POP.NETM", "SP.POP.TOTL")


class OfflineError(RuntimeError):
    """The World Bank API cannot be reached; nothing was changed."""


def api_to_series(payload: list, code: str) -> WdiSeries:
    """A WDI API v2 JSON response (``[page_info, records]``) as a series."""
    if not isinstance(payload, list) or len(payload) < 2 or payload[1] is None:
        message = (
            payload[0].get("message")
            if isinstance(payload, list) and payload and isinstance(payload[0], dict)
            else payload
        )
        raise WdiFormatError(f"unexpected World Bank API answer for {code}: {str(message)[:200]}")
    records = payload[1]
    values = pd.DataFrame(
        {
            "country_code": [r.get("countryiso3code") or r["country"]["id"] for r in records],
            "country_name": [r["country"]["value"] for r in records],
            "year": [int(r["date"]) for r in records],
            "value": [r["value"] for r in records],
            "source_row": range(1, len(records) + 1),  # the record's place in the API answer
        }
    ).dropna(subset=["value"])
    updated = payload[0].get("lastupdated")
    name = records[0]["indicator"]["value"] if records else code
    return WdiSeries(
        code,
        name,
        updated,
        values.reset_index(drop=True),
        set(reference.read_table("wb_aggregates")["code"]),
        source_file=f"api.worldbank.org {code}",
    )


def fetch_wdi(
    codes: list[str] | tuple[str, ...] = DEFAULT_FETCH,
    external_dir: str | Path = "data/external",
    opener=None,
    timeout: float = 20,
) -> ImportReport:
    """Download the series for the mission countries and main destinations, then import them.

    Every download is made before anything is written: offline, it fails at once with
    :class:`OfflineError` and changes nothing.
    """
    opener = opener or urllib.request.urlopen
    countries = ";".join(
        c for c in reference.countries()["iso3"] if c != reference.ALL_DESTINATIONS
    )
    payloads = {}
    for code in codes:
        url = API_URL.format(countries=countries, code=code)
        try:
            with opener(url, timeout=timeout) as response:
                payloads[code] = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OfflineError(
                f"cannot reach the World Bank API ({getattr(exc, 'reason', exc)}); nothing was changed. "
                "Offline, download the files from data.worldbank.org and use `analysis import wdi FILE...`."
            ) from exc
    report = ImportReport()
    for code, payload in payloads.items():
        series = api_to_series(payload, code)
        answer = series_path(external_dir, SOURCE, code).parent / RECORDS / f"api_{code}.json"
        storage.write_json(answer, payload)
        report.imported.append(_store(series, external_dir, f"api.worldbank.org {code}"))
    return report
