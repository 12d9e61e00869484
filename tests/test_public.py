"""World Bank WDI importer: the real published files (when ../shared/data is there) and tiny
hand-made fixtures for the edge cases; fetching with recorded responses, never the network."""

import io
import json
import urllib.error
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHARED_DATA, write_csv

from analysis import indicators
from analysis.clean import clean_all
from analysis.clean.checks import source_disagreements
from analysis.ingest.wdi import (
    OfflineError,
    WdiFormatError,
    fetch_wdi,
    import_wdi,
    read_wdi,
    to_processed_rows,
)
from analysis.vocab import reference
from analysis.vocab.text import fmt_change, fmt_date

NETM = SHARED_DATA / "wdi_net_migration_csv" / "API_SM.POP.NETM_DS2_en_csv_v2_3401672.csv"
REMIT = (
    SHARED_DATA / "wdi_remittances_usd_xls" / "API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_6000901.xls"
)
POP = SHARED_DATA / "wb_population_datahub" / "population.csv"
ILO = SHARED_DATA / "ilo_fundamental_ratifications" / "ilo-core-conventions.csv"
needs_shared = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not present")


def _values(path, **kw):
    rows, result = to_processed_rows(read_wdi(path, **kw), path.name)
    return rows.set_index(["country", "year"])["value"], result


@needs_shared
def test_real_api_csv_net_migration():
    values, result = _values(NETM)
    assert values[("UZB", 2019)] == -69397 and values[("UZB", 2022)] == -19999
    assert values[("KGZ", 2010)] == -52547 and values[("RUS", 2023)] == -136414
    assert values[("KAZ", 2022)] == 0 and values[("TJK", 2020)] == -3564
    assert (
        "WLD" not in result.countries
        and "EAS" not in result.countries
        and result.aggregates_dropped > 0
    )
    assert read_wdi(NETM).last_updated == "2024-06-28"


@needs_shared
def test_real_legacy_xls_remittances():
    values, result = _values(REMIT)
    assert values[("TJK", 2022)] == pytest.approx(5_345_546_873.546)
    assert values[("KGZ", 2018)] == pytest.approx(2_688_570_122.39)
    assert values[("RUS", 2022)] == pytest.approx(3_300_490_000)
    assert values[("TKM", 1996)] == 4_420_000
    assert {z["year"] for z in result.zeros if z["country"] == "TKM"} == set(range(2005, 2023))
    assert read_wdi(REMIT).last_updated == "2023-10-26"


@needs_shared
def test_real_long_population_with_its_datapackage():
    values, result = _values(POP)
    assert result.indicator == "population"
    assert values[("TJK", 2024)] == 10_590_927 and values[("KGZ", 1960)] == 2_172_300
    assert values[("UZB", 2024)] == 36_361_859 and values[("BLR", 2021)] == 9_302_585
    assert "WLD" not in result.countries


@needs_shared
def test_reference_ratifications_agree_with_normlex_extract():
    shared = pd.read_csv(ILO, dtype=str, keep_default_na=False)
    # written out here, not taken from countries.csv: the check must not lean on the mapping
    iso2 = {"KZ": "KAZ", "KG": "KGZ", "UZ": "UZB", "TJ": "TJK", "TM": "TKM", "BY": "BLR"}
    ours = reference.read_table("ilo_ratifications")
    checked, countries = 0, set()
    for row in shared[shared["country_iso"].isin(iso2)].itertuples():
        iso3 = iso2[row.country_iso]
        mine = ours[ours["iso3"] == iso3].set_index("convention")["year"]
        countries.add(iso3)
        for convention in (
            "C087",
            "C098",
            "C029",
            "P029",
            "C105",
            "C100",
            "C111",
            "C138",
            "C182",
            "C155",
            "C187",
        ):
            published = getattr(row, convention)[:4]
            assert mine.get(convention, "") == published, (iso3, convention)
            checked += 1
    assert countries == set(iso2.values()) and checked == 11 * len(iso2)


@needs_shared
def test_import_then_clean_lands_in_the_migration_table(tmp_path):
    raw, external = tmp_path / "raw", tmp_path / "external"
    import_wdi([REMIT, POP], external)
    import_wdi([REMIT], external)  # a rerun replaces the series
    assert not raw.exists()  # data/raw stays as partners sent it
    report = clean_all(raw, tmp_path / "processed")  # external/ beside raw/ by default
    migration = pd.read_parquet(tmp_path / "processed" / "migration.parquet")
    tjk = indicators.migration_series(migration, "TJK", "remittances_usd")
    assert tjk.set_index("year").loc[2022, "value"] == pytest.approx(5_345_546_873.546)
    assert tjk["source_code"].iloc[0] == "wdi" and tjk["source_updated"].iloc[0] == "2023-10-26"
    assert not migration.duplicated(["country", "partner", "year", "indicator", "source"]).any()
    assert len(report["datasets"]["migration"]["publisher_zeros"]) == 18
    # the publisher's zeros are kept, flagged, and never read as figures
    tkm = indicators.migration_series(migration, "TKM", "remittances_usd").set_index("year")
    assert tkm.loc[2010, "no_data"] and pd.isna(tkm.loc[2010, "value"])
    assert tkm.loc[1996, "value"] == 4_420_000 and not tkm.loc[1996, "no_data"]
    assert migration["is_synthetic"].eq(False).all()
    rate = indicators.per_million(migration, "TJK", 2025, 10)
    assert rate["population_year"] == 2024 and rate["rate"] == pytest.approx(10e6 / 10_590_927)


API_CSV = (
    '\ufeff"Data Source","World Development Indicators",\r\n\r\n"Last Updated Date","2025-01-31",\r\n\r\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2022","2023",\r\n'
    '"Kyrgyz Republic","KGZ","Net migration","SM.POP.NETM","-9999","",\r\n'
    '"World","WLD","Net migration","SM.POP.NETM","0","0",\r\n'
    '"Europe & Central Asia","ECS","Net migration","SM.POP.NETM","5","6",\r\n'
    '"France","FRA","Net migration","SM.POP.NETM","1","2",\r\n'
)


def test_api_csv_quirks_and_aggregates_without_metadata(tmp_path):
    path = tmp_path / "API_SM.POP.NETM_DS2_en_csv_v2_1.csv"
    path.write_bytes(API_CSV.encode("utf-8"))
    rows, result = to_processed_rows(read_wdi(path), "dl/" + path.name)
    assert rows[["country", "year", "value"]].values.tolist() == [
        ["KGZ", 2022, -9999.0]
    ]  # blank 2023 is no data
    assert result.aggregates_dropped == 4 and result.not_in_reference == ["FRA"]
    assert rows["source"].iloc[0] == "World Bank WDI SM.POP.NETM"
    assert rows["source_code"].iloc[0] == "wdi" and rows["source_updated"].iloc[0] == "2025-01-31"
    # traceable to the publisher's file and line (the Kyrgyz row of the download)
    line = next(i for i, text in enumerate(API_CSV.splitlines(), 1) if '"KGZ"' in text)
    assert (rows["source_file"].iloc[0], rows["source_row"].iloc[0]) == ("dl/" + path.name, line)


def test_metadata_file_decides_what_is_an_aggregate(tmp_path):
    path = tmp_path / "API_SM.POP.NETM_DS2_en_csv_v2_1.csv"
    path.write_bytes(API_CSV.replace('"Kyrgyz Republic","KGZ"', '"Kosovo","XKX"').encode("utf-8"))
    (tmp_path / f"Metadata_Country_{path.name}").write_text(
        '"Country Code","Region","IncomeGroup",\n"XKX","Europe & Central Asia","Upper middle income",\n"WLD","","",\n"ECS","","",\n',
        encoding="utf-8",
    )
    series = read_wdi(path)
    assert series.aggregates == {"WLD", "ECS"}


def test_long_file_without_indicator_is_a_clear_error(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        "Country Name,Country Code,Year,Value\nKyrgyz Republic,KGZ,2024,7221868\n", encoding="utf-8"
    )
    with pytest.raises(WdiFormatError, match="pass --indicator"):
        read_wdi(path)
    rows, _ = to_processed_rows(read_wdi(path, indicator="SP.POP.TOTL"), path.name)
    assert rows[["country", "indicator", "value"]].values.tolist() == [
        ["KGZ", "population", 7221868.0]
    ]


def test_preferred_source_and_disagreements():
    migration = pd.DataFrame({
        "country": ["KGZ"] * 3, "partner": ["WLD"] * 3, "year": [2024] * 3,
        "indicator": ["remittances_usd"] * 3, "value": [2.5e9, 2.0e9, 2.45e9],
        "source": ["Партнёр (оценка)", "Национальная статистика", "World Bank WDI BX.TRF.PWKR.CD.DT"],
        "estimate_type": [None] * 3,
    })  # fmt: skip
    assert indicators.migration_series(migration, "KGZ", "remittances_usd")["source"].tolist() == [
        "World Bank WDI BX.TRF.PWKR.CD.DT"
    ]
    [flag] = source_disagreements(migration)
    assert flag["country"] == "KGZ" and len(flag["values"]) == 3


RECORDED = [
    {"page": 1, "pages": 1, "per_page": 20000, "total": 3, "lastupdated": "2025-07-01"},
    [
        {"indicator": {"id": "SM.POP.NETM", "value": "Net migration"}, "country": {"id": "KG", "value": "Kyrgyz Republic"},
         "countryiso3code": "KGZ", "date": "2023", "value": -9999, "unit": "", "obs_status": "", "decimal": 0},
        {"indicator": {"id": "SM.POP.NETM", "value": "Net migration"}, "country": {"id": "TJ", "value": "Tajikistan"},
         "countryiso3code": "TJK", "date": "2023", "value": None, "unit": "", "obs_status": "", "decimal": 0},
        {"indicator": {"id": "SM.POP.NETM", "value": "Net migration"}, "country": {"id": "1W", "value": "World"},
         "countryiso3code": "WLD", "date": "2023", "value": 0, "unit": "", "obs_status": "", "decimal": 0},
    ],
]  # fmt: skip


def test_fetch_with_a_recorded_response(tmp_path):
    urls = []

    def opener(url, timeout):
        urls.append(url)
        return io.BytesIO(json.dumps(RECORDED).encode("utf-8"))

    [result] = fetch_wdi(["SM.POP.NETM"], tmp_path / "external", opener=opener).imported
    assert "indicator/SM.POP.NETM" in urls[0] and "KGZ" in urls[0]
    assert result.countries == ["KGZ"] and result.rows == 1
    written = pd.read_parquet(
        tmp_path / "external" / "imported" / "migration" / "wdi" / "SM.POP.NETM.parquet"
    )
    assert written["source_updated"].tolist() == ["2025-07-01"]
    assert written["source_file"].tolist() == ["api.worldbank.org SM.POP.NETM"]


def test_fetch_offline_fails_at_once_and_changes_nothing(tmp_path):
    def opener(url, timeout):
        raise urllib.error.URLError("Temporary failure in name resolution")

    with pytest.raises(OfflineError, match="nothing was changed"):
        fetch_wdi(["SM.POP.NETM", "SP.POP.TOTL"], tmp_path / "external", opener=opener)
    assert not (tmp_path / "external").exists()


def _download(
    folder, code="SM.POP.NETM", updated="2025-01-31", values=("-9999", "-8000"), organization="y"
):
    """A small World Bank 'API_' download: data file plus its two metadata files."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"API_{code}_DS2_en_csv_v2_9.csv"
    (folder / name).write_bytes(
        API_CSV.replace("2025-01-31", updated)
        .replace("SM.POP.NETM", code)
        .replace('"-9999",""', f'"{values[0]}","{values[1]}"')
        .encode("utf-8")
    )
    (folder / f"Metadata_Country_{name}").write_text(
        '"Country Code","Region",\n"KGZ","Europe & Central Asia",\n"WLD","",\n"ECS","",\n'
        '"FRA","Europe & Central Asia",\n',
        encoding="utf-8",
    )
    (folder / f"Metadata_Indicator_{name}").write_text(
        f'"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\n'
        f'"{code}","x","z","{organization}",\n',
        encoding="utf-8",
    )
    return folder / name


def test_folder_import_skips_metadata_and_reports_each_file(tmp_path):
    _download(tmp_path / "dl" / "a")
    _download(tmp_path / "dl" / "b", code="SM.POP.REFG.OR", values=("1200", "1300"))
    (tmp_path / "dl" / "b" / "API_broken.csv").write_text("not, a, download\n", encoding="utf-8")
    report = import_wdi([tmp_path / "dl"], tmp_path / "external")
    assert sorted(r.indicator for r in report.imported) == ["net_migration", "refugees_by_origin"]
    assert [name for name, _ in report.failed] == ["API_broken.csv"]
    skipped = dict(report.skipped)
    assert sum(name.startswith("Metadata_") for name in skipped) == 4
    refugees = next(r for r in report.imported if r.indicator == "refugees_by_origin")
    assert refugees.years == [2022, 2023] and refugees.rows == 2
    lines = "\n".join(report.lines())
    assert "FAILED" in lines and "SM.POP.REFG.OR" in lines and "2022-2023" in lines


def test_an_older_download_never_replaces_a_newer_series(tmp_path):
    external = tmp_path / "external"
    import_wdi([_download(tmp_path / "new", updated="2026-03-01", values=("-1", "-2"))], external)
    [kept] = import_wdi([_download(tmp_path / "old", updated="2024-01-01")], external).imported
    assert kept.kept_newer == "2026-03-01"
    written = pd.read_parquet(external / "imported" / "migration" / "wdi" / "SM.POP.NETM.parquet")
    assert written["value"].tolist() == [-1.0, -2.0]


def test_zipped_download_and_glob(tmp_path):
    import zipfile

    data = _download(tmp_path / "unzipped", code="SM.POP.REFG.OR", values=("10", "20"))
    archive = tmp_path / "API_SM.POP.REFG.OR_DS2_en_csv_v2_9.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in data.parent.iterdir():
            z.write(f, f.name)
    report = import_wdi([str(tmp_path / "*.zip")], tmp_path / "external")
    assert [r.series for r in report.imported] == ["SM.POP.REFG.OR"]
    assert report.imported[0].file.startswith(archive.name)
    stored = pd.read_parquet(report.imported[0].written)
    assert set(stored["source_file"]) == {f"{archive.name}:{data.name}"}  # the zip and its member


def test_import_command_cleans_what_it_imported_when_a_file_fails(tmp_path, capsys):
    from analysis.run.cli import main

    (tmp_path / "raw").mkdir()
    good = _download(tmp_path / "dl")
    bad = tmp_path / "dl" / "API_empty.csv"
    bad.write_text("", encoding="utf-8")
    code = main(
        [
            "import", "wdi", str(good), str(bad), str(good.parent / f"Metadata_Country_{good.name}"),
            "--raw-dir", str(tmp_path / "raw"), "--processed-dir", str(tmp_path / "processed"),
            "--external-dir", str(tmp_path / "external"),
        ]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 1 and "API_empty.csv: FAILED" in out.out
    assert "country metadata" in out.out
    migration = pd.read_parquet(tmp_path / "processed" / "migration.parquet")
    assert migration["indicator"].tolist() == ["net_migration", "net_migration"]


def test_publisher_zeros_read_no_data_in_both_languages(tiny_raw, tmp_path):
    import dataclasses

    from analysis.publish import brief

    shipped = Path(__file__).resolve().parents[1] / "data" / "external" / "world_bank"
    external = tmp_path / "external"
    import_wdi([shipped / "wdi_remittances_usd_xls"], external)
    clean_all(tiny_raw, tmp_path / "processed", max_year=2025, external_dir=external)
    for lang, no_data in (("en", "no data"), ("ru", "нет данных")):
        ctx = dataclasses.replace(
            brief.load("KGZ", 2025, lang, tmp_path / "processed"), country="TKM"
        )
        section = brief.migration_section(ctx)
        [table] = [b for b in section.blocks if getattr(b, "kind", "") == "table"][:1]
        row = table.rows[0]  # Turkmenistan's remittances, 2022: a publisher zero
        assert row[1] == no_data and row[2] == "2022*" and row[3] == "—"


def test_a_brief_shows_any_known_public_series_that_is_imported(tiny_raw, tmp_path):
    from analysis.publish import brief

    external = tmp_path / "external"
    report = import_wdi(
        [_download(tmp_path / "dl", code="SM.POP.REFG.OR", values=("1250", "1375"))], external
    )
    assert [r.indicator for r in report.imported] == ["refugees_by_origin"]
    clean_all(tiny_raw, tmp_path / "processed", max_year=2025, external_dir=external)
    for lang, label, value in (
        ("en", "Refugees by country of origin", "1,375"),
        ("ru", "Беженцы по стране происхождения", "1\u00a0375"),
    ):
        section = brief.migration_section(brief.load("KGZ", 2025, lang, tmp_path / "processed"))
        table = next(b for b in section.blocks if getattr(b, "kind", "") == "table")
        assert [
            label,
            value,
            "2023*",
            fmt_change(10, lang),
            fmt_date("2025-01-31", lang),
        ] in table.rows


@pytest.mark.parametrize(
    ("organization", "flagged"),
    [
        ("United Nations Population Division. World Population Prospects: 2023 Revision.", {2023}),
        ("UN Population Division, World Population Prospects (the 2022 revision)", {2022, 2023}),
        ("National statistical offices; Eurostat.", set()),
    ],
)
def test_projection_years_of_a_wpp_series_are_flagged_and_never_shown_as_measured(
    tmp_path, organization, flagged
):
    external = tmp_path / "external"
    download = _download(tmp_path / "dl", values=("-7000", "-19999"), organization=organization)
    [result] = import_wdi([download], external).imported
    rows = pd.read_parquet(result.written)
    kgz = rows[rows["country"] == "KGZ"].set_index("year")["estimate_type"].fillna("")
    assert {int(y) for y, kind in kgz.items() if kind == "projected"} == flagged
    table = pd.DataFrame(
        {
            "country": "KGZ",
            "partner": "WLD",
            "indicator": "net_migration",
            "year": rows.loc[rows["country"] == "KGZ", "year"],
            "value": rows.loc[rows["country"] == "KGZ", "value"],
            "source": "World Bank WDI SM.POP.NETM",
            "source_code": "wdi",
            "no_data": False,
            "estimate_type": kgz.replace("", None).to_numpy(),
        }
    )
    shown = indicators.figure_for_year(table, "KGZ", "net_migration", 2025)
    last_measured = max({2022, 2023} - flagged, default=None)
    assert (shown["year"] if shown else None) == last_measured


def test_imported_rows_join_as_published_and_a_partner_restating_one_is_set_aside(tmp_path):
    """No partner-style file in between: the stored series are the processed rows; a partner
    row that gives the same figure under the same source is a reject with its reason."""
    external = tmp_path / "external"
    import_wdi([_download(tmp_path / "dl", values=("-4100", "-3900"))], external)
    stored = pd.read_parquet(external / "imported" / "migration" / "wdi" / "SM.POP.NETM.parquet")
    write_csv(
        tmp_path / "raw" / "migration" / "m.csv",
        ["Страна", "Страна назначения", "Год", "Показатель", "Значение", "Ед. изм.", "Источник"],
        [
            ["Кыргызстан", "", "2022", "Чистая миграция", "-4100", "чел.", "World Bank WDI SM.POP.NETM"],
            ["Кыргызстан", "", "2022", "Чистая миграция", "-4300", "чел.", "Национальная статистика"],
        ],
    )  # fmt: skip
    report = clean_all(tmp_path / "raw", tmp_path / "processed", max_year=2025)
    migration = pd.read_parquet(tmp_path / "processed" / "migration.parquet")
    wdi = migration[migration["source_code"] == "wdi"].reset_index(drop=True)
    pd.testing.assert_frame_equal(wdi, stored)  # joined as stored, provenance included
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "migration.csv", dtype=str)
    [reject] = rejects.itertuples()
    assert reject.reason_code == "public_duplicate" and reject.source_row == "2"  # under the header
    assert "dl/API_SM.POP.NETM" in reject.reason
    entry = report["datasets"]["migration"]
    assert entry["rows_in"] == 2 and entry["rows_kept"] == 1 and entry["rows_rejected"] == 1
    assert [s["series"] for s in entry["public_series"]] == ["SM.POP.NETM"]
