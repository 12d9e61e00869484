"""What a brief is about (country, year, language, the data) and the helpers every section uses."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from analysis import indicators, schema
from analysis.indicators import inputs
from analysis.privacy import notes
from analysis.publish import charts
from analysis.publish.layout import Figure, Paragraph, Section, Table, render
from analysis.vocab import reference, text
from analysis.vocab.text import fmt_number, t, tn

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
    spans: dict[str, tuple[int, int]] | None = None  # first, last monitored year per country
    processed_dir: str | None = None  # where the data came from (its private names guard notes)
    labour: pd.DataFrame | None = None  # labour-standards statistics (publishers' files)
    built: dict = field(default_factory=dict, repr=False, compare=False)  # see :func:`once`

    @property
    def is_regional(self) -> bool:
        return self.country == REGIONAL

    @property
    def theme(self) -> str | None:
        """The theme code of a thematic report, else None."""
        return reference.theme_of(self.country)

    @property
    def is_cross_country(self) -> bool:
        """The regional overview and the thematic reports: every mission country."""
        return inputs.is_cross_country(self.country)

    @property
    def countries(self) -> list[str]:
        return reference.mission_countries() if self.is_cross_country else [self.country]

    @property
    def theme_row(self) -> pd.Series:
        return reference.themes().set_index("code").loc[self.theme]

    @property
    def name(self) -> str:
        if self.theme:
            return str(self.theme_row[f"title_{self.lang}"])
        if self.is_regional:
            return self.tr("regional_title")
        return reference.country_name(self.country, self.lang)

    @property
    def name_in(self) -> str:
        """'Kazakhstan' / 'Казахстане' (after 'in' / 'в')."""
        if self.is_cross_country:
            return self.tr("regional_title_in")
        column = "name_ru_prep" if self.lang == "ru" else "name_en"
        return str(reference.countries().set_index("iso3").loc[self.country, column])

    @property
    def years(self) -> range:
        return range(self.year - HISTORY_YEARS + 1, self.year + 1)

    @property
    def notes_dir(self) -> str | None:
        """The monitors' notes beside the processed data (``data/notes``)."""
        return str(notes.notes_dir(self.processed_dir)) if self.processed_dir else None

    @property
    def monitoring(self) -> dict[str, tuple[int, int]]:
        """First and last monitored year per country."""
        if self.spans is None:
            self.spans = indicators.monitoring_spans(self.violations, self.legislation)
        return self.spans

    @property
    def monitored_years(self) -> range:
        """The brief's years that monitoring covers: charts and trends start here; earlier
        years are not monitored, not zero."""
        return indicators.monitored_years(self.monitoring, self.country, self.years)

    @property
    def is_synthetic(self) -> bool:
        return bool(self.quality.get("is_synthetic")) or any(
            bool(getattr(self, name)["is_synthetic"].any()) for name in schema.DATASETS
        )

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def warm_up(processed_dir: str | Path = "data/processed") -> None:
    """Pay a kernel's one-time costs of a brief before the first one arrives: read the
    processed tables (kept per process), load the chart fonts and renderer, compile the
    section template. Run by the batch while its worker starts; a problem with the data is
    left to the brief, which reports it with its own context."""
    try:
        inputs.read_processed(processed_dir)
    except (inputs.ProcessedDataError, OSError):
        return
    years = pd.DataFrame({"year": [2024, 2025], "incidents": [1, 2]})
    charts.render(charts.bar_by_year(years, "incidents", "Нарушения", "n", 2025, lang="ru"))
    table = Table([("Год", ""), ("n", "num")], [["2025", "2"]])
    render(Section("warm-up", "Казахстан", [Paragraph("текст"), table]))


def once(section):
    """A section built once per brief: the notebook shows it, and the methodology collects its
    attachments from the same object instead of computing (and drawing) it again. Keyed by
    what the section reads, so a context whose parameters or tables were changed by hand
    gets a new section."""

    @functools.wraps(section)
    def built(ctx: BriefContext):
        key = (
            section.__module__,
            section.__qualname__,
            ctx.country,
            ctx.year,
            ctx.lang,
            ctx.figures_dir,
            *(id(getattr(ctx, name)) for name in (*schema.DATASETS, "public_names", "quality")),
        )
        if key not in ctx.built:
            ctx.built[key] = section(ctx)
        return ctx.built[key]

    return built


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
    theme = reference.theme_of(country)
    if theme is not None and theme not in set(reference.themes()["code"]):
        valid = ", ".join(reference.themes()["code"])
        raise ValueError(f"unknown theme {theme!r}; valid: {valid}")
    countries = [] if inputs.is_cross_country(country) else [country]
    spans = inputs.spans_in(data)
    inputs.validate_parameters(countries, year, [lang], spans)
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
        spans=spans,
        processed_dir=str(processed_dir),
        labour=data.labour,
    )


def figure(
    ctx: BriefContext, draw, name: str, source: str, alt: str, table: pd.DataFrame | None = None
) -> Figure:
    """A chart with its source line; ``draw`` makes the matplotlib figure, when the page is
    rendered, with numbers in the brief's language (it is called with ``lang=``). Saved as PNG and SVG for slides when the brief has a figures folder."""
    folder = Path(ctx.figures_dir) / str(ctx.year) / ctx.country if ctx.figures_dir else None
    return Figure(
        draw=lambda: charts.render(draw(lang=ctx.lang), folder, f"{name}_{ctx.lang}"),
        alt=alt,
        source_word=ctx.tr("source"),
        source=source,
        make=lambda: draw(lang=ctx.lang),
        name=name,
        table=table,
    )


def attachment_name(ctx: BriefContext, name: str) -> str:
    return f"{ctx.country}_{ctx.year}_{name}.csv"


def num(value: float | None, lang: str, decimals: int = 0) -> str:
    return fmt_number(value, lang, decimals)


def category_labels(lang: str) -> pd.Series:
    return reference.categories().set_index("code")[f"label_{lang}"]


def source_label(ctx: BriefContext, code: str, written: str, synthetic: bool) -> str:
    """A source as this brief names it (see :func:`analysis.vocab.text.source_label`)."""
    return text.source_label(code, written, synthetic, ctx.lang)


def migration_value(ctx: BriefContext, indicator: str, value: float | None, no_data: bool) -> str:
    """A migration figure as printed: US$ in millions, % of GDP with one decimal, persons and
    US$ per inhabitant whole; a publisher's 'no data' zero as 'no data'."""
    if no_data or value is None or pd.isna(value):
        return ctx.tr("no_data")
    if indicator == "remittances_usd":
        return text.usd_amount(value, ctx.lang)
    return num(value, ctx.lang, 1 if indicator == "remittances_gdp_pct" else 0)


def violations_source(ctx: BriefContext, rows: pd.DataFrame, years) -> str:
    """A violations chart's source line, with the reports behind exactly what it plots: the
    rows of the plotted countries in the plotted ``years``, not every year in the data."""
    return reports_source(ctx, reports_in(rows, years))


def reports_in(rows: pd.DataFrame, years) -> int:
    """The reports (raw rows, ``n_reports``) behind ``rows`` in ``years``."""
    return int(rows.loc[rows["year"].isin(list(years)), "n_reports"].sum())


def reports_source(ctx: BriefContext, reports: int) -> str:
    """'Monitoring records of partner organisations (956 reports), …' in the brief's language."""
    return ctx.tr("source_violations", reports=tn("n_reports", reports, ctx.lang))


def trend_figure(ctx: BriefContext, per_year: pd.DataFrame, reports: int, name: str, title: str):
    """A small chart of a yearly count (``year``, ``incidents``) with the Theil-Sen line of the
    trend test the sentences report (page 1 of a brief or a thematic report)."""
    fit = indicators.trend(per_year.set_index("year")["incidents"].astype(float))
    draw = partial(
        charts.counts_with_trend,
        per_year,
        title,
        "",  # a short chart: its title says what is counted, a y label would be cut
        fit,
        highlight=ctx.year,
    )
    return figure(ctx, draw, name, reports_source(ctx, reports), title, per_year)
