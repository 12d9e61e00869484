"""Sections of a country brief and of the regional overview, for the notebooks in ``notebooks/``.

The notebook stays thin: it loads a :class:`BriefContext` (:func:`load`) and displays one
section per cell. Each section is computed as data (a :class:`~analysis.publish.layout.Section`: title,
blocks and the tables it attaches) from the processed tables through
:mod:`analysis.indicators`; its HTML comes from a template with autoescape
(:mod:`analysis.publish.layout`). Every chart carries its source line, is saved as PNG and SVG for
slides when drawn, and its table travels inside the PDF as a CSV attachment (aggregates only).

* :mod:`~analysis.publish.brief.context`: the brief's parameters and data, helpers shared by sections;
* :mod:`~analysis.publish.brief.headline`: the first page (title block, key figures, summary; the
  summary's sentences are in :mod:`analysis.publish.sentences`);
* :mod:`~analysis.publish.brief.country`: violations, notable cases, ILO standards, legislation,
  migration;
* :mod:`~analysis.publish.brief.overview`: the regional comparison and the regional overview's sections;
* :mod:`~analysis.publish.brief.themes`: a thematic report (one theme across the mission countries);
* :mod:`~analysis.publish.brief.appendix`: methodology, provenance and the attachments.
"""

from analysis.publish.brief.appendix import (
    COUNTRY_SECTIONS,
    REGIONAL_SECTIONS,
    THEME_SECTIONS,
    attachments,
    methodology,
)
from analysis.publish.brief.context import REGIONAL, BriefContext, load, warm_up
from analysis.publish.brief.corridors import corridors_section, labour_statistics, region_corridors
from analysis.publish.brief.country import (
    legislation_section,
    migration_section,
    notable_cases,
    standards_panel,
    violations_section,
)
from analysis.publish.brief.headline import key_figures, monitors_note, summary, title_block
from analysis.publish.brief.overview import (
    regional_legislation,
    regional_migration,
    regional_section,
    regional_table,
    regional_trends,
)
from analysis.publish.brief.themes import (
    theme_countries,
    theme_findings,
    theme_legislation,
    theme_links,
    theme_migration,
    theme_notable,
    theme_standards,
)

__all__ = [
    "COUNTRY_SECTIONS",
    "REGIONAL",
    "REGIONAL_SECTIONS",
    "THEME_SECTIONS",
    "BriefContext",
    "attachments",
    "corridors_section",
    "labour_statistics",
    "region_corridors",
    "key_figures",
    "legislation_section",
    "load",
    "methodology",
    "migration_section",
    "monitors_note",
    "notable_cases",
    "regional_legislation",
    "regional_migration",
    "regional_section",
    "regional_table",
    "regional_trends",
    "standards_panel",
    "summary",
    "theme_countries",
    "theme_findings",
    "theme_legislation",
    "theme_links",
    "theme_migration",
    "theme_notable",
    "theme_standards",
    "title_block",
    "violations_section",
    "warm_up",
]
