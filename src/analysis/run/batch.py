"""Render briefs: papermill per (country, language), HTML -> PDF in the worker, failures collected.

* Parallel: jobs run in a ``concurrent.futures.Executor`` (processes by default; any executor
  with the same interface, e.g. a cluster's, can be passed to :func:`run_batch`). Each kernel
  talks over IPC sockets in its own temporary folder, so parallel kernels never race for TCP
  ports, and each job writes only to its own temporary folder until the atomic rename.
* Incremental: a brief is rebuilt only when its input hash changes (notebook, parameters,
  processed data it reads, package version and code). The manifest
  ``<output>/briefs/<year>/manifest.json`` records every brief.
* Isolated failures: a failing cell is recorded as data (cell index, exception name and
  message); the partial executed notebook is kept; the other briefs complete.
"""

from __future__ import annotations

# nbformat, papermill and render are imported where briefs are executed: importing them costs
# seconds (jsonschema), which a rerun with nothing to rebuild must not pay.
import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

from analysis import storage
from analysis.indicators import monitoring_spans
from analysis.indicators.inputs import (
    REGIONAL,
    data_digest,
    read_processed,
    shared_digest,
    validate_parameters,
)
from analysis.privacy import notes
from analysis.publish import render
from analysis.version import __version__
from analysis.vocab import reference
from analysis.vocab.languages import LANGS

log = logging.getLogger(__name__)

KERNEL_NAME = "labour-briefs"
DEFAULT_NOTEBOOK = Path("notebooks/country_brief.ipynb")
REGIONAL_NOTEBOOK = Path("notebooks/regional_overview.ipynb")
THEME_NOTEBOOK = Path("notebooks/thematic_report.ipynb")


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
    notebook: str = DEFAULT_NOTEBOOK.as_posix(),
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


def _code_hash() -> str:
    """Hash of the installed package's code, templates and reference tables."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(str(files("analysis")))
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".j2", ".css", ".json"}:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hash(job: BriefJob, code_hash: str, data_hash: str) -> str:
    """What a brief depends on: notebook, parameters, the data it shows (``data_hash``, from
    :func:`analysis.indicators.inputs.data_digest`), package version and code."""
    digest = hashlib.sha256()
    digest.update(Path(job.notebook).read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(code_hash.encode())
    digest.update(data_hash.encode())
    folder = notes.notes_dir(job.processed_dir)
    for lang in LANGS:  # its note, and whether the other language has one
        path = notes.note_path(folder, job.year, job.country, lang)
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:16]


def manifest_path(output_dir: str, year: int) -> Path:
    return Path(output_dir) / "briefs" / str(year) / "manifest.json"


def read_manifest(output_dir: str, year: int) -> dict[str, dict]:
    """The manifest's entries by key; a damaged manifest is not trusted (every brief is
    rebuilt and the manifest rewritten)."""
    path = manifest_path(output_dir, year)
    if not path.exists():
        return {}
    try:
        entries = {
            f"{b['lang']}/{b['country']}": b
            for b in json.loads(path.read_text(encoding="utf-8"))["briefs"]
        }
    except (ValueError, KeyError, TypeError, OSError) as exc:
        log.warning("%s is damaged (%s): every brief is rebuilt", path, type(exc).__name__)
        return {}
    return {k: b for k, b in entries.items() if isinstance(b, dict)}


def pdf_intact(path: Path, pages: object = None) -> bool:
    """True when ``path`` is a whole PDF: header, end-of-file marker and, when known, the
    page count the manifest recorded (a truncated or damaged file is rebuilt, not trusted)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
    except OSError:
        return False
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        return False
    if isinstance(pages, int) and pages > 0:
        try:
            from pypdf import PdfReader

            return len(PdfReader(path).pages) == pages
        except Exception:
            return False
    return True


def write_manifest(output_dir: str, year: int, entries: dict[str, dict]) -> None:
    briefs = [entries[k] for k in sorted(entries)]
    storage.write_json(
        manifest_path(output_dir, year),
        {"year": year, "package_version": __version__, "briefs": briefs},
    )


# --------------------------------------------------------------------------- one brief


def _check_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise RuntimeError(
            f"Jupyter kernel {KERNEL_NAME!r} is not registered in this environment; run `make setup`"
        ) from None


def _clean_metadata(notebook, job: BriefJob) -> None:
    """No absolute paths of the building machine in the executed notebook."""
    meta = notebook.metadata.get("papermill", {})
    meta["input_path"] = job.notebook
    meta["output_path"] = job.notebook_path.as_posix()
    meta.pop("environment_variables", None)


_WORKER_KERNEL: dict = {}  # per worker process: one kernel reused by its briefs
_WORKER_WARM: dict = {}  # per worker process: background start-up threads
# Imported by the brief notebooks' first cell; a kernel that has them loaded runs a brief
# seconds sooner, and ``%reset -f`` between briefs keeps modules loaded.
KERNEL_PRELOAD = "import analysis.publish.brief, analysis.publish.charts, matplotlib.pyplot"


def prepare_worker(processed_dir: str | None = None) -> None:
    """Start this worker's slow parts at once, side by side, before its first brief arrives:
    the kernel (then the package imports inside it and, given ``processed_dir``, the data and
    the chart and template warm-up of :func:`analysis.publish.brief.warm_up`) and the PDF engine's
    one-time costs, in background threads, while the worker itself imports papermill.
    Idempotent; used as the process pool's initializer and again by :func:`render_brief` (so
    a foreign executor works).
    """
    import threading

    render.skip_slow_optional_imports()
    if _WORKER_WARM:
        return
    kernel = functools.partial(_start_kernel, processed_dir)
    for name, target in (("kernel", kernel), ("pdf", render.warm_up)):
        thread = threading.Thread(target=_quietly, args=(target,), name=f"warm-{name}", daemon=True)
        thread.start()
        _WORKER_WARM[name] = thread


def _quietly(target) -> None:
    # A warm-up that fails costs only time: the brief then does the work itself and reports
    # any real error with its own context.
    try:
        target()
    except Exception as exc:  # noqa: BLE001
        log.debug("worker warm-up %s failed: %s", target, exc)


def _await_warm(name: str) -> None:
    thread = _WORKER_WARM.get(name)
    if thread is not None:
        thread.join()


def _start_kernel(processed_dir: str | None = None):
    """Start this process's kernel on IPC sockets in a private folder (parallel kernels never
    race for TCP ports) and load the brief's imports (and, given ``processed_dir``, its data)
    into it."""
    from multiprocessing import util

    folder = tempfile.mkdtemp(prefix="brief-kernel-")
    km = _reused_kernel_manager()(
        kernel_name=KERNEL_NAME, transport="ipc", ip=str(Path(folder) / "kernel")
    )
    km.start_kernel(cwd=os.getcwd())
    _WORKER_KERNEL["km"] = km
    util.Finalize(km, _shutdown_kernel, args=(km, folder), exitpriority=10)
    warm = f"; analysis.publish.brief.warm_up({processed_dir!r})" if processed_dir else ""
    _run_in_kernel(km, f"{KERNEL_PRELOAD}{warm}\n{RESET}")
    return km


@functools.cache
def _reused_kernel_manager() -> type:
    """A KernelManager that keeps the clients it hands out, so that the worker can stop their
    channels after each brief: nbclient leaves that to the owner of a kernel passed in, and a
    client dropped with running channels keeps its sockets and heartbeat thread until garbage
    collection, which then warns "Could not destroy zmq context"."""
    from jupyter_client import KernelManager
    from traitlets import List

    class ReusedKernelManager(KernelManager):
        handed_out = List()

        def client(self, **kwargs):
            client = super().client(**kwargs)
            self.handed_out.append(client)
            return client

        def stop_clients(self) -> None:
            while self.handed_out:
                self.handed_out.pop().stop_channels()

    return ReusedKernelManager


def _run_in_kernel(km, code: str) -> None:
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(code, timeout=120, store_history=False)
    finally:
        client.stop_channels()
        with contextlib.suppress(ValueError, AttributeError):
            km.handed_out.remove(client)  # stopped here, not by the brief's stop_clients


# Between briefs the kernel's namespace is emptied while imported modules stay loaded.
RESET = "%reset -f"


def _worker_kernel():
    """This process's kernel: started on first use (or by :func:`prepare_worker`), restarted
    if it died, its namespace empty (``%reset -f`` after the preload and after each brief,
    see :func:`_reset_later`) while imported modules stay loaded, which saves the kernel
    start and the imports of every brief after the first."""
    _await_warm("kernel")
    km = _WORKER_KERNEL.get("km")
    if km is not None and km.is_alive():
        return km
    return _start_kernel()


def _reset_later(km) -> None:
    """Empty the kernel's namespace in the background while the worker writes the PDF, so the
    next brief does not wait for it (it waits in :func:`_worker_kernel` if need be)."""
    import threading

    thread = threading.Thread(
        target=_quietly, args=(functools.partial(_run_in_kernel, km, RESET),), daemon=True
    )
    thread.start()
    _WORKER_WARM["kernel"] = thread


def _shutdown_kernel(km, folder: str) -> None:
    import shutil

    try:
        km.shutdown_kernel(now=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def render_brief(
    job: BriefJob, digest: str = "", reuse_kernel: bool = True, snapshot: str = ""
) -> BriefResult:
    """Execute the notebook for one brief and write its PDF (runs inside a worker).

    ``snapshot``: the digest of the data the brief shows, computed once by the batch and
    handed to the notebook (which computes it itself when run alone).

    A failing cell does not raise: the result records the cell, exception name and message,
    and the partial executed notebook is kept where the executed notebook goes.
    """
    render.skip_slow_optional_imports()  # before nbformat is imported
    if reuse_kernel:
        prepare_worker()
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    result = BriefResult(
        job.country, job.lang, "failed", 0.0, input_hash=digest, parameters=job.parameters
    )
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        executed = Path(tmp) / "executed.ipynb"
        km = None
        try:
            km = _worker_kernel() if reuse_kernel else None
            pm.execute_notebook(
                job.notebook,
                str(executed),
                parameters={**job.parameters, "snapshot": snapshot},
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                # one write at the end (or at the failing cell), not two per cell
                request_save_on_cell_execute=False,
                cwd=".",
                **({"km": km} if km is not None else {}),
            )
        except PapermillExecutionError as exc:
            result.error = {"cell": exc.cell_index, "ename": exc.ename, "evalue": exc.evalue}
        except Exception as exc:  # kernel died, notebook missing...: reported, batch goes on
            result.error = {"cell": None, "ename": type(exc).__name__, "evalue": str(exc)}
        finally:
            if km is not None:
                km.stop_clients()
                _reset_later(km)
        if executed.exists():
            notebook = nbformat.read(str(executed), as_version=4)
            _clean_metadata(notebook, job)
            storage.write_text(job.notebook_path, nbformat.writes(notebook))
            result.notebook = job.notebook_path.as_posix()
            if result.error is None:
                _await_warm("pdf")
                try:
                    result.pages = render.notebook_to_pdf(notebook, job.pdf_path)
                    result.pdf = job.pdf_path.as_posix()
                    result.status = "ok"
                except Exception as exc:
                    result.error = {
                        "cell": None,
                        "ename": f"PDF {type(exc).__name__}",
                        "evalue": str(exc),
                    }
    result.seconds = round(time.perf_counter() - start, 2)
    return result


# --------------------------------------------------------------------------- the batch


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
    code_hash = _code_hash()
    data = read_processed(jobs[0].processed_dir)
    years = sorted({job.year for job in jobs})
    shared = {year: shared_digest(data, year) for year in years}
    manifests = {year: read_manifest(output_dir, year) for year in years}
    results: list[tuple[int, BriefResult]] = []
    todo: list[tuple[BriefJob, str, str]] = []
    for job in jobs:
        snapshot = data_digest(data, job.country, job.year, shared[job.year])
        digest = input_hash(job, code_hash, snapshot)
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


def start_workers(workers: int, processed_dir: str | None = None) -> ProcessPoolExecutor:
    """The batch's worker processes, started now rather than at the first brief: each starts
    its kernel (imports and data loaded) and warms its PDF engine in the background while the
    caller goes on planning. Give the pool to :func:`run_batch` with ``own_executor=True``."""
    workers = max(1, workers)
    executor = ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(processed_dir,)
    )
    for _ in range(workers):  # a pool starts its processes on demand: ask for all of them
        executor.submit(_ready)
    return executor


def _ready() -> None:
    """A task that does nothing: submitting it starts a worker process."""


def _init_worker(processed_dir: str | None = None) -> None:
    """Pool initializer: Ctrl-C is the main process's to handle (it stops the workers), so a
    worker never dies half-way through a write or blocks on its kernel's sockets."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prepare_worker(processed_dir)


def _stop_workers(executor: ProcessPoolExecutor, grace: float = 2.0) -> None:
    """Stop the pool's workers now: terminate, then kill those still alive after ``grace``
    seconds. Their kernels exit with them (a kernel watches its parent process); a brief
    being written is lost whole (atomic rename), never half-written."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


def summary_table(results: list[BriefResult]) -> str:
    """A plain-text table of the batch: one line per brief."""
    lines = [f"{'country':9} {'lang':4} {'status':11} {'pages':>5} {'sec':>6}  detail"]
    for r in results:
        detail = r.pdf if r.status in {"ok", "up to date"} else r.error_text
        lines.append(
            f"{r.country:9} {r.lang:4} {r.status:11} {r.pages:5d} {r.seconds:6.1f}  {detail}"
        )
    return "\n".join(lines)


def default_workers() -> int:
    return os.cpu_count() or 1
