"""Sections of a country brief as HTML, for ``notebooks/country_brief.ipynb``.

The notebook stays thin: it loads a :class:`BriefContext` and displays one section per cell.
Every figure on the page is computed here from the processed tables through
:mod:`analysis.indicators`, and every chart carries its source line.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from analysis import __version__, charts, indicators, reference
from analysis.text import fmt_change, fmt_number, t

HISTORY_YEARS = 10


@dataclass(frozen=True)
class BriefContext:
    country: str
    year: int
    lang: str
    violations: pd.DataFrame
    legislation: pd.DataFrame
    migration: pd.DataFrame
    quality: dict
    data_date: str

    @property
    def name(self) -> str:
        return reference.country_name(self.country, self.lang)

    @property
    def years(self) -> range:
        return range(self.year - HISTORY_YEARS + 1, self.year + 1)

    @property
    def is_synthetic(self) -> bool:
        return bool(
            self.quality.get("is_synthetic")
            or self.violations["is_synthetic"].any()
            or self.legislation["is_synthetic"].any()
            or self.migration["is_synthetic"].any()
        )


def load(
    country: str, year: int, lang: str, processed_dir: str | Path = "data/processed"
) -> BriefContext:
    """Read the processed tables and the quality report for one brief."""
    folder = Path(processed_dir)
    report_path = folder / "quality_report.json"
    quality = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    violations = pd.read_parquet(folder / "violations.parquet")
    legislation = pd.read_parquet(folder / "legislation.parquet")
    latest = max([*violations["date"].dropna(), *legislation["date_adopted"].dropna()], default="")
    return BriefContext(
        country=country,
        year=int(year),
        lang=lang,
        violations=violations,
        legislation=legislation,
        migration=pd.read_parquet(folder / "migration.parquet"),
        quality=quality,
        data_date=latest,
    )


def _e(value: object) -> str:
    return html.escape(str(value))


def _figure_html(fig, source: str, lang: str, alt: str) -> str:
    png = base64.b64encode(charts.to_png(fig)).decode("ascii")
    return (
        f'<figure><img alt="{_e(alt)}" src="data:image/png;base64,{png}"/>'
        f"<figcaption>{_e(t('source', lang))}: {_e(source)}</figcaption></figure>"
    )


def title_block(ctx: BriefContext) -> HTML:
    """Country, year, language, date of the data; the demo banner when the data is synthetic."""
    demo = (
        f'<div class="demo-banner">{_e(t("demo_banner", ctx.lang))}</div>'
        if ctx.is_synthetic
        else ""
    )
    return HTML(
        f'<header class="title-block" lang="{ctx.lang}">{demo}'
        f'<p class="kind">{_e(t("brief_kind", ctx.lang))}</p>'
        f'<h1 class="country">{_e(ctx.name)}</h1>'
        f'<p class="brief-year">{ctx.year}</p>'
        f'<p class="meta">{_e(t("data_as_of", ctx.lang))} {ctx.data_date} · '
        f"{_e(t('language_label', ctx.lang))}: {_e(t('language_name', ctx.lang))}</p>"
        f'<div class="running-title">{_e(ctx.name)} · {ctx.year}</div>'
        f'<div class="page-word">{_e(t("page", ctx.lang))}</div></header>'
    )


def _key_figure(label: str, value: str, note: str) -> str:
    return (
        f'<div class="kf"><div class="kf-value">{_e(value)}</div>'
        f'<div class="kf-label">{_e(label)}</div><div class="kf-note">{_e(note)}</div></div>'
    )


def _compare(current: float | None, previous: float | None, ctx: BriefContext) -> str:
    prev_year = ctx.year - 1
    if previous is None:
        return t("no_prev", ctx.lang, year=prev_year)
    return f"{fmt_change(indicators.change(current, previous), ctx.lang)} {t('vs_prev', ctx.lang, year=prev_year)}"


def key_figures(ctx: BriefContext) -> HTML:
    """Six headline figures with their change against the previous year."""
    lang, year = ctx.lang, ctx.year
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.years).set_index(
        "year"
    )
    acts = indicators.legislation_by_direction(ctx.legislation, ctx.country, ctx.years)
    outflow = indicators.migration_series(ctx.migration, ctx.country, "outflow")
    remit = indicators.migration_series(ctx.migration, ctx.country, "remittances_gdp_pct")
    cells = []
    for label, column in (("kf_violations", "incidents"), ("kf_persons", "persons_affected")):
        now, before = per_year.loc[year, column], per_year.loc[year - 1, column]
        cells.append(_key_figure(t(label, lang), fmt_number(now, lang), _compare(now, before, ctx)))
    for label, column in (("kf_restrictive", "restrictive"), ("kf_protective", "protective")):
        now, before = acts.loc[year, column], acts.loc[year - 1, column]
        cells.append(_key_figure(t(label, lang), fmt_number(now, lang), _compare(now, before, ctx)))
    for label, series, decimals in (("kf_outflow", outflow, 0), ("kf_remittances", remit, 1)):
        now, before = indicators.value_in(series, year), indicators.value_in(series, year - 1)
        note = _compare(now, before, ctx) if now is not None else t("no_data", lang)
        cells.append(_key_figure(t(label, lang), fmt_number(now, lang, decimals), note))
    return HTML(
        f'<section class="key-figures"><h2>{_e(t("key_figures", lang))}</h2>'
        f'<div class="kf-grid">{"".join(cells)}</div></section>'
    )


def violations_section(ctx: BriefContext) -> HTML:
    """Violations per year (chart), the year's categories, and the convenience-sample warning."""
    lang = ctx.lang
    per_year = indicators.violations_per_year(ctx.violations, ctx.country, ctx.years)
    fig = charts.bar_by_year(
        per_year, "incidents", t("violations_chart_title", lang, country=ctx.name),
        t("violations_axis", lang), highlight=ctx.year,
    )  # fmt: skip
    source = t("source_violations", lang, n=fmt_number(int(per_year["reports"].sum()), lang))
    by_category = indicators.violations_by_category(ctx.violations, ctx.country, ctx.year)
    labels = reference.categories().set_index("code")[f"label_{lang}"]
    rows = "".join(
        f"<tr><td>{_e(labels[r.category])}</td><td class='num'>{fmt_number(r.incidents, lang)}</td></tr>"
        for r in by_category.itertuples()
    )
    table = (
        f'<h3>{_e(t("categories_title", lang, year=ctx.year))}</h3><table class="data">'
        f"<thead><tr><th>{_e(t('category_label', lang))}</th><th class='num'>{_e(t('count_label', lang))}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if len(by_category)
        else ""
    )
    return HTML(
        f'<section class="violations"><h2>{_e(t("violations_title", lang))}</h2>'
        f"{_figure_html(fig, source, lang, t('violations_chart_title', lang, country=ctx.name))}"
        f'<p class="caveat">{_e(t("convenience_note", lang))}</p>{table}</section>'
    )


def legislation_section(ctx: BriefContext) -> HTML:
    """The year's legislation changes as a table (or a sentence when there were none)."""
    lang = ctx.lang
    acts = indicators.legislation_in_year(ctx.legislation, ctx.country, ctx.year)
    heading = f"<h2>{_e(t('legislation_title', lang, year=ctx.year))}</h2>"
    if acts.empty:
        body = f"<p>{_e(t('legislation_none', lang, country=ctx.name, year=ctx.year))}</p>"
    else:
        rows = "".join(
            f"<tr><td class='nowrap'>{_e(a.date_adopted)}</td><td>{_e(a.title)}</td>"
            f"<td class='dir dir-{a.direction}'>{_e(t(a.direction, lang))}</td>"
            f"<td>{_e((a.ilo_conventions or '').replace(';', ', '))}</td></tr>"
            for a in acts.itertuples()
        )
        body = (
            f'<table class="data"><thead><tr><th>{_e(t("col_date", lang))}</th><th>{_e(t("col_title", lang))}</th>'
            f"<th>{_e(t('col_direction', lang))}</th><th>{_e(t('col_conventions', lang))}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return HTML(f'<section class="legislation">{heading}{body}</section>')


def migration_section(ctx: BriefContext) -> HTML:
    """Migrants abroad by destination (chart) and remittances as % of GDP (chart), with sources."""
    lang = ctx.lang
    rows = ctx.migration[
        (ctx.migration["country"] == ctx.country) & ctx.migration["year"].isin(ctx.years)
    ]
    heading = f"<h2>{_e(t('migration_title', lang))}</h2>"
    if rows.empty:
        return HTML(
            f'<section class="migration">{heading}<p>{_e(t("migration_none", lang, country=ctx.name))}</p></section>'
        )
    parts = [heading]
    stock = indicators.stock_by_partner(rows, ctx.country)
    names = reference.countries().set_index("iso3")[f"name_{lang}"].to_dict()
    if not stock.empty:
        fig = charts.lines_by_year(
            stock,
            t("migration_chart_title", lang, country=ctx.name),
            t("migration_axis", lang),
            names,
            1000,
        )
        sources = "; ".join(
            sorted(rows.loc[rows["indicator"] == "stock_abroad", "source"].unique())
        )
        parts.append(
            _figure_html(
                fig,
                t("source_migration", lang, sources=sources),
                lang,
                t("migration_chart_title", lang, country=ctx.name),
            )
        )
    remit = indicators.migration_series(rows, ctx.country, "remittances_gdp_pct")
    if not remit.empty:
        fig = charts.bar_by_year(
            remit.assign(value=remit["value"].round(1)), "value",
            t("remittances_chart_title", lang, country=ctx.name), t("remittances_axis", lang), highlight=ctx.year,
        )  # fmt: skip
        sources = "; ".join(sorted(remit["source"].unique()))
        parts.append(
            _figure_html(
                fig,
                t("source_migration", lang, sources=sources),
                lang,
                t("remittances_chart_title", lang, country=ctx.name),
            )
        )
    return HTML(f'<section class="migration">{"".join(parts)}</section>')


def data_note(ctx: BriefContext) -> HTML:
    """Records used and rejected (from the quality report), the names policy, provenance line."""
    lang = ctx.lang
    datasets = ctx.quality.get("datasets", {})
    rejected = sum(d.get("rows_rejected", 0) for d in datasets.values())
    merged = sum(d.get("rows_merged_duplicates", 0) for d in datasets.values())
    kept = int((ctx.violations["country"] == ctx.country).sum())
    acts = int((ctx.legislation["country"] == ctx.country).sum())
    series = int((ctx.migration["country"] == ctx.country).sum())
    note = t("data_note", lang, kept=fmt_number(kept, lang), acts=fmt_number(acts, lang),
             series=fmt_number(series, lang), rejected=fmt_number(rejected, lang),
             merged=fmt_number(merged, lang))  # fmt: skip
    provenance = t(
        "generated", lang, version=__version__, country=ctx.country, year=ctx.year, brief_lang=lang
    )
    return HTML(
        f'<section class="data-note"><h2>{_e(t("data_note_title", lang))}</h2><p>{_e(note)}</p>'
        f"<p>{_e(t('names_note', lang))}</p><p class='provenance'>{_e(provenance)}</p></section>"
    )
