"""Labour-rights trend briefs: raw partner spreadsheets -> processed tables -> indicators -> briefs.

Data flow (one module per stage):
    readers   -> read partner files (CSV/TSV/XLSX) into raw string tables with their provenance
    columns   -> map Russian/English headers to canonical columns
    parse     -> parse values (dates with precision, numbers with units, booleans)
    reference -> reference tables shipped as package data (countries, taxonomy, aliases)
    clean     -> per-dataset cleaning, de-duplication, rejects and the quality report
    schema    -> the declared processed tables, validated on every write
    indicators-> pure functions computing the figures a brief shows
    charts    -> one house style for every chart
    brief     -> HTML sections of a country brief (used by notebooks/country_brief.ipynb)
    render    -> executed notebook -> HTML (nbconvert) -> PDF (WeasyPrint)
    batch     -> papermill over countries x languages, incremental, in parallel
    api       -> ``from analysis import load``: the tables for interactive work
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("analysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"


def __getattr__(name: str):
    """``from analysis import load`` without importing pandas at package import time."""
    if name in {"load", "label"}:
        from analysis import api

        return getattr(api, name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
