"""Analysis functions against small fixtures whose expected numbers are computed by hand."""

import pandas as pd
import pytest

from analysis import indicators


def _violations(rows):
    frame = pd.DataFrame(
        rows, columns=["country", "year", "category", "persons_affected", "source", "date"]
    )
    frame["incident_id"] = [f"V{i}" for i in range(len(frame))]
    frame["n_reports"] = 1
    frame["date_precision"] = "day"
    frame["sector"] = None
    frame["persons_affected"] = frame["persons_affected"].astype("Int64")
    # the organisations behind the reports (registry codes): here named after the source
    # letter, whatever else the source column says ("A media" is partner A's file)
    frame["partners"] = frame["source"].map(
        lambda s: "; ".join(part.split()[0].lower() for part in s.split("; "))
    )
    return frame


V = _violations(
    [
        ("KAZ", 2022, "strike_restriction", 10, "A", "2022-03-01"),
        ("KAZ", 2023, "strike_restriction", 5, "A", "2023-03-01"),
        ("KAZ", 2023, "harassment", None, "A; B", "2023-05-01"),
        ("KAZ", 2024, "harassment", 2, "B", "2024-05-01"),
        ("KAZ", 2024, "harassment", 3, "A media", "2024-06-01"),
        ("KAZ", 2024, "activist_detention", 1, "C", "2024-11-30"),
        ("TJK", 2024, "harassment", 7, "A", "2024-02-01"),
    ]
)


def test_violations_per_year_fills_missing_years_with_zero():
    table = indicators.violations_per_year(V, "KAZ", range(2021, 2025))
    assert table["incidents"].tolist() == [0, 1, 2, 3]
    assert table["persons_affected"].tolist() == [0, 10, 5, 6]  # unreported counts add nothing


def test_compare_year_against_previous_and_three_year_mean():
    values = pd.Series({2021: 2, 2022: 4, 2023: 6, 2024: 8})
    cmp = indicators.compare_year(values, 2024)
    assert cmp["previous"] == 6 and cmp["change_prev_pct"] == pytest.approx(100 * 2 / 6)
    assert cmp["mean3"] == 4 and cmp["change_mean3_pct"] == pytest.approx(100.0)
    assert indicators.compare_year(values, 2023)["mean3"] is None  # 2020 missing: no invented zero


def test_trend_direction_and_noise():
    rising = pd.Series([1, 2, 4, 5, 7, 8, 10, 11], index=range(2016, 2024))
    result = indicators.trend(rising)
    assert result["direction"] == "up" and result["significant"]
    assert result["slope"] == pytest.approx(1.5)  # median of the 28 pairwise slopes
    flat = pd.Series([5, 7, 5, 6, 5, 7, 6, 5], index=range(2016, 2024))
    assert not indicators.trend(flat)["significant"]
    assert indicators.trend(pd.Series([3, 4], index=[2023, 2024]))["direction"] == "insufficient"


def test_breakdown_shares():
    table = indicators.breakdown(V, "KAZ", 2024, "category")
    assert table["category"].tolist() == ["harassment", "activist_detention"]
    assert table["incidents"].tolist() == [2, 1]
    assert table["share_pct"].round(1).tolist() == [66.7, 33.3]


def test_source_coverage_counts_distinct_partners():
    table = indicators.source_coverage(V, "KAZ", range(2022, 2025)).set_index("year")
    assert table["partners"].tolist() == [1, 2, 3]  # "A media" is still partner A


def test_partner_sets_by_year_are_organisations_not_source_strings():
    sets = indicators.partners_by_year(V, "KAZ", [2023, 2024])
    assert sets == {2023: {"a", "b"}, 2024: {"a", "b", "c"}}


def test_partial_year_is_flagged_not_extrapolated():
    assert indicators.is_partial_year(V, 2024) == (True, "2024-11-30")
    assert indicators.is_partial_year(V, 2023) == (False, "2024-11-30")


L = pd.DataFrame(
    {
        "act_id": ["L1", "L2", "L3", "L4"],
        "country": ["KAZ"] * 4,
        "year": [2021, 2023, 2023, 2024],
        "date_adopted": ["2021-01-01", "2023-02-01", "2023-06-01", "2024-01-01"],
        "title": ["a", "b", "c", "d"],
        "direction": ["restrictive", "restrictive", "protective", "mixed"],
        "ilo_conventions": ["C087", "C087;C098", "C098", None],
    }
)


def test_legislation_balance_running_sum():
    table = indicators.legislation_balance(L, "KAZ", range(2021, 2025)).set_index("year")
    assert table["restrictive"].tolist() == [1, 0, 1, 0]
    assert table["protective"].tolist() == [0, 0, 1, 0]
    assert table["running_balance"].tolist() == [-1, -1, -1, -1]


def test_conventions_touched():
    table = indicators.conventions_touched(L[L["year"] == 2023])
    assert table.values.tolist() == [["C098", 2, 1, 1], ["C087", 1, 1, 0]]


def test_before_after_is_descriptive_and_marks_incomplete_windows():
    table = indicators.before_after(V, L, "KAZ", window=1, last_year=2024).set_index("act_id")
    assert table.loc["L2", ["before_mean", "after_mean", "complete"]].tolist() == [1.0, 3.0, True]
    assert table.loc["L1", "before_mean"] == 0.0


M = pd.DataFrame(
    {
        "country": ["KGZ"] * 6,
        "partner": ["RUS", "KAZ", "RUS", "KAZ", "WLD", "WLD"],
        "year": [2024, 2024, 2025, 2025, 2024, 2025],
        "indicator": ["stock_abroad"] * 4 + ["remittances_gdp_pct"] * 2,
        "value": [600.0, 200.0, 700.0, 300.0, 30.0, 27.0],
        "source": ["S"] * 6,
        "estimate_type": [None] * 5 + ["estimated"],
    }
)


def test_main_destination_share():
    top = indicators.main_destination(M, "KGZ", 2025)
    assert top["partner"] == "RUS" and top["share_pct"] == pytest.approx(70.0)


def test_migration_summary_with_change_and_source():
    table = indicators.migration_summary(M, "KGZ", 2025).set_index("indicator")
    assert (
        table.loc["stock_abroad", "value"] == 1000 and table.loc["stock_abroad", "previous"] == 800
    )
    assert table.loc["stock_abroad", "change_pct"] == pytest.approx(25.0)
    assert table.loc["remittances_gdp_pct", "change_pct"] == pytest.approx(-10.0)
    assert table.loc["remittances_gdp_pct", "estimate_type"] == "estimated"
    assert "outflow" not in table.index  # no series, no row


def test_regional_comparison_handles_countries_without_data():
    table = indicators.regional_comparison(V, L, M, ["KAZ", "TJK", "TKM"], 2024).set_index(
        "country"
    )
    assert table.loc["KAZ", "incidents"] == 3 and table.loc["TKM", "incidents"] == 0
    assert table.loc["TJK", "change_prev_pct"] is None or pd.isna(
        table.loc["TJK", "change_prev_pct"]
    )
    assert pd.isna(table.loc["TKM", "remittances_gdp_pct"])


def _two_sources():
    """Remittances of one country from a publisher that stops a year early and from a
    national office, plus a publisher 'no data' zero."""
    rows = [
        ("World Bank WDI BX.TRF.PWKR.CD.DT", 2021, 100.0),
        ("World Bank WDI BX.TRF.PWKR.CD.DT", 2022, 140.0),
        ("Statistics agency of the republic", 2021, 90.0),
        ("Statistics agency of the republic", 2022, 120.0),
        ("Statistics agency of the republic", 2023, 60.0),
    ]
    return pd.DataFrame(
        {
            "country": "UZB",
            "partner": "WLD",
            "year": [r[1] for r in rows],
            "indicator": "remittances_usd",
            "value": [r[2] for r in rows],
            "source": [r[0] for r in rows],
            "estimate_type": None,
        }
    )


def test_a_change_is_never_computed_across_two_sources():
    migration = _two_sources()
    found = indicators.figure_for_year(migration, "UZB", "remittances_usd", 2023)
    # 2023 exists only in the national series: compared with its own 2022 (120), not the WDI 140
    assert found["value"] == 60 and found["change_pct"] == pytest.approx(-50.0)
    assert found["source_code"] == "national_stats"
    wdi = indicators.figure_for_year(migration, "UZB", "remittances_usd", 2023, {"wdi"})
    assert wdi["year"] == 2022 and wdi["change_pct"] == pytest.approx(40.0)


def test_previous_year_from_another_source_gives_no_change():
    migration = _two_sources()
    migration = migration[
        ~((migration["year"] == 2022) & migration["source"].str.startswith("Stat"))
    ]
    found = indicators.figure_for_year(migration, "UZB", "remittances_usd", 2023)
    assert found["value"] == 60 and found["previous"] is None and found["change_pct"] is None


def test_publisher_zero_is_no_data_and_never_beats_a_real_figure():
    migration = pd.concat(
        [
            _two_sources(),
            pd.DataFrame(
                {
                    "country": "UZB", "partner": "WLD", "year": [2023], "indicator": "remittances_usd",
                    "value": [0.0], "source": ["World Bank WDI BX.TRF.PWKR.CD.DT"],
                    "estimate_type": None,
                }
            ),
        ],
        ignore_index=True,
    ).assign(no_data=lambda f: f["source"].str.startswith("World") & f["value"].eq(0))  # fmt: skip
    series = indicators.migration_series(migration, "UZB", "remittances_usd").set_index("year")
    assert series.loc[2023, "value"] == 60  # the national figure, not the publisher's zero
    wdi = indicators.figure_for_year(migration, "UZB", "remittances_usd", 2023, {"wdi"})
    assert wdi["no_data"] and wdi["value"] is None and wdi["change_pct"] is None


def test_preferred_keeps_one_row_per_figure_so_a_pivot_cannot_average():
    migration = _two_sources()
    table = indicators.preferred(migration).pivot_table(
        index="year", columns="indicator", values="value"
    )
    assert table["remittances_usd"].tolist() == [100.0, 140.0, 60.0]


def test_years_before_the_first_record_are_not_monitored():
    violations = pd.DataFrame(
        {
            "country": ["UZB", "UZB", "BLR"],
            "year": [2019, 2022, 2021],
            "incident_id": ["a", "b", "c"],
        }
    )
    legislation = pd.DataFrame({"country": ["TKM", "UZB"], "year": [2010, 2005]})
    spans = indicators.monitoring_spans(violations, legislation)
    # violations mark monitoring; a country with acts only falls back to them; monitoring
    # ends for everyone when the last record of anyone is dated
    assert spans == {"UZB": (2019, 2022), "BLR": (2021, 2022), "TKM": (2010, 2022)}
    assert indicators.monitored_years(spans, "UZB", range(2013, 2023)) == range(2019, 2023)
    assert indicators.monitored_years(spans, "REGIONAL", range(2005, 2023)) == range(2010, 2023)


def test_before_after_ignores_years_nobody_monitored():
    violations = pd.DataFrame({"country": ["KAZ"] * 3, "year": [2020, 2021, 2021]})
    legislation = pd.DataFrame(
        {
            "country": ["KAZ", "KAZ"],
            "direction": ["restrictive"] * 2,
            "year": [2020, 2021],
            "date_adopted": ["2020-05", "2021-02"],
            "act_id": ["A1", "A2"],
            "title": ["x", "y"],
        }
    )
    table = indicators.before_after(violations, legislation, "KAZ", 2, 2021, first_year=2020)
    first, second = table.to_dict("records")
    assert first["before_mean"] is None or pd.isna(first["before_mean"])  # 2018-2019 unmonitored
    assert second["before_mean"] == 1.0  # only 2020 counts, not 2019 as a zero
