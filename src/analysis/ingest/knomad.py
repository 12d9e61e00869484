"""World Bank/KNOMAD bilateral matrices, as KNOMAD publishes them (``analysis import knomad
FILE...``): the bilateral migration matrix (migrant stocks) and the bilateral remittance
matrix (US$ millions), any vintage (2013, 2016, 2017, 2018, 2021).

A matrix names countries only (World Bank spellings, through the vocabulary). Which way it
reads is said by its corner cell, e.g. "Destination country (across) - Source country (down)"
or "Remittance-receiving country (across) - Remittance-sending country (down)": the reader
follows it, whichever side is down. The year comes from the title ("... in 2021", "... for
2017") or the sheet name; the unit from the title ("millions of US$"). "World" rows and
columns are the totals; "Other North", "Other South" and the notes below the table are set
aside. Every figure is a **model estimate** (flagged ``estimated``).

Rows of the migration table: ``corridor_stock`` (country = origin, partner = destination,
``WLD`` for all destinations), ``immigrant_stock`` for all migrants in a country, and
``remittances_corridor_usd`` (country = the receiving country, partner = the sending one,
``WLD`` for all senders). Only corridors that touch a mission country are kept.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.ingest.publishers import ImportResult, PublisherFormatError, number_cells, provenance
from analysis.ingest.undesa import read_rows
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary

SOURCE = "knomad"
_ROLE = re.compile(r"([^()]*?)\(\s*(across|down)\s*\)", re.I)
_ORIGIN_WORDS = ("source", "origin", "sending")  # a migrant's side in a migration matrix
_DESTINATION_WORDS = ("destination", "host", "receiving")
_RECEIVING_WORDS = ("receiving", "recipient")  # a remittance matrix: who receives
_SENDING_WORDS = ("sending", "source")


INWARD_FLOWS = (
    "KNOMAD inward remittance flows (each country's total by year, not a bilateral matrix): "
    "the World Bank's reported totals come from WDI (analysis import wdi, BX.TRF.PWKR.CD.DT)"
)


def is_inward_flows(head: str) -> bool:
    """KNOMAD's table of inward remittance flows by year (a total, not a corridor)."""
    return head.lstrip().casefold().startswith("remittance inflows")


def looks_like(path: Path, head: str) -> bool:
    folded = head.casefold()
    return "(across)" in folded and "(down)" in folded


def _corner(rows: list[list[str]]) -> tuple[int, dict[str, str]] | None:
    """The header row and the role of each direction ('across' / 'down' -> its words)."""
    for i, row in enumerate(rows[:15]):
        for cell in row[:2]:
            roles = {m[2].casefold(): m[1].strip(" -–—\n").casefold() for m in _ROLE.finditer(cell)}
            if {"across", "down"} <= set(roles):
                return i, roles
    return None


def _kind(title: str) -> str:
    folded = title.casefold()
    if "remittance" in folded:
        return "remittances"
    if "migra" in folded:
        return "migration"
    raise PublisherFormatError("the title says neither migrant stocks nor remittances")


def _year(title: str, sheet: str, name: str) -> int:
    for text in (title, sheet, name):
        found = re.findall(r"\b((?:19|20)\d{2})\b", text)
        if found:
            return int(found[0])
    raise PublisherFormatError("no year in the title, the sheet name or the file name")


def _has(words: str, choices: tuple[str, ...]) -> bool:
    return any(w in words for w in choices)


def parse_matrix(
    rows: list[list[str]], sheet: str, file_name: str, vocab: Vocabulary
) -> tuple[pd.DataFrame, dict[str, int], int, str, int] | None:
    """(figures: row_code, column_code, value, row; names set aside; not-available count; kind;
    year) of one sheet, with 'row'/'column' turned into origin/destination (or receiving/
    sending) by the corner cell; None for a sheet that is no matrix."""
    found = _corner(rows)
    if found is None:
        return None
    header_at, roles = found
    title = " ".join(c for r in rows[:header_at] for c in r if c) or sheet
    kind = _kind(title + " " + sheet + " " + file_name)
    year = _year(title, sheet, file_name)
    millions = 1e6 if kind == "remittances" and re.search(r"million", title, re.I) else 1.0
    header = rows[header_at]
    columns = pd.Series(header[1:], dtype="str")
    column_codes = vocab.world_codes(columns.where(columns.str.strip() != ""))
    body = rows[header_at + 1 :]
    labels = [row[0].strip() if row else "" for row in body]
    row_codes = vocab.world_codes(pd.Series(labels, dtype="str"))  # every row name at once
    records, aside, missing = [], {}, 0
    for offset, (row, label, code) in enumerate(zip(body, labels, row_codes, strict=True)):
        values, not_available = number_cells((row + [""] * len(header))[1 : len(header)])
        if not label or all(v is None for v in values):
            continue  # a blank line or a note below the table
        if pd.isna(code):
            aside[label] = aside.get(label, 0) + sum(v is not None for v in values)
            continue
        missing += not_available
        for column, column_name, value in zip(column_codes, columns, values, strict=True):
            if value is None:
                continue
            if pd.isna(column):
                if column_name.strip():
                    aside[column_name.strip()] = aside.get(column_name.strip(), 0) + 1
                continue
            records.append(
                {
                    "down": code,
                    "across": column,
                    "value": value * millions,
                    "row": header_at + 2 + offset,
                }
            )
    figures = pd.DataFrame(records, columns=["down", "across", "value", "row"])
    if kind == "migration":
        origin_down = _has(roles["down"], _ORIGIN_WORDS) and not _has(
            roles["down"], ("destination", "host")
        )
        first, second = ("origin", "destination") if origin_down else ("destination", "origin")
    else:
        receiving_down = _has(roles["down"], _RECEIVING_WORDS)
        first, second = ("receiving", "sending") if receiving_down else ("sending", "receiving")
    figures = figures.rename(columns={"down": first, "across": second})
    return figures, aside, missing, kind, year


def to_processed_rows(
    figures: pd.DataFrame, kind: str, year: int, file: str, vintage: str
) -> pd.DataFrame:
    mission = set(reference.mission_countries())
    world = reference.ALL_DESTINATIONS
    if kind == "migration":
        stock = figures[figures["origin"].ne(world)]
        stock = stock.assign(
            indicator="corridor_stock", country=stock["origin"], partner=stock["destination"]
        )
        stock = stock[stock["country"].isin(mission) | stock["partner"].isin(mission)]
        totals = figures[figures["origin"].eq(world) & figures["destination"].isin(mission)]
        totals = totals.assign(
            indicator="immigrant_stock", country=totals["destination"], partner=world
        )
        both, unit = pd.concat([stock, totals]), "persons"
        name = f"KNOMAD/World Bank Bilateral Migration Matrix {year}"
    else:
        flows = figures[figures["receiving"].ne(world)]
        flows = flows.assign(
            indicator="remittances_corridor_usd",
            country=flows["receiving"],
            partner=flows["sending"],
        )
        both = flows[flows["country"].isin(mission) | flows["partner"].isin(mission)]
        unit = "usd"
        name = f"KNOMAD/World Bank Bilateral Remittance Matrix {year}"
    rows = pd.DataFrame(
        {
            "country": both["country"],
            "partner": both["partner"],
            "year": year,
            "indicator": both["indicator"],
            "value": both["value"].astype("float64"),
            "unit": unit,
            "source": name + (f" ({vintage})" if vintage else ""),
            "source_code": SOURCE,
            "source_updated": vintage or None,
            "no_data": False,
            "estimate_type": "estimated",  # model estimates, as the publisher says
            **provenance(file, both["row"]),
        }
    )
    rows = rows[rows["country"] != rows["partner"]]
    return rows.sort_values(["country", "partner", "indicator"], ignore_index=True)


def _vintage(rows: list[list[str]]) -> str:
    """The release named in the file ('December 2022 Version', 'December 2022')."""
    text = " ".join(c for r in rows for c in r[:1] if c)
    found = re.search(
        r"((?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December)\s+(?:19|20)\d{2})",
        text,
    )
    return found[1] if found else ""


def read_knomad(
    path: Path, file: str, vocab: Vocabulary | None = None
) -> tuple[pd.DataFrame, ImportResult]:
    """Every matrix sheet of one KNOMAD file, as migration rows."""
    vocab = vocab if vocab is not None else Vocabulary()
    frames, aside, missing, kinds, years = [], Counter(), 0, set(), set()
    for sheet, rows in read_rows(path):
        parsed = parse_matrix(rows, sheet, path.name, vocab)
        if parsed is None:
            continue
        figures, sheet_aside, sheet_missing, kind, year = parsed
        if kind == "remittances":  # the senders' totals (to the whole world): not a corridor
            sent = int(figures["receiving"].eq(reference.ALL_DESTINATIONS).sum())
            if sent:
                sheet_aside["World (sent by each country)"] = sent
        frames.append(to_processed_rows(figures, kind, year, file, _vintage(rows)))
        missing += sheet_missing
        kinds.add(kind)
        years.add(year)
        aside.update(sheet_aside)
    if not frames:
        raise PublisherFormatError(
            f"{path.name}: no KNOMAD bilateral matrix (a corner cell that says which countries "
            "run across and which down)"
        )
    rows = pd.concat(frames, ignore_index=True)
    mission = set(reference.mission_countries())
    series = "_".join(sorted(kinds)) + "_" + "_".join(map(str, sorted(years)))
    result = ImportResult(
        source=SOURCE,
        series=f"bilateral_{series}",
        indicator=", ".join(sorted(set(rows["indicator"]))),
        rows=len(rows),
        countries=sorted((set(rows["country"]) | set(rows["partner"])) & mission),
        aggregates_dropped=sum(aside.values()),
        not_in_reference=[],
        zeros=[],
        years=[min(years), max(years)],
        last_updated=rows["source_updated"].dropna().iloc[0]
        if rows["source_updated"].notna().any()
        else None,
        file=file,
        set_aside=dict(aside),
        not_available=missing,
    )
    return rows, result
