"""Private stays private: owner-only files, one saved set of protected names that later checks
use (names of a refused file included), partner files kept out of git."""

import os
import stat
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT, write_csv, write_tiny_raw

from analysis.clean import clean_all
from analysis.privacy import notes


@pytest.fixture
def world_readable_umask():
    old = os.umask(0)  # the most permissive: files would be 0666 and folders 0777
    yield
    os.umask(old)


def test_private_files_are_the_owners_only_whatever_the_umask(tmp_path, world_readable_umask):
    raw = write_tiny_raw(tmp_path / "raw")
    clean_all(raw, tmp_path / "processed", max_year=2025)
    private = tmp_path / "processed" / "private"
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    files = list(private.iterdir())
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    shared = tmp_path / "processed" / "violations.parquet"
    assert stat.S_IMODE(shared.stat().st_mode) == 0o666  # shared tables follow the umask


def test_a_note_naming_someone_from_a_refused_file_is_refused(tmp_path):
    """A file refused for names under a header that is not a names header: its names are
    saved with the others, so a monitor's note naming that person is refused."""
    raw = write_tiny_raw(tmp_path / "raw")
    write_csv(
        raw / "violations" / "refused.csv",
        ["Страна", "Дата", "Категория", "Кто", "Публичный"],
        [
            ["Кыргызстан", "03.03.2025", "арест", "Сыдыкова Айпери", "нет"],
            ["Кыргызстан", "04.03.2025", "арест", "Жээнбеков Нурлан", "нет"],
        ],
        title="SYNTHETIC test",
    )
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    assert [e["file"] for e in report["unreadable_files"]] == ["violations/refused.csv"]
    saved = pd.read_parquet(tmp_path / "processed" / "private" / "protected_names.parquet")
    assert any("Сыдыкова" in n for n in saved["name"])
    shield = notes.shield_from(tmp_path / "processed")
    assert shield.contains_name("Мы говорили с Айпери Сыдыковой о её деле")
    assert not shield.contains_name("Мы говорили с профсоюзом о забастовке")


def _ignored(path: str) -> bool:
    found = subprocess.run(["git", "check-ignore", "-q", path], cwd=PROJECT, check=False)
    return found.returncode == 0


@pytest.mark.skipif(not (PROJECT / ".git").exists(), reason="not a git checkout")
def test_partner_files_stay_out_of_git_but_the_demo_data_is_tracked():
    for new in (
        "data/raw/violations/steppe-watch_2026-01-15.xlsx",
        "data/raw/legislation/lawyers_comments.csv",
        "data/raw/migration/new/observatory.tsv",
    ):
        assert _ignored(new), new
    tracked = subprocess.run(
        ["git", "ls-files", "data/raw"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked and not any(_ignored(path) for path in tracked)
    assert not _ignored("data/partners.csv") and not _ignored("data/mappings/README.md")
    assert Path(PROJECT / "data" / "raw" / "README.md").exists()
