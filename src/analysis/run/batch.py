"""Render a year's reports: plan the jobs, skip those whose inputs did not change, run the
others in parallel, record every result in the manifest.

* Parallel: jobs run in a ``concurrent.futures.Executor`` (processes by default; any executor
  with the same interface, e.g. a cluster's, can be passed to :func:`run_batch`).
* Incremental: a brief is rebuilt only when its input hash changes (:mod:`.manifest`).
* Isolated failures: a failing cell is recorded as data (cell index, exception name and
  message); the partial executed notebook is kept; the other briefs complete."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, as_completed
from dataclasses import asdict

from analysis.indicators.inputs import (
    data_digest,
    read_processed,
    shared_digest,
)
from analysis.run.kernels import KERNEL_NAME, _check_kernel, render_brief
from analysis.run.manifest import (
    input_hash,
    manifest_path,
    pdf_intact,
    read_manifest,
    write_manifest,
)
from analysis.run.plan import BriefJob, BriefResult, plan, summary_table
from analysis.run.pool import _stop_workers, default_workers, start_workers

__all__ = [  # the run stage's front door: plan the jobs, run them, read what was built
    "KERNEL_NAME",
    "BriefJob",
    "BriefResult",
    "default_workers",
    "manifest_path",
    "pdf_intact",
    "plan",
    "read_manifest",
    "run_batch",
    "start_workers",
    "summary_table",
]

log = logging.getLogger(__name__)


def run_batch(
    jobs: list[BriefJob],
    workers: int,
    executor: Executor | None = None,
    force: bool = False,
    progress: bool = False,
    own_executor: bool = False,
) -> list[BriefResult]:
    """Render every job whose inputs changed (all with ``force``); one failure never stops the
    others. The manifest is updated as briefs finish, so an interrupted batch keeps what it did.

    ``executor``: where the briefs run (default: a process pool made here); with
    ``own_executor`` (a pool from :func:`start_workers`) it is the batch's to stop on Ctrl-C
    and to shut down at the end."""
    if not jobs:
        return []
    output_dir = jobs[0].output_dir
    data = read_processed(jobs[0].processed_dir)
    years = sorted({job.year for job in jobs})
    shared = {year: shared_digest(data, year) for year in years}
    manifests = {year: read_manifest(output_dir, year) for year in years}
    results: list[tuple[int, BriefResult]] = []
    todo: list[tuple[BriefJob, str, str]] = []
    for job in jobs:
        snapshot = data_digest(data, job.country, job.year, shared[job.year])
        digest = input_hash(job, snapshot)
        previous = manifests[job.year].get(job.key)
        if (
            not force
            and previous
            and previous.get("status") == "ok"
            and previous.get("input_hash") == digest
            and pdf_intact(job.pdf_path, previous.get("pages"))
        ):
            result = BriefResult(
                job.country,
                job.lang,
                "up to date",
                0.0,
                previous["pages"],
                job.pdf_path.as_posix(),
                previous.get("notebook", ""),
                None,
                digest,
                job.parameters,
            )
            results.append((job.year, result))
        else:
            todo.append((job, digest, snapshot))
    if todo:
        _check_kernel()
        results += _execute(todo, workers, executor, manifests, progress, own_executor)
    # Briefs found up to date keep their manifest entry (the run that built them).
    for year in years:
        executed = {
            r.key: asdict(r)
            for y, r in results
            if y == year and r.status not in {"interrupted", "up to date"}
        }
        write_manifest(output_dir, year, manifests[year] | executed)
    ordered = sorted(results, key=lambda yr: (yr[0], yr[1].lang, yr[1].country))
    return [r for _, r in ordered]


def _execute(
    todo, workers, executor, manifests, progress, own_executor=False
) -> list[tuple[int, BriefResult]]:
    """Render the jobs in one pool (every year of a decade archive together), one progress
    bar; each result is recorded in its year's manifest as it finishes."""
    from tqdm.auto import tqdm

    own = executor is None or own_executor
    executor = executor or start_workers(min(workers, len(todo)), todo[0][0].processed_dir)
    results: list[tuple[int, BriefResult]] = []
    bar = tqdm(total=len(todo), desc="briefs", unit="brief", disable=not progress, leave=True)
    futures = {}
    try:
        futures = {
            executor.submit(render_brief, job, digest, snapshot=snapshot): job
            for job, digest, snapshot in todo
        }
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker itself died
                result = BriefResult(
                    job.country,
                    job.lang,
                    "failed",
                    0.0,
                    error={"cell": None, "ename": type(exc).__name__, "evalue": str(exc)},
                    parameters=job.parameters,
                )
            results.append((job.year, result))
            manifests[job.year][job.key] = asdict(result)
            bar.update(1)
            bar.set_postfix_str(f"{job.year}/{job.lang}/{job.country} {result.status}")
    except KeyboardInterrupt:
        for future, job in futures.items():
            if not future.done():
                future.cancel()
                results.append(
                    (
                        job.year,
                        BriefResult(
                            job.country, job.lang, "interrupted", 0.0, parameters=job.parameters
                        ),
                    )
                )
        if own:
            _stop_workers(executor)
            own = False  # stopped: nothing left to wait for
        for year, manifest in manifests.items():
            write_manifest(todo[0][0].output_dir, year, manifest)
        raise
    finally:
        bar.close()
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
    return results
