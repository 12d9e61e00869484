"""Name protection: what a shareable text may contain, decided with the whole dataset's names.

The rules (stated for researchers in ``docs/guide.md``, "People are at risk"):

1. The text of a **non-public** record (its description and URL) is never shared: it is
   withheld whole, because no redaction can vouch for a name the record does not list.
2. Every other shareable text (public descriptions and URLs, locations, sources, legislation
   titles, rejects, report labels) passes through one :class:`NameShield` built from **every
   non-public name of the dataset** (all records, all files, every names column, rejected
   rows included), so a name listed in one record is also withheld from another record's text.
3. Matching is done on a folded *skeleton* of each word, so spelling does not hide a name:
   Unicode compatibility forms, case, soft hyphens and zero-width characters, Latin look-alike
   letters inside a Cyrillic word, apostrophe variants (``oʻ``/``o'``), diacritics (``ş``,
   ``ё``) and the script itself (Cyrillic is transliterated) all fold away; the letters of
   Kazakh, Kyrgyz, Uzbek and Tajik that Russian writes otherwise (``қ``/``к``, ``ҷ``/``дж``,
   ``ө``/``о``...) and the romanisation variants (``kh``/``x``/``h``, ``zh``/``j``, ``q``/``k``,
   ``y``/``i``...) fold together by one shared table (``data/transliteration.csv``); every run
   of vowels is one class, since Russian spelling shifts them (Орипов / Арипов, Ниёзов /
   Niyozov / Ниязов, Семёнов / Semyonov).
4. Inflection: a name word matches any word that starts with its stem (the word minus its
   last one or two letters, and without a fleeting vowel: Павел -> Павл-а) followed by a short
   ending, as Russian, Uzbek and Kazakh add (Козлов-а, Karimov-ning). A long stem also
   matches inside a longer word (hashtags, URL slugs run together).
5. A name word of one or two letters is withheld only next to another name word or an initial
   (``Ли`` in ``Ким Ли`` or ``А. Ли``), so that short words of ordinary text survive.

Over-withholding (a common word that shares a stem with a listed name) is accepted: people
are at risk, words are not.
"""

from __future__ import annotations

import functools
import html
import re
import sys
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

import numpy as np
import pandas as pd

from analysis.vocab import reference

WITHHELD = "[…]"
MAX_ENDING = 7  # letters an inflected form may add to a stem (Uzbek -larning: 7)
MIN_STEM = 3
MIN_INNER_STEM = 5  # a stem this long also matches inside a longer word
_APOSTROPHES = "'ʻʼ’‘`´ʹ′"
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}{_APOSTROPHES}])+")
_NAME_SPLIT = re.compile(r"\s*[;,\n/|]\s*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")
_LATIN = re.compile(r"[A-Za-z]")
_O_APOSTROPHE = re.compile(rf"o[{_APOSTROPHES}]")  # Uzbek oʻ = Cyrillic ў
_DOUBLE = re.compile(r"(.)\1+")
_I_GLIDE = re.compile(r"i(?=[aeou])")
_VOWEL_RUN = re.compile(r"[aeiou]+")  # Ниёзов (n-e-z) / Niyozov (n-io-z): one vowel class
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = set("aeiou")
_DIGIT = re.compile(r"\d")
_ALPHA = re.compile(r"[^\W\d_]")
_DIGIT_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})


@functools.cache
def _ignorable() -> dict[int, None]:
    """Format characters (soft hyphen, zero-width, direction marks) and variation selectors,
    as a ``str.translate`` table that deletes them."""
    return {
        c: None
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" or 0xFE00 <= c <= 0xFE0F or c == 0x034F
    }


@functools.cache
def _transliteration() -> tuple[dict[int, str], tuple[tuple[str, str], ...]]:
    """The shared transliteration table (``data/transliteration.csv``): Cyrillic letters of
    Kazakh, Kyrgyz, Uzbek and Tajik that Russian spelling writes otherwise (a translate table,
    applied before the script is transliterated), then the romanisation variants folded
    together (in order: longest first)."""
    table = reference.read_table("transliteration")
    letters = table[table["from"].str.len().eq(1) & table["from"].str.match(r"[^\x00-\x7f]")]
    folds = table.drop(letters.index)
    return (
        {ord(a): b for a, b in zip(letters["from"], letters["to"], strict=True)},
        tuple(zip(folds["from"], folds["to"], strict=True)),
    )


@functools.cache
def _homoglyphs() -> dict[int, str]:
    table = reference.read_table("homoglyphs")
    return {ord(a): b for a, b in zip(table["latin"], table["cyrillic"], strict=True)}


@functools.cache
def _ignorable_set() -> frozenset[str]:
    return frozenset(map(chr, _ignorable()))


def clean_text(text: str) -> str:
    """``text`` without invisible characters (soft hyphens, zero-width, direction marks):
    what is shared, so that what was matched is what a reader sees."""
    table = _ignorable()
    return text if _ignorable_set().isdisjoint(text) else text.translate(table)


@functools.lru_cache(maxsize=1 << 18)
def fold_word(word: str) -> str:
    """The skeleton of one word: lowercase ASCII, spelling variants folded together.

    ``Семёнов``, ``Семенов``, ``Ceмeнов`` (Latin c, e) and ``Semyonov`` give one skeleton;
    ``Oʻktam``, ``O'ktam``, ``Ўктам`` another.
    """
    from anyascii import anyascii

    text = clean_text(unicodedata.normalize("NFKC", word))
    if _DIGIT.search(text) and _ALPHA.search(text):  # K0zl0v: digits standing in for letters
        text = text.translate(_DIGIT_LETTERS)
    if _CYRILLIC.search(text) and _LATIN.search(text):
        text = text.translate(_homoglyphs())
    letters, folds = _transliteration()
    text = _O_APOSTROPHE.sub("u", text.casefold()).translate(letters)
    text = _NOT_ALNUM.sub("", anyascii(text).lower())
    for old, new in folds:
        text = text.replace(old, new)
    text = _DOUBLE.sub(r"\1", text)
    return _DOUBLE.sub(r"\1", _I_GLIDE.sub("", text))


def loosen(skeleton: str) -> str:
    """A skeleton with every vowel one class: the vowels that Russian spelling shifts against
    Uzbek, Tajik, Kazakh and Kyrgyz spellings (Орипов / Арипов, Исмоилов / Исмаилов, Ниёзов /
    Ниязов, Semyonov / Семёнов) no longer tell two spellings of one name apart. Matching uses
    this; the stems of a name are cut on its strict skeleton first (:func:`_stems`)."""
    return _VOWEL_RUN.sub("a", skeleton)


def match_key(word: str) -> str:
    """The key a word of text is matched on: its loosened skeleton."""
    return loosen(fold_word(word))


def split_names(text: str) -> list[str]:
    """The names of a names cell ('A; B, C', 'A / B', or one per line): the one rule, used by
    the cleaning to list victims and by the shield to protect each of them."""
    return [n.strip() for n in _NAME_SPLIT.split(clean_text(text)) if n.strip()]


def _stems(skeleton: str) -> set[str]:
    """Prefixes that every inflected form of a name word keeps.

    Endings attach after the consonant that closes the stem: a word ending in a vowel
    (й and ь fold to a vowel or away) loses it (Дина -> Дин-ой, Сергей -> Серге-я,
    Примерова -> Примеров-ой, Ковальский -> Ковальск-ого), a word ending in a consonant is
    its own stem (Тимур-а, Примеров-у, Karimov-ning), also without a fleeting vowel
    (Павел -> Павл-а). The stem keeps the surname suffix (-ов, -ин, -ск), so a surname made
    from a common word (Примеров) does not withhold the word (пример).
    """
    stem = skeleton.rstrip("aeiou") or skeleton
    stems = {stem}
    if len(stem) >= 3 and stem[-2] in "eo" and stem[-1] not in _VOWELS:
        stems.add(stem[:-2] + stem[-1])  # fleeting vowel: Павел -> Павла, Лев -> Льва
    return {s for s in stems if len(s) >= MIN_STEM - 1}


class NameShield:
    """Withholds every listed name, however spelled or inflected, from shareable text."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []  # the cells as given: saved privately for later checks
        self.stems: set[str] = set()
        self.short: set[str] = set()
        self._inner: set[str] = set()  # whole name words, matched inside longer words too
        for cell in names:
            if not isinstance(cell, str):
                continue
            self.names.append(cell)
            for name in split_names(cell):
                for token in _TOKEN.findall(name):
                    skeleton = fold_word(token)
                    if len(skeleton) >= MIN_STEM:
                        self.stems |= {loosen(s) for s in _stems(skeleton)}
                        if len(skeleton) >= MIN_INNER_STEM:
                            self._inner.add(loosen(skeleton))
                    elif len(skeleton) == 2 and not skeleton.isdigit():  # initials: not names
                        self.short.add(loosen(skeleton))
        self._inner |= {s for s in self.stems if len(s) >= MIN_INNER_STEM}
        self._inner_lengths = sorted({len(s) for s in self._inner})
        self._match = functools.lru_cache(maxsize=1 << 18)(self._match_skeleton)
        self._flags: dict[str, int] = {}  # word as written -> 2: a name, 1: a short name, 0

    def __bool__(self) -> bool:
        return bool(self.stems or self.short)

    def _match_skeleton(self, skeleton: str) -> bool:
        n = len(skeleton)
        if n < MIN_STEM - 1:  # loosened keys are shorter: a vowel run counts once
            return False
        if n <= MIN_STEM + 1 and skeleton[: MIN_STEM - 1] in self.stems:
            return True  # a two-letter stem (Льв-а) takes a short ending only
        for k in range(max(MIN_STEM, n - MAX_ENDING), n + 1):
            if skeleton[:k] in self.stems:
                return True
        for start in range(1, n - MIN_INNER_STEM + 1):
            for k in self._inner_lengths:
                if start + k <= n and skeleton[start : start + k] in self._inner:
                    return True
        return False

    def _flag(self, word: str) -> int:
        flag = self._flags.get(word)
        if flag is None:
            if word.isdigit():
                return 0  # numbers are not names (not cached: there are many)
            skeleton = match_key(word)
            flag = 2 if self._match(skeleton) else 1 if skeleton in self.short else 0
            if len(self._flags) < 1 << 20:
                self._flags[word] = flag
        return flag

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where names are, as non-overlapping (start, end) spans in order."""
        spaced = [m.span() for m in _SPACED.finditer(text) if self._match(match_key(_letters(m)))]
        if not spaced:
            return self._word_spans(text)
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spaced + self._word_spans(text)):
            if merged and start <= merged[-1][1]:  # overlapping: one span, so nothing is left
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _word_spans(self, text: str) -> list[tuple[int, int]]:
        flags = self._flags
        for word in _TOKEN.findall(text):
            flag = flags.get(word)
            if flag is None:
                flag = self._flag(word)
            if flag:
                break
        else:
            return []  # most texts: no listed name, no positions needed
        tokens = list(_TOKEN.finditer(text))
        skeletons = [match_key(t.group()) for t in tokens]
        hit = [self._match(s) for s in skeletons]
        if self.short:
            for i, skeleton in enumerate(skeletons):
                if hit[i] or skeleton not in self.short:
                    continue
                neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
                if any(hit[j] or len(tokens[j].group()) == 1 for j in neighbours):
                    hit[i] = True
        return [t.span() for t, h in zip(tokens, hit, strict=True) if h]

    def redact(self, text: str) -> str:
        """``text`` (invisible characters removed, HTML character references decoded, so that
        ``&#1050;`` cannot spell a name) with every name word withheld."""
        text = clean_text(html.unescape(text) if "&" in text else text)
        if not self:
            return text
        spans = self._spans(text)
        for start, end in reversed(spans):
            text = text[:start] + WITHHELD + text[end:]
        return text

    def name_words(self, text: str) -> list[str]:
        """The words of ``text`` (invisible characters removed) that the shield would withhold."""
        text = clean_text(text)
        return [text[a:b] for a, b in self._spans(text)] if self else []

    def contains_name(self, text: str) -> bool:
        """True when ``text`` holds a listed name (as a word, or run into a longer one)."""
        return bool(self) and bool(self._spans(clean_text(text)))

    def redact_series(self, values: pd.Series) -> pd.Series:
        """:meth:`redact` per distinct value; NA stays NA."""
        return _per_distinct(values, self.redact, self.unchanged)

    def redact_urls(self, values: pd.Series) -> pd.Series:
        """A URL that holds a name anywhere (path, slug, query) is withheld whole."""
        return _per_distinct(values, self.redact_url, functools.partial(self.unchanged, url=True))

    def redact_url(self, url: str) -> str:
        """One URL, withheld whole when it holds a name (see :meth:`redact_urls`)."""
        url = clean_text(url)
        decoded = clean_text(html.unescape(unquote(url)))  # %D0%9A... and &#...; spell too
        spelled = decoded != url and self._spans(decoded)  # the same text: looked at once
        return WITHHELD if self._spans(url) or spelled else url

    def unchanged(self, texts: list[str], url: bool = False, batch: int = 50_000) -> np.ndarray:
        """For each text, True when redaction is certain to leave it as it is: it holds no word
        that folds to a listed name (or short name), no letters spelled one by one, and
        nothing that redaction decodes or removes (``&`` references, invisible characters;
        with ``url``, ``%`` escapes). Decided for many texts at once, with one pass of the
        word pattern over all of them; a text it cannot vouch for is left to :meth:`redact`.

        Conservative by construction: a False costs time, never a name
        (``tests/test_privacy.py`` compares it with the text-by-text path).
        """
        keep = np.ones(len(texts), dtype=bool)
        for start in range(0, len(texts), batch):  # ``batch`` texts at a time: bounded memory
            keep[start : start + batch] = self._unchanged(texts[start : start + batch], url)
        return keep

    def _unchanged(self, texts: list[str], url: bool) -> np.ndarray:
        keep = np.ones(len(texts), dtype=bool)
        joined = _SEPARATOR.join(texts)
        if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator itself
            keep = np.fromiter((_SEPARATOR not in text for text in texts), bool, len(texts))
            plain = [text for text, k in zip(texts, keep, strict=True) if k]
            joined = _SEPARATOR.join(plain)
        else:
            plain = texts
        if not plain:
            return keep
        where = np.flatnonzero(keep)  # position in ``texts`` of each joined text
        lengths = np.fromiter(map(len, plain), np.int64, len(plain)) + 1
        starts = np.concatenate([[0], np.cumsum(lengths[:-1])])

        def owners(positions: list[int]) -> np.ndarray:
            return where[np.searchsorted(starts, positions, side="right") - 1]

        # what redaction decodes or removes, letters spelled one by one: the careful path
        decoded = _URL_DECODED if url else _DECODED
        odd = [m.start() for m in decoded.finditer(joined)]
        odd += [m.start() for m in _ignorable_pattern().finditer(joined)]
        odd += [m.start() for m in _SPACED.finditer(joined)]
        # words: one pass; each distinct word's flag is computed (and cached) once
        words = _WORD_OR_SEPARATOR.findall(joined)
        flagged = {w for w in set(words) if w != _SEPARATOR and self._flag(w)}
        if odd:
            keep[owners(odd)] = False
        if flagged:
            # index in ``plain`` of each word (compared in Python: NumPy drops a trailing NUL)
            text_of = np.cumsum(np.fromiter((w == _SEPARATOR for w in words), bool, len(words)))
            hit = np.fromiter((w in flagged for w in words), bool, len(words))
            keep[where[np.unique(text_of[hit])]] = False
        return keep

    def redact_frame(
        self, frame: pd.DataFrame, columns: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """A copy of ``frame`` with its text columns (or ``columns``) redacted; URL columns
        (named ``url``) withheld whole when they hold a name."""
        out = frame.copy()
        for column in columns if columns is not None else out.columns:
            if column not in out or not _is_text(out[column]):
                continue
            redact = self.redact_urls if column == "url" else self.redact_series
            out[column] = redact(out[column])
        return out


# A word spelled letter by letter ("К о з л о в", "K.o.z.l.o.v"): three or more single letters
# with one or two separators between them.
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W\d_][\s.\-_·*/]{1,2}){2,}[^\W\d_](?![^\W_])")


_SEPARATOR = "\x00"  # joins many texts into one string: neither a word character nor a spacer
_WORD_OR_SEPARATOR = re.compile(f"{_TOKEN.pattern}|{_SEPARATOR}")
_DECODED = re.compile("&")  # HTML character references: decoded before names are looked for
_URL_DECODED = re.compile("[&%]")  # and, in a URL, percent escapes


@functools.cache
def _ignorable_pattern() -> re.Pattern[str]:
    """Any character :func:`clean_text` removes."""
    codes = sorted(_ignorable())
    ranges, first, last = [], codes[0], codes[0]
    for code in codes[1:]:
        if code == last + 1:
            last = code
            continue
        ranges.append((first, last))
        first = last = code
    ranges.append((first, last))
    return re.compile(
        "["
        + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
        + "]"
    )


def _letters(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if c.isalpha())


def _is_text(values: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(values.dtype) or values.dtype == object


def _per_distinct(values: pd.Series, func, unchanged) -> pd.Series:
    """``func`` of each distinct value, mapped back; ``unchanged``: a function that tells, for
    a list of texts at once, which ones ``func`` is certain to return as they are."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return values.copy()
    texts = [str(u) for u in uniques.to_numpy(dtype=object)]  # one conversion, not per item
    keep = unchanged(texts)
    done = [text if k else func(text) for text, k in zip(texts, keep, strict=True)]
    dtype = values.dtype if pd.api.types.is_string_dtype(values.dtype) else "str"
    # distinct results converted once, then taken per row (-1: NA)
    return pd.Series(pd.array(done, dtype=dtype).take(codes, allow_fill=True), index=values.index)


def names_from(cells: Iterable[object]) -> list[str]:
    """Every distinct name listed in some names cells (NA and blanks skipped)."""
    seen: dict[str, None] = {}
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            seen.update(dict.fromkeys(split_names(cell)))
    return list(seen)


def safe_label(text: object, limit: int = 200) -> str:
    """A partner's text for a log or a report: one line, at most ``limit`` characters (names
    are withheld from the whole report once they are known, see ``clean.report``)."""
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
