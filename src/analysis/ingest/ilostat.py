"""ILOSTAT files in, as the ILO publishes them (``analysis import ilostat FILE...``).

Three layouts are read:

* the **bulk CSV** (codes only: ``ref_area, indicator, source, sex, classif1, time, obs_value,
  obs_status, note_...``), plain or gzipped;
* the **data-explorer CSV** (the same columns as labels: ``ref_area.label``, ``sex.label``...);
* the **data-explorer Excel** download: title, definition and "Last update on ..." rows, then
  ``Reference area, Source type, [Sex,] Time`` and one column per breakdown, labels only.

Countries are read by ISO3 code or by name (through the vocabulary); aggregates (regions,
income groups) are set aside and counted. A total ("SEX_T", "..._TOTAL", "Total") is the
breakdown ``total``; the alternative classifications that each repeat the total are read once.
The publisher's status of a value (break in series, estimate, provisional...) and its notes are
kept. A series the project declares (``data/labour_indicators.csv``) takes its code there; any
other keeps ILOSTAT's code, so a series not shipped comes out as published.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.ingest.publishers import ImportResult, PublisherFormatError, number_cells
from analysis.ingest.undesa import read_rows
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary

SOURCE = "ilo"
_UPDATED = re.compile(r"last update on (\w+)", re.I)
_FILE_CODE = re.compile(
    r"([A-Z0-9]+(?:_[A-Z0-9]+)+?)(?:_[AQM])?(?:_EN|_FR|_ES)?\.(?:csv|xlsx|xls|gz)$"
)
LABOUR_COLUMNS = [
    "country",
    "year",
    "indicator",
    "breakdown",
    "value",
    "series",
    "source_type",
    "status",
    "note",
    "row",
]


def looks_like(path: Path, head: str) -> bool:
    folded = head.casefold()
    return "ref_area" in folded or "downloaded from ilostat" in folded


def indicators() -> pd.DataFrame:
    return reference.read_table("labour_indicators")


def indicator_of(series: str, title: str = "") -> tuple[str, str]:
    """(project indicator code, unit) of an ILOSTAT series, by its code or its title; an
    undeclared series keeps its own code and unit 'as published'."""
    base = re.sub(r"_[AQM]$", "", series.strip().upper())
    for row in indicators().itertuples():
        codes = [c for c in row.ilostat.split(";") if c]
        if base in codes or any(base.startswith(c) for c in codes):
            return row.code, row.unit
    folded = title.casefold()
    for row in indicators().itertuples():
        if any(t and t in folded for t in row.titles.split(";")):
            return row.code, row.unit
    return base or title.strip(), "as published"


def flags(publisher: str) -> dict[str, str]:
    table = reference.read_table("publisher_flags")
    table = table[table["publisher"] == publisher]
    return dict(zip(table["code"], table["flag"], strict=True))


def is_total(value: str) -> bool:
    text = str(value).strip()
    folded = text.casefold()
    return (
        not text
        or text.upper() in {"SEX_T", "_T", "T", "TOTAL", "BOTHSEX", "_Z"}
        or text.upper().endswith("_TOTAL")
        or folded in {"total", "sex: total", "both sexes", "value"}
        or folded.endswith(": total")
    )


def _breakdown(parts: list[pd.Series]) -> pd.Series:
    """The non-total parts of a row's breakdown, joined; 'total' when every part is a total."""
    cleaned = [
        p.fillna("").astype("str").str.strip().where(~p.fillna("").map(is_total), "") for p in parts
    ]
    if not cleaned:
        return pd.Series(dtype="str")  # the caller's rows have no breakdown: all totals
    joined = cleaned[0]
    for part in cleaned[1:]:
        joined = (joined + "; " + part).str.strip("; ")
    return joined.where(joined != "", "total")


def _countries(values: pd.Series, vocab: Vocabulary) -> pd.Series:
    """ISO3 codes as they are, names through the vocabulary; NA for aggregates."""
    known = reference.all_iso3()
    upper = values.astype("str").str.strip().str.upper()
    coded = upper.where(upper.isin(known)).fillna(vocab.world_codes(values.astype("str")))
    return coded.where(coded != reference.ALL_DESTINATIONS)  # the world is an aggregate here


def _from_long(frame: pd.DataFrame, labelled: bool, vocab: Vocabulary) -> tuple[pd.DataFrame, dict]:
    col = {c.removesuffix(".label"): c for c in frame.columns}
    get = lambda name: frame[col[name]] if name in col else pd.Series("", index=frame.index)  # noqa: E731
    country = _countries(get("ref_area"), vocab)
    classif = [get(c) for c in ("sex", "classif1", "classif2") if c in col]
    status_map = flags("ilostat")
    status = get("obs_status").fillna("").astype("str").str.strip()
    status = status.map(lambda s: status_map.get(s, s)) if not labelled else status.str.lower()
    notes = [get(c).fillna("").astype("str") for c in col if c.startswith("note_")]
    note = notes[0] if notes else pd.Series("", index=frame.index)
    for more in notes[1:]:
        note = (note + "; " + more).str.strip("; ")
    values, _missing = number_cells(get("obs_value").fillna("").astype("str").tolist())
    out = pd.DataFrame(
        {
            "country": country,
            "year": pd.to_numeric(get("time").astype("str").str[:4], errors="coerce"),
            "series": get("indicator").astype("str").str.strip(),
            "breakdown": _breakdown(classif) if classif else "total",
            "value": values,
            "source_type": get("source").fillna("").astype("str").str.strip(),
            "status": status,
            "note": note.where(note != "", None),
            "row": frame.index + 2,
        }
    )
    aside = get("ref_area")[country.isna()].value_counts().to_dict()
    return out.dropna(subset=["country", "year", "value"]), {
        str(k): int(v) for k, v in aside.items()
    }


def _from_explorer_sheet(rows: list[list[str]], name: str, vocab: Vocabulary):
    header_at = next(
        (i for i, r in enumerate(rows[:20]) if r and r[0].strip().casefold() == "reference area"),
        None,
    )
    if header_at is None:
        return None
    title = next((r[0] for r in rows[:header_at] if r and r[0].strip()), name)
    head = " ".join(c for r in rows[:header_at] for c in r if c)
    updated = _UPDATED.search(head)
    header = [c.strip() for c in rows[header_at]]
    folded = [c.casefold() for c in header]
    time_at = folded.index("time")
    sex_at = folded.index("sex") if "sex" in folded else None
    source_at = folded.index("source type") if "source type" in folded else None
    value_cols = [i for i in range(time_at + 1, len(header)) if header[i]]
    records = []
    for offset, row in enumerate(rows[header_at + 1 :]):
        row = row + [""] * (len(header) - len(row))
        if not row[0].strip() or not re.match(r"^\d{4}", row[time_at].strip()):
            continue
        values, _ = number_cells([row[i] for i in value_cols])
        for i, value in zip(value_cols, values, strict=True):
            if value is None:
                continue
            records.append(
                {
                    "area": row[0].strip(),
                    "year": int(row[time_at].strip()[:4]),
                    "sex": row[sex_at] if sex_at is not None else "",
                    "column": header[i],
                    "value": value,
                    "source_type": row[source_at].strip() if source_at is not None else "",
                    "row": header_at + 2 + offset,
                }
            )
    frame = pd.DataFrame(records)
    if frame.empty:
        return None
    frame["country"] = _countries(frame["area"], vocab)
    aside = frame.loc[frame["country"].isna(), "area"].value_counts().to_dict()
    frame["breakdown"] = _breakdown([frame["sex"], frame["column"]])
    code = _FILE_CODE.search(name)
    series = code[1] if code else title
    out = frame.assign(series=series, status="", note=None)
    out = out[
        LABOUR_COLUMNS[:2]
        + ["series", "breakdown", "value", "source_type", "status", "note", "row"]
    ]
    return (
        out.dropna(subset=["country"]),
        {str(k): int(v) for k, v in aside.items()},
        title,
        (updated[1] if updated else None),
    )


def to_processed_rows(
    figures: pd.DataFrame, title: str, updated: str | None, file: str
) -> pd.DataFrame:
    codes = {s: indicator_of(s, title) for s in figures["series"].unique()}
    release = f" (last update {updated})" if updated else ""
    rows = pd.DataFrame(
        {
            "country": figures["country"],
            "year": figures["year"].astype("int64"),
            "indicator": figures["series"].map(lambda s: codes[s][0]),
            "breakdown": figures["breakdown"],
            "value": figures["value"].astype("float64"),
            "unit": figures["series"].map(lambda s: codes[s][1]),
            "source": "ILOSTAT " + figures["series"] + release,
            "source_code": SOURCE,
            "series": figures["series"],
            "source_type": figures["source_type"].fillna(""),
            "source_updated": updated,
            "status": figures["status"].fillna(""),
            "note": figures["note"],
            "n_reports": 1,
            "sources": file + ":" + figures["row"].astype("str"),
            "source_file": file,
            "source_row": figures["row"].astype("int64"),
            "is_synthetic": False,
        }
    )
    # alternative classifications repeat the total: one row each (the first as published)
    return rows.drop_duplicates(
        ["country", "year", "indicator", "breakdown", "source", "series", "source_type"]
    ).reset_index(drop=True)


def read_ilostat(
    path: Path, file: str, vocab: Vocabulary | None = None
) -> tuple[pd.DataFrame, ImportResult]:
    vocab = vocab if vocab is not None else Vocabulary()
    frames, aside, titles, updated = [], {}, [], None
    if path.suffix.lower() in {".csv", ".gz"}:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        columns = {c.removesuffix(".label") for c in frame.columns}
        if not {"ref_area", "time", "obs_value"} <= columns:
            raise PublisherFormatError(
                f"{path.name}: not an ILOSTAT CSV (expected ref_area, time and obs_value columns)"
            )
        labelled = any(c.endswith(".label") for c in frame.columns)
        figures, aside = _from_long(frame, labelled, vocab)
        if labelled and "indicator.label" in frame.columns:
            titles.append(str(frame["indicator.label"].iloc[0]) if len(frame) else "")
        frames.append(figures)
    else:
        for sheet, rows in read_rows(path):
            found = _from_explorer_sheet(rows, path.name if len(rows) else sheet, vocab)
            if found is None:
                continue
            figures, sheet_aside, title, updated = found
            frames.append(figures)
            titles.append(title)
            aside.update(sheet_aside)
    if not frames or all(f.empty for f in frames):
        raise PublisherFormatError(
            f"{path.name}: no ILOSTAT table (a bulk or explorer CSV with ref_area/time/obs_value, "
            "or an explorer workbook with 'Reference area' and 'Time' columns)"
        )
    figures = pd.concat(frames, ignore_index=True)
    rows = to_processed_rows(figures, " ".join(titles), updated, file)
    ours = rows["country"].isin(set(reference.countries()["iso3"]))  # mission and destinations
    outside = sorted(rows.loc[~ours, "country"].unique())
    rows = rows[ours].reset_index(drop=True)
    result = ImportResult(
        source=SOURCE,
        series="_".join(sorted(rows["series"].unique()))[:80] or path.stem,
        indicator=", ".join(sorted(rows["indicator"].unique())),
        rows=len(rows),
        countries=sorted(set(rows["country"]) & set(reference.mission_countries())),
        aggregates_dropped=sum(aside.values()),
        not_in_reference=outside,
        zeros=[],
        years=[int(rows["year"].min()), int(rows["year"].max())] if len(rows) else [],
        last_updated=updated,
        file=file,
        table="labour_standards",
        set_aside=aside,
    )
    return rows, result
