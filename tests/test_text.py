"""Numbers, percentages, dates and plural forms by the language's rules (CLDR through Babel).

The expected Russian plural forms come from the rule as CLDR states it, written on the test
side (figure_oracle.cldr_ru) independently of the package (which asks Babel), so a wrong
category table fails."""

import re

import pytest
from figure_oracle import cldr_ru  # the CLDR rule, written once on the test side
from hypothesis import given
from hypothesis import strategies as st

from analysis.indicators import rounded_shares
from analysis.vocab.reference import read_table
from analysis.vocab.text import fmt_change, fmt_number, fmt_p, fmt_pct, join_items, quote, t, tn


def _counted_keys() -> set[str]:
    keys = read_table("i18n")["key"]
    return {k.rsplit(".", 1)[0] for k in keys if re.search(r"\.(one|few|many|other)$", k)}


def test_every_counted_phrase_has_every_category():
    keys = set(read_table("i18n")["key"])
    for base in _counted_keys():
        for category in ("one", "few", "many", "other"):
            assert f"{base}.{category}" in keys, f"{base}.{category} missing in i18n.csv"


@given(st.integers(min_value=0, max_value=10**7))
def test_russian_count_takes_the_cldr_form(n):
    table = read_table("i18n").set_index("key")["ru"]
    for base in _counted_keys():
        written = f"{n:,}".replace(",", "\u00a0")  # Russian digit groups: a no-break space
        expected = table[f"{base}.{cldr_ru(n)}"].format(n=written)
        assert tn(base, n, "ru") == expected


@given(st.integers(min_value=0, max_value=10**6))
def test_english_count_is_singular_only_for_one(n):
    table = read_table("i18n").set_index("key")["en"]
    form = "one" if n == 1 else "other"
    assert tn("n_reports", n, "en") == table[f"n_reports.{form}"].format(n=f"{n:,}")


def test_fractions_take_the_genitive_singular_in_russian():
    assert tn("n_persons", 1.5, "ru", 1) == "1,5 человека"
    assert tn("n_violations", 21, "ru") == "21 нарушение"
    assert tn("n_reports", 1031, "ru") == "1\u00a0031 сообщение"
    assert tn("n_reports", 43, "ru") == "43 сообщения"
    assert tn("n_reports", 117, "ru") == "117 сообщений"


def test_number_and_percent_formats_follow_cldr():
    assert fmt_number(1234.5, "ru", 1) == "1\u00a0234,5"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_number(-37080, "en") == "\u221237,080"
    assert fmt_number(None, "ru") == "нет данных"
    assert fmt_number(float("nan"), "en") == "no data"
    assert fmt_change(21.0, "en") == "+21%"
    assert fmt_change(21.0, "ru") == "+21\u00a0%"  # CLDR: a (no-break) space before % in Russian
    assert fmt_pct(7.25, "ru", 1) == "7,2\u00a0%" or fmt_pct(7.25, "ru", 1) == "7,3\u00a0%"
    assert fmt_change(None, "en") == "—"


def test_a_change_that_rounds_to_zero_has_no_sign():
    assert fmt_change(-0.4, "ru") == "0\u00a0%" and fmt_change(0.3, "en") == "0%"
    assert fmt_change(-0.6, "ru") == "\u22121\u00a0%" and fmt_change(12.4, "en") == "+12%"


def test_small_p_values_are_bounded_not_rounded_to_zero():
    assert fmt_p(0.0004, "en") == "p\u00a0<\u00a00.01"
    assert fmt_p(0.0099, "ru") == "p\u00a0<\u00a00,01"
    assert fmt_p(0.4712, "ru") == "p\u00a0=\u00a00,47"
    assert "0.00" not in fmt_p(1e-9, "en")


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=12))
def test_rounded_shares_add_up_to_100(counts):
    shares = rounded_shares(counts)
    if sum(counts) == 0:
        assert shares == [0] * len(counts)
        return
    assert sum(shares) == 100
    for c, s in zip(counts, shares, strict=True):  # each within one point of its exact share
        assert abs(s - 100 * c / sum(counts)) < 1


def test_quotes_nest_by_the_language_rules():
    assert quote("Закон «О профсоюзах»", "ru") == "«Закон „О профсоюзах“»"
    assert quote('Law "On unions"', "en") == "\u201cLaw \u2018On unions\u2019\u201d"


def test_a_list_sentence_is_never_built_from_nothing():
    assert join_items(["Беларусь"], "ru") == "Беларусь"
    assert join_items(["A", "B", "C"], "en") == "A, B and C"
    with pytest.raises(ValueError):
        join_items([], "ru")


def test_translation_table_is_complete_and_refuses_unknown_language():
    table = read_table("i18n")
    assert (table["en"] != "").all() and (table["ru"] != "").all()
    assert not table["key"].duplicated().any()
    assert t("vs_prev", "ru", year=2024) == "к 2024"
    with pytest.raises(ValueError, match="valid: en, ru"):
        t("vs_prev", "de")


def test_russian_texts_name_no_english_table_and_no_screens():
    """No processed-table code in Russian text; people who monitor are not «мониторы»."""
    table = read_table("i18n")
    for row in table.itertuples():
        for code in ("violations", "legislation", "migration"):
            assert not re.search(rf"таблиц\w*\s+{code}\b", row.ru), row.key
        assert not re.search(r"\bмонитор(ы|ов|ами|ам)\b", row.ru, re.IGNORECASE), row.key
