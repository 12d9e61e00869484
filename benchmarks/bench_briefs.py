"""Benchmark the brief batch (issue 5), printing ratios measured in the same run.

Run by hand from the project root after ``make data``::

    .venv/bin/python benchmarks/bench_briefs.py [--countries KAZ,KGZ,...] [--langs ru,en]

1. The batch (``analysis briefs --force``, default jobs) against the naive loop a user would
   write: ``papermill`` CLI, then ``jupyter nbconvert --to html`` CLI, then WeasyPrint's CLI,
   one brief after another. Target (issue 18): the batch at least 10x faster.
2. One brief against the floor: a notebook that only imports pandas, numpy, matplotlib and
   seaborn, run through papermill. Target: a brief costs at most 1.2x the floor.
3. A rerun with nothing changed. Target: under 0.5 seconds (the fast path: no pandas import).
4. With ``--archive 2016-2025``: the decade archive (every monitored country in both
   languages plus the regional overviews, ``--years``, one pool). Target: under 6 minutes.
   Printed against the batch's own time per brief in step 1, so it reads as a ratio too.
Outputs go to a temporary folder; the project's outputs/ are not touched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.vocab import reference

BIN = Path(sys.executable).parent
FLOOR_SOURCE = "import pandas, numpy, matplotlib, seaborn\n"


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def naive_loop(jobs: list[tuple[str, str]], year: int, out: Path) -> float:
    start = time.perf_counter()
    for country, lang in jobs:
        nb = out / f"{country}_{lang}.ipynb"
        subprocess.run([str(BIN / "papermill"), "notebooks/country_brief.ipynb", str(nb), "-k", "labour-briefs",
                        "-p", "country", country, "-p", "year", str(year), "-p", "lang", lang,
                        "-p", "figures_dir", str(out / "figures")], check=True, capture_output=True)  # fmt: skip
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
                       check=True, capture_output=True)  # fmt: skip
        subprocess.run([str(BIN / "weasyprint"), str(nb.with_suffix(".html")), str(nb.with_suffix(".pdf"))],
                       check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def floor_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell(FLOOR_SOURCE)])  # fmt: skip
    nb.metadata["kernelspec"] = {
        "name": "labour-briefs",
        "display_name": "labour-briefs",
        "language": "python",
    }
    nbformat.write(nb, path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--countries", default=",".join(reference.mission_countries()))
    parser.add_argument("--langs", default="ru,en")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--archive", default="", help="e.g. 2016-2025: also time a decade archive")
    parser.add_argument("--no-naive", action="store_true", help="skip the (slow) naive loop")
    args = parser.parse_args()
    countries, langs = args.countries.split(","), args.langs.split(",")
    jobs = [(c, lang) for lang in langs for c in countries]
    analysis = [str(BIN / "analysis"), "briefs", "--year", str(args.year), "--countries", args.countries,
                "--lang", args.langs]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batch = timed([*analysis, "--force", "--output-dir", str(tmp / "batch")])
        rerun = timed([*analysis, "--output-dir", str(tmp / "batch")])
        one = timed([*analysis[:-4], "--countries", countries[0], "--lang", langs[0], "--force",
                     "--output-dir", str(tmp / "one")])  # fmt: skip
        floor_notebook(tmp / "floor.ipynb")
        floor = timed(
            [
                str(BIN / "papermill"),
                str(tmp / "floor.ipynb"),
                str(tmp / "floor_out.ipynb"),
                "-k",
                "labour-briefs",
            ]
        )
        archive = None
        if args.archive:
            archive_out = tmp / "archive"
            archive = timed([str(BIN / "analysis"), "briefs", "--years", args.archive, "--regional",
                             "--force", "--output-dir", str(archive_out)])  # fmt: skip
            archive_n = len(list(archive_out.glob("briefs/*/*/*.pdf")))
        (tmp / "naive").mkdir()
        naive = None if args.no_naive else naive_loop(jobs, args.year, tmp / "naive")
    n = len(jobs)
    print(f"briefs: {n} ({', '.join(countries)} x {', '.join(langs)})")
    if naive is not None:
        print(
            f"naive loop (papermill CLI + nbconvert CLI + weasyprint CLI, sequential): {naive:7.1f} s"
        )
    print(f"batch (analysis briefs --force, default jobs)                         : {batch:7.1f} s")
    if naive is not None:
        print(f"  ratio naive / batch : {naive / batch:5.2f}x   (target >= 10x)")
    print(f"one brief (CLI, one job)                                              : {one:7.1f} s")
    print(
        f"floor (papermill of a notebook importing pandas/numpy/matplotlib/seaborn): {floor:5.1f} s"
    )
    print(f"  ratio brief / floor : {one / floor:5.2f}x   (target <= 1.2x)")
    print(
        f"rerun with nothing changed                                            : {rerun:7.2f} s   (target < 0.5 s)"
    )
    if archive is not None:
        per = batch / n
        print(
            f"decade archive {args.archive} ({archive_n} PDFs, --regional)            : {archive:7.1f} s   (target < 360 s)"
        )
        print(f"  per brief {archive / archive_n:5.2f} s against {per:5.2f} s in the 12-brief batch"
              f" ({archive / archive_n / per:5.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
