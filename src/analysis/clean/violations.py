"""Clean documented violations: parse, validate, merge reports of one incident, withhold names.

Text columns are dictionary-encoded once (:class:`~analysis.coded.Coded`): parsing,
mapping, keys and redaction run per distinct value, and the output columns are built once, in
their final row order (a million rows in seconds).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis import reference, schema
from analysis.clean.common import MAX_COUNT, PROVENANCE, Cleaned, none_if_blank
from analysis.clean.names import (
    PRIVATE_TEXT,
    names_per_cluster,
    shareable_names,
    shield_frame,
    withhold,
)
from analysis.clean.problems import (
    Problems,
    empty_rows,
    encode,
    quoted,
    read_problems,
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
from analysis.coded import Coded
from analysis.parse import (
    DATE_COLUMNS,
    is_blank,
    map_labels,
    parse_dates,
    parse_numbers,
    whole_numbers,
)
from analysis.privacy import NameShield, names_from


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
    problems, unmapped = Problems(raw.index), {}
    read_problems(problems, raw)
    content = [c for c in raw.columns if c not in PROVENANCE]
    col = encode(raw, content)
    blank = {c: col[c].mask(is_blank) for c in ("country", "date", "category")}
    empty = empty_rows(col)
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
    year_problems(problems, date["year"].values(), "date", max_year)
    not_count = number.mask(
        lambda v: (
            v.notna() & ((v < 0) | (v > MAX_COUNT) | ~whole_numbers(v) | persons["is_percent"])
        )
    )
    problems.add(not_count, "bad_number",
                 quoted(col["persons_affected"], not_count, "persons_affected: not a count '"))  # fmt: skip
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
            c: col[c].apply(none_if_blank)
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
    merged = merged_rows(trail, cluster)
    provenance = merge_provenance(trail.assign(source=ok["source"].values()), cluster)

    # One record per cluster, at its first row.
    first = first_rows(cluster)
    per_cluster = pd.DataFrame(
        {"persons_affected": ok["persons_affected"].values(), "is_public": ok["is_public"].values()}
    ).groupby(cluster, sort=False)
    agg = per_cluster.agg(
        persons_affected=("persons_affected", "max"), is_public=("is_public", "all")
    )
    agg = per_record(agg, first)
    provenance = per_record(provenance, first)
    names = names_per_cluster(cluster, ok["victim_names"])
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
    hashed = stable_hash(
        [
            record["country"],
            record["date"],
            record["category"],
            record["source_file"],
            pd.Series(source_row[first]),
        ]
    )
    incident_id = hex_ids("V", hashed)
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
            "source": none_if_blank(provenance["source"]).take(order).reset_index(drop=True),
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
