"""Executed notebook -> HTML (nbconvert, the project's ``brief`` template) -> PDF (WeasyPrint).

Everything happens in-process: no ``jupyter nbconvert`` subprocess and no browser or LaTeX.
"""

from __future__ import annotations

import base64
import contextlib
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import nbformat

from analysis import __version__, io


def template_dir() -> Path:
    return Path(str(files("analysis") / "templates"))


@cache
def _css() -> str:
    return (template_dir() / "brief.css").read_text(encoding="utf-8")


def notebook_to_html(notebook: nbformat.NotebookNode) -> str:
    """HTML of a brief: cell outputs only, with the A4 print stylesheet."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_template_basedirs=[str(template_dir())],
        template_name="brief",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {"brief_css": _css(), "brief_version": __version__, **_document_meta(notebook)}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body


def _document_meta(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Title and language of the PDF, from the parameters papermill recorded in the notebook."""
    from analysis.reference import country_name
    from analysis.text import LANGS, t

    params = notebook.metadata.get("papermill", {}).get("parameters", {})
    lang = params.get("lang", "en")
    lang = lang if lang in LANGS else "en"
    country, year = params.get("country"), params.get("year")
    title = t("brief_kind", lang)
    with contextlib.suppress(KeyError):
        title = f"{country_name(str(country), lang)} {year}: {title}"
    return {"brief_lang": lang, "brief_title": title, "brief_description": title}


# nbconvert keeps ``download`` and ``href`` but may drop ``rel``: match on what survives.
_ATTACHMENT = re.compile(
    r'<a [^>]*download="([^"]+)" href="data:text/csv;base64,([A-Za-z0-9+/=]+)"'
)


def attachments_in(html: str) -> list[tuple[str, bytes]]:
    """The CSV files a brief links as ``<a download=NAME href="data:text/csv;base64,...">``."""
    return [(name, base64.b64decode(data)) for name, data in _ATTACHMENT.findall(html)]


def html_to_pdf(html: str, target: str | Path, base_url: str | None = None) -> int:
    """Write ``html`` as a PDF at ``target`` (atomically); return the number of pages.

    The CSV tables linked as attachments in the HTML are embedded as PDF file attachments,
    so a reader can check every figure. No creation date is written: same input, same PDF.
    """
    from weasyprint import HTML, Attachment

    document = HTML(string=html, base_url=base_url or ".").render()
    files = [
        Attachment(string=data.decode("utf-8"), name=name, description=name)
        for name, data in attachments_in(html)
    ]
    with io.atomic_path(target) as tmp:
        document.write_pdf(tmp, attachments=files)
    return len(document.pages)


def export_notebook(notebook_path: str | Path, pdf_path: str | Path) -> int:
    """PDF of an executed notebook file; the number of pages."""
    notebook = nbformat.read(str(notebook_path), as_version=4)
    return html_to_pdf(notebook_to_html(notebook), pdf_path)
