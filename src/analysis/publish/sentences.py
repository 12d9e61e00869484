"""The summary of a brief in sentences generated from the data (no layout here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis import indicators
from analysis.vocab import reference
from analysis.vocab.text import (
    as_written,
    fmt_number,
    fmt_p,
    fmt_pct,
    join_items,
    source_label,
    tn,
    usd_amount,
)

if TYPE_CHECKING:
    from analysis.publish.brief.context import BriefContext


def summary_text(ctx: BriefContext) -> str:
    """The data-driven summary as one paragraph, in the brief's language."""
    return " ".join(key_findings(ctx))


def key_findings(ctx: BriefContext) -> list[str]:
    """Three to five findings in sentences generated from the data, for page 1: the year's
    count and its change, the largest categories, the trend verdict with its test, the
    year's legal changes (the restrictive acts named), the migration headline."""
    lang, year = ctx.lang, ctx.year
    per_year = indicators.violations_per_year(
        ctx.violations, ctx.country, ctx.monitored_years
    ).set_index("year")
    findings = [_count_finding(ctx, per_year)]
    n = int(per_year.loc[year, "incidents"])
    if n:
        top = indicators.violations_by_category(ctx.violations, ctx.country, year).head(2)
        labels = reference.categories().set_index("code")[f"label_{lang}"]
        items = ", ".join(
            f"{labels[r.category].lower()} ({fmt_number(r.incidents, lang)})"
            for r in top.itertuples()
        )
        sentence = ctx.tr("s_top", items=items)
        persons = int(per_year.loc[year, "persons_affected"])
        if persons:
            sentence += " " + ctx.tr("s_persons", n_persons=tn("n_persons", persons, lang))
        findings.append(sentence)
    findings.append(_trend_sentence(ctx, per_year["incidents"]))
    findings.append(_acts_finding(ctx))
    migration = _migration_finding(ctx)
    if migration:
        findings.append(migration)
    return findings


def coverage_note(ctx: BriefContext) -> str | None:
    """Said next to the year's change when the reporting partners (organisations of the
    registry) differ from the year before, else None: a count from other reporters is not a
    change in events."""
    year = ctx.year
    if ctx.is_cross_country or year - 1 not in ctx.monitored_years:
        return None
    sets = indicators.partners_by_year(ctx.violations, ctx.country, [year - 1, year])
    before, now = sets[year - 1], sets[year]
    if before == now:
        return None
    if len(before) != len(now):
        return ctx.tr(
            "coverage_count_changed",
            prev=year - 1,
            year=year,
            prev_partners=tn("n_partners", len(before), ctx.lang),
            partners=len(now),
            prev_n=len(before),
            n=len(now),
        )
    return ctx.tr("coverage_set_changed", prev=year - 1, year=year)


def _trend_coverage(ctx: BriefContext, start: int, end: int) -> str:
    """The note a trend sentence carries when the reporting partners changed over its years."""
    if ctx.is_cross_country:
        return ""
    sets = indicators.partners_by_year(ctx.violations, ctx.country, list(range(start, end + 1)))
    distinct = {frozenset(s) for s in sets.values()}
    if len(distinct) <= 1:
        return ""
    first, last = len(sets[start]), len(sets[end])
    return " " + ctx.tr(
        "coverage_trend",
        start=start,
        end=end,
        first_partners=tn("n_partners", first, ctx.lang),
        last_partners=last,
        first_n=first,
        last_n=last,
    )


def _count_finding(ctx: BriefContext, per_year: pd.DataFrame) -> str:
    lang, year = ctx.lang, ctx.year
    n = int(per_year.loc[year, "incidents"])
    prev = int(per_year.loc[year - 1, "incidents"]) if year - 1 in per_year.index else None
    if n == 0:
        return ctx.tr("s_no_violations", year=year, country_in=ctx.name_in)
    first = ctx.tr(
        "s_violations",
        year=year,
        n_violations=tn("n_violations", n, lang),
        country_in=ctx.name_in,
    )
    pct = indicators.change(n, prev)
    if prev is None:  # the year before monitoring began
        first += ctx.tr("s_not_monitored_prev", prev=year - 1)
    elif prev == 0:
        first += ctx.tr("s_none_prev", prev=year - 1)
    elif pct is not None and round(pct) > 0:
        first += ctx.tr("s_more", pct=fmt_pct(abs(pct), lang), prev=year - 1)
    elif pct is not None and round(pct) < 0:
        first += ctx.tr("s_fewer", pct=fmt_pct(abs(pct), lang), prev=year - 1)
    else:
        first += ctx.tr("s_same", prev=year - 1)
    note = coverage_note(ctx)
    return first + (f"; {note}" if note else "") + "."


def _acts_finding(ctx: BriefContext) -> str:
    """The year's legal changes, the restrictive ones named (at most two)."""
    year = ctx.year
    acts = indicators.legislation_by_direction(ctx.legislation, ctx.country, ctx.years).loc[year]
    sentence = acts_sentence(ctx, int(acts["restrictive"]), int(acts["protective"]))
    if ctx.is_regional:
        return sentence
    restrictive = indicators.legislation_in_year(ctx.legislation, ctx.country, year)
    restrictive = restrictive[restrictive["direction"] == "restrictive"]
    if len(restrictive):
        titles = "; ".join(as_written(t, ctx.lang) for t in restrictive["title"].head(2))
        more = len(restrictive) - 2
        sentence += (
            " "
            + ctx.tr("s_restrictive_named", titles=titles)
            + (ctx.tr("s_and_more", n=more) if more > 0 else ".")
        )
    return sentence


def acts_sentence(ctx: BriefContext, restrictive: int, protective: int, theme: bool = False) -> str:
    """'Adopted in 2025: 1 restrictive legal change.' with only the kinds that occurred; a year
    without any has its own sentence (never '0 restrictive and 0 protective')."""
    items = [
        tn(key, n, ctx.lang)
        for key, n in (("n_restrictive", restrictive), ("n_protective", protective))
        if n
    ]
    prefix = "theme_acts" if theme else "s_acts"
    if not items:
        return ctx.tr(f"{prefix}_none", year=ctx.year)
    return ctx.tr(prefix, year=ctx.year, items=join_items(items, ctx.lang))


def _migration_finding(ctx: BriefContext) -> str | None:
    """Remittances: the real published figure (World Bank) when there is one, else the
    preferred source's share of GDP; each with its source and year."""
    lang, year = ctx.lang, ctx.year
    public = indicators.figure_for_year(
        ctx.migration, ctx.country, "remittances_usd", year, indicators.international_codes()
    )
    if public is not None and public["value"] is not None and year - public["year"] <= 3:
        source = source_label(public["source_code"], public["source"], False, lang)
        change = indicators.change(public["value"], public["previous"])
        trend = ""
        if change is not None and round(change) != 0:
            key = "s_remit_usd_up" if change > 0 else "s_remit_usd_down"
            trend = ctx.tr(key, pct=fmt_pct(abs(change), lang), prev=public["year"] - 1)
        return ctx.tr(
            "s_remit_usd",
            amount=usd_amount(public["value"], lang),
            year=public["year"],
            trend=trend,
            source=source,
        )
    remit = indicators.figure_for_year(ctx.migration, ctx.country, "remittances_gdp_pct", year)
    if remit is not None and remit["year"] == year and remit["value"] is not None:
        source = source_label(remit["source_code"], remit["source"], remit["is_synthetic"], lang)
        return ctx.tr("s_remit", pct=fmt_pct(remit["value"], lang, 1), source=source)
    return None


def _trend_sentence(ctx: BriefContext, counts: pd.Series) -> str:
    # ``counts`` covers the monitored years only: earlier years are not observed, not zero.
    result = indicators.trend(counts, indicators.TREND_YEARS)
    if result["direction"] == "insufficient":
        return ctx.tr("s_trend_short")
    start, end = result["years"]
    p = fmt_p(result["p_value"], ctx.lang)
    coverage = _trend_coverage(ctx, start, end)
    if not result["significant"]:
        return ctx.tr("s_trend_noise", start=start, end=end, p=p) + coverage
    key = "s_trend_up" if result["slope"] > 0 else "s_trend_down"
    slope = fmt_number(abs(result["slope"]), ctx.lang, 1)
    return ctx.tr(key, start=start, end=end, p=p, slope=slope) + coverage
