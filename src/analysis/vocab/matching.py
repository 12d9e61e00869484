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

Project mappings (:mod:`.project`): ``data/mappings/<kind>.csv`` (``code,alias``; kinds: countries,
categories, directions, indicators, sectors, perpetrators) extend and override the shipped
tables without touching the package; they are validated (unknown code, one alias claimed by
two codes: an error naming the file and line) and the aliases that matched nothing in a clean
are reported as unused.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from analysis.vocab.tables import normalise_label, read_table

STEM = 5
MIN_SCORE = 50  # below this a "suggestion" is noise: none is given
GENERIC_WORD_CODES = 3  # a word in the aliases of this many codes ("union") tells none apart
_NON_WORD = re.compile(r"[^\w]+")


@cache
def stop_words() -> frozenset[str]:
    return frozenset(read_table("stop_words")["word"].str.casefold())


def words(label: str) -> list[str]:
    """The words of a label that carry meaning: folded, punctuation and stop words dropped."""
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
