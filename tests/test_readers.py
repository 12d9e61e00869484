from pathlib import Path

import pytest
from conftest import VIOLATION_HEADER_RU, write_csv
from openpyxl import Workbook

from analysis.clean import read_dataset
from analysis.ingest.readers import FileReadError, read_partner_file

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
    with pytest.raises(FileReadError, match="no violations header in the first 30 rows") as err:
        read_partner_file(path, "junk.csv", "violations")
    assert "a;b" not in str(err.value) and "'a'" not in str(err.value)  # cells are never echoed


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


# The fast (pyarrow) reader must give exactly what pandas' parser gives, or step aside.
TRICKY_ROWS = [
    ROW,
    [
        "Кыргызстан",
        "2025",
        "strike ban",
        "007",
        "",
        "да",
        'описание; с "кавычками"\nи переносом',
        "",
        "",
    ],
    ["  Узбекистан ", "12.2025", "", "NA", "", "", "N/A", "", ""],
    ["", "", "", "", "", "", "", "", ""],
    ["Беларусь", "1.5", "x", "1,5", "", "True", "null", "", ""],
]


@pytest.mark.parametrize(("encoding", "delimiter"),
                         [("cp1251", ";"), ("utf-8-sig", ","), ("utf-16", "\t"), ("utf-8", "|")])  # fmt: skip
def test_fast_reader_gives_what_pandas_gives(tmp_path, encoding, delimiter):
    from analysis.ingest.readers import _read_body, _read_body_fast

    path = write_csv(tmp_path / "f.csv", VIOLATION_HEADER_RU, TRICKY_ROWS, encoding=encoding,
                     delimiter=delimiter, title="Отчёт")  # fmt: skip
    width = len(VIOLATION_HEADER_RU)
    fast = _read_body_fast(
        path, encoding if encoding != "utf-8" else "utf-8-sig", delimiter, 2, width
    )
    slow = _read_body(path, encoding, delimiter, 2, width)
    assert fast is not None
    assert fast.equals(slow.fillna("")), (fast, slow)
    assert fast.iloc[1, 3] == "007" and fast.iloc[2, 3] == "NA"  # text kept as written


def test_blank_and_short_lines_keep_their_line_numbers(tmp_path):
    lines = [";".join(VIOLATION_HEADER_RU), ";".join(ROW), "", ";".join(ROW), "Казахстан;2025", ""]
    path = tmp_path / "gaps.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    [table] = read_partner_file(path, path.name, "violations")
    assert table.frame["source_row"].tolist() == [2, 3, 4, 5]
    assert table.frame["country"].tolist() == ["Казахстан", "", "Казахстан", "Казахстан"]


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_blank_line_between_regular_rows_is_a_row(tmp_path, line_end):
    """Only regular rows and a blank line: the fast parser must step aside for pandas' (which
    keeps the blank line as a row), or every later source_row would be off by one."""
    lines = [";".join(VIOLATION_HEADER_RU), ";".join(ROW), "", ";".join(ROW)]
    path = tmp_path / "blank.csv"
    path.write_bytes(line_end.join(lines).encode("utf-8"))
    [table] = read_partner_file(path, path.name, "violations")
    assert table.frame["source_row"].tolist() == [2, 3, 4]
    assert table.frame["country"].tolist() == ["Казахстан", "", "Казахстан"]
