"""UN DESA International Migrant Stock by origin and destination, as the UN publishes it
(``analysis import undesa FILE...``): the workbook (``.xlsx``) or a CSV save of its table.

Two table layouts are read, whatever the revision (2015, 2017, 2019, 2020, 2024):

* **matrix** (Table 1 of the 2015-2020 revisions): preamble rows, a header row naming the
  destination column, its UN code (``Code`` / ``Location code``) and the type of data, origins
  across (by name: "Total", "Other South", "Afghanistan"...), years stacked down in a ``Year``
  column or named in the table's title;
* **long** (the 2024 revision): one row per destination and origin, each with its UN code, and
  one column per year (the first block of years is both sexes).

Destinations are read by their UN M49 code; origins by name (the UN's spellings, through the
vocabulary). Regions and other aggregates are set aside and counted; ``..`` (not available)
and empty cells give no figure (never a zero). Each figure becomes a row of the migration table:
``corridor_stock`` with country = origin and partner = destination (partner ``WLD`` for the
origin's migrants in the whole world), ``immigrant_stock`` for all migrants living in a country.
Only corridors that touch a mission country are kept. A type of data ``I`` (imputed) is
flagged ``estimated``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.ingest.publishers import ImportResult, PublisherFormatError, number_cells, provenance
from analysis.ingest.xlsx import _cell_text
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary

SOURCE = "un_desa"
_YEAR = re.compile(r"^(19|20)\d{2}$")
_REVISION = re.compile(
    r"(?:International Migrant Stock|MigrantStock\w*?_?)\D{0,3}((?:19|20)\d{2})", re.I
)
_WORLD_CODE = "900"


def _text(value: object) -> str:
    """A workbook cell as text, as the partner readers read one (an empty cell: '')."""
    return "" if isinstance(value, float) and pd.isna(value) else _cell_text(value).strip()


def read_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(sheet or file name, rows of text cells) of every table in the file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        return [(path.name, [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))])]
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        try:
            sheets = pd.read_excel(
                path, sheet_name=None, header=None, dtype=object, engine="calamine"
            )
        except Exception as exc:
            raise PublisherFormatError(f"{path.name}: not a readable workbook ({exc})") from exc
        return [
            (name, [[_text(v) for v in row] for row in frame.itertuples(index=False)])
            for name, frame in sheets.items()
        ]
    raise PublisherFormatError(f"{path.name}: expected .csv or .xlsx")


def looks_like(path: Path, head: str) -> bool:
    """Whether the first rows read like a UN DESA migrant-stock table."""
    folded = head.casefold()
    return "migrant stock" in folded and "origin" in folded and "destination" in folded


def _title(rows: list[list[str]], header_at: int) -> str:
    return " ".join(c for r in rows[:header_at] for c in r if c)


def _both_sexes(title: str) -> bool:
    folded = title.casefold()
    return not re.search(r"\b(males?|females?|men|women)\b", folded) or "both sexes" in folded


def _header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:40]):
        folded = [c.casefold() for c in row]
        if any(
            c in {"code", "location code", "country code"} or "code of destination" in c
            for c in folded
        ) and any("destination" in c for c in folded):
            return i
    return None


def parse_table(
    rows: list[list[str]], name: str, vocab: Vocabulary
) -> tuple[pd.DataFrame, dict[str, int], int]:
    """(long figures: origin, destination, year, value, estimated, row; names set aside with
    counts; values marked not available) of one table; an empty frame when the table is not
    one of the two layouts (e.g. a notes sheet)."""
    header_at = _header(rows)
    empty = pd.DataFrame(columns=["origin", "destination", "year", "value", "estimated", "row"])
    if header_at is None:
        return empty, {}, 0
    title = _title(rows, header_at)
    if not _both_sexes(title):
        return empty, {}, 0
    header = [c.casefold() for c in rows[header_at]]
    origin_at = next((i for i, c in enumerate(header) if "origin" in c and "code" not in c), None)
    dest_at = next(i for i, c in enumerate(header) if "destination" in c and "code" not in c)
    code_at = next(
        i
        for i, c in enumerate(header)
        if c in {"code", "location code", "country code"} or "code of destination" in c
    )
    type_at = next(
        (i for i, c in enumerate(header) if c.startswith("type of data") and "origin" not in c),
        None,
    )
    origin_code_at = next((i for i, c in enumerate(header) if "code of origin" in c), None)
    years_at = [i for i, c in enumerate(rows[header_at]) if _YEAR.match(c)]
    if origin_code_at is not None and years_at:
        return _long(
            rows, header_at, dest_at, code_at, origin_at, origin_code_at, type_at, years_at, vocab
        )
    return _matrix(rows, header_at, header, title, dest_at, code_at, type_at, vocab)


def _origins_row(rows: list[list[str]], header_at: int) -> int:
    """The row that names the origins: the header itself or the row below it (merged cells)."""
    for i in (header_at, header_at + 1):
        if i < len(rows) and any(c.casefold() == "total" for c in rows[i]):
            return i
    raise PublisherFormatError("no row naming the origins ('Total', then the countries of origin)")


def _matrix(rows, header_at, header, title, dest_at, code_at, type_at, vocab):
    names_at = _origins_row(rows, header_at)
    names = rows[names_at]
    first = next(i for i, c in enumerate(names) if c.casefold() == "total")
    origin_names = pd.Series(names[first:], dtype="str")
    origin_codes = vocab.world_codes(origin_names)
    year_at = next((i for i, c in enumerate(header) if c == "year"), None)
    title_years = re.findall(r"\b((?:19|20)\d{2})\b", title)
    body = rows[names_at + 1 :]
    records, aside, missing = [], {}, 0
    for offset, row in enumerate(body):
        if len(row) <= code_at or not row[code_at].strip().isdigit():
            continue
        year = row[year_at] if year_at is not None else (title_years[-1] if title_years else "")
        if not _YEAR.match(year.strip()):
            continue
        cells = (row + [""] * len(names))[first : first + len(origin_names)]
        values, not_available = number_cells(cells)
        missing += not_available
        estimated = "I" in set((row[type_at] if type_at is not None else "").upper())
        for code, value, label in zip(origin_codes, values, origin_names, strict=True):
            if value is None:
                continue
            records.append(
                {
                    "origin": "TOTAL" if label.casefold() == "total" else code,
                    "origin_name": label,
                    "destination_code": str(int(row[code_at])),
                    "destination_name": row[dest_at],
                    "year": int(year),
                    "value": value,
                    "estimated": estimated,
                    "row": names_at + 2 + offset,
                }
            )
    return _resolve(records, aside), aside, missing


def _long(rows, header_at, dest_at, code_at, origin_at, origin_code_at, type_at, years_at, vocab):
    header = rows[header_at]
    seen, first_block = set(), []
    for i in years_at:  # the first block of years: both sexes
        if header[i] in seen:
            break
        seen.add(header[i])
        first_block.append(i)
    records, aside, missing = [], {}, 0
    for offset, row in enumerate(rows[header_at + 1 :]):
        if len(row) <= max(code_at, origin_code_at) or not row[code_at].strip().isdigit():
            continue
        values, not_available = number_cells([row[i] if i < len(row) else "" for i in first_block])
        missing += not_available
        origin_code = row[origin_code_at].strip()
        estimated = "I" in set((row[type_at] if type_at is not None else "").upper())
        for i, value in zip(first_block, values, strict=True):
            if value is None:
                continue
            records.append(
                {
                    "origin": None,
                    "origin_code": str(int(origin_code)) if origin_code.isdigit() else "",
                    "origin_name": row[origin_at] if origin_at is not None else "",
                    "destination_code": str(int(row[code_at])),
                    "destination_name": row[dest_at],
                    "year": int(header[i]),
                    "value": value,
                    "estimated": estimated,
                    "row": header_at + 2 + offset,
                }
            )
    return _resolve(records, aside), aside, missing


def _resolve(records: list[dict], aside: dict[str, int]) -> pd.DataFrame:
    """Codes and names to ISO3: M49 codes through the world table, 900 = the whole world;
    anything else (regions, 'Other South') is set aside and counted by name."""
    frame = pd.DataFrame(records)
    if frame.empty:
        return pd.DataFrame(columns=["origin", "destination", "year", "value", "estimated", "row"])
    world = reference.world_countries()
    by_m49 = dict(zip(world["m49"], world["iso3"], strict=True))
    by_m49[_WORLD_CODE] = reference.ALL_DESTINATIONS
    frame["destination"] = frame["destination_code"].map(by_m49)
    if "origin_code" in frame:
        coded = frame["origin_code"].map(by_m49)
        total = frame["origin_code"].eq(_WORLD_CODE)
        frame["origin"] = coded.where(~total, "TOTAL")
    for column, names in (("destination", "destination_name"), ("origin", "origin_name")):
        unknown = frame[column].isna()
        for name, count in frame.loc[unknown, names].value_counts().items():
            aside[str(name)] = aside.get(str(name), 0) + int(count)
    return frame.dropna(subset=["origin", "destination"])


def to_processed_rows(
    figures: pd.DataFrame, file: str, revision: str | None
) -> tuple[pd.DataFrame, ImportResult]:
    """Figures -> migration rows: corridors that touch a mission country."""
    mission = set(reference.mission_countries())
    world = reference.ALL_DESTINATIONS
    total = figures["origin"].eq("TOTAL")
    stock = figures[~total & figures["origin"].ne(world)]
    stock = stock[stock["origin"].isin(mission) | stock["destination"].isin(mission)]
    stock = stock.assign(
        indicator="corridor_stock", country=stock["origin"], partner=stock["destination"]
    )
    immigrants = figures[total & figures["destination"].isin(mission)]
    immigrants = immigrants.assign(
        indicator="immigrant_stock", country=immigrants["destination"], partner=world
    )
    both = pd.concat([stock, immigrants], ignore_index=True)
    name = (
        f"UN DESA International Migrant Stock {revision}"
        if revision
        else "UN DESA International Migrant Stock"
    )
    rows = pd.DataFrame(
        {
            "country": both["country"],
            "partner": both["partner"],
            "year": both["year"].astype("int64"),
            "indicator": both["indicator"],
            "value": both["value"].astype("float64"),
            "unit": "persons",
            "source": name,
            "source_code": SOURCE,
            "source_updated": revision,
            "no_data": False,
            "estimate_type": both["estimated"].map({True: "estimated", False: None}).astype("str"),
            **provenance(file, both["row"]),
        }
    ).sort_values(["country", "partner", "indicator", "year"], ignore_index=True)
    rows = rows.drop_duplicates(["country", "partner", "year", "indicator"], keep="first")
    result = ImportResult(
        source=SOURCE,
        series=f"migrant_stock_{revision or 'unknown'}",
        indicator="corridor_stock, immigrant_stock",
        rows=len(rows),
        countries=sorted(set(rows["country"]) & mission | set(rows["partner"]) & mission),
        aggregates_dropped=0,
        not_in_reference=[],
        zeros=[],
        years=[int(rows["year"].min()), int(rows["year"].max())] if len(rows) else [],
        last_updated=revision,
        file=file,
    )
    return rows.reset_index(drop=True), result


def revision_of(path: Path, rows: list[list[str]]) -> str | None:
    """The revision year: from the title rows ('International Migrant Stock 2019') or the name."""
    text = " ".join(c for r in rows[:20] for c in r if c)
    found = _REVISION.search(text + " " + path.name)
    if found:
        return found[1]
    named = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.stem)  # ..._2020.xlsx
    if named:
        return named[-1]
    spans = re.findall(r"(?:19|20)\d{2}\s*[-–]\s*((?:19|20)\d{2})", text)  # "1990-2020"
    return spans[-1] if spans else None


def read_undesa(
    path: Path, file: str, vocab: Vocabulary | None = None
) -> tuple[pd.DataFrame, ImportResult]:
    """Every both-sexes origin-by-destination table of one file, as migration rows."""
    vocab = vocab if vocab is not None else Vocabulary()
    tables = read_rows(path)
    frames, aside, missing, revision = [], Counter(), 0, None
    for _name, rows in tables:
        revision = revision or revision_of(path, rows)
        figures, table_aside, table_missing = parse_table(rows, _name, vocab)
        if len(figures):
            frames.append(figures)
            missing += table_missing
            aside.update(table_aside)
    if not frames:
        raise PublisherFormatError(
            f"{path.name}: no UN DESA migrant-stock table by origin and destination (a header "
            "with the destination, its code and the origins, both sexes)"
        )
    figures = pd.concat(frames, ignore_index=True)
    rows, result = to_processed_rows(figures, file, revision)
    result.set_aside, result.not_available = dict(aside), missing
    result.aggregates_dropped = sum(aside.values())
    return rows, result
