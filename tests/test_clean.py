import json

import numpy as np
import pandas as pd
from conftest import VIOLATION_HEADER_RU, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import schema
from analysis.clean import (
    clean_all,
    clean_violations,
    cluster_rows,
    group_codes,
    read_dataset,
)

NAMES = ["Образцов Тимур", "Примерова Дина", "Выдуманов Азамат"]


def _shareable_text(processed) -> str:
    """Everything in the shareable outputs: processed tables, rejects, merged lists, reports."""
    parts = []
    for path in sorted(processed.rglob("*")):
        if not path.is_file() or "private" in path.parts:
            continue
        if path.suffix == ".parquet":
            parts.append(pd.read_parquet(path).to_csv())
        else:
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_tiny_raw_end_to_end(tiny_raw, tmp_path):
    processed = tmp_path / "processed"
    report = clean_all(tiny_raw, processed, max_year=2025)
    v = report["datasets"]["violations"]
    assert (v["rows_in"], v["rows_kept"], v["rows_merged_duplicates"], v["rows_rejected"]) == (
        5,
        3,
        1,
        1,
    )
    assert v["unmapped_labels"] == {"country": {"Атлантида": 1}}
    violations = pd.read_parquet(processed / "violations.parquet")
    schema.validate(violations, schema.VIOLATIONS)
    kgz = violations[violations["date"] == "2025-12-15"].iloc[0]
    assert kgz["country"] == "KGZ" and kgz["category"] == "activist_detention"
    assert kgz["n_reports"] == 2 and kgz["source"] == "Партнёр А; Partner B"
    assert not kgz["is_public"]
    assert "Образцов" not in kgz["description"]
    monthly = violations[violations["category"] == "wage_arrears"].iloc[0]
    assert (monthly["date"], monthly["date_precision"], monthly["month"]) == (
        "2024-12",
        "month",
        12,
    )
    yearly = violations[violations["country"] == "TJK"].iloc[0]
    assert (yearly["date"], yearly["date_precision"]) == ("2025", "year")
    assert pd.isna(yearly["month"])
    assert "Примерова" in yearly["description"]  # public case: the record may name her

    rejects = pd.read_csv(processed / "rejects" / "violations.csv")
    assert rejects[["source_file", "source_row", "reason"]].values.tolist() == [
        ["violations/partner.csv", 7, "country: unknown value 'Атлантида'"]
    ]
    names = pd.read_parquet(processed / "private" / "violations_names.parquet")
    assert sorted(names["victim_names"]) == ["Образцов Тимур", "Примерова Дина"]

    legislation = pd.read_parquet(processed / "legislation.parquet")
    assert legislation["ilo_conventions"].iloc[0] == "C087;C098"
    assert pd.isna(legislation["ilo_conventions"].iloc[1])
    migration = pd.read_parquet(processed / "migration.parquet").set_index(["year", "indicator"])
    assert migration.loc[(2025, "stock_abroad"), "value"] == 700_000
    assert migration.loc[(2025, "remittances_gdp_pct"), ["value", "unit", "partner"]].tolist() == [
        28.5,
        "pct_gdp",
        "WLD",
    ]
    assert report["is_synthetic"]


def test_no_name_in_any_shareable_output(tiny_raw, tmp_path):
    processed = tmp_path / "processed"
    clean_all(tiny_raw, processed, max_year=2025)
    text = _shareable_text(processed)
    for name in ("Образцов", "Выдуманов"):  # non-public victims (one rejected, one kept)
        assert name not in text
    assert "victim_names" not in pd.read_parquet(processed / "violations.parquet").columns


def test_rerun_gives_identical_files(tiny_raw, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    clean_all(tiny_raw, first, max_year=2025)
    clean_all(tiny_raw, second, max_year=2025)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_report_accounts_for_every_demo_row(tmp_path):
    from pathlib import Path

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    report = clean_all(raw, tmp_path / "p")
    assert report["unreadable_files"] == []
    for entry in report["datasets"].values():
        assert (
            entry["rows_in"]
            == entry["rows_kept"] + entry["rows_merged_duplicates"] + entry["rows_rejected"]
        )
        for f in entry["files"].values():
            assert f["rows_in"] == f["rows_kept"] + f["rows_merged_duplicates"] + f["rows_rejected"]
        assert entry["rows_rejected"] > 0 and entry["rows_merged_duplicates"] > 0
    saved = json.loads((tmp_path / "p" / "quality_report.json").read_text(encoding="utf-8"))
    assert saved["datasets"]["violations"]["rows_in"] == report["datasets"]["violations"]["rows_in"]
    assert "# Data quality report" in (tmp_path / "p" / "quality_report.md").read_text(
        encoding="utf-8"
    )


_VALID = ["Казахстан;15.12.2025;Арест активиста;1;{n};нет;{n} detained;P;https://e.org/{i}",
          "KZ;2025-12-15;strike ban;5;;да;strike;P;",
          "Кыргызстан;декабрь 2024;Задержка зарплаты;40;{n};yes;{n} unpaid;P;"]  # fmt: skip
_INVALID = ["Атлантида;15.12.2025;strike ban;1;{n};нет;{n};P;", "Казахстан;31.02.2025;strike ban;1;{n};нет;x;P;",
            "Казахстан;2025;непонятно;1;{n};нет;;P;", "Казахстан;2025;strike ban;много;{n};нет;;P;",
            ";;;;;;;;", "Казахстан;2025;strike ban;1;{n};может быть;{n};P;"]  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_VALID + _INVALID),
            st.sampled_from(NAMES),
            st.integers(0, 3),
            st.booleans(),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_random_mixes_keep_accounting_and_never_leak_names(tmp_path_factory, rows):
    raw = tmp_path_factory.mktemp("raw")
    lines = []
    for template, name, i, duplicate in rows:
        line = template.format(n=name, i=i).split(";")
        lines.append(line)
        if duplicate:
            lines.append(line)
    write_csv(raw / "violations" / "mix.csv", VIOLATION_HEADER_RU, lines)
    frame = read_dataset(raw, "violations").frame
    cleaned = clean_violations(frame, max_year=2025)
    assert len(frame) == len(cleaned.processed) + len(cleaned.merged) + len(cleaned.rejects)
    schema.validate(cleaned.processed, schema.VIOLATIONS)
    shareable = cleaned.processed.to_csv() + cleaned.rejects.to_csv() + cleaned.merged.to_csv()
    public_names = set()
    for names, public in cleaned.private["violations_names"][
        ["victim_names", "is_public"]
    ].itertuples(index=False):
        if public:
            public_names.update(names.split("; "))
    for name in NAMES:
        if name not in public_names:
            assert name.split()[0] not in shareable
    assert set(cleaned.rejects["source_row"]).isdisjoint(cleaned.processed["source_row"])


def test_cluster_rows_links_rows_sharing_any_key_transitively():
    # key A links rows 0-2, key B links rows 2-3; sparse codes and -1 (no key) are fine
    key_a = np.array([7, -1, 7, 3, -1])
    key_b = pd.Series(["x", None, "y", "y", None])
    assert cluster_rows([key_a, key_b]).tolist() == [0, 1, 0, 0, 4]


def _assert_one_code_per_combination(parts: list[np.ndarray]) -> None:
    codes = group_codes(*parts)
    missing = np.logical_or.reduce([p < 0 for p in parts])
    assert (codes[missing] == -1).all()
    seen = {}
    combinations = zip(*(p[~missing].tolist() for p in parts), strict=True)
    for key, code in zip(combinations, codes[~missing].tolist(), strict=True):
        assert seen.setdefault(key, code) == code  # same combination, same code
    assert len(set(seen.values())) == len(seen)  # different combinations, different codes


@given(st.lists(st.tuples(st.integers(-1, 3), st.integers(-1, 3)), min_size=1, max_size=30))
def test_group_codes_one_code_per_combination(pairs):
    _assert_one_code_per_combination([np.array(x) for x in zip(*pairs, strict=True)])


@given(st.lists(st.tuples(*[st.integers(-1, 2**40)] * 3), min_size=1, max_size=30))
def test_group_codes_wide_codes_do_not_overflow(triples):
    """Codes too wide to combine in 62 bits are re-numbered first: still one code per triple."""
    _assert_one_code_per_combination([np.array(x) for x in zip(*triples, strict=True)])


def test_group_codes_wide_codes_that_would_wrap_around_stay_distinct():
    # each part spans 2**32 codes: combined naively, the first part would vanish modulo 2**64
    top = 2**32 - 2
    a, b, c = np.array([0, 1, top]), np.array([0, 0, top]), np.array([0, 0, top])
    codes = group_codes(a, b, c)
    assert len(set(codes.tolist())) == 3
