"""What a brief reads: the processed tables (read once) and a digest of exactly what it shows.

Kept apart from :mod:`analysis.brief` so that the batch can hash every brief's inputs without
importing matplotlib: a rerun with nothing to rebuild must take about a second.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import indicators, reference

REGIONAL = "regional"  # the pseudo-country of the regional overview


@dataclass(frozen=True)
class ProcessedData:
    """The processed tables a brief reads, read once (the batch hashes them per brief)."""

    violations: pd.DataFrame
    legislation: pd.DataFrame
    migration: pd.DataFrame
    public_names: pd.DataFrame  # incident_id, victim_names: public cases only
    quality: dict
    _regional: dict[int, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def regional(self, year: int) -> pd.DataFrame:
        """The regional comparison of ``year`` (every brief shows it; computed once)."""
        if year not in self._regional:
            self._regional[year] = indicators.regional_comparison(
                self.violations, self.legislation, self.migration,
                reference.mission_countries(), year,
            )  # fmt: skip
        return self._regional[year].copy()


class ProcessedDataError(ValueError):
    """The processed folder is missing or damaged: one line saying so and what to run."""


def read_processed(processed_dir: str | Path) -> ProcessedData:
    """Read the processed tables, the public victim names and the quality report.

    A missing or damaged file raises :class:`ProcessedDataError` naming it (rerun
    ``analysis clean``), never a parser's traceback."""
    folder = Path(processed_dir)

    def table(path: Path) -> pd.DataFrame:
        try:
            return pd.read_parquet(path)
        except Exception as exc:
            raise ProcessedDataError(_damaged(path, exc)) from None

    report_path = folder / "quality_report.json"
    try:
        quality = (
            json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
        )
        if not isinstance(quality, dict):
            raise ValueError("not a JSON object")
    except (ValueError, OSError) as exc:
        raise ProcessedDataError(_damaged(report_path, exc)) from None
    names_path = folder / "private" / "violations_names.parquet"
    names = (
        table(names_path)
        if names_path.exists()
        else pd.DataFrame(
            {"incident_id": [], "victim_names": [], "is_public": [], "shareable_names": []}
        )
    )
    return ProcessedData(
        violations=table(folder / "violations.parquet"),
        legislation=table(folder / "legislation.parquet"),
        migration=table(folder / "migration.parquet"),
        public_names=_public_names(names),
        quality=quality,
    )


def _public_names(names: pd.DataFrame) -> pd.DataFrame:
    """Names a brief may print (public records; see ``clean.shareable_names``)."""
    if "shareable_names" not in names:  # processed by an older version: clean again
        return pd.DataFrame({"incident_id": [], "victim_names": []}, dtype="str")
    public = names[names["is_public"].astype(bool) & names["shareable_names"].notna()]
    return public[["incident_id", "shareable_names"]].rename(
        columns={"shareable_names": "victim_names"}
    )


def _damaged(path: Path, exc: Exception) -> str:
    what = "missing" if isinstance(exc, FileNotFoundError) else f"unreadable ({type(exc).__name__})"
    return f"{path} is {what}: run `analysis clean` (or `make data`) to rebuild the processed data"


def _add(digest, frame: pd.DataFrame) -> None:
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(",".join(map(str, frame.columns)).encode())


def shared_digest(data: ProcessedData, year: int) -> str:
    """Hash of what every brief of ``year`` shows about all countries: the regional comparison,
    the dataset-wide latest record date and the cleaning totals."""
    digest = hashlib.sha256()
    _add(digest, data.regional(year))
    totals = {k: {m: v.get(m) for m in ("rows_rejected", "rows_merged_duplicates")}
              for k, v in data.quality.get("datasets", {}).items()}  # fmt: skip
    latest = indicators.is_partial_year(data.violations, year)
    digest.update(
        json.dumps(
            [totals, latest, bool(data.quality.get("is_synthetic"))], sort_keys=True
        ).encode()
    )
    return digest.hexdigest()


def data_digest(data: ProcessedData, country: str, year: int, shared: str | None = None) -> str:
    """Hash of exactly the data one brief shows, so that a change in another country's records
    rebuilds this brief only when it changes what this brief shows (see :func:`shared_digest`).
    The regional overview hashes every mission country's rows."""
    digest = hashlib.sha256((shared or shared_digest(data, year)).encode())
    countries = reference.mission_countries() if country == REGIONAL else [country]
    for frame in (data.violations, data.legislation, data.migration):
        _add(digest, frame[frame["country"].isin(countries)])
    own = data.violations.loc[data.violations["country"].isin(countries), "incident_id"]
    _add(digest, data.public_names[data.public_names["incident_id"].isin(own)])
    return digest.hexdigest()[:12]
