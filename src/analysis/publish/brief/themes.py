"""A thematic report's sections: one theme (a set of violation categories and ILO instruments,
``data/themes.csv``) compared across the mission countries."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis import indicators
from analysis.publish import charts
from analysis.publish.brief.context import (
    BriefContext,
    attachment_name,
    category_labels,
    figure,
    num,
    once,
    reports_in,
    trend_figure,
    violations_source,
)
from analysis.publish.brief.country import act_rows, case_list
from analysis.publish.brief.overview import public_context_table
from analysis.publish.layout import Bullets, Heading, Paragraph, Section, Table
from analysis.publish.sentences import acts_sentence
from analysis.vocab import reference
from analysis.vocab.text import fmt_change, fmt_p, join_items, tn

ACT_ROWS = 12  # acts listed in the legislation table (the most recent)
NOTABLE = 5  # notable cases across countries


def theme_cases(ctx: BriefContext) -> pd.DataFrame:
    """The violation records of the theme's categories in the mission countries."""
    categories = ctx.theme_row["categories"]
    rows = ctx.violations
    return rows[rows["country"].isin(ctx.countries) & rows["category"].isin(categories)]


def cases_by_country(ctx: BriefContext) -> pd.DataFrame:
    """Cases per year (rows) and country (columns) over the report's years: zero in a
    monitored year without a case, NA in a year the country was not monitored."""
    table = indicators.per_country_year(theme_cases(ctx), ctx.countries, ctx.years, ctx.monitoring)
    return table.astype("Float64")


def country_trends(ctx: BriefContext) -> pd.DataFrame:
    """Per country: the year's cases, the change on the previous year, and the trend test
    (Theil-Sen slope, Mann-Kendall p) over its monitored years."""
    table = cases_by_country(ctx)
    rows = []
    for country in ctx.countries:
        series = table[country].dropna().astype(float) if country in table else pd.Series()
        if ctx.year not in series.index:
            rows.append({"country": country, "monitored": False})
            continue
        fit = indicators.trend(series, indicators.TREND_YEARS)
        previous = series.get(ctx.year - 1)
        rows.append(
            {
                "country": country,
                "monitored": True,
                "cases": int(series[ctx.year]),
                "previous": None if previous is None else int(previous),
                "change_pct": indicators.change(series[ctx.year], previous),
                "direction": fit["direction"],
                "significant": fit["significant"],
                "slope": fit["slope"],
                "p_value": fit["p_value"],
                "years": fit["years"],
            }
        )
    return pd.DataFrame(rows)


@once
def theme_findings(ctx: BriefContext) -> Section:
    """Page 1 of a thematic report: what it covers and its findings in sentences."""
    lang, year = ctx.lang, ctx.year
    row = ctx.theme_row
    labels = category_labels(lang)
    names = reference.country_names(lang)
    scope = ctx.tr(
        "theme_scope",
        label=row[f"label_{lang}"],
        categories=", ".join(labels[c].lower() for c in row["categories"]),
        instruments=", ".join(row["ilo_instruments"]),
    )
    trends = country_trends(ctx)
    monitored = trends[trends["monitored"]] if len(trends) else trends
    findings = []
    if len(monitored):
        total = int(monitored["cases"].sum())
        previous = monitored["previous"].dropna()
        sentence = ctx.tr(
            "theme_total",
            year=year,
            n=tn("n_cases", total, lang),
            countries=tn("n_countries_monitored", len(monitored), lang),
        )
        if len(previous) == len(monitored):
            change = indicators.change(total, previous.sum())
            if change is not None:
                sentence += " " + ctx.tr(
                    "theme_total_change", change=fmt_change(change, lang), prev=year - 1
                )
        findings.append(sentence)
        top = monitored.sort_values(["cases", "country"], ascending=[False, True]).iloc[0]
        if top["cases"] > 0:
            findings.append(
                ctx.tr("theme_most", country=names[top["country"]], n=num(top["cases"], lang))
            )
        none = [names[c] for c in monitored.loc[monitored["cases"] == 0, "country"]]
        if none:
            findings.append(ctx.tr("theme_none_in", year=year, countries=", ".join(none)))
        rising = [names[r.country] for r in monitored.itertuples() if r.significant and r.slope > 0]
        falling = [
            names[r.country] for r in monitored.itertuples() if r.significant and r.slope < 0
        ]
        key = {
            (True, True): "theme_trends",
            (True, False): "theme_trends_up",
            (False, True): "theme_trends_down",
            (False, False): "theme_trends_none",
        }[(bool(rising), bool(falling))]
        findings.append(
            ctx.tr(
                key,
                rising=join_items(rising, lang) if rising else "",
                falling=join_items(falling, lang) if falling else "",
            )
        )
    not_monitored = (
        [names[c] for c in trends.loc[~trends["monitored"], "country"]] if len(trends) else []
    )
    if not_monitored:
        findings.append(
            ctx.tr("theme_not_monitored", year=year, countries=", ".join(not_monitored))
        )
    acts = theme_acts(ctx)
    in_year = acts[acts["year"] == year]
    findings.append(
        acts_sentence(
            ctx,
            int((in_year["direction"] == "restrictive").sum()),
            int((in_year["direction"] == "protective").sum()),
            theme=True,
        )
    )
    blocks = [Paragraph(scope), Bullets(findings, "findings")]
    totals = cases_by_country(ctx).sum(axis=1, min_count=1).dropna()
    if totals.sum() > 0:
        per_year = pd.DataFrame({"year": totals.index, "incidents": totals.astype(int).to_numpy()})
        title = ctx.tr("theme_total_chart")
        reports = reports_in(theme_cases(ctx), totals.index)
        blocks.append(trend_figure(ctx, per_year, reports, "cases_per_year", title))
    return Section("summary", ctx.tr("key_findings"), blocks)


@once
def theme_countries(ctx: BriefContext) -> Section:
    """Documented cases per country and year (small multiples and the table), each country's
    trend verdict with its test, and the coverage caveat."""
    lang = ctx.lang
    names = reference.country_names(lang)
    section = Section("violations", ctx.tr("theme_cases_title"))
    table = cases_by_country(ctx)
    section.attachments[attachment_name(ctx, "cases_by_country")] = table.reset_index()
    if table.fillna(0).to_numpy().sum() > 0:
        title = ctx.tr("theme_chart_title", theme=ctx.name)
        draw = partial(
            charts.small_multiples,
            table.astype("float64"),
            title,
            ctx.tr("violations_axis"),
            names,
        )
        source = violations_source(ctx, theme_cases(ctx), table.index)
        section.blocks.append(figure(ctx, draw, "cases_by_country", source, title))
    else:
        section.blocks.append(Paragraph(ctx.tr("theme_no_cases", years=_span(table, ctx))))
    trends = country_trends(ctx)
    section.attachments[attachment_name(ctx, "trends_by_country")] = trends
    rows = []
    for r in trends.itertuples():
        if not r.monitored:
            rows.append([names[r.country], ctx.tr("not_monitored"), "", "", ""])
            continue
        if r.direction == "insufficient":
            verdict, test = ctx.tr("trend_insufficient"), "—"
        else:
            key = "trend_up" if r.slope > 0 else "trend_down" if r.slope < 0 else "trend_flat"
            verdict = ctx.tr(key if r.significant else "trend_noise")
            test = ctx.tr(
                "trend_test",
                slope=num(r.slope, lang, 1),
                p=fmt_p(r.p_value, lang),
                start=r.years[0],
                end=r.years[1],
            )
        rows.append(
            [
                names[r.country],
                num(r.cases, lang),
                fmt_change(r.change_pct, lang),
                verdict,
                test,
            ]
        )
    columns = [
        (ctx.tr("country_label"), "nowrap"),
        (ctx.tr("theme_cases_col", year=ctx.year), "num"),
        (ctx.tr("vs_prev_col", year=ctx.year - 1), "num"),
        (ctx.tr("trend_col"), ""),
        (ctx.tr("trend_test_col"), ""),
    ]
    section.blocks += [
        Heading(ctx.tr("theme_trends_title")),
        Table(columns, rows),
        Paragraph(ctx.tr("convenience_note"), "caveat"),
    ]
    return section


def _span(table: pd.DataFrame, ctx: BriefContext) -> str:
    return f"{table.index.min()}–{ctx.year}" if len(table) else str(ctx.year)


@once
def theme_standards(ctx: BriefContext) -> Section:
    """Which mission country has ratified which of the theme's ILO instruments (NORMLEX)."""
    instruments = ctx.theme_row["ilo_instruments"]
    ratified = reference.read_table("ilo_ratifications")
    known = set(ratified["iso3"])
    ratified = ratified.set_index(["iso3", "convention"])["year"]
    groups = reference.read_table("ilo_instruments").set_index("code")["group"]
    names = reference.country_names(ctx.lang)
    rows, records = [], []
    for country in ctx.countries:
        cells = [names[country]]
        for code in instruments:
            if (country, code) in ratified.index:
                cell = str(ratified[(country, code)])
            elif country in known and groups.get(code) == "fundamental":
                cell = ctx.tr("not_ratified_short")
            else:
                cell = ctx.tr("unknown_short")
            cells.append(cell)
            records.append({"country": country, "instrument": code, "ratified": cell})
        rows.append(cells)
    columns = [(ctx.tr("country_label"), "nowrap")] + [(code, "num") for code in instruments]
    labels = reference.read_table("ilo_instruments").set_index("code")[f"label_{ctx.lang}"]
    legend = "; ".join(f"{code}: {labels.get(code, code)}" for code in instruments)
    return Section(
        "standards",
        ctx.tr("theme_standards_title"),
        [
            Table(columns, rows, "data compact"),
            Paragraph(legend, "small"),
            Paragraph(f"{ctx.tr('source')}: {ctx.tr('theme_standards_source')}", "figcaption"),
        ],
        attachments={attachment_name(ctx, "ratifications"): pd.DataFrame(records)},
    )


def theme_acts(ctx: BriefContext) -> pd.DataFrame:
    """Acts of the mission countries in the report's years that name one of the theme's
    instruments, in date order."""
    columns = ["act_id", "country", "date_adopted", "year", "title", "direction", "ilo_conventions"]
    if ctx.legislation.empty or not set(columns) <= set(ctx.legislation.columns):
        return pd.DataFrame(columns=columns)  # no act recorded at all
    acts = ctx.legislation[
        ctx.legislation["country"].isin(ctx.countries) & ctx.legislation["year"].isin(ctx.years)
    ]
    named = acts["ilo_conventions"].fillna("").str.split(";")
    wanted = set(ctx.theme_row["ilo_instruments"])
    touches = named.map(lambda codes: bool(wanted.intersection(codes)))
    return acts.loc[touches.astype(bool), columns].sort_values(
        ["date_adopted", "country", "act_id"], ignore_index=True
    )


@once
def theme_legislation(ctx: BriefContext) -> Section:
    """The acts across countries that touch the theme's instruments, on one timeline."""
    lang = ctx.lang
    names = reference.country_names(lang)
    section = Section("legislation", ctx.tr("theme_legislation_title"))
    acts = theme_acts(ctx)
    section.attachments[attachment_name(ctx, "legislation")] = acts
    if acts.empty:
        section.blocks.append(
            Paragraph(ctx.tr("theme_no_acts", start=ctx.years.start, end=ctx.year))
        )
        return section
    directions = {d: ctx.tr(d) for d in reference.directions()}
    title = ctx.tr("theme_timeline_title", start=ctx.years.start, end=ctx.year)
    draw = partial(
        charts.act_timeline,
        acts,
        title,
        [names[c] for c in ctx.countries],
        {c: names[c] for c in ctx.countries},
        directions,
        ctx.years,
    )
    section.blocks.append(
        figure(ctx, draw, "legislation_timeline", ctx.tr("source_legislation"), title, acts)
    )
    shown = acts.tail(ACT_ROWS)
    section.blocks += [
        Heading(ctx.tr("theme_acts_title", n=len(shown), total=len(acts))),
        act_rows(ctx, shown, directions, names),
    ]
    return section


@once
def theme_notable(ctx: BriefContext) -> Section:
    """Notable cases of the year across countries: public ones in full, the others anonymous."""
    section = Section("cases", ctx.tr("cases_title", year=ctx.year))
    rows = theme_cases(ctx)
    rows = rows[rows["year"] == ctx.year]
    if rows.empty:
        section.blocks.append(Paragraph(ctx.tr("theme_cases_none", year=ctx.year)))
        return section
    section.blocks += [
        case_list(ctx, rows, NOTABLE, with_country=True),
        Paragraph(ctx.tr("names_note"), "small"),
    ]
    return section


@once
def theme_migration(ctx: BriefContext) -> Section | None:
    """For a theme about migrants: the public migration context of every country."""
    if not bool(ctx.theme_row["migration"]):
        return None
    section = Section("migration", ctx.tr("migration_title"))
    public_context_table(ctx, section)
    if not section.blocks:
        section.blocks.append(Paragraph(ctx.tr("migration_none_all")))
    return section


def theme_links(ctx: BriefContext) -> Paragraph:
    """The line that lists the year's thematic reports (in country briefs and overviews)."""
    table = reference.themes()
    items = "; ".join(
        f"{r[f'title_{ctx.lang}']} (theme-{r['code']}.pdf)" for _, r in table.iterrows()
    )
    return Paragraph(ctx.tr("theme_links", year=ctx.year, items=items), "small")
