"""Render country briefs: papermill per (country, language), then HTML -> PDF, failures collected."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
import pandas as pd

from analysis import io, reference, render
from analysis.text import LANGS

log = logging.getLogger(__name__)

KERNEL_NAME = "labour-briefs"
DEFAULT_NOTEBOOK = Path("notebooks/country_brief.ipynb")
REGIONAL_NOTEBOOK = Path("notebooks/regional_overview.ipynb")
REGIONAL = "regional"


@dataclass(frozen=True)
class BriefJob:
    country: str
    year: int
    lang: str
    notebook: str  # relative to the project root
    processed_dir: str  # relative to the project root, as the notebook receives it
    output_dir: str

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
    status: str  # "ok" | "failed"
    seconds: float
    pages: int = 0
    pdf: str = ""
    notebook: str = ""
    error: str = ""
    failed_cell: int | None = None


def data_years(processed_dir: str | Path) -> list[int]:
    """Years present in the processed violations, legislation and migration tables."""
    years: set[int] = set()
    for name in ("violations", "legislation", "migration"):
        path = Path(processed_dir) / f"{name}.parquet"
        if path.exists():
            years |= set(pd.read_parquet(path, columns=["year"])["year"].astype(int))
    return sorted(years)


def validate_parameters(
    countries: list[str], year: int, langs: list[str], years: list[int]
) -> None:
    """Refuse unknown countries, years outside the data and unsupported languages, listing valid values."""
    valid = reference.mission_countries()
    problems = []
    unknown = [c for c in countries if c not in valid]
    if unknown:
        problems.append(f"unknown country code(s) {unknown}; valid: {', '.join(valid)}")
    if year not in years:
        span = f"{years[0]}-{years[-1]}" if years else "none (run `analysis clean` first)"
        problems.append(f"year {year} is not in the data; years available: {span}")
    bad_langs = [lang for lang in langs if lang not in LANGS]
    if bad_langs:
        problems.append(f"unsupported language(s) {bad_langs}; valid: {', '.join(LANGS)}")
    if problems:
        raise ValueError("; ".join(problems))


def _check_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise RuntimeError(
            f"Jupyter kernel {KERNEL_NAME!r} is not registered in this environment; run `make setup`"
        ) from None


def _clean_metadata(notebook: nbformat.NotebookNode, job: BriefJob) -> None:
    """No absolute paths of the building machine in the executed notebook."""
    meta = notebook.metadata.get("papermill", {})
    meta["input_path"] = job.notebook
    meta["output_path"] = job.notebook_path.as_posix()
    meta.pop("environment_variables", None)


def render_brief(job: BriefJob) -> BriefResult:
    """Execute the brief notebook for one country and language and write its PDF.

    A failing cell does not raise: the result says which cell failed and why, and the partial
    executed notebook is kept beside where the PDF would have been, for debugging.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    result = BriefResult(job.country, job.lang, "failed", 0.0)
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        executed = Path(tmp) / "executed.ipynb"
        try:
            pm.execute_notebook(
                job.notebook,
                str(executed),
                parameters={"country": job.country, "year": job.year, "lang": job.lang,
                            "processed_dir": job.processed_dir, "figures_dir": f"{job.output_dir}/figures"},
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                cwd=".",
            )  # fmt: skip
        except PapermillExecutionError as exc:
            result.error = f"{exc.ename}: {exc.evalue}"
            result.failed_cell = exc.cell_index
        except Exception as exc:  # kernel died, notebook missing...: reported, batch goes on
            result.error = f"{type(exc).__name__}: {exc}"
        if executed.exists():
            notebook = nbformat.read(str(executed), as_version=4)
            _clean_metadata(notebook, job)
            io.write_text(job.notebook_path, nbformat.writes(notebook))
            result.notebook = job.notebook_path.as_posix()
            if not result.error:
                try:
                    result.pages = render.html_to_pdf(
                        render.notebook_to_html(notebook), job.pdf_path
                    )
                    result.pdf = job.pdf_path.as_posix()
                    result.status = "ok"
                except Exception as exc:
                    result.error = f"PDF: {type(exc).__name__}: {exc}"
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def run_batch(
    jobs: list[BriefJob], workers: int, executor: Executor | None = None
) -> list[BriefResult]:
    """Render every job; one failure never stops the others."""
    _check_kernel()
    own = executor is None
    executor = executor or ProcessPoolExecutor(max_workers=max(1, workers))
    results = []
    try:
        futures = {executor.submit(render_brief, job): job for job in jobs}
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker itself died
                result = BriefResult(
                    job.country, job.lang, "failed", 0.0, error=f"{type(exc).__name__}: {exc}"
                )
            results.append(result)
            where = f" (cell {result.failed_cell})" if result.failed_cell is not None else ""
            log.info("[%d/%d] %s %s: %s%s %s", done, len(jobs), job.country, job.lang, result.status,
                     where, result.error)  # fmt: skip
    finally:
        if own:
            executor.shutdown(cancel_futures=True)
    return sorted(results, key=lambda r: (r.lang, r.country))


def plan(
    countries: list[str] | None,
    year: int | None,
    langs: list[str],
    processed_dir: str = "data/processed",
    output_dir: str = "outputs",
    notebook: str = DEFAULT_NOTEBOOK.as_posix(),
    regional: bool = False,
) -> list[BriefJob]:
    """Validated jobs: every country x language for ``year`` (default: the latest year in the
    data), plus the regional overview per language when ``regional``."""
    years = data_years(processed_dir)
    year = year if year is not None else (max(years) if years else 0)
    countries = countries if countries is not None else reference.mission_countries()
    validate_parameters(countries, year, langs, years)
    notebooks = [notebook, *([REGIONAL_NOTEBOOK.as_posix()] if regional else [])]
    for path in notebooks:
        if not Path(path).exists():
            raise ValueError(f"notebook {path} not found (run from the project root)")
    jobs = [
        BriefJob(c, year, lang, notebook, processed_dir, output_dir)
        for lang in langs
        for c in countries
    ]
    if regional:
        regional_nb = REGIONAL_NOTEBOOK.as_posix()
        jobs += [
            BriefJob(REGIONAL, year, lang, regional_nb, processed_dir, output_dir) for lang in langs
        ]
    return jobs


def summary_table(results: list[BriefResult]) -> str:
    """A plain-text table of the batch: one line per brief."""
    lines = [f"{'country':8} {'lang':4} {'status':7} {'pages':>5} {'sec':>6}  detail"]
    for r in results:
        detail = (
            r.pdf
            if r.status == "ok"
            else f"cell {r.failed_cell}: {r.error}"
            if r.failed_cell is not None
            else r.error
        )
        lines.append(
            f"{r.country:8} {r.lang:4} {r.status:7} {r.pages:5d} {r.seconds:6.1f}  {detail}"
        )
    return "\n".join(lines)


def default_workers() -> int:
    return os.cpu_count() or 1


def results_as_dicts(results: list[BriefResult]) -> list[dict]:
    return [asdict(r) for r in results]
