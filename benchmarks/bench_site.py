"""The web edition against the PDFs: build the year's site and render the year's PDFs, each from
scratch (``--force``) in the same run, and print the times and their ratio (target: the site
takes less time than the PDFs). Run by hand from the project root after ``make briefs``:

    .venv/bin/python benchmarks/bench_site.py [--year 2025]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time


def _timed(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", *arguments], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="2025")
    args = parser.parse_args()
    pdfs = _timed(["briefs", "--regional", "--themes", "all", "--year", args.year, "--force"])
    site = _timed(["site", "--year", args.year, "--force"])
    nothing = _timed(["site", "--year", args.year])
    print(f"PDFs (24 reports): {pdfs:.1f} s")
    print(f"site (same reports, from scratch): {site:.1f} s  ratio site/PDFs = {site / pdfs:.2f}")
    print(f"site again, nothing changed: {nothing:.1f} s  ratio = {nothing / pdfs:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
