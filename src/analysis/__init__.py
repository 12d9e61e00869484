"""Labour-rights trend briefs: raw partner spreadsheets -> processed tables -> indicators -> briefs.

The subpackages are the stages of the flow; a module imports only from its own stage or the
ones above it in this list (``tests/test_architecture.py`` checks it):

    storage     atomic writes, a folder replaced whole, safe CSVs, private folders
    vocab/      what words and codes mean: reference tables, the researcher's mappings
                (one :class:`~analysis.vocab.vocabulary.Vocabulary`), translations, formats
    schema      the processed tables, declared once and validated on every write
    ingest/     files in as sent: partner spreadsheets (readers, headers, xlsx), value
                parsers, publishers' downloads (World Bank WDI), the data-entry template
    privacy/    the name shield, the names model, the monitors' notes checked
    clean/      raw tables -> processed tables + rejects + quality report + partner feedback
    indicators/ the figures: counts, migration series, comparisons; the processed inputs
    publish/    briefs as view models -> HTML (layout, charts) -> PDF (render), page checks,
                proof sheets, the ILO pack
    run/        the ``analysis`` command, the batch (plan, kernels, pool, manifest), status
    api         ``from analysis import load``: the tables for interactive work

The synthetic demo data are made by ``tools/demo_data.py`` (``make demo-data``), outside the
package.
"""

from analysis.version import __version__

__all__ = ["__version__"]


def __getattr__(name: str):
    """``from analysis import load`` without importing pandas at package import time."""
    if name in {"load", "label"}:
        from analysis import api

        return getattr(api, name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
