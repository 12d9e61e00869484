"""Methodology, sources and provenance, and the CSV attachments of every section."""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd

from analysis import indicators, storage
from analysis.clean.checks import DISAGREEMENT_PCT
from analysis.publish.brief.context import BriefContext, num, source_label
from analysis.publish.brief.corridors import corridors_section, labour_statistics, region_corridors
from analysis.publish.brief.country import (
    legislation_section,
    migration_section,
    violations_section,
)
from analysis.publish.brief.overview import (
    regional_legislation,
    regional_migration,
    regional_section,
    regional_trends,
)
from analysis.publish.brief.themes import (
    theme_countries,
    theme_legislation,
    theme_links,
    theme_migration,
    theme_notable,
    theme_standards,
)
from analysis.publish.layout import (
    Attachments,
    Paragraph,
    Section,
)
from analysis.version import __version__
from analysis.vocab import reference
from analysis.vocab.text import fmt_pct, tn

# The sections that attach tables, in the order of their notebook (see :func:`attachments`).
COUNTRY_SECTIONS = (
    violations_section,
    legislation_section,
    labour_statistics,
    migration_section,
    corridors_section,
    regional_section,
)


REGIONAL_SECTIONS = (
    regional_section,
    regional_trends,
    regional_legislation,
    regional_migration,
    region_corridors,
)


THEME_SECTIONS = (
    theme_countries,
    theme_standards,
    theme_legislation,
    theme_notable,
    theme_migration,
    region_corridors,
)


def attachments(ctx: BriefContext) -> dict[str, pd.DataFrame]:
    """Every table the brief attaches, in page order: built from the sections themselves (as
    data, nothing drawn), so the list is complete whatever order the notebook's cells run in."""
    sections = (
        THEME_SECTIONS if ctx.theme else REGIONAL_SECTIONS if ctx.is_regional else COUNTRY_SECTIONS
    )
    tables: dict[str, pd.DataFrame] = {}
    for section in sections:
        built = section(ctx)
        if built is not None:
            tables.update(built.attachments)
    return tables


def _attachment_block(ctx: BriefContext) -> Attachments:
    files = []
    for name, table in attachments(ctx).items():
        files.append((name, base64.b64encode(storage.csv_bytes(table)).decode("ascii")))
    return Attachments(files)


def migration_used(ctx: BriefContext) -> pd.DataFrame:
    """The migration rows a brief reads: its countries, the years of its charts up to its
    year (the latest earlier figure included), each with the source label it prints."""
    rows = indicators.with_registry(ctx.migration)
    rows = rows[
        rows["country"].isin(ctx.countries) & rows["year"].between(ctx.years.start, ctx.year)
    ]
    labels = {
        (r.source_code, r.source, r.is_synthetic): source_label(
            ctx, r.source_code, r.source, r.is_synthetic
        )
        for r in rows.drop_duplicates(["source_code", "source", "is_synthetic"]).itertuples()
    }
    keys = list(zip(rows["source_code"], rows["source"], rows["is_synthetic"], strict=True))
    return rows.assign(label=[labels[k] for k in keys])


def partner_names(ctx: BriefContext) -> dict[str, str]:
    """Partner code -> its name in the brief's language, from the registry the cleaning
    wrote beside the processed tables (``partners.csv``)."""
    path = Path(ctx.processed_dir or "data/processed") / "partners.csv"
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(table["code"], table[f"name_{ctx.lang}"], strict=True))


def methodology(ctx: BriefContext) -> Section:
    """Methods, sources, data quality (from the cleaning report), attachments and provenance."""
    lang = ctx.lang
    datasets = ctx.quality.get("datasets", {})
    rejected = sum(d.get("rows_rejected", 0) for d in datasets.values())
    merged = sum(d.get("rows_merged_duplicates", 0) for d in datasets.values())
    own = ctx.violations["country"].isin(ctx.countries)
    if ctx.theme:
        own &= ctx.violations["category"].isin(ctx.theme_row["categories"])
    codes = {p for v in ctx.violations.loc[own, "partners"].dropna() for p in v.split("; ")}
    names = partner_names(ctx)
    partners = sorted(names.get(c, c.removeprefix("file:")) for c in codes)
    used = migration_used(ctx)
    by_source = used.groupby("label")["year"].agg(["size", "min", "max"])
    counts = "; ".join(
        ctx.tr(
            "m_by_source", source=label, n=num(int(r["size"]), lang), start=r["min"], end=r["max"]
        )
        for label, r in by_source.iterrows()
    )
    ilo = reference.source_name("ilo", "ILO NORMLEX", lang)
    sources = "; ".join([*partners, *by_source.index, ilo])
    quality = ctx.tr(
        "m_quality",
        kept=num(int(own.sum()), lang),
        acts=num(int(ctx.legislation["country"].isin(ctx.countries).sum()), lang),
        series=num(len(used), lang),
        by_source=counts or "—",
        country_in=ctx.name_in,
        country=ctx.name,
        rejected=num(rejected, lang),
        merged=num(merged, lang),
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
            Paragraph(ctx.tr("m_partners")),
            Paragraph(ctx.tr("m_trend", n=tn("n_years", indicators.TREND_YEARS, ctx.lang))),
            Paragraph(ctx.tr("m_preference", threshold=fmt_pct(DISAGREEMENT_PCT, lang))),
            Paragraph(ctx.tr("m_sources", sources=sources)),
            Paragraph(quality),
            Paragraph(ctx.tr("names_note")),
            *([] if ctx.theme else [theme_links(ctx)]),
            Paragraph(ctx.tr("attachments_note")),
            _attachment_block(ctx),
            Paragraph(provenance, "provenance"),
        ],
    )
