"""The commands that bring data in and describe it: ``clean``, ``import``, ``fetch``,
``aliases``, ``template``, ``data-dictionary`` (heavy modules imported inside each command, so
that ``analysis --help`` and the "nothing to do" path stay light)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _check_folders(raw_dir: str, processed_dir: str) -> str | None:
    """What is wrong with the folders of ``clean``, in one line, before any work starts."""
    from analysis.storage import folder_problem

    if not Path(raw_dir).is_dir():
        return f"raw folder {raw_dir} not found (run from the project root, or pass --raw-dir)"
    problem = folder_problem(processed_dir, beside=True)
    return f"processed folder {problem}" if problem else None


def cmd_clean(args: argparse.Namespace) -> int:
    problem = _check_folders(args.raw_dir, args.processed_dir)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from analysis.clean import clean_all

    try:
        report = clean_all(
            Path(args.raw_dir), Path(args.processed_dir), external_dir=Path(args.external_dir)
        )
    except KeyboardInterrupt:
        print(
            f"interrupted: nothing written, {args.processed_dir} is as it was before this run",
            file=sys.stderr,
        )
        return 130
    for name, entry in report["datasets"].items():
        print(
            f"{name:12} in {entry['rows_in']:7d}  kept {entry['rows_kept']:7d}  "
            f"merged {entry['rows_merged_duplicates']:6d}  rejected {entry['rows_rejected']:6d}"
        )
    print(f"report: {Path(args.processed_dir) / 'quality_report.md'}")
    if report["unreadable_files"]:  # each was logged once as it was met
        print(
            f"{len(report['unreadable_files'])} file(s) could not be read or cleaned: their "
            "rows are not in the tables (see the report)",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_data_dictionary(args: argparse.Namespace) -> int:
    from analysis import storage
    from analysis.schema import data_dictionary_markdown

    storage.write_text(args.output, data_dictionary_markdown())
    print(f"wrote {args.output}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from analysis.ingest.importers import import_files
    from analysis.ingest.publishers import PublisherFormatError
    from analysis.vocab.vocabulary import Vocabulary

    try:
        vocab = Vocabulary.load(Path(args.raw_dir).parent / "mappings")
        report = import_files(
            args.source, args.files, args.external_dir, args.indicator, args.vintage, vocab
        )
    except (PublisherFormatError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()) or "nothing to import")
    if report.failed:
        print(
            f"error: {len(report.failed)} file(s) not imported (listed above); "
            f"{len(report.imported)} series imported",
            file=sys.stderr,
        )
    code = 0 if args.no_clean or not report.imported else cmd_clean(args)
    return code or (1 if report.failed or not report.imported else 0)


def cmd_fetch(args: argparse.Namespace) -> int:
    from analysis.ingest.wdi import DEFAULT_FETCH, OfflineError, fetch_wdi

    try:
        report = fetch_wdi(args.indicators or DEFAULT_FETCH, args.external_dir)
    except OfflineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print("\n".join(report.lines()))
    return cmd_clean(args) if not args.no_clean else 0


def cmd_aliases(args: argparse.Namespace) -> int:
    from analysis.vocab import project as mappings

    try:
        if args.accept:
            added = mappings.accept(args.accept, args.mappings_dir)
            if not added:
                print(f"nothing marked in the accept column of {args.accept}")
                return 1
            for kind, n in added.items():
                print(f"{n} alias(es) added to {args.mappings_dir}/{kind}.csv")
            print("run `analysis clean` (or `make data`) to use them")
            return 0
        found = mappings.read_project(args.mappings_dir)
    except (mappings.MappingError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(len(a) for a in found.aliases.values())
    print(f"{args.mappings_dir}: {total} valid project aliases")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from analysis.ingest import template

    try:
        for path in template.write(args.lang, args.output_dir):
            print(path)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
