"""Sections from the publishers' own files: a country's migration corridors, the region's
corridor picture and the labour-standards statistics beside the ratifications.

Every figure names its publisher, release and licence in the brief's language; a model estimate
says so; a corridor or a statistic a publisher does not give for the country says "no data" or
"not published", never a zero.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis import schema
from analysis.indicators import corridors
from analysis.publish import charts_matrix
from analysis.publish.brief.context import (
    BriefContext,
    attachment_name,
    figure,
    num,
    once,
    source_label,
)
from analysis.publish.layout import Heading, Paragraph, Section, Table
from analysis.vocab import reference, text
from analysis.vocab.text import fmt_pct


def attributed(ctx: BriefContext, code: str, written: str) -> str:
    """A publisher's source as the brief prints it: the registry's name in the brief's language
    with its licence, and the release as the publisher titles it."""
    return f"{source_label(ctx, code, written, False)}: {written}"


def _number(ctx: BriefContext, value, decimals: int = 0) -> str:
    """A publisher's number as printed, or "no data" when there is none (never a zero)."""
    missing = value is None or pd.isna(value)
    return ctx.tr("no_data") if missing else num(float(value), ctx.lang, decimals)


def _change(ctx: BriefContext, value) -> str:
    return (
        ctx.tr("no_data")
        if value is None or pd.isna(value)
        else fmt_pct(value, ctx.lang, signed=True)
    )


def _side_table(
    ctx: BriefContext, table: pd.DataFrame, outward: bool, partner: pd.DataFrame
) -> Table:
    names = reference.country_names(ctx.lang)
    year, first = int(table["year"].iloc[0]), table["first_year"].iloc[0]
    since = first is not None and not pd.isna(first)  # the source has an earlier year
    columns = [
        (ctx.tr("col_destination" if outward else "col_origin"), ""),
        (ctx.tr("col_migrants", year=year), "num"),
        (ctx.tr("col_share_all"), "num"),
    ]
    if since:
        columns.append((ctx.tr("col_change_since", year=int(first)), "num"))
    if outward and not partner.empty:
        columns.append((ctx.tr("col_partners_figure"), "num"))
    rows = []
    for r in table.itertuples():
        row = [names.get(r.other, r.other), _number(ctx, r.value), _number(ctx, r.share_pct, 1)]
        if since:
            row.append(_change(ctx, r.change_pct))
        if outward and not partner.empty:
            own = partner[partner["partner"] == r.other]
            row.append(
                f"{num(float(own['value'].iloc[-1]), ctx.lang)} ({int(own['year'].iloc[-1])})"
                if len(own)
                else ctx.tr("no_data")
            )
        rows.append(row)
    return Table(columns, rows, "data compact")


def _differences(ctx: BriefContext, table: pd.DataFrame, partner: pd.DataFrame) -> list[Paragraph]:
    """Where the mission's partners give the same corridor, both figures side by side."""
    names = reference.country_names(ctx.lang)
    out = []
    for r in table.itertuples():
        own = partner[partner["partner"] == r.other]
        if own.empty:
            continue
        last = own.iloc[-1]
        out.append(
            Paragraph(
                ctx.tr(
                    "corridors_sources_differ",
                    partner=names.get(r.other, r.other),
                    partner_source=source_label(
                        ctx, last["source_code"], last["source"], bool(last["is_synthetic"])
                    ),
                    value=num(float(last["value"]), ctx.lang),
                    year=int(last["year"]),
                    publisher=source_label(ctx, r.source_code, r.source, False),
                    other=num(float(r.value), ctx.lang),
                    other_year=int(r.year),
                ),
                "figcaption",
            )
        )
    return out


@once
def corridors_section(ctx: BriefContext) -> Section:
    """Where the country's migrants live and where its immigrants come from (one publisher per
    table, its share of all and its change since its first year), the mission's own partner
    figures for the same corridors with the differences stated, and remittances by corridor
    (KNOMAD's model estimates) beside the World Bank's reported total."""
    section = Section("corridors", ctx.tr("corridors_title"))
    out = corridors.destinations(ctx.migration, ctx.country, ctx.year)
    inward = corridors.origins(ctx.migration, ctx.country, ctx.year)
    if out.empty and inward.empty:
        section.blocks.append(Paragraph(ctx.tr("corridors_none", country=ctx.name)))
        return section
    first = out if len(out) else inward
    section.blocks.append(
        Paragraph(
            ctx.tr(
                "corridors_intro",
                source=attributed(ctx, first["source_code"].iloc[0], first["source"].iloc[0]),
                year=ctx.tr("col_migrants", year=int(first["year"].iloc[0])).lower(),
            )
        )
    )
    partner = corridors.partner_stock(ctx.migration, ctx.country, ctx.year)
    for table, outward, key in (
        (out, True, "corridors_destinations_title"),
        (inward, False, "corridors_origins_title"),
    ):
        if table.empty:
            continue
        section.blocks += [
            Heading(ctx.tr(key, country=ctx.name)),
            _side_table(ctx, table, outward, partner if outward else pd.DataFrame()),
        ]
        section.attachments[
            attachment_name(ctx, "corridors_" + ("destinations" if outward else "origins"))
        ] = table
        others = corridors.other_stock_sources(ctx.migration, ctx.country, table["source"].iloc[0])
        if others:
            codes = ctx.migration.drop_duplicates("source").set_index("source")["source_code"]
            listed = "; ".join(attributed(ctx, codes[s], s) for s in others)
            section.blocks.append(
                Paragraph(ctx.tr("corridors_other_source", source=listed), "figcaption")
            )
    if not out.empty and not partner.empty:
        section.blocks += _differences(ctx, out, partner)
    _remittances(ctx, section)
    return section


def _remittances(ctx: BriefContext, section: Section) -> None:
    senders, total = corridors.corridor_remittances(ctx.migration, ctx.country, ctx.year)
    if senders.empty:
        return
    names = reference.country_names(ctx.lang)
    year = int(senders["year"].iloc[0])
    rows = [
        [
            names.get(r.partner, r.partner),
            text.usd_amount(r.value, ctx.lang),
            num(float(r.share_pct), ctx.lang, 1),
        ]
        for r in senders.itertuples()
    ]
    columns = [
        (ctx.tr("col_sender"), ""),
        (ctx.tr("col_usd_year", year=year), "num"),
        (ctx.tr("col_share_all"), "num"),
    ]
    reported = ctx.migration[
        (ctx.migration["indicator"] == "remittances_usd")
        & (ctx.migration["country"] == ctx.country)
        & (ctx.migration["partner"] == reference.ALL_DESTINATIONS)
        & (ctx.migration["year"] == year)
        & (ctx.migration["source_code"] == "wdi")
        & ~ctx.migration["no_data"].astype(bool)
    ]
    source = attributed(ctx, senders["source_code"].iloc[0], senders["source"].iloc[0])
    if len(reported):
        note = ctx.tr(
            "remittances_corridors_note",
            source=source,
            total=text.usd_amount(total, ctx.lang),
            year=year,
            reported=text.usd_amount(float(reported["value"].iloc[0]), ctx.lang),
            reported_source=source_label(ctx, "wdi", reported["source"].iloc[0], False),
        )
    else:
        note = ctx.tr(
            "remittances_corridors_no_total",
            source=source,
            total=text.usd_amount(total, ctx.lang),
            year=year,
        )
    section.blocks += [
        Heading(ctx.tr("remittances_corridors_title", country=ctx.name)),
        Table(columns, rows, "data compact"),
        Paragraph(note, "figcaption"),
    ]
    section.attachments[attachment_name(ctx, "remittances_by_corridor")] = senders


@once
def region_corridors(ctx: BriefContext) -> Section | None:
    """The region's corridor picture: the mission's countries (down) by their largest
    destinations (across, Russia first), one publisher's latest stocks, in thousands."""
    if ctx.theme and not ctx.theme_row["migration"]:
        return None  # a theme without the migration context
    matrix = corridors.region_matrix(ctx.migration, reference.mission_countries(), ctx.year)
    if matrix.empty:
        none = ctx.tr("corridors_none", country=ctx.tr("region_name"))
        return Section("region-corridors", ctx.tr("corridors_title"), [Paragraph(none)])
    names = reference.country_names(ctx.lang)
    year = matrix.attrs["year"]
    title = ctx.tr("region_corridors_title", year=year)
    source = attributed(ctx, matrix.attrs["source_code"], matrix.attrs["source"])
    draw = partial(charts_matrix.corridor_matrix, matrix, title, names, names)
    section = Section("region-corridors", ctx.tr("corridors_title"))
    section.blocks += [
        Paragraph(ctx.tr("region_corridors_intro", source=source, year=year)),
        figure(ctx, draw, "corridor_matrix", source, title),
    ]
    section.attachments[attachment_name(ctx, "corridor_matrix")] = matrix.reset_index()
    return section


def _labour_value(ctx: BriefContext, row) -> str:
    decimals = 0 if row.unit == "persons" else 1 if row.unit in {"pct", "per_100k_workers"} else 2
    value = num(float(row.value), ctx.lang, decimals)
    shown = ctx.tr(f"unit_{row.unit}", value=value)
    if row.migrants is not None and not pd.isna(row.migrants):
        shown += (
            " ("
            + ctx.tr(
                "labour_migrants",
                migrants=num(float(row.migrants), ctx.lang, decimals),
                non_migrants=_number(ctx, row.non_migrants, decimals),
            )
            + ")"
        )
    if row.status:
        try:
            shown += f"; {ctx.tr('flag_' + row.status)}"
        except KeyError:
            shown += f"; {row.status}"
    return shown


@once
def labour_statistics(ctx: BriefContext) -> Section:
    """Trade-union density, bargaining coverage, informal employment, fatal injuries (migrants
    and non-migrants where given), labour inspectors and SDG 8.8.2 with its scale and limits;
    an indicator no publisher gives for the country is listed as not published."""
    labour = ctx.labour if ctx.labour is not None else schema.empty(schema.LABOUR)
    section = Section("labour", ctx.tr("labour_title"))
    latest = corridors.labour_latest(labour, ctx.country, ctx.year)
    spec = corridors.labour_indicators().set_index("code")
    rows, sources = [], {}
    for r in latest.itertuples():
        label = spec.loc[r.indicator, f"label_{ctx.lang}"]
        if r.value is None or pd.isna(r.value):
            rows.append([label, ctx.tr("labour_not_published", country=ctx.name), "", ""])
            continue
        rows.append(
            [
                label,
                _labour_value(ctx, r),
                str(int(r.year)),
                source_label(ctx, r.source_code, r.source, False),
            ]
        )
        sources[r.source] = r.source_code
    columns = [
        (ctx.tr("col_indicator"), ""),
        (ctx.tr("col_latest"), ""),
        (ctx.tr("year_label"), "nowrap"),
        (ctx.tr("source"), ""),
    ]
    section.blocks += [
        Paragraph(ctx.tr("labour_intro", country=ctx.name, year=ctx.year)),
        Table(columns, rows, "data compact"),
        Paragraph(ctx.tr("labour_882_note"), "figcaption"),
    ]
    if sources:
        listed = "; ".join(attributed(ctx, code, name) for name, code in sorted(sources.items()))
        section.blocks.append(Paragraph(f"{ctx.tr('source')}: {listed}", "figcaption"))
    section.attachments[attachment_name(ctx, "labour_statistics")] = latest
    return section
