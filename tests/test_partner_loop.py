"""The partner loop: tolerant matching that stays honest, suggestions, project mappings,
the data-entry template and the feedback a partner can act on."""

import datetime as dt
import random

import pandas as pd
import pytest
from conftest import write_csv
from openpyxl import load_workbook

from analysis.clean import clean_all
from analysis.ingest import template
from analysis.ingest.readers import template_sheet
from analysis.vocab import project as mappings
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


def code_of(label, kind="categories"):
    return Vocabulary().matcher(kind).get(reference.normalise_label(label))


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Arrest of a trade union activist", "activist_detention"),  # extra words, stop words
        ("activists detained", "activist_detention"),
        ("Отказ в гос. регистрации профсоюза", "union_registration_denied"),
        ("«Принудительый труд»", "forced_labour"),  # quotes and a typo
        ("Child labour — cotton harvest", "child_labour"),
        ("Детский труд на хлопковых полях", "child_labour"),
    ],
)
def test_variants_people_write_land_on_their_code(label, code):
    assert code_of(label) == code


@pytest.mark.parametrize(
    "label",
    [
        "police and prosecutor",  # one word of an alias inside a longer label decides nothing
        "Отказ в регистрации профсоюза и увольнение",  # two meanings: never one of them
        "misc, unclear",
    ],
)
def test_what_cannot_be_told_apart_is_not_guessed(label):
    assert code_of(label) is None


def test_unknown_labels_get_ranked_suggestions():
    found = Vocabulary().matcher("categories").suggest("Отказ в регистрации профсоюза и увольнение")
    codes = [c for c, _ in found]
    assert {"union_registration_denied", "antiunion_dismissal"} <= set(codes)
    assert all(0 <= s <= 100 for _, s in found) and found == sorted(found, key=lambda x: -x[1])


HEADER = [
    "Страна",
    "Дата",
    "Тип нарушения",
    "Число пострадавших",
    "ФИО пострадавших",
    "Публичный случай",
    "Описание",
    "Источник",
]


def _raw(tmp_path, labels):
    rows = [
        ["Казахстан", f"0{i + 1}.03.2025", label, "1", "", "нет", "", "П"]
        for i, label in enumerate(labels)
    ]
    write_csv(tmp_path / "raw" / "violations" / "partner_ru.csv", HEADER, rows)
    return tmp_path / "raw"


def test_rejects_report_and_suggestions_file_then_accept(tmp_path):
    raw = _raw(tmp_path, ["Увольнение за профсоюзную работу и угрозы", "Запрет забастовки"])
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "violations.csv")
    assert len(rejects) == 1 and "category: " in rejects["suggestion"].iloc[0]
    suggestions = pd.read_csv(tmp_path / "processed" / "suggestions.csv", keep_default_na=False)
    assert suggestions["label"].tolist() == ["Увольнение за профсоюзную работу и угрозы"]
    assert report["datasets"]["violations"]["unmapped_labels"]["category"]
    suggestions.loc[0, "accept"] = "antiunion_dismissal"
    marked = tmp_path / "marked.csv"
    suggestions.to_csv(marked, index=False)
    added = mappings.accept(marked, tmp_path / "mappings")
    assert added == {"categories": 1}
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    assert sorted(table["category"]) == ["antiunion_dismissal", "strike_restriction"]
    assert report["datasets"]["violations"]["rows_rejected"] == 0
    assert report["mappings"]["unused_project_aliases"] == []


def test_project_mappings_are_validated_with_file_and_line(tmp_path):
    raw = _raw(tmp_path, ["Запрет забастовки"])
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "categories.csv").write_text(
        "code,alias\nstrike_restriction,стачка запрещена\nno_such_code,x\n", encoding="utf-8"
    )
    with pytest.raises(
        mappings.MappingError, match=r"categories.csv, line 3: unknown code 'no_such_code'"
    ):
        clean_all(raw, tmp_path / "processed", max_year=2025)
    assert not (tmp_path / "processed").exists()  # refused before anything was written
    (folder / "categories.csv").write_text(
        "code,alias\nstrike_restriction,Стачка\nharassment,стачка\n", encoding="utf-8"
    )
    with pytest.raises(mappings.MappingError, match=r"line 3: alias 'стачка' is claimed by"):
        clean_all(raw, tmp_path / "processed", max_year=2025)
    (folder / "categories.csv").write_text(
        "code,alias\nharassment,запугивание свидетелей\n", encoding="utf-8"
    )
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    [unused] = report["mappings"]["unused_project_aliases"]
    assert unused["where"] == "categories.csv:2" and unused["kind"] == "categories"


def test_a_project_alias_overrides_a_shipped_one(tmp_path):
    raw = _raw(tmp_path, ["Запрет забастовки"])
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "categories.csv").write_text(
        "code,alias\nassembly_restriction,Запрет забастовки\n", encoding="utf-8"
    )
    clean_all(raw, tmp_path / "processed", max_year=2025)
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    assert table["category"].tolist() == ["assembly_restriction"]
    assert code_of("Запрет забастовки") == "strike_restriction"  # nothing left behind by the clean


def test_feedback_in_the_partners_language_without_protected_names(tmp_path, tiny_raw):
    clean_all(tiny_raw, tmp_path / "processed", max_year=2025)
    folder = tmp_path / "processed" / "feedback"
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    [violations] = [text for name, text in files.items() if name.startswith("violations_")]
    assert "Строка" in violations and "«Страна»" in violations and "«Атлантида»" in violations
    assert all("Выдуманов" not in text and "Образцов" not in text for text in files.values())


def _fill(path, lang, rng):
    book = load_workbook(path)
    lists = template.code_lists(lang)
    rows = {"violations": 25, "legislation": 8, "migration": 20}
    for dataset, n in rows.items():
        sheet = book[template_sheet(dataset, lang)]
        for r in range(n):
            for i, column in enumerate(template.columns(dataset), start=1):
                check, name = column["check"], column["column"]
                if name in ("victim_names", "partner", "unit"):
                    continue
                if name == "ilo_conventions":
                    value = "C087; C105"
                elif name == "indicator":
                    value = lists["indicators"][r % len(lists["indicators"])]
                elif check.startswith("list:"):
                    value = rng.choice(lists[check[5:]])
                elif check == "date":
                    value = dt.datetime(2024, 1 + r % 12, 1 + r % 27)
                elif check == "year":
                    value = 2019 + r % 6
                elif check in ("whole", "decimal"):
                    value = r + 3
                else:
                    value = f"{dataset} {r}"
                sheet.cell(row=r + 2, column=i, value=value)
    book.save(path)
    return rows


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_template_filled_with_valid_values_cleans_with_no_rejects(tmp_path, lang):
    [path] = template.write([lang], tmp_path / "t")
    raw = tmp_path / "raw" / "legislation"  # any dataset folder: every sheet is read
    raw.mkdir(parents=True)
    target = raw / "from_partner.xlsx"
    path.rename(target)
    rows = _fill(target, lang, random.Random(7))
    report = clean_all(
        tmp_path / "raw", tmp_path / "processed", max_year=2025, external_dir=tmp_path / "x"
    )
    for dataset, n in rows.items():
        entry = report["datasets"][dataset]
        assert entry["rows_in"] == n and entry["rows_rejected"] == 0, (
            dataset,
            entry["rejects_by_reason"],
        )


def test_template_keeps_its_drop_downs(tmp_path):
    [path] = template.write(["ru"], tmp_path)
    book = load_workbook(path)
    sheet = book["Нарушения"]
    rules = {str(r.sqref).split(":")[0]: r for r in sheet.data_validations.dataValidation}
    headers = [c.value for c in sheet[1]]
    category = rules[f"{chr(65 + headers.index('Тип нарушения'))}2"]
    assert category.type == "list" and "Коды" in category.formula1
    assert rules["B2"].type == "date"
    codes = book["Коды"]
    assert codes.protection.sheet
    assert "Принудительный труд" in [c.value for c in codes["C"]]
    assert book[template.TEMPLATE_MARKER].sheet_state == "veryHidden"
    instructions = " ".join(str(c.value) for c in book["Инструкция"]["A"])
    assert "публичн" in instructions.lower() and "имена" in instructions.lower()


def test_project_mappings_reach_the_sector_and_perpetrator_vocabularies(tmp_path):
    header = ["Страна", "Дата", "Тип нарушения", "Отрасль", "Нарушитель", "Источник"]
    rows = [
        [
            "Казахстан",
            "2025-03-02",
            "Запрет забастовки",
            "вахтовики месторождения",
            "охрана вахты",
            "П",
        ]
    ]
    write_csv(tmp_path / "raw" / "violations" / "p.csv", header, rows)
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "sectors.csv").write_text(
        "code,alias\noil_gas,вахтовики месторождения\n", encoding="utf-8"
    )
    (folder / "perpetrators.csv").write_text(
        "code,alias\nemployer,охрана вахты\n", encoding="utf-8"
    )
    report = clean_all(tmp_path / "raw", tmp_path / "processed", max_year=2025)
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    assert table[["sector", "perpetrator"]].values.tolist() == [["oil_gas", "employer"]]
    assert report["mappings"]["unused_project_aliases"] == []
