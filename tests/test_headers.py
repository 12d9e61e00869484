"""Headers as project data: a new partner's own wording is read tolerantly, what is not known
is reported with ranked candidates, and a researcher maps it without touching the package."""

import pandas as pd
import pytest
from conftest import write_csv

from analysis.clean import clean_all
from analysis.ingest.readers import ROW_NUMBER, header_column
from analysis.vocab import project as mappings


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("Страна / Country", "country"),
        ("Country | Страна", "country"),
        ("Дата нарушения\nDate of incident", "date"),
        ("Количество пострадавших (человек)", "persons_affected"),
        ("Категория [по классификатору]", "category"),
        ("№", ROW_NUMBER),
        ("№ п/п", ROW_NUMBER),
        ("No.", ROW_NUMBER),
        ("Страна / Date", None),  # two parts that disagree: not trusted
        ("Заметки юриста", None),
        ("Дата события", "date"),  # one known word in a longer header, as for labels
        ("Отрасль экономики", "sector"),
        ("Ссылка на источник", None),  # source or url: two meanings, none taken
        ("Имена задержанных", "victim_names"),  # names never pass as another column
    ],
)
def test_headers_are_read_tolerantly(cell, column):
    assert header_column(cell, "violations") == column


def test_a_scale_in_brackets_is_never_dropped():
    """'(тыс. чел.)' multiplies every value: such a header stays unknown rather than read as
    persons."""
    assert header_column("Значение (тыс. чел.)", "migration") is None
    assert header_column("Значение (чел.)", "migration") == "value"


def _new_partner_file(raw):
    header = [
        "№ п/п",
        "Страна / Country",
        "Когда произошло",
        "Категория нарушения",
        "Пострадало (чел.)",
        "Источник информации / Source",
        "Комментарий юриста",
    ]
    rows = [
        ["1", "Казахстан", "12.02.2025", "Запрет забастовки", "30", "СМИ", "дело в суде"],
        ["2", "Кыргызстан", "03.03.2025", "Давление и запугивание", "2", "Steppe Watch", ""],
    ]
    return write_csv(
        raw / "violations" / "steppe-watch_2025.csv",
        header,
        rows,
        title="SYNTHETIC: отчёт партнёра за 2025 год",
    )


def test_unknown_headers_are_suggested_and_accepted_as_project_mappings(tmp_path):
    raw, mapping_dir = tmp_path / "raw", tmp_path / "mappings"
    _new_partner_file(raw)
    clean_all(raw, tmp_path / "processed", max_year=2025, mappings_dir=mapping_dir)
    suggestions = pd.read_csv(tmp_path / "processed" / "suggestions.csv", dtype=str)
    headers = suggestions[suggestions["kind"] == "columns_violations"].set_index("label")
    assert {"Когда произошло", "Комментарий юриста"} <= set(headers.index)
    assert "№ п/п" not in headers.index  # a numbering column is not unknown
    feedback = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "processed" / "feedback").iterdir()
    )
    assert "Когда произошло" in feedback and "Комментарий юриста" in feedback
    assert headers.loc["Категория нарушения", "suggestion_1"] == "category"  # ranked candidates
    # the researcher says what the partner's headers mean, and cleans again
    headers.loc["Когда произошло", "accept"] = "date"
    headers.loc["Категория нарушения", "accept"] = "1"
    assert "Пострадало (чел.)" not in headers.index  # read tolerantly, as labels are
    marked = tmp_path / "marked.csv"
    headers.reset_index().to_csv(marked, index=False)
    assert mappings.accept(marked, mapping_dir) == {"columns_violations": 2}
    assert "Когда произошло" in (mapping_dir / "columns_violations.csv").read_text("utf-8")
    clean_all(raw, tmp_path / "processed", max_year=2025, mappings_dir=mapping_dir)
    table = pd.read_parquet(tmp_path / "processed" / "violations.parquet")
    assert sorted(table["date"]) == ["2025-02-12", "2025-03-03"]
    assert sorted(table["persons_affected"]) == [2, 30]
    assert set(table["source"]) == {"СМИ", "Steppe Watch"}  # the source stays a source
    report = (tmp_path / "processed" / "quality_report.md").read_text(encoding="utf-8")
    assert "Комментарий юриста" in report  # the extra column is read and reported


def test_a_project_header_for_an_unknown_column_is_refused_with_file_and_line(tmp_path):
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "columns_violations.csv").write_text(
        "code,alias\ndate,Когда\nwhen_exactly,Точное время\n", encoding="utf-8"
    )
    with pytest.raises(
        mappings.MappingError, match=r"columns_violations.csv, line 3: unknown code"
    ):
        mappings.read_project(folder)
