"""Regenerate ``src/analysis/data/world_countries.csv`` and ``world_country_aliases.csv``.

Every country or area a publisher's file can name (ISO 3166 via pycountry, with the World Bank's
and the UN's own codes for areas ISO leaves out), its UN M49 code, its names in English and in
Russian (CLDR, via Babel), and the spellings the publishers use: the World Bank's (harvested from
a WDI download: "Kyrgyz Republic", "Egypt, Arab Rep."), the UN's (harvested from a UN DESA
table: "Bolivia (Plurinational State of)", "China, Hong Kong SAR") and ISO's official and
common names. Run by hand when a publisher renames a country; the output is reviewed and
committed like any reference table:

    python tools/world_countries.py [--wdi API_...csv] [--undesa UN_MigrantStock...csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from pathlib import Path

import pycountry
from babel import Locale

DATA = Path(__file__).resolve().parents[1] / "src" / "analysis" / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
# Areas that ISO 3166-1 leaves out but publishers report: (iso3, iso2, m49, English name)
EXTRA = [
    ("XKX", "XK", "", "Kosovo"),
    ("CHI", "", "830", "Channel Islands"),
]
# Spellings no harvested file gives (renamed countries, short forms in other vintages)
MANUAL = {
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "CZE": ["Czech Republic", "Czechia"],
    "MKD": ["The former Yugoslav Republic of Macedonia", "North Macedonia", "Macedonia, FYR"],
    "SWZ": ["Swaziland", "Eswatini"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire", "Côte d’Ivoire"],
    "RUS": ["Russia"],
    "KOR": ["South Korea"],
    "MDA": ["Moldova"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "VNM": ["Vietnam", "Viet Nam"],
    "LAO": ["Laos"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "PSE": [
        "Palestine",
        "State of Palestine",
        "West Bank and Gaza",
        "Occupied Palestinian Territory",
    ],
    "NLD": ["Netherlands (Kingdom of the)"],
    "USA": ["United States", "USA"],
    "GBR": ["United Kingdom", "UK"],
    "FRO": ["Faeroe Islands", "Faroe Islands"],
    "PRK": ["North Korea", "Korea, Dem. Rep.", "Korea, Dem. People's Rep.", "Korea DPR"],
    "TLS": ["Timor-Leste", "East Timor"],
    "GNB": ["Guinea-Bissau"],
    "HKG": ["Hong Kong, China"],
    "MAC": ["Macau, China", "Macao, China", "China, Macao SAR"],
    "CUW": ["Curacao"],
    "STP": ["Sao Tome and Principe"],
}


def _territories(lang: str) -> dict[str, str]:
    return dict(Locale(lang).territories)


def world_table() -> list[dict]:
    en, ru = _territories("en"), _territories("ru")
    rows = []
    for c in pycountry.countries:
        rows.append(
            {
                "iso3": c.alpha_3,
                "iso2": c.alpha_2,
                "m49": str(int(c.numeric)),
                "name_en": en.get(c.alpha_2, c.name),
                "name_ru": ru.get(c.alpha_2, c.name),
            }
        )
    for iso3, iso2, m49, name in EXTRA:
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "m49": m49,
                "name_en": en.get(iso2, name) if iso2 else name,
                "name_ru": ru.get(iso2, name) if iso2 else name,
            }
        )
    return sorted(rows, key=lambda r: r["iso3"])


def _wdi_names(path: Path) -> list[tuple[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Country Name")
    return [(r[0], r[1]) for r in rows[header + 1 :] if len(r) > 1 and r[0]]


def _undesa_names(path: Path, by_m49: dict[str, str]) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    header = next(r for r in rows if "Code" in [c.strip() for c in r])
    code_at = [c.strip() for c in header].index("Code")
    name_at = next(i for i, c in enumerate(header) if "destination" in c.casefold())
    out = []
    for row in rows:
        if len(row) > code_at and re.fullmatch(r"\d{1,3}", row[code_at].strip()):
            iso3 = by_m49.get(str(int(row[code_at])))
            if iso3 and row[name_at].strip():
                out.append((row[name_at].strip().lstrip("*").strip(), iso3))
    return out


def aliases(table: list[dict], wdi: Path | None, undesa: Path | None) -> list[dict]:
    iso3s = {r["iso3"] for r in table}
    by_m49 = {r["m49"]: r["iso3"] for r in table if r["m49"]}
    pairs: list[tuple[str, str]] = []
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(c, attr, None):
                pairs.append((getattr(c, attr), c.alpha_3))
    for iso3, names in MANUAL.items():
        pairs += [(n, iso3) for n in names]
    if wdi and wdi.exists():
        pairs += [(name, code) for name, code in _wdi_names(wdi) if code in iso3s]
    if undesa and undesa.exists():
        pairs += _undesa_names(undesa, by_m49)
    seen: dict[str, str] = {}
    out = []
    for alias, iso3 in pairs:
        key = alias.strip().casefold()
        if not key or key in seen:
            continue
        seen[key] = iso3
        out.append({"alias": alias.strip(), "iso3": iso3})
    return sorted(out, key=lambda r: (r["iso3"], r["alias"]))


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--wdi",
        type=Path,
        default=SHARED / "wdi_net_migration_csv" / "API_SM.POP.NETM_DS2_en_csv_v2_3401672.csv",
    )
    parser.add_argument(
        "--undesa",
        type=Path,
        default=SHARED
        / "undesa_migrant_stock_2019"
        / "UN_MigrantStockByOriginAndDestination_2019.csv",
    )
    args = parser.parse_args()
    table = world_table()
    _write(DATA / "world_countries.csv", table)
    _write(DATA / "world_country_aliases.csv", aliases(table, args.wdi, args.undesa))
    print(f"{len(table)} countries and areas written to {DATA / 'world_countries.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
