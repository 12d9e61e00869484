"""Command line: ``analysis clean | briefs | proof | ilo-pack | export | import | fetch | data-dictionary``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from analysis.paths import COUNTRY_NOTEBOOK, REGIONAL_NOTEBOOK, THEME_NOTEBOOK
from analysis.run.data_commands import (
    cmd_aliases,
    cmd_clean,
    cmd_data_dictionary,
    cmd_fetch,
    cmd_import,
    cmd_template,
)
from analysis.vocab.languages import OUTPUT_LANGS


def _csv_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def cmd_briefs(args: argparse.Namespace) -> int:
    from analysis.run import uptodate
    from analysis.version import __version__

    arguments = {
        key: getattr(args, key)
        for key in (
            "countries",
            "year",
            "years",
            "lang",
            "regional",
            "themes",
            "figures",
            "processed_dir",
            "output_dir",
            "notebook",
        )
    } | {"version": __version__}
    notebooks = [args.notebook, REGIONAL_NOTEBOOK.as_posix(), THEME_NOTEBOOK.as_posix()]
    if not args.force:  # the fast path: nothing changed since this very command ran
        known = uptodate.check(arguments, args.processed_dir, args.output_dir, notebooks)
        if known:
            print(
                f"nothing to do: all {known} briefs are up to date (use --force to rebuild); "
                "the state of every other report: analysis status"
            )
            return 0
    from analysis.run import batch

    try:
        years = args.years or [args.year]
        jobs = []
        for year in years:  # a decade archive: every year's briefs through one pool
            jobs += batch.plan(
                args.countries,
                year,
                args.lang,
                args.processed_dir,
                args.output_dir,
                args.notebook,
                regional=args.regional,
                themes=args.themes,
                figures=args.figures,
            )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted before any brief was started", file=sys.stderr)
        return 130
    workers = args.jobs or batch.default_workers()
    # Parameters are checked (above) before any kernel starts; the workers then start their
    # kernels and PDF engines while the batch hashes every brief's inputs.
    pool = batch.start_workers(min(workers, len(jobs)), args.processed_dir)
    try:
        return _render(args, jobs, pool, workers, arguments, notebooks)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _render(args, jobs, pool, workers, arguments, notebooks) -> int:
    """Run the planned briefs in ``pool`` and print the summary; the exit status."""
    from analysis.run import batch, uptodate

    span = sorted({job.year for job in jobs})
    when = str(span[0]) if len(span) == 1 else f"{span[0]}-{span[-1]}"
    print(f"{len(jobs)} briefs for {when}, up to {workers} worker(s)", file=sys.stderr)
    try:
        results = batch.run_batch(
            jobs,
            workers,
            pool,
            force=args.force,
            progress=sys.stderr.isatty() or args.progress,
            own_executor=True,
        )
    except KeyboardInterrupt:
        print("interrupted: finished briefs are kept, no partial PDF was written", file=sys.stderr)
        return 130
    except ValueError as exc:  # processed data damaged since planning
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(batch.summary_table(results))
    if results and all(r.status in {"ok", "up to date"} for r in results):
        uptodate.remember(
            arguments, args.processed_dir, args.output_dir, notebooks, [r.pdf for r in results]
        )
    skipped = sum(r.status == "up to date" for r in results)
    if skipped == len(results):
        print(f"nothing to do: all {skipped} briefs are up to date (use --force to rebuild)")
    failed = [r for r in results if r.status not in {"ok", "up to date"}]
    print(f"manifest: {batch.manifest_path(args.output_dir, jobs[0].year)}")
    _say_stale(args, jobs, results)
    if failed:
        print(f"{len(failed)} of {len(results)} briefs failed", file=sys.stderr)
        return 1
    return 0


def _say_stale(args, jobs, results) -> None:
    """After a run: the other reports of its years whose inputs changed but were not rebuilt
    (or whose PDF is missing or damaged), with the command that rebuilds them."""
    from analysis.run import status

    built = {r.key for r in results}
    for year in sorted({job.year for job in jobs}):
        try:
            states = status.report_states(year, args.processed_dir, args.output_dir)
        except (OSError, ValueError) as exc:
            print(f"could not check the other reports of {year}: {exc}", file=sys.stderr)
            continue
        stale = status.stale_after(states, built)
        if stale:
            print(status.stale_message(stale, year), file=sys.stderr)


def cmd_status(args: argparse.Namespace) -> int:
    from analysis.indicators.inputs import ProcessedDataError, read_processed, spans_in
    from analysis.run import status

    try:
        year = args.year or max(s[1] for s in spans_in(read_processed(args.processed_dir)).values())
        states = status.report_states(year, args.processed_dir, args.output_dir, tuple(args.lang))
    except (ProcessedDataError, OSError, ValueError) as exc:
        print(f"error: {exc} (run `analysis clean` first)", file=sys.stderr)
        return 2
    print(f"{'report':<28} {'lang':<5} state")
    for s in states:
        print(f"{s.country:<28} {s.lang:<5} {s.state}")
    stale = [s for s in states if s.state != status.UP_TO_DATE]
    if stale:
        print(f"rebuild: {status.rebuild_command(stale, year)}")
    return 1 if any(s.state != status.UP_TO_DATE for s in states) else 0


def cmd_export(args: argparse.Namespace) -> int:
    from analysis.publish.render import export_notebook

    stale = _older_than_data(Path(args.notebook), Path(args.processed_dir))
    if stale and not args.force:
        print(
            f"error: {args.notebook} was executed before the processed data last changed "
            f"({stale}); run `analysis briefs` again, or pass --force to export it as it is",
            file=sys.stderr,
        )
        return 2
    if stale:
        print(f"warning: exporting {args.notebook}, older than the data ({stale})", file=sys.stderr)
    target = Path(args.output or Path(args.notebook).with_suffix(".pdf"))
    pages = export_notebook(args.notebook, target)
    print(f"wrote {target} ({pages} pages)")
    return 0


def _older_than_data(notebook: Path, processed_dir: Path) -> str | None:
    """Which processed table changed after ``notebook`` was executed, or None."""
    try:
        executed = notebook.stat().st_mtime
    except OSError:
        return None
    for table in sorted(processed_dir.glob("*.parquet")):
        if table.stat().st_mtime > executed:
            return f"{table.as_posix()} is newer"
    return None


def cmd_ilo_pack(args: argparse.Namespace) -> int:
    from analysis.publish import ilo_pack

    try:
        written = ilo_pack.write(
            args.country.upper(),
            args.since,
            args.until,
            args.lang,
            args.processed_dir,
            args.output_dir,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def cmd_proof(args: argparse.Namespace) -> int:
    from analysis.publish.proof import proof

    try:
        result = proof(args.year, args.output_dir, args.dpi)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(result.pages)} pages as PNG; contact sheets:")
    for sheet in result.sheets:
        print(f"  {sheet}")
    return 0


def _year_span(text: str) -> list[int]:
    """'2016-2025' -> [2016, ..., 2025]; '2019' -> [2019]."""
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YEAR or YEAR-YEAR, got {text!r}") from None
    if end < start or end - start > 50:
        raise argparse.ArgumentTypeError(f"not a span of years: {text!r}")
    return list(range(start, end + 1))


def cmd_site(args: argparse.Namespace) -> int:
    from analysis.indicators.inputs import ProcessedDataError, read_processed
    from analysis.publish.site import SiteError, build_site

    try:
        year = args.year or int(read_processed(args.processed_dir).violations["year"].max())
        reports = _csv_list(args.reports) if args.reports else None
        report = build_site(
            year, _csv_list(args.lang), args.processed_dir, args.output_dir, args.force, reports
        )
    except (ProcessedDataError, SiteError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(report.built)} page(s) built, {len(report.unchanged)} unchanged: {report.root}")
    for page, why in report.refused:
        print(f"REFUSED {page}: {why}; the page is not published", file=sys.stderr)
    print(f"look at it: python -m http.server --directory {report.root.parent} (then /{year}/)")
    return 1 if report.refused else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analysis", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)

    clean = sub.add_parser("clean", help="clean raw partner files into processed tables")
    clean.add_argument("--raw-dir", default="data/raw")
    clean.add_argument("--processed-dir", default="data/processed")
    clean.add_argument("--external-dir", default="data/external", help="imported public series")
    clean.set_defaults(func=cmd_clean)

    briefs = sub.add_parser("briefs", help="render country briefs to PDF")
    briefs.add_argument("--year", type=int, default=None, help="default: latest year in the data")
    briefs.add_argument(
        "--years",
        type=_year_span,
        default=None,
        help="a decade archive, e.g. 2016-2025 (one manifest per year)",
    )
    briefs.add_argument(
        "--figures", action="store_true", help="also save every chart as PNG and SVG for slides"
    )
    briefs.add_argument("--lang", type=_csv_list, default=list(OUTPUT_LANGS), help="e.g. ru,en")
    briefs.add_argument(
        "--countries", type=_csv_list, default=None, help="ISO3 codes, e.g. KAZ,TJK"
    )
    briefs.add_argument("--regional", action="store_true", help="also render the regional overview")
    briefs.add_argument(
        "--themes",
        type=_csv_list,
        default=None,
        help="thematic reports: all, or codes of data/themes.csv",
    )
    briefs.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    briefs.add_argument(
        "--progress", action="store_true", help="show the progress bar even when not a terminal"
    )
    briefs.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    briefs.add_argument("--processed-dir", default="data/processed")
    briefs.add_argument("--output-dir", default="outputs")
    briefs.add_argument("--notebook", default=COUNTRY_NOTEBOOK.as_posix())
    briefs.set_defaults(func=cmd_briefs)

    export = sub.add_parser("export", help="PDF of an executed brief notebook")
    export.add_argument("notebook")
    export.add_argument("--output", default=None)
    export.add_argument("--processed-dir", default="data/processed")
    export.add_argument(
        "--force", action="store_true", help="export a notebook older than the processed data"
    )
    status = sub.add_parser("status", help="every report's state: up to date, out of date, missing")
    status.add_argument("--year", type=int, default=None, help="default: latest year in the data")
    status.add_argument("--lang", type=_csv_list, default=list(OUTPUT_LANGS), help="e.g. ru,en")
    status.add_argument("--processed-dir", default="data/processed")
    status.add_argument("--output-dir", default="outputs")
    status.set_defaults(func=cmd_status)
    export.set_defaults(func=cmd_export)
    importer = sub.add_parser(
        "import",
        help="import publishers' files as published (World Bank WDI, UN DESA, KNOMAD, ILOSTAT, Open SDG)",
    )
    importer.add_argument(
        "source",
        choices=["wdi", "undesa", "knomad", "ilostat", "opensdg", "auto"],
        help="the publisher, or auto: recognise each file's layout (and say which)",
    )
    importer.add_argument(
        "files",
        nargs="+",
        help="files, folders or glob patterns of publishers' downloads (.csv, .xls, .xlsx, .zip, .gz)",
    )
    importer.add_argument(
        "--vintage",
        default=None,
        help="release of files that do not state it (Open SDG extracts), e.g. 2024-03-18",
    )
    importer.add_argument(
        "--indicator", default=None, help="WDI code for long files without metadata"
    )
    importer.add_argument("--raw-dir", default="data/raw")
    importer.add_argument("--processed-dir", default="data/processed")
    importer.add_argument("--external-dir", default="data/external", help="where series land")
    importer.add_argument(
        "--no-clean", action="store_true", help="do not run `analysis clean` afterwards"
    )
    importer.set_defaults(func=cmd_import)

    fetch = sub.add_parser("fetch", help="download public data (World Bank API) and import it")
    fetch.add_argument("source", choices=["wdi"])
    fetch.add_argument(
        "--indicators", type=_csv_list, default=None, help="WDI codes, comma-separated"
    )
    fetch.add_argument("--raw-dir", default="data/raw")
    fetch.add_argument("--processed-dir", default="data/processed")
    fetch.add_argument("--external-dir", default="data/external", help="where series land")
    fetch.add_argument("--no-clean", action="store_true")
    fetch.set_defaults(func=cmd_fetch)

    aliases = sub.add_parser(
        "aliases", help="check the project mappings, or add the suggestions marked in a CSV"
    )
    aliases.add_argument(
        "--accept",
        default=None,
        help="data/processed/suggestions.csv with its accept column filled (a code, or 1/2/3)",
    )
    aliases.add_argument("--mappings-dir", default="data/mappings")
    aliases.set_defaults(func=cmd_aliases)

    tmpl = sub.add_parser("template", help="the XLSX workbook partners fill in (one per language)")
    tmpl.add_argument("--lang", type=_csv_list, default=list(OUTPUT_LANGS), help="e.g. ru,en")
    tmpl.add_argument("--output-dir", default="outputs/templates")
    tmpl.set_defaults(func=cmd_template)

    pack = sub.add_parser(
        "ilo-pack", help="cases and acts per ILO convention for one country and period (PDF, XLSX)"
    )
    pack.add_argument("--country", required=True, help="ISO3 code, e.g. KAZ")
    pack.add_argument("--since", required=True, help="first day, YYYY-MM-DD")
    pack.add_argument("--until", required=True, help="last day, YYYY-MM-DD")
    pack.add_argument("--lang", type=_csv_list, default=list(OUTPUT_LANGS), help="e.g. ru,en")
    pack.add_argument("--processed-dir", default="data/processed")
    pack.add_argument("--output-dir", default="outputs")
    pack.set_defaults(func=cmd_ilo_pack)

    proof = sub.add_parser(
        "proof", help="every page of a year's briefs as PNG, one contact sheet per language"
    )
    proof.add_argument("--year", type=int, default=None, help="default: the latest year built")
    proof.add_argument("--output-dir", default="outputs")
    proof.add_argument("--dpi", type=int, default=70)
    proof.set_defaults(func=cmd_proof)

    dictionary = sub.add_parser(
        "data-dictionary", help="write the data dictionary from the declared schemas"
    )
    dictionary.add_argument("--output", default="docs/data_dictionary.md")
    dictionary.set_defaults(func=cmd_data_dictionary)
    site = sub.add_parser(
        "site", help="the year's reports as a static web edition (outputs/site/<year>/)"
    )
    site.add_argument(
        "--year", type=int, default=None, help="default: the latest year with records"
    )
    site.add_argument("--lang", default=",".join(OUTPUT_LANGS))
    site.add_argument("--processed-dir", default="data/processed")
    site.add_argument("--output-dir", default="outputs")
    site.add_argument("--force", action="store_true", help="rebuild every page")
    site.add_argument("--reports", default=None, help="only these reports, e.g. KGZ,regional")
    site.set_defaults(func=cmd_site)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
