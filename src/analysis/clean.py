"""Clean partner files from ``raw/<dataset>/`` into the processed tables, rejects and report.

Two stages per dataset, as in OWID's meadow/garden:

1. :func:`read_dataset` reads every file of a raw folder into one text table with canonical
   columns and provenance (``source_file``, ``source_row``); unreadable files are listed, the
   others still read.
2. ``clean_<dataset>`` (pure: DataFrame in, :class:`Cleaned` out) parses values, sends every row
   it cannot use to the rejects with a reason naming the column and the value, merges reports of
   the same record, and returns the processed table with the accounting.

Accounting invariant, per dataset and per file: ``rows_in == rows_kept + rows_merged_duplicates
+ rows_rejected``. Victim names leave the shareable tables here and go to ``private/``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analysis import reference, schema, storage
from analysis.coded import Coded
from analysis.indicators import source_disagreements
from analysis.parse import (
    DATE_COLUMNS,
    is_blank,
    map_labels,
    map_unique,
    parse_conventions,
    parse_dates,
    parse_numbers,
    whole_numbers,
)
from analysis.privacy import WITHHELD, NameShield, names_from, safe_label
from analysis.public import publisher_zeros
from analysis.readers import SUPPORTED_SUFFIXES, TEXT_DTYPE, FileReadError, read_partner_file

log = logging.getLogger(__name__)

DATASETS = ("violations", "legislation", "migration")
MIN_YEAR = 1991  # the mission's countries exist as states from 1991
MIN_YEAR_STATISTICS = 1950  # public statistics (World Bank series start in 1960)
MAX_COUNT = 10**10  # persons: more than the world's population is not a count
PROVENANCE = ["source_file", "source_row", "is_synthetic", "read_problem"]


@dataclass
class Cleaned:
    """Result of cleaning one dataset."""

    processed: pd.DataFrame
    rejects: pd.DataFrame  # source_file, source_row, reason_code, reason, raw columns (no names)
    merged: pd.DataFrame  # source_file, source_row of rows merged into another record
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    private: dict[str, pd.DataFrame] = field(default_factory=dict)
    shield: NameShield = field(default_factory=NameShield)  # the dataset's non-public names


# --------------------------------------------------------------------------- reading


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


NAME_LIKE = re.compile(r"^(?:[^\W\d_][^\W\d_'ʻ’.-]*[.]?[\s-]+){1,3}[^\W\d_][^\W\d_'ʻ’-]*[.]?$")


def looks_like_names(values: pd.Series) -> bool:
    """True when most filled cells of an unmapped column read as people's names: two to four
    capitalised words (``Фамилия Имя``, ``A. Surname``)."""
    sample = values[~is_blank(values)].head(200).str.strip()
    if len(sample) < 2:
        return False
    words_ok = sample.str.match(NAME_LIKE) & sample.str.split().map(
        lambda ws: all(w[:1].isupper() for w in ws)
    )
    return bool(words_ok.mean() >= 0.6)


def read_dataset(raw_dir: Path, dataset: str) -> RawDataset:
    """Read all files of ``raw_dir/dataset``; a file that cannot be read is listed, not fatal
    (and not logged here: the caller logs it once the names to withhold are known)."""
    columns = reference.column_spec(dataset)
    required = columns.loc[columns["required"], "column"].tolist()
    frames, extras, files, errors, refused_names = [], [], [], [], []
    for path in list_raw_files(raw_dir / dataset):
        name = path.relative_to(raw_dir).as_posix()
        try:
            check_inside(path, raw_dir)
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise FileReadError(
                    f"unsupported file type {path.suffix[:12]!r} (use one of {sorted(SUPPORTED_SUFFIXES)})"
                )
            tables = read_partner_file(path, name, dataset)
            for table in tables:
                _check_columns(table, required, dataset)
        except (FileReadError, OSError, MemoryError, RecursionError) as exc:
            message = str(exc) if isinstance(exc, FileReadError) else type(exc).__name__
            message = safe_label(message, limit=400)
            refused_names += getattr(exc, "names", [])
            errors.append({"file": name, "error": message})
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
            body = frame.drop(columns=extra_cols).reindex(
                columns=["source_row", *columns["column"], "read_problem"], fill_value=""
            )
            body["source_file"] = _sheet_name(table)
            body["is_synthetic"] = table.is_synthetic
            frames.append(body)
            files.append(
                {
                    "file": _sheet_name(table),
                    "header_row": table.header_row,
                    "encoding": table.encoding,
                    "delimiter": table.delimiter,
                    "is_synthetic": table.is_synthetic,
                    "extra_columns": table.extra_columns,
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


def _sheet_name(table) -> str:
    return f"{table.source_file}#{table.sheet}" if table.sheet else table.source_file


def _check_columns(table, required: list[str], dataset: str) -> None:
    """A table without a required column, or with an unmapped column of names, is refused."""
    where = f"sheet {table.sheet!r}: " if table.sheet else ""
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        found = sorted(c for c in table.frame.columns if not c.startswith("extra:"))
        found = [c for c in found if c not in ("source_row", "read_problem")]
        others = [safe_label(c, limit=40) for c in table.extra_columns]
        raise FileReadError(
            f"{where}missing required column(s) {missing} (recognised: {found}; "
            f"not recognised: {others})"
        )
    if dataset != "violations":
        return
    for column in table.frame.columns:
        if column.startswith("extra:") and looks_like_names(table.frame[column]):
            position = list(table.frame.columns).index(column)
            raise FileReadError(
                f"{where}column {position} holds what look like people's names under a header "
                "that is not a names header: refused, so that the names cannot reach a shared "
                "file (rename the header to 'ФИО пострадавших' / 'victim names', or remove it)",
                names=names_from(table.frame[column].tolist()),
            )


# --------------------------------------------------------------------------- shared steps


class _Problems:
    """Collects (mask, code, message) problems and folds them into one reason per row."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series | np.ndarray, code: str,
            message: pd.Series | np.ndarray | str) -> None:  # fmt: skip
        """``message``: one text, a Series (read at the flagged rows) or an array with one
        message per flagged row (cheaper to build on large files)."""
        if isinstance(mask, pd.Series):
            mask = mask.fillna(False).to_numpy(dtype=bool)
        if not mask.any():
            return
        rows = self.index[mask]
        text = message.reindex(rows).to_numpy() if isinstance(message, pd.Series) else message
        self.parts.append(pd.DataFrame({"row": rows, "code": code, "reason": text}))

    def value_problem(self, raw: Coded, unread: np.ndarray, column: str, code: str) -> None:
        """A filled raw cell whose parsed value is NA (``unread``): '<column>: cannot read '<value>''."""
        bad = ~raw.mask(is_blank) & unread
        self.add(bad, code, _quoted(raw, bad, column + ": cannot read '"))

    def mapped(self, raw: Coded, unmapped_rows: np.ndarray, column: str, code: str,
               unmapped: dict) -> None:  # fmt: skip
        """A filled raw cell that no alias maps (``unmapped_rows``); counted per label."""
        bad = ~raw.mask(is_blank) & unmapped_rows
        self.add(bad, code, _quoted(raw, bad, column + ": unknown value '"))
        if bad.any():
            counts = raw.apply(lambda u: u.str.strip()).counts(bad)
            unmapped[column] = {str(k): int(v) for k, v in counts.items()}

    def fold(self) -> pd.DataFrame:
        """One row per problematic raw row: reason_code and reason, '; '-joined in order."""
        if not self.parts:
            return pd.DataFrame(columns=["reason_code", "reason"], index=pd.Index([], name="row"))
        parts = pd.concat(self.parts, ignore_index=True).astype({"code": "str", "reason": "str"})
        rows = parts["row"].to_numpy()
        return pd.DataFrame(
            {
                "reason_code": join_per_cluster(rows, parts["code"]),
                "reason": join_per_cluster(rows, parts["reason"]),
            }
        ).sort_index()


def _read_problems(problems: _Problems, raw: pd.DataFrame) -> None:
    """Rows the reader set apart (an unclosed quote) are rejected with the reader's reason."""
    if "read_problem" in raw:
        text = raw["read_problem"].fillna("")
        quote = text.str.contains("quote", regex=False).to_numpy(dtype=bool)
        flagged = text.ne("").to_numpy(dtype=bool)
        problems.add(quote, "unclosed_quote", raw["read_problem"])
        problems.add(flagged & ~quote, "bad_field_count", raw["read_problem"])


def _quoted(raw: Coded, rows: np.ndarray, prefix: str) -> np.ndarray:
    """``prefix`` + the stripped raw value + "'" for the rows of a mask, built per distinct value."""
    text = (prefix + raw.uniques.fillna("").str.strip() + "'").to_numpy(dtype=object)
    return text[raw.codes[rows]]


def _encode(raw: pd.DataFrame, columns: list[str]) -> dict[str, Coded]:
    return {c: Coded.of(raw[c]) for c in columns}


def _empty_rows(columns: dict[str, Coded]) -> np.ndarray:
    return np.logical_and.reduce([c.mask(is_blank) for c in columns.values()])


def cluster_rows(keys: list[pd.Series | np.ndarray]) -> np.ndarray:
    """Cluster ids: rows sharing any key (NA keys ignored) are in one cluster, transitively.

    A key is a Series of values (NA: no key) or an integer array of group codes (-1: no key).
    Each key links a row to the first row of its group; the connected components of those
    links are the clusters. Cluster ids are the position of each cluster's first row.
    """
    n = len(keys[0]) if keys else 0
    rows, cols = [np.arange(n)], [np.arange(n)]
    for key in keys:
        if isinstance(key, np.ndarray):
            codes = key
        else:
            codes, _ = pd.factorize(key.reset_index(drop=True))  # NA -> -1
        present = np.flatnonzero(codes >= 0)
        # first row of each group, and each present row's group
        _, first, group = np.unique(codes[present], return_index=True, return_inverse=True)
        rows.append(present)
        cols.append(present[first][group])
    r, c = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    _, first_row = np.unique(labels, return_index=True)  # rows are in order: first = smallest
    return first_row[labels]


def join_per_cluster(cluster: np.ndarray, values: pd.Series, unique: bool = False) -> pd.Series:
    """'; '-join the non-blank values of each cluster, in row order.

    With ``unique``, a value repeated in a cluster appears once. Indexed by cluster id (in order
    of first appearance); clusters with no value give "". A one-row cluster (most of them)
    takes its value as it is; only the others go through a grouped string sum.
    """
    codes, order = pd.factorize(np.asarray(cluster))
    sizes = np.bincount(codes, minlength=len(order))
    _, first = np.unique(codes, return_index=True)
    text = values.fillna("").astype("str").reset_index(drop=True)
    result = text.take(first).reset_index(drop=True)
    multi = np.flatnonzero(sizes > 1)
    if len(multi):
        in_multi = (sizes > 1)[codes]
        frame = pd.DataFrame({"cluster": codes[in_multi], "value": text[in_multi].to_numpy()})
        frame = frame[frame["value"] != ""]
        if unique:
            frame = frame.drop_duplicates()
        joined = (frame["value"] + "; ").groupby(frame["cluster"].to_numpy(), sort=False).sum()
        fill = pd.Series("", index=multi, dtype="object")
        fill[joined.index.to_numpy()] = joined.str.removesuffix("; ").to_numpy(dtype=object)
        result.iloc[multi] = fill.to_numpy()
    return result.set_axis(order)


def group_codes(*parts: np.ndarray) -> np.ndarray:
    """One code per distinct combination of the parts' codes; -1 where any part is -1.

    Parts are combined arithmetically (mixed radix) and re-numbered only when the next part
    would overflow 62 bits, so most keys cost one factorize, not one per part.
    """
    n = len(parts[0])
    out = np.zeros(n, dtype=np.int64)
    size = 1  # every value of ``out`` is below ``size`` (a Python int: no overflow)
    missing = np.zeros(n, dtype=bool)
    for part in parts:
        part = np.asarray(part, dtype=np.int64)
        missing |= part < 0
        width = int(part.max(initial=0)) + 2
        if size * width >= 2**62:
            out, uniques = pd.factorize(out)
            size = len(uniques)
        out = out * width + (part + 1)
        size *= width
    out, _ = pd.factorize(out)
    out[missing] = -1
    return out


def _stable_hash(parts: list[pd.Series | Coded]) -> np.ndarray:
    """Deterministic 64-bit hash per row of text columns (same input, same hash, every run).

    Encoded columns are hashed as categoricals: pandas hashes each distinct value once, and
    a categorical hashes exactly as its values would.
    """
    columns = {}
    for i, part in enumerate(parts):
        if isinstance(part, Coded):
            groups, categories = pd.factorize(part.uniques.astype("str").fillna(""))
            columns[i] = pd.Categorical.from_codes(groups[part.codes], categories=categories)
        elif pd.api.types.is_integer_dtype(part.dtype) and not part.hasnans:
            text = pa.array(part.to_numpy()).cast(pa.string()).to_numpy(zero_copy_only=False)
            columns[i] = pd.Series(text, dtype=object)  # hashed as it is, no Arrow round trip
        else:
            columns[i] = part.astype("str").fillna("").to_numpy()
    frame = pd.DataFrame(columns)
    return pd.util.hash_pandas_object(frame, index=False, categorize=False).to_numpy()


def _hex_ids(prefix: str, hashed: np.ndarray) -> pd.Series:
    """``prefix`` + 16 lowercase hex digits per hash, built directly as an Arrow string array
    (so that string order is hash order)."""
    n, width = len(hashed), len(prefix) + 16
    nibbles = (hashed[:, None] >> np.arange(60, -4, -4, dtype=np.uint64)) & np.uint64(15)
    chars = np.empty((n, width), dtype=np.uint8)
    chars[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    chars[:, len(prefix) :] = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[
        nibbles.astype(np.intp)
    ]
    offsets = np.arange(0, width * n + 1, width, dtype=np.int32)
    array = pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes())]
    )
    return array.to_pandas(types_mapper=lambda _: TEXT_DTYPE)


def _stable_id(prefix: str, parts: list[pd.Series]) -> pd.Series:
    """Deterministic identifier: ``prefix`` + the 16-hex :func:`_stable_hash` of the parts."""
    return _hex_ids(prefix, _stable_hash(parts)).set_axis(parts[0].index)


def _text_key(values: pd.Series) -> pd.Series:
    """Case-, punctuation- and spacing-insensitive key of a description (NA when blank).

    Runs in pyarrow (RE2 with Unicode classes): pandas would fall back to Python's ``re``
    for Cyrillic text.
    """
    text = pa.array(values.str.lower().str.replace("ё", "е", regex=False), type=pa.large_string())
    key = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"[^\p{L}\p{N}]+", " "))
    out = key.to_pandas(types_mapper=lambda _: TEXT_DTYPE).set_axis(values.index)
    return out.where(out != "", pd.NA)


def _url_key(values: pd.Series) -> pd.Series:
    key = values.str.strip().str.lower().str.replace(r"^https?://(www\.)?", "", regex=True)
    key = key.str.rstrip("/")
    return key.where(key != "", pd.NA)


_NAME_SEPARATORS = r"\s*[;,\n]\s*"


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in re.split(_NAME_SEPARATORS, text) if n.strip()]


def _normal_names(text: str) -> str:
    """'A, B; A' -> 'A; B': each listed name once, in order, '; '-separated."""
    return "; ".join(dict.fromkeys(_split_names(text)))


def _names_per_cluster(cluster: np.ndarray, names: Coded) -> Coded:
    """Every name listed for a cluster's rows, once each (split and joined per distinct list);
    one entry per cluster, in cluster order."""
    per_row = names.apply(lambda u: map_unique(u, _normal_names, missing="")).values()
    joined = join_per_cluster(cluster, per_row, unique=True)
    return Coded.of(joined).apply(lambda u: map_unique(u, _normal_names, missing=""))


def _rejects(raw: pd.DataFrame, reasons: pd.DataFrame, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rejected raw rows with their reasons, text columns as they came (minus ``drop``)."""
    rows = raw.loc[reasons.index]
    columns = [c for c in raw.columns if c not in (*PROVENANCE, *drop)]
    return pd.concat(
        [rows[["source_file", "source_row"]], reasons[["reason_code", "reason"]], rows[columns]],
        axis=1,
    ).reset_index(drop=True)


def _year_problems(problems: _Problems, years: pd.Series, column: str, max_year: int,
                   min_year: int = MIN_YEAR) -> None:  # fmt: skip
    out = years.notna() & ((years < min_year) | (years > max_year))
    problems.add(out, "year_out_of_range",
                 f"{column}: year outside {min_year}-{max_year} ('" + years[out].astype("str") + "')")  # fmt: skip


def _merge_provenance(frame: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    """Per cluster: n_reports, sources ('file:row; ...'), source (partners); indexed by cluster."""
    sizes = pd.Series(cluster).value_counts(sort=False)
    return pd.DataFrame(
        {
            "n_reports": sizes.reindex(pd.unique(cluster)).astype("int64"),
            "sources": join_per_cluster(cluster, _refs(frame)),
            "source": join_per_cluster(cluster, frame["source"].str.strip(), unique=True),
        }
    )


def _refs(frame: pd.DataFrame) -> pd.Series:
    """'source_file:source_row' per row (built in Arrow: a million rows in a few milliseconds)."""
    files = pa.array(frame["source_file"], type=pa.large_string())
    rows = pa.array(frame["source_row"].to_numpy(dtype=np.int64)).cast(pa.large_string())
    refs = pc.binary_join_element_wise(files, rows, pa.scalar(":", pa.large_string()))
    return refs.to_pandas(types_mapper=lambda _: TEXT_DTYPE).set_axis(frame.index)


def _first_rows(cluster: np.ndarray) -> np.ndarray:
    """Each cluster's first row (its id), ascending."""
    return np.flatnonzero(cluster == np.arange(len(cluster)))


def _per_record(
    per_cluster: pd.DataFrame | pd.Series, first: np.ndarray
) -> pd.DataFrame | pd.Series:
    """Per-cluster results (indexed by cluster id in order of first appearance) by position.

    That order is ascending, so it is ``first`` (the sorted cluster ids): no lookup needed.
    """
    if not np.array_equal(per_cluster.index.to_numpy(), first):
        raise AssertionError("per-cluster results are not in cluster order")
    return per_cluster.reset_index(drop=True)


def _merged_rows(frame: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    is_first = cluster == np.arange(len(frame))
    merged = frame.loc[~is_first, ["source_file", "source_row"]].copy()
    first = frame.iloc[cluster[~is_first]]
    merged["merged_into"] = _refs(first).to_numpy()
    return merged.reset_index(drop=True)


def _none_if_blank(values: pd.Series) -> pd.Series:
    stripped = values.str.strip()
    return stripped.where(stripped != "", pd.NA)


# --------------------------------------------------------------------------- violations


PRIVATE_TEXT = ("description", "url")  # shared only for a public case


def withhold(values: pd.Series, private: np.ndarray | pd.Series) -> pd.Series:
    """``values`` with every filled cell of a ``private`` row replaced by :data:`WITHHELD`."""
    private = np.asarray(private, dtype=bool) & ~is_blank(values).to_numpy(dtype=bool)
    return values.where(~private, WITHHELD)


def shield_frame(frame: pd.DataFrame, shield: NameShield, columns: list[str]) -> pd.DataFrame:
    """Names withheld from ``columns`` (a frame of free text), see :mod:`analysis.privacy`."""
    return shield.redact_frame(frame, columns) if shield else frame


def shareable_names(names: pd.Series, is_public: pd.Series, shield: NameShield) -> pd.Series:
    """The names a brief may print: a public record's names, minus any name that another,
    non-public record lists (that person is at risk there); NA when none is left."""

    def keep(cell: str) -> str | None:
        kept = [n for n in _split_names(cell) if not shield.contains_name(n)]
        return "; ".join(kept) or None

    public = is_public.to_numpy(dtype=bool)
    out = pd.Series(pd.NA, index=names.index, dtype="str")
    if public.any():
        out[public] = map_unique(names[public], keep)
    return out


def _violation_rejects(raw: pd.DataFrame, reasons: pd.DataFrame,
                       shield: NameShield) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The rejected rows for sharing (their description and URL withheld: a reject has no
    reliable public flag; names withheld from every other cell and from the reason), and
    (private) the names, descriptions and URLs they held."""
    rows = reasons.index.to_numpy(dtype=np.int64)
    rejected = raw.take(rows).set_axis(reasons.index)
    private = rejected.loc[
        ~(is_blank(rejected["victim_names"]) & is_blank(rejected["description"])
          & is_blank(rejected["url"])),
        ["source_file", "source_row", "victim_names", *PRIVATE_TEXT],
    ]  # fmt: skip
    rejected = rejected.assign(
        **{c: withhold(rejected[c], np.ones(len(rejected), dtype=bool)) for c in PRIVATE_TEXT}
    )
    shared = _rejects(rejected, reasons, drop=("victim_names",))
    text = [c for c in shared.columns if c not in ("source_file", "source_row")]
    return shield_frame(shared, shield, text), private.reset_index(drop=True)


def _duplicate_keys(ok: dict[str, Coded]) -> list[np.ndarray]:
    """Keys that mark two reports as one incident (same country, category and date, and the
    same URL or near-identical description), and exact duplicates; -1: no key."""
    base = group_codes(*(ok[c].group() for c in ("country", "category", "date")))
    exact = group_codes(
        base,
        *(
            ok[c].group() + 1  # NA is a value here, not a missing key
            for c in ("persons_affected", "sector", "perpetrator", "location", "description", "url")
        ),
    )
    return [
        group_codes(base, ok["url"].apply(lambda u: _url_key(u.fillna(""))).group()),
        group_codes(base, ok["description"].apply(lambda u: _text_key(u.fillna(""))).group()),
        exact,
    ]


def clean_violations(raw: pd.DataFrame, max_year: int | None = None,
                     protect: list[str] | tuple[str, ...] = ()) -> Cleaned:  # fmt: skip
    """Parse, validate and de-duplicate raw violation rows (see the module docstring).

    ``protect``: more names to withhold from every shared text (from files refused unread).

    Text columns are dictionary-encoded once (:class:`~analysis.coded.Coded`): parsing,
    mapping, keys and redaction run per distinct value, and the output columns are built
    once, in their final row order.
    """
    max_year = max_year or dt.date.today().year
    raw = raw.reset_index(drop=True)
    problems, unmapped = _Problems(raw.index), {}
    _read_problems(problems, raw)
    content = [c for c in raw.columns if c not in PROVENANCE]
    col = _encode(raw, content)
    blank = {c: col[c].mask(is_blank) for c in ("country", "date", "category")}
    empty = _empty_rows(col)
    problems.add(empty, "empty_row", "empty row")
    filled = ~empty

    aliases = reference.country_aliases()
    country = col["country"].apply(lambda u: map_labels(u, aliases).replace("WLD", pd.NA))
    category = col["category"].apply(lambda u: map_labels(u, reference.category_aliases()))
    parsed_dates = parse_dates(col["date"].uniques)
    date = {c: Coded(col["date"].codes, parsed_dates[c]) for c in DATE_COLUMNS}
    persons = parse_numbers(col["persons_affected"].uniques)
    number = Coded(col["persons_affected"].codes, persons["value"])
    public = col["is_public"].apply(
        lambda u: map_labels(u, reference.boolean_aliases(), dtype="object")
    )

    for column in ("country", "date", "category"):
        problems.add(filled & blank[column], f"missing_{column}", f"{column}: missing")
    problems.mapped(col["country"], country.isna(), "country", "unknown_country", unmapped)
    problems.mapped(col["category"], category.isna(), "category", "unknown_category", unmapped)
    problems.value_problem(col["date"], date["date"].isna(), "date", "bad_date")
    _year_problems(problems, date["year"].values(), "date", max_year)
    not_count = number.mask(
        lambda v: (
            v.notna() & ((v < 0) | (v > MAX_COUNT) | ~whole_numbers(v) | persons["is_percent"])
        )
    )
    problems.add(not_count, "bad_number",
                 _quoted(col["persons_affected"], not_count, "persons_affected: not a count '"))  # fmt: skip
    problems.value_problem(col["persons_affected"], number.isna(), "persons_affected", "bad_number")
    problems.mapped(col["is_public"], public.isna(), "is_public", "unknown_boolean", unmapped)

    reasons = problems.fold()
    bad = np.zeros(len(raw), dtype=bool)
    bad[reasons.index.to_numpy(dtype=np.int64)] = True

    # Kept rows, still encoded: a subset is an integer take.
    keep = np.flatnonzero(~bad)
    ok = {
        "country": country,
        **date,
        "category": category,
        "persons_affected": number.apply(
            lambda v: v.where(v.abs() <= MAX_COUNT).round().astype("Int64")  # rejected if not
        ),
        "is_public": public.apply(lambda v: v.fillna(False).astype(bool)),
        **{
            c: col[c].apply(_none_if_blank)
            for c in ("sector", "perpetrator", "location", "description", "url")
        },  # fmt: skip
        "source": col["source"],
        "victim_names": col["victim_names"].apply(lambda u: u.str.strip()),
        "source_file": Coded.of(raw["source_file"]),
    }
    ok = {c: v.take(keep) for c, v in ok.items()}
    source_row = raw["source_row"].to_numpy()[keep]
    is_synthetic = raw["is_synthetic"].to_numpy()[keep]

    cluster = cluster_rows(_duplicate_keys(ok)) if len(keep) else np.array([], dtype=int)
    files = ok["source_file"].values()
    trail = pd.DataFrame({"source_file": files, "source_row": source_row})
    merged = _merged_rows(trail, cluster)
    provenance = _merge_provenance(trail.assign(source=ok["source"].values()), cluster)

    # One record per cluster, at its first row.
    first = _first_rows(cluster)
    per_cluster = pd.DataFrame(
        {"persons_affected": ok["persons_affected"].values(), "is_public": ok["is_public"].values()}
    ).groupby(cluster, sort=False)
    agg = per_cluster.agg(
        persons_affected=("persons_affected", "max"), is_public=("is_public", "all")
    )
    agg = _per_record(agg, first)
    provenance = _per_record(provenance, first)
    names = _names_per_cluster(cluster, ok["victim_names"])
    is_public = agg["is_public"].to_numpy(dtype=bool)
    record = {c: v.take(first) for c, v in ok.items()}
    # Every name that is not a public record's: non-public records' and rejected rows'.
    # A rejected row is public only when it says so itself (it belongs to no record).
    public_row = public.values().fillna(False).to_numpy(dtype=bool) & bad
    public_row[keep] = is_public[np.searchsorted(first, cluster)] if len(keep) else False
    listed = col["victim_names"]
    shield = NameShield(
        [*names_from(listed.uniques.take(np.unique(listed.codes[~public_row])).tolist()),
         *protect]
    )  # fmt: skip
    rejects, rejected_private = _violation_rejects(raw, reasons, shield)
    hashed = _stable_hash(
        [
            record["country"],
            record["date"],
            record["category"],
            record["source_file"],
            pd.Series(source_row[first]),
        ]
    )
    incident_id = _hex_ids("V", hashed)
    # incident_id order is hash order: sort on the hashes, not on the strings.
    order = np.lexsort([hashed, *(record[c].rank() for c in ("date", "year", "country"))])
    columns = {c: record[c].take(order).values() for c in record if c != "victim_names"}
    processed = pd.DataFrame(
        {
            **columns,
            "incident_id": incident_id.take(order).reset_index(drop=True),
            "persons_affected": agg["persons_affected"].take(order).reset_index(drop=True),
            "is_public": is_public[order],
            "n_reports": provenance["n_reports"].take(order).reset_index(drop=True),
            "sources": provenance["sources"].take(order).reset_index(drop=True),
            "source": _none_if_blank(provenance["source"]).take(order).reset_index(drop=True),
            "source_row": source_row[first][order],
            "is_synthetic": is_synthetic[first][order],
        }
    )
    processed = schema.conform(processed, schema.VIOLATIONS)
    private_text = processed.loc[
        ~processed["is_public"] & ~(processed["description"].isna() & processed["url"].isna()),
        ["incident_id", *PRIVATE_TEXT],
    ].reset_index(drop=True)
    private = ~processed["is_public"].to_numpy(dtype=bool)
    processed = processed.assign(**{c: withhold(processed[c], private) for c in PRIVATE_TEXT})
    processed = shield_frame(processed, shield, schema.VIOLATIONS.free_text)
    has_names = names.mask(lambda u: u != "")
    by_hash = np.argsort(hashed[has_names], kind="stable")
    private_names = pd.DataFrame(
        {
            "incident_id": incident_id[has_names].take(by_hash).reset_index(drop=True),
            "victim_names": names.take(has_names).take(by_hash).values(),
            "is_public": is_public[has_names][by_hash],
        }
    )
    private_names["shareable_names"] = shareable_names(
        private_names["victim_names"], private_names["is_public"], shield
    )
    return Cleaned(
        processed=processed,
        rejects=rejects,
        merged=merged,
        unmapped=unmapped,
        private={
            "violations_names": schema.conform(private_names, schema.VIOLATIONS_NAMES),
            "violations_text": private_text,
            "violations_rejects_private": rejected_private,
        },
        shield=shield,
    )


# --------------------------------------------------------------------------- legislation


def clean_legislation(raw: pd.DataFrame, max_year: int | None = None) -> Cleaned:
    """Parse, validate and de-duplicate raw legislation rows (same country, title and date)."""
    max_year = max_year or dt.date.today().year
    raw = raw.reset_index(drop=True)
    problems, unmapped = _Problems(raw.index), {}
    _read_problems(problems, raw)
    content = [c for c in raw.columns if c not in PROVENANCE]
    col = _encode(raw, content)
    empty = _empty_rows(col)
    problems.add(empty, "empty_row", "empty row")
    filled = ~empty

    country = map_labels(raw["country"], reference.country_aliases())
    country = country.where(country != "WLD")
    direction = map_labels(raw["direction"], reference.direction_aliases())
    adopted = parse_dates(raw["date_adopted"])
    in_force = parse_dates(raw["date_in_force"])

    for column in ("country", "title", "date_adopted", "direction"):
        problems.add(filled & is_blank(raw[column]), f"missing_{column}", f"{column}: missing")
    problems.mapped(
        col["country"], country.isna().to_numpy(), "country", "unknown_country", unmapped
    )
    problems.mapped(
        col["direction"], direction.isna().to_numpy(), "direction", "unknown_direction", unmapped
    )
    problems.value_problem(
        col["date_adopted"], adopted["date"].isna().to_numpy(), "date_adopted", "bad_date"
    )
    problems.value_problem(
        col["date_in_force"], in_force["date"].isna().to_numpy(), "date_in_force", "bad_date"
    )
    _year_problems(problems, adopted["year"], "date_adopted", max_year)

    reasons = problems.fold()
    bad = raw.index.isin(reasons.index)
    rejects = _rejects(raw, reasons)
    ok = pd.DataFrame(
        {
            "country": country,
            "title": raw["title"].str.strip(),
            "date_adopted": adopted["date"],
            "date_adopted_precision": adopted["date_precision"],
            "year": adopted["year"],
            "date_in_force": in_force["date"],
            "direction": direction,
            "ilo_conventions": parse_conventions(raw["ilo_conventions"]),
            "act_type": _none_if_blank(raw["act_type"]),
            "summary": _none_if_blank(raw["summary"]),
            "source": raw["source"],
            "url": _none_if_blank(raw["url"]),
            "source_file": raw["source_file"],
            "source_row": raw["source_row"],
            "is_synthetic": raw["is_synthetic"],
        }
    )[~bad].reset_index(drop=True)
    key = ok["country"] + "|" + _text_key(ok["title"]) + "|" + ok["date_adopted"]
    cluster = cluster_rows([key]) if len(ok) else np.array([], dtype=int)
    merged = _merged_rows(ok, cluster)
    provenance = _merge_provenance(ok, cluster)
    conventions = (
        pd.DataFrame({"cluster": cluster, "c": ok["ilo_conventions"]})
        .groupby("cluster")["c"]
        .agg(lambda s: ";".join(sorted({c for v in s for c in v.split(";") if c})))
    )
    first = ok.iloc[_first_rows(cluster)].copy()
    clusters = first.index.to_numpy()
    for column in ("n_reports", "sources", "source"):
        first[column] = provenance.loc[clusters, column].to_numpy()
    first["source"] = _none_if_blank(first["source"])
    first["ilo_conventions"] = conventions.loc[clusters].to_numpy()
    first["ilo_conventions"] = _none_if_blank(first["ilo_conventions"])
    first["act_id"] = _stable_id(
        "L", [first["country"], first["date_adopted"], _text_key(first["title"])]
    )
    processed = schema.conform(first, schema.LEGISLATION).sort_values(
        ["country", "year", "date_adopted", "act_id"], ignore_index=True
    )
    return Cleaned(processed=processed, rejects=rejects, merged=merged, unmapped=unmapped)


# --------------------------------------------------------------------------- migration


def clean_migration(raw: pd.DataFrame, max_year: int | None = None) -> Cleaned:
    """Parse migration rows (long format), scale units, keep one value per key and source.

    Two rows with the same country, partner, year, indicator and source and the same value are
    one record reported twice (merged); with different values the first (in file order) is kept
    and the others are rejected as ``conflicting_value`` with a pointer to the kept row.
    """
    max_year = max_year or dt.date.today().year
    raw = raw.reset_index(drop=True)
    problems, unmapped = _Problems(raw.index), {}
    _read_problems(problems, raw)
    content = [c for c in raw.columns if c not in PROVENANCE]
    col = _encode(raw, content)
    empty = _empty_rows(col)
    problems.add(empty, "empty_row", "empty row")
    filled = ~empty

    aliases = reference.country_aliases()
    country = map_labels(raw["country"], aliases).pipe(lambda s: s.where(s != "WLD"))
    partner_raw = raw["partner"].where(~is_blank(raw["partner"]), "WLD")
    partner = map_labels(partner_raw, aliases)
    indicator = map_labels(raw["indicator"], reference.indicator_aliases())
    year_parsed = parse_numbers(raw["year"])["value"]
    in_range = year_parsed.abs() < 10**6  # wider than any year; keeps the cast exact
    year = year_parsed.where(whole_numbers(year_parsed) & in_range).round().astype("Int64")
    numbers = parse_numbers(raw["value"])
    units = reference.unit_aliases()
    unit_pair = map_labels(raw["unit"], units, dtype="object")
    unit = unit_pair.map(lambda p: p[0], na_action="ignore")
    multiplier = unit_pair.map(lambda p: p[1], na_action="ignore").astype("float64").fillna(1.0)
    declared = reference.indicators().set_index("code")["unit"]
    expected_unit = indicator.map(declared)
    unit = unit.where(~is_blank(raw["unit"]), expected_unit)
    unit = unit.where(~(numbers["is_percent"] & is_blank(raw["unit"])), "pct_gdp")
    estimate = map_labels(raw["estimate_type"], reference.estimate_aliases())

    for column in ("country", "year", "indicator", "value"):
        problems.add(filled & is_blank(raw[column]), f"missing_{column}", f"{column}: missing")
    problems.mapped(
        col["country"], country.isna().to_numpy(), "country", "unknown_country", unmapped
    )
    problems.mapped(
        Coded.of(partner_raw), partner.isna().to_numpy(), "partner", "unknown_country", unmapped
    )
    problems.mapped(
        col["indicator"], indicator.isna().to_numpy(), "indicator", "unknown_indicator", unmapped
    )
    problems.value_problem(col["year"], year.isna().to_numpy(), "year", "bad_year")
    _year_problems(problems, year, "year", max_year, MIN_YEAR_STATISTICS)
    problems.value_problem(col["value"], numbers["value"].isna().to_numpy(), "value", "bad_number")
    problems.mapped(col["unit"], unit_pair.isna().to_numpy(), "unit", "unknown_unit", unmapped)
    mismatch = unit.notna() & expected_unit.notna() & (unit != expected_unit)
    problems.add(mismatch, "unit_mismatch",
                 "unit: '" + raw["unit"].str.strip() + "' does not fit indicator '" + indicator.fillna("") + "'")  # fmt: skip
    problems.mapped(
        col["estimate_type"],
        estimate.isna().to_numpy(),
        "estimate_type",
        "unknown_estimate_type",
        unmapped,
    )
    scaled = numbers["value"] * multiplier
    problems.add(numbers["value"].notna() & ~np.isfinite(scaled), "bad_number",
                 "value: out of range '" + raw["value"].str.strip().str.slice(0, 40) + "'")  # fmt: skip
    negative = (numbers["value"] < 0) & indicator.isin(["outflow", "stock_abroad", "returnees"])
    problems.add(negative, "bad_number", "value: negative count '" + raw["value"].str.strip() + "'")

    source = raw["source"].str.strip()
    source = source.where(source != "", raw["source_file"].str.split("#").str[0])
    ok = pd.DataFrame(
        {
            "country": country,
            "partner": partner,
            "year": year,
            "indicator": indicator,
            "value": scaled,
            "unit": unit,
            "source": source,
            "estimate_type": estimate,
            "source_file": raw["source_file"],
            "source_row": raw["source_row"],
            "is_synthetic": raw["is_synthetic"],
        }
    )
    # Same key and source, different value: the first is kept, the others are rejected.
    reasons = problems.fold()
    valid = ~raw.index.isin(reasons.index)
    key = (
        ok["country"] + "|" + ok["partner"] + "|" + ok["year"].astype("str") + "|" + ok["indicator"]
        + "|" + ok["source"]
    )  # fmt: skip
    first_value = ok["value"].where(valid).groupby(key.where(valid)).transform("first")
    conflict = valid & ok["value"].ne(first_value) & first_value.notna()
    if conflict.any():
        first_pos = (
            pd.Series(np.arange(len(ok)))
            .where(valid)
            .groupby(key.where(valid).to_numpy())
            .transform("min")
        )
        kept = ok.iloc[first_pos[conflict.to_numpy()].astype(int)]
        pointer = _refs(kept).to_numpy()
        problems.add(conflict, "conflicting_value",
                     pd.Series("value: differs from the value kept at ", index=raw.index)[conflict] + pointer)  # fmt: skip
        reasons = problems.fold()
    bad = raw.index.isin(reasons.index)
    rejects = _rejects(raw, reasons)
    ok = ok[~bad].reset_index(drop=True)
    cluster = (
        cluster_rows([key[~bad].reset_index(drop=True)]) if len(ok) else np.array([], dtype=int)
    )
    merged = _merged_rows(ok, cluster)
    provenance = _merge_provenance(ok.assign(source=""), cluster)
    first = ok.iloc[_first_rows(cluster)].copy()
    clusters = first.index.to_numpy()
    for column in ("n_reports", "sources"):
        first[column] = provenance.loc[clusters, column].to_numpy()
    processed = schema.conform(first, schema.MIGRATION).sort_values(
        list(schema.MIGRATION.key), ignore_index=True
    )
    return Cleaned(processed=processed, rejects=rejects, merged=merged, unmapped=unmapped)


CLEANERS = {
    "violations": clean_violations,
    "legislation": clean_legislation,
    "migration": clean_migration,
}
TABLES = {
    "violations": schema.VIOLATIONS,
    "legislation": schema.LEGISLATION,
    "migration": schema.MIGRATION,
}


# --------------------------------------------------------------------------- accounting


def account(raw: pd.DataFrame, cleaned: Cleaned) -> dict:
    """Rows in/kept/merged/rejected per dataset and per file; raises if a row is unaccounted."""
    per_file = pd.DataFrame({"rows_in": raw.groupby("source_file").size()})
    per_file["rows_kept"] = cleaned.processed.groupby("source_file").size()
    per_file["rows_merged_duplicates"] = cleaned.merged.groupby("source_file").size()
    per_file["rows_rejected"] = cleaned.rejects.groupby("source_file").size()
    per_file = per_file.fillna(0).astype(int)
    totals = (
        per_file.sum().astype(int).to_dict()
        if len(per_file)
        else dict.fromkeys(["rows_in", "rows_kept", "rows_merged_duplicates", "rows_rejected"], 0)
    )
    lost = per_file["rows_in"] - per_file[
        ["rows_kept", "rows_merged_duplicates", "rows_rejected"]
    ].sum(axis=1)
    if lost.any() or totals["rows_in"] != len(raw):
        raise AssertionError(f"rows unaccounted for: {lost[lost != 0].to_dict()}")
    reasons = (
        cleaned.rejects["reason_code"].str.split("; ").explode().value_counts().sort_index()
        if len(cleaned.rejects)
        else pd.Series(dtype=int)
    )
    rejected_by_file = {
        f: {
            str(k): int(v)
            for k, v in g["reason_code"]
            .str.split("; ")
            .explode()
            .value_counts()
            .sort_index()
            .items()
        }
        for f, g in cleaned.rejects.groupby("source_file")
    }
    files = {
        f: {**{k: int(v) for k, v in row.items()}, "rejects_by_reason": rejected_by_file.get(f, {})}
        for f, row in per_file.iterrows()  # one row per file: small
    }
    return {
        **{k: int(v) for k, v in totals.items()},
        "rejects_by_reason": {str(k): int(v) for k, v in reasons.items()},
        "unmapped_labels": cleaned.unmapped,
        "files": files,
    }


# --------------------------------------------------------------------------- orchestration


def clean_all(raw_dir: Path, processed_dir: Path, max_year: int | None = None) -> dict:
    """Clean every dataset of ``raw_dir`` into ``processed_dir``; return the quality report.

    The new folder replaces the old one whole at the end (:func:`analysis.storage.replaced_folder`):
    an error or Ctrl-C leaves the previous run's folder as it was. A file that cannot be read,
    or whose rows make a cleaner fail, is listed under ``unreadable_files`` (the caller exits
    non-zero) and the other files' rows are kept.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    with storage.replaced_folder(processed_dir) as staging:
        return _clean_into(raw_dir, staging, max_year)


def _clean_into(raw_dir: Path, processed_dir: Path, max_year: int | None) -> dict:
    report: dict = {"raw_dir": raw_dir.name, "datasets": {}, "unreadable_files": []}
    processed, written = {}, []
    shield = NameShield()
    for dataset in DATASETS:  # violations first: its names protect every other text
        data = read_dataset(raw_dir, dataset)
        extra = {"protect": data.refused_names} if dataset == "violations" else {}
        frame, cleaned, failed = _clean_isolated(data.frame, dataset, max_year, **extra)
        if dataset == "violations":
            shield = cleaned.shield
        else:
            cleaned.processed = shield_frame(cleaned.processed, shield, TABLES[dataset].free_text)
            text = [c for c in cleaned.rejects.columns if c not in ("source_file", "source_row")]
            cleaned.rejects = shield_frame(cleaned.rejects, shield, text)
        processed[dataset] = cleaned.processed
        entry = account(frame, cleaned)
        entry["is_synthetic"] = bool(frame["is_synthetic"].any())
        entry["tables"] = data.files
        entry["extra_columns"] = sorted({c for f in data.files for c in f["extra_columns"]})
        report["datasets"][dataset] = entry
        report["unreadable_files"].extend(data.errors + failed)
        written.append((dataset, cleaned, data.extras))
        log.info(
            "%s: %d rows in, %d kept, %d merged duplicates, %d rejected",
            dataset, entry["rows_in"], entry["rows_kept"], entry["rows_merged_duplicates"],
            entry["rows_rejected"],
        )  # fmt: skip
    files = _file_names(report, shield)
    for dataset, cleaned, extras in written:
        _write_dataset(processed_dir, dataset, cleaned, extras, files)
    report["is_synthetic"] = any(d["is_synthetic"] for d in report["datasets"].values())
    migration = report["datasets"]["migration"]
    try:
        migration["publisher_zeros"] = publisher_zeros(raw_dir)
    except Exception as exc:  # a context note must not sink the run
        log.warning("publisher zeros not checked (%s)", type(exc).__name__)
        migration["publisher_zeros"] = []
    migration["source_disagreements"] = source_disagreements(processed["migration"])
    report = shield_report(report, shield, files)
    for error in report["unreadable_files"]:  # logged once names are known: file names too
        log.error("%s: %s", error["file"], error["error"])
    storage.write_json(processed_dir / "quality_report.json", report)
    storage.write_text(processed_dir / "quality_report.md", quality_report_markdown(report))
    return report


def _clean_isolated(frame: pd.DataFrame, dataset: str, max_year: int | None,
                    **extra) -> tuple[pd.DataFrame, Cleaned, list[dict]]:  # fmt: skip
    """Clean a dataset; if that fails, find the files whose rows make it fail, list them as
    unreadable and clean the others' rows (one bad file never sinks the run)."""

    def run(rows: pd.DataFrame) -> Cleaned:
        cleaned = CLEANERS[dataset](rows.reset_index(drop=True), max_year=max_year, **extra)
        schema.validate(cleaned.processed, TABLES[dataset])
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


def _file_names(report: dict, shield: NameShield) -> dict[str, str]:
    """Raw file names that hold a listed name -> the name withheld (applied on every output).

    Only the part below the dataset folder is looked at and changed."""
    names = {f for d in report["datasets"].values() for f in d["files"]}
    names |= {e["file"] for e in report["unreadable_files"]}
    renamed, taken = {}, set(names)
    for name in sorted(names):
        folder, _, rest = name.rpartition("/")
        if shield and shield.contains_name(rest):
            new = f"{folder}/{shield.redact(rest)}" if folder else shield.redact(rest)
            unique, k = new, 1
            while unique in taken:  # two files must not become one in the report
                k += 1
                unique = f"{new} ({k})"
            renamed[name] = unique
            taken.add(unique)
    return renamed


def _rename_files(frame: pd.DataFrame, files: dict[str, str]) -> pd.DataFrame:
    if not files:
        return frame
    out = frame.copy()
    for column in ("source_file", "sources", "merged_into"):
        if column in out:
            for old, new in files.items():
                out[column] = out[column].str.replace(old, new, regex=False)
    return out


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")  # the report's own keys and codes
_FILE_KEYS = {"file", "raw_dir"}


def shield_report(value, shield: NameShield, files: dict[str, str], key: str = ""):
    """Every text of the quality report with names withheld (labels, headers, errors); the
    report's own keys and codes stay, file names are renamed as on every other output."""
    if isinstance(value, dict):
        return {
            (k if _IDENTIFIER.match(str(k)) else shield_report(k, shield, files, key)):
            shield_report(v, shield, files, str(k))
            for k, v in value.items()
        }  # fmt: skip
    if isinstance(value, list):
        return [shield_report(v, shield, files, key) for v in value]
    if isinstance(value, str):
        for old, new in files.items():
            value = value.replace(old, new)
        if key in _FILE_KEYS or key == "files" or not shield:
            return value
        return shield.redact(value)
    return value


def _write_dataset(
    processed_dir: Path, dataset: str, cleaned: Cleaned, extras: pd.DataFrame,
    files: dict[str, str],
) -> None:  # fmt: skip
    storage.write_parquet(
        processed_dir / f"{dataset}.parquet", _rename_files(cleaned.processed, files)
    )
    storage.write_csv(
        processed_dir / "rejects" / f"{dataset}.csv", _rename_files(cleaned.rejects, files)
    )
    storage.write_csv(
        processed_dir / "merged" / f"{dataset}.csv", _rename_files(cleaned.merged, files)
    )
    private = processed_dir / "private"
    for name, frame in cleaned.private.items():
        if name in schema.TABLES:
            schema.validate(frame, schema.TABLES[name])
        storage.write_parquet(private / f"{name}.parquet", frame)
    storage.write_parquet(
        private / f"{dataset}_extra_columns.parquet", extras.astype({"source_row": "int64"})
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def _md(text: object, limit: int = 200) -> str:
    """A partner's text, inert in Markdown and HTML: one line, escaped, at most ``limit``."""
    value = safe_label(text, limit=limit)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def quality_report_markdown(report: dict) -> str:
    """The quality report as a readable Markdown page."""
    lines = ["# Data quality report", ""]
    if report.get("is_synthetic"):
        lines += ["**The raw data is SYNTHETIC demo data.**", ""]
    if report["unreadable_files"]:
        lines += ["## Files that could not be read", ""]
        lines += [f"- {_md(e['file'])}: {_md(e['error'])}" for e in report["unreadable_files"]]
        lines.append("")
    for dataset, entry in report["datasets"].items():
        lines += [f"## {dataset}", ""]
        lines += [
            "| file | rows in | kept | merged duplicates | rejected |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, f in entry["files"].items():
            lines.append(
                f"| {_md(name)} | {f['rows_in']} | {f['rows_kept']} | {f['rows_merged_duplicates']} "
                f"| {f['rows_rejected']} |"
            )
        lines.append(
            f"| **total** | **{entry['rows_in']}** | **{entry['rows_kept']}** | "
            f"**{entry['rows_merged_duplicates']}** | **{entry['rows_rejected']}** |"
        )
        lines.append("")
        if entry["rejects_by_reason"]:
            lines += ["Rejected rows by reason (a row may have several):", ""]
            lines += [f"- {_md(k)}: {v}" for k, v in entry["rejects_by_reason"].items()] + [""]
        if entry["unmapped_labels"]:
            lines += ["Unmapped labels (extend the alias tables in `src/analysis/data/`):", ""]
            for column, values in entry["unmapped_labels"].items():
                shown = ", ".join(f"{_md(k)} ({v})" for k, v in values.items())
                lines.append(f"- {_md(column)}: {shown}")
            lines.append("")
        if entry.get("publisher_zeros"):
            zeros = entry["publisher_zeros"]
            lines += [
                f"Zeros that the publisher uses for 'no data' ({len(zeros)}), kept as published:",
                "",
            ]
            lines += [
                "- " + ", ".join(f"{z['country']} {z['year']} ({z['source']})" for z in zeros[:40]),
                "",
            ]
        if entry.get("source_disagreements"):
            lines += [
                "Sources that disagree by more than 10% (both kept; briefs use the preferred one):",
                "",
            ]
            for d in entry["source_disagreements"][:40]:
                values = "; ".join(f"{s}: {v:,.2f}" for s, v in d["values"].items())
                lines.append(
                    f"- {d['country']} {d['indicator']} {d['year']} (partner {d['partner']}): {values}"
                )
            lines.append("")
        if entry["extra_columns"]:
            lines += [
                "Unrecognised columns kept in `private/"
                + dataset
                + "_extra_columns.parquet`: "
                + ", ".join(_md(c) for c in entry["extra_columns"]),
                "",
            ]
    return "\n".join(lines)
