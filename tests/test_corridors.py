"""The corridors section, the region's corridor picture and the labour-standards table, built
from the shipped publishers' files and the tiny partner data: every figure attributed, model
estimates said to be such, and what a publisher does not give said to be missing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv, write_tiny_raw

from analysis.clean import clean_all
from analysis.ingest.importers import import_files
from analysis.publish import brief

EXTERNAL = Path(__file__).resolve().parents[1] / "data" / "external"


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corridors")
    external = root / "external"
    report = import_files(
        "auto", [EXTERNAL / "un_desa", EXTERNAL / "knomad", EXTERNAL / "ilostat"], external
    )
    assert not report.failed
    raw = write_tiny_raw(root / "raw")
    write_csv(
        raw / "violations" / "more.csv",
        ["Страна", "Дата", "Тип нарушения", "Число пострадавших", "Источник"],
        [["Узбекистан", "2025-03-02", "Запрет забастовки", "4", "А"],
         ["Казахстан", "2025-05-06", "Запрет забастовки", "7", "А"]],
        title="SYNTHETIC test data",
    )  # fmt: skip
    clean_all(raw, root / "processed", max_year=2025, external_dir=external)
    return root / "processed"


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_the_uzbekistan_kazakhstan_corridor_is_in_both_briefs(processed):
    migration = pd.read_parquet(processed / "migration.parquet")
    stock = migration[
        (migration["indicator"] == "corridor_stock")
        & (migration["source_code"] == "un_desa")
        & (migration["country"] == "UZB")
        & (migration["partner"] == "KAZ")
    ]
    latest = stock.loc[stock["year"].idxmax()]
    shown = f"{int(latest['value']):,}"
    uzb = _plain(brief.corridors_section(brief.load("UZB", 2025, "en", processed)).html)
    kaz = _plain(brief.corridors_section(brief.load("KAZ", 2025, "en", processed)).html)
    assert f"Kazakhstan {shown}" in uzb  # a destination of Uzbekistan's migrants
    assert f"Uzbekistan {shown}" in kaz  # an origin of the migrants living in Kazakhstan
    for page in (uzb, kaz):
        assert "UN DESA International Migrant Stock 2019" in page and "CC BY 3.0 IGO" in page


def test_corridor_shares_and_changes_are_the_publishers_numbers(processed):
    migration = pd.read_parquet(processed / "migration.parquet")
    desa = migration[
        (migration["source_code"] == "un_desa") & (migration["indicator"] == "corridor_stock")
    ]
    kgz = desa[desa["country"] == "KGZ"]
    now = kgz[kgz["year"] == 2019].set_index("partner")["value"]
    then = kgz[kgz["year"] == 1990].set_index("partner")["value"]
    share = round(100 * now["RUS"] / now["WLD"], 1)
    change = round(100 * (now["RUS"] - then["RUS"]) / then["RUS"])
    page = _plain(brief.corridors_section(brief.load("KGZ", 2025, "en", processed)).html)
    row = re.search(r"Russia ([\d,]+) ([\d.]+) ([+−-][\d,]+)%", page)
    assert row, page[:800]
    assert int(row[1].replace(",", "")) == int(now["RUS"])
    assert float(row[2]) == share and int(row[3].replace("−", "-").replace(",", "")) == change


def test_remittances_by_corridor_are_model_estimates_beside_the_reported_total(processed):
    for lang, words in (("en", "model estimates"), ("ru", "модельные оценки")):
        page = _plain(brief.corridors_section(brief.load("TJK", 2025, lang, processed)).html)
        assert words in page and "KNOMAD" in page


def test_a_country_without_a_corridor_says_no_data(processed, tmp_path):
    migration = pd.read_parquet(processed / "migration.parquet")
    kept = migration[~migration["indicator"].isin(["corridor_stock", "remittances_corridor_usd"])]
    folder = tmp_path / "processed"
    import shutil

    shutil.copytree(processed, folder)
    kept.to_parquet(folder / "migration.parquet", index=False)
    page = _plain(brief.corridors_section(brief.load("KGZ", 2025, "ru", folder)).html)
    assert "нет данных" in page and "Мигранты" not in page and "Долл. США" not in page


def test_labour_statistics_list_what_is_not_published(processed):
    page = _plain(brief.labour_statistics(brief.load("TJK", 2025, "en", processed)).html)
    assert page.count("not published for Tajikistan") == 7  # nothing shipped covers Tajikistan
    assert "0 (best) to 10 (worst)" in page and "little scrutiny" in page
    kgz = _plain(brief.labour_statistics(brief.load("KGZ", 2025, "ru", processed)).html)
    labour = pd.read_parquet(processed / "labour_standards.parquet")
    informal = labour[
        (labour["country"] == "KGZ")
        & (labour["indicator"] == "informal_share")
        & (labour["breakdown"] == "total")
    ]
    last = informal.loc[informal["year"].idxmax()]
    assert f"{last['value']:.1f} %".replace(".", ",") in kgz and str(int(last["year"])) in kgz
    assert "ILOSTAT SDG_0831_SEX_ECO_RT" in kgz


def test_the_regional_overview_draws_the_corridor_matrix(processed):
    ctx = brief.load("regional", 2025, "ru", processed)
    section = brief.region_corridors(ctx)
    [table] = section.attachments.values()
    assert "RUS" in table.columns and set(table["country"]) == {
        "KAZ",
        "KGZ",
        "UZB",
        "TJK",
        "TKM",
        "BLR",
    }
    assert "UN DESA International Migrant Stock 2019" in _plain(section.html)
    theme = brief.load("theme-migrants", 2025, "en", processed)
    assert brief.region_corridors(theme) is not None  # the migrants' report uses it
    assert brief.region_corridors(brief.load("theme-association", 2025, "en", processed)) is None


def test_the_api_answers_corridor_and_labour_questions(processed):
    from analysis.api import load

    data = load(processed, processed.parent / "raw", refresh=False)
    top = data.corridors("Uzbekistan", year=2025)
    assert top["other"].iloc[0] == "RUS" and "KAZ" in set(top["other"])
    both = data.compare("Узбекистан", "Kazakhstan")
    assert {"UN DESA International Migrant Stock 2019"} <= set(both.columns)
    assert both.loc[2019, "UN DESA International Migrant Stock 2019"] == 294_395
    assert any(c.startswith("KNOMAD") for c in both.columns)  # the other source, its own column
    informal = data.select(
        "labour", country="Kyrgyz Republic", category="informal_share", breakdown="total"
    )
    assert len(informal) and set(informal["country"]) == {"KGZ"}
    immigrants = data.select("migration", country="Azerbaijan", partner="KAZ", all_sources=True)
    assert len(immigrants)  # a country outside the mission's own table, by the publisher's name
    with pytest.raises(ValueError, match="unknown labour indicator"):
        data.select("labour", category="happiness")
