"""Value parsers for partner spreadsheets: dates with their precision, numbers, yes/no.

Each parser takes a Series of raw strings and returns new Series/DataFrames; the work is done
once per unique value and mapped back, so a million rows with a few thousand distinct dates
cost a few thousand parses. A value that cannot be parsed becomes NA, never a guess: the
cleaner turns that NA into a reject with a reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from analysis.vocab.reference import normalise_label

# Month names are facts of the two languages, not project mappings: prefixes of Russian
# (nominative, genitive, abbreviated) and English month names.
_MONTHS = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORD = r"([a-zа-я]{3,9})\.?"
_YEAR_SUFFIX = re.compile(r"\s*(г\.?|года|год)$")
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
        "ymd",
    ),
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})[-./](\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), "my"),
    (re.compile(r"^(\d{1,2})\s+" + _MONTH_WORD + r",?\s+(\d{4})$"), "d_mon_y"),
    (re.compile(r"^" + _MONTH_WORD + r"\s+(\d{1,2}),?\s+(\d{4})$"), "mon_d_y"),
    (re.compile(r"^" + _MONTH_WORD + r",?\s+(\d{4})$"), "mon_y"),
    (re.compile(r"^(\d{4})$"), "y"),
    (re.compile(r"^(\d{5})(?:\.0+)?$"), "serial"),
]
_EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_COLUMNS = ["date", "date_precision", "year", "month"]


def _month(word: str) -> int | None:
    return _MONTHS.get(word[:3])


def parse_date(text: str) -> tuple[str, str, int, int | None] | None:
    """Parse one date into (iso text at its precision, precision, year, month) or None.

    ``15.12.2025`` -> ('2025-12-15', 'day', 2025, 12); ``декабрь 2025`` -> ('2025-12', 'month',
    2025, 12); ``2025`` -> ('2025', 'year', 2025, None). Day-first is assumed for ``dd.mm.yyyy``
    and ``dd/mm/yyyy`` (the convention of every partner country). A five-digit number is an
    Excel serial date. An impossible date (31.02.2025) is None, never rolled over.
    """
    value = _YEAR_SUFFIX.sub("", normalise_label(text))
    for pattern, kind in _DATE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        g = match.groups()
        try:
            if kind == "ymd":
                return _day(int(g[0]), int(g[1]), int(g[2]))
            if kind == "dmy":
                return _day(int(g[2]), int(g[1]), int(g[0]))
            if kind == "ym":
                return _month_precision(int(g[0]), int(g[1]))
            if kind == "my":
                return _month_precision(int(g[1]), int(g[0]))
            if kind == "d_mon_y":
                month = _month(g[1])
                return _day(int(g[2]), month, int(g[0])) if month else None
            if kind == "mon_d_y":
                month = _month(g[0])
                return _day(int(g[2]), month, int(g[1])) if month else None
            if kind == "mon_y":
                month = _month(g[0])
                return _month_precision(int(g[1]), month) if month else None
            if kind == "y":
                return (g[0], "year", int(g[0]), None)
            if kind == "serial":
                day = _EXCEL_EPOCH + dt.timedelta(days=int(g[0]))
                return _day(day.year, day.month, day.day)
        except ValueError:
            return None
    return None


def _day(year: int, month: int, day: int) -> tuple[str, str, int, int]:
    return (dt.date(year, month, day).isoformat(), "day", year, month)


def _month_precision(year: int, month: int) -> tuple[str, str, int, int]:
    if not 1 <= month <= 12:
        raise ValueError(month)
    return (f"{year:04d}-{month:02d}", "month", year, month)


def per_unique(values: pd.Series, func, missing=None) -> tuple[np.ndarray, list]:
    """``func`` applied once per distinct non-blank value: (codes, results), where
    ``results[codes]`` gives each row's result and code -1 (blank or NA) gives ``missing``.

    The parsers below work this way: a million rows with a few thousand distinct values cost
    a few thousand calls, and the results are mapped back by position, not by hashing again.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [missing if u == "" else func(u) for u in uniques.tolist()]
    results.append(missing)  # position -1: NA
    return codes, results


def map_unique(values: pd.Series, func, missing=None, dtype: str = "str") -> pd.Series:
    """``func`` of each value, computed once per distinct value (see :func:`per_unique`)."""
    codes, results = per_unique(values, func, missing)
    table = pd.Series(results, dtype="object").to_numpy()
    return pd.Series(table[codes], index=values.index, dtype="object").astype(dtype)


def parse_dates(values: pd.Series) -> pd.DataFrame:
    """Parse a Series of raw date strings; columns ``date, date_precision, year, month``.

    Blank and unparseable values give NA in every column (the caller tells them apart).
    """
    codes, parsed = per_unique(values, parse_date)
    parsed = [p if p is not None else (None, None, None, None) for p in parsed]
    table = pd.DataFrame(parsed, columns=DATE_COLUMNS).astype(
        {"date": "str", "date_precision": "str", "year": "Int64", "month": "Int64"}
    )
    out = table.take(codes).reset_index(drop=True)
    out.index = values.index
    return out


_SCALE_WORDS = {
    "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "thousand": 1e3, "thousands": 1e3, "k": 1e3,
    "млн": 1e6, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "million": 1e6, "mln": 1e6,
    "m": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9,
    "billion": 1e9, "bn": 1e9,
}  # fmt: skip
_NUMBER = re.compile(r"^([-+]?)(\d[\d\s.,']*)\s*(%?)\s*([a-zа-я]*)\.?$")
_THOUSANDS_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")
_THOUSANDS_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")


def parse_number(text: str) -> tuple[float, bool] | None:
    """Parse one number into (value, is_percent) or None.

    Accepts ``1 234``, ``1,234`` (comma + three digits = thousands), ``28,5`` (decimal comma),
    ``1.234,5``, ``1,234.5``, ``12.5%``, ``3,2 млн`` / ``1.5 bn`` (scaled), a Unicode minus.
    """
    value = normalise_label(text).replace("−", "-").replace("–", "-")
    value = value.replace("\u202f", " ").replace("'", "")
    match = _NUMBER.match(value)
    if not match:
        return None
    sign, digits, percent, word = match.groups()
    scale = 1.0
    if word:
        if word not in _SCALE_WORDS or percent:
            return None
        scale = _SCALE_WORDS[word]
    digits = re.sub(r"\s+", "", digits)
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        digits = (
            digits.replace(",", "") if _THOUSANDS_COMMA.match(digits) else digits.replace(",", ".")
        )
    elif digits.count(".") > 1 and _THOUSANDS_DOT.match(digits):
        digits = digits.replace(".", "")
    try:
        number = float(digits) * scale
    except ValueError:
        return None
    if not math.isfinite(number):  # a digit string past float range is not a figure
        return None
    return (-number if sign == "-" else number, bool(percent))


def parse_numbers(values: pd.Series) -> pd.DataFrame:
    """Parse a Series of raw numbers; columns ``value`` (float, NA when blank or bad), ``is_percent``."""
    codes, parsed = per_unique(values, parse_number)
    number = np.array([np.nan if p is None else p[0] for p in parsed], dtype="float64")
    percent = np.array([p is not None and p[1] for p in parsed], dtype=bool)
    return pd.DataFrame({"value": number[codes], "is_percent": percent[codes]}, index=values.index)


def map_labels(values: pd.Series, aliases: dict, dtype: str = "str") -> pd.Series:
    """Map raw labels through a normalised alias table; unmapped and blank values give NA."""
    return map_unique(values, lambda u: aliases.get(normalise_label(u)), dtype=dtype)


_CONVENTION = re.compile(r"(протокол[а-я]*|protocol|[pп])?\s*(?:№|no\.?|n°|[cск])?\s*0*(\d{2,3})\b")


def parse_conventions(values: pd.Series) -> pd.Series:
    """Extract ILO instrument codes: ``C87, C098``/``Конвенция № 87; П029`` -> ``C087;P029``."""

    def one(text: str) -> str:
        codes = []
        for protocol, number in _CONVENTION.findall(normalise_label(text)):
            code = f"{'P' if protocol else 'C'}{int(number):03d}"
            if code not in codes:
                codes.append(code)
        return ";".join(sorted(codes))

    uniques = pd.unique(values[values.notna()])
    return values.map({u: one(u) for u in uniques}).astype("str")


def is_blank(values: pd.Series) -> pd.Series:
    """True where a raw cell is missing or only whitespace."""
    return values.isna() | values.str.strip().eq("")


def whole_numbers(values: pd.Series) -> pd.Series:
    """True where a float is a whole number (NA stays False)."""
    return values.notna() & np.isclose(values.fillna(0) % 1, 0)
