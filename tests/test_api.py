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


def test_migration_has_one_figure_per_year_unless_every_source_is_asked_for(data):
    figures = data.select("migration", country="KAZ", category="remittances_gdp_pct")
    assert figures.set_index("year")["value"].to_dict() == {2021: 0.5, 2022: 0.6}  # no average
    assert figures.set_index("year").loc[2021, "source_code"] == "national_stats"
    wide = data.migration.pivot_table(index="year", columns="country", values="value")
    assert wide.loc[2021, "KAZ"] == 0.5
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
