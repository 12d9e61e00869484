"""The figure oracle (``figure_oracle.py``) over built briefs: every recomputed figure is on
its page, in both languages, on the demo data (all 24 reports) and on the tiny data set of
other shapes (a country with one year of records, another with a new partner, zero years)."""

from pathlib import Path

import pytest
from conftest import PROJECT, build_project, write_csv
from figure_oracle import Pdf, Tables, check_country, check_ilo_pack, check_words, check_year


@pytest.fixture(scope="session")
def demo_briefs(tmp_path_factory) -> Path:
    """The shipped demo data, every report of 2025 in both languages."""
    return build_project(tmp_path_factory.mktemp("demo") / "project", PROJECT / "data" / "raw")


def _write_shapes(raw: Path) -> Path:
    """Other shapes: KAZ monitored 2019-2025 with years of nothing (2020, 2022-2024) and a new
    partner in 2025 whose source column says three different things; TJK with one year."""
    header = ["Страна", "Дата", "Тип нарушения", "Число пострадавших", "Источник", "Ссылка"]
    write_csv(
        raw / "violations" / "steppe_2019-2025.csv",
        header,
        [
            ["Казахстан", "2019-02-11", "Запрет забастовки", "40", "Степной дозор", "https://e.org/s1"],
            ["Казахстан", "2019-06-03", "Задержание активиста", "1", "Степной дозор", "https://e.org/s2"],
            ["Казахстан", "2019-09-20", "Давление и запугивание", "2", "Степной дозор", "https://e.org/s3"],
            ["Казахстан", "2021-04-14", "Запрет забастовки", "15", "Степной дозор", "https://e.org/s4"],
            ["Казахстан", "2021-11-30", "Давление и запугивание", "", "Степной дозор", "https://e.org/s5"],
            ["Казахстан", "2025-03-08", "Задержание активиста", "3", "Степной дозор", "https://e.org/s6"],
            ["Казахстан", "2025-05-01", "Запрет забастовки", "120", "Степной дозор", "https://e.org/s7"],
            ["Таджикистан", "2025-07-19", "Давление и запугивание", "1", "Степной дозор", "https://e.org/s8"],
            ["Таджикистан", "2025-08-02", "Задержание активиста", "2", "Степной дозор", "https://e.org/s9"],
        ],
        title="SYNTHETIC test data",
    )  # fmt: skip
    write_csv(
        raw / "violations" / "newcomer-2025.csv",
        header,
        [
            ["Kazakhstan", "2025-09-09", "harassment", "1", "media", "https://e.org/n1"],
            ["Kazakhstan", "2025-10-10", "strike ban", "7", "СМИ", "https://e.org/n2"],
            ["Kazakhstan", "2025-12-01", "strike ban", "9", "Newcomer Legal Aid", "https://e.org/n3"],
        ],
        title="SYNTHETIC test data",
    )  # fmt: skip
    write_csv(
        raw / "legislation" / "acts.csv",
        ["Страна", "Название", "Дата принятия", "Направленность", "Конвенции МОТ"],
        [
            ["Казахстан", "Поправки о забастовках", "2020-07-01", "ограничительный", "C087"],
            ["Таджикистан", "Закон о профсоюзах", "2025-02-01", "защитный", "C087; C098"],
        ],
        title="SYNTHETIC test data",
    )
    (raw.parent / "partners.csv").write_text(
        "code,name_en,name_ru,country,files\n"
        "steppe,Steppe Watch,Степной дозор,KAZ;TJK,violations/steppe_*;legislation/*\n",
        encoding="utf-8",
    )
    return raw


@pytest.fixture(scope="session")
def shapes_briefs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shapes") / "project"
    raw = _write_shapes(root / "data" / "raw")
    return build_project(root, raw, countries=["KAZ", "TJK"], themes=(), regional=False)


@pytest.mark.slow
def test_every_figure_of_briefs_on_years_of_nothing_and_a_new_partner(shapes_briefs):
    findings, checked = check_year(
        shapes_briefs / "outputs" / "briefs", shapes_briefs / "data" / "processed", 2025
    )
    assert checked == 4  # the regional overview and a theme are checked on the other sets
    assert not findings, "\n".join(map(str, findings))
    kaz = Pdf.read(shapes_briefs / "outputs" / "briefs" / "2025" / "en" / "KAZ.pdf")
    # the new file is one partner, whatever its source column says ("media", "СМИ", a name)
    assert kaz.find("0 partners reported in 2024, 2 in 2025: counts are not comparable", 1)


@pytest.mark.slow
def test_every_figure_of_the_demo_briefs_is_on_its_page(demo_briefs):
    findings, checked = check_year(
        demo_briefs / "outputs" / "briefs", demo_briefs / "data" / "processed", 2025
    )
    assert checked == 24
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.slow
def test_the_ilo_pack_summary_counts_what_the_processed_table_gives(demo_briefs, tmp_path):
    from analysis.publish import ilo_pack

    processed = demo_briefs / "data" / "processed"
    data = Tables.read(processed)
    findings = []
    # a period starting mid-month: month-dated cases straddle its start
    for country, since, until in (("BLR", "2024-09-15", "2025-08-31"),):
        written = ilo_pack.write(country, since, until, ["ru", "en"], processed, tmp_path)
        for path in (p for p in written if p.suffix == ".pdf"):
            lang = path.stem.rsplit("_", 1)[1]
            findings += check_ilo_pack(Pdf.read(path), data, country, since, until, lang)
            findings += check_words(Pdf.read(path), lang)
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.slow
def test_every_figure_of_briefs_on_other_shapes_is_on_its_page(built_briefs):
    findings, checked = check_year(
        built_briefs / "outputs" / "briefs", built_briefs / "data" / "processed", 2025
    )
    assert checked == 8  # KGZ, TJK, the regional overview and one theme, in two languages
    assert not findings, "\n".join(map(str, findings))


def test_the_oracle_names_the_pdf_page_and_figure_of_a_wrong_number(tmp_path):
    """Planted errors: the oracle is not vacuous."""
    from conftest import write_tiny_raw

    from analysis.clean import clean_all

    clean_all(write_tiny_raw(tmp_path / "raw"), tmp_path / "processed", max_year=2025)
    data = Tables.read(tmp_path / "processed")
    right = Pdf(
        tmp_path / "KGZ.pdf",
        [
            "1 Documented violations 0% vs 2024 41 Persons affected 1 Restrictive legal changes "
            "0 Protective legal changes In 2025 monitors documented 1 violation "
            "Most often: arrest or detention of an activist (1). The records name 1 person "
            "affected.",
            "Source: Monitoring records of partner organisations (3 reports) 1 1 100% "
            "Sector not reported 1 Alleged perpetrator not reported 1",
        ],
    )
    assert check_country(right, data, "KGZ", 2025, "en") == []
    wrong = Pdf(
        right.path, [right.pages[0].replace("1 Documented", "2 Documented"), right.pages[1]]
    )
    [finding] = check_country(wrong, data, "KGZ", 2025, "en")
    assert "KGZ.pdf page 1: documented violations (key figure)" in str(finding)
    plural = Pdf(tmp_path / "KAZ.pdf", ["Источник: записи (1 031 сообщений)", "рост — нет."])
    found = [str(f) for f in check_words(plural, "ru")]
    assert found == [
        "KAZ.pdf page 1: plural after 1031: expected '1031 сообщение'",
        "KAZ.pdf page 2: sentence about nothing: expected '— нет'",
    ]
