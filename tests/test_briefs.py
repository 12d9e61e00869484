import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.run import batch

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture
def project(tiny_cleaned, tmp_path, monkeypatch):
    """A throwaway project root: cleaned tiny data and the brief notebook, cwd set to it."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    for name in ("country_brief.ipynb", "regional_overview.ipynb"):
        shutil.copy(NOTEBOOKS / name, root / "notebooks" / name)
    shutil.copytree(tiny_cleaned, root / "data" / "processed")
    monkeypatch.chdir(root)
    return root


def test_parameters_are_refused_before_any_kernel_starts(project):
    with pytest.raises(ValueError) as info:
        batch.plan(["XXX"], 1990, ["de"])
    message = str(info.value)
    assert "unknown country code(s) ['XXX']; valid: KAZ, KGZ, UZB, TJK, TKM, BLR" in message
    assert "year 1990 has no monitoring data; years with data: 2024-2025" in message
    assert "unsupported language(s) ['de']; valid: en, ru" in message


def test_latest_year_is_the_default(project):
    jobs = batch.plan(["KGZ"], None, ["en"])
    assert [j.year for j in jobs] == [2025]


@pytest.mark.slow
def test_raw_to_pdf_in_both_languages(built_briefs, monkeypatch):
    project = built_briefs
    monkeypatch.chdir(project)
    # Built by the shared run (conftest.built_briefs): found up to date, read from the manifest.
    results = batch.run_batch(batch.plan(["KGZ", "TJK"], 2025, ["ru", "en"]), workers=2)
    assert [(r.country, r.lang, r.status) for r in results] == [
        ("KGZ", "en", "up to date"), ("TJK", "en", "up to date"),
        ("KGZ", "ru", "up to date"), ("TJK", "ru", "up to date"),
    ]  # fmt: skip
    expected_name = {("KGZ", "ru"): "Кыргызстан", ("KGZ", "en"): "Kyrgyzstan",
                     ("TJK", "ru"): "Таджикистан", ("TJK", "en"): "Tajikistan"}  # fmt: skip
    for r in results:
        pdf = project / "outputs" / "briefs" / "2025" / r.lang / f"{r.country}.pdf"
        assert (project / "outputs" / "notebooks" / "2025" / r.lang / f"{r.country}.ipynb").exists()
        reader = PdfReader(pdf)
        pages = [page.extract_text() for page in reader.pages]
        assert r.pages == len(pages) >= 2
        assert expected_name[(r.country, r.lang)] in pages[0][:400]
        marker = "SYNTHETIC DEMO DATA" if r.lang == "en" else "СИНТЕТИЧЕСКИЕ ДЕМО-ДАННЫЕ"
        assert all(marker in page for page in pages), "every page must say the data is synthetic"
        text = "\n".join(pages)
        assert "Образцов" not in text and "Выдуманов" not in text  # non-public victims
        assert "nan" not in text.lower().split()
        assert reader.metadata.title.startswith(expected_name[(r.country, r.lang)])
        assert reader.trailer["/Root"]["/Lang"] == r.lang
        attachments = reader.attachments
        assert f"{r.country}_2025_violations_per_year.csv" in attachments
        attached = "".join(b.decode("utf-8") for files in attachments.values() for b in files)
        assert "Образцов" not in attached and "Примерова" not in attached  # aggregates only
        assert str(project) not in (project / r.notebook).read_text(encoding="utf-8")


@pytest.mark.slow
def test_regional_overview(built_briefs, monkeypatch):
    monkeypatch.chdir(built_briefs)
    [result] = batch.run_batch(batch.plan([], 2025, ["en"], regional=True), workers=1)
    assert result.status == "up to date" and result.pdf.endswith("2025/en/regional.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(built_briefs / result.pdf).pages)
    assert "Mission countries" in text and "Kyrgyzstan" in text and "Tajikistan" in text


@pytest.mark.slow
def test_a_failing_brief_is_reported_and_the_others_complete(project):
    import nbformat

    path = project / "notebooks" / "country_brief.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            'if country == "TJK":\n    raise RuntimeError("bad data for TJK")'
        ),
    )
    nbformat.write(notebook, path)
    results = batch.run_batch(batch.plan(["KGZ", "TJK"], 2025, ["en"]), workers=2)
    by_country = {r.country: r for r in results}
    assert by_country["KGZ"].status == "ok"
    failed = by_country["TJK"]
    assert failed.status == "failed"
    # Cell 3 of the notebook is cell 4 once papermill has injected the parameters cell.
    assert failed.error == {"cell": 4, "ename": "RuntimeError", "evalue": "bad data for TJK"}
    manifest = json.loads(
        (project / "outputs/briefs/2025/manifest.json").read_text(encoding="utf-8")
    )
    assert {b["country"]: b["error"] for b in manifest["briefs"]}["TJK"][
        "evalue"
    ] == "bad data for TJK"
    assert (project / failed.notebook).exists()  # partial notebook kept for debugging
    assert not (project / "outputs" / "briefs" / "2025" / "en" / "TJK.pdf").exists()


WORLD_BANK = Path(__file__).resolve().parents[1] / "data" / "external" / "world_bank"


def _publisher_values(country: str) -> dict[str, tuple[int, float]]:
    """Latest year and value per indicator, read straight from the publisher's files with
    pandas (not through the importer)."""
    import pandas as pd

    netm = pd.read_csv(
        next((WORLD_BANK / "wdi_net_migration_csv").glob("API_*.csv")),
        skiprows=4,
        encoding="utf-8-sig",
    )
    remit = pd.read_excel(
        next((WORLD_BANK / "wdi_remittances_usd_xls").glob("*.xls")), sheet_name="Data", skiprows=3,
        engine="calamine",
    )  # fmt: skip
    pop = pd.read_csv(WORLD_BANK / "wb_population_datahub" / "population.csv")
    # WPP 2022 ("World Population Prospects: 2022 Revision" in the indicator metadata)
    # estimates up to 2021; later years are projections, never shown as measured
    about = next((WORLD_BANK / "wdi_net_migration_csv").glob("Metadata_Indicator_*.csv"))
    revision = int(re.search(r"Prospects: (\d{4}) Revision", about.read_text("utf-8-sig"))[1])
    out = {}
    for name, wide, last in (
        ("net_migration", netm, revision - 1),
        ("remittances_usd", remit, 2025),
    ):
        row = wide[wide["Country Code"] == country].iloc[0]
        years = [
            c for c in wide.columns if str(c).isdigit() and int(c) <= last and pd.notna(row[c])
        ]
        out[name] = (int(years[-1]), float(row[years[-1]]))
    series = pop[(pop["Country Code"] == country) & (pop["Year"] <= 2025)].sort_values("Year")
    out["population"] = (int(series["Year"].iloc[-1]), float(series["Value"].iloc[-1]))
    return out


def _shown(value: float, lang: str, scale: float = 1.0) -> str:
    if scale == 1e6 and abs(value) >= 1e9:  # sums of a billion and more: "US$2.8 billion"
        text = f"{value / 1e9:,.1f}".replace("-", "\u2212")
        return text.replace(".", ",") + " млрд" if lang == "ru" else f"US${text} billion"
    text = f"{value / scale:,.0f}".replace("-", "\u2212")
    return text.replace(",", " ") if lang == "ru" else text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_public_context_is_the_publishers_figures_in_the_briefs_language(built_briefs, lang):
    for country in ("KGZ", "TJK"):
        pdf = built_briefs / "outputs" / "briefs" / "2025" / lang / f"{country}.pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\u00a0", " ")
        values = _publisher_values(country)
        for indicator, (year, value) in values.items():
            scale = 1e6 if indicator == "remittances_usd" else 1.0
            assert _shown(value, lang, scale) in text, (country, indicator, year, value)
            assert f"{year}*" in text or year == 2025
        if lang == "en":
            assert "World Bank WDI (CC BY 4.0)" in text
            assert "Всемирный банк" not in text and "синтетические" not in text
        else:
            assert "Всемирный банк, WDI (CC BY 4.0)" in text
            for english in ("World Bank", "last updated", "synthetic", "per million", "Source:"):
                assert english not in text, english
    regional = built_briefs / "outputs" / "briefs" / "2025" / lang / "regional.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(regional).pages)
    assert ("World Bank WDI" if lang == "en" else "Всемирный банк, WDI") in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_thematic_report_in_the_batch(built_briefs, lang):
    pdf = built_briefs / "outputs" / "briefs" / "2025" / lang / "theme-persecution.pdf"
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    assert 3 <= len(pages) <= 8
    marker = "SYNTHETIC DEMO DATA" if lang == "en" else "СИНТЕТИЧЕСКИЕ ДЕМО-ДАННЫЕ"
    assert all(marker in page for page in pages)
    text = "\n".join(pages)
    assert ("Persecution of activists" if lang == "en" else "Преследование активистов") in text
    assert "Образцов" not in text and "Выдуманов" not in text
    manifest = json.loads((built_briefs / "outputs/briefs/2025/manifest.json").read_text("utf-8"))
    assert {b["country"] for b in manifest["briefs"]} >= {"theme-persecution", "regional", "KGZ"}
