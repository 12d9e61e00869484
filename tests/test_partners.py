"""The partner registry decides who sent each raw file: partners are organisations, counted as
such, whatever their source column says."""

import pandas as pd
import pytest
from conftest import write_csv, write_tiny_raw
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean import clean_all
from analysis.clean.partners import RegistryError, partners_of, read_registry

REGISTRY = pd.DataFrame(
    {
        "code": ["steppe", "valley"],
        "name_en": ["Steppe Labour Watch", "Valley Workers' Centre"],
        "name_ru": ["Степной трудовой дозор", "Центр трудящихся долины"],
        "country": ["KAZ", "KGZ"],
        "files": ["violations/steppe_*;legislation/steppe*", "violations/valley/*"],
    }
)


def test_files_are_matched_to_their_partner_and_others_stand_alone():
    sources = pd.Series(
        [
            "violations/steppe_2025.csv:4",
            "violations/steppe_2024.xlsx#Лист1:7; violations/valley/q3.csv:2",
            "violations/unknown-ngo.tsv:9; violations/steppe_2025.csv:5",
        ]
    )
    assert partners_of(sources, REGISTRY).tolist() == [
        "steppe",
        "steppe; valley",
        "file:violations/unknown-ngo.tsv; steppe",
    ]


@given(st.permutations(["violations/steppe_a.csv:1", "violations/valley/x.csv:3", "b/c.csv:2"]))
def test_the_partners_of_a_record_do_not_depend_on_report_order(order):
    assert partners_of(pd.Series(["; ".join(order)]), REGISTRY).iloc[0] == (
        "file:b/c.csv; steppe; valley"
    )


def test_a_broken_registry_names_its_file_line_and_column(tmp_path):
    path = tmp_path / "partners.csv"
    REGISTRY.assign(name_ru=["Степной трудовой дозор", ""]).to_csv(path, index=False)
    with pytest.raises(RegistryError, match=r"partners.csv, line 3, column 'name_ru': empty"):
        read_registry(path)
    REGISTRY.drop(columns="files").to_csv(path, index=False)
    with pytest.raises(RegistryError, match=r"missing columns \['files'\]"):
        read_registry(path)


def test_a_new_partner_file_adds_one_partner_whatever_its_source_column_says(tmp_path):
    """The source column of one new file says three different things: one organisation."""
    raw = write_tiny_raw(tmp_path / "raw")
    REGISTRY.assign(files=["violations/partner.csv", "violations/valley/*"]).to_csv(
        tmp_path / "partners.csv", index=False
    )
    header = ["Страна", "Дата", "Тип нарушения", "Число пострадавших", "Источник"]
    write_csv(
        raw / "violations" / "valley" / "q4.csv",
        header,
        [
            ["Кыргызстан", "2025-10-01", "Запрет забастовки", "3", "СМИ"],
            ["Кыргызстан", "2025-10-09", "Запрет забастовки", "4", "media"],
            ["Кыргызстан", "2025-11-02", "Запрет забастовки", "5", "Valley Workers' Centre"],
        ],
    )
    clean_all(raw, tmp_path / "processed", max_year=2025)
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    kgz = table[(table["country"] == "KGZ") & (table["year"] == 2025)]
    assert {c for v in kgz["partners"] for c in v.split("; ")} == {"steppe", "valley"}
    shared = pd.read_csv(tmp_path / "processed" / "partners.csv")
    assert set(shared["code"]) == {"steppe", "valley"}
    assert shared.set_index("code").loc["valley", "name_ru"] == "Центр трудящихся долины"
