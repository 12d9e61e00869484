"""Publishers' files as published: UN DESA, KNOMAD, ILOSTAT and Open SDG layouts of several
vintages (the shipped real files, and small files written here in the other layouts), into the
processed tables with their flags, through `analysis import <source>|auto`."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHARED_DATA
from openpyxl import Workbook

from analysis.ingest.importers import detect, import_files
from analysis.ingest.publishers import read_imported

PROJECT = Path(__file__).resolve().parents[1]
EXTERNAL = PROJECT / "data" / "external"
UNDESA = (
    EXTERNAL
    / "un_desa"
    / "undesa_migrant_stock_2019"
    / "UN_MigrantStockByOriginAndDestination_2019.csv"
)
KNOMAD = EXTERNAL / "knomad" / "knomad_bilateral_2021"
ILOSTAT = EXTERNAL / "ilostat"
OPENSDG = SHARED_DATA / "open_sdg_central_asia"


def _figures(external: Path, table: str = "migration") -> pd.DataFrame:
    return read_imported(external, table)


def _value(rows: pd.DataFrame, **where) -> float:
    mask = pd.Series(True, index=rows.index)
    for column, value in where.items():
        mask &= rows[column] == value
    [value] = rows.loc[mask, "value"].tolist()
    return value


# --------------------------------------------------------------------------- the shipped files


def test_shipped_un_desa_2019_table(tmp_path):
    report = import_files("undesa", [UNDESA], tmp_path / "external")
    assert not report.failed
    [result] = report.imported
    assert result.set_aside["Other South"] > 0 and "WORLD" not in result.set_aside
    rows = _figures(tmp_path / "external")
    stock = rows[rows["indicator"] == "corridor_stock"]
    assert _value(stock, country="KAZ", partner="RUS", year=2019) == 2_559_711
    assert _value(stock, country="UZB", partner="RUS", year=2019) == 1_146_535
    assert _value(stock, country="KAZ", partner="RUS", year=1990) == 2_349_697
    assert _value(stock, country="UZB", partner="KAZ", year=2019) == 294_395
    assert _value(rows, indicator="immigrant_stock", country="KAZ", year=2019) == 3_705_556
    assert set(rows["source_code"]) == {"un_desa"} and set(rows["source_updated"]) == {"2019"}
    assert rows["source_file"].str.endswith("UN_MigrantStockByOriginAndDestination_2019.csv").all()


def test_shipped_knomad_matrices_follow_their_corner_cells(tmp_path):
    report = import_files("knomad", [KNOMAD], tmp_path / "external")
    assert [n for n, _ in report.failed] == []
    assert any("inward remittance flows" in why for _, why in report.skipped)
    rows = _figures(tmp_path / "external")
    assert (rows["estimate_type"] == "estimated").all()  # model estimates, flagged
    stock = rows[rows["indicator"] == "corridor_stock"]
    assert _value(stock, country="KGZ", partner="RUS") == 591_025
    assert _value(stock, country="RUS", partner="KAZ") == 2_476_018
    money = rows[rows["indicator"] == "remittances_corridor_usd"]
    # sender down, receiver across: country = the receiving one, partner = the sender
    assert _value(money, country="TJK", partner="RUS") == pytest.approx(2_306.76e6, rel=1e-5)
    assert _value(money, country="KAZ", partner="RUS") == pytest.approx(184.20e6, rel=1e-4)
    assert _value(money, country="RUS", partner="KAZ") == pytest.approx(2_185.36e6, rel=1e-5)


def test_shipped_ilostat_bulk_and_explorer_files(tmp_path):
    report = import_files("auto", [ILOSTAT], tmp_path / "external")
    assert not report.failed and {s for _, s in report.recognised} == {"ilostat"}
    rows = _figures(tmp_path / "external", "labour_standards")
    informal = rows[(rows["series"] == "SDG_0831_SEX_ECO_RT") & (rows["breakdown"] == "total")]
    assert _value(informal, country="KGZ", year=2021) == pytest.approx(63.221)
    # the three alternative classifications repeat the total: read once
    assert len(informal[(informal["country"] == "KGZ") & (informal["year"] == 2021)]) == 1
    assert (
        informal.loc[(informal["country"] == "KGZ") & (informal["year"] == 2018), "status"].item()
        == "break in series"
    )
    fatal = rows[(rows["series"] == "INJ_FATL_SEX_MIG_RT") & (rows["breakdown"] == "total")]
    assert _value(fatal, country="BLR", year=2019) == pytest.approx(2.87)
    assert _value(fatal, country="KAZ", year=2017) == pytest.approx(4.3)
    by_activity = rows[(rows["series"] == "INJ_FATL_ECO_RT") & (rows["breakdown"] == "total")]
    assert _value(by_activity, country="KAZ", year=2017) == pytest.approx(4.8)  # kept apart
    inspectors = rows[rows["indicator"] == "inspectors"]
    assert _value(inspectors, country="UZB", year=2019, breakdown="Female") == 10
    assert set(rows["source_updated"].dropna()) == {"18APR21"}


@pytest.mark.skipif(not OPENSDG.is_dir(), reason="../shared/data is not present")
def test_open_sdg_files_with_their_duplicate_row(tmp_path):
    report = import_files("opensdg", [OPENSDG], tmp_path / "external", vintage="2024-03-18")
    assert not report.failed
    labour = _figures(tmp_path / "external", "labour_standards")
    score = labour[labour["indicator"] == "labour_rights_882"]
    assert _value(score, country="KAZ", year=2021) == pytest.approx(3.89)
    assert _value(score, country="UZB", year=2021) == pytest.approx(
        score.loc[(score["country"] == "UZB") & (score["year"] == 2021), "value"].iloc[0]
    )
    assert _value(score, country="TKM", year=2019) == pytest.approx(1.43)
    fatal = labour[labour["series"] == "SL_EMP_FTLINJUR"]
    assert _value(fatal, country="BLR", year=2021, breakdown="total") == pytest.approx(2.55)
    remit = _figures(tmp_path / "external")
    assert _value(remit, country="TJK", year=2020) == pytest.approx(26.68742)
    assert set(remit["source_updated"]) == {"2024-03-18"}


# --------------------------------------------------------------------------- other layouts


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_un_desa_2020_style_workbook_with_origins_in_the_header_row(tmp_path):
    header = ["Index", "Year", "Region, development group, country or area of destination", "Notes",
              "Location code", "Type of data", "Total", "Other South", "Other North",
              "Kyrgyzstan", "Tajikistan", "Russian Federation", "Sudan"]  # fmt: skip
    rows = [
        ["International migrant stock at mid-year by sex and by region, country or area of destination and origin, 1990-2020"],
        ["Table 1. Both sexes"], [], header,
        [1, 1990, "WORLD", None, 900, None, 1000, 10, 5, 400, 300, 200, 95],
        [2, 1990, "Russian Federation", None, 643, "B", 900, None, None, 350, 250, None, 1],
        [3, 2020, "Russian Federation", None, 643, "B", 1200, None, None, 600, 450, None, ".."],
        [4, 2020, "Kazakhstan", "7", 398, "B I", 80, None, None, 33, None, 40, None],
        [5, 2020, "Central Asia", None, 5500, None, 100, 1, 1, 50, 2, 40, 0],
    ]  # fmt: skip
    path = _xlsx(tmp_path / "undesa_ims_stock_by_sex_destination_and_origin_2020.xlsx",
                 {"Table 1": rows, "Table 2": [["Males"], ["Table 2. Males"]] + rows[3:]})  # fmt: skip
    assert detect(path) == "undesa"
    report = import_files("auto", [path], tmp_path / "external")
    assert not report.failed and report.recognised == [(path.name, "undesa")]
    figures = _figures(tmp_path / "external")
    stock = figures[figures["indicator"] == "corridor_stock"]
    assert _value(stock, country="KGZ", partner="RUS", year=2020) == 600
    assert _value(stock, country="KGZ", partner="KAZ", year=2020) == 33
    assert stock.loc[(stock["partner"] == "KAZ"), "estimate_type"].eq("estimated").all()  # type I
    assert _value(stock, country="TJK", partner="WLD", year=1990) == 300  # the world row
    assert stock[(stock["country"] == "TJK") & (stock["partner"] == "KAZ")].empty  # blank: no data
    assert "Central Asia" in report.imported[0].set_aside  # a region, set aside
    assert report.imported[0].not_available == 1  # the '..'
    assert set(figures["source_updated"]) == {"2020"}


def test_un_desa_2024_style_long_table(tmp_path):
    years = [1990, 2000, 2024]
    header = ["Index", "Region, development group, country or area of destination", "Notes of destination",
              "Location code of destination", "Type of Data of destination",
              "Region, development group, country or area of origin", "Location code of origin",
              *years, *years]  # fmt: skip
    rows = [
        ["International Migrant Stock 2024: Destination and origin"], [],
        [None] * 7 + ["Both sexes", None, None, "Males", None, None], header,
        [1, "Kazakhstan", None, 398, "B", "Uzbekistan", 860, 150000, 160000, 350000, 70000, 80000, 170000],
        [2, "Kazakhstan", None, 398, "B", "Other South", None, 5, 6, 7, 1, 1, 1],
        [3, "Türkiye", None, 792, "B", "Turkmenistan", 795, 100, "..", 9000, 50, 0, 4000],
        [4, "Germany", None, 276, "B", "Brazil", 76, 1, 1, 1, 1, 1, 1],
    ]  # fmt: skip
    path = _xlsx(
        tmp_path / "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx", {"Table 1": rows}
    )
    report = import_files("undesa", [path], tmp_path / "external")
    assert not report.failed
    stock = _figures(tmp_path / "external")
    assert _value(stock, country="UZB", partner="KAZ", year=2024) == 350000  # both sexes, not males
    assert _value(stock, country="TKM", partner="TUR", year=2024) == 9000
    assert stock[(stock["country"] == "TKM") & (stock["year"] == 2000)].empty  # '..': no data
    assert stock[stock["country"] == "BRA"].empty  # no mission country on either side
    assert set(stock["source"]) == {"UN DESA International Migrant Stock 2024"}


def test_un_desa_2015_style_csv_in_cp1252_with_the_year_in_the_title(tmp_path):
    lines = [
        ["", "Trends in International Migrant Stock: Migrants by Destination and Origin, 2015"],
        ["", "Table 16. Total migrant stock at mid-year by origin and by major area, region, country or area of destination, 2015"],
        ["Sort order", "Major area, region, country or area of destination", "Notes", "Country code", "Type of data (a)", "Total", "Belarus", "Côte d'Ivoire"],
        ["1", "Belarus", "", "112", "B", "1 076 000", "", ""],
        ["2", "Poland", "", "616", "C", "611,000", "83,000", "1,200"],
    ]  # fmt: skip
    path = tmp_path / "UN_MigrantStockByOriginAndDestination_2015.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows(lines)
    report = import_files("auto", [path], tmp_path / "external")
    assert not report.failed
    rows = _figures(tmp_path / "external")
    assert _value(rows, country="BLR", partner="POL", year=2015) == 83000
    assert _value(rows, indicator="immigrant_stock", country="BLR", year=2015) == 1_076_000
    assert rows[(rows["country"] == "CIV")].empty  # neither side a mission country


def test_knomad_matrix_with_destination_down_and_notes_below(tmp_path):
    rows = [
        ["Bilateral Migration Matrix 2013"],
        ["Source country (across) - Destination country (down)", "Tajikistan", "Kyrgyz Republic", "World"],
        ["Russian Federation", 800000, 600000, 1500000],
        ["Kazakhstan", 12000, None, 30000],
        ["Other South", 5, 6, 11],
        ["World", 900000, 700000, None],
        [],
        ["Note: KNOMAD/World Bank staff estimates based on UN Population Division"],
    ]  # fmt: skip
    path = _xlsx(
        tmp_path / "bilateral_migration_matrix_2013.xlsx", {"Bilateral_Migration_2013": rows}
    )
    report = import_files("knomad", [path], tmp_path / "external")
    assert not report.failed
    stock = _figures(tmp_path / "external")
    corridor = stock[stock["indicator"] == "corridor_stock"]
    assert _value(corridor, country="TJK", partner="RUS") == 800000  # origin across here
    assert _value(corridor, country="TJK", partner="KAZ") == 12000
    assert corridor[(corridor["country"] == "KGZ") & (corridor["partner"] == "KAZ")].empty
    assert _value(corridor, country="TJK", partner="WLD") == 900000
    assert set(corridor["year"]) == {2013} and report.imported[0].set_aside == {"Other South": 3}


def test_knomad_remittances_with_receivers_down(tmp_path):
    rows = [
        ["Bilateral Remittance Estimates for 2017 (US$ million)"],
        ["Remittance-sending country (across) Remittance-receiving country (down)", "Russian Federation", "Kazakhstan", "WORLD"],
        ["Uzbekistan", "4,300.5", "120", "4,500"],
        ["Tajikistan", 2500, 10, 2600],
    ]  # fmt: skip
    path = _xlsx(
        tmp_path / "bilateral_remittance_matrix_2017.xlsx", {"Bilateral Remittances 2017": rows}
    )
    import_files("knomad", [path], tmp_path / "external")
    money = _figures(tmp_path / "external")
    assert _value(money, country="UZB", partner="RUS") == pytest.approx(4300.5e6)
    assert _value(money, country="TJK", partner="KAZ") == pytest.approx(10e6)
    assert set(money["year"]) == {2017} and set(money["unit"]) == {"usd"}


def test_ilostat_explorer_csv_of_a_series_not_shipped(tmp_path):
    path = tmp_path / "ILR_TUMT_NOC_RT_A-filtered.csv"
    pd.DataFrame(
        {
            "ref_area.label": ["Kazakhstan", "Kazakhstan", "Belarus", "World"],
            "source.label": [
                "Administrative records",
                "Administrative records",
                "Administrative records",
                "",
            ],
            "indicator.label": ["Trade union density rate (%)"] * 4,
            "time": ["2019", "2020", "2020", "2020"],
            "obs_value": ["41.2", "40.1", "94.8", "17.0"],
            "obs_status.label": ["", "Break in series", "", "Estimate"],
            "note_source.label": ["", "Repository: ILO-STATISTICS", "", ""],
        }
    ).to_csv(path, index=False)
    report = import_files("auto", [path], tmp_path / "external")
    assert not report.failed and report.recognised == [(path.name, "ilostat")]
    rows = _figures(tmp_path / "external", "labour_standards")
    assert set(rows["indicator"]) == {"union_density"}  # recognised by its title
    assert _value(rows, country="KAZ", year=2020) == pytest.approx(40.1)
    assert (
        rows.loc[(rows["country"] == "KAZ") & (rows["year"] == 2020), "status"].item()
        == "break in series"
    )
    assert report.imported[0].set_aside == {"World": 1}


def test_a_file_that_is_not_what_its_source_says_is_refused_by_name(tmp_path):
    path = tmp_path / "matrix.xlsx"
    _xlsx(
        path,
        {
            "M": [
                ["Bilateral Migration Matrix 2018"],
                ["Destination country (across) - Source country (down)", "Russian Federation"],
                ["Tajikistan", 5],
            ]
        },
    )
    report = import_files("undesa", [path], tmp_path / "external")
    [(name, why)] = report.failed
    assert name == "matrix.xlsx" and "knomad" in why and "matrix.xlsx" in why
    assert not (tmp_path / "external" / "imported").exists()
    junk = tmp_path / "notes.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    [(name, why)] = import_files("auto", [junk], tmp_path / "external").failed
    assert name == "notes.csv" and "no publisher's layout" in why


def test_a_file_whose_name_claims_another_publisher_is_refused(tmp_path):
    path = tmp_path / "UN_MigrantStockByOriginAndDestination_2020.xlsx"  # but a KNOMAD matrix
    _xlsx(path, {"M": [["Bilateral Migration Matrix 2018"], ["Destination country (across) - Source country (down)", "Russian Federation"], ["Tajikistan", 5]]})  # fmt: skip
    [(name, why)] = import_files("auto", [path], tmp_path / "external").failed
    assert name == path.name and "the name says undesa" in why and "knomad" in why
