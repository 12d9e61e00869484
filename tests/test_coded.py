"""Dictionary-encoded columns: every row answer equals the answer computed on the rows."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean.coded import Coded

values = st.lists(
    st.one_of(st.none(), st.sampled_from(["", " a", "a", "б", "Б ", "10", "9"])), max_size=40
)


def _series(items):
    return pd.Series(items, dtype="str")


@given(values)
def test_values_round_trip(items):
    series = _series(items)
    pd.testing.assert_series_equal(Coded.of(series).values(), series)


@given(values)
def test_apply_and_mask_match_the_row_wise_result(items):
    series = _series(items)
    coded = Coded.of(series)
    stripped = series.str.strip()
    pd.testing.assert_series_equal(coded.apply(lambda u: u.str.strip()).values(), stripped)
    assert (
        coded.mask(lambda u: u.str.strip() == "a").tolist()
        == (stripped == "a").fillna(False).tolist()
    )
    assert coded.isna().tolist() == series.isna().tolist()


@given(values)
def test_group_codes_are_equal_exactly_where_values_are_equal(items):
    coded = Coded.of(_series(items)).apply(lambda u: u.str.strip())  # repeated uniques
    groups = coded.group()
    stripped = _series(items).str.strip().tolist()
    for i, a in enumerate(stripped):
        assert (groups[i] == -1) == pd.isna(a)
        for j, b in enumerate(stripped):
            if not pd.isna(a) and not pd.isna(b):
                assert (groups[i] == groups[j]) == (a == b)


@given(values)
def test_rank_sorts_rows_like_sort_values(items):
    series = _series(items)
    order = np.argsort(Coded.of(series).rank(), kind="stable")
    expected = series.sort_values(kind="stable", na_position="last").index.to_numpy()
    assert order.tolist() == expected.tolist()


@given(values, st.data())
def test_take_and_counts(items, data):
    series = _series(items)
    coded = Coded.of(series)
    rows = np.array(
        data.draw(st.lists(st.integers(0, max(len(items) - 1, 0)), max_size=10)) if items else [],
        dtype=int,
    )
    pd.testing.assert_series_equal(
        coded.take(rows).values(), series.take(rows).reset_index(drop=True)
    )
    mask = series.notna().to_numpy()
    assert coded.counts(mask).to_dict() == series[mask].value_counts().to_dict()
