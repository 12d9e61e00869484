"""The interactive API as a researcher uses it: answers that are complete and never mix sources."""

import pytest
from conftest import write_csv

from analysis import indicators
from analysis.api import load
from analysis.clean import clean_all

HEADER = ["Страна", "Дата", "Тип нарушения", "Число пострадавших", "Отрасль", "Источник"]


@pytest.fixture
def data(tmp_path):
    raw = tmp_path / "raw"
    write_csv(
        raw / "violations" / "v.csv",
        HEADER,
        [
            ["Казахстан", "2018-02-01", "Запрет забастовки", "30", "нефтегазовая отрасль", "А"],
            ["Казахстан", "2018-06-01", "Запрет забастовки", "10", "шахты", "А"],
            ["Kazakhstan", "2019-03-01", "strike ban", "5", "oil and gas", "B"],
            ["Kazakhstan", "2022-03-01", "strike ban", "8", "mining", "B"],
            [
                "Казахстан",
                "2022-05-01",
                "Преследование активиста",
                "1",
                "в нефтегазовом секторе",
                "А",
            ],
            ["Беларусь", "2021-05-01", "Преследование активиста", "1", "образование", "А"],
        ],
    )
    write_csv(
        raw / "legislation" / "l.csv",
        ["Страна", "Название", "Дата принятия", "Направленность"],
        [["Казахстан", "Поправки о забастовках", "2020-07-01", "ограничительный"]],
    )
    write_csv(
        raw / "migration" / "m.csv",
        ["Страна", "Страна назначения", "Год", "Показатель", "Значение", "Ед. изм.", "Источник"],
        [
            [
                "Казахстан",
                "",
                "2021",
                "Переводы % ВВП",
                "0,5",
                "% ВВП",
                "Бюро национальной статистики",
            ],
            ["Казахстан", "", "2021", "Переводы % ВВП", "0,9", "% ВВП", "Сводка партнёра"],
            ["Казахстан", "", "2022", "Переводы % ВВП", "0,6", "% ВВП", "Сводка партнёра"],
        ],
    )
    processed = tmp_path / "processed"
    clean_all(raw, processed, max_year=2022)
    return load(processed, raw, refresh=False)


def test_a_migration_series_comes_from_one_source_unless_combined(data):
    figures = data.select("migration", country="KAZ", category="remittances_gdp_pct")
    # the national office gives 2021 only; the partner's 2022 is not joined on silently
    assert figures.set_index("year")["value"].to_dict() == {2021: 0.5}
    assert set(figures["source_code"]) == {"national_stats"}
    wide = data.migration.pivot_table(index="year", columns="country", values="value")
    assert wide.loc[2021, "KAZ"] == 0.5  # no average of two sources
    combined = data.select(
        "migration", country="KAZ", category="remittances_gdp_pct", combine_sources=True
    ).set_index("year")
    assert combined["value"].to_dict() == {2021: 0.5, 2022: 0.6}
    assert combined["source_break"].to_dict() == {2021: False, 2022: True}
    assert combined.loc[2022, "source"] != combined.loc[2021, "source"]
    every = data.select("migration", country="KAZ", all_sources=True)
    assert len(every) == 3


def test_per_year_keeps_zero_years_and_starts_when_monitoring_began(data):
    bans = data.per_year("violations", country="Kazakhstan", category="strike_restriction")
    assert bans.to_dict() == {2018: 2, 2019: 1, 2020: 0, 2021: 0, 2022: 1}
    belarus = data.per_year("violations", country="BLR")
    assert belarus.index.min() == 2021  # nothing before its first record


def test_trend_refuses_a_series_with_its_zero_years_dropped(data):
    dropped = data.select("violations", country="KAZ").groupby("year").size()
    with pytest.raises(ValueError, match="2020, 2021"):
        indicators.trend(dropped)
    assert indicators.trend(data.per_year("violations", country="KAZ"))["years"] == (2018, 2022)


def test_count_by_sector_reads_labels_and_merges_wordings(data):
    table = data.count_by(data.select("violations", country="KAZ"), "sector", "en")
    assert table.iloc[0].to_dict() == {"sector": "Oil and gas", "cases": 3, "persons": 36}
    assert table["cases"].sum() == 5


def test_around_acts_uses_monitored_years_only(data):
    [row] = data.around_acts("KAZ", window=2).to_dict("records")
    assert row["year"] == 2020 and row["before_mean"] == 1.5 and row["after_mean"] == 1.0


def test_unknown_table_is_a_clear_error(data):
    with pytest.raises(ValueError, match="unknown table 'violation'"):
        data.select("violation")


def test_coded_columns_take_any_label_the_cleaning_maps(data):
    by_code = data.select("violations", country="KAZ", sector="oil_gas")
    assert len(by_code) == 3
    for label in ("нефтегазовый сектор", "Oil and gas", "в нефтегазовой отрасли"):
        assert len(data.select("violations", country="KAZ", sector=label)) == 3, label
    assert len(data.select("legislation", direction="Ограничительные")) == 1
    assert len(data.select("legislation", direction="restrictive")) == 1
    series = data.per_year("violations", country="KAZ", category="забастовка запрещена")
    assert series.sum() == 4


def test_unknown_values_raise_with_the_closest_codes(data):
    with pytest.raises(ValueError, match=r"unknown direction '.*'; closest: restrictive"):
        data.select("legislation", direction="ограничивающе-запретный")
    with pytest.raises(ValueError, match=r"unknown direction 'враждебный'$"):
        data.select("legislation", direction="враждебный")
    with pytest.raises(ValueError, match="unknown sector"):
        data.select("violations", sector="астрономия")
    with pytest.raises(ValueError, match="has no column 'colour'"):
        data.select("violations", colour="red")


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ("2018-2019", {2018, 2019}),
        ("2018 – 2019", {2018, 2019}),
        ("2018,2022", {2018, 2022}),
        ("2019-2019,2022", {2019, 2022}),
        (range(2018, 2020), {2018, 2019}),
        ([2022], {2022}),
        (2019, {2019}),
    ],
)
def test_years_take_ranges_and_lists(data, years, expected):
    assert set(data.select("violations", years=years)["year"]) == expected


@pytest.mark.parametrize("years", ["recent", "2022-2018", "18-22", ["x"], 3.5])
def test_years_that_cannot_be_read_raise(data, years):
    with pytest.raises(ValueError, match="years="):
        data.select("violations", years=years)


def test_a_project_alias_selects_as_it_cleans(tmp_path):
    """An alias in data/mappings/ maps a raw value in cleaning and the same words in select()."""
    raw = tmp_path / "raw"
    write_csv(
        raw / "violations" / "v.csv",
        HEADER,
        [
            ["Земля Манаса", "2021-04-02", "Запрет забастовки", "3", "шахты", "А"],
            ["Казахстан", "2021-05-01", "Запрет забастовки", "2", "шахты", "А"],
        ],
    )
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "countries.csv").write_text(
        "code,alias\nKGZ,Земля Манаса\n", encoding="utf-8"
    )
    processed = tmp_path / "processed"
    report = clean_all(raw, processed, max_year=2022)
    assert report["datasets"]["violations"]["rows_rejected"] == 0
    data = load(processed, raw, refresh=False)
    picked = data.select("violations", country="земля  манаса")
    assert picked["country"].tolist() == ["KGZ"]
    assert data.select("violations", country=["Земля Манаса", "KAZ"])["country"].nunique() == 2
    with pytest.raises(ValueError, match="unknown country"):  # the shipped tables alone: unknown
        load(processed, tmp_path / "elsewhere" / "raw", refresh=False).select(
            "violations", country="Земля Манаса"
        )
