"""Clean documented violations: parse, validate, merge reports of one incident, withhold names.

Text columns are dictionary-encoded once (:class:`~analysis.clean.coded.Coded`): parsing,
mapping, keys and redaction run per distinct value, and the output columns are built once, in
their final row order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schema
from analysis.clean.coded import Coded
from analysis.clean.common import MAX_COUNT, PROVENANCE, Cleaned, none_if_blank
from analysis.clean.names import (
    PRIVATE_TEXT,
    names_per_cluster,
    shareable_names,
    shield_frame,
    withhold,
)
from analysis.clean.partners import partners_of, read_registry
from analysis.clean.problems import (
    encode,
    first_problems,
    quoted,
    rejects_table,
    year_problems,
)
from analysis.clean.records import (
    cluster_rows,
    first_rows,
    group_codes,
    hex_ids,
    merge_provenance,
    merged_rows,
    per_record,
    stable_hash,
    text_key,
    url_key,
)
from analysis.clean.versions import is_latest
from analysis.ingest.parse import (
    DATE_COLUMNS,
    is_blank,
    map_labels,
    parse_dates,
    parse_numbers,
    whole_numbers,
)
from analysis.privacy import NameShield, names_from
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


def _violation_rejects(
    raw: pd.DataFrame, reasons: pd.DataFrame, shield: NameShield
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rejected rows for sharing (their description and URL withheld: a reject has no
    reliable public flag; names withheld from every other cell and from the reason), and
    (private) the names, descriptions and URLs they held."""
    rows = reasons.index.to_numpy(dtype=np.int64)
    rejected = raw.take(rows).set_axis(reasons.index)
    private = rejected.loc[
        ~(
            is_blank(rejected["victim_names"])
            & is_blank(rejected["description"])
            & is_blank(rejected["url"])
        ),
        ["source_file", "source_row", "victim_names", *PRIVATE_TEXT],
    ]
    rejected = rejected.assign(
        **{c: withhold(rejected[c], np.ones(len(rejected), dtype=bool)) for c in PRIVATE_TEXT}
    )
    shared = rejects_table(rejected, reasons, drop=("victim_names",))
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
        group_codes(base, ok["url"].apply(lambda u: url_key(u.fillna(""))).group()),
        group_codes(base, ok["description"].apply(lambda u: text_key(u.fillna(""))).group()),
        exact,
    ]


def clean_violations(
    raw: pd.DataFrame,
    max_year: int | None = None,
    protect: list[str] | tuple[str, ...] = (),
    registry: pd.DataFrame | None = None,
    vocab: Vocabulary | None = None,
) -> Cleaned:
    """Parse, validate and de-duplicate raw violation rows (see the module docstring).

    ``protect``: more names to withhold from every shared text (from files refused unread).
    ``registry``: the partner registry that says who sent each file (:mod:`.partners`).
    ``vocab``: the labels in use (default: the shipped tables, no project mappings).
    """
    raw = raw.reset_index(drop=True)
    vocab = vocab if vocab is not None else Vocabulary()
    parsed = _parse(raw, vocab)
    reasons, unmapped = _find_problems(raw, parsed, max_year or dt.date.today().year)
    bad = np.zeros(len(raw), dtype=bool)
    bad[reasons.index.to_numpy(dtype=np.int64)] = True
    kept = _kept_rows(raw, parsed, np.flatnonzero(~bad))
    records = _merge_reports(kept)
    shield = _name_shield(parsed, bad, kept, records, protect)
    rejects, rejected_private = _violation_rejects(raw, reasons, shield)
    processed, hashed = _records_table(kept, records, registry, vocab)
    processed, private_text = _shareable(processed, shield)
    return Cleaned(
        processed=processed,
        rejects=rejects,
        merged=records.merged,
        unmapped=unmapped,
        other_values=other_values(processed),
        private={
            "violations_names": _private_names(records, hashed, shield),
            "violations_text": private_text,
            "violations_rejects_private": rejected_private,
        },
        shield=shield,
        superseded=_superseded(kept, records),
    )


@dataclass
class _Parsed:
    """Raw columns encoded once, and the values parsed from them (per distinct value)."""

    col: dict[str, Coded]
    country: Coded
    category: Coded
    date: dict[str, Coded]
    persons: pd.DataFrame  # value, is_percent per distinct raw count
    number: Coded
    public: Coded


def _parse(raw: pd.DataFrame, vocab: Vocabulary) -> _Parsed:
    col = encode(raw, [c for c in raw.columns if c not in PROVENANCE])
    aliases = vocab.matcher("countries")
    parsed_dates = parse_dates(col["date"].uniques)
    persons = parse_numbers(col["persons_affected"].uniques)
    return _Parsed(
        col=col,
        country=col["country"].apply(
            lambda u: map_labels(u, aliases).replace(reference.ALL_DESTINATIONS, pd.NA)
        ),
        category=col["category"].apply(lambda u: map_labels(u, vocab.matcher("categories"))),
        date={c: Coded(col["date"].codes, parsed_dates[c]) for c in DATE_COLUMNS},
        persons=persons,
        number=Coded(col["persons_affected"].codes, persons["value"]),
        public=col["is_public"].apply(
            lambda u: map_labels(u, reference.boolean_aliases(), dtype="object")
        ),
    )


def _find_problems(raw: pd.DataFrame, p: _Parsed, max_year: int) -> tuple[pd.DataFrame, dict]:
    """One reason per rejected row (indexed by row), and the unmapped labels with counts."""
    col, unmapped = p.col, {}
    problems = first_problems(raw, col, ("country", "date", "category"))
    problems.mapped(col["country"], p.country.isna(), "country", "unknown_country", unmapped)
    problems.mapped(col["category"], p.category.isna(), "category", "unknown_category", unmapped)
    problems.value_problem(col["date"], p.date["date"].isna(), "date", "bad_date")
    year_problems(problems, p.date["year"].values(), "date", max_year)
    not_count = p.number.mask(
        lambda v: (
            v.notna() & ((v < 0) | (v > MAX_COUNT) | ~whole_numbers(v) | p.persons["is_percent"])
        )
    )
    problems.add(
        not_count,
        "bad_number",
        quoted(col["persons_affected"], not_count, "persons_affected: not a count '"),
    )
    problems.value_problem(
        col["persons_affected"], p.number.isna(), "persons_affected", "bad_number"
    )
    problems.mapped(col["is_public"], p.public.isna(), "is_public", "unknown_boolean", unmapped)
    return problems.fold(), unmapped


@dataclass
class _Kept:
    """The rows that passed, still encoded: a subset is an integer take."""

    rows: np.ndarray  # positions in the raw table
    values: dict[str, Coded]
    source_row: np.ndarray
    is_synthetic: np.ndarray


def _kept_rows(raw: pd.DataFrame, p: _Parsed, keep: np.ndarray) -> _Kept:
    values = {
        "country": p.country,
        **p.date,
        "category": p.category,
        "persons_affected": p.number.apply(
            lambda v: v.where(v.abs() <= MAX_COUNT).round().astype("Int64")  # rejected if not
        ),
        "is_public": p.public.apply(lambda v: v.fillna(False).astype(bool)),
        **{
            c: p.col[c].apply(none_if_blank)
            for c in ("sector", "perpetrator", "location", "description", "url")
        },
        "source": p.col["source"],
        "victim_names": p.col["victim_names"].apply(lambda u: u.str.strip()),
        "source_file": Coded.of(raw["source_file"]),
    }
    return _Kept(
        rows=keep,
        values={c: v.take(keep) for c, v in values.items()},
        source_row=raw["source_row"].to_numpy()[keep],
        is_synthetic=raw["is_synthetic"].to_numpy()[keep],
    )


@dataclass
class _Records:
    """Reports of one incident merged: clusters of kept rows, one record at each first row."""

    cluster: np.ndarray
    first: np.ndarray  # kept-row position of each record's first report, ascending
    merged: pd.DataFrame
    provenance: pd.DataFrame  # n_reports, sources, source per record
    persons_affected: pd.Series
    is_public: np.ndarray
    names: Coded  # every listed name per record


def _merge_reports(kept: _Kept) -> _Records:
    ok = kept.values
    cluster = cluster_rows(_duplicate_keys(ok)) if len(kept.rows) else np.array([], dtype=int)
    trail = pd.DataFrame({"source_file": ok["source_file"].values(), "source_row": kept.source_row})
    first = first_rows(cluster)
    persons = ok["persons_affected"].values()
    current = is_latest(trail["source_file"], cluster)
    per_cluster = pd.DataFrame(
        {
            "persons_affected": persons,
            "persons_current": persons.where(current),
            "is_public": ok["is_public"].values(),  # never relaxed by a version: all must say so
        }
    ).groupby(cluster, sort=False)
    agg = per_cluster.agg(
        persons_affected=("persons_affected", "max"),
        persons_current=("persons_current", "max"),
        is_public=("is_public", "all"),
    )
    # a later version of a file restates the count: its value wins over the earlier one's
    agg["persons_affected"] = agg["persons_current"].fillna(agg["persons_affected"])
    agg = per_record(agg.drop(columns="persons_current"), first)
    provenance = merge_provenance(trail.assign(source=ok["source"].values()), cluster)
    return _Records(
        cluster=cluster,
        first=first,
        merged=merged_rows(trail, cluster),
        provenance=per_record(provenance, first),
        persons_affected=agg["persons_affected"],
        is_public=agg["is_public"].to_numpy(dtype=bool),
        names=names_per_cluster(cluster, ok["victim_names"]),
    )


def _superseded(kept: _Kept, records: _Records) -> list[dict]:
    """Counts a later file version replaced: the earlier report, its count, the record's."""
    ok = kept.values
    files = ok["source_file"].values()
    current = is_latest(files, records.cluster)
    if current.all():
        return []
    record_of = np.searchsorted(records.first, records.cluster)
    persons = ok["persons_affected"].values()
    out = []
    for row in np.flatnonzero(~current):
        new = records.persons_affected.iloc[record_of[row]]
        old = persons.iloc[row]
        if pd.isna(old) or (pd.notna(new) and int(old) == int(new)):
            continue
        later = np.flatnonzero((records.cluster == records.cluster[row]) & current)
        out.append(
            {
                "file": f"{files.iloc[row]}:{kept.source_row[row]}",
                "value": f"persons affected {int(old)}",
                "replaced_by": "; ".join(f"{files.iloc[r]}:{kept.source_row[r]}" for r in later),
                "new_value": None if pd.isna(new) else float(new),
            }
        )
    return out


def _name_shield(
    p: _Parsed,
    bad: np.ndarray,
    kept: _Kept,
    records: _Records,
    protect: list[str] | tuple[str, ...],
) -> NameShield:
    """Every name that is not a public record's: non-public records' and rejected rows'.
    A rejected row is public only when it says so itself (it belongs to no record)."""
    public_row = p.public.values().fillna(False).to_numpy(dtype=bool) & bad
    if len(kept.rows):
        public_row[kept.rows] = records.is_public[np.searchsorted(records.first, records.cluster)]
    listed = p.col["victim_names"]
    names = names_from(listed.uniques.take(np.unique(listed.codes[~public_row])).tolist())
    return NameShield([*names, *protect])


def _content_keys(ok: dict[str, Coded], records: _Records) -> pd.Series:
    """Per record, what identifies the incident besides country, date and category, from its
    content and never from a file or row: the smallest normalised source URL of its reports;
    failing a URL, the smallest normalised description; failing both, the reported details
    (persons, sector, perpetrator, place). The same for any order of rows or files, and for a
    record that another partner's report joins with the same URL or description."""
    url = ok["url"].apply(lambda u: url_key(u.fillna(""))).values()
    text = ok["description"].apply(lambda u: text_key(u.fillna(""))).values()
    details = ["persons_affected", "sector", "perpetrator", "location"]
    exact = pd.Series(stable_hash([ok[c] for c in details])).astype("str")
    key = ("1u:" + url).fillna("2t:" + text).fillna("3d:" + exact)
    per_cluster = key.groupby(records.cluster).min()  # indexed by cluster id: its first row
    return per_cluster.loc[records.first].reset_index(drop=True)


def _unique_hashes(hashed: np.ndarray, content: pd.Series) -> np.ndarray:
    """Hashes made unique: a hash two records share (a 64-bit collision, or two records with
    the same content key) is hashed again with its rank among them by content key, so the
    result depends on content alone."""
    frame = pd.DataFrame({"h": hashed, "k": content.to_numpy()})
    clash = frame["h"].duplicated(keep=False).to_numpy()
    if not clash.any():
        return hashed
    rank = frame[clash].sort_values(["h", "k"], kind="stable").groupby("h").cumcount()
    out = hashed.copy()
    rows = rank.index.to_numpy()
    out[rows] = stable_hash([pd.Series(hashed[rows]).astype("str"), rank.astype("str")])
    return out


def _records_table(
    kept: _Kept, records: _Records, registry: pd.DataFrame | None, vocab: Vocabulary
) -> tuple[pd.DataFrame, np.ndarray]:
    """The processed table (before names are withheld) in its final order, and each record's
    id hash (in record order)."""
    first = records.first
    record = {c: v.take(first) for c, v in kept.values.items()}
    content = _content_keys(kept.values, records)
    hashed = _unique_hashes(
        stable_hash([record["country"], record["date"], record["category"], content]), content
    )
    # incident_id order is hash order: sort on the hashes, not on the strings.
    order = np.lexsort([hashed, *(record[c].rank() for c in ("date", "year", "country"))])
    columns = {c: record[c].take(order).values() for c in record if c != "victim_names"}
    provenance = records.provenance
    processed = pd.DataFrame(
        {
            **columns,
            "incident_id": hex_ids("V", hashed).take(order).reset_index(drop=True),
            "persons_affected": records.persons_affected.take(order).reset_index(drop=True),
            "is_public": records.is_public[order],
            "n_reports": provenance["n_reports"].take(order).reset_index(drop=True),
            "sources": provenance["sources"].take(order).reset_index(drop=True),
            "partners": partners_of(
                provenance["sources"].take(order).reset_index(drop=True).astype("str"),
                registry if registry is not None else read_registry(None),
            ),
            "source": none_if_blank(provenance["source"]).take(order).reset_index(drop=True),
            "source_row": kept.source_row[first][order],
            "is_synthetic": kept.is_synthetic[first][order],
        }
    )
    return schema.conform(with_vocabularies(processed, vocab), schema.VIOLATIONS), hashed


def with_vocabularies(records: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Sector and perpetrator as codes of their vocabularies (``data/sectors.csv``,
    ``data/perpetrators.csv``), the text as reported kept beside them: a value no alias
    knows becomes ``other``, never a rejected row."""
    out = records.copy()
    for column, vocabulary in (("sector", "sectors"), ("perpetrator", "perpetrators")):
        out[f"{column}_reported"] = records[column]
        out[column] = vocab.codes(records[column], vocabulary)
    return out


def other_values(processed: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Reported sector and perpetrator values kept as ``other``, with their counts (for the
    quality report: extend the vocabulary's aliases to map them)."""
    out = {}
    for column in ("sector", "perpetrator"):
        other = processed.loc[processed[column] == reference.OTHER, f"{column}_reported"]
        if len(other):
            out[column] = {str(k): int(v) for k, v in other.value_counts().items()}
    return out


def _shareable(processed: pd.DataFrame, shield: NameShield) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A non-public record's own text withheld whole (kept privately), names withheld from
    every other free text."""
    private = ~processed["is_public"].to_numpy(dtype=bool)
    private_text = processed.loc[
        private & ~(processed["description"].isna() & processed["url"].isna()),
        ["incident_id", *PRIVATE_TEXT],
    ].reset_index(drop=True)
    processed = processed.assign(**{c: withhold(processed[c], private) for c in PRIVATE_TEXT})
    return shield_frame(processed, shield, schema.VIOLATIONS.free_text), private_text


def _private_names(records: _Records, hashed: np.ndarray, shield: NameShield) -> pd.DataFrame:
    """Victim names per incident (private), in incident-id order, with the names a brief may
    print for a public case."""
    has_names = records.names.mask(lambda u: u != "")
    by_hash = np.argsort(hashed[has_names], kind="stable")
    names = pd.DataFrame(
        {
            "incident_id": hex_ids("V", hashed[has_names][by_hash]),
            "victim_names": records.names.take(has_names).take(by_hash).values(),
            "is_public": records.is_public[has_names][by_hash],
        }
    )
    names["shareable_names"] = shareable_names(names["victim_names"], names["is_public"], shield)
    return schema.conform(names, schema.VIOLATIONS_NAMES)
