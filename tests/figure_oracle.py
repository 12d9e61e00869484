"""The figure oracle: every figure a brief prints, recomputed from the processed tables and
looked for in the PDF's text.

Written from the schema (``docs/data_dictionary.md``) and the methodology the briefs print,
**not** by calling the package's indicator, text or brief functions: counts are plain pandas
over ``violations.parquet`` and ``legislation.parquet``; numbers and plural forms are formatted
here by the rules CLDR states (grouping, decimal comma, "21 %" in Russian; one/few/many);
labels and theme definitions are read from the package's data files as data. A mismatch names
the PDF, the page(s) searched and the figure.

Methodology, as printed in every brief: a brief covers the ten years up to its year; a
country is monitored from its first record (violations; legislation when it has none) to the
last year of monitoring; years before are not monitored, not zero; a change in % is against
the previous year when that year was monitored and not zero; a chart's source line counts the
reports (``n_reports``) behind the plotted countries and years.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd
import pypdf

HISTORY = 10
TOP_CATEGORIES = 7
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


# ----------------------------------------------------------------- formats, written from CLDR


def cldr_ru(n: int) -> str:
    """CLDR Russian cardinal category of a whole number."""
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def integer(n: int, lang: str) -> str:
    text = f"{abs(int(n)):,}"
    text = text.replace(",", " ") if lang == "ru" else text
    return ("\u2212" if n < 0 else "") + text


def percent(value: float, lang: str, signed: bool = False) -> str:
    whole = round(value)
    sign = "\u2212" if whole < 0 else ("+" if signed and whole > 0 else "")
    return f"{sign}{abs(whole)}{' %' if lang == 'ru' else '%'}"


REPORTS = {
    "en": {"one": "report", "other": "reports"},
    "ru": {"one": "сообщение", "few": "сообщения", "many": "сообщений"},
}
VIOLATIONS = {
    "en": {"one": "violation", "other": "violations"},
    "ru": {"one": "нарушение", "few": "нарушения", "many": "нарушений"},
}
PERSONS = {
    "en": {"one": "person", "other": "persons"},
    "ru": {"one": "человек", "few": "человека", "many": "человек"},
}
CASES = {
    "en": {"one": "documented case", "other": "documented cases"},
    "ru": {
        "one": "задокументированный случай",
        "few": "задокументированных случая",
        "many": "задокументированных случаев",
    },
}


def counted(n: int, nouns: dict, lang: str) -> str:
    form = cldr_ru(n) if lang == "ru" else ("one" if n == 1 else "other")
    return f"{integer(n, lang)} {nouns[lang][form]}"


# ------------------------------------------------------------------------------ the data


def _data_csv(name: str) -> list[dict]:
    with (files("analysis") / "data" / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Tables:
    violations: pd.DataFrame
    legislation: pd.DataFrame

    @classmethod
    def read(cls, processed: Path) -> Tables:
        return cls(
            pd.read_parquet(processed / "violations.parquet"),
            pd.read_parquet(processed / "legislation.parquet"),
        )

    def first_year(self, country: str) -> int | None:
        for table in (self.violations, self.legislation):
            years = table.loc[table["country"] == country, "year"]
            if len(years):
                return int(years.min())
        return None

    def monitored(self, countries: list[str], year: int) -> list[int]:
        """The brief's years that monitoring covers (from the earliest first year of
        ``countries``)."""
        firsts = [f for f in (self.first_year(c) for c in countries) if f is not None]
        if not firsts:
            return []
        return list(range(max(year - HISTORY + 1, min(firsts)), year + 1))


@dataclass
class Finding:
    pdf: str
    pages: str
    figure: str
    expected: str

    def __str__(self) -> str:
        return f"{self.pdf} {self.pages}: {self.figure}: expected {self.expected!r}"


@dataclass
class Pdf:
    path: Path
    pages: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Pdf:
        texts = [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]
        return cls(path, [normalise(t) for t in texts])

    def find(self, text: str, page: int | None = None) -> bool:
        pages = [self.pages[page - 1]] if page else self.pages
        return any(normalise(text) in p for p in pages)


def normalise(text: str) -> str:
    """Words hyphenated over a line joined, every kind of space one space."""
    text = re.sub("[\u2010\u00ad]\n", "", text)
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------------------- the checks


def _labels(lang: str) -> tuple[dict, dict]:
    countries = {r["iso3"]: r[f"name_{lang}"] for r in _data_csv("countries")}
    categories = {r["code"]: r[f"label_{lang}"] for r in _data_csv("violation_categories")}
    return countries, categories


def _key_labels(lang: str) -> dict[str, str]:
    return {r["key"]: r[lang] for r in _data_csv("i18n") if r["key"].startswith("kf_")}


def _text(key: str, lang: str) -> str:
    return next(r[lang] for r in _data_csv("i18n") if r["key"] == key)


def mission() -> list[str]:
    return [r["iso3"] for r in _data_csv("countries") if r["is_mission"] == "true"]


def largest_remainder(counts: list[int]) -> list[int]:
    total = sum(counts)
    exact = [100 * c / total for c in counts]
    floors = [int(e) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: (floors[i] - exact[i], i))[
        : 100 - sum(floors)
    ]:
        floors[i] += 1
    return floors


def check_country(pdf: Pdf, data: Tables, country: str, year: int, lang: str) -> list[Finding]:
    out: list[Finding] = []
    name = pdf.path.name

    def expect(text: str, figure: str, page: int | None = None) -> None:
        if not pdf.find(text, page):
            where = f"page {page}" if page else f"pages 1-{len(pdf.pages)}"
            out.append(Finding(name, where, figure, text))

    rows = data.violations[data.violations["country"] == country]
    years = data.monitored([country], year)
    in_year = rows[rows["year"] == year]
    n = len(in_year)
    persons = int(in_year["persons_affected"].fillna(0).sum())
    label = _key_labels(lang)
    # page 1: the key figures (value above its label) and the first finding
    expect(f"{integer(n, lang)} {label['kf_violations']}", "documented violations (key figure)", 1)
    expect(f"{integer(persons, lang)} {label['kf_persons']}", "persons affected (key figure)", 1)
    if year - 1 in years and n:
        previous = int((rows["year"] == year - 1).sum())
        if previous:
            change = percent(100 * (n - previous) / previous, lang, signed=True)
            vs = f"vs {year - 1}" if lang == "en" else f"к {year - 1}"
            expect(f"{change} {vs}", "change on the previous year (key figure)", 1)
    if n:
        expect(counted(n, VIOLATIONS, lang), "the year's count in the first finding", 1)
    acts = data.legislation[
        (data.legislation["country"] == country) & (data.legislation["year"] == year)
    ]
    for direction in ("restrictive", "protective"):
        count = integer(int((acts["direction"] == direction).sum()), lang)
        expect(f"{count} {label['kf_' + direction]}", f"{direction} acts (key figure)", 1)
    # reporting partners (organisations, the processed table's registry codes) changed from
    # the year before: page 1 says so next to the change
    if year - 1 in years and n:
        sets = {
            y: {c for v in rows.loc[rows["year"] == y, "partners"] for c in v.split("; ")}
            for y in (year - 1, year)
        }
        before, now = sets[year - 1], sets[year]
        if len(before) != len(now):
            if lang == "en":
                noun = "partner" if len(before) == 1 else "partners"
                text = f"{len(before)} {noun} reported in {year - 1}, {len(now)} in {year}"
            else:
                text = f"сообщавших партнёров: {len(before)} в {year - 1} году, {len(now)} в {year} году"
            expect(text, "reporting partners changed (coverage note)", 1)
        elif before != now:
            text = "reporting partners changed" if lang == "en" else "состав сообщавших партнёров"
            expect(text, "reporting partners changed (coverage note)", 1)
    # the yearly charts' source line: the reports of the plotted (monitored) years
    plotted = rows[rows["year"].isin(years)]
    if len(plotted):
        reports = int(plotted["n_reports"].sum())
        expect(f"({counted(reports, REPORTS, lang)})", "violations chart source line (reports)")
    # the findings: the two largest categories with their counts, and the persons affected
    if n:
        _, categories = _labels(lang)
        top = (
            in_year.groupby("category").size().reset_index(name="n")
            .sort_values(["n", "category"], ascending=[False, True]).head(2)
        )  # fmt: skip
        items = ", ".join(
            f"{categories[c].lower()} ({integer(k, lang)})"
            for c, k in zip(top["category"], top["n"], strict=True)
        )
        expect(items, "the largest categories (first findings)", 1)
        if persons:
            phrase = (
                f"name {counted(persons, PERSONS, lang)} affected"
                if lang == "en"
                else f"Всего пострадавших: {counted(persons, PERSONS, lang)}."
            )
            expect(phrase, "persons affected (findings)", 1)
    # the sector and perpetrator tables: the five largest, as labelled
    for column, vocabulary in (("sector", "sectors"), ("perpetrator", "perpetrators")):
        labels = {r["code"]: r[f"label_{lang}"] for r in _data_csv(vocabulary)}
        labels["other"] = "Other (as reported)" if lang == "en" else "Другое (как указано)"
        labels["—"] = _text("not_reported", lang)
        top = (
            in_year.assign(key=in_year[column].fillna("—")).groupby("key").size()
            .reset_index(name="n").sort_values(["n", "key"], ascending=[False, True]).head(5)
        )  # fmt: skip
        for key, k in zip(top["key"], top["n"], strict=True):
            expect(f"{labels.get(key, key)} {integer(k, lang)}", f"{column} table row")
    # the category table: count, persons and a share that adds up to 100 with the others
    if n:
        by = (
            in_year.groupby("category")
            .agg(n=("incident_id", "size"), persons=("persons_affected", "sum"))
            .reset_index()
            .sort_values(["n", "category"], ascending=[False, True])
        )
        shown, rest = by.head(TOP_CATEGORIES), by.iloc[TOP_CATEGORIES:]
        counts = [*shown["n"], *([int(rest["n"].sum())] if len(rest) else [])]
        persons_col = [*shown["persons"], *([rest["persons"].sum()] if len(rest) else [])]
        for c, p, s in zip(counts, persons_col, largest_remainder(counts), strict=True):
            cell = f"{integer(int(c), lang)} {integer(int(p), lang)} {percent(s, lang)}"
            expect(cell, "category table row (count, persons, share)")
    return out


def check_regional(pdf: Pdf, data: Tables, year: int, lang: str) -> list[Finding]:
    out: list[Finding] = []
    names, _ = _labels(lang)
    countries = mission()
    for country in countries:
        rows = data.violations[data.violations["country"] == country]
        n = int((rows["year"] == year).sum())
        persons = int(rows.loc[rows["year"] == year, "persons_affected"].fillna(0).sum())
        text = f"{names[country]} {integer(n, lang)}"
        if not pdf.find(text):
            out.append(Finding(pdf.path.name, "all pages", f"regional table: {country}", text))
        if not pdf.find(integer(persons, lang)):
            out.append(
                Finding(pdf.path.name, "all pages", f"persons affected {country}", str(persons))
            )
    years = data.monitored(countries, year)
    rows = data.violations[data.violations["country"].isin(countries)]
    reports = int(rows.loc[rows["year"].isin(years), "n_reports"].sum())
    text = f"({counted(reports, REPORTS, lang)})"
    if not pdf.find(text):
        out.append(Finding(pdf.path.name, "all pages", "regional trend chart source line", text))
    # the legislation table: acts by direction over the ten years and in the year
    acts = data.legislation
    decade = acts[acts["year"].between(year - HISTORY + 1, year)]
    for country in countries:
        own, now = decade[decade["country"] == country], decade[decade["year"] == year]
        now = now[now["country"] == country]
        cells = [
            int((own["direction"] == "restrictive").sum()),
            int((own["direction"] == "protective").sum()),
            int((now["direction"] == "restrictive").sum()),
            int((now["direction"] == "protective").sum()),
        ]
        text = f"{names[country]} " + " ".join(integer(c, lang) for c in cells)
        if not pdf.find(text):
            out.append(Finding(pdf.path.name, "all pages", f"legislation table: {country}", text))
    return out


def check_theme(pdf: Pdf, data: Tables, theme: str, year: int, lang: str) -> list[Finding]:
    out: list[Finding] = []
    row = next(r for r in _data_csv("themes") if r["code"] == theme)
    categories = row["categories"].split(";")
    countries = [c for c in mission() if year in data.monitored([c], year)]
    cases = data.violations[
        data.violations["country"].isin(countries) & data.violations["category"].isin(categories)
    ]
    total = int((cases["year"] == year).sum())
    if countries:
        text = counted(total, CASES, lang)
        if not pdf.find(text, 1):
            out.append(Finding(pdf.path.name, "page 1", "theme total cases in the year", text))
    # each monitored country's row: cases in the year and the change on the year before
    names, _ = _labels(lang)
    for country in countries:
        own = cases[cases["country"] == country]
        n = int((own["year"] == year).sum())
        text = f"{names[country]} {integer(n, lang)}"
        previous = int((own["year"] == year - 1).sum())
        if year - 1 in data.monitored([country], year) and previous:
            text += " " + percent(100 * (n - previous) / previous, lang, signed=True)
        if not pdf.find(text):
            out.append(Finding(pdf.path.name, "all pages", f"theme table: {country}", text))
    years = data.monitored(mission(), year)
    plotted = cases[cases["year"].isin(years)]
    if len(plotted):
        text = f"({counted(int(plotted['n_reports'].sum()), REPORTS, lang)})"
        if not pdf.find(text):
            out.append(Finding(pdf.path.name, "all pages", "theme chart source line", text))
    return out


def _span(date: str, precision: str) -> tuple[str, str]:
    """First and last day a record's date may mean (a month or a year is a span)."""
    if precision == "day":
        return date, date
    if precision == "month":
        year, month = int(date[:4]), int(date[5:7])
        last = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
        return f"{date[:7]}-01", last
    return f"{date[:4]}-01-01", f"{date[:4]}-12-31"


def check_ilo_pack(pdf: Pdf, data: Tables, country: str, since: str, until: str, lang: str):
    """The pack's summary: cases whose whole date lies in the period, and those dated only by
    a month or year that straddle its start or end (counted apart, as the pack says)."""
    rows = data.violations[data.violations["country"] == country]
    inside = straddling = 0
    for date, precision in zip(rows["date"], rows["date_precision"], strict=True):
        first, last = _span(date, precision)
        if since <= first and last <= until:
            inside += 1
        elif first <= until and last >= since:
            straddling += 1
    if lang == "en":
        texts = [
            f"Documented cases dated within the period: {integer(inside, lang)}.",
            f"counted neither in nor out: {integer(straddling, lang)}.",
        ]
    else:
        texts = [
            f"Задокументированных случаев с датой в пределах периода: {integer(inside, lang)}.",
            f"ни за его пределы: {integer(straddling, lang)}.",
        ]
    return [
        Finding(pdf.path.name, "page 1", "ILO pack summary", text)
        for text in texts
        if not pdf.find(text, 1)
    ]


# ------------------------------------------------------------------ checks on the words

RU_NOUNS = {
    "сообщени": {"one": "е", "few": "я", "many": "й"},
    "нарушени": {"one": "е", "few": "я", "many": "й"},
    "партнёр": {"one": "", "few": "а", "many": "ов"},
}
_RU_COUNT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?: \d{3})*|\d+) (сообщени[еяй]|нарушени[еяй]|партнёр(?:а|ов)?)\b"
)


# a list sentence filled with "none", or a count of zero items said as a number
EMPTY_LIST_SENTENCES = (
    r"— нет(?=[.;,)]|$)",
    r"\bin none\b",
    r"\b0 (?:protective|restrictive|защитн|ограничительн)\w*",
)


def check_words(pdf: Pdf, lang: str) -> list[Finding]:
    """Plural forms after numbers by the CLDR rule (Russian); no 'p = 0.00'."""
    out = []
    for number, page in enumerate(pdf.pages, 1):
        if re.search(r"p = 0[.,]00\b", page):
            out.append(Finding(pdf.path.name, f"page {number}", "p-value", "p < 0.01"))
        for pattern in EMPTY_LIST_SENTENCES:
            for match in re.finditer(pattern, page):
                out.append(
                    Finding(pdf.path.name, f"page {number}", "sentence about nothing", match[0])
                )
        if lang != "ru":
            continue
        for match in _RU_COUNT.finditer(page):
            n = int(match[1].replace(" ", ""))
            word = match[2]
            stem = next(s for s in RU_NOUNS if word.startswith(s))
            expected = stem + RU_NOUNS[stem][cldr_ru(n)]
            if word != expected:
                out.append(
                    Finding(pdf.path.name, f"page {number}", f"plural after {n}", f"{n} {expected}")
                )
    return out


def check_year(briefs: Path, processed: Path, year: int) -> tuple[list[Finding], int]:
    """Every PDF of ``briefs/<year>``: the findings and the number of PDFs checked."""
    data = Tables.read(processed)
    findings: list[Finding] = []
    checked = 0
    for lang in ("ru", "en"):
        for path in sorted((briefs / str(year) / lang).glob("*.pdf")):
            pdf = Pdf.read(path)
            key = path.stem
            if key == "regional":
                findings += check_regional(pdf, data, year, lang)
            elif key.startswith("theme-"):
                findings += check_theme(pdf, data, key.removeprefix("theme-"), year, lang)
            else:
                findings += check_country(pdf, data, key, year, lang)
            findings += check_words(pdf, lang)
            checked += 1
    return findings, checked
