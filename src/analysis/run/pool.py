"""The worker processes of a batch: started warm (kernel and tables loaded), stopped cleanly."""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor

from analysis.run.kernels import prepare_worker


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


def default_workers() -> int:
    return os.cpu_count() or 1
