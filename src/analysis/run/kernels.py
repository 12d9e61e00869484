"""One report in one Jupyter kernel: papermill executes the notebook in a warm kernel kept per
worker (IPC sockets in its own folder, so parallel kernels never race for ports), then the
executed notebook becomes HTML and PDF, written atomically."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import time
from pathlib import Path

from analysis import storage
from analysis.publish import render
from analysis.run.plan import BriefJob, BriefResult

log = logging.getLogger(__name__)

KERNEL_NAME = "labour-briefs"


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
