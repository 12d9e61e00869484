"""Clean legislation changes: parse, validate, merge reports of the same act."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis import schema
from analysis.clean.common import PROVENANCE, Cleaned, none_if_blank
from analysis.clean.problems import (
    encode,
    first_problems,
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
from analysis.clean.versions import versions
from analysis.ingest.parse import (
    map_labels,
    parse_conventions,
    parse_dates,
)
from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


def clean_legislation(
    raw: pd.DataFrame, max_year: int | None = None, vocab: Vocabulary | None = None
) -> Cleaned:
    """Parse, validate and de-duplicate raw legislation rows (same country, title and date)."""
    raw = raw.reset_index(drop=True)
    parsed = _parse(raw, vocab if vocab is not None else Vocabulary())
    reasons, unmapped = _find_problems(raw, parsed, max_year or dt.date.today().year)
    ok = parsed[~raw.index.isin(reasons.index)].reset_index(drop=True)
    cluster = cluster_rows([_act_key(ok)]) if len(ok) else np.array([], dtype=int)
    return Cleaned(
        processed=_acts_table(ok, cluster),
        rejects=rejects_table(raw, reasons),
        merged=merged_rows(ok, cluster),
        unmapped=unmapped,
    )


def _parse(raw: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Every row's parsed values (NA where a value cannot be read) and its provenance."""
    country = map_labels(raw["country"], vocab.matcher("countries"))
    adopted = parse_dates(raw["date_adopted"])
    return pd.DataFrame(
        {
            "country": country.where(country != reference.ALL_DESTINATIONS),
            "title": raw["title"].str.strip(),
            "date_adopted": adopted["date"],
            "date_adopted_precision": adopted["date_precision"],
            "year": adopted["year"],
            "date_in_force": parse_dates(raw["date_in_force"])["date"],
            "direction": map_labels(raw["direction"], vocab.matcher("directions")),
            "ilo_conventions": parse_conventions(raw["ilo_conventions"]),
            "act_type": none_if_blank(raw["act_type"]),
            "summary": none_if_blank(raw["summary"]),
            "source": raw["source"],
            "url": none_if_blank(raw["url"]),
            "source_file": raw["source_file"],
            "source_row": raw["source_row"],
            "is_synthetic": raw["is_synthetic"],
        }
    )


def _find_problems(
    raw: pd.DataFrame, parsed: pd.DataFrame, max_year: int
) -> tuple[pd.DataFrame, dict]:
    """One reason per rejected row (indexed by row), and the unmapped labels with counts."""
    col, unmapped = encode(raw, [c for c in raw.columns if c not in PROVENANCE]), {}
    problems = first_problems(raw, col, ("country", "title", "date_adopted", "direction"))
    for column, code in (("country", "unknown_country"), ("direction", "unknown_direction")):
        problems.mapped(col[column], parsed[column].isna().to_numpy(), column, code, unmapped)
    for column in ("date_adopted", "date_in_force"):
        problems.value_problem(col[column], parsed[column].isna().to_numpy(), column, "bad_date")
    year_problems(problems, parsed["year"], "date_adopted", max_year)
    return problems.fold(), unmapped


def _act_key(ok: pd.DataFrame) -> pd.Series:
    """Two reports of one act: same country, adoption date and (near-identical) title."""
    return ok["country"] + "|" + text_key(ok["title"]) + "|" + ok["date_adopted"]


def _acts_table(ok: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    """One row per act at its first report, with every report's conventions and provenance."""
    provenance = merge_provenance(ok, cluster)
    conventions = (
        pd.DataFrame({"cluster": cluster, "c": ok["ilo_conventions"]})
        .groupby("cluster")["c"]
        .agg(lambda s: ";".join(sorted({c for v in s for c in v.split(";") if c})))
    )
    first = ok.iloc[first_rows(cluster)].copy()
    clusters = first.index.to_numpy()
    # a later version of the first report's file restates the act: its values win
    fam = versions(ok["source_file"]).assign(cluster=cluster, pos=np.arange(len(ok)))
    first_family = fam["family"].to_numpy()[cluster]
    same = fam[fam["family"].to_numpy() == first_family]
    latest = same.sort_values(["cluster", "order", "pos"], ascending=[True, False, True])
    chosen = latest.drop_duplicates("cluster").set_index("cluster")["pos"]
    restated = chosen.loc[clusters].to_numpy()
    if (restated != clusters).any():
        values = [c for c in ("title", "date_in_force", "direction", "act_type", "summary", "url")]
        for column in values:
            first[column] = ok[column].to_numpy()[restated]
    for column in ("n_reports", "sources", "source"):
        first[column] = provenance.loc[clusters, column].to_numpy()
    first["source"] = none_if_blank(first["source"])
    first["ilo_conventions"] = conventions.loc[clusters].to_numpy()
    first["ilo_conventions"] = none_if_blank(first["ilo_conventions"])
    first["act_id"] = stable_id(
        "L", [first["country"], first["date_adopted"], text_key(first["title"])]
    )
    return schema.conform(first, schema.LEGISLATION).sort_values(
        ["country", "year", "date_adopted", "act_id"], ignore_index=True
    )
