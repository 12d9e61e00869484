import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.ingest.parse import (
    parse_conventions,
    parse_date,
    parse_dates,
    parse_number,
    parse_numbers,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.12.2025", ("2025-12-15", "day", 2025, 12)),
        ("2025-12-15", ("2025-12-15", "day", 2025, 12)),
        ("15 декабря 2025", ("2025-12-15", "day", 2025, 12)),
        ("15 дек. 2025 г.", ("2025-12-15", "day", 2025, 12)),
        ("декабрь 2025", ("2025-12", "month", 2025, 12)),
        ("Dec 2025", ("2025-12", "month", 2025, 12)),
        ("December 15, 2025", ("2025-12-15", "day", 2025, 12)),
        ("12.2025", ("2025-12", "month", 2025, 12)),
        ("2025", ("2025", "year", 2025, None)),
        ("2025 г.", ("2025", "year", 2025, None)),
        ("46006", ("2025-12-15", "day", 2025, 12)),  # Excel serial
        ("2025-12-15 00:00:00", ("2025-12-15", "day", 2025, 12)),
        ("1 мая 2024", ("2024-05-01", "day", 2024, 5)),
    ],
)
def test_parse_date_keeps_precision(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31.02.2025", "13/13/2025", "вчера", "2025-13", "15 foo 2025", ""]
)
def test_parse_date_refuses_impossible_or_unknown(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("1 234", 1234.0, False),
        ("1\u00a0234", 1234.0, False),
        ("1,234", 1234.0, False),
        ("1,234,567", 1234567.0, False),
        ("28,5", 28.5, False),
        ("0,125", 0.125, False),
        ("12.5%", 12.5, True),
        ("3,2 млн", 3_200_000.0, False),
        ("1.5 bn", 1_500_000_000.0, False),
        ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False),
        ("−37 080", -37080.0, False),
    ],
)
def test_parse_number_forms(text, value, percent):
    assert parse_number(text) == pytest.approx((value, percent))


@pytest.mark.parametrize("text", ["много", "n/a", "12 abc", "1,2,3.4.5", ""])
def test_parse_number_refuses_words(text):
    assert parse_number(text) is None


@given(st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_day_first_and_iso_agree(day):
    assert parse_date(day.strftime("%d.%m.%Y")) == parse_date(day.isoformat())
    assert parse_date(day.isoformat())[0] == day.isoformat()


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip_in_both_locales(n):
    english = f"{n:,}"
    russian = english.replace(",", " ")
    assert parse_number(russian) == (float(n), False)
    if abs(n) >= 1000 or "," not in english:
        assert parse_number(english) == (float(n), False)


@given(st.lists(st.sampled_from(["15.12.2025", "2025", "bad", "", "Dec 2024"]), max_size=30))
def test_parse_dates_is_aligned_and_pure(values):
    series = pd.Series(values, dtype="str")
    before = series.copy()
    out = parse_dates(series)
    assert len(out) == len(series)
    assert out.index.equals(series.index)
    pd.testing.assert_series_equal(series, before)
    assert out.loc[series.isin(["bad", ""]), "date"].isna().all()


def test_parse_numbers_vectorised_matches_scalar():
    series = pd.Series(["1 234", "x", "", "12.5%"], dtype="str")
    out = parse_numbers(series)
    assert out["value"].tolist()[0] == 1234.0
    assert out["value"].isna().tolist() == [False, True, True, False]
    assert out["is_percent"].tolist() == [False, False, False, True]


def test_conventions_normalised():
    out = parse_conventions(pd.Series(["C87, C098", "Конвенция № 87; П029", ""], dtype="str"))
    assert out.tolist() == ["C087;C098", "C087;P029", ""]
