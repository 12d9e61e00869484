"""Corrections that win: a later version of a partner's file supersedes what it restates;
unrelated files that disagree settle nothing by alphabetical order."""

import pandas as pd
import pytest
from conftest import MIGRATION_HEADER_RU, write_csv
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean import clean_all
from analysis.clean.versions import file_version, versions

HEADER = [*MIGRATION_HEADER_RU, "Источник"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("migration/valley-obs_2025-06-30.xlsx#Лист1", ("migration/valley obs", "2025-06-30", 0)),
        ("migration/valley-obs_20260115.csv", ("migration/valley obs", "2026-01-15", 0)),
        ("migration/valley-obs v3.tsv", ("migration/valley obs", "", 3)),
        ("migration/valley-obs.csv", ("migration/valley obs", "", 0)),
        ("violations/digest_2015-2025.csv", ("violations/digest 2015 2025", "", 0)),  # no date
    ],
)
def test_file_names_tell_family_date_and_version(name, expected):
    assert file_version(name) == expected


@given(st.permutations(["m/obs.csv", "m/obs_v2.csv", "m/obs_v10.csv", "m/obs_2026-02-01.csv"]))
def test_version_order_is_never_alphabetical(files):
    order = versions(pd.Series(files)).set_index(pd.Index(files))["order"]
    assert order.to_dict() == {
        "m/obs.csv": 0,
        "m/obs_v2.csv": 1,
        "m/obs_v10.csv": 2,
        "m/obs_2026-02-01.csv": 3,
    }


def _row(value: str, year: str = "2024", source: str = "Обсерватория долины (синтетика)"):
    return ["Кыргызстан", "", year, "Выехало трудовых мигрантов", value, "чел.", source]


def test_a_later_file_wins_and_the_replaced_value_is_reported(tmp_path):
    raw = tmp_path / "raw"
    folder = raw / "migration"
    write_csv(folder / "valley-obs_v10.csv", HEADER, [_row("120 500"), _row("98 000", "2023")])
    write_csv(folder / "valley-obs_v2.csv", HEADER, [_row("118 000"), _row("97 000", "2023")])
    write_csv(folder / "valley-obs.csv", HEADER, [_row("90 000"), _row("5 000", "2022")])
    (raw / "violations").mkdir()
    (raw / "legislation").mkdir()
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    figures = pd.read_parquet(tmp_path / "processed" / "migration.parquet")
    kgz = figures[figures["country"] == "KGZ"].set_index("year")["value"].to_dict()
    assert kgz == {2022: 5000.0, 2023: 98000.0, 2024: 120500.0}  # v10 > v2 > unversioned
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "migration.csv")
    assert sorted(rejects["reason_code"]) == ["superseded"] * 3
    replaced = report["datasets"]["migration"]["superseded"]
    assert {(d["file"], d["replaced_by"]) for d in replaced} == {
        ("migration/valley-obs_v2.csv:2", "migration/valley-obs_v10.csv:2"),  # row 1: header
        ("migration/valley-obs_v2.csv:3", "migration/valley-obs_v10.csv:3"),
        ("migration/valley-obs.csv:2", "migration/valley-obs_v10.csv:2"),
    }
    markdown = (tmp_path / "processed" / "quality_report.md").read_text(encoding="utf-8")
    section = markdown.split("Values replaced by a later version", 1)[1].split("\n\n", 2)[1]
    assert len(section.splitlines()) == 3
    assert "118 000 -> 120,500.00" in section and "90 000 -> 120,500.00" in section


def test_unrelated_files_that_disagree_keep_neither_value(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "migration" / "aaa-first.csv", HEADER, [_row("1 000"), _row("7", "2023")])
    write_csv(raw / "migration" / "zzz-last.csv", HEADER, [_row("2 000"), _row("7", "2023")])
    (raw / "violations").mkdir()
    (raw / "legislation").mkdir()
    clean_all(raw, tmp_path / "processed", max_year=2025)
    figures = pd.read_parquet(tmp_path / "processed" / "migration.parquet")
    assert figures.set_index("year")["value"].to_dict() == {2023: 7.0}  # agreeing: merged
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "migration.csv")
    assert sorted(rejects["source_file"]) == ["migration/aaa-first.csv", "migration/zzz-last.csv"]
    assert set(rejects["reason_code"]) == {"conflicting_value"}
    assert all("unrelated files give different values" in r for r in rejects["reason"])


def test_a_later_version_corrects_a_case_count_and_an_acts_direction(tmp_path):
    from conftest import LEGISLATION_HEADER_RU, VIOLATION_HEADER_RU

    raw = tmp_path / "raw"

    def case(persons: str) -> list[str]:
        return ["Таджикистан", "14.05.2025", "Запрет забастовки", persons, "", "да",
                "Забастовку водителей запретили", "Дозор", "https://e.org/tjk/14"]  # fmt: skip

    folder = raw / "violations"
    write_csv(folder / "steppe-watch_2025-06-30.csv", VIOLATION_HEADER_RU, [case("40")])
    write_csv(folder / "steppe-watch_2026-01-15.csv", VIOLATION_HEADER_RU, [case("35")])
    act = ["Таджикистан", "Закон о собраниях", "01.03.2025", "{}", "C087"]
    write_csv(raw / "legislation" / "acts_v1.csv", LEGISLATION_HEADER_RU,
              [[c.format("нейтральный") for c in act]])  # fmt: skip
    write_csv(raw / "legislation" / "acts_v2.csv", LEGISLATION_HEADER_RU,
              [[c.format("ограничительный") for c in act]])  # fmt: skip
    (raw / "migration").mkdir()
    report = clean_all(raw, tmp_path / "processed", max_year=2025)
    [record] = pd.read_parquet(tmp_path / "processed" / "violations.parquet").to_dict("records")
    assert record["persons_affected"] == 35  # the later count, not the larger one
    assert record["n_reports"] == 2
    [entry] = report["datasets"]["violations"]["superseded"]
    assert entry["file"] == "violations/steppe-watch_2025-06-30.csv:2"
    assert entry["replaced_by"] == "violations/steppe-watch_2026-01-15.csv:2"
    assert entry["value"] == "persons affected 40" and entry["new_value"] == 35
    [act_row] = pd.read_parquet(tmp_path / "processed" / "legislation.parquet").to_dict("records")
    assert act_row["direction"] == "restrictive"
