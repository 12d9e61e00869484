"""What a brief reads: the processed tables (read once) and a digest of exactly what it shows.

Kept apart from :mod:`analysis.publish.brief` so that the batch can hash every brief's inputs without
importing matplotlib: a rerun with nothing to rebuild must take about a second.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import schema
from analysis.cache import LatestOnly
from analysis.indicators.comparisons import regional_comparison
from analysis.indicators.counts import is_partial_year, monitoring_spans
from analysis.paths import REGIONAL
from analysis.vocab import reference
from analysis.vocab.text import LANGS


@dataclass(frozen=True)
class ProcessedData:
    """The processed tables a brief reads, read once (the batch hashes them per brief)."""

    violations: pd.DataFrame
    legislation: pd.DataFrame
    migration: pd.DataFrame
    public_names: pd.DataFrame  # incident_id, victim_names: public cases only
    quality: dict
    labour: pd.DataFrame = field(default_factory=lambda: schema.empty(schema.LABOUR))
    _regional: dict[int, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    _fingerprints: dict[tuple, bytes] = field(default_factory=dict, repr=False, compare=False)

    def regional(self, year: int) -> pd.DataFrame:
        """The regional comparison of ``year`` (every brief shows it; computed once)."""
        if year not in self._regional:
            self._regional[year] = regional_comparison(
                self.violations,
                self.legislation,
                self.migration,
                reference.mission_countries(),
                year,
            )
        return self._regional[year].copy()

    def rows_fingerprint(self, countries: tuple[str, ...]) -> bytes:
        """The row hashes of everything about ``countries`` (records, acts, migration, public
        names), whatever the year, as :func:`data_digest` feeds them to its hash: computed once
        per set of countries (a decade archive asks for the same country's rows ten times)."""
        if countries not in self._fingerprints:
            parts: list[bytes] = []
            for frame in (self.violations, self.legislation, self.labour):
                parts += _fingerprint(frame[frame["country"].isin(countries)])
            corridor = self.migration["country"].isin(countries) | self.migration["partner"].isin(
                countries
            )  # the migrants from a country, and those living in it
            parts += _fingerprint(self.migration[corridor])
            own = self.violations.loc[self.violations["country"].isin(countries), "incident_id"]
            parts += _fingerprint(self.public_names[self.public_names["incident_id"].isin(own)])
            self._fingerprints[countries] = b"".join(parts)
        return self._fingerprints[countries]


class ProcessedDataError(ValueError):
    """The processed folder is missing or damaged: one line saying so and what to run."""


_FILES = (
    "violations.parquet",
    "legislation.parquet",
    "migration.parquet",
    "quality_report.json",
    "private/violations_names.parquet",
    "labour_standards.parquet",
)
_READ: LatestOnly[ProcessedData] = LatestOnly(lambda folder: _read(folder))  # per process


def read_processed(processed_dir: str | Path) -> ProcessedData:
    """Read the processed tables, the public victim names and the quality report: the one
    reader of the batch, the briefs and the interactive API.

    Read once per process while the files are unchanged (a kernel that renders several briefs
    reads them for the first only). A missing or damaged file raises
    :class:`ProcessedDataError` naming it (rerun ``analysis clean``), never a parser's
    traceback."""
    return _READ.get(Path(processed_dir).resolve(), _FILES)


def _read(folder: Path) -> ProcessedData:
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
        labour=(
            table(labour_path)
            if (labour_path := folder / f"{schema.LABOUR.name}.parquet").exists()
            else schema.empty(schema.LABOUR)
        ),
    )


def validate_parameters(
    countries: list[str],
    year: int,
    langs: list[str],
    spans: dict[str, tuple[int, int]],
) -> None:
    """Refuse unknown countries, years with no monitoring data and unsupported languages,
    listing valid values. ``spans``: first and last monitored year per country
    (:func:`analysis.indicators.monitoring_spans`); with no country (the regional overview
    alone) the year must be monitored somewhere."""
    valid = reference.mission_countries()
    problems = []
    if not langs:
        problems.append(f"no language given; valid: {', '.join(LANGS)}")
    unknown = [c for c in countries if c not in valid]
    if unknown:
        problems.append(f"unknown country code(s) {unknown}; valid: {', '.join(valid)}")
    if not spans:
        problems.append("no monitoring data (run `analysis clean` first)")
    else:
        checked = [c for c in countries if c in valid]
        outside = [c for c in checked if c not in spans or not spans[c][0] <= year <= spans[c][1]]
        first = min(s[0] for s in spans.values())
        last = max(s[1] for s in spans.values())
        if outside:
            listed = ", ".join(
                f"{c} ({spans[c][0]}-{spans[c][1]})" if c in spans else f"{c} (none)"
                for c in outside
            )
            problems.append(
                f"year {year} has no monitoring data for {listed}: the years in brackets have data"
            )
        elif not checked and not first <= year <= last:
            problems.append(f"year {year} has no monitoring data; years with data: {first}-{last}")
    bad_langs = [lang for lang in langs if lang not in LANGS]
    if bad_langs:
        problems.append(f"unsupported language(s) {bad_langs}; valid: {', '.join(LANGS)}")
    if problems:
        raise ValueError("; ".join(problems))


def is_cross_country(key: str) -> bool:
    """The regional overview and the thematic reports cover every mission country."""
    return key == REGIONAL or reference.theme_of(key) is not None


def spans_in(data: ProcessedData) -> dict[str, tuple[int, int]]:
    """First and last monitored year per country (public statistics do not count: a World
    Bank series from 1960 does not make 1960 a monitored year)."""
    return monitoring_spans(data.violations, data.legislation)


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


def _fingerprint(frame: pd.DataFrame) -> list[bytes]:
    """What a digest reads of a frame: its row hashes, then its column names."""
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    return [rows, ",".join(map(str, frame.columns)).encode()]


def _add(digest, frame: pd.DataFrame) -> None:
    for part in _fingerprint(frame):
        digest.update(part)


def shared_digest(data: ProcessedData, year: int) -> str:
    """Hash of what every brief of ``year`` shows about all countries: the regional comparison,
    the dataset-wide latest record date and the cleaning totals."""
    digest = hashlib.sha256()
    _add(digest, data.regional(year))
    totals = {
        k: {m: v.get(m) for m in ("rows_rejected", "rows_merged_duplicates")}
        for k, v in data.quality.get("datasets", {}).items()
    }
    latest = is_partial_year(data.violations, year)
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
    countries = reference.mission_countries() if is_cross_country(country) else [country]
    digest = hashlib.sha256((shared or shared_digest(data, year)).encode())
    digest.update(data.rows_fingerprint(tuple(countries)))
    return digest.hexdigest()[:12]
