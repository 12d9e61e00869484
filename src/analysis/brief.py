"""Sections of a country brief as HTML, for ``notebooks/country_brief.ipynb``.

The notebook stays thin: it loads a :class:`BriefContext` and displays one section per cell.
Every figure on the page is computed here from the processed tables through
:mod:`analysis.indicators`; every chart carries its source line, is saved as PNG and SVG for
slides, and its table travels inside the PDF as a CSV attachment (aggregates only).
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from analysis import __version__, charts, indicators, inputs, reference, schema, storage
from analysis.text import fmt_change, fmt_number, t, tn

HISTORY_YEARS = 10
TREND_YEARS = 10
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
    attachments: dict[str, pd.DataFrame] = field(default_factory=dict)
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


# --------------------------------------------------------------------------- html helpers


def _e(value: object) -> str:
    return html.escape(str(value))


def _section(css_class: str, title: str, *parts: str) -> HTML:
    return HTML(f'<section class="{css_class}"><h2>{_e(title)}</h2>{"".join(parts)}</section>')


def _p(text: str, css_class: str = "") -> str:
    return f'<p class="{css_class}">{_e(text)}</p>' if css_class else f"<p>{_e(text)}</p>"


def _table(columns: list[tuple[str, str]], rows: list[list[str]], css_class: str = "data") -> str:
    """columns: (header, 'num' | ''); rows: already formatted cell texts."""
    head = "".join(f"<th class='{c}'>{_e(h)}</th>" for h, c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td class='{columns[i][1]}'>{_e(v)}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _figure(ctx: BriefContext, fig, name: str, source: str, alt: str, table: pd.DataFrame) -> str:
    """The chart as an image with its source line; saved for slides; its table attached."""
    folder = Path(ctx.figures_dir) / str(ctx.year) / ctx.country if ctx.figures_dir else None
    ctx.attachments[f"{ctx.country}_{ctx.year}_{name}.csv"] = table
    png = base64.b64encode(charts.render(fig, folder, f"{name}_{ctx.lang}")).decode("ascii")
    return (
        f'<figure><img alt="{_e(alt)}" src="data:image/png;base64,{png}"/>'
        f"<figcaption>{_e(ctx.tr('source'))}: {_e(source)}</figcaption></figure>"
    )


def _num(value: float | None, lang: str, decimals: int = 0) -> str:
    return fmt_number(value, lang, decimals)


def _category_labels(lang: str) -> pd.Series:
    return reference.categories().set_index("code")[f"label_{lang}"]


# --------------------------------------------------------------------------- sections


def title_block(ctx: BriefContext) -> HTML:
    """Country, year, language, latest record; the demo banner; the partial-year notice."""
    demo = f'<div class="demo-banner">{_e(ctx.tr("demo_banner"))}</div>' if ctx.is_synthetic else ""
    partial, latest = indicators.is_partial_year(ctx.violations, ctx.year)
    notice = _p(ctx.tr("partial_year", year=ctx.year, latest=latest), "notice") if partial else ""
    return HTML(
        f'<header class="title-block"><h1 class="country">{_e(ctx.name)}</h1>'
        f'<p class="brief-year">{ctx.year}</p>'
        f'<p class="kind">{_e(ctx.tr("regional_kind" if ctx.is_regional else "brief_kind"))}</p>{demo}'
        f'<p class="meta">{_e(ctx.tr("data_as_of"))} {_e(latest or "—")} · '
        f"{_e(ctx.tr('language_label'))}: {_e(ctx.tr('language_name'))}</p>"
        f'<div class="running-title">{_e(ctx.name)} · {ctx.year}</div>'
        f'<div class="page-word">{_e(ctx.tr("page"))}</div>{notice}</header>'
    )


def _key_figure(label: str, value: str, notes: list[str]) -> str:
    note = "<br/>".join(_e(n) for n in notes)
    return (
        f'<div class="kf"><div class="kf-value">{_e(value)}</div>'
        f'<div class="kf-label">{_e(label)}</div><div class="kf-note">{note}</div></div>'
    )


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


def key_figures(ctx: BriefContext) -> HTML:
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
    return _section(
        "key-figures", ctx.tr("key_figures"), f'<div class="kf-grid">{"".join(cells)}</div>'
    )


def summary_text(ctx: BriefContext) -> str:
    """The data-driven summary paragraph, in the brief's language."""
    lang, year = ctx.lang, ctx.year
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.years).set_index(
        "year"
    )
    n, prev = int(per_year.loc[year, "incidents"]), int(per_year.loc[year - 1, "incidents"])
    if n == 0:
        sentences = [ctx.tr("s_no_violations", year=year, country_in=ctx.name_in)]
    else:
        first = ctx.tr(
            "s_violations",
            year=year,
            n_violations=tn("n_violations", n, lang),
            country_in=ctx.name_in,
        )
        pct = indicators.change(n, prev)
        if prev == 0:
            first += ctx.tr("s_none_prev", prev=year - 1)
        elif pct is not None and round(pct) > 0:
            first += ctx.tr("s_more", pct=_num(abs(pct), lang), prev=year - 1)
        elif pct is not None and round(pct) < 0:
            first += ctx.tr("s_fewer", pct=_num(abs(pct), lang), prev=year - 1)
        else:
            first += ctx.tr("s_same", prev=year - 1)
        sentences = [first + "."]
        top = indicators.violations_by_category(ctx.violations, ctx.country, year).head(2)
        labels = _category_labels(lang)
        items = ", ".join(
            f"{labels[r.category].lower()} ({_num(r.incidents, lang)})" for r in top.itertuples()
        )
        sentences.append(ctx.tr("s_top", items=items))
        persons = int(per_year.loc[year, "persons_affected"])
        if persons:
            sentences.append(ctx.tr("s_persons", n_persons=tn("n_persons", persons, lang)))
    acts = indicators.legislation_by_direction(ctx.legislation, ctx.country, ctx.years).loc[year]
    sentences.append(
        ctx.tr(
            "s_acts",
            year=year,
            n_restrictive=tn("n_restrictive", acts["restrictive"], lang),
            n_protective=tn("n_protective", acts["protective"], lang),
        )
    )
    remit = indicators.migration_series(ctx.migration, ctx.country, "remittances_gdp_pct")
    value = indicators.value_in(remit, year)
    if value is not None:
        source = remit.loc[remit["year"] == year, "source"].iloc[0]
        sentences.append(ctx.tr("s_remit", pct=_num(value, lang, 1), source=source))
    sentences.append(_trend_sentence(ctx, per_year["incidents"]))
    return " ".join(s for s in sentences if s)


def _trend_sentence(ctx: BriefContext, counts: pd.Series) -> str:
    # Years before the first record of any country are not observed: they are left out.
    first = int(ctx.violations["year"].min()) if len(ctx.violations) else ctx.year
    result = indicators.trend(counts[counts.index >= first], TREND_YEARS)
    if result["direction"] == "insufficient":
        return ctx.tr("s_trend_short")
    start, end = result["years"]
    p = _num(result["p_value"], ctx.lang, 2)
    if not result["significant"]:
        return ctx.tr("s_trend_noise", start=start, end=end, p=p)
    key = "s_trend_up" if result["slope"] > 0 else "s_trend_down"
    return ctx.tr(key, start=start, end=end, p=p, slope=_num(abs(result["slope"]), ctx.lang, 1))


def summary(ctx: BriefContext) -> HTML:
    """The summary paragraph as a section."""
    return _section("summary", ctx.tr("summary_title"), _p(summary_text(ctx)))


def violations_section(ctx: BriefContext) -> HTML:
    """Violations and reporting partners per year, breakdowns, and the convenience-sample warning."""
    lang = ctx.lang
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.years)
    coverage = indicators.source_coverage(ctx.violations, ctx.country, ctx.years)
    parts = []
    if per_year["incidents"].sum() > 0:
        fig = charts.violations_with_coverage(
            per_year,
            coverage,
            ctx.tr("violations_chart_title", country=ctx.name),
            ctx.tr("violations_axis"),
            ctx.tr("partners_axis"),
            ctx.tr("incidents_legend"),
            ctx.tr("partners_legend"),
            highlight=ctx.year,
        )
        source = ctx.tr("source_violations", n=_num(int(per_year["reports"].sum()), lang))
        table = per_year.merge(coverage[["year", "partners"]], on="year", validate="1:1")
        parts.append(
            _figure(
                ctx,
                fig,
                "violations_per_year",
                source,
                ctx.tr("violations_chart_title", country=ctx.name),
                table,
            )
        )
    else:
        parts.append(_p(ctx.tr("s_no_violations", year=ctx.year, country_in=ctx.name_in)))
    parts.append(_p(ctx.tr("convenience_note"), "caveat"))
    labels = _category_labels(lang)
    by_category = indicators.breakdown(ctx.violations, ctx.country, ctx.year, "category")
    if len(by_category):
        ctx.attachments[f"{ctx.country}_{ctx.year}_violations_by_category.csv"] = by_category
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
        parts.append(f"<h3>{_e(ctx.tr('categories_title', year=ctx.year))}</h3>")
        parts.append(
            _table(
                [
                    (ctx.tr("category_label"), ""),
                    (ctx.tr("count_label"), "num"),
                    (ctx.tr("persons_label"), "num"),
                    (ctx.tr("share_label"), "num"),
                ],
                rows,
            )
        )
        small = []
        for by, title, label in (
            ("sector", "sector_title", "sector_label"),
            ("perpetrator", "perpetrator_title", "perpetrator_label"),
        ):
            table = indicators.breakdown(ctx.violations, ctx.country, ctx.year, by).head(
                TOP_BREAKDOWN
            )
            ctx.attachments[f"{ctx.country}_{ctx.year}_violations_by_{by}.csv"] = table
            rows = [[getattr(r, by), _num(r.incidents, lang)] for r in table.itertuples()]
            small.append(
                f"<div><h3>{_e(ctx.tr(title, year=ctx.year))}</h3>"
                f"{_table([(ctx.tr(label), ''), (ctx.tr('count_label'), 'num')], rows)}</div>"
            )
        parts.append(f'<div class="two-col">{"".join(small)}</div>')
    return _section("violations", ctx.tr("violations_title"), *parts)


def notable_cases(ctx: BriefContext, limit: int = 3) -> HTML:
    """The year's most serious cases: person-targeting categories first, then persons affected.

    A case is described in full (date, place, names) only when the record says it is public;
    otherwise only its category, month and the number of persons affected are shown.
    """
    lang = ctx.lang
    rows = ctx.violations[
        (ctx.violations["country"] == ctx.country) & (ctx.violations["year"] == ctx.year)
    ]
    if rows.empty:
        return _section(
            "cases", ctx.tr("cases_title", year=ctx.year), _p(ctx.tr("cases_none", year=ctx.year))
        )
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
    items = []
    for case in names.itertuples():  # a handful of rows
        head = f"<strong>{_e(labels[case.category])}</strong>"
        persons = (
            f"{_e(ctx.tr('case_persons'))}: {_num(case.persons_affected, lang)}"
            if pd.notna(case.persons_affected)
            else ""
        )
        if case.is_public:
            where = ", ".join(
                str(v) for v in (case.date, case.location) if isinstance(v, str) and v
            )
            named = (
                f"<br/>{_e(ctx.tr('case_named'))}: {_e(case.victim_names)}"
                if isinstance(case.victim_names, str)
                else ""
            )
            text = f"<br/>{_e(case.description)}" if isinstance(case.description, str) else ""
            items.append(f"<li>{head} — {_e(where)}. {persons}{named}{text}</li>")
        else:
            month = case.date[:7] if case.date_precision == "day" else case.date
            items.append(
                f"<li>{head} — {_e(month)}. {persons}<br/><em>{_e(ctx.tr('case_anonymous'))}</em></li>"
            )
    return _section(
        "cases",
        ctx.tr("cases_title", year=ctx.year),
        f'<ul class="cases">{"".join(items)}</ul>',
        _p(ctx.tr("names_note"), "small"),
    )


def standards_panel(ctx: BriefContext) -> HTML:
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
    table = _table(
        [(ctx.tr("convention_label"), ""), (ctx.tr("status_label"), "")], rows, "data compact"
    )
    source = f'<p class="figcaption">{_e(ctx.tr("source"))}: {_e(ctx.tr("standards_source"))}</p>'
    return _section("standards", ctx.tr("standards_title"), table, source)


def legislation_section(ctx: BriefContext) -> HTML:
    """Timeline of restrictive/protective acts, the year's acts, instruments named, before/after."""
    lang = ctx.lang
    country_acts = ctx.legislation[ctx.legislation["country"] == ctx.country]
    if country_acts.empty:
        return _section(
            "legislation",
            ctx.tr("legislation_title"),
            _p(ctx.tr("legislation_never", country_in=ctx.name_in)),
        )
    balance = indicators.legislation_balance(ctx.legislation, ctx.country, ctx.years)
    labels = {d: ctx.tr(d) for d in reference.directions()}
    fig = charts.legislation_timeline(
        balance,
        ctx.tr("legislation_chart_title", country=ctx.name),
        ctx.tr("legislation_axis"),
        labels,
        ctx.tr("balance_legend"),
    )
    parts = [
        _figure(
            ctx,
            fig,
            "legislation_balance",
            ctx.tr("source_legislation"),
            ctx.tr("legislation_chart_title", country=ctx.name),
            balance,
        )
    ]
    acts = indicators.legislation_in_year(ctx.legislation, ctx.country, ctx.year)
    parts.append(f"<h3>{_e(ctx.tr('acts_title', year=ctx.year))}</h3>")
    if acts.empty:
        parts.append(_p(ctx.tr("legislation_none", country_in=ctx.name_in, year=ctx.year)))
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
        parts.append(
            _table(
                [
                    (ctx.tr("col_date"), "nowrap"),
                    (ctx.tr("col_title"), ""),
                    (ctx.tr("col_direction"), ""),
                    (ctx.tr("col_conventions"), ""),
                ],
                rows,
            )
        )
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
            parts.append(f"<h3>{_e(ctx.tr('conventions_title'))}</h3>")
            parts.append(
                _table(
                    [
                        (ctx.tr("col_conventions"), ""),
                        (ctx.tr("col_acts"), "num"),
                        (labels["restrictive"], "num"),
                        (labels["protective"], "num"),
                    ],
                    rows,
                    "data compact",
                )
            )
    around = indicators.before_after(
        ctx.violations, ctx.legislation, ctx.country, BEFORE_AFTER_WINDOW, ctx.year
    )
    around = around[around["year"].isin(ctx.years)].tail(BEFORE_AFTER_ROWS)
    if len(around):
        ctx.attachments[f"{ctx.country}_{ctx.year}_violations_around_restrictive_acts.csv"] = around
        rows = [
            [
                str(r.year),
                r.title,
                _num(r.before_mean, lang, 1),
                _num(r.after_mean, lang, 1) + ("" if r.complete else f" ({ctx.tr('incomplete')})"),
            ]
            for r in around.itertuples()
        ]
        parts.append(f"<h3>{_e(ctx.tr('before_after_title'))}</h3>")
        parts.append(
            _table(
                [
                    (ctx.tr("year_label"), "nowrap"),
                    (ctx.tr("col_title"), ""),
                    (ctx.tr("col_before"), "num"),
                    (ctx.tr("col_after"), "num"),
                ],
                rows,
                "data compact",
            )
        )
        parts.append(_p(ctx.tr("before_after_note", window=BEFORE_AFTER_WINDOW), "caveat"))
    return _section("legislation", ctx.tr("legislation_title"), *parts)


def migration_section(ctx: BriefContext) -> HTML:
    """Key migration figures with sources, migrants abroad by destination, remittances."""
    lang = ctx.lang
    rows = ctx.migration[
        (ctx.migration["country"] == ctx.country) & ctx.migration["year"].isin(ctx.years)
    ]
    if rows.empty:
        return _section(
            "migration",
            ctx.tr("migration_title"),
            _p(ctx.tr("migration_none", country_in=ctx.name_in, country=ctx.name)),
        )
    labels = reference.indicators().set_index("code")[f"label_{lang}"]
    names = reference.country_names(lang)
    summary_table = indicators.migration_summary(rows, ctx.country, ctx.year)
    ctx.attachments[f"{ctx.country}_{ctx.year}_migration_summary.csv"] = summary_table
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
    parts = [
        _table(
            [
                (ctx.tr("indicator_label"), ""),
                (ctx.tr("value_label"), "num"),
                (ctx.tr("change_label"), "num"),
                (ctx.tr("source"), ""),
            ],
            table_rows,
        )
    ]
    top = indicators.main_destination(rows, ctx.country, ctx.year)
    if top:
        parts.append(
            _p(
                ctx.tr(
                    "main_destination",
                    year=ctx.year,
                    partner=names.get(top["partner"], top["partner"]),
                    share=_num(top["share_pct"], lang),
                )
            )
        )
    stock = indicators.stock_by_partner(rows, ctx.country)
    if not stock.empty:
        fig = charts.lines_by_year(
            stock,
            ctx.tr("migration_chart_title", country=ctx.name),
            ctx.tr("migration_axis"),
            names,
            1000,
        )
        sources = "; ".join(
            sorted(rows.loc[rows["indicator"] == "stock_abroad", "source"].unique())
        )
        parts.append(
            _figure(
                ctx,
                fig,
                "migrants_abroad",
                ctx.tr("source_migration", sources=sources),
                ctx.tr("migration_chart_title", country=ctx.name),
                stock.reset_index(),
            )
        )
    remit = indicators.migration_series(rows, ctx.country, "remittances_gdp_pct")
    if not remit.empty:
        fig = charts.bar_by_year(
            remit.assign(value=remit["value"].round(1)),
            "value",
            ctx.tr("remittances_chart_title", country=ctx.name),
            ctx.tr("remittances_axis"),
            highlight=ctx.year,
            height=2.1,
        )
        sources = "; ".join(sorted(remit["source"].unique()))
        parts.append(
            _figure(
                ctx,
                fig,
                "remittances_gdp",
                ctx.tr("source_migration", sources=sources),
                ctx.tr("remittances_chart_title", country=ctx.name),
                remit,
            )
        )
    return _section("migration", ctx.tr("migration_title"), *parts)


def regional_table(ctx: BriefContext, countries: list[str] | None = None) -> pd.DataFrame:
    """The regional comparison behind :func:`regional_section`."""
    if countries is None and ctx.regional is not None:
        return ctx.regional.copy()
    countries = countries or reference.mission_countries()
    return indicators.regional_comparison(
        ctx.violations, ctx.legislation, ctx.migration, countries, ctx.year
    )


def regional_section(ctx: BriefContext) -> HTML:
    """The country beside the other mission countries on the same indicators."""
    lang = ctx.lang
    table = regional_table(ctx)
    names = reference.countries().set_index("iso3")[f"name_{lang}"]
    ordered = table.sort_values(["incidents", "country"], ascending=[False, True])
    fig = charts.horizontal_bars(
        [names[c] for c in ordered["country"]],
        ordered["incidents"].tolist(),
        ctx.tr("regional_chart_title", year=ctx.year),
        highlight=ctx.name,
    )
    parts = [
        _figure(
            ctx,
            fig,
            "regional_comparison",
            ctx.tr("source_violations", n=_num(int(ctx.violations["n_reports"].sum()), lang)),
            ctx.tr("regional_chart_title", year=ctx.year),
            table,
        )
    ]
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
    html_table = _table(columns, rows, "data wide")
    if not ctx.is_regional:
        own = _e(names[ctx.country])
        html_table = html_table.replace(
            f"<td class=''>{own}</td>", f"<td class='highlight'>{own}</td>"
        )
    parts.append(html_table)
    parts.append(_p(ctx.tr("convenience_note"), "caveat"))
    return _section("regional", ctx.tr("regional_section_title", year=ctx.year), *parts)


def _attachment_links(ctx: BriefContext) -> str:
    links = []
    for name, table in ctx.attachments.items():
        text = storage.neutralise_formulas(table).to_csv(index=False)
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        links.append(
            f'<li><a rel="attachment" download="{_e(name)}" href="data:text/csv;base64,{data}">{_e(name)}</a></li>'
        )
    return f'<ul class="attachments">{"".join(links)}</ul>'


def methodology(ctx: BriefContext) -> HTML:
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
    parts = [
        _p(ctx.tr("m_counts")),
        _p(ctx.tr("m_trend", n=TREND_YEARS)),
        _p(ctx.tr("m_preference")),
        _p(ctx.tr("m_sources", sources=sources)),
        _p(
            ctx.tr(
                "m_quality",
                kept=_num(int(own.sum()), lang),
                acts=_num(int(ctx.legislation["country"].isin(ctx.countries).sum()), lang),
                series=_num(int(ctx.migration["country"].isin(ctx.countries).sum()), lang),
                country_in=ctx.name_in,
                country=ctx.name,
                rejected=_num(rejected, lang),
                merged=_num(merged, lang),
            )
        ),
        _p(ctx.tr("names_note")),
        _p(ctx.tr("attachments_note")),
        _attachment_links(ctx),
        _p(
            ctx.tr(
                "provenance",
                snapshot=ctx.snapshot,
                version=__version__,
                country=ctx.country,
                year=ctx.year,
                brief_lang=lang,
            ),
            "provenance",
        ),
    ]
    return _section("methodology", ctx.tr("methodology_title"), *parts)


# --------------------------------------------------------------------------- regional overview


def _yearly_by_country(
    ctx: BriefContext, values: pd.DataFrame, column: str = "value"
) -> pd.DataFrame:
    """A year x country table (mission countries as columns) from long (country, year, value)."""
    table = values.pivot_table(index="year", columns="country", values=column, aggfunc="sum")
    return table.reindex(index=list(ctx.years)).reindex(
        columns=[c for c in ctx.countries if c in table.columns]
    )


def regional_trends(ctx: BriefContext) -> HTML:
    """Documented violations per year in every mission country, with the coverage caveat."""
    names = reference.country_names(ctx.lang)
    counts = (
        ctx.violations[ctx.violations["country"].isin(ctx.countries)]
        .groupby(["country", "year"])
        .size()
    )
    table = _yearly_by_country(ctx, counts.rename("incidents").reset_index(), "incidents").fillna(0)
    fig = charts.lines_by_year(
        table, ctx.tr("regional_trend_title"), ctx.tr("violations_axis"), names
    )
    source = ctx.tr("source_violations", n=_num(int(ctx.violations["n_reports"].sum()), ctx.lang))
    parts = [
        _figure(
            ctx,
            fig,
            "violations_by_country",
            source,
            ctx.tr("regional_trend_title"),
            table.reset_index(),
        ),
        _p(ctx.tr("convenience_note"), "caveat"),
    ]
    return _section("violations", ctx.tr("violations_title"), *parts)


def regional_legislation(ctx: BriefContext) -> HTML:
    """Restrictive and protective acts per country over the brief's ten years and in its year."""
    names = reference.countries().set_index("iso3")[f"name_{ctx.lang}"]
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
    ctx.attachments[f"regional_{ctx.year}_legislation.csv"] = pd.DataFrame(records)
    span = f"{ctx.years[0]}–{ctx.years[-1]}"
    columns = [
        (ctx.tr("country_label"), ""),
        (f"{ctx.tr('restrictive')} {span}", "num"),
        (f"{ctx.tr('protective')} {span}", "num"),
        (f"{ctx.tr('restrictive')} {ctx.year}", "num"),
        (f"{ctx.tr('protective')} {ctx.year}", "num"),
    ]
    source = f'<p class="figcaption">{_e(ctx.tr("source"))}: {_e(ctx.tr("source_legislation"))}</p>'
    return _section("legislation", ctx.tr("legislation_title"), _table(columns, rows), source)


def regional_migration(ctx: BriefContext) -> HTML:
    """Remittances as % of GDP per mission country over time (countries without data are named)."""
    names = reference.country_names(ctx.lang)
    rows = ctx.migration[
        (ctx.migration["indicator"] == "remittances_gdp_pct")
        & (ctx.migration["partner"] == reference.ALL_DESTINATIONS)
    ]
    rows = rows.sort_values(["country", "year", "source"]).drop_duplicates(["country", "year"])
    table = _yearly_by_country(ctx, rows)
    parts = []
    if not table.dropna(how="all").empty:
        fig = charts.lines_by_year(
            table.dropna(how="all"),
            ctx.tr("regional_remittances_title"),
            ctx.tr("remittances_axis"),
            names,
        )
        sources = "; ".join(sorted(rows["source"].unique()))
        parts.append(
            _figure(
                ctx,
                fig,
                "remittances_by_country",
                ctx.tr("source_migration", sources=sources),
                ctx.tr("regional_remittances_title"),
                table.reset_index(),
            )
        )
    missing = [names[c] for c in ctx.countries if c not in table.columns or table[c].isna().all()]
    if missing:
        parts.append(_p(ctx.tr("regional_no_remittances", countries=", ".join(missing))))
    return _section("migration", ctx.tr("migration_title"), *parts)
