"""Sector and perpetrator vocabularies: one code per meaning in both languages, anything else
kept as 'other' with its text, never rejected."""

import pandas as pd
from conftest import write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import clean_all
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


def codes(values, vocabulary):
    return Vocabulary().codes(pd.Series(values, dtype="str"), vocabulary).tolist()


def test_russian_and_english_wordings_meet_in_one_code():
    assert (
        codes(
            ["Прокуратура", "prosecutor's office", "областная прокуратура", "PROSECUTOR"],
            "perpetrators",
        )
        == ["prosecutor"] * 4
    )
    assert (
        codes(
            ["на стройке", "строительство", "Construction site", "в строительной отрасли"],
            "sectors",
        )
        == ["construction"] * 4
    )


def test_inflected_and_decorated_values_are_recognised():
    assert codes(["«Акимат» района", "сотрудники милиции", "Border guards"], "perpetrators") == [
        "local_authorities",
        "police",
        "migration_authority",
    ]
    assert codes(["в здравоохранении", "Teachers (public schools)"], "sectors") == [
        "health",
        "education",
    ]


def test_unknown_or_ambiguous_values_are_other_never_a_guess():
    assert codes(["соседи по общежитию", "police and prosecutor"], "perpetrators") == [
        "other",
        "other",
    ]
    assert codes(["astrology"], "sectors") == ["other"]


def test_every_code_has_both_labels():
    for vocabulary in reference.VOCABULARIES:
        for lang in ("en", "ru"):
            labels = reference.vocabulary_labels(vocabulary, lang)
            assert all(isinstance(v, str) and v for v in labels.values())
            assert reference.OTHER in labels


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=12))
def test_any_text_gets_a_declared_code_or_stays_blank(values):
    allowed = set(reference.read_table("sectors")["code"]) | {reference.OTHER}
    series = pd.Series(values, dtype="str")
    out = Vocabulary().codes(series, "sectors")
    assert len(out) == len(series)
    assert set(out.dropna()) <= allowed
    assert out[series.isna()].isna().all()


def test_clean_keeps_unknown_values_as_other_with_their_text(tmp_path):
    header = ["Страна", "Дата", "Тип нарушения", "Отрасль", "Нарушитель", "Источник"]
    rows = [
        [
            "Узбекистан",
            "2024-03-02",
            "Задержка зарплаты",
            "сельское хозяйство",
            "работодатель",
            "П",
        ],
        ["Uzbekistan", "2024-03-05", "wage theft", "Agriculture", "Employer", "P"],
        ["Узбекистан", "2024-04-01", "Задержка зарплаты", "циркачи", "гадалка", "П"],
    ]
    write_csv(tmp_path / "raw" / "violations" / "p.csv", header, rows)
    report = clean_all(tmp_path / "raw", tmp_path / "processed")
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet").sort_values("date")
    assert table["sector"].tolist() == ["agriculture", "agriculture", "other"]
    assert table["perpetrator"].tolist() == ["employer", "employer", "other"]
    assert table["sector_reported"].tolist()[-1] == "циркачи"
    entry = report["datasets"]["violations"]
    assert entry["rows_rejected"] == 0
    assert entry["other_values"] == {"sector": {"циркачи": 1}, "perpetrator": {"гадалка": 1}}
