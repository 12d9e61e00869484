"""Brief text in Russian and English: one translation table, number formats, Russian plurals."""

from __future__ import annotations

import math
from functools import cache

from analysis import reference
from analysis.reference import read_table

LANGS = ("en", "ru")
NBSP = "\u00a0"


@cache
def _table() -> dict[str, dict[str, str]]:
    table = read_table("i18n")
    return {lang: dict(zip(table["key"], table[lang], strict=True)) for lang in LANGS}


def t(key: str, lang: str, **values: object) -> str:
    """Translated text for ``key`` in ``lang``, with ``{placeholders}`` filled."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; valid: {', '.join(LANGS)}")
    try:
        text = _table()[lang][key]
    except KeyError:
        raise KeyError(f"no translation for {key!r} in i18n.csv") from None
    return text.format(**values) if values else text


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """``1 234,5`` in Russian (non-breaking space, decimal comma), ``1,234.5`` in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("no_data", lang)
    text = f"{value:,.{decimals}f}"
    if lang == "ru":
        text = text.replace(",", NBSP).replace(".", ",")
    return text.replace("-", "\u2212")


def fmt_change(pct: float | None, lang: str) -> str:
    """Signed percentage change: ``+21%``, ``−5%``."""
    if pct is None or math.isnan(pct):
        return "—"
    if round(pct) == 0:  # a change that rounds to nothing has no sign ("−0%" reads as a fall)
        return "0%"
    sign = "+" if pct > 0 else ""
    return f"{sign}{fmt_number(pct, lang)}%"


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """Russian plural form for ``n``: 1 нарушение, 2 нарушения, 5 нарушений, 21 нарушение."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def tn(key: str, n: int | float, lang: str, **values: object) -> str:
    """Counted phrase with the right plural form: ``tn('n_violations', 34, 'ru')`` -> '34 нарушения'.

    The translation table holds ``<key>.one``, ``<key>.few`` and ``<key>.many`` (English uses
    ``one`` for 1 and ``many`` otherwise). ``{n}`` is formatted for the language.
    """
    count = int(n)
    if lang == "ru":
        form = plural_ru(count, "one", "few", "many")
    else:
        form = "one" if count == 1 else "many"
    return t(f"{key}.{form}", lang, n=fmt_number(count, lang), **values)


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
