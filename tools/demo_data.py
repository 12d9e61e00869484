"""Deterministic generator of the SYNTHETIC demo data in ``data/raw/`` (``make demo-data``).

The files imitate what partners send: several files per dataset, Russian and English headers,
cp1251 and UTF-8 with BOM, ``;``/tab separators, an .xlsx with a title row, country-name
variants, mixed date and number formats, cross-partner duplicates and a few invalid rows.
Every file says in its title row that it is synthetic; names are invented and deliberately
fictitious-sounding (Примеров, Образцова...). No record describes a real event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import storage
from analysis.vocab import reference

SEED = 20251122
YEARS = range(2015, 2026)
TITLE_RU = "СИНТЕТИЧЕСКИЕ ДЕМО-ДАННЫЕ: вымышленные записи, не реальные события"
TITLE_EN = "SYNTHETIC DEMO DATA: invented records, not real events"

# Yearly expected number of documented incidents (synthetic shapes, not measurements).
_BASE = {"KAZ": 14, "KGZ": 9, "UZB": 12, "TJK": 7, "TKM": 3, "BLR": 8}
_TREND = {"KAZ": 0.04, "KGZ": 0.06, "UZB": -0.05, "TJK": 0.03, "TKM": 0.0, "BLR": 0.16}
_CATEGORY_WEIGHTS = {
    "union_registration_denied": 3, "union_dissolved": 2, "union_interference": 3,
    "antiunion_dismissal": 4, "refusal_to_bargain": 2, "strike_restriction": 3,
    "assembly_restriction": 2, "activist_detention": 3, "activist_prosecution": 3,
    "harassment": 4, "violence": 1, "expulsion_documents": 2, "forced_labour": 2,
    "child_labour": 1, "discrimination": 1, "migrant_rights": 3,
    "informal_platform_workers": 2, "wage_arrears": 5, "occupational_safety": 3, "other": 1,
}  # fmt: skip
_COUNTRY_VARIANTS = {
    "KAZ": ["Казахстан", "Республика Казахстан", "Kazakhstan", "KZ", "РК"],
    "KGZ": ["Кыргызстан", "Киргизия", "Kyrgyz Republic", "Kyrgyzstan", "KG"],
    "UZB": ["Узбекистан", "Uzbekistan", "Republic of Uzbekistan", "UZ"],
    "TJK": ["Таджикистан", "Tajikistan", "Республика Таджикистан", "TJ"],
    "TKM": ["Туркменистан", "Туркмения", "Turkmenistan", "TM"],
    "BLR": ["Беларусь", "Белоруссия", "Belarus", "Республика Беларусь", "BY"],
}
_CITIES = {
    "KAZ": ["Алматы", "Астана", "Жанаозен", "Караганда", "Актау"],
    "KGZ": ["Бишкек", "Ош", "Кара-Балта"],
    "UZB": ["Ташкент", "Самарканд", "Фергана", "Навои"],
    "TJK": ["Душанбе", "Худжанд", "Бохтар"],
    "TKM": ["Ашхабад", "Туркменабад", "Мары"],
    "BLR": ["Минск", "Гродно", "Солигорск", "Гомель"],
}
_SECTORS = [
    ("oil and gas", "нефть и газ"), ("mining", "горнодобывающая"), ("construction", "строительство"),
    ("agriculture", "сельское хозяйство"), ("education", "образование"), ("health", "здравоохранение"),
    ("transport", "транспорт"), ("manufacturing", "обрабатывающая"), ("platform work", "платформы"),
]  # fmt: skip
_PERPETRATORS = [
    ("employer", "работодатель"), ("police", "полиция"), ("local authorities", "местные власти"),
    ("security services", "спецслужбы"), ("court", "суд"), ("recruitment agency", "кадровое агентство"),
]  # fmt: skip
_FIRST = [
    ("Айбек", "Aibek", "m"), ("Дина", "Dina", "f"), ("Рустам", "Rustam", "m"),
    ("Мадина", "Madina", "f"), ("Тимур", "Timur", "m"), ("Нигора", "Nigora", "f"),
    ("Азамат", "Azamat", "m"), ("Гульнара", "Gulnara", "f"), ("Сергей", "Sergei", "m"),
    ("Ольга", "Olga", "f"), ("Фарход", "Farkhod", "m"), ("Зарина", "Zarina", "f"),
]  # fmt: skip
_LAST = [
    ("Примеров", "Primerov"), ("Образцов", "Obraztsov"), ("Выдуманов", "Vydumanov"),
    ("Условнов", "Uslovnov"), ("Тестов", "Testov"), ("Макетов", "Maketov"),
    ("Шаблонов", "Shablonov"), ("Черновиков", "Chernovikov"),
]  # fmt: skip
_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
               "сентября", "октября", "ноября", "декабря"]  # fmt: skip
_MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
               "сентябрь", "октябрь", "ноябрь", "декабрь"]  # fmt: skip
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _name(rng: np.random.Generator, lang: str) -> str:
    first_ru, first_en, sex = _FIRST[rng.integers(len(_FIRST))]
    last_ru, last_en = _LAST[rng.integers(len(_LAST))]
    if lang == "ru":
        return f"{last_ru}{'а' if sex == 'f' else ''} {first_ru}"
    return f"{first_en} {last_en}{'a' if sex == 'f' else ''}"


def _violations(rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic incidents in a neutral form (dates as dates, codes as codes)."""
    codes = list(_CATEGORY_WEIGHTS)
    weights = np.array(list(_CATEGORY_WEIGHTS.values()), dtype=float)
    personal_categories = reference.person_categories()
    rows = []
    for country in reference.mission_countries():
        for year in YEARS:
            lam = _BASE[country] * np.exp(_TREND[country] * (year - 2015))
            if country == "BLR" and year >= 2021:
                lam *= 1.8  # synthetic surge
            for _ in range(rng.poisson(lam)):
                category = codes[rng.choice(len(codes), p=weights / weights.sum())]
                day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(365)))
                personal = category in personal_categories
                n_names = int(rng.integers(1, 3)) if personal else 0
                sector = _SECTORS[rng.integers(len(_SECTORS))]
                rows.append(
                    {
                        "country": country,
                        "date": day,
                        "category": category,
                        "persons": n_names if personal else int(rng.integers(1, 60)),
                        "names_ru": "; ".join(_name(rng, "ru") for _ in range(n_names)),
                        "is_public": bool(rng.random() < 0.35),
                        "sector_en": sector[0],
                        "sector_ru": sector[1],
                        "perpetrator": _PERPETRATORS[rng.integers(len(_PERPETRATORS))],
                        "city": _CITIES[country][rng.integers(len(_CITIES[country]))],
                        "id": len(rows) + 1,
                    }
                )
    frame = pd.DataFrame(rows)
    frame["names_en"] = frame["names_ru"].map(_transliterate_names)
    return frame


_TRANSLIT = {ru: en for ru, en in _LAST} | {ru: en for ru, en, _ in _FIRST}


def _transliterate_names(names: str) -> str:
    def word(w: str) -> str:
        if w in _TRANSLIT:
            return _TRANSLIT[w]
        if w.endswith("а") and w[:-1] in _TRANSLIT:
            return _TRANSLIT[w[:-1]] + "a"
        return w

    return "; ".join(" ".join(word(w) for w in n.split()[::-1]) for n in names.split("; ") if n)


def _description(row: dict, lang: str) -> str:
    names = row["names_ru"] if lang == "ru" else row["names_en"]
    first = names.split("; ")[0] if names else ""
    if lang == "ru":
        who = f"активист {first}" if first else "работники"
        return f"Синтетический случай №{row['id']}: {who}, {row['sector_ru']}, {row['city']}."
    who = f"activist {first}" if first else "workers"
    return f"Synthetic case no. {row['id']}: {who}, {row['sector_en']}, {row['city']}."


def _fmt_date(day: dt.date, style: str, rng: np.random.Generator) -> str | dt.date:
    roll = rng.random()
    if roll < 0.08:
        return (
            f"{_MONTHS_NOM[day.month - 1]} {day.year}"
            if style == "ru"
            else f"{_MONTHS_EN[day.month - 1]} {day.year}"
        )
    if roll < 0.11:
        return str(day.year)
    if style == "ru":
        return (
            day.strftime("%d.%m.%Y")
            if roll < 0.7
            else f"{day.day} {_MONTHS_GEN[day.month - 1]} {day.year}"
        )
    if style == "excel":
        return day
    return day.isoformat()


def _partner_violations(frame: pd.DataFrame, rng: np.random.Generator, lang: str, style: str,
                        partner: str) -> pd.DataFrame:  # fmt: skip
    ru = lang == "ru"
    out = pd.DataFrame(
        {
            "country": [v[rng.integers(len(v))] for v in frame["country"].map(_COUNTRY_VARIANTS)],
            "date": [_fmt_date(d, style, rng) for d in frame["date"]],
            "category": frame["category"],
            "persons": frame["persons"].astype(str),
            "names": frame["names_ru" if ru else "names_en"],
            "public": frame["is_public"].map(
                {True: "да", False: "нет"} if ru else {True: "yes", False: "no"}
            ),
            "sector": frame["sector_ru" if ru else "sector_en"],
            "perpetrator": [p[1] if ru else p[0] for p in frame["perpetrator"]],
            "location": frame["city"],
            "description": [_description(r, lang) for r in frame.to_dict("records")],
            "source": partner,
            "url": "https://example.org/synthetic/" + frame["id"].astype(str),
        }
    )
    labels = _category_labels(lang)
    out["category"] = out["category"].map(labels)
    return out


def _category_labels(lang: str) -> dict[str, str]:

    table = reference.categories()
    return dict(zip(table["code"], table[f"label_{lang}"], strict=True))


_HEADERS = {
    "violations": {
        "ru": ["Страна", "Дата инцидента", "Тип нарушения", "Число пострадавших", "ФИО пострадавших",
               "Публичный случай", "Отрасль", "Нарушитель", "Место", "Описание", "Источник", "Ссылка"],
        "en": ["Country", "Date", "Category", "Persons affected", "Victim names", "Public", "Sector",
               "Perpetrator", "Location", "Description", "Source", "URL"],
    },
}  # fmt: skip


def _write_csv(path: Path, title: str, header: list[str], rows: list[list], encoding: str,
               delimiter: str) -> None:  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow(header)
    writer.writerows(rows)
    storage.write_bytes(path, buffer.getvalue().encode(encoding))


def _write_xlsx(path: Path, title: str, header: list[str], rows: list[list]) -> None:
    """An .xlsx with a title row, byte-for-byte reproducible (fixed zip and core timestamps)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    notes = workbook.create_sheet("Notes")
    notes.append(["This workbook is synthetic demo data generated by `make demo-data`."])
    fixed = dt.datetime(2025, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    buffer = io.BytesIO()
    workbook.save(buffer)
    storage.write_bytes(path, _reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", content
                )
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0)), content,
                         compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return out.getvalue()


def _rows(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), "").to_numpy().tolist()


def write_violations(raw_dir: Path, rng: np.random.Generator) -> None:
    incidents = _violations(rng)
    # Partner A: KAZ, KGZ, TJK in Russian; B: UZB, TKM in English (.xlsx); C: BLR in cp1251.
    plan = [
        ("partner-a_central-asia_2015-2025.csv", ["KAZ", "KGZ", "TJK"], "ru", "ru", "Партнёр А"),
        ("partner-b_uzb-tkm.xlsx", ["UZB", "TKM"], "en", "excel", "Partner B"),
        ("partner-c_belarus.csv", ["BLR"], "ru", "ru", "Партнёр В"),
    ]
    reported = {}
    for name, countries, lang, style, partner in plan:
        part = incidents[incidents["country"].isin(countries)]
        reported[name] = (_partner_violations(part, rng, lang, style, partner), lang)
    # Partner D re-reports ~10% of all incidents (same URL, English, ISO dates): duplicates.
    again = incidents.sample(frac=0.10, random_state=int(rng.integers(1 << 31))).sort_values("id")
    reported["partner-d_regional-digest.tsv"] = (
        _partner_violations(again, rng, "en", "iso", "Partner D"),
        "en",
    )
    for name, (frame, lang) in reported.items():
        frame = _with_defects(frame, rng, lang)
        header = _HEADERS["violations"][lang]
        title = TITLE_RU if lang == "ru" else TITLE_EN
        path = raw_dir / "violations" / name
        rows = _rows(frame)
        if name.endswith(".xlsx"):
            _write_xlsx(path, title, header, rows)
        elif name.endswith(".tsv"):
            _write_csv(path, title, header, rows, "utf-8", "\t")
        elif "belarus" in name:
            _write_csv(path, title, header, rows, "cp1251", ";")
        else:
            _write_csv(path, title, header, rows, "utf-8-sig", ";")


def _with_defects(frame: pd.DataFrame, rng: np.random.Generator, lang: str) -> pd.DataFrame:
    """Exact duplicate rows, an empty row and invalid values, as partners' files have them."""
    frame = frame.reset_index(drop=True)
    dupes = frame.sample(n=min(3, len(frame)), random_state=int(rng.integers(1 << 31)))
    frame = pd.concat([frame, dupes]).sort_index(kind="stable").reset_index(drop=True)
    bad = frame.sample(n=min(4, len(frame)), random_state=int(rng.integers(1 << 31))).index
    frame = frame.astype(object)
    frame.loc[bad[0], "country"] = "Атлантида" if lang == "ru" else "Atlantis"
    frame.loc[bad[1], "date"] = "31.02.2024"
    frame.loc[bad[2], "category"] = "разное непонятное" if lang == "ru" else "misc unclear"
    frame.loc[bad[3], "persons"] = "много" if lang == "ru" else "many"
    empty = pd.DataFrame([[""] * frame.shape[1]], columns=frame.columns)
    cut = len(frame) // 2
    return pd.concat([frame.iloc[:cut], empty, frame.iloc[cut:]], ignore_index=True)


_ACT_TITLES = [
    ("Закон «О профессиональных союзах» (изменения)", "Law on Trade Unions (amendments)", "C087;C098"),
    ("Изменения в Трудовой кодекс о забастовках", "Labour Code amendments on strikes", "C087"),
    ("Закон о мирных собраниях", "Law on Peaceful Assemblies", "C087"),
    ("Постановление о внешней трудовой миграции", "Resolution on External Labour Migration", "C097;C143"),
    ("Закон о минимальной заработной плате", "Minimum Wage Law", "C131"),
    ("Указ о запрете принудительного труда в сельском хозяйстве",
     "Decree on ending forced labour in agriculture", "C029;P029;C105"),
    ("Закон о безопасности и охране труда", "Occupational Safety and Health Law", "C155;C187"),
    ("Изменения в Уголовный кодекс (экстремизм, «массовые беспорядки»)",
     "Criminal Code amendments (extremism, 'mass riots')", "C087;C105"),
    ("Закон о платформенной занятости", "Law on Platform Employment", "C087;C098"),
    ("Порядок регистрации профсоюзов", "Procedure for union registration", "C087"),
]  # fmt: skip
_DIRECTIONS = {
    "KAZ": [0.45, 0.3, 0.1, 0.15], "KGZ": [0.45, 0.3, 0.1, 0.15], "UZB": [0.2, 0.55, 0.1, 0.15],
    "TJK": [0.4, 0.3, 0.15, 0.15], "TKM": [0.5, 0.2, 0.2, 0.1], "BLR": [0.7, 0.1, 0.1, 0.1],
}  # fmt: skip


def write_legislation(raw_dir: Path, rng: np.random.Generator) -> None:
    table = reference.read_table("legislation_directions")  # direction index -> label as written
    labels = {lang: table[f"label_{lang}"].str.lower().tolist() for lang in ("ru", "en")}
    rows = []
    for country in reference.mission_countries():
        for year in YEARS:
            for _ in range(rng.poisson(1.3 if country != "TKM" else 0.5)):
                title = _ACT_TITLES[rng.integers(len(_ACT_TITLES))]
                adopted = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(365)))
                rows.append(
                    {
                        "country": country,
                        "title": title,
                        "adopted": adopted,
                        "in_force": adopted + dt.timedelta(days=int(rng.integers(10, 200))),
                        "direction": int(rng.choice(4, p=_DIRECTIONS[country])),
                    }
                )
    acts = pd.DataFrame(rows)
    ru_part = acts[acts["country"].isin(["KAZ", "KGZ", "TJK", "BLR"])]
    en_part = acts[acts["country"].isin(["UZB", "TKM"])]
    ru_rows = [
        [
            _COUNTRY_VARIANTS[r.country][rng.integers(2)], f"{r.title[0]} (синтетический пример)",
            r.adopted.strftime("%d.%m.%Y"), r.in_force.strftime("%d.%m.%Y"),
            labels["ru"][r.direction], r.title[2].replace("C", "Конвенция № "),
            "Партнёр А",
        ]
        for r in ru_part.itertuples()
    ]  # fmt: skip
    ru_rows += [ru_rows[3], ru_rows[10]]  # the same act entered twice
    ru_rows.insert(7, [ru_rows[7][0], "Закон без даты", "", "", "???", "", "Партнёр А"])
    en_rows = [
        [
            _COUNTRY_VARIANTS[r.country][2], f"{r.title[1]} (synthetic example)", r.adopted,
            r.in_force.isoformat(), labels["en"][r.direction], r.title[2].replace(";", ", "),
            "Partner B",
        ]
        for r in en_part.itertuples()
    ]  # fmt: skip
    en_rows.insert(
        2,
        ["Uzbekistan", "Amendment of unknown effect", "2019-03-01", "", "unclear", "", "Partner B"],
    )
    _write_csv(
        raw_dir / "legislation" / "tracker_ru.csv", TITLE_RU,
        ["Страна", "Название", "Дата принятия", "Дата вступления в силу", "Направленность",
         "Конвенции МОТ", "Источник"], ru_rows, "utf-8-sig", ";",
    )  # fmt: skip
    _write_xlsx(
        raw_dir / "legislation" / "tracker_en.xlsx", TITLE_EN,
        ["Country", "Title", "Date adopted", "Date in force", "Direction", "ILO conventions",
         "Source"], en_rows,
    )  # fmt: skip


# Synthetic migration shapes: (outflow thousands 2015, main destinations with shares,
# remittances US$ m 2015, GDP US$ bn 2015, yearly growth).
_MIGRATION = {
    "TJK": (520, {"RUS": 0.86, "KAZ": 0.06, "KOR": 0.03}, 2250, 7.9, 0.07),
    "KGZ": (380, {"RUS": 0.78, "KAZ": 0.10, "TUR": 0.04, "KOR": 0.04}, 1680, 6.7, 0.06),
    "UZB": (1600, {"RUS": 0.72, "KAZ": 0.12, "KOR": 0.05, "TUR": 0.05}, 3400, 86.0, 0.09),
    "KAZ": (45, {"RUS": 0.55, "DEU": 0.20, "KOR": 0.05}, 190, 184.0, 0.02),
    "BLR": (95, {"RUS": 0.60, "POL": 0.20, "LTU": 0.10}, 1050, 56.0, 0.01),
    "TKM": (60, {"TUR": 0.70, "RUS": 0.20}, 0, 36.0, 0.02),
}


def _migration_values(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for country, (out0, partners, rem0, gdp0, growth) in _MIGRATION.items():
        for year in YEARS:
            shock = 0.55 if year == 2020 else 0.8 if year == 2021 else 1.0
            boost = 1.5 if year == 2022 and country in {"TJK", "KGZ", "UZB"} else 1.0
            t = year - 2015
            outflow = out0 * 1000 * (1 + growth) ** t * shock * rng.uniform(0.95, 1.05)
            stock = outflow * 2.1
            gdp = gdp0 * 1e9 * (1.05**t)
            rem = rem0 * 1e6 * (1 + growth) ** t * shock * boost * rng.uniform(0.95, 1.05)
            base = {"country": country, "year": year}
            rows.append(
                base
                | {
                    "partner": reference.ALL_DESTINATIONS,
                    "indicator": "outflow",
                    "value": round(outflow),
                }
            )
            rows.append(
                base
                | {
                    "partner": reference.ALL_DESTINATIONS,
                    "indicator": "returnees",
                    "value": round(outflow * 0.6),
                }
            )
            for partner, share in partners.items():
                rows.append(
                    base
                    | {
                        "partner": partner,
                        "indicator": "stock_abroad",
                        "value": round(stock * share),
                    }
                )
            if country != "TKM":  # Turkmenistan publishes no remittance data: a gap
                rows.append(
                    base
                    | {
                        "partner": reference.ALL_DESTINATIONS,
                        "indicator": "remittances_usd",
                        "value": rem,
                    }
                )
                rows.append(
                    base
                    | {
                        "partner": reference.ALL_DESTINATIONS,
                        "indicator": "remittances_gdp_pct",
                        "value": 100 * rem / gdp,
                    }
                )
    return pd.DataFrame(rows)


_NAMES_RU = {"WLD": "Всего", "RUS": "Россия", "KAZ": "Казахстан", "KOR": "Республика Корея",
             "TUR": "Турция", "DEU": "Германия", "POL": "Польша", "LTU": "Литва"}  # fmt: skip
_INDICATOR_RU = {"outflow": "Выехало трудовых мигрантов", "returnees": "Вернувшиеся мигранты",
                 "stock_abroad": "Численность мигрантов за рубежом",
                 "remittances_usd": "Денежные переводы", "remittances_gdp_pct": "Переводы % ВВП"}  # fmt: skip


def _ru_number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text


def write_migration(raw_dir: Path, rng: np.random.Generator) -> None:
    values = _migration_values(rng)
    national = values[values["country"].isin(["TJK", "KGZ", "UZB"])]
    ru_rows = []
    for r in national.itertuples():
        if r.indicator == "remittances_usd":
            value, unit = _ru_number(r.value / 1e6, 1), "млн долл. США"
        elif r.indicator == "remittances_gdp_pct":
            value, unit = _ru_number(r.value, 1), "% ВВП"
        elif r.value > 1e6 and rng.random() < 0.3:
            value, unit = f"{_ru_number(r.value / 1e6, 2)} млн", "чел."
        else:
            value, unit = _ru_number(r.value), "чел."
        estimate = "оценка" if r.year == 2025 else "официальные данные"
        country = _COUNTRY_VARIANTS[r.country][rng.integers(2)]
        ru_rows.append([country, _NAMES_RU[r.partner], str(r.year), _INDICATOR_RU[r.indicator], value, unit,
                        "Национальная статистика (синтетика)", estimate])  # fmt: skip
    ru_rows.insert(5, ru_rows[5])  # a row pasted twice
    ru_rows.insert(9, ["Таджикистан", "Всего", "2019", "Выехало трудовых мигрантов", "н/д", "чел.",
                       "Национальная статистика (синтетика)", ""])  # fmt: skip
    _write_csv(
        raw_dir / "migration" / "national-statistics_ru.csv", TITLE_RU,
        ["Страна", "Страна назначения", "Год", "Показатель", "Значение", "Ед. изм.", "Источник",
         "Тип оценки"], ru_rows, "cp1251", ";",
    )  # fmt: skip
    other = values[values["country"].isin(["KAZ", "BLR", "TKM"])]
    en_rows = []
    for r in other.itertuples():
        if r.indicator == "remittances_gdp_pct":
            value, unit = f"{r.value:.2f}%", "% of GDP"
        elif r.indicator == "remittances_usd":
            value, unit = f"{r.value / 1e6:,.1f}", "USD million"
        else:
            value, unit = f"{r.value:,.0f}", "persons"
        en_rows.append([r.country if rng.random() < 0.5 else _COUNTRY_VARIANTS[r.country][2],
                        r.partner if r.partner != reference.ALL_DESTINATIONS else "Total", str(r.year), r.indicator,
                        value, unit, "Regional migration observatory (synthetic)",
                        "estimated" if r.year >= 2024 else "reported"])  # fmt: skip
    en_rows.insert(4, ["Kazakhstan", "Narnia", "2018", "stock_abroad", "1,000", "persons",
                       "Regional migration observatory (synthetic)", "reported"])  # fmt: skip
    _write_csv(
        raw_dir / "migration" / "regional-observatory_en.tsv", TITLE_EN,
        ["Country", "Destination", "Year", "Indicator", "Value", "Unit", "Source", "Status"],
        en_rows, "utf-8", "\t",
    )  # fmt: skip


README = """# Raw data (SYNTHETIC DEMO)

Every file in these folders is SYNTHETIC demo data made by `make demo-data` (seed {seed}):
invented incidents, acts and figures with plausible shapes, not real events, people or statistics.
Replace or add partner files here (one folder per dataset); `make data` cleans them.
"""


def write_demo_data(raw_dir: Path, seed: int = SEED) -> list[Path]:
    """(Re)write the synthetic demo files under ``raw_dir``; same seed, same bytes."""
    raw_dir = Path(raw_dir)
    rng = np.random.default_rng(seed)
    write_violations(raw_dir, rng)
    write_legislation(raw_dir, rng)
    write_migration(raw_dir, rng)
    storage.write_text(raw_dir / "README.md", README.format(seed=seed))
    return sorted(p for p in raw_dir.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """``python tools/demo_data.py [--raw-dir data/raw] [--seed N]`` (``make demo-data``)."""
    import argparse

    parser = argparse.ArgumentParser(description="write the synthetic demo data (deterministic)")
    parser.add_argument("--raw-dir", default="data/raw")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    paths = write_demo_data(Path(args.raw_dir), seed=args.seed)
    print(f"wrote {len(paths)} synthetic demo files under {args.raw_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
