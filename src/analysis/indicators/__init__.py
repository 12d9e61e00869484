"""Indicators: the figures of the briefs, as small pure functions over the processed tables.

* :mod:`.counts` - violations and acts per country and year, breakdowns, monitored years;
* :mod:`.migration` - migration series (one source each), projections, per-person rates;
* :mod:`.comparisons` - a year against the previous ones, trends, the regional table;
* :mod:`.corridors` - migration corridors and labour-standards statistics (publishers' files);
* :mod:`.inputs` - the processed tables as a brief reads them.

Every public function is re-exported here, so ``indicators.trend(...)`` reads as before.
"""

from analysis.indicators.comparisons import (
    TREND_YEARS,
    before_after,
    compare_year,
    regional_comparison,
    trend,
)
from analysis.indicators.counts import (
    breakdown,
    change,
    conventions_touched,
    is_partial_year,
    legislation_balance,
    legislation_by_direction,
    legislation_in_year,
    monitored_years,
    monitoring_spans,
    partners_by_year,
    per_country_year,
    rounded_shares,
    source_coverage,
    violations_by_category,
    violations_per_year,
)
from analysis.indicators.migration import (
    MIGRATION_KEY,
    PARTNER_INDICATORS,
    PROJECTED,
    PUBLIC_INDICATORS,
    SERIES_KEY,
    figure_for_year,
    international_codes,
    main_destination,
    mark_source_breaks,
    measured,
    migration_series,
    migration_summary,
    per_million,
    preferred,
    single_source,
    source_rank,
    stock_by_partner,
    total_stock,
    value_in,
    with_registry,
)

__all__ = [
    "MIGRATION_KEY",
    "PARTNER_INDICATORS",
    "PROJECTED",
    "PUBLIC_INDICATORS",
    "SERIES_KEY",
    "TREND_YEARS",
    "before_after",
    "breakdown",
    "change",
    "compare_year",
    "conventions_touched",
    "figure_for_year",
    "international_codes",
    "is_partial_year",
    "legislation_balance",
    "legislation_by_direction",
    "legislation_in_year",
    "main_destination",
    "mark_source_breaks",
    "measured",
    "migration_series",
    "migration_summary",
    "monitored_years",
    "monitoring_spans",
    "partners_by_year",
    "per_country_year",
    "per_million",
    "preferred",
    "regional_comparison",
    "rounded_shares",
    "single_source",
    "source_rank",
    "source_coverage",
    "stock_by_partner",
    "total_stock",
    "trend",
    "value_in",
    "violations_by_category",
    "violations_per_year",
    "with_registry",
]
