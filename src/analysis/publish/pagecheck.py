"""Checks of a generated PDF as a reader sees it: text that is markup, words broken without a
hyphen, pages left mostly empty, attachments not listed. Used by the tests and by anyone who
wants to check a year's briefs before they are printed."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.vocab import reference

MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\b(?:rel|href|download|class|src)=[\"']")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
FOOTER_PT = 62  # bottom margin (20 mm) and a little: the running footer lives there
HEADER_PT = 64  # top margin (22 mm)


def page_texts(pdf: str | Path) -> list[str]:
    """The text of every page (pdfium's reading order)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


def markup_in(texts: list[str]) -> list[tuple[int, str]]:
    """(page, snippet) of HTML markup printed as text."""
    return [
        (number, match.group())
        for number, text in enumerate(texts, start=1)
        for match in MARKUP.finditer(text)
    ]


def text_lines(pdf: str | Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every run of text on one line: (left, bottom, right, top, text), in PDF
    points from the bottom-left corner."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for page in document:
            textpage = page.get_textpage()
            runs = []
            for i in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(i)
                text = textpage.get_text_bounded(left, bottom, right, top).strip()
                if text:
                    runs.append((left, bottom, right, top, text))
            pages.append(runs)
    finally:
        document.close()
    return pages


def broken_words(
    pages: list[list[tuple[float, float, float, float, str]]], vocabulary: set[str]
) -> list[tuple[int, str]]:
    """(page, 'part|part') where a line ends inside a known word with no hyphen: the last
    word of a run and the first word of the run that continues it (the next line starting at
    the same left edge, just below: the same cell or paragraph) make a word of
    ``vocabulary`` (lower case) that the first part is not on its own."""
    found = []
    for number, runs in enumerate(pages, start=1):
        for left, bottom, _right, top, text in runs:
            if text[-1] in "-\u2010\u00ad":
                continue
            height = top - bottom
            below = [
                r
                for r in runs
                if abs(r[0] - left) < 1.5 and bottom - 1.6 * height < r[3] <= bottom + 0.5
            ]
            if not below:
                continue
            following = max(below, key=lambda r: r[3])[4]
            tail, head = _WORD.findall(text[-40:]), _WORD.findall(following[:40])
            if not tail or not head or not text.endswith(tail[-1]):
                continue
            whole = (tail[-1] + head[0]).lower()
            if whole in vocabulary and tail[-1].lower() not in vocabulary:
                found.append((number, f"{tail[-1]}|{head[0]}"))
    return found


def words_of(texts: list[str]) -> set[str]:
    """Every word (letters only, lower case) of some texts."""
    return {w.lower() for text in texts for w in _WORD.findall(text)}


def label_vocabulary() -> set[str]:
    """The words of every text and label a brief prints from the reference tables (both
    languages): the words whose breaking without a hyphen :func:`broken_words` finds. The
    PDF's own words are not used: a broken word's parts would be in it."""
    texts = []
    for name, columns in {
        "i18n": ("en", "ru"),
        "violation_categories": ("label_en", "label_ru"),
        "countries": ("name_en", "name_ru", "name_ru_prep"),
        "migration_indicators": ("label_en", "label_ru"),
        "legislation_directions": ("label_en", "label_ru"),
        "sectors": ("label_en", "label_ru"),
        "perpetrators": ("label_en", "label_ru"),
        "sources": ("name_en", "name_ru"),
        "ilo_instruments": ("label_en", "label_ru"),
        "labour_indicators": ("label_en", "label_ru"),
        "world_countries": ("name_en", "name_ru"),
        "themes": ("title_en", "title_ru", "label_en", "label_ru"),
    }.items():
        table = reference.read_table(name)
        for column in columns:
            texts += table[column].tolist()
    return words_of(texts)


def content_bottoms(pdf: str | Path) -> list[float]:
    """Per page, how far down the page its content reaches (0 = top, 1 = bottom), running
    header and footer excluded: text boxes and images both count."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(pdf))
    out = []
    try:
        for page in document:
            height = page.get_height()
            lowest = height - HEADER_PT
            textpage = page.get_textpage()
            for i in range(textpage.count_rects()):
                _left, bottom, _right, top = textpage.get_rect(i)
                if top > FOOTER_PT and bottom < height - HEADER_PT:
                    lowest = min(lowest, bottom)
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                _left, bottom, _right, top = obj.get_bounds()
                if top > FOOTER_PT:
                    lowest = min(lowest, bottom)
            out.append(1 - lowest / height)
    finally:
        document.close()
    return out


def near_empty_pages(pdf: str | Path, limit: float = 1 / 3) -> list[int]:
    """Pages other than the last whose content ends in their top ``limit`` of the page."""
    bottoms = content_bottoms(pdf)
    return [n for n, b in enumerate(bottoms[:-1], start=1) if b < limit]
