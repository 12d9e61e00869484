"""Where the project keeps things, declared once (standard library only: the command's
"nothing to do" path reads it too)."""

from __future__ import annotations

from pathlib import Path

COUNTRY_NOTEBOOK = Path("notebooks/country_brief.ipynb")
REGIONAL_NOTEBOOK = Path("notebooks/regional_overview.ipynb")
THEME_NOTEBOOK = Path("notebooks/thematic_report.ipynb")
NOTEBOOKS = (COUNTRY_NOTEBOOK, REGIONAL_NOTEBOOK, THEME_NOTEBOOK)
REGIONAL = "regional"  # the key of the regional overview in the batch (beside country codes)
THEME_PREFIX = "theme-"  # a thematic report's key in the batch: theme-<code>


def notebook_for(key: str, country_notebook: str | Path = COUNTRY_NOTEBOOK) -> Path:
    """The notebook that renders a report key (a country code, ``regional``, ``theme-<code>``)."""
    if key == REGIONAL:
        return REGIONAL_NOTEBOOK
    if key.startswith(THEME_PREFIX):
        return THEME_NOTEBOOK
    return Path(country_notebook)


def notes_dir(processed_dir: str | Path) -> Path:
    """The monitors' notes live beside the processed data: ``data/notes`` for ``data/processed``."""
    return Path(processed_dir).parent / "notes"


def note_path(folder: str | Path, year: int, key: str, lang: str) -> Path:
    """One report's note in one language: ``<notes>/<year>/<KEY>.<lang>.md``."""
    return Path(folder) / str(year) / f"{key}.{lang}.md"
