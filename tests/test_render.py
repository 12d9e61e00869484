"""The PDF step's shortcuts change nothing in the PDF."""

import datetime as dt

import pytest

from analysis import render

HTML = (
    "<html lang='ru'><body><h1>Отчёт о нарушениях</h1><p>Профсоюз <b>«Солидарность»</b> "
    "и 1\u202f234 работника; <i>strike ban</i> — ILO C087.</p>"
    "<table><tr><th>Год</th><th>Случаи</th></tr><tr><td>2019</td><td>17</td></tr></table>"
    "</body></html>"
)


def test_lean_font_subsetting_gives_the_same_pdf_bytes(monkeypatch):
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset:
        pytest.skip("HarfBuzz-Subset is installed: WeasyPrint does not use fontTools")
    created = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    render.lean_font_subsetting()
    lean = fonts.Font.clean
    assert getattr(lean, "lean", False)
    lean_pdf, pages = render.html_to_pdf_bytes(HTML, created=created)
    monkeypatch.setattr(fonts.Font, "clean", lean.__wrapped__)
    monkeypatch.setattr(render, "lean_font_subsetting", lambda: None)
    plain_pdf, _ = render.html_to_pdf_bytes(HTML, created=created)
    assert pages == 1
    assert lean_pdf == plain_pdf
    assert (
        render._without_layout_tables.cache_info().hits
        + render._without_layout_tables.cache_info().misses
        > 0
    )
