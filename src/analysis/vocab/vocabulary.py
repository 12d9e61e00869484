"""One vocabulary object: the package's reference tables joined with the researcher's own
mappings (``data/mappings/``), passed explicitly to whatever reads labels: the cleaning, the
readers' header matching, the partner feedback and the API's ``select``.

Nothing is kept at module level: two vocabularies (a project's and the shipped one) live side
by side, and a clean records its tolerant matches and unused aliases on its own object.

    vocab = Vocabulary.load("data/mappings")      # or Vocabulary() for the shipped tables only
    vocab.matcher("countries").get(normalise_label("Кыргызстан"))   # -> "KGZ"
    vocab.codes(values, "sectors")                # vocabulary codes, "other" when none fits
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.vocab import reference
from analysis.vocab.matching import LabelMatcher
from analysis.vocab.project import ProjectMappings, read_project
from analysis.vocab.tables import normalise_label

LABEL_KINDS = ("countries", "categories", "directions", "indicators", "sectors", "perpetrators")
# Sectors and perpetrators are read more loosely than the coded columns: one alias word inside
# a longer value decides ("сотрудники милиции" is the police) and the code covering most of the
# value wins over a stray word ("Teachers (public schools)" is education).
_LOOSE = {"sectors", "perpetrators"}


def _letters(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalpha())


def _shipped(kind: str) -> dict[str, str]:
    if kind == "countries":
        return reference.shipped_country_aliases()
    if kind == "categories":
        return reference.shipped_category_aliases()
    table = {"directions": "legislation_directions", "indicators": "migration_indicators"}
    return reference.coded_aliases(table.get(kind, kind))


@dataclass(eq=False)
class Vocabulary:
    """The package tables + one project's mappings; builds each matcher once, on first use."""

    project: ProjectMappings = field(default_factory=ProjectMappings)
    _matchers: dict[str, LabelMatcher] = field(default_factory=dict, init=False, repr=False)
    _headers: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False)
    _world: dict[str, str] | None = field(default=None, init=False, repr=False)

    @classmethod
    def load(cls, mappings_dir: str | Path | None) -> Vocabulary:
        """The shipped tables with ``mappings_dir``'s files (validated: a
        :class:`~analysis.vocab.project.MappingError` names the file and line)."""
        return cls(read_project(mappings_dir))

    # ------------------------------------------------------------------ labels -> codes

    def matcher(self, kind: str) -> LabelMatcher:
        """The tolerant matcher of one kind (:data:`LABEL_KINDS`): shipped aliases extended
        and overridden by the project's."""
        if kind not in self._matchers:
            if kind not in LABEL_KINDS:
                raise KeyError(f"unknown vocabulary kind {kind!r}; one of {LABEL_KINDS}")
            extra = self.project.aliases.get(kind, {})
            loose = kind in _LOOSE
            self._matchers[kind] = LabelMatcher(
                {**_shipped(kind), **extra},
                extra,
                min_alias_words=1 if loose else 2,
                strict=not loose,
            )
        return self._matchers[kind]

    def codes(self, values: pd.Series, kind: str) -> pd.Series:
        """Code of each reported value of a loose vocabulary (``sectors``, ``perpetrators``),
        ``other`` when none fits or two fit equally; blank -> NA. Once per distinct value."""
        matcher = self.matcher(kind)
        mapping = {}
        for value in pd.unique(values.dropna()).tolist():
            key = normalise_label(value)
            if key.strip(" .,;:-–—«»\"'()"):
                mapping[value] = matcher.get(key) or reference.OTHER
        return values.map(mapping).astype("str")

    def world_codes(self, names: pd.Series) -> pd.Series:
        """ISO3 of each country name as a publisher writes it (World Bank, UN, ILO and ISO
        spellings, the mission's aliases and the project's ``countries.csv``); exact names
        only, NA for anything else (an aggregate, or a name to add as an alias)."""
        if self._world is None:
            exact = reference.shipped_world_aliases() | self.project.aliases.get("countries", {})
            letters: dict[str, set[str]] = {}
            for name, code in exact.items():
                letters.setdefault(_letters(name), set()).add(code)
            self._world = exact | {  # 'GuineaBissau' is 'Guinea-Bissau': same letters, one code
                k: codes.pop() for k, codes in letters.items() if len(codes) == 1 and k not in exact
            }
        uniques = pd.unique(names.dropna()).tolist()
        found = {}
        for u in uniques:
            key = normalise_label(u)
            found[u] = self._world.get(key) or self._world.get(_letters(key))
        return names.map(found).astype("str")

    # ------------------------------------------------------------------ headers

    def header_aliases(self, dataset: str) -> dict[str, str]:
        """Normalised header -> canonical column: the package's spellings and the project's
        (``columns_<dataset>.csv``), which override them."""
        if dataset not in self._headers:
            own = self.project.aliases.get(f"columns_{dataset}", {})
            self._headers[dataset] = reference.shipped_header_aliases(dataset) | own
        return self._headers[dataset]

    def header_matcher(self, dataset: str) -> LabelMatcher:
        """The header spellings as a tolerant matcher (word order, inflection, one known word
        in a longer header; never two meanings)."""
        kind = f"columns_{dataset}"
        if kind not in self._matchers:
            self._matchers[kind] = LabelMatcher(
                dict(self.header_aliases(dataset)), min_alias_words=1, strict=True
            )
        return self._matchers[kind]

    # ------------------------------------------------------------------ what a clean used

    def label_matchers(self) -> dict[str, LabelMatcher]:
        """Every label kind's matcher (built if needed), for reports and suggestions."""
        return {kind: self.matcher(kind) for kind in LABEL_KINDS}

    def tolerant_matches(self) -> dict[str, dict[str, str]]:
        """Labels mapped by the tolerant rules so far, per kind (label -> code)."""
        return {k: dict(m.tolerant) for k, m in self.label_matchers().items() if m.tolerant}

    def unused_project_aliases(self) -> list[dict]:
        """Project aliases that matched no value so far (kind, alias, file:line)."""
        out = []
        for kind, aliases in self.project.aliases.items():
            matcher = self._matchers.get(kind)
            used = matcher.used if matcher is not None else set()
            for alias in aliases:
                if alias not in used:
                    out.append(
                        {"kind": kind, "alias": alias, "where": self.project.lines[kind][alias]}
                    )
        return out
