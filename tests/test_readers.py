from pathlib import Path

import pytest
from conftest import VIOLATION_HEADER_RU, write_csv
from openpyxl import Workbook

from analysis.clean import read_dataset
from analysis.readers import FileReadError, read_partner_file

ROW = ["Казахстан", "15.12.2025", "Арест активиста", "1", "", "нет", "", "", ""]
EN_HEADER = ["Country", "Date", "Category", "Persons affected", "Victim names", "Public",
             "Description", "Source", "URL"]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "delimiter", "suffix"),
    [
        ("cp1251", ";", ".csv"),
        ("utf-8-sig", ",", ".csv"),
        ("utf-8", "\t", ".tsv"),
        ("utf-16", "\t", ".txt"),
    ],
)
def test_text_files_in_partner_encodings(tmp_path, encoding, delimiter, suffix):
    path = write_csv(tmp_path / f"f{suffix}", VIOLATION_HEADER_RU, [ROW, ROW], encoding=encoding,
                     delimiter=delimiter, title="Отчёт партнёра за 2025 год")  # fmt: skip
    [table] = read_partner_file(path, path.name, "violations")
    assert table.header_row == 2
    assert table.frame["country"].tolist() == ["Казахстан", "Казахстан"]
    assert table.frame["source_row"].tolist() == [3, 4]
    assert table.delimiter == delimiter


def test_xlsx_header_below_title_rows_on_every_sheet(tmp_path):
    workbook = Workbook()
    first = workbook.active
    first.title = "2024"
    first.append(["Мониторинг нарушений"])
    first.append([])
    first.append(EN_HEADER)
    first.append(["Kazakhstan", 45000, "strike ban", 3, "", "no", "", "", ""])
    notes = workbook.create_sheet("Notes")
    notes.append(["just some notes"])
    second = workbook.create_sheet("2025")
    second.append(VIOLATION_HEADER_RU)
    second.append(ROW)
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    tables = read_partner_file(path, "book.xlsx", "violations")
    assert [t.sheet for t in tables] == ["2024", "2025"]
    assert tables[0].header_row == 3
    assert tables[0].frame["source_row"].tolist() == [4]
    assert tables[0].frame["date"].tolist() == ["45000"]  # Excel serial kept as text for the parser


def test_unreadable_file_is_reported_and_others_still_read(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "violations" / "good.csv", VIOLATION_HEADER_RU, [ROW])
    (raw / "violations" / "broken.xlsx").write_bytes(b"not a zip at all")
    (raw / "violations" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    data = read_dataset(raw, "violations")
    assert len(data.frame) == 1
    errors = {e["file"]: e["error"] for e in data.errors}
    assert set(errors) == {"violations/broken.xlsx", "violations/image.png"}
    assert "xlsx" in errors["violations/broken.xlsx"]


def test_missing_required_column_names_file_and_headers(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "violations" / "nodate.csv", ["Страна", "Тип нарушения", "Комментарий"],
              [["Казахстан", "арест", "x"]])  # fmt: skip
    data = read_dataset(raw, "violations")
    [error] = data.errors
    assert error["file"] == "violations/nodate.csv"
    assert "date" in error["error"] and "Комментарий" in error["error"]


def test_no_header_at_all(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(FileReadError, match="no recognised violations header"):
        read_partner_file(path, "junk.csv", "violations")


def test_extra_columns_are_kept_aside(tmp_path):
    raw = tmp_path / "raw"
    write_csv(
        raw / "violations" / "x.csv", [*VIOLATION_HEADER_RU, "Примечание"], [[*ROW, "заметка"]]
    )
    data = read_dataset(raw, "violations")
    assert data.extras[["column", "value"]].values.tolist() == [["Примечание", "заметка"]]
    assert "Примечание" not in data.frame.columns


def test_demo_folder_reads_without_errors():
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    for dataset in ("violations", "legislation", "migration"):
        data = read_dataset(raw, dataset)
        assert data.errors == []
        assert all(f["is_synthetic"] for f in data.files)
