import pytest

from analysis.text import fmt_change, fmt_number, plural_ru, t


@pytest.mark.parametrize(
    ("n", "form"),
    [(1, "нарушение"), (2, "нарушения"), (4, "нарушения"), (5, "нарушений"), (11, "нарушений"),
     (12, "нарушений"), (14, "нарушений"), (21, "нарушение"), (22, "нарушения"), (111, "нарушений"),
     (101, "нарушение"), (0, "нарушений")],
)  # fmt: skip
def test_russian_plurals(n, form):
    assert plural_ru(n, "нарушение", "нарушения", "нарушений") == form


def test_number_formats():
    assert fmt_number(1234.5, "ru", 1) == "1\u00a0234,5"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_number(-37080, "en") == "\u221237,080"
    assert fmt_number(None, "ru") == "нет данных"
    assert fmt_number(float("nan"), "en") == "no data"
    assert fmt_change(21.0, "en") == "+21%"
    assert fmt_change(None, "en") == "—"


def test_translation_table_is_complete_and_refuses_unknown_language():
    from analysis.reference import read_table

    table = read_table("i18n")
    assert (table["en"] != "").all() and (table["ru"] != "").all()
    assert not table["key"].duplicated().any()
    assert t("vs_prev", "ru", year=2024) == "к 2024"
    with pytest.raises(ValueError, match="valid: en, ru"):
        t("vs_prev", "de")


def test_a_change_that_rounds_to_zero_has_no_sign():
    from analysis.text import fmt_change

    assert fmt_change(-0.4, "ru") == "0%" and fmt_change(0.3, "en") == "0%"
    assert fmt_change(-0.6, "ru") == "\u22121%" and fmt_change(12.4, "en") == "+12%"
