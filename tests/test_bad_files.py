"""One bad file never sinks the run: each case is a damaged or hostile partner file next to a
good one; the good file's rows must be kept, the bad one reported in one short line."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import MIGRATION_HEADER_RU, VIOLATION_HEADER_RU, write_csv

from analysis import clean
from analysis.clean import clean_all
from analysis.ingest.readers import detect_delimiter
from analysis.run import batch

GOOD = ["Узбекистан", "03.02.2025", "Запрет забастовки", "4", "", "да", "Запрет", "Партнёр Г", ""]


def _with_good(raw: Path) -> Path:
    write_csv(raw / "violations" / "good.csv", VIOLATION_HEADER_RU, [GOOD], title="SYNTHETIC")
    return raw


def _kept_good(report: dict) -> bool:
    return report["datasets"]["violations"]["files"]["violations/good.csv"]["rows_kept"] == 1


def _run_cli(
    *args: str, cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis.run.cli", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd,
    )  # fmt: skip


def test_a_long_cell_is_read_not_crashed_on(tmp_path):
    raw = _with_good(tmp_path / "raw")
    long_text = "Очень длинное описание. " * 8000  # ~200 KB, past the csv module's default limit
    row = ["Казахстан", "01.02.2025", "арест", "1", "", "да", long_text, "П", ""]
    write_csv(
        raw / "violations" / "long.csv",
        VIOLATION_HEADER_RU,
        [row, GOOD[:1] + ["09.09.2025"] + GOOD[2:]],
    )
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    assert report["unreadable_files"] == []
    assert report["datasets"]["violations"]["files"]["violations/long.csv"]["rows_kept"] == 2


def test_numbers_out_of_range_are_rejects(tmp_path):
    raw = _with_good(tmp_path / "raw")
    huge = ["Казахстан", "01.02.2025", "арест", "9" * 30, "", "да", "x", "П", ""]
    write_csv(raw / "violations" / "huge.csv", VIOLATION_HEADER_RU, [huge])
    write_csv(raw / "migration" / "m.csv", MIGRATION_HEADER_RU, [
        ["Кыргызстан", "Россия", "9" * 25, "Численность мигрантов за рубежом", "10", "чел."],
        ["Кыргызстан", "Россия", "2024", "Численность мигрантов за рубежом", "1" + "0" * 400, "чел."],
        ["Кыргызстан", "Россия", "2023", "Численность мигрантов за рубежом", "inf", "чел."],
        ["Кыргызстан", "Россия", "2022", "Численность мигрантов за рубежом", "NaN", "чел."],
        ["Кыргызстан", "Россия", "2021", "Численность мигрантов за рубежом", "9" * 300 + " млрд", "чел."],
        ["Кыргызстан", "Россия", "2020", "Численность мигрантов за рубежом", "500", "чел."],
    ])  # fmt: skip
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    assert _kept_good(report)
    v = report["datasets"]["violations"]["files"]["violations/huge.csv"]
    assert v["rows_rejected"] == 1
    m = report["datasets"]["migration"]
    assert (m["rows_kept"], m["rows_rejected"]) == (1, 5)
    values = pd.read_parquet(tmp_path / "p" / "migration.parquet")["value"]
    assert values.tolist() == [500.0]


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_part(data: bytes, part: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:  # fmt: skip
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_before_it_is_inflated(tmp_path):
    raw = _with_good(tmp_path / "raw")
    data = _xlsx_bytes([VIOLATION_HEADER_RU, GOOD])
    padding = b"<!--" + b" " * (8 * 1024**2) + b"-->"  # 8 MB that compress to a few KB
    bomb = _rewrite_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda c: c.replace(b"<sheetData>", padding + b"<sheetData>", 1),
    )
    (raw / "violations" / "bomb.xlsx").write_bytes(bomb)
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    [error] = report["unreadable_files"]
    assert error["file"] == "violations/bomb.xlsx" and "zip bomb" in error["error"]
    assert _kept_good(report)


def test_an_xlsx_declaring_a_huge_sheet_reads_its_real_rows(tmp_path):
    raw = tmp_path / "raw"
    data = _xlsx_bytes([VIOLATION_HEADER_RU, GOOD])
    huge = _rewrite_part(data, "xl/worksheets/sheet1.xml",
                         lambda c: c.replace(b'<dimension ref="A1:I2"/>', b'<dimension ref="A1:XFD1048576"/>'))  # fmt: skip
    assert huge != data
    (raw / "violations").mkdir(parents=True)
    (raw / "violations" / "wide.xlsx").write_bytes(huge)
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    assert report["unreadable_files"] == []
    assert report["datasets"]["violations"]["rows_kept"] == 1


def test_delimiter_detection_is_linear_on_a_crafted_line():
    crafted = '"' + "'a" * 20000 + ',"\n' + ("x;" * 5000 + "\n") * 3
    assert detect_delimiter(crafted, ".csv") == ";"
    assert detect_delimiter("a;b;c\n1;2;3\n", ".csv") == ";"
    assert detect_delimiter('a,b,c\n1,"x;y",3\n', ".csv") == ","


def test_a_link_out_of_the_raw_folder_is_refused(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.csv"
    write_csv(secret, VIOLATION_HEADER_RU, [["Казахстан", "01.01.2025", "арест", "1", "Секретов Гриф", "нет", "тайна", "П", ""]])  # fmt: skip
    raw = _with_good(tmp_path / "raw")
    os.symlink(secret, raw / "violations" / "link.csv")
    run = _run_cli("clean", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "p"))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    everything = run.stdout + run.stderr + "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "p").rglob("*") if p.is_file() and p.suffix in {".md", ".json", ".csv"}
    )  # fmt: skip
    assert "Секретов" not in everything and "тайна" not in everything
    assert "outside the raw folder" in run.stderr


def test_binary_and_duplicate_header_files_get_one_short_line(tmp_path):
    raw = _with_good(tmp_path / "raw")
    content = (";".join(VIOLATION_HEADER_RU) + "\n").encode() + b"\x00" * 20000 + b"x" * 16000
    (raw / "violations" / "nul.csv").write_bytes(content)
    header = ["Страна", "Дата", "Дата инцидента", "Тип нарушения"]
    write_csv(raw / "violations" / "twice.csv", header, [["Казахстан", "2025", "2025", "арест"]])
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    errors = {e["file"]: e["error"] for e in report["unreadable_files"]}
    assert len(errors["violations/nul.csv"]) < 300 and "NUL" in errors["violations/nul.csv"]
    assert "duplicate headers" in errors["violations/twice.csv"]
    assert "'date'" in errors["violations/twice.csv"]
    assert _kept_good(report)


def test_a_file_that_breaks_a_cleaner_is_set_apart(tmp_path, monkeypatch):
    raw = _with_good(tmp_path / "raw")
    write_csv(raw / "violations" / "poison.csv", VIOLATION_HEADER_RU, [GOOD[:3] + ["7"] + GOOD[4:]])
    original = clean.CLEANERS["violations"]

    def fragile(frame, **kwargs):
        if frame["source_file"].eq("violations/poison.csv").any():
            raise OverflowError("simulated bug")
        return original(frame, **kwargs)

    monkeypatch.setitem(clean.CLEANERS, "violations", fragile)
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    assert report["unreadable_files"] == [
        {
            "file": "violations/poison.csv",
            "error": "unexpected error while cleaning (OverflowError)",
        }
    ]
    assert _kept_good(report) and report["datasets"]["violations"]["rows_in"] == 1


def test_csv_formulas_and_report_markup_are_inert(tmp_path):
    raw = _with_good(tmp_path / "raw")
    bad = [
        "Казахстан",
        "01.02.2025",
        '=HYPERLINK("http://evil.example","x")',
        "1",
        "",
        "да",
        "",
        "+cmd",
        "",
    ]
    label = [
        "Казахстан",
        "01.02.2025",
        "<img src=x onerror=alert(1)>",
        "1",
        "",
        "да",
        "",
        "@SUM(A1)",
        "",
    ]
    write_csv(raw / "violations" / "inject.csv", VIOLATION_HEADER_RU, [bad, label])
    clean_all(raw, tmp_path / "p", max_year=2025)
    rejects = (tmp_path / "p" / "rejects" / "violations.csv").read_text(encoding="utf-8")
    cells = [c.strip('"') for line in rejects.splitlines() for c in line.split('","')]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "-"))]
    assert "'=HYPERLINK" in rejects
    markdown = (tmp_path / "p" / "quality_report.md").read_text(encoding="utf-8")
    assert "<img" not in markdown and "&lt;img" in markdown


def test_an_interrupted_clean_leaves_the_previous_tables(tmp_path, monkeypatch):
    raw = _with_good(tmp_path / "raw")
    processed = tmp_path / "p"
    clean_all(raw, processed, max_year=2025)
    (processed / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.relative_to(processed): p.read_bytes() for p in processed.rglob("*") if p.is_file()}
    write_csv(
        raw / "violations" / "more.csv", VIOLATION_HEADER_RU, [GOOD[:1] + ["04.02.2025"] + GOOD[2:]]
    )

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(clean.run, "quality_report_markdown", interrupted)  # at the very end
    with pytest.raises(KeyboardInterrupt):
        clean_all(raw, processed, max_year=2025)
    after = {p.relative_to(processed): p.read_bytes() for p in processed.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".p.*"))  # no staging folder left behind
    monkeypatch.undo()
    report = clean_all(raw, processed, max_year=2025)
    assert report["datasets"]["violations"]["rows_kept"] == 2
    assert (processed / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_swap_cut_short_is_repaired_by_the_next_run(tmp_path):
    raw = _with_good(tmp_path / "raw")
    processed = tmp_path / "p"
    clean_all(raw, processed, max_year=2025)
    processed.rename(tmp_path / ".p.old")  # killed between the two renames
    report = clean_all(raw, processed, max_year=2025)
    assert _kept_good(report) and not (tmp_path / ".p.old").exists()


def test_damaged_outputs_are_rebuilt_not_trusted(tmp_path):
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)  # cut before its end
    assert not batch.pdf_intact(pdf)
    pdf.write_bytes(b"")
    assert not batch.pdf_intact(pdf)
    manifest = batch.manifest_path(str(tmp_path), 2025)
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"briefs": [', encoding="utf-8")
    assert batch.read_manifest(str(tmp_path), 2025) == {}


def test_bad_parameters_get_one_line_before_any_work(tmp_path, tiny_raw):
    processed = tmp_path / "p"
    clean_all(tiny_raw, processed, max_year=2025)
    project = Path(__file__).resolve().parents[1]
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        ["--countries", ","],
        ["--lang", ","],
        ["--output-dir", str(a_file)],
        ["--output-dir", str(a_file / "below")],
    ]
    for extra in cases:
        run = _run_cli("briefs", "--processed-dir", str(processed), *extra, cwd=project, timeout=60)
        assert run.returncode == 2, (extra, run.stderr)
        assert "Traceback" not in run.stderr and run.stderr.startswith("error: ")
        assert len(run.stderr.strip().splitlines()) == 1
    (processed / "quality_report.json").write_text("{broken", encoding="utf-8")
    run = _run_cli("briefs", "--processed-dir", str(processed), "--output-dir", str(tmp_path / "o"),
                   cwd=project, timeout=120)  # fmt: skip
    assert run.returncode == 2 and "quality_report.json" in run.stderr
    assert "Traceback" not in run.stderr
    jobs = batch.plan(["KGZ", "kgz", "KGZ"], 2025, ["en", "en"], str(processed), str(tmp_path / "o"),
                      str(project / "notebooks" / "country_brief.ipynb"))  # fmt: skip
    assert [(j.country, j.lang) for j in jobs] == [("KGZ", "en")]
    assert not Path(jobs[0].processed_dir).is_absolute()


@pytest.mark.slow
def test_ctrl_c_during_briefs_ends_within_seconds(tmp_path, tiny_raw):
    processed = tmp_path / "p"
    clean_all(tiny_raw, processed, max_year=2025)
    project = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis.run.cli", "briefs", "--processed-dir", str(processed),
         "--output-dir", str(tmp_path / "o"), "--jobs", "2"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(5)  # kernels starting or briefs running
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("Ctrl-C did not end the batch within 30 s")
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr
    if process.returncode == 130:
        assert "interrupted" in stderr
    manifest = tmp_path / "o" / "briefs" / "2025" / "manifest.json"
    if manifest.exists():
        json.loads(manifest.read_text(encoding="utf-8"))  # whole, readable
    assert not list((tmp_path / "o").rglob("*.tmp"))


def test_a_quote_open_to_the_end_of_the_file_costs_one_row(tmp_path):
    raw = tmp_path / "raw"
    lines = [";".join(VIOLATION_HEADER_RU),
             'Туркменистан;05.05.2025;арест;1;Овезова Майса;нет;"без конца;П;']  # fmt: skip
    lines += [f"Туркменистан;{d:02d}.05.2025;арест;1;;да;случай {d};П;" for d in range(6, 26)]
    lines.append("Туркменистан;26.05.2025;арест;1;;да;лишнее;поле;П;;")
    (raw / "violations").mkdir(parents=True)
    (raw / "violations" / "open.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = clean_all(raw, tmp_path / "p", max_year=2025)
    entry = report["datasets"]["violations"]
    assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (22, 20, 2)
    assert entry["rejects_by_reason"] == {"bad_field_count": 1, "unclosed_quote": 1}
    rejects = pd.read_csv(tmp_path / "p" / "rejects" / "violations.csv")
    assert rejects["source_row"].tolist() == [2, 23]  # the file's own line numbers


def test_clean_refuses_a_processed_folder_that_is_a_file(tmp_path):
    raw = _with_good(tmp_path / "raw")
    a_file = tmp_path / "taken"
    a_file.write_text("x", encoding="utf-8")
    for target in (a_file, a_file / "below"):
        run = _run_cli("clean", "--raw-dir", str(raw), "--processed-dir", str(target))
        assert run.returncode == 2 and run.stderr.startswith("error: processed folder")
        assert len(run.stderr.strip().splitlines()) == 1
    assert a_file.read_text(encoding="utf-8") == "x"
