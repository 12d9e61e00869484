"""The country brief's sections: violations, notable cases, ILO standards, legislation, migration."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis import indicators
from analysis.publish import charts
from analysis.publish.brief.context import (
    BEFORE_AFTER_ROWS,
    BEFORE_AFTER_WINDOW,
    TOP_BREAKDOWN,
    TOP_CATEGORIES,
    BriefContext,
    attachment_name,
    category_labels,
    figure,
    migration_value,
    num,
    once,
    reports_source,
    source_label,
)
from analysis.publish.layout import (
    Case,
    Cases,
    Columns,
    Heading,
    Paragraph,
    Section,
    Table,
)
from analysis.vocab import reference
from analysis.vocab.text import fmt_change, fmt_date, fmt_pct, in_language, place_name, tn


@once
def violations_section(ctx: BriefContext) -> Section:
    """Violations and reporting partners per year, breakdowns, and the convenience-sample warning."""
    lang = ctx.lang
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.monitored_years)
    coverage = indicators.source_coverage(ctx.violations, ctx.country, ctx.monitored_years)
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
        source = reports_source(ctx, int(per_year["reports"].sum()))
        table = per_year.merge(coverage[["year", "partners"]], on="year", validate="1:1")
        section.blocks.append(figure(ctx, draw, "violations_per_year", source, title))
        section.attachments[attachment_name(ctx, "violations_per_year")] = table
    else:
        section.blocks.append(
            Paragraph(ctx.tr("s_no_violations", year=ctx.year, country_in=ctx.name_in))
        )
    section.blocks.append(Paragraph(ctx.tr("convenience_note"), "caveat"))
    labels = category_labels(lang)
    by_category = indicators.breakdown(ctx.violations, ctx.country, ctx.year, "category")
    if len(by_category):
        section.attachments[attachment_name(ctx, "violations_by_category")] = by_category
        shown = by_category.head(TOP_CATEGORIES)
        rest = by_category.iloc[TOP_CATEGORIES:]
        # shares rounded so that the printed ones add up to 100 (largest remainder)
        parts = [*shown["incidents"], *([rest["incidents"].sum()] if len(rest) else [])]
        shares = indicators.rounded_shares(parts)
        rows = [
            [
                labels[r.category],
                num(r.incidents, lang),
                num(r.persons_affected, lang),
                fmt_pct(share, lang),
            ]
            for r, share in zip(shown.itertuples(), shares, strict=False)
        ]
        if len(rest):
            rows.append(
                [
                    ctx.tr("other_categories", n=len(rest)),
                    num(rest["incidents"].sum(), lang),
                    num(rest["persons_affected"].sum(), lang),
                    fmt_pct(shares[-1], lang),
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
            section.attachments[attachment_name(ctx, f"violations_by_{by}")] = table
            names = reference.vocabulary_labels(f"{by}s", lang) | {"—": ctx.tr("not_reported")}
            rows = [
                [names.get(getattr(r, by), getattr(r, by)), num(r.incidents, lang)]
                for r in table.itertuples()
            ]
            columns = [(ctx.tr(label), ""), (ctx.tr("count_label"), "num")]
            small.append([Heading(ctx.tr(title, year=ctx.year)), Table(columns, rows)])
        section.blocks.append(Columns(small))
    return section


def notable_cases(ctx: BriefContext, limit: int = 3) -> Section:
    """The year's most serious cases: person-targeting categories first, then persons affected.

    A case is described in full (date, place, names) only when the record says it is public;
    otherwise only its category, month and the number of persons affected are shown.
    """
    section = Section("cases", ctx.tr("cases_title", year=ctx.year))
    rows = ctx.violations[
        (ctx.violations["country"] == ctx.country) & (ctx.violations["year"] == ctx.year)
    ]
    if rows.empty:
        section.blocks.append(Paragraph(ctx.tr("cases_none", year=ctx.year)))
        return section
    section.blocks += [case_list(ctx, rows, limit), Paragraph(ctx.tr("names_note"), "small")]
    return section


def case_list(
    ctx: BriefContext, rows: pd.DataFrame, limit: int, with_country: bool = False
) -> Cases:
    """The ``limit`` most serious of ``rows`` (person-targeting categories first, then persons
    affected), public ones in full, the others by category, month and persons only."""
    lang = ctx.lang
    ranked = (
        rows.assign(
            personal=rows["category"].isin(reference.person_categories()),
            persons=rows["persons_affected"].fillna(0),
        )
        .sort_values(["personal", "persons", "incident_id"], ascending=[False, False, True])
        .head(limit)
    )
    names = ranked.merge(ctx.public_names, on="incident_id", how="left", validate="1:1")
    labels = category_labels(lang)
    countries = reference.country_names(lang)
    cases = []
    for case in names.itertuples():  # a handful of rows
        label = labels[case.category]
        if with_country:
            label = f"{countries[case.country]}: {label}"
        persons = (
            f"{ctx.tr('case_persons')}: {num(case.persons_affected, lang)}"
            if pd.notna(case.persons_affected)
            else ""
        )
        if case.is_public:
            where = ", ".join(
                str(v)
                for v in (
                    fmt_date(case.date, lang),
                    place_name(case.location, lang) if isinstance(case.location, str) else None,
                )
                if isinstance(v, str) and v and v != "—"
            )
            cases.append(
                Case(
                    label=label,
                    when=where,
                    persons=persons,
                    public=True,
                    named_word=ctx.tr("case_named"),
                    named=case.victim_names if isinstance(case.victim_names, str) else None,
                    description=in_language(case.description, lang)
                    if isinstance(case.description, str) and case.description
                    else None,
                )
            )
        else:
            month = fmt_date(case.date[:7] if case.date_precision == "day" else case.date, lang)
            cases.append(
                Case(
                    label=label,
                    when=month,
                    persons=persons,
                    public=False,
                    anonymous=ctx.tr("case_anonymous"),
                )
            )
    return Cases(cases)


def standards_panel(ctx: BriefContext) -> Section:
    """Ratification of the ILO fundamental and migrant-worker conventions (NORMLEX)."""
    instruments = reference.read_table("ilo_instruments")
    instruments = instruments[instruments["group"].isin(["fundamental", "migrant"])]
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
        rows.append([getattr(inst, f"label_{ctx.lang}"), status])  # the ILO's official title
    columns = [(ctx.tr("convention_label"), ""), (ctx.tr("status_label"), "")]
    source = f"{ctx.tr('source')}: {ctx.tr('standards_source')}"
    return Section(
        "standards",
        ctx.tr("standards_title"),
        [Table(columns, rows, "data compact standards-table"), Paragraph(source, "figcaption")],
    )


def act_rows(
    ctx: BriefContext, acts: pd.DataFrame, directions: dict[str, str], countries: dict | None = None
) -> Table:
    """Acts as a table: date, (country,) title in its language, direction, ILO conventions."""
    rows = [
        [
            fmt_date(a.date_adopted, ctx.lang),
            *([countries[a.country]] if countries else []),
            in_language(a.title, ctx.lang),
            directions[a.direction],
            (a.ilo_conventions or "").replace(";", ", "),
        ]
        for a in acts.itertuples()
    ]
    columns = [
        (ctx.tr("col_date"), "nowrap"),
        *([(ctx.tr("country_label"), "nowrap")] if countries else []),
        (ctx.tr("col_title"), ""),
        (ctx.tr("col_direction"), ""),
        (ctx.tr("col_conventions"), ""),
    ]
    return Table(columns, rows)


@once
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
        figure(ctx, draw, "legislation_balance", ctx.tr("source_legislation"), title)
    )
    section.attachments[attachment_name(ctx, "legislation_balance")] = balance
    acts = indicators.legislation_in_year(ctx.legislation, ctx.country, ctx.year)
    section.blocks.append(Heading(ctx.tr("acts_title", year=ctx.year)))
    if acts.empty:
        section.blocks.append(
            Paragraph(ctx.tr("legislation_none", country_in=ctx.name_in, year=ctx.year))
        )
    else:
        section.blocks.append(act_rows(ctx, acts, labels))
        touched = indicators.conventions_touched(acts)
        if len(touched):
            rows = [
                [
                    c.convention,
                    num(c.acts, lang),
                    num(c.restrictive, lang),
                    num(c.protective, lang),
                ]
                for c in touched.itertuples()
            ]
            columns = [
                (ctx.tr("col_conventions"), ""),
                (ctx.tr("col_acts"), "num"),
                (ctx.tr("col_restrictive"), "num"),  # counts of acts: "Актов / Ограничительных"
                (ctx.tr("col_protective"), "num"),
            ]
            section.blocks += [
                Heading(ctx.tr("conventions_title")),
                Table(columns, rows, "data compact"),
            ]
    around = indicators.before_after(
        ctx.violations,
        ctx.legislation,
        ctx.country,
        BEFORE_AFTER_WINDOW,
        ctx.year,
        first_year=ctx.monitored_years.start,
    )
    around = around[around["year"].isin(ctx.monitored_years) & around["before_mean"].notna()]
    around = around.tail(BEFORE_AFTER_ROWS)
    if len(around):
        section.attachments[attachment_name(ctx, "violations_around_restrictive_acts")] = around
        rows = [
            [
                str(r.year),
                in_language(r.title, lang),
                num(r.before_mean, lang, 1),
                num(r.after_mean, lang, 1) + ("" if r.complete else f" ({ctx.tr('incomplete')})"),
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
            Paragraph(
                ctx.tr("before_after_note", window=tn("n_years", BEFORE_AFTER_WINDOW, lang)),
                "caveat",
            ),
        ]
    return section


def _indicator_label(ctx: BriefContext, indicator: str) -> str:
    labels = reference.indicators().set_index("code")[f"label_{ctx.lang}"]
    return labels[indicator] if indicator in labels.index else ctx.tr(f"ind_{indicator}")


def _figure_value(ctx: BriefContext, r) -> str:
    shown = migration_value(ctx, r.indicator, r.value, bool(r.no_data))
    if isinstance(r.estimate_type, str) and r.estimate_type == "estimated":
        shown += f" ({ctx.tr('estimated')})"
    return shown


def _figure_change(ctx: BriefContext, r) -> str:
    """Change against the same source's previous year: a difference for net migration (a
    balance that changes sign), a percentage otherwise, each saying which; '—' when not
    defined."""
    if r.indicator == "net_migration":
        if r.value is None or r.previous is None or pd.isna(r.value) or pd.isna(r.previous):
            return "—"
        diff = r.value - r.previous
        return ctx.tr("change_difference", value=("+" if diff > 0 else "") + num(diff, ctx.lang))
    return fmt_change(r.change_pct, ctx.lang)


def _figures_table(ctx: BriefContext, table: pd.DataFrame, last_column: str) -> Table:
    rows = []
    for r in table.itertuples():
        if last_column == "updated":
            last = (
                fmt_date(r.source_updated, ctx.lang) if isinstance(r.source_updated, str) else "—"
            )
        else:
            last = source_label(ctx, r.source_code, r.source, r.is_synthetic)
        year = str(r.year) if r.year == ctx.year else f"{r.year}*"
        rows.append(
            [
                _indicator_label(ctx, r.indicator),
                _figure_value(ctx, r),
                year,
                _figure_change(ctx, r),
                last,
            ]
        )
    columns = [
        (ctx.tr("indicator_label"), ""),
        (ctx.tr("value_label"), "num nowrap"),
        (ctx.tr("year_label"), "num"),
        (ctx.tr("change_label"), "num nowrap"),
        (ctx.tr("col_updated" if last_column == "updated" else "source"), ""),
    ]
    return Table(columns, rows)


def _public_context(ctx: BriefContext, rows: pd.DataFrame, section: Section) -> None:
    """The international publishers' real series (World Bank WDI...), with attribution."""
    public = indicators.migration_summary(rows, ctx.country, ctx.year, public=True)
    if public.empty:
        return
    section.attachments[attachment_name(ctx, "migration_public")] = public
    section.blocks += [Heading(ctx.tr("public_data_title")), _figures_table(ctx, public, "updated")]
    projected = rows["estimate_type"].fillna("").eq(indicators.PROJECTED) & rows["country"].eq(
        ctx.country
    )
    if projected.any():
        section.blocks.append(Paragraph(ctx.tr("projected_note"), "figcaption"))
    notes = [ctx.tr("older_year_note", year=ctx.year)] if (public["year"] < ctx.year).any() else []
    names = sorted(
        {source_label(ctx, r.source_code, r.source, r.is_synthetic) for r in public.itertuples()}
    )
    section.blocks.append(
        Paragraph(
            " ".join([ctx.tr("public_data_source", sources="; ".join(names)), *notes]), "figcaption"
        )
    )
    wdi = rows[rows["source_code"].isin(indicators.international_codes())]
    for indicator, scale, decimals in (("net_migration", 1000, 1), ("remittances_usd", 1e6, 0)):
        series = indicators.migration_series(wdi, ctx.country, indicator).dropna(subset=["value"])
        series = series[series["year"].isin(ctx.years)]
        if len(series) < 2:
            continue
        title = ctx.tr(f"{indicator}_chart_title", country=ctx.name)
        draw = partial(
            charts.bar_by_year,
            series.assign(value=(series["value"] / scale).round(decimals)),
            "value",
            title,
            ctx.tr(f"{indicator}_axis"),
            highlight=ctx.year,
            height=2.1,
        )
        labels = sorted(
            {source_label(ctx, r.source_code, r.source, False) for r in series.itertuples()}
        )
        section.blocks.append(figure(ctx, draw, indicator, "; ".join(labels), title))
        section.attachments[attachment_name(ctx, indicator)] = series


@once
def migration_section(ctx: BriefContext) -> Section:
    """Labour migration: the public context (World Bank WDI, real), then the mission's partner
    and national statistics (each figure with its source, marked synthetic when it is), the
    main destination and migrants abroad by destination."""
    lang = ctx.lang
    section = Section("migration", ctx.tr("migration_title"))
    rows = indicators.with_registry(
        ctx.migration[
            (ctx.migration["country"] == ctx.country) & (ctx.migration["year"] <= ctx.year)
        ]
    )
    if rows.empty:
        section.blocks.append(
            Paragraph(ctx.tr("migration_none", country_in=ctx.name_in, country=ctx.name))
        )
        return section
    _public_context(ctx, rows, section)
    names = reference.country_names(lang)
    partner = indicators.migration_summary(rows, ctx.country, ctx.year)
    if not partner.empty:
        section.attachments[attachment_name(ctx, "migration_summary")] = partner
        section.blocks += [
            Heading(ctx.tr("partner_data_title")),
            _figures_table(ctx, partner, "source"),
        ]
        if (partner["year"] < ctx.year).any():
            section.blocks.append(Paragraph(ctx.tr("older_year_note", year=ctx.year), "figcaption"))
    recent = rows[rows["year"].isin(ctx.years)]
    top = indicators.main_destination(recent, ctx.country, ctx.year)
    if top:
        partner_name = names.get(top["partner"], top["partner"])
        share = fmt_pct(top["share_pct"], lang)
        section.blocks.append(
            Paragraph(ctx.tr("main_destination", year=ctx.year, partner=partner_name, share=share))
        )
    stock = indicators.stock_by_partner(recent, ctx.country)
    if not stock.empty:
        title = ctx.tr("migration_chart_title", country=ctx.name)
        draw_stock = partial(
            charts.lines_by_year, stock, title, ctx.tr("migration_axis"), names, 1000
        )
        used = recent[
            (recent["indicator"] == "stock_abroad")
            & (recent["partner"] != reference.ALL_DESTINATIONS)
        ]
        sources = "; ".join(
            sorted(
                {
                    source_label(ctx, r.source_code, r.source, r.is_synthetic)
                    for r in used.itertuples()
                }
            )
        )
        source = ctx.tr("source_migration", sources=sources)
        section.blocks.append(figure(ctx, draw_stock, "migrants_abroad", source, title))
        section.attachments[attachment_name(ctx, "migrants_abroad")] = stock.reset_index()
    return section
