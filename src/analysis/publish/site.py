"""The year's reports as a static web edition (``analysis site --year 2025``), from the same
sections as the PDFs: a page shows the sections its notebook shows, in the notebook's order
(a section added to a notebook appears in both editions), rendered by the same template.

``outputs/site/<year>/``: ``index.html`` (both languages), ``<lang>/index.html`` (the six
countries with their key figures, the regional overview, the thematic reports, other years),
``<lang>/<key>.html`` (one report), ``<lang>/data/*.csv`` (every chart's and table's data),
``<lang>/pdf/<key>.pdf`` (the printed edition, when built); ``outputs/site/assets/`` the
stylesheet and the fonts (DejaVu, with Cyrillic). Charts are inline SVG with a title, a
description and their data table (collapsed); no page loads anything from another host (a
Content-Security-Policy says so) and none needs JavaScript.

Privacy: the site is a shareable output. Every page's text, charts, tables and file names are
checked against the names the cleaning protected; a page the shield cannot vouch for is not
written (the build reports it and fails). Incremental: a page whose inputs (the report's own
hash, as for the PDF, and the site's code) are unchanged is not rebuilt.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import matplotlib
import pandas as pd
from markupsafe import Markup

from analysis import storage
from analysis.cache import code_hash, report_hash
from analysis.indicators import inputs
from analysis.paths import REGIONAL, THEME_PREFIX, note_path, notebook_for, notes_dir
from analysis.privacy import notes
from analysis.publish import brief, charts, layout
from analysis.publish.pagecheck import label_vocabulary
from analysis.vocab import reference
from analysis.vocab.languages import LANGS
from analysis.vocab.text import t

RECORD = ".site.json"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
_CELL = re.compile(r"^\s*brief\.(\w+)\(ctx\)\s*$")


class SiteError(RuntimeError):
    """The web edition cannot be built as asked (the message says why)."""


@dataclass
class SiteReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # page, why (never a name)
    root: Path | None = None


@cache
def sections_of(notebook: str) -> tuple[str, ...]:
    """The section functions a report notebook shows, in its order (``brief.x(ctx)`` cells)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            match = _CELL.match(line)
            if match:
                found.append(match[1])
    return tuple(found)


@cache
def _template(name: str):
    from jinja2 import Environment, FileSystemLoader

    folder = str(files("analysis.publish") / "templates" / "site")
    return Environment(loader=FileSystemLoader(folder), autoescape=True).get_template(name)


def _site_code() -> str:
    return hashlib.sha256(code_hash().encode() + b"site").hexdigest()[:16]


def report_keys(year: int, data: inputs.ProcessedData) -> list[str]:
    """The reports of the year: the mission countries monitored in it, the regional overview,
    every thematic report."""
    spans = inputs.spans_in(data)
    countries = [
        c
        for c in reference.mission_countries()
        if c in spans and spans[c][0] <= year <= spans[c][1]
    ]
    themes = [f"{THEME_PREFIX}{code}" for code in reference.themes()["code"]]
    return [*countries, REGIONAL, *themes]


def _plain_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


class _Page:
    """One report page being built: its CSV files and the text the shield must vouch for."""

    def __init__(self, ctx, lang_dir: Path) -> None:
        self.ctx, self.lang_dir = ctx, lang_dir
        self.files: dict[str, bytes] = {}
        self.attachments: dict[str, pd.DataFrame] = {}

    def attachment(self, name: str, data: str) -> str:
        self.files[f"data/{name}"] = base64.b64decode(data)
        return f"data/{name}"  # an attribute value: escaped by the template

    def figure(self, fig: layout.Figure) -> str:
        ctx = self.ctx
        svg = (
            charts.svg(fig.make(), fig.alt, f"{fig.source_word}: {fig.source}") if fig.make else ""
        )
        name = brief.context.attachment_name(ctx, fig.name) if fig.name else ""
        table = self.attachments.get(name)
        if table is None and fig.table is not None:  # the chart's own data (no attachment)
            table = fig.table
        parts = [f'<figure class="chart" role="group" aria-label="{html.escape(fig.alt)}">', svg]
        parts.append(
            f"<figcaption>{html.escape(fig.source_word)}: {html.escape(fig.source)}</figcaption>"
        )
        if table is not None:
            self.files[f"data/{name}"] = storage.csv_bytes(table)
            shown = table.head(60).to_html(index=False, border=0, classes="data", na_rep="")
            parts.append(
                f"<details><summary>{html.escape(ctx.tr('site_data_table'))}</summary>{shown}</details>"
                f'<p class="csv"><a download href="data/{html.escape(name)}">{html.escape(ctx.tr("site_csv"))}: {html.escape(name)}</a></p>'
            )
        parts.append("</figure>")
        return Markup("".join(parts))  # built from escaped parts and the chart's own SVG


def build_page(
    key: str,
    lang: str,
    year: int,
    processed_dir: str | Path,
    year_dir: Path,
    briefs_dir: Path | None,
    snapshot: str = "",
):
    """(HTML, files relative to the language folder) of one report page; ``snapshot``: the
    digest of the data it shows, when already computed."""
    ctx = brief.load(key, year, lang, processed_dir, snapshot=snapshot)
    lang_dir = year_dir / lang
    page = _Page(ctx, lang_dir)
    body = []
    for name in sections_of(notebook_for(key).as_posix()):
        section = getattr(brief, name)(ctx)
        if section is None:
            continue
        page.attachments = dict(section.attachments)
        body.append(layout.render(section, web_figure=page.figure, web_attachment=page.attachment))
    other = [other for other in LANGS if other != lang]
    body = [_scrollable_tables(part, t("site_table", lang)) for part in body]
    pdf = briefs_dir / str(year) / lang / f"{key}.pdf" if briefs_dir else None
    if pdf is not None and pdf.is_file():
        page.files[f"pdf/{key}.pdf"] = pdf.read_bytes()
    markup = _template("page.html.j2").render(
        lang=lang,
        title=f"{ctx.name} · {year}",
        csp=CSP,
        synthetic=ctx.is_synthetic,
        banner=t("demo_banner", lang),
        body="".join(body),
        switch=[(o, f"../{o}/{key}.html", t(f"site_language_{o}", o)) for o in other],
        index_word=t("site_index", lang),
        pdf_link=f"pdf/{key}.pdf" if f"pdf/{key}.pdf" in page.files else None,
        pdf_word=t("site_pdf", lang),
        assets="../../assets",
    )
    return markup, page.files


def _names_in(shield, text: str, public: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` holds a protected name: a word the shield matches that is neither one
    of the package's own words (labels, the translation catalogue, country names: a given name
    such as "Dina" inflects like "denied" or "density", which the reports print as labels) nor
    a word of a public case's shareable names (printed by the PDF as well: a public "Ерлан"
    shares a given name with a protected one)."""
    own = _own_words()
    return any(
        word.casefold() not in own and word.casefold() not in public
        for word in shield.name_words(text)
    )


def public_words(data: inputs.ProcessedData) -> frozenset[str]:
    """The words of the names a report may print: those of public cases."""
    names = data.public_names["victim_names"].dropna().astype("str")
    return frozenset(w.casefold() for text in names for w in re.findall(r"[^\W\d_]+", text))


@cache
def _own_words() -> frozenset[str]:
    return frozenset(label_vocabulary())


def _scrollable_tables(markup: str, label: str) -> str:
    """Every table in a region that scrolls sideways on a narrow screen, reachable by keyboard
    (a phone never gets a page wider than itself)."""
    opening = f'<div class="table-scroll" tabindex="0" role="region" aria-label="{html.escape(label)}"><table'
    return markup.replace("<table", opening).replace("</table>", "</table></div>")


def _check(
    shield, page: str, markup: str, files_: dict[str, bytes], public: frozenset[str] = frozenset()
) -> str | None:
    """Why a page cannot be published (a protected name in its text, a chart, a table or a file
    name), or None. The name itself is never said."""
    if not shield:
        return None
    if _names_in(shield, _plain_text(markup), public):
        return "its text holds a protected name"
    for name, data in files_.items():
        if _names_in(shield, name, public):
            return f"a file name ({Path(name).parent}/…) holds a protected name"
        if name.endswith(".csv") and _names_in(
            shield, data.decode("utf-8", errors="replace"), public
        ):
            return f"a table ({Path(name).name}) holds a protected name"
    return None


def _inputs_hash(
    data_digest: str, key: str, lang: str, year: int, processed_dir: str, briefs_dir: Path | None
) -> str:
    folder = notes_dir(processed_dir)
    own_notes = [note_path(folder, year, key, other) for other in LANGS]
    digest = report_hash(
        notebook_for(key), {"country": key, "year": year, "lang": lang}, data_digest, own_notes
    )
    pdf = briefs_dir / str(year) / lang / f"{key}.pdf" if briefs_dir else None
    pdf_state = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16] if pdf and pdf.is_file() else "-"
    return hashlib.sha256(f"{digest}|{_site_code()}|{pdf_state}".encode()).hexdigest()[:16]


def build_site(
    year: int,
    langs: list[str] | None = None,
    processed_dir: str | Path = "data/processed",
    output_dir: str | Path = "outputs",
    force: bool = False,
    reports: list[str] | None = None,
) -> SiteReport:
    """Build (or bring up to date) the web edition of ``year`` under ``output_dir/site``;
    ``reports``: only these report keys (country codes, ``regional``, ``theme-<code>``)."""
    langs = langs or list(LANGS)
    data = inputs.read_processed(processed_dir)
    site_root = Path(output_dir) / "site"
    year_dir = site_root / str(year)
    briefs_dir = Path(output_dir) / "briefs"
    record_path = year_dir / RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    except (OSError, ValueError):
        record = {}
    shield = notes.shield_from(processed_dir)
    public = public_words(data)
    report = SiteReport(root=year_dir)
    keys = report_keys(year, data)
    if reports:
        unknown = sorted(set(reports) - set(keys))
        if unknown:
            raise SiteError(
                f"no report {', '.join(unknown)} for {year}; the year's reports: {', '.join(keys)}"
            )
        keys = [k for k in keys if k in reports]
    matplotlib.rcParams["svg.fonttype"] = "none"
    _assets(site_root)
    digests = {key: inputs.data_digest(data, key, year) for key in keys}  # one per report
    for lang in langs:
        for key in keys:
            page = f"{lang}/{key}"
            digest = _inputs_hash(digests[key], key, lang, year, str(processed_dir), briefs_dir)
            target = year_dir / lang / f"{key}.html"
            if not force and record.get(page) == digest and target.exists():
                report.unchanged.append(page)
                continue
            markup, page_files = build_page(
                key, lang, year, processed_dir, year_dir, briefs_dir, digests[key]
            )
            why = _check(shield, page, markup, page_files, public)
            if why:
                report.refused.append((page, why))
                target.unlink(missing_ok=True)
                record.pop(page, None)
                continue
            for name, blob in page_files.items():
                storage.write_bytes(year_dir / lang / name, blob)
            storage.write_text(target, markup)
            record[page] = digest
            report.built.append(page)
    indexes = [year_dir / lang / "index.html" for lang in langs]
    if not report.built and not report.refused and all(p.exists() for p in indexes) and not force:
        return report  # nothing changed: the indexes stand
    synthetic = False
    for lang in langs:
        summaries = {key: _summary(key, lang, year, processed_dir, digests[key]) for key in keys}
        synthetic |= any(s["synthetic"] for s in summaries.values())
        markup = _index(lang, year, keys, summaries, site_root)
        why = _check(shield, f"{lang}/index", markup, {}, public)
        if why:
            report.refused.append((f"{lang}/index", why))
            continue
        storage.write_text(year_dir / lang / "index.html", markup)
    storage.write_text(year_dir / "index.html", _landing(year, langs, synthetic))
    storage.write_json(record_path, record)
    return report


def _summary(key: str, lang: str, year: int, processed_dir, snapshot: str) -> dict:
    """A report's name and the key figures its first page shows (the index's cards)."""
    ctx = brief.load(key, year, lang, processed_dir, snapshot=snapshot)
    figures = []
    if not ctx.is_cross_country:
        block = next(
            (b for b in brief.key_figures(ctx).blocks if getattr(b, "kind", "") == "key_figures"),
            None,
        )
        figures = [(f.value, f.label) for f in (block.figures[:3] if block else [])]
    title = ctx.name if not ctx.theme else ctx.theme_row[f"label_{lang}"]
    return {"title": title, "figures": figures, "synthetic": ctx.is_synthetic}


def _index(lang: str, year: int, keys: list[str], summaries: dict, site_root: Path) -> str:
    countries = [k for k in keys if k != REGIONAL and not k.startswith(THEME_PREFIX)]
    themes = [k for k in keys if k.startswith(THEME_PREFIX)]
    years = sorted(
        int(p.name) for p in site_root.glob("[12][0-9][0-9][0-9]") if p.name != str(year)
    )
    other = [o for o in LANGS if o != lang]
    return _template("index.html.j2").render(
        lang=lang,
        csp=CSP,
        title=t("site_title", lang, year=year),
        synthetic=any(s["synthetic"] for s in summaries.values()),
        banner=t("demo_banner", lang),
        countries=[(k, summaries[k]) for k in countries],
        regional=(REGIONAL, summaries.get(REGIONAL)),
        themes=[(k, summaries[k]) for k in themes],
        years=years,
        words={
            w: t(f"site_{w}", lang) for w in ("countries", "regional", "themes", "years", "index")
        },
        switch=[(o, f"../{o}/index.html", t(f"site_language_{o}", o)) for o in other],
        assets="../../assets",
    )


def _landing(year: int, langs: list[str], synthetic: bool) -> str:
    return _template("landing.html.j2").render(
        csp=CSP,
        year=year,
        banners=[(lang, t("demo_banner", lang)) for lang in langs] if synthetic else [],
        links=[(lang, f"{lang}/index.html", t("site_title", lang, year=year)) for lang in langs],
        assets="../assets",
    )


def _assets(site_root: Path) -> None:
    """The stylesheet and the fonts, shipped with the site (no font service, no CDN)."""
    folder = site_root / "assets"
    css = (files("analysis.publish") / "templates" / "site" / "site.css").read_text(
        encoding="utf-8"
    )
    storage.write_text(folder / "site.css", css)
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # matplotlib ships DejaVu
    for name in (*FONTS, "LICENSE_DEJAVU"):
        target = folder / "fonts" / name
        if (fonts / name).exists() and not target.exists():
            storage.write_bytes(target, (fonts / name).read_bytes())
