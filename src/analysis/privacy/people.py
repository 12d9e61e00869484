"""Whether a column holds people's names: a model of personal names, not a capitalisation rule.

A cell reads as a person's name when it is two to four words and at least one of them is a
personal name: a given name, surname or patronymic by Russian morphology (pymorphy3's
``Name``/``Surn``/``Patr`` tags, which also cover many Central Asian names written in
Russian), a given name of the region's list (``data/given_names.csv``, matched on the
spelling-folded skeleton so that Latin, Kazakh, Kyrgyz, Uzbek and Tajik spellings count), or a
surname by its suffix (-ов/-ова, -ев, -ин, -бек, -улы, -кызы, -зода, -zoda, -ov...). A cell that
names an organisation (a word of ``data/organisation_words.csv``: центр, фонд, СМИ, media,
watch...; or a partner of the registry) is not a person's name.

The decision protects people: a column where most cells read as names is refused (its names
are withheld everywhere); a column of organisations and sources is read as an extra column.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import pandas as pd

from analysis.ingest.parse import is_blank
from analysis.privacy.shield import match_key
from analysis.vocab.reference import normalise_label, read_table

NAME_TAGS = ("Name", "Surn", "Patr")
MIN_SCORE = 0.05  # a parse this unlikely does not make a word a name
NAMES_SHARE = 0.6  # a column is a names column when this share of its cells are names
_WORD = re.compile(r"[^\W\d_][^\W\d_'ʻ’-]*")
_SURNAME = re.compile(
    r"(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|бек|бекова|улы|уулу|кызы|зода|заде|иев|иева"
    r"|ov|ova|ev|eva|yev|yeva|in|ina|skiy|skaya|bek|uly|uulu|kyzy|qizi|zoda|zade|iyev|iyeva)$",
    re.IGNORECASE,
)


@functools.cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.cache
def _given_names() -> frozenset[str]:
    return frozenset(match_key(n) for n in read_table("given_names")["name"])


@functools.cache
def _organisation_words() -> frozenset[str]:
    return frozenset(normalise_label(w) for w in read_table("organisation_words")["word"])


@functools.lru_cache(maxsize=1 << 14)
def is_name_word(word: str) -> bool:
    """A given name, surname or patronymic, in any of the region's spellings."""
    if len(word) < 2 or not word[:1].isupper():
        return False
    if match_key(word) in _given_names():
        return True
    if len(word) >= 5 and _SURNAME.search(word):
        return True
    if re.search("[а-яё]", word, re.IGNORECASE):
        return any(
            p.score >= MIN_SCORE and any(t in p.tag for t in NAME_TAGS)
            for p in _morph().parse(word)
        )
    return False


@functools.lru_cache(maxsize=8)
def _normalised(partners: tuple[str, ...]) -> frozenset[str]:
    """The registry's partner names as labels are compared (once per registry, not per cell)."""
    return frozenset(normalise_label(p) for p in partners)


def is_organisation(cell: str, partners: Iterable[str] = ()) -> bool:
    """A cell that names an organisation or a kind of source (a registry partner's name)."""
    label = normalise_label(cell)
    if label in _normalised(tuple(partners)):
        return True
    words = set(re.findall(r"[\w]+", label))
    return any(
        w in _organisation_words() or w.rstrip("аиыуе") in _organisation_words() for w in words
    )


def is_person_name(cell: str, partners: Iterable[str] = ()) -> bool:
    """Two to four capitalised words, at least one a personal name, not an organisation."""
    words = _WORD.findall(str(cell))
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if is_organisation(cell, partners):
        return False
    return any(is_name_word(w) for w in words)


_CANDIDATE = re.compile(r"(?<![\w.])(?:[^\W\d_][^\W\d_'ʻ’-]*\.?\s+){1,3}[^\W\d_][^\W\d_'ʻ’-]*\.?")


def names_in_text(text: str, partners: Iterable[str] = ()) -> list[str]:
    """People's names written inside a free text (a lawyer's comment, a note): runs of two to
    four capitalised words that read as a person's name (:func:`is_person_name`)."""
    found = []
    for match in _CANDIDATE.finditer(str(text)):
        words = match.group().split()
        for size in range(min(4, len(words)), 1, -1):  # the longest name-like run first
            hit = next(
                (
                    " ".join(words[i : i + size])
                    for i in range(len(words) - size + 1)
                    if is_person_name(" ".join(words[i : i + size]), partners)
                ),
                None,
            )
            if hit:
                kept = hit.split()
                while kept and _common(kept[0]):  # "Клиент Сыдыкова Айпери": the name only
                    kept.pop(0)
                while kept and _common(kept[-1]):
                    kept.pop()
                if kept:
                    found.append(" ".join(kept))
                break
    return found


def _common(word: str) -> bool:
    """A Russian dictionary word that is not a name (Клиент, Адвокат): trimmed from the ends
    of a name found in text. Any other word stays: when in doubt, it is protected."""
    if is_name_word(word.rstrip(".")) or not re.search("[а-яё]", word, re.IGNORECASE):
        return False
    parses = _morph().parse(word)
    return all(p.is_known and not any(t in p.tag for t in NAME_TAGS) for p in parses[:2])


def looks_like_names(values: pd.Series, partners: Iterable[str] = ()) -> bool:
    """True when most filled cells of a column read as people's names (several names in a cell,
    separated by ';' or ',', count when each reads as one)."""
    sample = values[~is_blank(values)].head(200).astype("str").str.strip()
    if len(sample) < 2:
        return False
    partners = tuple(partners)

    def names(cell: str) -> bool:
        parts = [p for p in re.split(r"\s*[;,\n]\s*", cell) if p]
        return bool(parts) and all(is_person_name(p, partners) for p in parts)

    decided = {cell: names(cell) for cell in pd.unique(sample)}
    return bool(sample.map(decided).mean() >= NAMES_SHARE)
