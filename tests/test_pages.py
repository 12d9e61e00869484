"""The pages as a reader sees them: no markup printed, no word broken without a hyphen, no
page left mostly empty, every attachment listed, chart numbers in the brief's language."""

import re

import matplotlib.text
import pandas as pd
import pytest
from pypdf import PdfReader

from analysis.publish import charts, pagecheck


def _pdfs(built_briefs):
    return sorted((built_briefs / "outputs" / "briefs" / "2025").glob("*/*.pdf"))


@pytest.mark.slow
def test_no_markup_no_broken_word_no_empty_page(built_briefs):
    vocabulary = pagecheck.label_vocabulary()
    pdfs = _pdfs(built_briefs)
    assert len(pdfs) == 8  # KGZ, TJK, the regional overview and a theme, in both languages
    for pdf in pdfs:
        texts = pagecheck.page_texts(pdf)
        assert pagecheck.markup_in(texts) == [], pdf
        assert pagecheck.broken_words(pagecheck.text_lines(pdf), vocabulary) == [], pdf
        assert pagecheck.near_empty_pages(pdf) == [], pdf


@pytest.mark.slow
def test_every_attached_file_is_listed_by_its_name(built_briefs):
    for pdf in _pdfs(built_briefs):
        attached = set(PdfReader(pdf).attachments)
        text = "".join(pagecheck.page_texts(pdf)).replace("\r", "").replace("\n", "")
        assert attached and all(name in text for name in attached), pdf


def test_the_checks_find_what_they_look_for():
    assert pagecheck.markup_in(['x rel="attachment">file.csv', "p < 0.05"]) == [(1, 'rel="')]
    runs = [
        [
            (100.0, 390.0, 150.0, 397.0, "Сообщавшие"),
            (100.0, 381.0, 130.0, 388.0, "партнё"),  # a cell's next line, same left edge
            (100.0, 372.0, 130.0, 379.0, "ры"),
            (200.0, 390.0, 260.0, 397.0, "Защитные-"),
            (200.0, 381.0, 260.0, 388.0, "изменения"),
        ]
    ]
    vocabulary = {"партнёры", "сообщавшие", "защитные", "изменения"}
    assert pagecheck.broken_words(runs, vocabulary) == [(1, "партнё|ры")]


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_chart_numbers_follow_the_briefs_language(lang):
    years = list(range(2019, 2025))
    values = pd.DataFrame({"year": years, "value": [-12.4, -3.5, 0.5, 2.25, 1234.5, 7.0]})
    table = pd.DataFrame(
        {"A": [1500.5, 2500.25, 12000.0], "B": [1.5, 2.5, 3.5]}, index=[2022, 2023, 2024]
    )
    figures = [
        charts.bar_by_year(values, "value", "t", "y", highlight=2024, lang=lang),
        charts.lines_by_year(table, "t", "y", {"A": "a", "B": "b"}, lang=lang),
        charts.small_multiples(table, "t", "y", {}, lang=lang),
        charts.horizontal_bars(["a", "b"], [2.5, 1234.0], "t", lang=lang),
    ]
    for fig in figures:
        fig.canvas.draw()
        text = _texts(fig)
        if lang == "ru":
            assert not re.search(r"\d\.\d", text), text  # no decimal point
            assert re.search(r"\d,\d", text), text  # a decimal comma
            assert not re.search(r"\d,\d{3}\b", text), text  # no comma thousands
            assert re.search("\\d\u2009\\d{3}", text), text  # thin-space thousands
        else:
            assert re.search(r"\d\.\d", text) and re.search(r"\d,\d{3}", text), text
        charts.plt.close(fig)


def test_a_chart_laid_out_once_has_the_pixels_of_a_plain_save():
    """charts.render runs the layout itself to draw once; the PNG must not change."""
    import io

    years = list(range(2016, 2026))
    table = pd.DataFrame(
        {
            code: [float((i * 7 + k * 3) % 11) for i in range(len(years))]
            for k, code in enumerate("ABCDE")
        },
        index=years,
    )
    labels = {code: f"Страна {code} с длинным названием" for code in table.columns}

    def draw():
        return charts.lines_by_year(
            table, "Мигранты за рубежом по странам назначения", "тыс.", labels, lang="ru"
        )

    plain = io.BytesIO()
    reference = draw()
    reference.savefig(plain, format="png", dpi=170)
    assert charts.render(draw()) == plain.getvalue()
