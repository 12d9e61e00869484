"""Check that a speed-up changed nothing a reader sees: two output folders, same pages.

Run by hand from the project root, e.g. before and after a change::

    cp -r outputs /tmp/before            # the briefs built by the old code
    make briefs                          # rebuild with the new code (or analysis briefs --force)
    .venv/bin/python benchmarks/same_outputs.py /tmp/before outputs

Every PDF under ``briefs/`` of the first folder must exist in the second with the same number
of pages, every page rendered at 100 dpi pixel-identical, and the same attached CSV files
byte for byte. Prints one line per PDF and exits 1 on any difference. With ``--tables A B``
it compares two processed-data folders instead: every parquet table equal (values and dtypes)
and every other file byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _pages(pdf: Path) -> list[bytes]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.render(scale=100 / 72).to_pil().convert("RGB").tobytes() for page in document]
    finally:
        document.close()


def _attachments(pdf: Path) -> dict[str, bytes]:
    from pypdf import PdfReader

    return {name: b"".join(data) for name, data in PdfReader(pdf).attachments.items()}


def compare_pdfs(before: Path, after: Path) -> list[str]:
    problems = []
    pdfs = sorted((before / "briefs").rglob("*.pdf"))
    if not pdfs:
        return [f"no PDF under {before / 'briefs'}"]
    for old in pdfs:
        new = after / old.relative_to(before)
        if not new.exists():
            problems.append(f"{new}: missing")
            continue
        old_pages, new_pages = _pages(old), _pages(new)
        if len(old_pages) != len(new_pages):
            problems.append(f"{new}: {len(new_pages)} pages, was {len(old_pages)}")
            continue
        changed = [
            i + 1 for i, (a, b) in enumerate(zip(old_pages, new_pages, strict=True)) if a != b
        ]
        if changed:
            problems.append(f"{new}: pages {changed} differ")
        if _attachments(old) != _attachments(new):
            problems.append(f"{new}: attachments differ")
        print(
            f"{'same' if not changed else 'DIFF'} {old.relative_to(before)} ({len(old_pages)} pages)"
        )
    return problems


def compare_tables(before: Path, after: Path) -> list[str]:
    import pandas as pd

    problems = []
    for old in sorted(p for p in before.rglob("*") if p.is_file() and not p.name.startswith(".")):
        new = after / old.relative_to(before)
        if not new.exists():
            problems.append(f"{new}: missing")
        elif old.suffix == ".parquet":
            a, b = pd.read_parquet(old), pd.read_parquet(new)
            if not (a.dtypes.equals(b.dtypes) and a.equals(b)):
                problems.append(f"{new}: table differs")
        elif old.read_bytes() != new.read_bytes():
            problems.append(f"{new}: bytes differ")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--tables", action="store_true", help="compare processed-data folders")
    args = parser.parse_args()
    compare = compare_tables if args.tables else compare_pdfs
    problems = compare(args.before, args.after)
    for problem in problems:
        print(problem)
    print("identical" if not problems else f"{len(problems)} difference(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
