"""The PDF step's shortcuts change nothing a reader sees."""

import datetime as dt

import pytest

from analysis.publish import render

CREATED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
PAGE = (
    "<html lang='{lang}'><body><h1>{title}</h1><p>{text} <b>{bold}</b> <i>{italic}</i></p>"
    "<table><tr><th>Год / year</th><th>n</th></tr><tr><td>2019</td><td>1\u202f234</td></tr>"
    "</table></body></html>"
)
RU = PAGE.format(
    lang="ru",
    title="Отчёт о нарушениях трудовых прав",
    text="Профсоюз «Солидарность» — запрет забастовки; ▲ защитные, ▼ ограничительные.",
    bold="Ратифицировано",
    italic="по данным партнёров",
)
RARE = PAGE.format(
    lang="kk",
    title="Қазақстан: Өскемен, Ұлытау",  # letters outside the common set
    text="Ғ, Ң, Һ, І and ½ ∞ ≈",
    bold="Ўзбекистон",
    italic="Ёлдошев",
)


def _pixels(pdf: bytes) -> list[bytes]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=100 / 72).to_pil().convert("RGB").tobytes() for page in document]
    finally:
        document.close()


@pytest.fixture
def plain_subsetting(monkeypatch):
    """Switch back to WeasyPrint's own subsetting, per PDF (for the duration of a test)."""
    from weasyprint.pdf import fonts

    render.lean_font_subsetting()
    lean = fonts.Font.clean

    def plain():
        monkeypatch.setattr(fonts.Font, "clean", lean.__wrapped__)
        monkeypatch.setattr(render, "lean_font_subsetting", lambda: None)

    return plain


def test_fonts_subset_once_give_the_same_pages(plain_subsetting):
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset:
        pytest.skip("HarfBuzz-Subset is installed: WeasyPrint does not use fontTools")
    render._SUBSETS.clear()
    lean = {
        name: render.html_to_pdf_bytes(html, created=CREATED)[0]
        for name, html in [("ru", RU), ("rare", RARE)]
    }
    assert len(render._SUBSETS) >= 2  # one subset per font, and one for the rare glyphs
    plain_subsetting()
    for name, html in [("ru", RU), ("rare", RARE)]:
        plain = render.html_to_pdf_bytes(html, created=CREATED)[0]
        assert _pixels(lean[name]) == _pixels(plain), name


def test_a_pdfs_bytes_do_not_depend_on_what_was_rendered_before():
    render._SUBSETS.clear()
    alone = render.html_to_pdf_bytes(RU, created=CREATED)[0]
    render._SUBSETS.clear()
    render.html_to_pdf_bytes(RARE, created=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    after = render.html_to_pdf_bytes(RU, created=CREATED)[0]
    assert after == alone


def test_the_wrapped_weasyprint_method_is_still_the_one_we_patch():
    """render.lean_font_subsetting wraps WeasyPrint's private Font.clean(self, to_unicode,
    hinting); a WeasyPrint that renames or reshapes it must fail here, not slow down or
    break PDFs silently (the version is pinned in pyproject.toml for that reason)."""
    import inspect

    from weasyprint.pdf import fonts

    render.lean_font_subsetting()
    original = getattr(fonts.Font.clean, "__wrapped__", fonts.Font.clean)
    assert list(inspect.signature(original).parameters) == ["self", "to_unicode", "hinting"]
    from weasyprint.text.ffi import harfbuzz_subset

    if not harfbuzz_subset:
        assert fonts.Font.clean.lean and fonts.Font.clean is not original  # the wrapper is on
