"""Clean legislation changes: parse, validate, merge reports of the same act."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis import reference, schema
from analysis.clean.common import PROVENANCE, Cleaned, none_if_blank
from analysis.clean.problems import (
    Problems,
    empty_rows,
    encode,
    read_problems,
    rejects_table,
    year_problems,
)
from analysis.clean.records import (
    cluster_rows,
    first_rows,
    merge_provenance,
    merged_rows,
    stable_id,
    text_key,
)
from analysis.parse import (
    is_blank,
    map_labels,
    parse_conventions,
    parse_dates,
)


def clean_legislation(raw: pd.DataFrame, max_year: int | None = None) -> Cleaned:
    """Parse, validate and de-duplicate raw legislation rows (same country, title and date)."""
    max_year = max_year or dt.date.today().year
    raw = raw.reset_index(drop=True)
    problems, unmapped = Problems(raw.index), {}
    read_problems(problems, raw)
    content = [c for c in raw.columns if c not in PROVENANCE]
    col = encode(raw, content)
    empty = empty_rows(col)
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
    year_problems(problems, adopted["year"], "date_adopted", max_year)

    reasons = problems.fold()
    bad = raw.index.isin(reasons.index)
    rejects = rejects_table(raw, reasons)
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
            "act_type": none_if_blank(raw["act_type"]),
            "summary": none_if_blank(raw["summary"]),
            "source": raw["source"],
            "url": none_if_blank(raw["url"]),
            "source_file": raw["source_file"],
            "source_row": raw["source_row"],
            "is_synthetic": raw["is_synthetic"],
        }
    )[~bad].reset_index(drop=True)
    key = ok["country"] + "|" + text_key(ok["title"]) + "|" + ok["date_adopted"]
    cluster = cluster_rows([key]) if len(ok) else np.array([], dtype=int)
    merged = merged_rows(ok, cluster)
    provenance = merge_provenance(ok, cluster)
    conventions = (
        pd.DataFrame({"cluster": cluster, "c": ok["ilo_conventions"]})
        .groupby("cluster")["c"]
        .agg(lambda s: ";".join(sorted({c for v in s for c in v.split(";") if c})))
    )
    first = ok.iloc[first_rows(cluster)].copy()
    clusters = first.index.to_numpy()
    for column in ("n_reports", "sources", "source"):
        first[column] = provenance.loc[clusters, column].to_numpy()
    first["source"] = none_if_blank(first["source"])
    first["ilo_conventions"] = conventions.loc[clusters].to_numpy()
    first["ilo_conventions"] = none_if_blank(first["ilo_conventions"])
    first["act_id"] = stable_id(
        "L", [first["country"], first["date_adopted"], text_key(first["title"])]
    )
    processed = schema.conform(first, schema.LEGISLATION).sort_values(
        ["country", "year", "date_adopted", "act_id"], ignore_index=True
    )
    return Cleaned(processed=processed, rejects=rejects, merged=merged, unmapped=unmapped)
