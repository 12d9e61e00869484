"""Stage 2 for every dataset: clean ``raw/`` into ``processed/`` as one whole, replaced at the end."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from analysis import schema, storage
from analysis.clean import feedback, partners
from analysis.clean.accounting import account
from analysis.clean.checks import (
    large_jumps,
    publisher_zeros,
    source_disagreements,
    superseded_values,
)
from analysis.clean.common import Cleaned
from analysis.clean.legislation import clean_legislation
from analysis.clean.migration import clean_migration, with_public
from analysis.clean.names import shield_frame
from analysis.clean.raw import read_dataset
from analysis.clean.report import (
    quality_report_markdown,
    rename_files,
    renamed_files,
    shield_report,
)
from analysis.clean.violations import clean_violations
from analysis.ingest.publishers import import_records, read_imported
from analysis.privacy import NameShield
from analysis.schema import DATASETS
from analysis.vocab.vocabulary import Vocabulary

log = logging.getLogger(__name__)
PROTECTED_NAMES = "protected_names.parquet"  # in private/: every name the shield withholds


CLEANERS = {
    "violations": clean_violations,
    "legislation": clean_legislation,
    "migration": clean_migration,
}


def clean_all(
    raw_dir: Path,
    processed_dir: Path,
    max_year: int | None = None,
    external_dir: Path | None = None,
    mappings_dir: Path | None = None,
) -> dict:
    """Clean every dataset of ``raw_dir`` into ``processed_dir``; return the quality report.

    ``external_dir`` (default: ``external/`` beside ``raw_dir``) holds the public series that
    ``analysis import`` wrote; they are cleaned with the migration files. ``mappings_dir``
    (default: ``mappings/`` beside ``raw_dir``) holds the researcher's own aliases
    (:mod:`analysis.vocab.project`); an invalid mapping file stops the run before anything is
    written (:class:`analysis.vocab.project.MappingError`).

    The new folder replaces the old one whole at the end (:func:`analysis.storage.replaced_folder`):
    an error or Ctrl-C leaves the previous run's folder as it was. A file that cannot be read,
    or whose rows make a cleaner fail, is listed under ``unreadable_files`` (the caller exits
    non-zero) and the other files' rows are kept.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    external_dir = Path(external_dir) if external_dir else raw_dir.parent / "external"
    vocab = Vocabulary.load(mappings_dir if mappings_dir else raw_dir.parent / "mappings")
    with storage.replaced_folder(processed_dir) as staging:
        return _clean_into(raw_dir, staging, max_year, external_dir, vocab)


def _clean_into(
    raw_dir: Path,
    processed_dir: Path,
    max_year: int | None,
    external_dir: Path,
    vocab: Vocabulary,
) -> dict:
    report: dict = {"raw_dir": raw_dir.name, "datasets": {}, "unreadable_files": []}
    registry = partners.read_registry(raw_dir.parent / partners.REGISTRY)
    names = tuple(registry["name_en"]) + tuple(registry["name_ru"])  # organisations, not people
    processed, written = {}, []
    shield = NameShield()
    public = read_imported(external_dir)  # publishers' series, already in the processed schema
    for dataset in DATASETS:  # violations first: its names protect every other text
        data = read_dataset(raw_dir, dataset, names, vocab)
        extra = {
            "violations": {"protect": data.refused_names, "registry": registry},
            "migration": {"public": public},
        }.get(dataset, {})
        frame, cleaned, failed = _clean_isolated(
            data.frame, dataset, max_year, vocab=vocab, **extra
        )
        if dataset == "violations":
            shield = cleaned.shield
        else:
            cleaned.processed = shield_frame(
                cleaned.processed, shield, schema.TABLES[dataset].free_text
            )
            text = [c for c in cleaned.rejects.columns if c not in ("source_file", "source_row")]
            cleaned.rejects = shield_frame(cleaned.rejects, shield, text)
        cleaned.rejects = feedback.annotate(cleaned.rejects, dataset, vocab)
        processed[dataset] = cleaned.processed
        entry = account(frame, cleaned)
        if dataset == "migration":  # the publishers' rows, counted apart from the partners'
            cleaned.processed = with_public(cleaned.processed, public)
            processed[dataset] = cleaned.processed
            entry["public_series"] = import_records(external_dir)
        entry["is_synthetic"] = bool(frame["is_synthetic"].any())
        entry["tables"] = data.files
        entry["extra_columns"] = sorted({c for f in data.files for c in f["extra_columns"]})
        if cleaned.superseded:
            entry["superseded"] = cleaned.superseded
        report["datasets"][dataset] = entry
        report["unreadable_files"].extend(data.errors + failed)
        written.append((dataset, cleaned, data.extras))
        log.info(
            "%s: %d rows in, %d kept, %d merged duplicates, %d rejected",
            dataset,
            entry["rows_in"],
            entry["rows_kept"],
            entry["rows_merged_duplicates"],
            entry["rows_rejected"],
        )
    # one saved set of every protected name (refused files' included), for every later check
    protected = pd.DataFrame({"name": pd.Series(sorted(set(shield.names)), dtype="str")})
    storage.write_parquet(processed_dir / "private" / PROTECTED_NAMES, protected)
    files = renamed_files(report, shield)
    used = processed["violations"]["partners"]
    table = rename_files(partners.registry_table(registry, used), files)
    storage.write_csv(processed_dir / "partners.csv", table)
    report["unregistered_files"] = [
        c.removeprefix(partners.UNREGISTERED)
        for c in table["code"]
        if c.startswith(partners.UNREGISTERED)
    ]
    for dataset, cleaned, extras in written:
        _write_dataset(processed_dir, dataset, cleaned, extras, files)
    report["mappings"] = {
        "project_folder": vocab.project.folder.as_posix() if vocab.project.folder else None,
        "project_aliases": sum(len(a) for a in vocab.project.aliases.values()),
        "tolerant_matches": vocab.tolerant_matches(),
        "unused_project_aliases": vocab.unused_project_aliases(),
    }
    labour = read_imported(external_dir, schema.LABOUR.name)  # publishers' tables, as imported
    storage.write_parquet(processed_dir / f"{schema.LABOUR.name}.parquet", labour)
    report["labour_standards"] = {
        "rows": len(labour),
        "public_series": import_records(external_dir, schema.LABOUR.name),
    }
    report["is_synthetic"] = any(d["is_synthetic"] for d in report["datasets"].values())
    migration = report["datasets"]["migration"]
    migration["publisher_zeros"] = publisher_zeros(processed["migration"])
    migration["source_disagreements"] = source_disagreements(processed["migration"])
    migration["large_jumps"] = large_jumps(processed["migration"])
    migration_rejects = next(c.rejects for d, c, _ in written if d == "migration")
    migration["superseded"] = superseded_values(
        rename_files(migration_rejects, files), rename_files(processed["migration"], files)
    )
    report = shield_report(report, shield, files)
    suggestions = feedback.suggestions_table(report, vocab)
    storage.write_csv(processed_dir / "suggestions.csv", suggestions)
    rejects = {d: rename_files(c.rejects, files) for d, c, _extras in written}
    tables = [t for d in report["datasets"].values() for t in d["tables"]]  # names withheld
    refused = report["unreadable_files"]  # names withheld by shield_report
    for name, text in feedback.feedback_files(rejects, tables, refused, vocab).items():
        storage.write_text(processed_dir / "feedback" / name, text)
    for error in report["unreadable_files"]:  # logged once names are known: file names too
        log.error("%s: %s", error["file"], error["error"])
    storage.write_json(processed_dir / "quality_report.json", report)
    storage.write_text(processed_dir / "quality_report.md", quality_report_markdown(report))
    return report


def _clean_isolated(
    frame: pd.DataFrame, dataset: str, max_year: int | None, **extra
) -> tuple[pd.DataFrame, Cleaned, list[dict]]:
    """Clean a dataset; if that fails, find the files whose rows make it fail, list them as
    unreadable and clean the others' rows (one bad file never sinks the run)."""

    def run(rows: pd.DataFrame) -> Cleaned:
        cleaned = CLEANERS[dataset](rows.reset_index(drop=True), max_year=max_year, **extra)
        schema.validate(cleaned.processed, schema.TABLES[dataset])
        return cleaned

    try:
        return frame, run(frame), []
    except Exception as exc:
        first_error = exc
    failed = []
    for name, rows in frame.groupby("source_file", sort=True):
        try:
            run(rows)
        except Exception as exc:
            failed.append(
                {"file": name, "error": f"unexpected error while cleaning ({type(exc).__name__})"}
            )
    rest = frame[~frame["source_file"].isin([f["file"] for f in failed])]
    try:
        return rest, run(rest), failed
    except Exception:
        raise first_error from None  # not one file's fault: a bug to fix, not data to drop


def _write_dataset(
    processed_dir: Path,
    dataset: str,
    cleaned: Cleaned,
    extras: pd.DataFrame,
    files: dict[str, str],
) -> None:
    storage.write_parquet(
        processed_dir / f"{dataset}.parquet", rename_files(cleaned.processed, files)
    )
    storage.write_csv(
        processed_dir / "rejects" / f"{dataset}.csv", rename_files(cleaned.rejects, files)
    )
    storage.write_csv(
        processed_dir / "merged" / f"{dataset}.csv", rename_files(cleaned.merged, files)
    )
    private = processed_dir / "private"
    for name, frame in cleaned.private.items():
        if name in schema.TABLES:
            schema.validate(frame, schema.TABLES[name])
        storage.write_parquet(private / f"{name}.parquet", frame)
    storage.write_parquet(
        private / f"{dataset}_extra_columns.parquet", extras.astype({"source_row": "int64"})
    )
