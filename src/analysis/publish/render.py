"""Executed notebook -> HTML (nbconvert, the project's ``brief`` template) -> PDF (WeasyPrint).

Everything happens in-process: no ``jupyter nbconvert`` subprocess and no browser or LaTeX.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import logging
import os
import re
from functools import cache, lru_cache, wraps
from importlib.resources import files
from pathlib import Path
from struct import error as struct_error

from analysis import storage
from analysis.version import __version__
from analysis.vocab.reference import country_name
from analysis.vocab.text import LANGS, t

# WeasyPrint warns on every PDF that it subsets fonts with fontTools (no HarfBuzz-Subset on
# the system); the PDFs are correct, the warning is noise in a batch log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def skip_slow_optional_imports() -> None:
    """Keep ``rfc3987_syntax`` out of this process.

    jsonschema (imported by nbformat) uses it, when installed, for its optional 'iri' format
    checks; it compiles a Lark grammar at import, seconds in every process
    that reads a notebook. Jupyter Server's dependencies install it; nbformat never checks
    IRIs. Marking it absent makes jsonschema skip those checks (it guards the import).
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)


def warm_up() -> None:
    """Pay the one-time costs of a PDF (nbconvert's template compilation, WeasyPrint's import,
    fonts and stylesheets) on a tiny notebook, e.g. while a brief's notebook executes."""
    skip_slow_optional_imports()
    import nbformat

    # A page with what a brief has: headings, bold and italic text in both alphabets, a table
    # and an image, so that every font a brief uses is loaded and subset here.
    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    html = (
        "<h1>Казахстан</h1><h2>Kazakhstan</h2><p>Нарушения <b>2025</b> <i>партнёры</i> "
        "<b><i>ILO</i></b> — «Солидарность» ▲▼●</p><table><thead><tr><th>Год</th><th>n</th>"
        f'</tr></thead><tbody><tr><td>2025</td><td>1\u202f234</td></tr></tbody></table><figure><img alt="Пример" src="data:image/png;base64,{pixel}"/>'
        "<figcaption>Источник</figcaption></figure>"
    )
    output = nbformat.v4.new_output("display_data", data={"text/html": html})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[output])])
    html_to_pdf_bytes(notebook_to_html(notebook))


def template_dir() -> Path:
    return Path(str(files("analysis.publish") / "templates"))


@cache
def _css() -> str:
    return (template_dir() / "brief.css").read_text(encoding="utf-8")


@cache
def standalone_html(body: str, lang: str, title: str) -> str:
    """A document of section HTML with the brief's stylesheet (for outputs made without a
    notebook, such as the ILO pack)."""
    import html

    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_css()}</style></head><body>{body}</body></html>"
    )


def _html_exporter():
    """One exporter per process: building its template environment costs about a second."""
    skip_slow_optional_imports()
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_template_basedirs=[str(template_dir())],
        template_name="brief",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def notebook_to_html(notebook) -> str:
    """HTML of a brief: cell outputs only, with the A4 print stylesheet."""
    exporter = _html_exporter()
    resources = {"brief_css": _css(), "brief_version": __version__, **_document_meta(notebook)}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body


def _document_meta(notebook) -> dict[str, str]:
    """Title and language of the PDF, from the parameters papermill recorded in the notebook."""
    params = notebook.metadata.get("papermill", {}).get("parameters", {})
    lang = params.get("lang", "en")
    lang = lang if lang in LANGS else "en"
    country, year = params.get("country"), params.get("year")
    title = t("brief_kind", lang)
    with contextlib.suppress(KeyError):
        title = f"{country_name(str(country), lang)} {year}: {title}"
    return {"brief_lang": lang, "brief_title": title, "brief_description": title}


# An attachment link: ``<a ... download="NAME" ... href="data:text/csv;base64,...">``. nbconvert
# may drop ``rel`` and reorders the attributes (``download, href, rel``), so the whole opening
# tag is matched and its attributes read in any order.
_A_TAG = re.compile(r"<a\b[^>]*>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_CSV = "data:text/csv;base64,"


def _attachment_tags(html: str):
    """(match, name, base64 data) of every attachment link's opening tag."""
    for match in _A_TAG.finditer(html):
        attributes = dict(_ATTRIBUTE.findall(match.group()))
        href = attributes.get("href", "")
        if "download" in attributes and href.startswith(_CSV):
            yield match, attributes["download"], href[len(_CSV) :]


def attachments_in(html: str) -> list[tuple[str, bytes]]:
    """The CSV files a brief links as ``<a download=NAME href="data:text/csv;base64,...">``."""
    return [(name, base64.b64decode(data)) for _, name, data in _attachment_tags(html)]


def _unlinked(html: str) -> str:
    """The HTML with each attachment link's opening tag replaced whole by a plain one."""
    parts, at = [], 0
    for match, _, _ in _attachment_tags(html):
        parts += [html[at : match.start()], '<a class="attachment">']
        at = match.end()
    return "".join([*parts, html[at:]])


def html_to_pdf_bytes(html: str, base_url: str | None = None, created=None) -> tuple[bytes, int]:
    """PDF bytes of a brief's HTML and its number of pages.

    The CSV tables linked as attachments in the HTML are embedded as PDF file attachments,
    so a reader can check every figure. ``created`` (the notebook's execution time) dates the
    attachments, so the same executed notebook always gives the same bytes.
    """
    from weasyprint import HTML, Attachment

    lean_font_subsetting()

    # The links become document-level attachments; left as links, WeasyPrint would also embed
    # each file a second time as a page annotation stamped with the current time.
    document = HTML(string=_unlinked(html), base_url=base_url or ".").render()
    files = [
        Attachment(
            string=data.decode("utf-8"),
            name=name,
            description=name,
            created=created,
            modified=created,
        )
        for name, data in attachments_in(html)
    ]
    with _source_date_epoch(created):  # fontTools stamps font subsets with this time
        return document.write_pdf(attachments=files), len(document.pages)


# The characters of almost every brief (Latin, Cyrillic, punctuation, the timeline's marks):
# each font is subset once per process to these glyphs plus any rare one a brief uses.
COMMON_CHARACTERS = frozenset(
    chr(code)
    for block in (
        range(0x20, 0x7F),
        range(0xA0, 0x180),
        range(0x400, 0x460),
        range(0x2010, 0x2060),
        range(0x2190, 0x2194),
        (0x2116, 0x2122, 0x2212, 0x20AC, 0x25B2, 0x25BC, 0x25CF),
    )
    for code in block
)
_SUBSETS: dict[tuple, bytes] = {}  # per process: font subsets already made


def lean_font_subsetting() -> None:
    """Subset each font once per process instead of once per PDF.

    Without HarfBuzz-Subset (a system library, not on pip), WeasyPrint subsets every font of
    every PDF with fontTools: about 0.3 s per font, the largest part of writing a PDF. Here
    each font is subset to the glyphs of :data:`COMMON_CHARACTERS` plus those the PDF uses,
    and the result is reused by every PDF whose glyphs it covers; before the first subset,
    the GSUB and GPOS tables (and 'kern', dropped when GPOS exists), which fontTools decodes
    only to drop, are removed. Pages are pixel-identical (``tests/test_render.py``); a PDF
    carries a few dozen kilobytes of glyphs it does not use. Subsets are dated by a fixed
    epoch so that a PDF's bytes do not depend on which brief a worker rendered first.
    WeasyPrint has no hook for this, so its ``Font.clean`` is wrapped, once per process;
    variable fonts and fonts embedded whole are left to WeasyPrint.
    """
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz_subset

    clean = fonts.Font.clean
    if harfbuzz_subset or getattr(clean, "lean", False):
        return

    @wraps(clean)
    def lean_clean(self, to_unicode, hinting):
        content = getattr(self, "file_content", None)
        if not to_unicode or not isinstance(content, bytes) or "fvar" in self.tables:
            return clean(self, to_unicode, hinting)
        content, common = _prepared(content, self.index)
        wanted = common if common.issuperset(to_unicode) else common | frozenset(to_unicode)
        key = (content, self.index, wanted, hinting, bool(self.missing))
        if key not in _SUBSETS:
            if len(_SUBSETS) > 32:
                _SUBSETS.clear()
            self.file_content = content
            with _epoch("0"):
                clean(self, dict.fromkeys(wanted, ""), hinting)
            _SUBSETS[key] = self.file_content
        self.file_content = _SUBSETS[key]

    lean_clean.lean = True
    fonts.Font.clean = lean_clean


@lru_cache(maxsize=16)
def _prepared(content: bytes, index: int) -> tuple[bytes, frozenset[int]]:
    """A font's bytes without the tables fontTools would decode only to drop (GSUB, GPOS, SVG,
    and 'kern' when GPOS exists), and the glyph ids of :data:`COMMON_CHARACTERS` it has."""
    import io

    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True, recalcTimestamp=False)
        cmap = font.getBestCmap() or {}
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        common = frozenset(order[cmap[ord(c)]] for c in COMMON_CHARACTERS if ord(c) in cmap)
        drop = [tag for tag in ("GSUB", "GPOS", "SVG ") if tag in font]
        if "GPOS" in font and "kern" in font:
            drop.append("kern")
        if not drop:
            return content, common
        for tag in drop:
            del font[tag]
        out = io.BytesIO()
        font.save(out)
    except (TTLibError, ValueError, KeyError, struct_error):
        return content, frozenset()
    return out.getvalue(), common


def _source_date_epoch(when: dt.datetime | None):
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) set to ``when`` while writing
    one PDF, unless the caller's environment already sets it."""
    if when is None or "SOURCE_DATE_EPOCH" in os.environ:
        return contextlib.nullcontext()
    return _epoch(str(int(when.timestamp())))


@contextlib.contextmanager
def _epoch(seconds: str):
    """SOURCE_DATE_EPOCH set to ``seconds`` inside the block, restored after it."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = seconds
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def html_to_pdf(html: str, target: str | Path, base_url: str | None = None, created=None) -> int:
    """Write ``html`` as a PDF at ``target`` (atomically); return the number of pages."""
    data, pages = html_to_pdf_bytes(html, base_url, created)
    storage.write_bytes(target, data)
    return pages


def executed_at(notebook) -> dt.datetime:
    """When papermill finished executing the notebook (fixed epoch when unknown)."""
    end = notebook.metadata.get("papermill", {}).get("end_time")
    try:
        return dt.datetime.fromisoformat(end) if end else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def notebook_to_pdf(notebook, target: str | Path) -> int:
    """The brief PDF of an executed notebook at ``target``; the number of pages."""
    return html_to_pdf(notebook_to_html(notebook), target, created=executed_at(notebook))


def export_notebook(notebook_path: str | Path, pdf_path: str | Path) -> int:
    """PDF of an executed notebook file; the number of pages."""
    skip_slow_optional_imports()
    import nbformat

    return notebook_to_pdf(nbformat.read(str(notebook_path), as_version=4), pdf_path)


def _exporter_class():
    from nbconvert.exporters import Exporter

    class BriefPDFExporter(Exporter):
        """nbconvert exporter: ``jupyter nbconvert --to briefpdf executed.ipynb`` gives the
        same PDF as ``analysis briefs`` (same template, stylesheet and attachments)."""

        export_from_notebook = "Brief PDF"
        output_mimetype = "application/pdf"

        def _file_extension_default(self) -> str:
            return ".pdf"

        def from_notebook_node(self, nb, resources=None, **kw):
            nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
            data, pages = html_to_pdf_bytes(notebook_to_html(nb_copy), created=executed_at(nb_copy))
            resources["output_extension"] = ".pdf"
            resources["brief_pages"] = pages
            return data, resources

    return BriefPDFExporter


def __getattr__(name: str):
    # The exporter class subclasses nbconvert's Exporter; it is built on first use so that
    # importing this module stays cheap (nbconvert pulls in nbformat and jsonschema).
    if name == "BriefPDFExporter":
        return _exporter_class()
    raise AttributeError(name)
