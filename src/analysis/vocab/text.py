"""Brief text in Russian and English: one translation table; numbers, percentages, dates and
plural forms by the language's CLDR rules (Babel), so no sentence counts or formats by hand."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import cache

from anyascii import anyascii
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from analysis.vocab import reference
from analysis.vocab.languages import LANGS
from analysis.vocab.reference import read_table

NBSP = "\u00a0"
MINUS = "\u2212"
P_FLOOR = 0.01  # p-values below this are printed as "p < 0.01", never "p = 0.00"


@cache
def _table() -> dict[str, dict[str, str]]:
    table = read_table("i18n")
    return {lang: dict(zip(table["key"], table[lang], strict=True)) for lang in LANGS}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; valid: {', '.join(LANGS)}")


def t(key: str, lang: str, **values: object) -> str:
    """Translated text for ``key`` in ``lang``, with ``{placeholders}`` filled."""
    _check(lang)
    try:
        text = _table()[lang][key]
    except KeyError:
        raise KeyError(f"no translation for {key!r} in i18n.csv") from None
    return text.format(**values) if values else text


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A number in the language's CLDR format: ``1 234,5`` in Russian, ``1,234.5`` in English
    (grouping with a non-breaking space, a true minus sign)."""
    _check(lang)
    if _missing(value):
        return t("no_data", lang)
    text = format_decimal(value, format=_pattern(decimals), locale=_locale(lang))
    return text.replace("-", MINUS)


def fmt_pct(value: float | None, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """A percentage (``value`` in percent, 21.0 = 21%) in the language's CLDR percent pattern:
    ``21 %`` in Russian, ``21%`` in English; ``signed`` adds ``+`` to a rise, and a value that
    rounds to zero has no sign ("−0%" reads as a fall)."""
    _check(lang)
    if _missing(value):
        return "—"
    pattern = _locale(lang).percent_formats[None].pattern.split(";")[0]
    pattern = pattern.replace("#,##0", _pattern(decimals), 1)
    text = format_percent(abs(value) / 100, format=pattern, locale=_locale(lang))
    if round(abs(value), decimals) == 0:
        return text
    if value < 0:
        return MINUS + text
    return ("+" + text) if signed else text


def fmt_change(pct: float | None, lang: str) -> str:
    """Signed percentage change: ``+21%``, ``−5%`` (``+21 %`` in Russian)."""
    return fmt_pct(pct, lang, signed=True)


def fmt_p(p: float | None, lang: str) -> str:
    """A test's p-value as printed: ``p = 0.47``, ``p < 0.01`` (never ``p = 0.00``)."""
    if _missing(p):
        return "p = —"
    if p < P_FLOOR:
        return f"p{NBSP}<{NBSP}{fmt_number(P_FLOOR, lang, 2)}"
    return f"p{NBSP}={NBSP}{fmt_number(p, lang, 2)}"


def fmt_date(value: str | None, lang: str) -> str:
    """An ISO date (``2025-12-26``, ``2025-12`` or ``2025``) as the language writes it:
    ``26.12.2025`` in Russian, ``26 Dec 2025`` in English; a month or a year stays as it is
    precise (``12.2025`` / ``Dec 2025``; ``2025``)."""
    _check(lang)
    if not value:
        return "—"
    parts = str(value).split("-")
    try:
        if len(parts) == 3:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return format_date(day, "dd.MM.y" if lang == "ru" else "d MMM y", locale=_locale(lang))
        if len(parts) == 2:
            day = dt.date(int(parts[0]), int(parts[1]), 1)
            return format_date(day, "MM.y" if lang == "ru" else "MMM y", locale=_locale(lang))
    except ValueError:
        return str(value)
    return str(value)


def usd_amount(value: float, lang: str) -> str:
    """A sum in US dollars as each language writes it: 'US$481 million', 'US$16.7 billion';
    '481 млн долл. США', '16,7 млрд долл. США'."""
    if abs(value) >= 1e9:
        return t("usd_billions", lang, value=fmt_number(value / 1e9, lang, 1))
    millions = value / 1e6
    return t(
        "usd_millions", lang, value=fmt_number(millions, lang, 0 if abs(millions) >= 100 else 1)
    )


def plural_form(n: float | Decimal, lang: str) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (one, few, many, other)."""
    _check(lang)
    return _locale(lang).plural_form(abs(n))


def tn(key: str, n: int | float, lang: str, decimals: int = 0, **values: object) -> str:
    """Counted phrase in the plural form CLDR gives for ``n`` as printed:
    ``tn('n_violations', 34, 'ru')`` -> '34 нарушения'; '1,5 нарушения'. The translation
    table holds ``<key>.<category>`` for each category (one, few, many, other); ``{n}`` is
    formatted for the language."""
    form = plural_form(Decimal(f"{float(n):.{decimals}f}"), lang)
    return t(f"{key}.{form}", lang, n=fmt_number(n, lang, decimals), **values)


_QUOTES = {"ru": ("«", "»", "„", "“"), "en": ("“", "”", "‘", "’")}


def quote(text: str, lang: str) -> str:
    """``text`` in the language's quotation marks, quotes inside it as the inner pair:
    «Закон „О профсоюзах“» in Russian, “Law ‘On trade unions’” in English."""
    outer_open, outer_close, inner_open, inner_close = _QUOTES[lang]
    out, depth = [], 0
    for ch in str(text):
        opens = ch in "«„" or (ch in '“"' and depth == 0)
        closes = ch in "»”" or (ch in '“"' and depth > 0)
        if opens:
            depth += 1
            out.append(inner_open)
        elif closes:
            depth = max(depth - 1, 0)
            out.append(inner_close)
        else:
            out.append(ch)
    return f"{outer_open}{''.join(out)}{outer_close}"


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")


def written_in(text: str) -> str | None:
    """'ru' or 'en' by the script most of a record's letters are in (None without letters):
    the language a partner wrote a quoted text in."""
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    return "ru" if cyrillic >= latin else "en"


def _language_note(text: str, lang: str) -> str:
    """' (in Russian)' when a record's text is not in the brief's language, else ''."""
    source = written_in(text)
    return f" ({t(f'written_in_{source}', lang)})" if source and source != lang else ""


def in_language(text: str, lang: str) -> str:
    """A record's text as the partner wrote it, '(in Russian)' added when its language is not
    the brief's (for table cells; :func:`as_written` also quotes it)."""
    return text + _language_note(text, lang) if isinstance(text, str) else text


def as_written(text: str, lang: str) -> str:
    """A text quoted from a record, as the partner wrote it, with its language said when it
    is not the brief's: '“Закон о собраниях” (in Russian)'."""
    return quote(text, lang) + _language_note(text, lang)


def place_name(text: str, lang: str) -> str:
    """A place as the brief's readers write it: a Cyrillic place name romanised in English
    ('Жанаозен' -> 'Zhanaozen', soft signs dropped), as written otherwise."""
    if lang != "en" or not _CYRILLIC.search(text):
        return text
    return anyascii(text).replace("'", "")


def join_items(items: list[str], lang: str) -> str:
    """A list in a sentence as the language joins it: 'A, B and C' / 'A, B и C'. Never called
    with an empty list: a sentence about nothing is written as its own template."""
    if not items:
        raise ValueError(
            "join_items needs at least one item: write the empty case as its own sentence"
        )
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {t('and_word', lang)} {items[-1]}"


@cache  # a brief names its few sources many times; the registry is package data
def source_label(code: str, written: str, synthetic: bool, lang: str, licence: bool = True) -> str:
    """A source as a brief names it: the registry's name in ``lang`` with its licence ('World
    Bank WDI (CC BY 4.0)'), the name as written for a source the registry does not know, and
    marked synthetic when the figure is invented demo data."""
    name = reference.source_name(code, written, lang, licence)
    registered = reference.sources().set_index("code")["synthetic"]
    if synthetic and not bool(registered.get(code, False)):
        name += f" ({t('synthetic_mark', lang)})"
    return name
