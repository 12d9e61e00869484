"""Stage 1: every partner file of a dataset folder read into one text table with provenance.

Unreadable files are listed, never fatal; a file is refused when it leads out of the raw
folder or hides people's names in a column that is not a names column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.clean.common import PROVENANCE
from analysis.ingest.readers import (
    SUPPORTED_SUFFIXES,
    FileReadError,
    is_template,
    read_partner_file,
)
from analysis.privacy import names_from, safe_label
from analysis.privacy.people import looks_like_names, names_in_text
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


@dataclass
class RawDataset:
    frame: pd.DataFrame  # canonical columns as text + provenance
    extras: pd.DataFrame  # source_file, source_row, column, value (unknown columns, long)
    files: list[dict]  # per readable table: file, sheet, header_row, encoding, ...
    errors: list[dict]  # per unreadable file: file, error
    refused_names: list[str] = field(default_factory=list)  # from refused files: protect them


def list_raw_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (recursively, sorted), hidden files and lock files excluded."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink())
        and not p.name.startswith((".", "~$"))
        and p.name != "README.md"
    )


def check_inside(path: Path, root: Path) -> None:
    """Refuse a link (or a path) that leads out of the raw folder: its target is not a
    partner file, and reading it could copy anything on the machine into the outputs."""
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise FileReadError("a link to a file outside the raw folder: refused (copy the file in)")
    if not target.is_file():
        raise FileReadError("not a regular file (a broken link or a special file)")


DATASET_FOLDERS = ("violations", "legislation", "migration")


def read_dataset(
    raw_dir: Path,
    dataset: str,
    partners: tuple[str, ...] = (),
    vocab: Vocabulary | None = None,
) -> RawDataset:
    """Read all files of ``raw_dir/dataset`` (the publishers' series are imported straight into
    the processed schema, not read here); a file that cannot be read is listed, not fatal (and not logged
    here: the caller logs it once the names to withhold are known). ``partners``: the
    registry's partner names, organisations that a names check must not take for people."""
    columns = reference.column_spec(dataset)
    required = columns.loc[columns["required"], "column"].tolist()
    frames, extras, files, errors, refused_names = [], [], [], [], []
    sources = [(p, raw_dir) for p in list_raw_files(raw_dir / dataset)]
    for other in DATASET_FOLDERS:  # a filled-in template is read whichever folder it is in
        if other != dataset and (raw_dir / other).is_dir():
            sources += [(p, raw_dir) for p in list_raw_files(raw_dir / other) if is_template(p)]
    for path, root in sources:
        name = path.relative_to(root).as_posix()
        try:
            check_inside(path, root)
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise FileReadError(
                    f"unsupported file type {path.suffix[:12]!r} (use one of {sorted(SUPPORTED_SUFFIXES)})"
                )
            tables = read_partner_file(path, name, dataset, vocab)
            for table in tables:
                check_columns(table, required, dataset, partners)
        except (FileReadError, OSError, MemoryError, RecursionError) as exc:
            message = str(exc) if isinstance(exc, FileReadError) else type(exc).__name__
            message = safe_label(message, limit=400)
            refused_names += getattr(exc, "names", [])
            entry = {"file": name, "error": message}
            if getattr(exc, "unknown_headers", None):
                entry["extra_columns"] = exc.unknown_headers
            errors.append(entry)
            continue
        except Exception as exc:  # a reader's bug must not sink the other files
            message = f"unexpected error while reading ({type(exc).__name__})"
            errors.append({"file": name, "error": message})
            continue
        for table in tables:
            frame = table.frame
            extra_cols = [c for c in frame.columns if c.startswith("extra:")]
            if extra_cols:
                long = frame[["source_row", *extra_cols]].melt(
                    id_vars="source_row", var_name="column", value_name="value"
                )
                long = long[long["value"] != ""]
                long["column"] = long["column"].str.removeprefix("extra:")
                extras.append(long.assign(source_file=table.source_file))
                # a free text set aside (a lawyer's comment) is checked for names like every
                # other text: the people it names are protected in every shared file
                for text in pd.unique(long["value"]):
                    refused_names += names_in_text(text, partners)
            body = frame.drop(columns=extra_cols).reindex(
                columns=["source_row", *columns["column"], "read_problem"], fill_value=""
            )
            body["source_file"] = sheet_name(table)
            body["is_synthetic"] = table.is_synthetic
            frames.append(body)
            files.append(
                {
                    "file": sheet_name(table),
                    "header_row": table.header_row,
                    "encoding": table.encoding,
                    "delimiter": table.delimiter,
                    "is_synthetic": table.is_synthetic,
                    "extra_columns": table.extra_columns,
                    "headers": table.headers,
                }
            )
    template = pd.DataFrame(columns=[*columns["column"], *PROVENANCE]).astype("str")
    frame = pd.concat([template, *frames], ignore_index=True) if frames else template
    frame = frame.astype(
        {c: "str" for c in columns["column"]} | {"source_file": "str", "read_problem": "str"}
    )
    frame["read_problem"] = frame["read_problem"].fillna("")
    frame = frame.astype({"source_row": "int64", "is_synthetic": "bool"})
    extra = (
        pd.concat(extras, ignore_index=True)[["source_file", "source_row", "column", "value"]]
        if extras
        else pd.DataFrame(columns=["source_file", "source_row", "column", "value"])
    )
    return RawDataset(frame, extra, files, errors, refused_names)


def sheet_name(table) -> str:
    return f"{table.source_file}#{table.sheet}" if table.sheet else table.source_file


def check_columns(table, required: list[str], dataset: str, partners: tuple[str, ...] = ()) -> None:
    """A table without a required column, or with an unmapped column of names, is refused."""
    where = f"sheet {table.sheet!r}: " if table.sheet else ""
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        found = sorted(c for c in table.frame.columns if not c.startswith("extra:"))
        found = [c for c in found if c not in ("source_row", "read_problem")]
        others = [safe_label(c, limit=40) for c in table.extra_columns]
        error = FileReadError(
            f"{where}missing required column(s) {missing} (recognised: {found}; "
            f"not recognised: {others})"
        )
        error.unknown_headers = list(table.extra_columns)  # for suggestions and feedback
        raise error
    if dataset != "violations":
        return
    for column in table.frame.columns:
        if column.startswith("extra:") and looks_like_names(table.frame[column], partners):
            position = list(table.frame.columns).index(column)
            header = safe_label(column.removeprefix("extra:"), limit=40)
            raise FileReadError(
                f"{where}column {position} ({header!r}) reads as people's names under a header "
                "the mission does not know: the file is set aside and these names are withheld "
                "from every shared file. If the column is not about people, map its header "
                "(data/mappings/columns_violations.csv) or drop it; people a case concerns "
                "belong only in the template's names column",
                names=names_from(table.frame[column].tolist()),
            )
