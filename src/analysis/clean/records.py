"""Duplicate clusters, merge provenance and stable identifiers.

Rows that share a key are one record, transitively (connected components); each record keeps
its first row and lists every merged row as 'file:row'. Identifiers are hashes of the record's
key, the same in every run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analysis.clean.coded import Coded
from analysis.ingest.readers import TEXT_DTYPE


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


def stable_hash(parts: list[pd.Series | Coded]) -> np.ndarray:
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


def hex_ids(prefix: str, hashed: np.ndarray) -> pd.Series:
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


def stable_id(prefix: str, parts: list[pd.Series]) -> pd.Series:
    """Deterministic identifier: ``prefix`` + the 16-hex :func:`stable_hash` of the parts."""
    return hex_ids(prefix, stable_hash(parts)).set_axis(parts[0].index)


def text_key(values: pd.Series) -> pd.Series:
    """Case-, punctuation- and spacing-insensitive key of a description (NA when blank).

    Runs in pyarrow (RE2 with Unicode classes): pandas would fall back to Python's ``re``
    for Cyrillic text.
    """
    text = pa.array(values.str.lower().str.replace("ё", "е", regex=False), type=pa.large_string())
    key = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"[^\p{L}\p{N}]+", " "))
    out = key.to_pandas(types_mapper=lambda _: TEXT_DTYPE).set_axis(values.index)
    return out.where(out != "", pd.NA)


def url_key(values: pd.Series) -> pd.Series:
    key = values.str.strip().str.lower().str.replace(r"^https?://(www\.)?", "", regex=True)
    key = key.str.rstrip("/")
    return key.where(key != "", pd.NA)


def merge_provenance(frame: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    """Per cluster: n_reports, sources ('file:row; ...'), source (partners); indexed by cluster."""
    sizes = pd.Series(cluster).value_counts(sort=False)
    return pd.DataFrame(
        {
            "n_reports": sizes.reindex(pd.unique(cluster)).astype("int64"),
            "sources": join_per_cluster(cluster, row_refs(frame)),
            "source": join_per_cluster(cluster, frame["source"].str.strip(), unique=True),
        }
    )


def row_refs(frame: pd.DataFrame) -> pd.Series:
    """'source_file:source_row' per row (built in Arrow, not row by row)."""
    files = pa.array(frame["source_file"], type=pa.large_string())
    rows = pa.array(frame["source_row"].to_numpy(dtype=np.int64)).cast(pa.large_string())
    refs = pc.binary_join_element_wise(files, rows, pa.scalar(":", pa.large_string()))
    return refs.to_pandas(types_mapper=lambda _: TEXT_DTYPE).set_axis(frame.index)


def first_rows(cluster: np.ndarray) -> np.ndarray:
    """Each cluster's first row (its id), ascending."""
    return np.flatnonzero(cluster == np.arange(len(cluster)))


def per_record(
    per_cluster: pd.DataFrame | pd.Series, first: np.ndarray
) -> pd.DataFrame | pd.Series:
    """Per-cluster results (indexed by cluster id in order of first appearance) by position.

    That order is ascending, so it is ``first`` (the sorted cluster ids): no lookup needed.
    """
    if not np.array_equal(per_cluster.index.to_numpy(), first):
        raise AssertionError("per-cluster results are not in cluster order")
    return per_cluster.reset_index(drop=True)


def merged_rows(frame: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    is_first = cluster == np.arange(len(frame))
    merged = frame.loc[~is_first, ["source_file", "source_row"]].copy()
    first = frame.iloc[cluster[~is_first]]
    merged["merged_into"] = row_refs(first).to_numpy()
    return merged.reset_index(drop=True)
