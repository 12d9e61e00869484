"""Proof sheets: every page of every brief of a year as PNG, and one contact sheet per language,
so that a person can look at all pages at a glance before the briefs are handed out
(``analysis proof`` / ``make proof``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from analysis import storage

THUMB_WIDTH = 230  # pixels of one page on the contact sheet
LABEL_HEIGHT = 22


@dataclass
class Proof:
    pages: list[Path]  # one PNG per page
    sheets: list[Path]  # one contact sheet per language


def _order(pdf: Path) -> tuple[int, str]:
    """Country briefs first (by code), then the regional overview, then thematic reports."""
    name = pdf.stem
    return (2 if name.startswith("theme-") else 1 if name == "regional" else 0, name)


def page_images(pdf: Path, dpi: int = 70) -> list:
    """Every page of a PDF as a PIL image (pdfium: no external tool needed)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default()


def contact_sheet(rows: list[tuple[str, list]], title: str):
    """One row per brief (its name, then its pages side by side), on a white sheet."""
    from PIL import Image, ImageDraw

    if not rows:
        raise ValueError("no pages to put on a contact sheet")
    first = rows[0][1][0]
    thumb_h = round(first.height * THUMB_WIDTH / first.width)
    columns = max(len(pages) for _, pages in rows)
    gap = 8
    width = gap + columns * (THUMB_WIDTH + gap)
    height = LABEL_HEIGHT * 2 + len(rows) * (LABEL_HEIGHT + thumb_h + gap)
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((gap, 6), title, fill="black", font=_font(16))
    y = LABEL_HEIGHT * 2
    for name, pages in rows:
        draw.text((gap, y + 3), f"{name} ({len(pages)} pages)", fill="#0b3c5d", font=_font(13))
        y += LABEL_HEIGHT
        for i, page in enumerate(pages):
            thumb = page.resize((THUMB_WIDTH, thumb_h))
            x = gap + i * (THUMB_WIDTH + gap)
            sheet.paste(thumb, (x, y))
            draw.rectangle([x - 1, y - 1, x + THUMB_WIDTH, y + thumb_h], outline="#999999")
        y += thumb_h + gap
    return sheet


def proof(year: int | None = None, output_dir: str | Path = "outputs", dpi: int = 70) -> Proof:
    """Render ``output_dir/briefs/<year>/<lang>/*.pdf`` page by page to
    ``output_dir/proof/<year>/<lang>/<brief>-<page>.png`` and write one contact sheet per
    language, ``output_dir/proof/<year>/contact-<lang>.png``. ``year``: the latest built."""
    briefs = Path(output_dir) / "briefs"
    years = sorted(int(p.name) for p in briefs.glob("*") if p.is_dir() and p.name.isdigit())
    if year is None:
        if not years:
            raise ValueError(
                f"no briefs in {briefs}: run `analysis briefs` (or `make briefs`) first"
            )
        year = years[-1]
    folder = briefs / str(year)
    languages = sorted(p.name for p in folder.glob("*") if p.is_dir())
    if not languages:
        raise ValueError(f"no briefs for {year} in {folder}; years built: {years or 'none'}")
    target = Path(output_dir) / "proof" / str(year)
    result = Proof([], [])
    for lang in languages:
        rows = []
        for pdf in sorted(folder.joinpath(lang).glob("*.pdf"), key=_order):
            pages = page_images(pdf, dpi)
            for number, image in enumerate(pages, start=1):
                path = target / lang / f"{pdf.stem}-{number:02d}.png"
                storage.write_bytes(path, _png(image))
                result.pages.append(path)
            rows.append((pdf.stem, pages))
        if rows:
            sheet = contact_sheet(rows, f"{year} · {lang} · {len(rows)} briefs")
            path = target / f"contact-{lang}.png"
            storage.write_bytes(path, _png(sheet))
            result.sheets.append(path)
    return result
