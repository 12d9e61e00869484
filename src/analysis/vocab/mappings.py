"""Labels as partners write them -> codes: tolerant matching that stays honest, the
researcher's own mappings as project data, and ranked suggestions for what is still unknown.

Matching, in order (the first that decides wins):

1. the alias table, after :func:`analysis.vocab.reference.normalise_label` (case, ``ё``, quotes,
   spacing);
2. the same words in any order, punctuation and the stop words of each language
   (``data/stop_words.csv``) ignored, each word compared by its first letters (so
   inflections meet: "арест активистов" = "арест активиста");
3. every word of an alias of two words or more found in the label ("Trade union dissolved"
   contains "union dissolved"), a word also matching with one typo when it is long; nothing
   is decided when two codes fit equally, or when a word left over is distinctive of another
   code (in the aliases of one or two codes only: the label then says two things).

Steps 2 and 3 are listed in the quality report (``tolerant_matches``) so that a person can see
every such decision. A label still unknown is rejected with ranked suggestions (closest codes
by rapidfuzz, with scores): never mapped by a guess.

Project mappings: ``data/mappings/<kind>.csv`` (``code,alias``; kinds: countries,
categories, directions, indicators, sectors, perpetrators) extend and override the shipped
tables without touching the package; they are validated (unknown code, one alias claimed by
two codes: an error naming the file and line) and the aliases that matched nothing in a clean
are reported as unused.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

KINDS = {  # project mapping file -> the reference table whose codes it may use
    "countries": ("countries", "iso3"),
    "categories": ("violation_categories", "code"),
    "directions": ("legislation_directions", "code"),
    "indicators": ("migration_indicators", "code"),
    "sectors": ("sectors", "code"),
    "perpetrators": ("perpetrators", "code"),
}
HEADER_KINDS = {  # project header files -> the dataset whose columns they may name
    f"columns_{dataset}": dataset for dataset in ("violations", "legislation", "migration")
}
STEM = 5
MIN_SCORE = 50  # below this a "suggestion" is noise: none is given
GENERIC_WORD_CODES = 3  # a word in the aliases of this many codes ("union") tells none apart
_NON_WORD = re.compile(r"[^\w]+")


class MappingError(ValueError):
    """A project mapping file that cannot be used; the message names the file and line."""


@cache
def stop_words() -> frozenset[str]:
    from analysis.vocab.reference import read_table

    return frozenset(read_table("stop_words")["word"].str.casefold())


def words(label: str) -> list[str]:
    """The words of a label that carry meaning: folded, punctuation and stop words dropped."""
    from analysis.vocab.reference import normalise_label

    tokens = _NON_WORD.sub(" ", normalise_label(label).replace("'", "")).split()
    return [w for w in tokens if w not in stop_words()]


def stems(label: str) -> frozenset[str]:
    return frozenset(w[:STEM] for w in words(label))


def _near(word: str, candidates: frozenset[str]) -> bool:
    """A label's word matches an alias word: same stem, or one typo in a long word."""
    if word[:STEM] in {c[:STEM] for c in candidates}:
        return True
    if len(word) < 6:
        return False
    from rapidfuzz.distance import OSA

    return any(len(c) >= 6 and OSA.distance(word, c) <= 1 for c in candidates)


class LabelMatcher(dict):
    """A normalised alias table (``dict``: alias -> code) that also matches tolerantly.

    ``get(normalised_label)`` returns the code by the rules of the module docstring;
    ``tolerant`` records the labels matched by rules 2 and 3, ``used`` the aliases that
    matched (for the unused-alias report)."""

    def __init__(
        self,
        aliases: dict[str, str],
        project: dict[str, str] | None = None,
        min_alias_words: int = 2,
        strict: bool = True,
    ) -> None:
        super().__init__(aliases)
        self.min_alias_words = min_alias_words  # shortest alias that may decide inside a label
        self.strict = strict  # a left-over word distinctive of another code undecides
        self.project = dict(project or {})  # project aliases (normalised) -> code
        self.tolerant: dict[str, str] = {}
        self.used: set[str] = set()
        self._choices: dict[str, str] | None = None  # alias -> its words, for suggestions
        self._suggested: dict[str, list[tuple[str, int]]] = {}
        self._by_stems: dict[frozenset[str], set[str]] = {}
        self._alias_words: list[tuple[frozenset[str], frozenset[str], str, str]] = []
        self._word_codes: dict[str, set[str]] = {}  # word stem -> codes whose aliases use it
        for alias, code in aliases.items():
            alias_stems = stems(alias)
            if alias_stems:
                self._by_stems.setdefault(alias_stems, set()).add(code)
                self._alias_words.append((alias_stems, frozenset(words(alias)), code, alias))
                for stem in alias_stems:
                    self._word_codes.setdefault(stem, set()).add(code)

    def get(self, key, default=None):
        if key in self:
            self.used.add(key)
            return dict.__getitem__(self, key)
        code = self._tolerant(key)
        if code is None:
            return default
        self.tolerant[key] = code
        return code

    def _tolerant(self, key: str) -> str | None:
        label_stems = stems(key)
        if not label_stems:
            return None
        codes = self._by_stems.get(label_stems)
        if codes and len(codes) == 1:
            return next(iter(codes))
        label_words = words(key)
        covered: dict[str, set[str]] = {}  # code -> stems of its aliases found in the label
        matched: dict[str, set[str]] = {}  # code -> those aliases' words
        for alias_stems, alias_words, code, alias in self._alias_words:
            if len(alias_words) < self.min_alias_words:  # too short to decide inside a label
                continue
            if all(_near(w, frozenset(label_words)) for w in alias_words):
                covered.setdefault(code, set()).update(alias_stems)  # words told by stem
                matched.setdefault(code, set()).update(alias_words)
                self.used.add(alias)
        if not covered:
            return None
        best = max(len(v) for v in covered.values())
        winners = [c for c, v in covered.items() if len(v) == best]
        if len(winners) != 1:
            return None
        winner = winners[0]
        # a word left over that belongs to another code's aliases: the label says two things
        leftover = [w for w in label_words if not _near(w, frozenset(matched[winner]))]
        for w in leftover if self.strict else []:
            codes = self._word_codes.get(w[:STEM], set())
            if len(codes) < GENERIC_WORD_CODES and codes - {winner}:
                return None
        return winner

    def suggest(self, label: str, limit: int = 3) -> list[tuple[str, int]]:
        """The closest codes to a label no rule maps, best first, with a 0-100 score."""
        if label in self._suggested:  # the rejects and the suggestions file ask alike
            return self._suggested[label][:limit]
        from rapidfuzz import fuzz, process

        from analysis.vocab.reference import normalise_label

        if self._choices is None:
            self._choices = {alias: " ".join(words(alias)) or alias for alias in self}
        choices = self._choices
        found = process.extract(
            " ".join(words(label)) or normalise_label(label),
            choices,
            scorer=fuzz.token_set_ratio,
            limit=limit * 6,
        )
        best: dict[str, int] = {}
        for _text, score, alias in found:
            code = dict.__getitem__(self, alias)
            best[code] = max(best.get(code, 0), round(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        self._suggested[label] = [(c, s) for c, s in ranked[:limit] if s >= MIN_SCORE]
        return self._suggested[label]


# --------------------------------------------------------------------------- project data


@dataclass
class ProjectMappings:
    folder: Path | None = None
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> alias -> code
    lines: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> alias -> file:line


_PROJECT = ProjectMappings()


def read_project(folder: str | Path | None) -> ProjectMappings:
    """Read and validate ``folder/<kind>.csv`` (``code,alias``)."""
    from analysis.vocab.reference import normalise_label, read_table

    if folder is None or not Path(folder).is_dir():
        return ProjectMappings()
    mappings = ProjectMappings(Path(folder))
    for path in sorted(Path(folder).glob("*.csv")):
        kind = path.stem
        if kind not in KINDS and kind not in HEADER_KINDS:
            expected = ", ".join(f"{k}.csv" for k in (*KINDS, *HEADER_KINDS))
            raise MappingError(f"{path}: unknown mapping file; expected one of {expected}")
        if kind in HEADER_KINDS:
            table, column = "columns", f"column (dataset {HEADER_KINDS[kind]})"
            spec = read_table("columns")
            valid = set(spec.loc[spec["dataset"] == HEADER_KINDS[kind], "column"])
        else:
            table, column = KINDS[kind]
            valid = set(read_table(table)[column])
        seen = mappings.aliases.setdefault(kind, {})
        where = mappings.lines.setdefault(kind, {})
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().casefold() for h in next(reader, [])]
            if header[:2] != ["code", "alias"]:
                raise MappingError(f"{path}, line 1: the header must be 'code,alias'")
            for number, row in enumerate(reader, start=2):
                if not any(c.strip() for c in row):
                    continue
                if len(row) < 2:
                    raise MappingError(f"{path}, line {number}: expected 'code,alias'")
                code, alias = row[0].strip(), row[1].strip()
                if code not in valid:
                    raise MappingError(
                        f"{path}, line {number}: unknown code {code!r} (column {column} of {table}.csv)"
                    )
                key = normalise_label(alias)
                if not key:
                    raise MappingError(f"{path}, line {number}: empty alias")
                if key in seen and seen[key] != code:
                    raise MappingError(
                        f"{path}, line {number}: alias {alias!r} is claimed by {seen[key]!r} "
                        f"({where[key]}) and {code!r}"
                    )
                seen[key] = code
                where[key] = f"{path.name}:{number}"
    return mappings


def use_project(folder: str | Path | None) -> ProjectMappings:
    """Make ``folder``'s mappings the ones every alias table includes (validated first), and
    start the record of tolerant matches and used aliases afresh."""
    global _PROJECT
    _PROJECT = read_project(folder)
    from analysis.vocab import reference

    reference.clear_alias_caches()
    return _PROJECT


def project() -> ProjectMappings:
    return _PROJECT


def combine(
    kind: str, shipped: dict[str, str], min_alias_words: int = 2, strict: bool = True
) -> LabelMatcher:
    """The shipped aliases extended and overridden by the project's for one kind."""
    extra = _PROJECT.aliases.get(kind, {})
    return LabelMatcher({**shipped, **extra}, extra, min_alias_words, strict)


def unused_project_aliases(matchers: dict[str, LabelMatcher]) -> list[dict]:
    """Project aliases that matched no raw value in this clean (file:line, kind, alias)."""
    out = []
    for kind, aliases in _PROJECT.aliases.items():
        used = matchers[kind].used if kind in matchers else set()
        for alias in aliases:
            if alias not in used:
                out.append({"kind": kind, "alias": alias, "where": _PROJECT.lines[kind][alias]})
    return out


def accept(marked: str | Path, folder: str | Path) -> dict[str, int]:
    """Turn reviewed suggestions into project mappings: ``marked`` is the suggestions CSV the
    cleaning wrote (``kind,label,...,accept``) with ``accept`` filled by a person: a code, or
    ``1``/``2``/``3`` for that suggestion. Rows left blank are skipped. Every accepted row is
    validated before any file is written; returns the aliases added per kind."""
    from analysis import storage

    table = pd.read_csv(marked, dtype=str, keep_default_na=False)
    needed = {"kind", "label", "accept"}
    if not needed <= set(table.columns):
        raise MappingError(
            f"{marked}: expected the columns {sorted(needed)} (the suggestions file)"
        )
    added: dict[str, list[tuple[str, str]]] = {}
    for number, row in enumerate(table.itertuples(index=False), start=2):
        choice = str(row.accept).strip()
        if not choice:
            continue
        if row.kind not in KINDS and row.kind not in HEADER_KINDS:
            raise MappingError(f"{marked}, line {number}: unknown kind {row.kind!r}")
        if choice in {"1", "2", "3"}:
            choice = getattr(row, f"suggestion_{choice}", "").strip()
            if not choice:
                raise MappingError(f"{marked}, line {number}: there is no such suggestion")
        added.setdefault(row.kind, []).append((choice, row.label))
    import shutil
    import tempfile

    folder = Path(folder)
    contents = {}
    for kind, pairs in added.items():
        path = folder / f"{kind}.csv"
        lines = (
            path.read_text(encoding="utf-8-sig").splitlines() if path.exists() else ["code,alias"]
        )
        contents[kind] = "\n".join([*lines, *(_csv_line(c, a) for c, a in pairs)]) + "\n"
    with tempfile.TemporaryDirectory() as tmp:  # the whole result validated before writing
        trial = Path(tmp) / "mappings"
        if folder.is_dir():
            shutil.copytree(folder, trial)
        trial.mkdir(exist_ok=True)
        for kind, text in contents.items():
            (trial / f"{kind}.csv").write_text(text, encoding="utf-8")
        try:
            read_project(trial)
        except MappingError as exc:
            raise MappingError(str(exc).replace(str(trial), str(folder))) from None
    for kind, text in contents.items():
        storage.write_text(folder / f"{kind}.csv", text)
    return {kind: len(pairs) for kind, pairs in added.items()}


def _csv_line(code: str, alias: str) -> str:
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([code, alias])
    return buffer.getvalue()
