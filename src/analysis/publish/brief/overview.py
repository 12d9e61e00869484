"""The regional comparison (in every brief) and the regional overview's own sections."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis import indicators
from analysis.publish import charts
from analysis.publish.brief.context import (
    BriefContext,
    attachment_name,
    figure,
    migration_value,
    num,
    once,
    source_label,
    violations_source,
)
from analysis.publish.layout import (
    Heading,
    Paragraph,
    Section,
    Table,
)
from analysis.vocab import reference
from analysis.vocab.text import fmt_change


def regional_table(ctx: BriefContext, countries: list[str] | None = None) -> pd.DataFrame:
    """The regional comparison behind :func:`regional_section`."""
    if countries is None and ctx.regional is not None:
        return ctx.regional.copy()
    countries = countries or reference.mission_countries()
    return indicators.regional_comparison(
        ctx.violations, ctx.legislation, ctx.migration, countries, ctx.year
    )


@once
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
    shown = ctx.violations[ctx.violations["country"].isin(ordered["country"])]
    source = violations_source(ctx, shown, [ctx.year])
    rows = [
        [
            names[r.country],
            num(r.incidents, lang),
            fmt_change(r.change_prev_pct, lang),
            num(r.persons_affected, lang),
            num(r.restrictive, lang),
            num(r.protective, lang),
            num(r.remittances_gdp_pct, lang, 1),
            num(r.outflow, lang),
        ]
        for r in table.itertuples()
    ]
    columns = [
        (ctx.tr("country_label"), "nowrap"),
        (ctx.tr("rc_violations"), "num"),
        (ctx.tr("vs_prev", year=ctx.year - 1), "num"),
        (ctx.tr("rc_persons"), "num"),
        (ctx.tr("rc_restrictive"), "num"),
        (ctx.tr("rc_protective"), "num"),
        (ctx.tr("rc_remittances"), "num"),
        (ctx.tr("rc_outflow"), "num"),
    ]  # short headers (a legend below): long words do not fit eight columns unbroken
    own = None if ctx.is_regional else names[ctx.country]
    return Section(
        "regional",
        ctx.tr("regional_section_title", year=ctx.year),
        [
            figure(ctx, draw, "regional_comparison", source, title),
            Table(columns, rows, "data wide", highlight=own),
            Paragraph(ctx.tr("rc_legend", year=ctx.year), "figcaption"),
            Paragraph(ctx.tr("convenience_note"), "caveat"),
        ],
        attachments={attachment_name(ctx, "regional_comparison"): table},
    )


def _yearly_by_country(
    ctx: BriefContext, values: pd.DataFrame, column: str = "value"
) -> pd.DataFrame:
    """A year x country table (mission countries as columns) from long (country, year, value)."""
    table = values.pivot_table(index="year", columns="country", values=column, aggfunc="sum")
    return table.reindex(index=list(ctx.years)).reindex(
        columns=[c for c in ctx.countries if c in table.columns]
    )


@once
def regional_trends(ctx: BriefContext) -> Section:
    """Documented violations per year in every mission country, with the coverage caveat."""
    names = reference.country_names(ctx.lang)
    mission = ctx.violations[ctx.violations["country"].isin(ctx.countries)]
    reported = [c for c in ctx.countries if c in set(mission["country"])]
    table = indicators.per_country_year(mission, reported, ctx.years, ctx.monitoring)
    table.columns.name = "country"
    if table.notna().all().all():  # whole counts print as such in the attached CSV
        table = table.astype("int64")
    title = ctx.tr("regional_trend_title")
    draw = partial(charts.small_multiples, table, title, ctx.tr("violations_axis"), names)

    mission = ctx.violations[ctx.violations["country"].isin(ctx.countries)]
    source = violations_source(ctx, mission, table.index)
    return Section(
        "violations",
        ctx.tr("violations_title"),
        [
            figure(ctx, draw, "violations_by_country", source, title),
            Paragraph(ctx.tr("convenience_note"), "caveat"),
        ],
        attachments={attachment_name(ctx, "violations_by_country"): table.reset_index()},
    )


@once
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
                num(total["restrictive"], ctx.lang),
                num(total["protective"], ctx.lang),
                num(year["restrictive"], ctx.lang),
                num(year["protective"], ctx.lang),
            ]
        )
    span = f"{ctx.years[0]}–{ctx.years[-1]}"
    columns = [
        (ctx.tr("country_label"), "nowrap"),
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


def public_context_table(ctx: BriefContext, section: Section) -> None:
    """Per country, the international publishers' real figures (net migration, remittances)."""
    names = reference.country_names(ctx.lang)
    shown = ("net_migration", "remittances_usd", "remittances_per_person")
    records, rows, sources = [], [], set()
    for country in ctx.countries:
        table = indicators.migration_summary(ctx.migration, country, ctx.year, public=True)
        table = table[table["indicator"].isin(shown)].set_index("indicator")
        if table.empty:
            continue
        cells = [names[country]]
        for indicator in shown:
            if indicator not in table.index:
                cells.append(ctx.tr("no_data"))
                continue
            r = table.loc[indicator]
            sources.add(source_label(ctx, r["source_code"], r["source"], False))
            value = migration_value(ctx, indicator, r["value"], bool(r["no_data"]))
            cells.append(value if r["year"] == ctx.year else f"{value} ({r['year']})")
            records.append({"country": country, **r.to_dict(), "indicator": indicator})
        rows.append(cells)
    if not rows:
        return
    columns = [(ctx.tr("country_label"), "nowrap")] + [
        (ctx.tr(f"regional_{indicator}"), "num nowrap") for indicator in shown
    ]
    section.blocks += [
        Heading(ctx.tr("public_data_title")),
        Table(columns, rows),
        Paragraph(ctx.tr("public_data_source", sources="; ".join(sorted(sources))), "figcaption"),
    ]
    section.attachments[attachment_name(ctx, "migration_public")] = pd.DataFrame(records)


@once
def regional_migration(ctx: BriefContext) -> Section:
    """Remittances as % of GDP per mission country over time (countries without data are named)."""
    names = reference.country_names(ctx.lang)
    section = Section("migration", ctx.tr("migration_title"))
    public_context_table(ctx, section)
    rows = indicators.single_source(  # each country's line from one source, never spliced
        ctx.migration[
            (ctx.migration["indicator"] == "remittances_gdp_pct")
            & (ctx.migration["partner"] == reference.ALL_DESTINATIONS)
        ]
    )
    table = _yearly_by_country(ctx, rows)
    if not table.dropna(how="all").empty:
        title = ctx.tr("regional_remittances_title")
        draw = partial(
            charts.lines_by_year, table.dropna(how="all"), title, ctx.tr("remittances_axis"), names
        )
        labels = {
            source_label(ctx, r.source_code, r.source, r.is_synthetic)
            for r in rows.drop_duplicates("source").itertuples()
        }
        source = ctx.tr("source_migration", sources="; ".join(sorted(labels)))
        section.blocks.append(figure(ctx, draw, "remittances_by_country", source, title))
        section.attachments[attachment_name(ctx, "remittances_by_country")] = table.reset_index()
    missing = [names[c] for c in ctx.countries if c not in table.columns or table[c].isna().all()]
    if missing:
        section.blocks.append(
            Paragraph(ctx.tr("regional_no_remittances", countries=", ".join(missing)))
        )
    return section
