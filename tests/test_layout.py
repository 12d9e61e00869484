"""Markup written by partners or translators is text, never markup: every section of both brief
kinds, fed with hostile text in every free-text column, escapes it in the HTML and shows it as
text in the PDF."""

from __future__ import annotations

import pandas as pd
import pytest
from pypdf import PdfReader

from analysis.indicators import inputs
from analysis.publish import brief, layout, render

HOSTILE = "<script>alert('x')</script> & <img src=http://evil.example/p.png> \"q\""


@pytest.fixture
def hostile_ctx(tiny_processed):
    """The tiny data with hostile text in every free-text column of every processed table."""
    folder = tiny_processed
    for name, columns in {
        "violations": [
            "sector",
            "sector_reported",
            "perpetrator_reported",
            "location",
            "description",
            "source",
        ],
        "legislation": ["title", "summary", "source"],
        "migration": ["source"],
    }.items():
        path = folder / f"{name}.parquet"
        table = pd.read_parquet(path)
        table[columns] = HOSTILE
        if name == "violations":
            table["is_public"] = True  # public cases show their description and place
        table.to_parquet(path, index=False)
    inputs._READ.clear()
    return folder


SECTIONS = [
    *(f for f in (brief.title_block, brief.key_figures, brief.summary, brief.notable_cases,
                  brief.standards_panel, brief.methodology)),
    *brief.COUNTRY_SECTIONS,
]  # fmt: skip


@pytest.mark.parametrize("country", ["TJK", brief.REGIONAL])
def test_hostile_text_is_escaped_in_every_section(hostile_ctx, country):
    ctx = brief.load(country, 2025, "en", hostile_ctx)
    sections = SECTIONS if country != brief.REGIONAL else [brief.title_block, *brief.REGIONAL_SECTIONS, brief.methodology]  # fmt: skip
    shown = 0
    for section in sections:
        page = section(ctx).html
        assert "<script" not in page and "<img src=http" not in page, section.__name__
        assert "& <" not in page  # a bare ampersand or bracket never survives
        shown += page.count("&lt;script&gt;")
    assert shown >= 3  # the hostile text was really on the page (sources, places, titles)


def test_hostile_text_is_plain_text_in_the_pdf(hostile_ctx):
    ctx = brief.load("TJK", 2025, "en", hostile_ctx)
    body = "".join(section(ctx).html for section in SECTIONS)
    pdf, pages = render.html_to_pdf_bytes(f"<html><body>{body}</body></html>")
    path = hostile_ctx / "hostile.pdf"
    path.write_bytes(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert pages >= 1 and "<script>alert('x')</script>" in text.replace("\n", "")


def test_template_escapes_each_kind_of_block():
    blocks = [
        layout.Paragraph(HOSTILE, "caveat"),
        layout.Heading(HOSTILE),
        layout.Table([(HOSTILE, "num")], [[HOSTILE]], highlight=HOSTILE),
        layout.Columns([[layout.Heading(HOSTILE)]]),
        layout.KeyFigures([layout.KeyFigure(HOSTILE, HOSTILE, [HOSTILE, HOSTILE])]),
        layout.Cases([layout.Case(HOSTILE, HOSTILE, HOSTILE, True, HOSTILE, HOSTILE, HOSTILE),
                      layout.Case(HOSTILE, HOSTILE, HOSTILE, False, anonymous=HOSTILE)]),
        layout.Attachments([(HOSTILE, "QQ==")]),
        layout.Figure(lambda: b"png", HOSTILE, HOSTILE, HOSTILE),
    ]  # fmt: skip
    page = layout.Section(HOSTILE, HOSTILE, blocks).html
    assert "<script" not in page and "<img src=http" not in page and "& " not in page
    assert page.count("&lt;script&gt;") >= 15
