"""What a batch will do: one job per report and language (country briefs, the regional
overview, thematic reports), its notebook and parameters, checked before anything runs."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import storage
from analysis.indicators import monitoring_spans
from analysis.indicators.inputs import (
    REGIONAL,
    validate_parameters,
)
from analysis.paths import COUNTRY_NOTEBOOK, REGIONAL_NOTEBOOK, THEME_NOTEBOOK
from analysis.privacy import notes
from analysis.vocab import reference

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BriefJob:
    country: str
    year: int
    lang: str
    notebook: str  # relative to the project root
    processed_dir: str  # relative to the project root, as the notebook receives it
    output_dir: str
    figures: bool = False  # also save every chart as PNG and SVG for slides

    @property
    def parameters(self) -> dict:
        return {
            "country": self.country,
            "year": self.year,
            "lang": self.lang,
            "processed_dir": self.processed_dir,
            "figures_dir": f"{self.output_dir}/figures" if self.figures else "",
        }

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.country}"

    @property
    def pdf_path(self) -> Path:
        return Path(self.output_dir) / "briefs" / str(self.year) / self.lang / f"{self.country}.pdf"

    @property
    def notebook_path(self) -> Path:
        return (
            Path(self.output_dir)
            / "notebooks"
            / str(self.year)
            / self.lang
            / f"{self.country}.ipynb"
        )


@dataclass
class BriefResult:
    country: str
    lang: str
    status: str  # "ok" | "failed" | "up to date" | "interrupted"
    seconds: float
    pages: int = 0
    pdf: str = ""
    notebook: str = ""
    error: dict | None = None  # {"cell": index, "ename": ..., "evalue": ...}
    input_hash: str = ""
    parameters: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.country}"

    @property
    def error_text(self) -> str:
        if not self.error:
            return ""
        cell = f"cell {self.error['cell']}: " if self.error.get("cell") is not None else ""
        return f"{cell}{self.error['ename']}: {self.error['evalue']}"


# --------------------------------------------------------------------------- planning


def data_spans(processed_dir: str | Path) -> dict[str, tuple[int, int]]:
    """First and last monitored year per country, from the processed violations and
    legislation (only the two columns are read)."""
    frames = []
    for name in ("violations", "legislation"):
        path = Path(processed_dir) / f"{name}.parquet"
        if not path.exists():
            frames.append(pd.DataFrame({"country": [], "year": []}))
            continue
        try:
            frames.append(pd.read_parquet(path, columns=["country", "year"]))
        except Exception as exc:
            raise ValueError(
                f"{path} is unreadable ({type(exc).__name__}): run `analysis clean`"
            ) from None
    return monitoring_spans(*frames)


def theme_codes(themes: list[str] | None) -> list[str]:
    """Theme codes asked for (``all`` for every theme of ``data/themes.csv``), checked."""
    if not themes:
        return []
    valid = reference.themes()["code"].tolist()
    if [t.lower() for t in themes] == ["all"]:
        return valid
    wanted = list(dict.fromkeys(t.lower().removeprefix(reference.THEME_PREFIX) for t in themes))
    unknown = [t for t in wanted if t not in valid]
    if unknown:
        raise ValueError(f"unknown theme(s) {unknown}; valid: all, {', '.join(valid)}")
    return wanted


def check_output_dir(output_dir: str | Path) -> None:
    """Refuse, before any work, an output folder that is a file or cannot be written."""
    problem = storage.folder_problem(output_dir)
    if problem:
        raise ValueError(f"output folder {problem}")


def _relative(path: str) -> str:
    """A path as the notebook receives it: relative to the project root when it can be, so
    that no absolute path of the building machine ends up in a shared executed notebook."""
    return Path(os.path.relpath(Path(path).resolve(), Path.cwd())).as_posix()


def plan(
    countries: list[str] | None,
    year: int | None,
    langs: list[str],
    processed_dir: str = "data/processed",
    output_dir: str = "outputs",
    notebook: str = COUNTRY_NOTEBOOK.as_posix(),
    regional: bool = False,
    themes: list[str] | None = None,
    figures: bool = False,
) -> list[BriefJob]:
    """Validated jobs: every country x language for ``year`` (default: the latest monitored
    year; a year before a country's first monitoring record is refused), plus the regional overview per language when ``regional``. Output paths are built
    from validated values only."""
    spans = data_spans(processed_dir)
    year = year if year is not None else max((s[1] for s in spans.values()), default=0)
    skipped: list[str] = []
    if countries is None:  # every country monitored in that year; the others are named
        every = reference.mission_countries()
        countries = [c for c in every if c in spans and spans[c][0] <= year <= spans[c][1]]
        skipped = [c for c in every if c not in countries] if countries else []
        countries = countries or every  # none monitored: validation says which years are
    countries = list(dict.fromkeys(c.upper() for c in countries))  # KAZ,kaz,KAZ: one brief
    langs = list(dict.fromkeys(lang.lower() for lang in langs))
    themes = theme_codes(themes)
    if not countries and not regional and not themes:
        raise ValueError(f"no country given; valid: {', '.join(reference.mission_countries())}")
    validate_parameters(countries, year, langs, spans)
    check_output_dir(output_dir)
    processed_dir, output_dir = _relative(processed_dir), _relative(output_dir)
    notebooks = [
        notebook,
        *([REGIONAL_NOTEBOOK.as_posix()] if regional else []),
        *([THEME_NOTEBOOK.as_posix()] if themes else []),
    ]
    for path in notebooks:
        if not Path(path).exists():
            raise ValueError(f"notebook {path} not found (run from the project root)")
    jobs = [
        BriefJob(c, year, lang, notebook, processed_dir, output_dir, figures)
        for lang in langs
        for c in countries
    ]
    if regional:
        regional_nb = REGIONAL_NOTEBOOK.as_posix()
        jobs += [
            BriefJob(REGIONAL, year, lang, regional_nb, processed_dir, output_dir, figures)
            for lang in langs
        ]
    jobs += [
        BriefJob(
            f"{reference.THEME_PREFIX}{code}",
            year,
            lang,
            THEME_NOTEBOOK.as_posix(),
            processed_dir,
            output_dir,
        )
        for lang in langs
        for code in themes
    ]
    notes.check_year(notes.notes_dir(processed_dir), year, processed_dir)  # before any PDF
    if skipped:  # said once everything else is known to be right
        log.warning("no monitoring data for %s in %s: no brief", ", ".join(skipped), year)
    return jobs


# --------------------------------------------------------------------------- cache


def summary_table(results: list[BriefResult]) -> str:
    """A plain-text table of the batch: one line per brief."""
    lines = [f"{'country':9} {'lang':4} {'status':11} {'pages':>5} {'sec':>6}  detail"]
    for r in results:
        detail = r.pdf if r.status in {"ok", "up to date"} else r.error_text
        lines.append(
            f"{r.country:9} {r.lang:4} {r.status:11} {r.pages:5d} {r.seconds:6.1f}  {detail}"
        )
    return "\n".join(lines)
