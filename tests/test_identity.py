"""Records keep their identity: incident_id and act_id come from content, so inserting rows,
renaming, splitting or reordering files, or another partner reporting the same incident
leaves every ID as it was."""

from pathlib import Path

import pandas as pd
from conftest import LEGISLATION_HEADER_RU, VIOLATION_HEADER_RU, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import clean_all

# country, date, category, persons, names, public, description, source, url
INCIDENTS = [
    ["Казахстан", "12.03.2024", "Запрет забастовки", "40", "", "да", "Забастовку нефтяников запретили", "Дозор", "https://news.example/kz/strike-12"],
    ["Kazakhstan", "2024-03-12", "strike ban", "40", "", "yes", "Oil workers' strike banned", "Digest", "https://NEWS.example/kz/strike-12/"],
    ["Кыргызстан", "05.05.2024", "Давление и запугивание", "1", "", "да", "Активиста вызвали в полицию из-за поста", "Дозор", ""],
    ["Кыргызстан", "05.05.2024", "Давление и запугивание", "2", "", "да", "Активиста вызвали в полицию из-за поста!", "Другой", ""],
    ["Таджикистан", "2024", "Задержка зарплаты", "15", "", "да", "", "Дозор", ""],
    ["Таджикистан", "2024", "Задержка зарплаты", "30", "", "да", "", "Дозор", ""],
    ["Беларусь", "01.09.2024", "Ликвидация профсоюза", "", "", "да", "Суд ликвидировал профсоюз", "Центр", "https://court.example/by/1"],
]  # fmt: skip
ACTS = [
    ["Казахстан", "Закон о профсоюзах", "10.03.2024", "ограничительный", "C087"],
    ["Казахстан", "Закон о профсоюзах.", "10.03.2024", "ограничительный", "C098"],
    ["Узбекистан", "Трудовой кодекс (изменения)", "2023", "защитный", ""],
]


def _ids(raw: Path, tmp: Path) -> tuple[dict, dict]:
    clean_all(raw, tmp, max_year=2025)
    v = pd.read_parquet(tmp / "violations.parquet")
    acts = pd.read_parquet(tmp / "legislation.parquet")
    key = v["country"] + "|" + v["date"] + "|" + v["persons_affected"].astype("string").fillna("-")
    return dict(zip(key, v["incident_id"], strict=True)), dict(
        zip(acts["country"] + "|" + acts["date_adopted"], acts["act_id"], strict=True)
    )


def _write(raw: Path, groups: list[list[list[str]]], names: list[str], acts: list[list[str]]):
    for rows, name in zip(groups, names, strict=True):
        if rows:
            write_csv(raw / "violations" / name, VIOLATION_HEADER_RU, rows, title="SYNTHETIC")
    write_csv(raw / "legislation" / "acts.csv", LEGISLATION_HEADER_RU, acts, title="SYNTHETIC")
    return raw


_BASELINE: dict = {}


def _baseline(tmp_path: Path):
    """The IDs of the files as first sent (computed once per test session)."""
    if "ids" not in _BASELINE:
        raw = _write(tmp_path / "base" / "raw", [INCIDENTS], ["partner.csv"], ACTS)
        _BASELINE["ids"] = _ids(raw, tmp_path / "base" / "processed")
    return _BASELINE["ids"]


def test_ids_are_content_not_position(tmp_path):
    incidents, acts = _baseline(tmp_path)
    assert len(incidents) == 5 and len(acts) == 2  # two reports merged twice, one act twice
    raw = _write(
        tmp_path / "moved" / "raw",
        [
            [
                [
                    "Узбекистан",
                    "07.07.2024",
                    "Запрет забастовки",
                    "3",
                    "",
                    "да",
                    "Новый случай",
                    "X",
                    "",
                ]
            ]
            + INCIDENTS[::-1],
        ],
        ["renamed_2025-01-15.csv"],
        [["Кыргызстан", "Новый закон", "2024-01-01", "защитный", ""], *ACTS[::-1]],
    )
    moved, moved_acts = _ids(raw, tmp_path / "moved" / "processed")
    assert {k: moved[k] for k in incidents} == incidents
    assert {k: moved_acts[k] for k in acts} == acts


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.permutations(range(len(INCIDENTS))),
    cut=st.integers(min_value=0, max_value=len(INCIDENTS)),
    names=st.sampled_from(
        [("a.csv", "b.csv"), ("zz_last.csv", "aa_first.csv"), ("p/q.csv", "r.csv")]
    ),
    act_order=st.permutations(range(len(ACTS))),
)
def test_ids_survive_any_order_and_split_of_files(tmp_path_factory, order, cut, names, act_order):
    base = tmp_path_factory.mktemp("base")
    incidents, acts = _baseline(base)
    shuffled = [INCIDENTS[i] for i in order]
    root = tmp_path_factory.mktemp("shuffled")
    raw = _write(
        root / "raw", [shuffled[:cut], shuffled[cut:]], list(names), [ACTS[i] for i in act_order]
    )
    assert _ids(raw, root / "processed") == (incidents, acts)
