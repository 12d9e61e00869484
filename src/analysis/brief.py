"""Sections of a country brief and of the regional overview, for the notebooks in ``notebooks/``.

The notebook stays thin: it loads a :class:`BriefContext` and displays one section per cell.
Each section is computed here as data (a :class:`~analysis.layout.Section`: title, blocks and
the tables it attaches) from the processed tables through :mod:`analysis.indicators`; its HTML
comes from a template with autoescape (:mod:`analysis.layout`). Every chart carries its source
line, is saved as PNG and SVG for slides when drawn, and its table travels inside the PDF as a
CSV attachment (aggregates only). The summary's sentences are in :mod:`analysis.sentences`.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from analysis import __version__, charts, indicators, inputs, reference, schema, sentences, storage
from analysis.layout import (
    Attachments,
    Case,
    Cases,
    Columns,
    Figure,
    Header,
    Heading,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)
from analysis.sentences import TREND_YEARS
from analysis.text import fmt_change, fmt_number, t

HISTORY_YEARS = 10
TOP_CATEGORIES = 7
TOP_BREAKDOWN = 5
BEFORE_AFTER_ROWS = 4
BEFORE_AFTER_WINDOW = 2
REGIONAL = inputs.REGIONAL


@dataclass
class BriefContext:
    country: str
    year: int
    lang: str
    violations: pd.DataFrame
    legislation: pd.DataFrame
    migration: pd.DataFrame
    public_names: pd.DataFrame  # incident_id, victim_names: public cases only
    quality: dict
    snapshot: str
    figures_dir: str | None = None
    regional: pd.DataFrame | None = None  # the regional comparison, when already computed

    @property
    def is_regional(self) -> bool:
        return self.country == REGIONAL

    @property
    def countries(self) -> list[str]:
        return reference.mission_countries() if self.is_regional else [self.country]

    @property
    def name(self) -> str:
        if self.is_regional:
            return self.tr("regional_title")
        return reference.country_name(self.country, self.lang)

    @property
    def name_in(self) -> str:
        """'Kazakhstan' / 'Казахстане' (after 'in' / 'в')."""
        if self.is_regional:
            return self.tr("regional_title_in")
        column = "name_ru_prep" if self.lang == "ru" else "name_en"
        return str(reference.countries().set_index("iso3").loc[self.country, column])

    @property
    def years(self) -> range:
        return range(self.year - HISTORY_YEARS + 1, self.year + 1)

    @property
    def is_synthetic(self) -> bool:
        return bool(self.quality.get("is_synthetic")) or any(
            bool(getattr(self, name)["is_synthetic"].any()) for name in schema.DATASETS
        )

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def load(
    country: str,
    year: int,
    lang: str,
    processed_dir: str | Path = "data/processed",
    figures_dir: str | None = None,
    snapshot: str = "",
) -> BriefContext:
    """The data of one brief, its parameters checked as the batch checks them (a notebook run
    by hand with a bad code gets the same message). ``snapshot``: the data digest, when the
    batch already computed it."""
    data = inputs.read_processed(processed_dir)
    year = int(year)
    countries = [] if country == REGIONAL else [country]
    inputs.validate_parameters(countries, year, [lang], inputs.years_in(data))
    return BriefContext(
        country=country,
        year=year,
        lang=lang,
        violations=data.violations,
        legislation=data.legislation,
        migration=data.migration,
        public_names=data.public_names,
        quality=data.quality,
        snapshot=snapshot or inputs.data_digest(data, country, year),
        figures_dir=figures_dir,
        regional=data.regional(year),
    )


# --------------------------------------------------------------------------- blocks


def _figure(ctx: BriefContext, draw, name: str, source: str, alt: str) -> Figure:
    """A chart with its source line; ``draw`` makes the matplotlib figure, when the page is
    rendered. Saved as PNG and SVG for slides when the brief has a figures folder."""
    folder = Path(ctx.figures_dir) / str(ctx.year) / ctx.country if ctx.figures_dir else None
    return Figure(
        draw=lambda: charts.render(draw(), folder, f"{name}_{ctx.lang}"),
        alt=alt,
        source_word=ctx.tr("source"),
        source=source,
    )


def _attachment(ctx: BriefContext, name: str) -> str:
    return f"{ctx.country}_{ctx.year}_{name}.csv"


def _num(value: float | None, lang: str, decimals: int = 0) -> str:
    return fmt_number(value, lang, decimals)


def _category_labels(lang: str) -> pd.Series:
    return reference.categories().set_index("code")[f"label_{lang}"]


# --------------------------------------------------------------------------- sections


def title_block(ctx: BriefContext) -> Section:
    """Country, year, language, latest record; the demo banner; the partial-year notice."""
    partial, latest = indicators.is_partial_year(ctx.violations, ctx.year)
    notice = (
        Paragraph(ctx.tr("partial_year", year=ctx.year, latest=latest), "notice")
        if partial
        else None
    )
    header = Header(
        name=ctx.name,
        year=ctx.year,
        kind=ctx.tr("regional_kind" if ctx.is_regional else "brief_kind"),
        banner=ctx.tr("demo_banner") if ctx.is_synthetic else None,
        as_of=ctx.tr("data_as_of"),
        latest=latest or "—",
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
        prev = ctx.tr("in_prev", value=_num(cmp["previous"], ctx.lang), year=ctx.year - 1)
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
            rate=_num(rate["rate"], ctx.lang, 1),
            year=rate["population_year"],
            source=rate["source"],
        )
    ]


def key_figures(ctx: BriefContext) -> Section:
    """Six headline figures with their change against the previous year (and 3-year mean)."""
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.years).set_index(
        "year"
    )
    acts = indicators.legislation_by_direction(ctx.legislation, ctx.country, ctx.years)
    cells = [
        _key_figure(
            ctx.tr("kf_violations"),
            _num(per_year.loc[ctx.year, "incidents"], ctx.lang),
            _comparison_notes(ctx, per_year["incidents"])
            + _rate_note(ctx, per_year.loc[ctx.year, "incidents"]),
        ),
        _key_figure(
            ctx.tr("kf_persons"),
            _num(per_year.loc[ctx.year, "persons_affected"], ctx.lang),
            _comparison_notes(ctx, per_year["persons_affected"]),
        ),
        _key_figure(
            ctx.tr("kf_restrictive"),
            _num(acts.loc[ctx.year, "restrictive"], ctx.lang),
            _comparison_notes(ctx, acts["restrictive"], mean3=False),
        ),
        _key_figure(
            ctx.tr("kf_protective"),
            _num(acts.loc[ctx.year, "protective"], ctx.lang),
            _comparison_notes(ctx, acts["protective"], mean3=False),
        ),
    ]
    for label, indicator, decimals in (
        ("kf_outflow", "outflow", 0),
        ("kf_remittances", "remittances_gdp_pct", 1),
    ):
        series = indicators.migration_series(ctx.migration, ctx.country, indicator).set_index(
            "year"
        )["value"]
        now = series.get(ctx.year)
        cells.append(
            _key_figure(
                ctx.tr(label),
                _num(now, ctx.lang, decimals),
                _comparison_notes(ctx, series, mean3=False),
            )
        )
    return Section("key-figures", ctx.tr("key_figures"), [KeyFigures(cells)])


def summary(ctx: BriefContext) -> Section:
    """The summary paragraph as a section."""
    return Section("summary", ctx.tr("summary_title"), [Paragraph(sentences.summary_text(ctx))])


def violations_section(ctx: BriefContext) -> Section:
    """Violations and reporting partners per year, breakdowns, and the convenience-sample warning."""
    lang = ctx.lang
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.years)
    coverage = indicators.source_coverage(ctx.violations, ctx.country, ctx.years)
    section = Section("violations", ctx.tr("violations_title"))
    if per_year["incidents"].sum() > 0:
        title = ctx.tr("violations_chart_title", country=ctx.name)
        draw = partial(
            charts.violations_with_coverage,
            per_year,
            coverage,
            title,
            ctx.tr("violations_axis"),
            ctx.tr("partners_axis"),
            ctx.tr("incidents_legend"),
            ctx.tr("partners_legend"),
            highlight=ctx.year,
        )
        source = ctx.tr("source_violations", n=_num(int(per_year["reports"].sum()), lang))
        table = per_year.merge(coverage[["year", "partners"]], on="year", validate="1:1")
        section.blocks.append(_figure(ctx, draw, "violations_per_year", source, title))
        section.attachments[_attachment(ctx, "violations_per_year")] = table
    else:
        section.blocks.append(
            Paragraph(ctx.tr("s_no_violations", year=ctx.year, country_in=ctx.name_in))
        )
    section.blocks.append(Paragraph(ctx.tr("convenience_note"), "caveat"))
    labels = _category_labels(lang)
    by_category = indicators.breakdown(ctx.violations, ctx.country, ctx.year, "category")
    if len(by_category):
        section.attachments[_attachment(ctx, "violations_by_category")] = by_category
        shown = by_category.head(TOP_CATEGORIES)
        rows = [
            [
                labels[r.category],
                _num(r.incidents, lang),
                _num(r.persons_affected, lang),
                f"{_num(r.share_pct, lang)}%",
            ]
            for r in shown.itertuples()
        ]
        rest = by_category.iloc[TOP_CATEGORIES:]
        if len(rest):
            rows.append(
                [
                    ctx.tr("other_categories", n=len(rest)),
                    _num(rest["incidents"].sum(), lang),
                    _num(rest["persons_affected"].sum(), lang),
                    f"{_num(rest['share_pct'].sum(), lang)}%",
                ]
            )
        section.blocks.append(Heading(ctx.tr("categories_title", year=ctx.year)))
        columns = [
            (ctx.tr("category_label"), ""),
            (ctx.tr("count_label"), "num"),
            (ctx.tr("persons_label"), "num"),
            (ctx.tr("share_label"), "num"),
        ]
        section.blocks.append(Table(columns, rows))
        small = []
        for by, title, label in (
            ("sector", "sector_title", "sector_label"),
            ("perpetrator", "perpetrator_title", "perpetrator_label"),
        ):
            table = indicators.breakdown(ctx.violations, ctx.country, ctx.year, by).head(
                TOP_BREAKDOWN
            )
            section.attachments[_attachment(ctx, f"violations_by_{by}")] = table
            rows = [[getattr(r, by), _num(r.incidents, lang)] for r in table.itertuples()]
            columns = [(ctx.tr(label), ""), (ctx.tr("count_label"), "num")]
            small.append([Heading(ctx.tr(title, year=ctx.year)), Table(columns, rows)])
        section.blocks.append(Columns(small))
    return section


def notable_cases(ctx: BriefContext, limit: int = 3) -> Section:
    """The year's most serious cases: person-targeting categories first, then persons affected.

    A case is described in full (date, place, names) only when the record says it is public;
    otherwise only its category, month and the number of persons affected are shown.
    """
    lang = ctx.lang
    section = Section("cases", ctx.tr("cases_title", year=ctx.year))
    rows = ctx.violations[
        (ctx.violations["country"] == ctx.country) & (ctx.violations["year"] == ctx.year)
    ]
    if rows.empty:
        section.blocks.append(Paragraph(ctx.tr("cases_none", year=ctx.year)))
        return section
    ranked = (
        rows.assign(
            personal=rows["category"].isin(reference.person_categories()),
            persons=rows["persons_affected"].fillna(0),
        )
        .sort_values(["personal", "persons", "incident_id"], ascending=[False, False, True])
        .head(limit)
    )
    names = ranked.merge(ctx.public_names, on="incident_id", how="left", validate="1:1")
    labels = _category_labels(lang)
    cases = []
    for case in names.itertuples():  # a handful of rows
        persons = (
            f"{ctx.tr('case_persons')}: {_num(case.persons_affected, lang)}"
            if pd.notna(case.persons_affected)
            else ""
        )
        if case.is_public:
            where = ", ".join(
                str(v) for v in (case.date, case.location) if isinstance(v, str) and v
            )
            cases.append(
                Case(
                    label=labels[case.category],
                    when=where,
                    persons=persons,
                    public=True,
                    named_word=ctx.tr("case_named"),
                    named=case.victim_names if isinstance(case.victim_names, str) else None,
                    description=case.description if isinstance(case.description, str) else None,
                )
            )
        else:
            month = case.date[:7] if case.date_precision == "day" else case.date
            cases.append(
                Case(
                    label=labels[case.category],
                    when=month,
                    persons=persons,
                    public=False,
                    anonymous=ctx.tr("case_anonymous"),
                )
            )
    section.blocks += [Cases(cases), Paragraph(ctx.tr("names_note"), "small")]
    return section


def standards_panel(ctx: BriefContext) -> Section:
    """Ratification of the ILO fundamental and migrant-worker conventions (NORMLEX)."""
    instruments = reference.read_table("ilo_instruments")
    ratified = reference.read_table("ilo_ratifications")
    ratified = ratified[ratified["iso3"] == ctx.country].set_index("convention")["year"]
    covered = ctx.country in set(reference.read_table("ilo_ratifications")["iso3"])
    rows = []
    for inst in instruments.itertuples():
        if inst.code in ratified.index:
            status = ctx.tr("standards_ratified", year=ratified[inst.code])
        elif covered and inst.group == "fundamental":
            status = ctx.tr("standards_not_ratified")
        else:
            status = ctx.tr("standards_unknown")
        rows.append([f"{inst.code} {getattr(inst, f'label_{ctx.lang}')}", status])
    columns = [(ctx.tr("convention_label"), ""), (ctx.tr("status_label"), "")]
    source = f"{ctx.tr('source')}: {ctx.tr('standards_source')}"
    return Section(
        "standards",
        ctx.tr("standards_title"),
        [Table(columns, rows, "data compact"), Paragraph(source, "figcaption")],
    )


def legislation_section(ctx: BriefContext) -> Section:
    """Timeline of restrictive/protective acts, the year's acts, instruments named, before/after."""
    lang = ctx.lang
    section = Section("legislation", ctx.tr("legislation_title"))
    country_acts = ctx.legislation[ctx.legislation["country"] == ctx.country]
    if country_acts.empty:
        section.blocks.append(Paragraph(ctx.tr("legislation_never", country_in=ctx.name_in)))
        return section
    balance = indicators.legislation_balance(ctx.legislation, ctx.country, ctx.years)
    labels = {d: ctx.tr(d) for d in reference.directions()}
    title = ctx.tr("legislation_chart_title", country=ctx.name)
    draw = partial(
        charts.legislation_timeline,
        balance,
        title,
        ctx.tr("legislation_axis"),
        labels,
        ctx.tr("balance_legend"),
    )
    section.blocks.append(
        _figure(ctx, draw, "legislation_balance", ctx.tr("source_legislation"), title)
    )
    section.attachments[_attachment(ctx, "legislation_balance")] = balance
    acts = indicators.legislation_in_year(ctx.legislation, ctx.country, ctx.year)
    section.blocks.append(Heading(ctx.tr("acts_title", year=ctx.year)))
    if acts.empty:
        section.blocks.append(
            Paragraph(ctx.tr("legislation_none", country_in=ctx.name_in, year=ctx.year))
        )
    else:
        rows = [
            [
                a.date_adopted,
                a.title,
                labels[a.direction],
                (a.ilo_conventions or "").replace(";", ", "),
            ]
            for a in acts.itertuples()
        ]
        columns = [
            (ctx.tr("col_date"), "nowrap"),
            (ctx.tr("col_title"), ""),
            (ctx.tr("col_direction"), ""),
            (ctx.tr("col_conventions"), ""),
        ]
        section.blocks.append(Table(columns, rows))
        touched = indicators.conventions_touched(acts)
        if len(touched):
            rows = [
                [
                    c.convention,
                    _num(c.acts, lang),
                    _num(c.restrictive, lang),
                    _num(c.protective, lang),
                ]
                for c in touched.itertuples()
            ]
            columns = [
                (ctx.tr("col_conventions"), ""),
                (ctx.tr("col_acts"), "num"),
                (labels["restrictive"], "num"),
                (labels["protective"], "num"),
            ]
            section.blocks += [
                Heading(ctx.tr("conventions_title")),
                Table(columns, rows, "data compact"),
            ]
    around = indicators.before_after(
        ctx.violations, ctx.legislation, ctx.country, BEFORE_AFTER_WINDOW, ctx.year
    )
    around = around[around["year"].isin(ctx.years)].tail(BEFORE_AFTER_ROWS)
    if len(around):
        section.attachments[_attachment(ctx, "violations_around_restrictive_acts")] = around
        rows = [
            [
                str(r.year),
                r.title,
                _num(r.before_mean, lang, 1),
                _num(r.after_mean, lang, 1) + ("" if r.complete else f" ({ctx.tr('incomplete')})"),
            ]
            for r in around.itertuples()
        ]
        columns = [
            (ctx.tr("year_label"), "nowrap"),
            (ctx.tr("col_title"), ""),
            (ctx.tr("col_before"), "num"),
            (ctx.tr("col_after"), "num"),
        ]
        section.blocks += [
            Heading(ctx.tr("before_after_title")),
            Table(columns, rows, "data compact"),
            Paragraph(ctx.tr("before_after_note", window=BEFORE_AFTER_WINDOW), "caveat"),
        ]
    return section


def migration_section(ctx: BriefContext) -> Section:
    """Key migration figures with sources, migrants abroad by destination, remittances."""
    lang = ctx.lang
    section = Section("migration", ctx.tr("migration_title"))
    rows = ctx.migration[
        (ctx.migration["country"] == ctx.country) & ctx.migration["year"].isin(ctx.years)
    ]
    if rows.empty:
        section.blocks.append(
            Paragraph(ctx.tr("migration_none", country_in=ctx.name_in, country=ctx.name))
        )
        return section
    labels = reference.indicators().set_index("code")[f"label_{lang}"]
    names = reference.country_names(lang)
    summary_table = indicators.migration_summary(rows, ctx.country, ctx.year)
    section.attachments[_attachment(ctx, "migration_summary")] = summary_table
    decimals = {"remittances_gdp_pct": 1, "remittances_usd": 0}
    table_rows = []
    for r in summary_table.itertuples():
        value = (
            r.value / 1e6
            if r.indicator == "remittances_usd" and r.value is not None and not math.isnan(r.value)
            else r.value
        )
        unit = (
            " млн"
            if r.indicator == "remittances_usd" and lang == "ru"
            else " m"
            if r.indicator == "remittances_usd"
            else ""
        )
        shown = _num(value, lang, decimals.get(r.indicator, 0)) + (
            unit if value is not None and not pd.isna(value) else ""
        )
        if isinstance(r.estimate_type, str) and r.estimate_type == "estimated":
            shown += f" ({ctx.tr('estimated')})"
        table_rows.append([labels[r.indicator], shown, fmt_change(r.change_pct, lang), r.source])
    columns = [
        (ctx.tr("indicator_label"), ""),
        (ctx.tr("value_label"), "num"),
        (ctx.tr("change_label"), "num"),
        (ctx.tr("source"), ""),
    ]
    section.blocks.append(Table(columns, table_rows))
    top = indicators.main_destination(rows, ctx.country, ctx.year)
    if top:
        partner = names.get(top["partner"], top["partner"])
        share = _num(top["share_pct"], lang)
        section.blocks.append(
            Paragraph(ctx.tr("main_destination", year=ctx.year, partner=partner, share=share))
        )
    stock = indicators.stock_by_partner(rows, ctx.country)
    if not stock.empty:
        title = ctx.tr("migration_chart_title", country=ctx.name)
        draw_stock = partial(
            charts.lines_by_year, stock, title, ctx.tr("migration_axis"), names, 1000
        )
        sources = "; ".join(
            sorted(rows.loc[rows["indicator"] == "stock_abroad", "source"].unique())
        )
        source = ctx.tr("source_migration", sources=sources)
        section.blocks.append(_figure(ctx, draw_stock, "migrants_abroad", source, title))
        section.attachments[_attachment(ctx, "migrants_abroad")] = stock.reset_index()
    remit = indicators.migration_series(rows, ctx.country, "remittances_gdp_pct")
    if not remit.empty:
        title = ctx.tr("remittances_chart_title", country=ctx.name)
        draw_remittances = partial(
            charts.bar_by_year,
            remit.assign(value=remit["value"].round(1)),
            "value",
            title,
            ctx.tr("remittances_axis"),
            highlight=ctx.year,
            height=2.1,
        )
        source = ctx.tr("source_migration", sources="; ".join(sorted(remit["source"].unique())))
        section.blocks.append(_figure(ctx, draw_remittances, "remittances_gdp", source, title))
        section.attachments[_attachment(ctx, "remittances_gdp")] = remit
    return section


def regional_table(ctx: BriefContext, countries: list[str] | None = None) -> pd.DataFrame:
    """The regional comparison behind :func:`regional_section`."""
    if countries is None and ctx.regional is not None:
        return ctx.regional.copy()
    countries = countries or reference.mission_countries()
    return indicators.regional_comparison(
        ctx.violations, ctx.legislation, ctx.migration, countries, ctx.year
    )


def regional_section(ctx: BriefContext) -> Section:
    """The country beside the other mission countries on the same indicators."""
    lang = ctx.lang
    table = regional_table(ctx)
    names = reference.country_names(lang)
    ordered = table.sort_values(["incidents", "country"], ascending=[False, True])
    title = ctx.tr("regional_chart_title", year=ctx.year)
    draw = partial(
        charts.horizontal_bars,
        [names[c] for c in ordered["country"]],
        ordered["incidents"].tolist(),
        title,
        highlight=ctx.name,
    )
    source = ctx.tr("source_violations", n=_num(int(ctx.violations["n_reports"].sum()), lang))
    rows = [
        [
            names[r.country],
            _num(r.incidents, lang),
            fmt_change(r.change_prev_pct, lang),
            _num(r.persons_affected, lang),
            _num(r.restrictive, lang),
            _num(r.protective, lang),
            _num(r.remittances_gdp_pct, lang, 1),
            _num(r.outflow, lang),
        ]
        for r in table.itertuples()
    ]
    columns = [
        (ctx.tr("country_label"), ""),
        (ctx.tr("kf_violations"), "num"),
        (ctx.tr("vs_prev", year=ctx.year - 1), "num"),
        (ctx.tr("kf_persons"), "num"),
        (ctx.tr("restrictive"), "num"),
        (ctx.tr("protective"), "num"),
        (ctx.tr("kf_remittances"), "num"),
        (ctx.tr("kf_outflow"), "num"),
    ]
    own = None if ctx.is_regional else names[ctx.country]
    return Section(
        "regional",
        ctx.tr("regional_section_title", year=ctx.year),
        [
            _figure(ctx, draw, "regional_comparison", source, title),
            Table(columns, rows, "data wide", highlight=own),
            Paragraph(ctx.tr("convenience_note"), "caveat"),
        ],
        attachments={_attachment(ctx, "regional_comparison"): table},
    )


def attachments(ctx: BriefContext) -> dict[str, pd.DataFrame]:
    """Every table the brief attaches, in page order: built from the sections themselves (as
    data, nothing drawn), so the list is complete whatever order the notebook's cells run in."""
    sections = REGIONAL_SECTIONS if ctx.is_regional else COUNTRY_SECTIONS
    tables: dict[str, pd.DataFrame] = {}
    for section in sections:
        tables.update(section(ctx).attachments)
    return tables


def _attachment_block(ctx: BriefContext) -> Attachments:
    files = []
    for name, table in attachments(ctx).items():
        text = storage.neutralise_formulas(table).to_csv(index=False)
        files.append((name, base64.b64encode(text.encode("utf-8")).decode("ascii")))
    return Attachments(files)


def methodology(ctx: BriefContext) -> Section:
    """Methods, sources, data quality (from the cleaning report), attachments and provenance."""
    lang = ctx.lang
    datasets = ctx.quality.get("datasets", {})
    rejected = sum(d.get("rows_rejected", 0) for d in datasets.values())
    merged = sum(d.get("rows_merged_duplicates", 0) for d in datasets.values())
    own = ctx.violations["country"].isin(ctx.countries)
    partners = sorted(
        {p for v in ctx.violations.loc[own, "source"].dropna() for p in v.split("; ")}
    )
    migration_sources = sorted(
        ctx.migration.loc[ctx.migration["country"].isin(ctx.countries), "source"].unique()
    )
    sources = "; ".join([*partners, *migration_sources, "ILO NORMLEX"])
    quality = ctx.tr(
        "m_quality",
        kept=_num(int(own.sum()), lang),
        acts=_num(int(ctx.legislation["country"].isin(ctx.countries).sum()), lang),
        series=_num(int(ctx.migration["country"].isin(ctx.countries).sum()), lang),
        country_in=ctx.name_in,
        country=ctx.name,
        rejected=_num(rejected, lang),
        merged=_num(merged, lang),
    )
    provenance = ctx.tr(
        "provenance",
        snapshot=ctx.snapshot,
        version=__version__,
        country=ctx.country,
        year=ctx.year,
        brief_lang=lang,
    )
    return Section(
        "methodology",
        ctx.tr("methodology_title"),
        [
            Paragraph(ctx.tr("m_counts")),
            Paragraph(ctx.tr("m_trend", n=TREND_YEARS)),
            Paragraph(ctx.tr("m_preference")),
            Paragraph(ctx.tr("m_sources", sources=sources)),
            Paragraph(quality),
            Paragraph(ctx.tr("names_note")),
            Paragraph(ctx.tr("attachments_note")),
            _attachment_block(ctx),
            Paragraph(provenance, "provenance"),
        ],
    )


# --------------------------------------------------------------------------- regional overview


def _yearly_by_country(
    ctx: BriefContext, values: pd.DataFrame, column: str = "value"
) -> pd.DataFrame:
    """A year x country table (mission countries as columns) from long (country, year, value)."""
    table = values.pivot_table(index="year", columns="country", values=column, aggfunc="sum")
    return table.reindex(index=list(ctx.years)).reindex(
        columns=[c for c in ctx.countries if c in table.columns]
    )


def regional_trends(ctx: BriefContext) -> Section:
    """Documented violations per year in every mission country, with the coverage caveat."""
    names = reference.country_names(ctx.lang)
    counts = (
        ctx.violations[ctx.violations["country"].isin(ctx.countries)]
        .groupby(["country", "year"])
        .size()
    )
    table = _yearly_by_country(ctx, counts.rename("incidents").reset_index(), "incidents").fillna(0)
    title = ctx.tr("regional_trend_title")
    draw = partial(charts.lines_by_year, table, title, ctx.tr("violations_axis"), names)

    source = ctx.tr("source_violations", n=_num(int(ctx.violations["n_reports"].sum()), ctx.lang))
    return Section(
        "violations",
        ctx.tr("violations_title"),
        [
            _figure(ctx, draw, "violations_by_country", source, title),
            Paragraph(ctx.tr("convenience_note"), "caveat"),
        ],
        attachments={_attachment(ctx, "violations_by_country"): table.reset_index()},
    )


def regional_legislation(ctx: BriefContext) -> Section:
    """Restrictive and protective acts per country over the brief's ten years and in its year."""
    names = reference.country_names(ctx.lang)
    rows, records = [], []
    for country in ctx.countries:
        acts = indicators.legislation_by_direction(ctx.legislation, country, ctx.years)
        total, year = acts.sum(), acts.loc[ctx.year]
        records.append(
            {
                "country": country,
                **{f"{k}_10y": int(v) for k, v in total.items()},
                **{f"{k}_{ctx.year}": int(v) for k, v in year.items()},
            }
        )
        rows.append(
            [
                names[country],
                _num(total["restrictive"], ctx.lang),
                _num(total["protective"], ctx.lang),
                _num(year["restrictive"], ctx.lang),
                _num(year["protective"], ctx.lang),
            ]
        )
    span = f"{ctx.years[0]}–{ctx.years[-1]}"
    columns = [
        (ctx.tr("country_label"), ""),
        (f"{ctx.tr('restrictive')} {span}", "num"),
        (f"{ctx.tr('protective')} {span}", "num"),
        (f"{ctx.tr('restrictive')} {ctx.year}", "num"),
        (f"{ctx.tr('protective')} {ctx.year}", "num"),
    ]
    source = f"{ctx.tr('source')}: {ctx.tr('source_legislation')}"
    return Section(
        "legislation",
        ctx.tr("legislation_title"),
        [Table(columns, rows), Paragraph(source, "figcaption")],
        attachments={f"regional_{ctx.year}_legislation.csv": pd.DataFrame(records)},
    )


def regional_migration(ctx: BriefContext) -> Section:
    """Remittances as % of GDP per mission country over time (countries without data are named)."""
    names = reference.country_names(ctx.lang)
    section = Section("migration", ctx.tr("migration_title"))
    rows = ctx.migration[
        (ctx.migration["indicator"] == "remittances_gdp_pct")
        & (ctx.migration["partner"] == reference.ALL_DESTINATIONS)
    ]
    rows = rows.sort_values(["country", "year", "source"]).drop_duplicates(["country", "year"])
    table = _yearly_by_country(ctx, rows)
    if not table.dropna(how="all").empty:
        title = ctx.tr("regional_remittances_title")
        draw = partial(
            charts.lines_by_year, table.dropna(how="all"), title, ctx.tr("remittances_axis"), names
        )
        sources = "; ".join(sorted(rows["source"].unique()))
        source = ctx.tr("source_migration", sources=sources)
        section.blocks.append(_figure(ctx, draw, "remittances_by_country", source, title))
        section.attachments[_attachment(ctx, "remittances_by_country")] = table.reset_index()
    missing = [names[c] for c in ctx.countries if c not in table.columns or table[c].isna().all()]
    if missing:
        section.blocks.append(
            Paragraph(ctx.tr("regional_no_remittances", countries=", ".join(missing)))
        )
    return section


# The sections that attach tables, in the order of their notebook (see :func:`attachments`).
COUNTRY_SECTIONS = (violations_section, legislation_section, migration_section, regional_section)
REGIONAL_SECTIONS = (regional_section, regional_trends, regional_legislation, regional_migration)
