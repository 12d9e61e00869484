"""What a brief section shows, as data, and its HTML from one Jinja template (autoescape on).

A section function in :mod:`analysis.publish.brief` computes a :class:`Section` (title, blocks, the
tables it attaches); :func:`render` turns it into HTML with
``templates/sections/brief.html.j2``. Every text a partner or a translator wrote is escaped by
the template engine, never by remembering to call an escape function.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files

import pandas as pd


@dataclass(frozen=True)
class Paragraph:
    text: str
    css: str = ""
    kind: str = "paragraph"


@dataclass(frozen=True)
class NoteHtml:
    """HTML made by :func:`analysis.privacy.notes.to_html` from a monitors' note (raw HTML escaped
    there): the one block whose text is not escaped again by the template."""

    html: str
    kind: str = "note_html"


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    css: str = ""
    kind: str = "bullets"


@dataclass(frozen=True)
class Heading:
    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class Table:
    """``columns``: (header, css class: 'num', 'nowrap' or ''); ``rows``: formatted cell texts.
    ``highlight``: a text whose plain cell is highlighted (the brief's own country)."""

    columns: list[tuple[str, str]]
    rows: list[list[str]]
    css: str = "data"
    highlight: str | None = None
    kind: str = "table"


@dataclass
class Figure:
    """A chart, drawn when its HTML is first needed (``draw`` returns PNG bytes): a section
    built only for its attachments draws nothing."""

    draw: Callable[[], bytes]
    alt: str
    source_word: str
    source: str
    kind: str = "figure"
    make: Callable[[], object] | None = None  # the matplotlib figure itself (for vector output)
    name: str = ""  # the chart's name: its table is attached as <country>_<year>_<name>.csv
    table: object = None  # the chart's data when no attachment of its name carries them

    @cached_property
    def png(self) -> str:
        return base64.b64encode(self.draw()).decode("ascii")


@dataclass(frozen=True)
class Columns:
    columns: list[list[object]]  # blocks per column
    kind: str = "columns"


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    notes: list[str]


@dataclass(frozen=True)
class KeyFigures:
    figures: list[KeyFigure]
    kind: str = "key_figures"


@dataclass(frozen=True)
class Case:
    label: str
    when: str  # date and place (public) or month (not public)
    persons: str
    public: bool
    named_word: str = ""
    named: str | None = None
    description: str | None = None
    anonymous: str = ""


@dataclass(frozen=True)
class Cases:
    cases: list[Case]
    kind: str = "cases"


@dataclass(frozen=True)
class Attachments:
    files: list[tuple[str, str]]  # (file name, base64 CSV)
    kind: str = "attachments"


@dataclass(frozen=True)
class Header:
    """The title block of the first page."""

    name: str
    year: int
    kind: str
    banner: str | None
    as_of: str
    latest: str
    language_label: str
    language_name: str
    page_word: str
    notice: Paragraph | None


@dataclass
class Section:
    """One section of a brief: shown by Jupyter (and so by the PDF) as its HTML.

    ``attachments``: the tables behind its figures and tables, attached to the PDF as CSV."""

    css: str
    title: str
    blocks: list[object] = field(default_factory=list)
    attachments: dict[str, pd.DataFrame] = field(default_factory=dict)
    header: Header | None = None

    @property
    def html(self) -> str:
        return render(self)

    @property
    def data(self) -> str:  # the name IPython.display.HTML uses, kept for callers
        return self.html

    def _repr_html_(self) -> str:
        return self.html


@cache
def _template():
    from jinja2 import Environment, FileSystemLoader

    folder = str(files("analysis.publish") / "templates" / "sections")
    environment = Environment(loader=FileSystemLoader(folder), autoescape=True)
    return environment.get_template("brief.html.j2")


def render(section: Section, web_figure=None, web_attachment=None) -> str:
    """The section's HTML: for the PDF (charts as PNG, tables attached as data), or for the web
    edition, whose ``web_figure(figure)`` gives a chart's HTML (vector, with its data) and
    ``web_attachment(name, base64)`` the link to a table's CSV file."""
    return _template().render(
        section=section,
        header=section.header,
        web_figure=web_figure,
        web_attachment=web_attachment,
    )
