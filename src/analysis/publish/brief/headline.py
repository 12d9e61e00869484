"""The first page: title block, key figures and the summary."""

from __future__ import annotations

import pandas as pd

from analysis import indicators
from analysis.privacy import notes
from analysis.publish import sentences
from analysis.publish.brief.context import BriefContext, num, source_label, trend_figure
from analysis.publish.layout import (
    Bullets,
    Header,
    KeyFigure,
    KeyFigures,
    NoteHtml,
    Paragraph,
    Section,
)
from analysis.vocab import text
from analysis.vocab.languages import LANGS
from analysis.vocab.text import fmt_change, fmt_date


def title_block(ctx: BriefContext) -> Section:
    """Country, year, language, latest record; the demo banner; the partial-year notice."""
    partial, latest = indicators.is_partial_year(ctx.violations, ctx.year)
    notice = (
        Paragraph(
            ctx.tr("partial_year", year=ctx.year, latest=fmt_date(latest, ctx.lang)), "notice"
        )
        if partial
        else None
    )
    header = Header(
        name=ctx.name,
        year=ctx.year,
        kind=ctx.tr(
            "theme_kind" if ctx.theme else "regional_kind" if ctx.is_regional else "brief_kind"
        ),
        banner=ctx.tr("demo_banner") if ctx.is_synthetic else None,
        as_of=ctx.tr("data_as_of"),
        latest=fmt_date(latest, ctx.lang),
        language_label=ctx.tr("language_label"),
        language_name=ctx.tr("language_name"),
        page_word=ctx.tr("page"),
        notice=notice,
    )
    return Section("title-block", ctx.name, header=header)


def _key_figure(label: str, value: str, notes: list[str]) -> KeyFigure:
    return KeyFigure(label=label, value=value, notes=notes)


def _comparison_notes(ctx: BriefContext, values: pd.Series, mean3: bool = True) -> list[str]:
    cmp = indicators.compare_year(values, ctx.year)
    if cmp["current"] is None:
        return [ctx.tr("no_data")]
    if cmp["previous"] is None:
        prev = ctx.tr("no_prev", year=ctx.year - 1)
    elif cmp["change_prev_pct"] is None:  # previous year was zero: a change in % means nothing
        prev = ctx.tr("in_prev", value=num(cmp["previous"], ctx.lang), year=ctx.year - 1)
    else:
        prev = (
            f"{fmt_change(cmp['change_prev_pct'], ctx.lang)} {ctx.tr('vs_prev', year=ctx.year - 1)}"
        )
    notes = [prev]
    if mean3 and cmp["mean3"] is not None:
        notes.append(
            f"{fmt_change(cmp['change_mean3_pct'], ctx.lang)} "
            f"{ctx.tr('vs_mean3', start=ctx.year - 3, end=ctx.year - 1)}"
        )
    return notes


def _rate_note(ctx: BriefContext, count: int) -> list[str]:
    """'4.2 per million inhabitants (population 2024, World Bank WDI SP.POP.TOTL)' when known."""
    rate = indicators.per_million(ctx.migration, ctx.country, ctx.year, count)
    if rate is None:
        return []
    return [
        ctx.tr(
            "per_million",
            rate=num(rate["rate"], ctx.lang, 1),
            year=rate["population_year"],
            source=text.source_label(
                rate["source_code"], rate["source"], rate["is_synthetic"], ctx.lang, licence=False
            ),
        )
    ]


def _migration_figure(ctx: BriefContext, label: str, indicator: str, decimals: int) -> KeyFigure:
    """A migration key figure: one source's value (its year when older than the brief's), the
    change against that same source's previous year, and the source named."""
    found = indicators.figure_for_year(ctx.migration, ctx.country, indicator, ctx.year)
    if found is None or found["year"] < ctx.year - 1:
        return _key_figure(label, ctx.tr("no_data"), [])
    value = ctx.tr("no_data") if found["no_data"] else num(found["value"], ctx.lang, decimals)
    notes = []
    if found["year"] != ctx.year:
        notes.append(ctx.tr("kf_in_year", year=found["year"]))
    if found["change_pct"] is not None:
        notes.append(
            f"{fmt_change(found['change_pct'], ctx.lang)} {ctx.tr('vs_prev', year=found['year'] - 1)}"
        )
    elif found["value"] is not None:
        notes.append(ctx.tr("no_prev", year=found["year"] - 1))
    notes.append(source_label(ctx, found["source_code"], found["source"], found["is_synthetic"]))
    return _key_figure(label, value, notes)


def key_figures(ctx: BriefContext) -> Section:
    """Six headline figures with their change against the previous year (and 3-year mean)."""
    per_year = indicators.violations_per_year(
        ctx.violations, ctx.country, ctx.monitored_years
    ).set_index("year")
    acts = indicators.legislation_by_direction(ctx.legislation, ctx.country, ctx.years)
    cells = [
        _key_figure(
            ctx.tr("kf_violations"),
            num(per_year.loc[ctx.year, "incidents"], ctx.lang),
            _comparison_notes(ctx, per_year["incidents"])
            + _rate_note(ctx, per_year.loc[ctx.year, "incidents"]),
        ),
        _key_figure(
            ctx.tr("kf_persons"),
            num(per_year.loc[ctx.year, "persons_affected"], ctx.lang),
            _comparison_notes(ctx, per_year["persons_affected"]),
        ),
        _key_figure(
            ctx.tr("kf_restrictive"),
            num(acts.loc[ctx.year, "restrictive"], ctx.lang),
            _comparison_notes(ctx, acts["restrictive"], mean3=False),
        ),
        _key_figure(
            ctx.tr("kf_protective"),
            num(acts.loc[ctx.year, "protective"], ctx.lang),
            _comparison_notes(ctx, acts["protective"], mean3=False),
        ),
    ]
    for label, indicator, decimals in (
        ("kf_outflow", "outflow", 0),
        ("kf_remittances", "remittances_gdp_pct", 1),
    ):
        cells.append(_migration_figure(ctx, ctx.tr(label), indicator, decimals))
    return Section("key-figures", ctx.tr("key_figures"), [KeyFigures(cells)])


def summary(ctx: BriefContext) -> Section:
    """Key findings in sentences from the data and a small chart of the yearly count with its
    trend: with the key figures, the page a reader who reads one page reads."""
    blocks = [Bullets(sentences.key_findings(ctx), "findings")]
    if not ctx.is_cross_country:
        per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.monitored_years)
        if per_year["incidents"].sum() > 0:
            title = ctx.tr("findings_chart_title", country=ctx.name)
            reports = int(per_year["reports"].sum())
            blocks.append(trend_figure(ctx, per_year, reports, "violations_trend", title))
    return Section("summary", ctx.tr("key_findings"), blocks)


def monitors_note(ctx: BriefContext) -> Section | None:
    """The monitors' own assessment (``data/notes/<year>/<KEY>.<lang>.md``), marked as written
    by people; left out when there is none; a note in the other language only is said to
    exist. A note naming a person of a non-public record stops the report (no PDF)."""
    if not ctx.notes_dir:
        return None
    note = notes.read_note(ctx.notes_dir, ctx.year, ctx.country, ctx.lang)
    title = ctx.tr("assessment_title")
    if note is None:
        other = [
            lang
            for lang in LANGS
            if lang != ctx.lang and notes.read_note(ctx.notes_dir, ctx.year, ctx.country, lang)
        ]
        if not other:
            return None
        return Section(
            "assessment",
            title,
            [Paragraph(ctx.tr("assessment_other_language", language=ctx.tr(f"lang_{other[0]}")))],
        )
    notes.check_note(note, notes.shield_from(ctx.processed_dir))
    return Section(
        "assessment",
        title,
        [
            Paragraph(ctx.tr("assessment_written_by"), "written-by"),
            NoteHtml(notes.to_html(note.text)),
        ],
    )
