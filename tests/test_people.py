"""Deciding that a column holds people's names: a model of personal names that knows
organisations, so a source column is read and a names column is refused."""

import pandas as pd
import pytest
from conftest import write_csv, write_tiny_raw

from analysis.clean import clean_all
from analysis.privacy.people import is_person_name, looks_like_names


@pytest.mark.parametrize(
    "cell",
    [
        "Тлеубердиева Меруерт",
        "Oripov Jasurbek",
        "Ҷӯраев Фаррух",
        "Ömürbekova Aijan",
        "Нуриддинов С.",
        "Saidakbar Rustamzoda",
        "Kuanysh Abenuly",
    ],
)
def test_people_read_as_people(cell):
    assert is_person_name(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "Центр защиты трудовых прав",
        "Valley Workers' Centre",
        "Радио Озодлик",
        "Labour Rights Watch",
        "Телеграм канал",
        "Суд обжаловал",
        "Ожидает решения суда",
    ],
)
def test_organisations_and_text_are_not_people(cell):
    assert not is_person_name(cell)


def test_a_partners_own_name_is_an_organisation_whatever_it_looks_like():
    values = pd.Series(["Бекова Асем", "Бекова Асем", "СМИ"])
    assert looks_like_names(values)  # could be a person
    assert not looks_like_names(values, partners=["Бекова Асем"])  # the registry says: a partner


def _file(raw, header_of_extra, values):
    header = ["Страна", "Дата", "Тип нарушения", "Число пострадавших", header_of_extra]
    rows = [
        ["Кыргызстан", f"0{i + 1}.04.2025", "Запрет забастовки", "3", v]
        for i, v in enumerate(values)
    ]
    return write_csv(raw / "violations" / "new-partner.csv", header, rows, title="SYNTHETIC")


def test_a_source_column_under_an_unknown_header_is_read_not_refused(tmp_path):
    raw = write_tiny_raw(tmp_path / "raw")
    _file(raw, "Откуда сведения", ["СМИ", "Valley Workers' Centre", "media", "Центр трудовых прав"])
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    assert not [e for e in report["unreadable_files"] if "new-partner" in e["file"]]
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    assert (table["source_file"] == "violations/new-partner.csv").sum() == 4


def test_names_under_an_unknown_header_are_refused_and_the_advice_is_safe(tmp_path):
    raw = write_tiny_raw(tmp_path / "raw")
    _file(raw, "Участники", ["Абдуллаева Шахноза", "Турсунов Ильхом", "Karimova Dildora"])
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    [error] = [e["error"] for e in report["unreadable_files"] if "new-partner" in e["file"]]
    assert "column 5" in error and "reads as people's names" in error
    assert "rename the header to" not in error  # never: turn this column into victim names
    shared = (tmp_path / "processed" / "quality_report.md").read_text(encoding="utf-8")
    assert "Шахноза" not in shared and "Ильхом" not in shared and "Dildora" not in shared


def test_people_named_in_a_set_aside_comment_are_protected_everywhere(tmp_path):
    """A lawyer's comment column is read and set aside; a person it names is withheld from
    every shared text, here another partner's public description."""
    from conftest import VIOLATION_HEADER_RU

    raw = write_tiny_raw(tmp_path / "raw")
    header = ["Страна", "Дата", "Тип нарушения", "Число пострадавших", "Комментарий юриста"]
    write_csv(
        raw / "violations" / "lawyers.csv",
        header,
        [
            [
                "Кыргызстан",
                "02.04.2025",
                "Запрет забастовки",
                "3",
                "Клиент Жолдошева Бегимай, апелляция",
            ]
        ],
        title="SYNTHETIC",
    )
    public = ["Кыргызстан", "09.04.2025", "Давление и запугивание", "1", "", "да",
              "Бегимай Жолдошеву вызвали в прокуратуру", "Дозор", ""]  # fmt: skip
    write_csv(raw / "violations" / "public.csv", VIOLATION_HEADER_RU, [public], title="SYNTHETIC")
    clean_all(raw, tmp_path / "processed", max_year=2025)
    shared = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    text = " ".join(shared["description"].dropna())
    assert "Жолдошев" not in text and "Бегимай" not in text and "прокуратуру" in text
    protected = pd.read_parquet(tmp_path / "processed" / "private" / "protected_names.parquet")
    assert "Жолдошева Бегимай" in set(protected["name"])  # "Клиент" is not taken for a name
