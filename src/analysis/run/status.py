"""Every report's state for a year, so that nothing is silently stale.

A report is *up to date* when its manifest entry says ok, its inputs hash as when it was built
(the same definition :func:`analysis.run.batch.run_batch` uses to skip it) and its PDF is whole;
*out of date* when its inputs changed since; *missing* or *damaged* when its PDF is gone or
broken; *failed* when its last run failed; *not built* when the manifest has no entry."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.indicators.inputs import REGIONAL, data_digest, read_processed, shared_digest
from analysis.paths import notebook_for
from analysis.run.manifest import input_hash, pdf_intact, read_manifest
from analysis.run.plan import BriefJob
from analysis.vocab import reference
from analysis.vocab.languages import OUTPUT_LANGS

UP_TO_DATE, OUT_OF_DATE, MISSING, DAMAGED, FAILED, NOT_BUILT = (
    "up to date",
    "out of date",
    "missing",
    "damaged",
    "failed",
    "not built",
)


@dataclass(frozen=True)
class ReportState:
    lang: str
    country: str  # ISO3, "regional" or "theme-<code>"
    state: str

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.country}"


def _notebook(country: str) -> str:
    return notebook_for(country).as_posix()


def expected_reports(langs: list[str]) -> list[tuple[str, str]]:
    """Every report a year can have: the mission countries, the regional overview and the
    themes, in each language."""
    keys = [*reference.mission_countries(), REGIONAL]
    keys += [f"{reference.THEME_PREFIX}{code}" for code in reference.themes()["code"]]
    return [(lang, key) for lang in langs for key in keys]


def report_states(
    year: int,
    processed_dir: str = "data/processed",
    output_dir: str = "outputs",
    langs: tuple[str, ...] = OUTPUT_LANGS,
) -> list[ReportState]:
    """The state of every report of ``year`` (those in the manifest and those never built)."""
    manifest = read_manifest(output_dir, year)
    data = read_processed(processed_dir)
    shared = shared_digest(data, year)
    keys = dict.fromkeys(
        [*expected_reports(list(langs)), *(tuple(k.split("/", 1)) for k in manifest)]
    )
    out = []
    for lang, country in keys:
        entry = manifest.get(f"{lang}/{country}")
        if entry is None:
            out.append(ReportState(lang, country, NOT_BUILT))
            continue
        job = BriefJob(country, year, lang, _notebook(country), processed_dir, output_dir)
        if entry.get("status") != "ok":
            state = FAILED
        elif not job.pdf_path.exists():
            state = MISSING
        elif not pdf_intact(job.pdf_path, entry.get("pages")):
            state = DAMAGED
        else:
            snapshot = data_digest(data, country, year, shared)
            digest = input_hash(job, snapshot)
            state = UP_TO_DATE if entry.get("input_hash") == digest else OUT_OF_DATE
        out.append(ReportState(lang, country, state))
    return out


def stale_after(states: list[ReportState], built: set[str]) -> list[ReportState]:
    """Reports that were built once but are not up to date, other than those just built."""
    return [s for s in states if s.key not in built and s.state not in {UP_TO_DATE, NOT_BUILT}]


def rebuild_command(stale: list[ReportState], year: int) -> str:
    """The ``analysis briefs`` command that rebuilds exactly ``stale``."""
    countries = sorted(
        {s.country for s in stale if s.country != REGIONAL and not reference.theme_of(s.country)}
    )
    themes = sorted({reference.theme_of(s.country) for s in stale if reference.theme_of(s.country)})
    langs = sorted({s.lang for s in stale}, reverse=True)
    parts = ["analysis briefs", f"--year {year}", f"--lang {','.join(langs)}"]
    if countries:
        parts.append(f"--countries {','.join(countries)}")
    if any(s.country == REGIONAL for s in stale):
        parts.append("--regional")
    if themes:
        parts.append(f"--themes {','.join(themes)}")
    return " ".join(parts)


def stale_message(stale: list[ReportState], year: int) -> str:
    """'3 other reports are out of date: KAZ ru/en, regional ru — rebuild: analysis briefs …'"""
    by_report: dict[str, list[str]] = {}
    for s in stale:
        by_report.setdefault(s.country, []).append(s.lang)
    shown = ", ".join(
        f"{c} {'/'.join(sorted(ls, reverse=True))}" for c, ls in sorted(by_report.items())
    )
    noun = "report is" if len(stale) == 1 else "reports are"
    return (
        f"{len(stale)} other {noun} out of date or missing: {shown}; "
        f"rebuild them with: {rebuild_command(stale, year)}"
    )
