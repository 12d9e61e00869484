"""Labour-rights trend briefs: raw partner spreadsheets -> processed tables -> indicators -> briefs.

Data flow (one module per stage):
    readers    -> read one partner file (CSV/TSV/XLSX) into a raw text table with provenance
    parse      -> parse values (dates with precision, numbers with units, booleans)
    clean/     -> per-dataset cleaning (violations, legislation, migration), duplicates, rejects,
                  accounting and the quality report; writes data/processed/ as one whole
    privacy    -> what a shared text may contain: non-public names withheld however spelled
    schema     -> the declared processed tables, validated on every write
    reference  -> reference tables shipped as package data (countries, taxonomy, aliases)
    public     -> World Bank WDI downloads -> data/external/ (``analysis import`` / ``fetch``)
    inputs     -> the one reader of the processed tables; parameters checked; data digests
    indicators -> pure functions computing the figures a brief shows
    charts     -> one house style for every chart
    brief/     -> the sections of a country brief and the regional overview, as view models
    layout     -> a section's HTML from one Jinja template (autoescape), sentences: the summary
    render     -> executed notebook -> HTML (nbconvert) -> PDF (WeasyPrint)
    batch      -> papermill over countries x languages, incremental, in parallel
    api        -> ``from analysis import load``: the tables for interactive work
    storage    -> atomic writes, a folder replaced whole, safe CSVs
    demo       -> the synthetic demo data in data/raw/
    cli        -> the ``analysis`` command
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
