"""Shared fixtures: tiny raw folders written from inline rows, in the formats partners use."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

VIOLATION_HEADER_RU = ["Страна", "Дата инцидента", "Тип нарушения", "Число пострадавших",
                       "ФИО пострадавших", "Публичный случай", "Описание", "Источник", "Ссылка"]  # fmt: skip
LEGISLATION_HEADER_RU = ["Страна", "Название", "Дата принятия", "Направленность", "Конвенции МОТ"]
MIGRATION_HEADER_RU = ["Страна", "Страна назначения", "Год", "Показатель", "Значение", "Ед. изм."]


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8-sig",
              delimiter: str = ";", title: str | None = None) -> Path:  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if title:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def tiny_raw(tmp_path: Path) -> Path:
    """A raw folder with a handful of rows per dataset (two countries, two years, one duplicate)."""
    return write_tiny_raw(tmp_path / "raw")


@pytest.fixture(scope="session")
def tiny_cleaned(tmp_path_factory) -> Path:
    """The tiny raw folder cleaned once for the session (max year 2025). Read only: a test
    that changes processed files takes :func:`tiny_processed`, its own copy."""
    from analysis.clean import clean_all

    root = tmp_path_factory.mktemp("tiny")
    clean_all(write_tiny_raw(root / "raw"), root / "processed", max_year=2025)
    return root / "processed"


@pytest.fixture
def tiny_processed(tiny_cleaned, tmp_path) -> Path:
    """A test's own copy of the cleaned tiny data, at ``<tmp>/data/processed``."""
    import shutil

    folder = tmp_path / "data" / "processed"
    shutil.copytree(tiny_cleaned, folder)
    return folder


def write_tiny_raw(raw: Path) -> Path:
    """The files of :func:`tiny_raw` under ``raw``."""
    write_csv(
        raw / "violations" / "partner.csv",
        VIOLATION_HEADER_RU,
        [
            [
                "Киргизия",
                "15.12.2025",
                "Арест активиста",
                "1",
                "Образцов Тимур",
                "нет",
                "Активист Образцов Тимур задержан",
                "Партнёр А",
                "https://example.org/1",
            ],
            [
                "Kyrgyzstan",
                "2025-12-15",
                "activist_detention",
                "1",
                "Образцов Тимур",
                "no",
                "Activist detained",
                "Partner B",
                "https://example.org/1",
            ],
            ["KG", "декабрь 2024", "Задержка зарплаты", "40", "", "да", "Rent", "Партнёр А", ""],
            [
                "Таджикистан",
                "2025",
                "strike ban",
                "12",
                "Примерова Дина",
                "да",
                "Примерова Дина: strike banned",
                "Партнёр А",
                "",
            ],
            [
                "Атлантида",
                "01.01.2025",
                "strike ban",
                "1",
                "Выдуманов Азамат",
                "нет",
                "Выдуманов Азамат",
                "Партнёр А",
                "",
            ],
        ],  # fmt: skip
        title="SYNTHETIC test data",
    )
    write_csv(
        raw / "legislation" / "acts.csv",
        LEGISLATION_HEADER_RU,
        [
            ["Кыргызстан", "Закон о профсоюзах", "10.03.2025", "ограничительный", "C87, C98"],
            ["Таджикистан", "Закон о труде", "2024", "защитный", ""],
        ],
        title="SYNTHETIC test data",
    )
    write_csv(
        raw / "migration" / "stats.csv",
        MIGRATION_HEADER_RU,
        [
            ["Кыргызстан", "Россия", "2024", "Численность мигрантов за рубежом", "650 000", "чел."],
            ["Кыргызстан", "Россия", "2025", "Численность мигрантов за рубежом", "0,7 млн", "чел."],
            ["Кыргызстан", "", "2025", "Переводы % ВВП", "28,5", "% ВВП"],
            ["Кыргызстан", "", "2024", "Переводы % ВВП", "30,1", "% ВВП"],
        ],
        title="SYNTHETIC test data",
    )
    return raw


PROJECT = Path(__file__).resolve().parents[1]
NOTEBOOKS = PROJECT / "notebooks"


def build_project(
    root: Path, raw: Path, countries=None, themes=("all",), regional=True, max_year=None
) -> Path:
    """A project root with the notebooks, the shipped World Bank downloads imported, ``raw``
    cleaned and the 2025 briefs of ``countries`` (None: every monitored one) rendered in both
    languages; every brief must end ok."""
    import os
    import shutil

    from analysis.clean import clean_all
    from analysis.ingest.wdi import import_wdi
    from analysis.run import batch

    (root / "notebooks").mkdir(parents=True)
    for name in ("country_brief.ipynb", "regional_overview.ipynb", "thematic_report.ipynb"):
        shutil.copy(NOTEBOOKS / name, root / "notebooks" / name)
    external = root / "data" / "external"
    import_wdi([PROJECT / "data" / "external" / "world_bank"], external)  # the shipped downloads
    clean_all(raw, root / "data" / "processed", max_year=max_year, external_dir=external)
    here = os.getcwd()
    os.chdir(root)
    try:
        jobs = batch.plan(countries, 2025, ["ru", "en"], regional=regional, themes=list(themes))
        results = batch.run_batch(jobs, workers=2)
    finally:
        os.chdir(here)
    assert {r.status for r in results} == {"ok"}, [r.error_text for r in results]
    return root


@pytest.fixture(scope="session")
def built_briefs(tmp_path_factory) -> Path:
    """One batch run shared by the end-to-end tests that only read its outputs: a project
    root (notebooks, the tiny data cleaned) with KGZ and TJK briefs and the regional overview
    in both languages, and one thematic report."""
    root = tmp_path_factory.mktemp("built") / "project"
    raw = write_tiny_raw(root / "raw")
    return build_project(root, raw, ["KGZ", "TJK"], themes=["persecution"], max_year=2025)
