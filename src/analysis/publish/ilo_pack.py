"""An ILO submission pack: what a workers' organisation needs to draft observations to the ILO
Committee of Experts (due each year by 1 September) or a complaint to the Committee on Freedom
of Association, for one country and period (``analysis ilo-pack``).

Per ratified convention that the period's cases or acts touch: the documented cases (date at
its precision, category, sector, persons affected, the source reference; names, place,
description and link only for public cases, the others counted and listed without them) and
the period's legislation acts that name the convention. A convention the country has not
ratified (or whose ratification the reference table does not hold) is listed apart: it belongs
in a different procedure. Written as a PDF for reading and an XLSX workbook for drafting (one
sheet per convention).

A case is in the period when its whole date is: a case dated only by month or year that
straddles the period's start or end is counted apart, never silently in or out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import storage
from analysis.indicators import inputs
from analysis.publish import layout, render
from analysis.vocab import reference
from analysis.vocab.text import LANGS, fmt_date, fmt_number, t

CASE_COLUMNS = {
    "incident_id": "case_id",
    "date": "date",
    "date_precision": "date_precision",
    "category": "category",
    "sector": "sector",
    "persons_affected": "persons_affected",
    "public": "public",
    "location": "location",
    "victims": "named_persons",
    "description": "description",
    "source": "partners",
    "url": "source_url",
    "sources": "source_rows",
}
ACT_COLUMNS = ["act_id", "date_adopted", "title", "direction", "ilo_conventions", "source", "url"]


@dataclass
class ConventionPart:
    code: str
    label: str
    ratified: str | None  # ratification year, None when not ratified or unknown
    cases: pd.DataFrame
    acts: pd.DataFrame

    @property
    def public_cases(self) -> int:
        return int(self.cases["public"].sum()) if len(self.cases) else 0


@dataclass
class IloPack:
    country: str
    since: str
    until: str
    lang: str
    ratified: list[ConventionPart] = field(default_factory=list)
    not_ratified: list[ConventionPart] = field(default_factory=list)
    straddling: int = 0  # cases dated too coarsely to place inside or outside the period
    cases_in_period: int = 0
    is_synthetic: bool = False


def date_span(date: str, precision: str) -> tuple[str, str]:
    """First and last day a date at its precision can mean ('2025-02', month) ->
    ('2025-02-01', '2025-02-28')."""
    parts = [int(p) for p in str(date).split("-")]
    if precision == "day" and len(parts) == 3:
        day = dt.date(*parts).isoformat()
        return day, day
    if precision == "month" and len(parts) >= 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1).isoformat(), dt.date(
            parts[0], parts[1], last
        ).isoformat()
    return f"{parts[0]:04d}-01-01", f"{parts[0]:04d}-12-31"


def _period(frame: pd.DataFrame, date: str, precision: str, since: str, until: str):
    """Masks of the rows wholly inside the period and of the rows that straddle a limit."""
    if frame.empty:
        none = pd.Series(False, index=frame.index, dtype=bool)
        return none, none
    spans = [date_span(d, p) for d, p in zip(frame[date], frame[precision], strict=True)]
    start = pd.Series([s for s, _ in spans], index=frame.index, dtype="str")
    end = pd.Series([e for _, e in spans], index=frame.index, dtype="str")
    inside = ((start >= since) & (end <= until)).astype(bool)
    overlap = ((start <= until) & (end >= since)).astype(bool)
    return inside, overlap & ~inside


def conventions_of(categories: pd.Series) -> pd.Series:
    """The ILO instruments each violation category names (a list per row)."""
    table = reference.categories().set_index("code")["ilo_conventions"]
    return categories.map(table).fillna("").str.split(";").map(lambda c: [x for x in c if x])


def build(
    country: str,
    since: str,
    until: str,
    lang: str = "en",
    processed_dir: str | Path = "data/processed",
) -> IloPack:
    """The pack's content, from the processed tables (names only from public records)."""
    _check_dates(since, until)
    if country not in reference.mission_countries():
        raise ValueError(
            f"unknown country code {country!r}; valid: {', '.join(reference.mission_countries())}"
        )
    data = inputs.read_processed(processed_dir)
    violations = data.violations[data.violations["country"] == country]
    inside, straddle = _period(violations, "date", "date_precision", since, until)
    cases = violations[inside]
    acts = data.legislation[data.legislation["country"] == country]
    acts_inside, _ = _period(acts, "date_adopted", "date_adopted_precision", since, until)
    acts = acts[acts_inside]
    pack = IloPack(
        country,
        since,
        until,
        lang,
        straddling=int(straddle.sum()),
        cases_in_period=len(cases),
        is_synthetic=bool(data.quality.get("is_synthetic"))
        or bool(data.violations["is_synthetic"].any()),
    )
    cases = _case_rows(cases, data.public_names, lang)
    named = conventions_of(cases["category_code"]) if len(cases) else pd.Series(dtype=object)
    act_named = acts["ilo_conventions"].fillna("").str.split(";")
    touched = sorted(
        {c for codes in named for c in codes} | {c for codes in act_named for c in codes if c}
    )
    ratifications = reference.read_table("ilo_ratifications")
    ratified = ratifications[ratifications["iso3"] == country].set_index("convention")["year"]
    labels = reference.read_table("ilo_instruments").set_index("code")[f"label_{lang}"]
    for code in touched:
        part = ConventionPart(
            code=code,
            label=str(labels.get(code, code)),
            ratified=str(ratified[code]) if code in ratified.index else None,
            cases=cases.loc[_names(named, code, cases.index)].drop(columns="category_code"),
            acts=acts.loc[_names(act_named, code, acts.index), ACT_COLUMNS],
        )
        (pack.ratified if part.ratified else pack.not_ratified).append(part)
    return pack


def _names(lists: pd.Series, code: str, index: pd.Index) -> pd.Series:
    """A boolean mask: the rows whose list of conventions holds ``code`` (empty-safe)."""
    return pd.Series([code in c for c in lists], index=index, dtype=bool)


def _check_dates(since: str, until: str) -> None:
    for name, value in (("--since", since), ("--until", until)):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None
    if since > until:
        raise ValueError(f"--since {since} is after --until {until}")


def _case_rows(cases: pd.DataFrame, public_names: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The drafter's columns: a public case in full, any other without place, description,
    link or names, and its date no finer than the month."""
    merged = cases.merge(public_names, on="incident_id", how="left", validate="1:1")
    public = merged["is_public"].astype(bool)
    categories = reference.categories().set_index("code")[f"label_{lang}"]
    sectors = pd.Series(reference.vocabulary_labels("sectors", lang))
    month = merged["date"].where(merged["date_precision"] != "day", merged["date"].str.slice(0, 7))
    out = pd.DataFrame(
        {
            "incident_id": merged["incident_id"],
            "date": merged["date"].where(public, month),
            "date_precision": merged["date_precision"].where(
                public | (merged["date_precision"] != "day"), "month"
            ),
            "category": merged["category"].map(categories),
            "category_code": merged["category"],
            "sector": merged["sector"].map(sectors),
            "persons_affected": merged["persons_affected"],
            "public": public,
            "location": merged["location"].where(public),
            "victims": merged["victim_names"].where(public),
            "description": merged["description"].where(public),
            "source": merged["source"],
            "url": merged["url"].where(public),
            "sources": merged["sources"],
        }
    )
    return out.sort_values(["date", "incident_id"], ignore_index=True)


# --------------------------------------------------------------------------- outputs


def to_xlsx(pack: IloPack) -> bytes:
    """One sheet per ratified convention (cases, then the acts), a summary sheet, and the
    conventions not ratified apart."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tr = lambda key, **v: t(key, pack.lang, **v)  # noqa: E731
    book = Workbook()
    summary = book.active
    summary.title = tr("ilo_sheet_summary")
    rows = [
        [tr("ilo_title", country=reference.country_name(pack.country, pack.lang))],
        [
            tr(
                "ilo_period",
                since=fmt_date(pack.since, pack.lang),
                until=fmt_date(pack.until, pack.lang),
            )
        ],
        *([[t("demo_banner", pack.lang)]] if pack.is_synthetic else []),
        [tr("ilo_cases_in_period"), pack.cases_in_period],
        [tr("ilo_straddling"), pack.straddling],
        [],
        [
            tr("ilo_col_convention"),
            tr("ilo_col_status"),
            tr("ilo_col_cases"),
            tr("ilo_col_public"),
            tr("ilo_col_acts"),
        ],
    ]
    for part in pack.ratified + pack.not_ratified:
        status = tr("ilo_ratified", year=part.ratified) if part.ratified else tr("ilo_not_ratified")
        rows.append(
            [
                f"{part.code} {part.label}",
                status,
                len(part.cases),
                part.public_cases,
                len(part.acts),
            ]
        )
    for row in rows:
        summary.append(row)
    summary["A1"].font = Font(bold=True, size=13)
    for part in pack.ratified:
        _sheet(book, part.code, part, pack)
    if pack.not_ratified:
        sheet = book.create_sheet(tr("ilo_sheet_not_ratified")[:31])
        sheet.append([tr("ilo_not_ratified_note")])
        for part in pack.not_ratified:
            sheet.append([])
            sheet.append([f"{part.code} {part.label}"])
            _append_frame(sheet, _cases_for_sheet(part.cases, pack.lang))
            _append_frame(sheet, part.acts)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cases_for_sheet(cases: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = cases.rename(columns=CASE_COLUMNS)
    out["public"] = out["public"].map({True: t("yes", lang), False: t("no", lang)})
    return storage.neutralise_formulas(out)


def _append_frame(sheet, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font

    sheet.append(list(frame.columns))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in storage.neutralise_formulas(frame).astype(object).itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in row])


def _sheet(book, name: str, part: ConventionPart, pack: IloPack) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(name[:31])
    sheet.append([f"{part.code} {part.label}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([t("ilo_ratified", pack.lang, year=part.ratified)])
    sheet.append([])
    sheet.append([t("ilo_cases_heading", pack.lang, n=len(part.cases))])
    _append_frame(sheet, _cases_for_sheet(part.cases, pack.lang))
    sheet.append([])
    sheet.append([t("ilo_acts_heading", pack.lang, n=len(part.acts))])
    _append_frame(sheet, part.acts)
    sheet.freeze_panes = "A6"


def to_html(pack: IloPack) -> str:
    """The pack as the brief's HTML (same stylesheet, same escaping)."""
    lang = pack.lang
    tr = lambda key, **v: t(key, lang, **v)  # noqa: E731
    name = reference.country_name(pack.country, lang)
    header = layout.Header(
        name=name,
        year=f"{fmt_date(pack.since, lang)} – {fmt_date(pack.until, lang)}",
        kind=tr("ilo_kind"),
        banner=tr("demo_banner") if pack.is_synthetic else None,
        as_of=tr("ilo_period_word"),
        latest=f"{fmt_date(pack.since, lang)} – {fmt_date(pack.until, lang)}",
        language_label=tr("language_label"),
        language_name=tr("language_name"),
        page_word=tr("page"),
        notice=None,
    )
    sections = [layout.Section("title-block", name, header=header)]
    intro = [
        layout.Paragraph(tr("ilo_intro")),
        layout.Paragraph(
            tr(
                "ilo_counts",
                cases=fmt_number(pack.cases_in_period, lang),
                straddling=fmt_number(pack.straddling, lang),
            )
        ),
    ]
    sections.append(
        layout.Section(
            "summary",
            tr("ilo_summary_title"),
            intro
            + (
                [_summary_table(pack)]
                if pack.ratified or pack.not_ratified
                else [layout.Paragraph(tr("ilo_nothing"), "notice")]
            ),
        )
    )
    for part in pack.ratified:
        sections.append(_part_section(part, pack))
    if pack.not_ratified:
        blocks = [layout.Paragraph(tr("ilo_not_ratified_note"), "caveat")]
        for part in pack.not_ratified:
            blocks.append(layout.Heading(part.label))  # the official title names its number
            blocks.append(
                layout.Paragraph(
                    tr(
                        "ilo_part_counts",
                        cases=len(part.cases),
                        public=part.public_cases,
                        acts=len(part.acts),
                    )
                )
            )
        sections.append(layout.Section("not-ratified", tr("ilo_sheet_not_ratified"), blocks))
    sections.append(
        layout.Section(
            "methodology",
            tr("ilo_method_title"),
            [layout.Paragraph(tr("ilo_method")), layout.Paragraph(tr("names_note"))],
        )
    )
    body = "".join(s.html for s in sections)
    return render.standalone_html(body, lang, f"{name}: {tr('ilo_kind')}")


def _summary_table(pack: IloPack):
    lang = pack.lang
    rows = []
    for part in pack.ratified + pack.not_ratified:
        status = (
            t("ilo_ratified", lang, year=part.ratified)
            if part.ratified
            else t("ilo_not_ratified", lang)
        )
        rows.append(
            [
                part.label,
                status,
                fmt_number(len(part.cases), lang),
                fmt_number(part.public_cases, lang),
                fmt_number(len(part.acts), lang),
            ]
        )
    columns = [
        (t("ilo_col_convention", lang), ""),
        (t("ilo_col_status", lang), ""),
        (t("ilo_col_cases", lang), "num"),
        (t("ilo_col_public", lang), "num"),
        (t("ilo_col_acts", lang), "num"),
    ]
    return layout.Table(columns, rows)


def _part_section(part: ConventionPart, pack: IloPack):
    lang = pack.lang
    title = part.label
    blocks = [
        layout.Paragraph(
            t("ilo_ratified", lang, year=part.ratified)
            + ". "
            + t(
                "ilo_part_counts",
                lang,
                cases=len(part.cases),
                public=part.public_cases,
                acts=len(part.acts),
            )
        )
    ]
    if len(part.cases):
        rows = []
        for c in part.cases.itertuples():
            detail = " — ".join(
                str(v) for v in (c.location, c.victims, c.description) if isinstance(v, str) and v
            ) or (t("ilo_withheld", lang) if not c.public else "")
            persons = fmt_number(c.persons_affected, lang) if pd.notna(c.persons_affected) else "—"
            rows.append(
                [
                    c.date,
                    c.category,
                    c.sector if isinstance(c.sector, str) else "—",
                    persons,
                    detail,
                    c.incident_id,
                ]
            )
        columns = [
            (t("col_date", lang), "nowrap"),
            (t("category_label", lang), ""),
            (t("sector_label", lang), ""),
            (t("persons_label", lang), "num"),
            (t("ilo_col_details", lang), ""),
            (t("ilo_col_reference", lang), "nowrap"),
        ]
        blocks += [
            layout.Heading(t("ilo_cases_heading", lang, n=len(part.cases))),
            layout.Table(columns, rows, "data compact"),
        ]
    if len(part.acts):
        directions = {d: t(d, lang) for d in reference.directions()}
        rows = [
            [a.date_adopted, a.title, directions.get(a.direction, a.direction)]
            for a in part.acts.itertuples()
        ]
        columns = [
            (t("col_date", lang), "nowrap"),
            (t("col_title", lang), ""),
            (t("col_direction", lang), ""),
        ]
        blocks += [
            layout.Heading(t("ilo_acts_heading", lang, n=len(part.acts))),
            layout.Table(columns, rows, "data compact"),
        ]
    return layout.Section("convention", title, blocks)


def write(
    country: str,
    since: str,
    until: str,
    langs: list[str],
    processed_dir: str | Path = "data/processed",
    output_dir: str | Path = "outputs",
) -> list[Path]:
    """Write the pack's PDF and XLSX per language under ``output_dir/ilo/``; every input is
    checked before anything is written."""
    bad = [lang for lang in langs if lang not in LANGS]
    if bad or not langs:
        raise ValueError(f"unsupported language(s) {bad}; valid: en, ru")
    packs = [build(country, since, until, lang, processed_dir) for lang in langs]
    folder = Path(output_dir) / "ilo" / f"{country}_{since}_{until}"
    written = []
    for pack in packs:
        pdf, _pages = render.html_to_pdf_bytes(to_html(pack))
        path = folder / f"ilo_pack_{country}_{pack.lang}.pdf"
        storage.write_bytes(path, pdf)
        written.append(path)
        path = folder / f"ilo_pack_{country}_{pack.lang}.xlsx"
        storage.write_bytes(path, to_xlsx(pack))
        written.append(path)
    return written
