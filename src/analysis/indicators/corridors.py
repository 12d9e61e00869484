"""Migration corridors and labour-standards statistics, from the publishers' own files.

A corridor is an origin and a destination. Its stock comes from one publisher's series at a
time (UN DESA's years 1990-2019, or KNOMAD's one model year), never spliced: the table names
the source of every column. Shares are of the same source's total for the same year.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators.migration import source_rank, with_registry
from analysis.vocab import reference

STOCK = "corridor_stock"
REMITTANCES = "remittances_corridor_usd"
WORLD = "WLD"


def _one_source(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the best source for a corridor indicator: most years, then the registry's
    rank, then the latest release (source name). Empty stays empty."""
    if rows.empty:
        return rows
    score = (
        rows.groupby("source")
        .agg(years=("year", "nunique"), code=("source_code", "first"))
        .reset_index()
    )
    score["rank"] = source_rank(score["code"]).to_numpy()
    order = score.sort_values(["years", "rank", "source"], ascending=[False, True, False])
    return rows[rows["source"] == order["source"].iloc[0]]


def _side(
    migration: pd.DataFrame, country: str, year: int, outward: bool, top: int
) -> pd.DataFrame:
    own, other = ("country", "partner") if outward else ("partner", "country")
    rows = migration[
        (migration["indicator"] == STOCK)
        & (migration[own] == country)
        & (migration["year"] <= year)
    ]
    if not outward:  # the whole world is the other side only for emigrants
        rows = rows[rows["country"] != WORLD]
    rows = _one_source(rows)
    columns = ["other", "value", "share_pct", "first_year", "first_value", "change_pct",
               "year", "source", "source_code", "estimate_type"]  # fmt: skip
    if rows.empty:
        return pd.DataFrame(columns=columns)
    latest = int(rows["year"].max())
    now = rows[rows["year"] == latest]
    if outward:
        total = now.loc[now["partner"] == WORLD, "value"]
    else:
        total = migration.loc[
            (migration["indicator"] == "immigrant_stock")
            & (migration["country"] == country)
            & (migration["source"] == rows["source"].iloc[0])
            & (migration["year"] == latest),
            "value",
        ]
    total_value = (
        float(total.iloc[0]) if len(total) else float(now.loc[now[other] != WORLD, "value"].sum())
    )
    now = now[now[other] != WORLD].sort_values(["value", other], ascending=[False, True]).head(top)
    first_year = int(rows["year"].min())
    first = rows[rows["year"] == first_year].set_index(other)["value"]
    out = pd.DataFrame(
        {
            "other": now[other].to_numpy(),
            "value": now["value"].to_numpy(),
            "share_pct": (100 * now["value"] / total_value).to_numpy() if total_value else None,
            "first_year": first_year if first_year < latest else None,
            "first_value": now[other].map(first).to_numpy() if first_year < latest else None,
            "year": latest,
            "source": now["source"].to_numpy(),
            "source_code": now["source_code"].to_numpy(),
            "estimate_type": now["estimate_type"].to_numpy(),
        }
    )
    out["change_pct"] = 100 * (out["value"] - out["first_value"]) / out["first_value"]
    return out[columns]


def destinations(migration: pd.DataFrame, country: str, year: int, top: int = 6) -> pd.DataFrame:
    """Where a country's migrants live: the largest stocks abroad in the latest year of one
    source (up to ``year``), each with its share of all the country's emigrants (the source's
    world total) and its change since the source's first year."""
    return _side(migration, country, year, outward=True, top=top)


def origins(migration: pd.DataFrame, country: str, year: int, top: int = 6) -> pd.DataFrame:
    """Where the migrants living in a country come from (same columns as :func:`destinations`;
    the share is of all migrants living in the country)."""
    return _side(migration, country, year, outward=False, top=top)


def other_stock_sources(migration: pd.DataFrame, country: str, chosen: str) -> list[str]:
    """The other publishers' corridor sources for a country (shown as their own columns)."""
    rows = migration[
        (migration["indicator"] == STOCK)
        & ((migration["country"] == country) | (migration["partner"] == country))
        & (migration["source"] != chosen)
    ]
    return sorted(rows["source"].unique())


def partner_stock(migration: pd.DataFrame, country: str, year: int) -> pd.DataFrame:
    """The mission's own figures of migrants abroad by destination (partner files and national
    statistics, not publishers), latest year up to ``year`` per destination and source."""
    rows = with_registry(
        migration[
            (migration["indicator"] == "stock_abroad")
            & (migration["country"] == country)
            & (migration["partner"] != WORLD)
            & (migration["year"] <= year)
        ]
    )
    rows = rows[rows["kind"].isin(["partner", "official"])] if "kind" in rows else rows
    if rows.empty:
        return rows
    return rows.sort_values("year").groupby(["partner", "source"], as_index=False).tail(1)


def corridor_remittances(
    migration: pd.DataFrame, country: str, year: int, top: int = 6
) -> tuple[pd.DataFrame, float | None]:
    """Remittances received by corridor (KNOMAD model estimates): the largest senders in the
    latest year up to ``year``, each with its share of the estimates' total; and that total."""
    rows = _one_source(
        migration[
            (migration["indicator"] == REMITTANCES)
            & (migration["country"] == country)
            & (migration["year"] <= year)
        ]
    )
    if rows.empty:
        return rows, None
    latest = rows[rows["year"] == rows["year"].max()]
    world = latest.loc[latest["partner"] == WORLD, "value"]
    senders = latest[latest["partner"] != WORLD]
    total = float(world.iloc[0]) if len(world) else float(senders["value"].sum())
    top_rows = senders.sort_values(["value", "partner"], ascending=[False, True]).head(top).copy()
    top_rows["share_pct"] = 100 * top_rows["value"] / total if total else None
    return top_rows.reset_index(drop=True), total


def region_matrix(
    migration: pd.DataFrame, origins_: list[str], year: int, top: int = 8
) -> pd.DataFrame:
    """Origins (rows) x their largest destinations (columns, Russia first when present): one
    source's latest stocks up to ``year`` (the region's corridor picture)."""
    rows = migration[
        (migration["indicator"] == STOCK)
        & migration["country"].isin(origins_)
        & (migration["partner"] != WORLD)
        & (migration["year"] <= year)
    ]
    rows = _one_source(rows)
    if rows.empty:
        return pd.DataFrame()
    latest = rows[rows["year"] == rows["year"].max()]
    wide = latest.pivot_table(index="country", columns="partner", values="value", aggfunc="first")
    order = wide.sum().sort_values(ascending=False).index.tolist()
    keep = [c for c in order if c not in origins_][: max(top - 1, 1)]
    mission = [c for c in origins_ if c in wide.columns]
    columns = list(dict.fromkeys([*(["RUS"] if "RUS" in wide.columns else []), *keep, *mission]))[
        : top + len(mission)
    ]
    out = wide.reindex(index=origins_, columns=columns)
    out.attrs.update(year=int(latest["year"].iloc[0]), source=latest["source"].iloc[0],
                     source_code=latest["source_code"].iloc[0])  # fmt: skip
    return out


# --------------------------------------------------------------------------- labour standards


def labour_indicators() -> pd.DataFrame:
    return reference.read_table("labour_indicators").sort_values(
        "order", key=lambda s: s.astype(int)
    )


def labour_latest(labour: pd.DataFrame, country: str, year: int) -> pd.DataFrame:
    """One row per declared labour-standards indicator for a country: the latest total up to
    ``year`` from one series (the first the indicator lists that has the country), with the
    migrants' and non-migrants' values where the series gives them; an indicator with no value
    has ``value`` NA (not published for the country)."""
    rows = labour[(labour["country"] == country) & (labour["year"] <= year)]
    out = []
    for spec in labour_indicators().itertuples():
        mine = rows[rows["indicator"] == spec.code]
        preferred = [s for s in spec.ilostat.split(";") if s] + [
            s for s in spec.sdg.split(";") if s
        ]
        mine = mine.assign(
            _rank=mine["series"].map({s: i for i, s in enumerate(preferred)}).fillna(len(preferred))
        )
        totals = mine[mine["breakdown"] == "total"]
        entry = {"indicator": spec.code, "unit": spec.unit, "value": None, "year": None,
                 "source": None, "source_code": None, "status": "", "migrants": None,
                 "non_migrants": None, "first_year": None}  # fmt: skip
        if not totals.empty:
            best = totals.sort_values(["_rank", "year"], ascending=[True, False])
            series = best["series"].iloc[0]
            own = best[best["series"] == series].sort_values("year")
            last = own.iloc[-1]
            entry.update(
                value=float(last["value"]), year=int(last["year"]), source=last["source"],
                source_code=last["source_code"], status=last["status"] or "",
                first_year=int(own["year"].iloc[0]),
            )  # fmt: skip
            same = mine[(mine["series"] == series) & (mine["year"] == last["year"])]
            for key, words in (
                ("migrants", ("MIGPER", "Migrants")),
                ("non_migrants", ("NONMIG", "Non migrants")),
            ):
                hit = same[same["breakdown"].isin(words)]
                entry[key] = float(hit["value"].iloc[0]) if len(hit) else None
        out.append(entry)
    return pd.DataFrame(out)
