"""The privacy guarantee against real-world writing: a corpus of invented people, each written
the way careless partners and attackers write names, through cleaning (and, marked slow, to the
PDF). Every class of leak gets its own person, so a failure names the class.

The checker is independent of :mod:`analysis.privacy`: it looks for hand-written fragments of
each name (Cyrillic and Latin stems) in the outputs after plain Unicode folding, not for what the
shield itself would match.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from conftest import VIOLATION_HEADER_RU, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.privacy import WITHHELD, NameShield, fold_word

YEAR = "2025"


def fold_output(text: str) -> str:
    """What a reader could recognise: percent-encoding and HTML character references decoded,
    compatibility forms, case, invisible characters,
    diacritics (not letters of their own such as қ) and apostrophes folded."""
    text = unicodedata.normalize("NFKC", html.unescape(unquote(text)))  # as a browser shows it
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    for apostrophe in "'ʻʼ’‘`":
        text = text.replace(apostrophe, "")
    return unicodedata.normalize("NFC", text)


# Non-public people: (names cell, the spelling used elsewhere, fragments that must never show).
# Each is listed in a non-public record; a public record's text then mentions them as below.
HIDDEN = {
    "other_record_inflected": ("Жолдасбеков Нурлан", "у Нурлана Жолдасбекова изъяли паспорт",
                               ["жолдасбек", "zholdasbek"]),
    "yo_written_e": ("Семёнова Алёна", "Семенова Алена подала жалобу", ["семенова", "semenova"]),
    "soft_hyphen": ("Эргашев Бахтиёр", "Эр\u00adга\u00adшев Бах\u00adтиёр уволен",
                    ["эргашев", "ergashev"]),
    "zero_width": ("Дуйсенова Айгерим", "Дуй\u200bсенова Ай\u200dгерим задержана",
                   ["дуйсенов", "duisenov"]),
    "decomposed": ("Сейтқалиева Гүлнара", unicodedata.normalize("NFD", "Гүлнара Сейтқалиева") + " вызвана",
                   ["сейтқалиев", "сейткалиев", "seitkaliev", "seytkaliev"]),
    "latin_lookalikes": ("Рахимов Тохир", "Paxимoв Tохир (латинские буквы)", ["paxимoв", "рахимов", "rakhimov"]),
    "apostrophe_variant": ("Shoʻxrux Turgʻunov", "Sho'xrux Turg'unov ishdan bo'shatildi",
                           ["shoxrux", "turgunov"]),
    "no_diacritics": ("Gökhan Yıldırım", "Gokhan Yildirim was not paid", ["gokhan", "yildirim"]),
    "uzbek_suffix": ("Dilshoda Normatova", "Dilshoda Normatovaning ishi", ["normatova", "нормато"]),
    "short_surname": ("Ан Виктор", "Виктор Ан и В. Ан были задержаны", ["виктор ан", "в. ан"]),
    "url_slug": ("Абдуллаева Мадина", "см. источник", ["abdullaeva", "абдуллаев"]),
    "html_references": ("Сыздыкова Айжан", "&#1057;&#1099;&#1079;&#1076;&#1099;&#1082;&#1086;&#1074;&#1072; уволена",
                        ["сыздыков", "&#1057;&#1099;&#1079;"]),
}  # fmt: skip
PUBLIC_VICTIM = "Мухтаров Ерлан"  # a public case: may be named


def _row(names: str, public: str, description: str, url: str = "", category="Арест активиста",
         date=f"10.03.{YEAR}", country="Казахстан") -> list[str]:  # fmt: skip
    return [country, date, category, "1", names, public, description, "Партнёр К", url]


def write_corpus(raw: Path) -> None:
    rows = [_row(names, "нет", f"Случай: {names}") for names, _, _ in HIDDEN.values()]
    for i, (_, written, _) in enumerate(HIDDEN.values()):
        rows.append(
            _row(PUBLIC_VICTIM, "да", f"{PUBLIC_VICTIM}: {written}", date=f"{i + 1:02d}.04.{YEAR}")
        )
    rows.append(
        _row(
            PUBLIC_VICTIM,
            "да",
            "Публикация о задержании",
            url="https://news.example/kz/madina-abdullaeva-zaderzhana",
            date=f"20.05.{YEAR}",
        )
    )
    slug = "%D0%9C%D0%B0%D0%B4%D0%B8%D0%BD%D0%B0-%D0%90%D0%B1%D0%B4%D1%83%D0%BB%D0%BB%D0%B0%D0%B5%D0%B2%D0%B0"
    rows.append(_row(PUBLIC_VICTIM, "да", "Ещё публикация", url=f"https://news.example/{slug}",
                     date=f"22.05.{YEAR}"))  # fmt: skip
    # A non-public record's own text and URL, with its name written as in a slug.
    rows.append(
        _row(
            "Касенов Болат",
            "нет",
            "Болат Касенов задержан у завода",
            url="https://news.example/bolat-kasenov-detained",
            date=f"21.05.{YEAR}",
        )
    )
    write_csv(raw / "violations" / "partner-k.csv", VIOLATION_HEADER_RU, rows, title="SYNTHETIC test")  # fmt: skip

    # A names header that no alias knows, and a second names column.
    header = ["Страна", "Дата", "Категория", "Задержанные лица", "Публичный", "Описание",
              "Имена свидетелей"]  # fmt: skip
    write_csv(raw / "violations" / "partner-l.csv", header, [
        ["Казахстан", f"05.06.{YEAR}", "арест", "Жумабаев Серик", "нет", "Задержан профсоюзный лидер", "Омарова Сауле"],
    ], title="SYNTHETIC test")  # fmt: skip
    rows = [
        _row(
            PUBLIC_VICTIM, "да", "Серика Жумабаева и Сауле Омарову допросили", date=f"06.06.{YEAR}"
        )
    ]
    write_csv(raw / "violations" / "partner-m.csv", VIOLATION_HEADER_RU, rows, title="SYNTHETIC test")  # fmt: skip

    # Names in a column whose header is not a names header: the file is refused, yet the names
    # it holds are still withheld from every other file.
    header = ["Страна", "Дата", "Категория", "Кто", "Публичный"]
    write_csv(raw / "violations" / "partner-n.csv", header, [
        ["Казахстан", f"07.06.{YEAR}", "арест", "Тажибаев Арман", "нет"],
        ["Казахстан", f"08.06.{YEAR}", "арест", "Искакова Жанна", "нет"],
    ], title="SYNTHETIC test")  # fmt: skip
    rows = [
        _row(PUBLIC_VICTIM, "да", "Армана Тажибаева видели у суда", date=f"09.06.{YEAR}"),
        _row(PUBLIC_VICTIM, "да", "Жанар Тлеубаеву отпустили под подписку", date=f"11.07.{YEAR}"),
    ]
    write_csv(raw / "violations" / "partner-o.csv", VIOLATION_HEADER_RU, rows, title="SYNTHETIC test")  # fmt: skip

    # An unclosed quote: the rows after it would become one description.
    lines = [";".join(VIOLATION_HEADER_RU)]
    lines.append(f'Казахстан;01.07.{YEAR};арест;1;Нуриев Камил;нет;"Описание без конца;Партнёр;')
    for day in range(2, 9):
        lines.append(
            f"Казахстан;{day:02d}.07.{YEAR};арест;1;Тлеубаева Жанар;нет;задержана;Партнёр;"
        )
    lines.append(
        f'Казахстан;10.07.{YEAR};арест;1;{PUBLIC_VICTIM};да;"Позже Жанар Тлеубаеву отпустили";Партнёр;'
    )
    path = raw / "violations" / "partner-p.csv"
    path.write_text("SYNTHETIC test\n" + "\n".join(lines) + "\n", encoding="utf-8")

    # A file named after a non-public person, and one that cannot be read.
    write_csv(raw / "violations" / "delo-kuanyshev-ruslan.csv", VIOLATION_HEADER_RU,
              [_row("Куанышев Руслан", "нет", "Задержан", date=f"12.07.{YEAR}")], title="SYNTHETIC test")  # fmt: skip
    (raw / "violations" / "kuanyshev-ruslan-broken.xlsx").write_bytes(b"not a workbook")

    # A file without a header: its only line is names.
    (raw / "violations" / "names-only.csv").write_text(
        "Байжанов Ерболат;Сулейменова Асель\n", encoding="utf-8"
    )


EXTRA_HIDDEN = {
    "unknown_header": ["жумабаев", "zhumabaev"],
    "second_names_column": ["омарова", "омарову", "omarova"],
    "refused_column": ["тажибаев", "tazhibaev"],
    "swallowed_rows": ["тлеубаев", "tleubaev"],
    "own_text_and_slug": ["касенов", "kasenov"],
    "headerless_line": ["байжанов", "сулейменов"],
    "file_name": ["kuanyshev", "куанышев"],
}


def _forbidden() -> dict[str, list[str]]:
    return {**{k: v[2] for k, v in HIDDEN.items()}, **EXTRA_HIDDEN}


def shareable_files(processed: Path) -> dict[str, str]:
    out = {}
    for path in sorted(processed.rglob("*")):
        if not path.is_file() or "private" in path.relative_to(processed).parts:
            continue
        if path.suffix == ".parquet":
            out[path.name] = pd.read_parquet(path).to_csv()
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


def assert_no_hidden_name(texts: dict[str, str]) -> None:
    leaks = []
    for where, text in texts.items():
        folded = fold_output(text)
        for case, fragments in _forbidden().items():
            leaks += [f"{case}: {f!r} in {where}" for f in fragments if fold_output(f) in folded]
    assert not leaks, "\n".join(leaks)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    write_corpus(root / "raw")
    processed = root / "processed"
    run = subprocess.run(
        [sys.executable, "-m", "analysis.run.cli", "-v", "clean", "--raw-dir", str(root / "raw"),
         "--processed-dir", str(processed)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return root, processed, run


def test_no_hidden_name_in_any_shareable_output_or_log(corpus):
    _, processed, run = corpus
    assert "Traceback" not in run.stderr
    texts = shareable_files(processed)
    texts["stdout"], texts["stderr"] = run.stdout, run.stderr
    assert_no_hidden_name(texts)


def test_public_case_keeps_its_own_text_and_name(corpus):
    _, processed, _ = corpus
    violations = pd.read_parquet(processed / "violations.parquet")
    public = violations[violations["is_public"]]
    assert public["description"].str.contains("Мухтаров Ерлан", regex=False).any()
    assert public["description"].str.contains(WITHHELD, regex=False).any()
    names = pd.read_parquet(processed / "private" / "violations_names.parquet")
    assert "Мухтаров Ерлан" in set(names["shareable_names"].dropna())


def test_non_public_text_is_withheld_whole_and_kept_privately(corpus):
    _, processed, _ = corpus
    violations = pd.read_parquet(processed / "violations.parquet")
    hidden = violations[~violations["is_public"]]
    assert set(hidden["description"].dropna()) <= {WITHHELD}
    assert set(hidden["url"].dropna()) <= {WITHHELD}
    private = pd.read_parquet(processed / "private" / "violations_text.parquet")
    assert private["url"].str.contains("bolat-kasenov", regex=False).any()


def test_refused_and_swallowing_files_are_reported_not_silently_merged(corpus):
    _, processed, run = corpus
    import json

    report = json.loads((processed / "quality_report.json").read_text(encoding="utf-8"))
    errors = {e["file"]: e["error"] for e in report["unreadable_files"]}
    assert "reads as people's names" in errors["violations/partner-n.csv"]
    assert "template's names column" in errors["violations/partner-n.csv"]  # the message is whole
    assert "no violations header" in errors["violations/names-only.csv"]
    swallowed = report["datasets"]["violations"]["files"]["violations/partner-p.csv"]
    # header on line 2; 9 rows, none merged into one description
    assert swallowed["rows_in"] == 9 and swallowed["rows_rejected"] >= 8
    assert report["datasets"]["violations"]["rejects_by_reason"]["unclosed_quote"] >= 8
    assert run.returncode == 1  # unreadable files: non-zero, after writing everything else
    assert run.stderr.count("names-only.csv") == 1  # reported once


# --------------------------------------------------------------------------- the shield alone


@pytest.mark.parametrize(
    ("names", "text", "gone"),
    [
        ("Бекмуратова Жазира", "Жазиры Бекмуратовой нет", ["Жазир", "Бекмуратов"]),
        ("Олжас Тулегенов", "приговор Олжасу Тулегенову", ["Олжас", "Тулегенов"]),
        ("Пётр Лебедев", "Петра Лебедева уволили", ["Петр", "Лебедев"]),
        ("Лев Орлов", "Льва Орлова задержали", ["Льва", "Орлов"]),
        ("Ковальская Ирина", "Ковальской Ирине", ["Ковальск", "Ирин"]),
        ("Nodira Xasanova", "Nodira Xasanovaga xat", ["Nodira", "Xasanova"]),
        ("Ни Ольга", "Ольга Ни; О. Ни", ["Ни;", "Ни\n", " Ни"]),
        ("Петров И.С.", "И. Петров в суде", ["Петров"]),
        ("Жаксылыков Бауыржан", "свободу Ж а к с ы л ы к о в у!", ["Ж а к с"]),
        ("Жаксылыков Бауыржан", "B.a.u.y.r.z.h.a.n", ["B.a.u"]),
        ("Kozhakhmetov Asan", "K0zhakhmet0v was fired", ["K0zh"]),
        ("Ахмедов Фаррух", "#СвободуФаррухуАхмедову", ["Ахмедов"]),
        ("Турсунов Азамат", "Тursunov Azamat", ["ursunov", "Azamat"]),
    ],
)
def test_shield_withholds_spellings_and_forms(names, text, gone):
    out = NameShield([names]).redact(text + "\n")
    assert all(g not in out for g in gone), out


def test_short_words_and_common_words_survive():
    shield = NameShield(["Ни Ольга", "Примеров Ерлан", "Петров И.С."])
    assert shield.redact("ни слова о пример забастовки") == "ни слова о пример забастовки"
    assert shield.redact("Петров в суде") == "[…] в суде"  # an initial is no name: "в" stays


_SYLLABLES = ["ба", "жан", "кул", "мур", "нур", "сай", "тал", "ер", "бол", "гуль", "дин", "ай"]
_ENDINGS = ["", "а", "у", "ом", "ой", "ым", "е", "ых"]
_HOMOGLYPH = str.maketrans({"а": "a", "о": "o", "е": "e", "р": "p", "с": "c", "х": "x"})


@st.composite
def person_and_spelling(draw):
    stem = "".join(draw(st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3)))
    surname = stem.capitalize() + draw(st.sampled_from(["ов", "ев", "ин", "бек"]))
    first = "".join(
        draw(st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=2))
    ).capitalize()
    written = surname + draw(st.sampled_from(_ENDINGS))
    variant = draw(st.sampled_from(["plain", "upper", "homoglyph", "soft", "nfd", "zw"]))
    if variant == "upper":
        written = written.upper()
    elif variant == "homoglyph":
        written = written[0] + written[1:].translate(_HOMOGLYPH)
    elif variant == "soft":
        written = written[:2] + "\u00ad" + written[2:]
    elif variant == "zw":
        written = written[:3] + "\u200b" + written[3:]
    elif variant == "nfd":
        written = unicodedata.normalize("NFD", written.replace("е", "ё"))
    return f"{surname} {first}", written


@settings(max_examples=300, deadline=None)
@given(person_and_spelling(), st.sampled_from(["{} задержан", "Дело: {}.", "«{}» и другие", "{}"]))
def test_property_any_spelling_of_a_listed_name_is_withheld(person, template):
    names, written = person
    out = NameShield([names]).redact(template.format(written))
    assert written not in out
    assert fold_word(written) not in {fold_word(w) for w in out.split()}


_NO_NAME_SHIELD = NameShield(["Пострел Молнит", "Сорм Тилан", "Nurlan Tolstov"])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="абвгдежэюя ,.", max_size=60))
def test_property_text_without_the_names_is_unchanged(text):
    """Texts that share no consonant with the listed names (in either script) cannot hold one:
    a working shield leaves them exactly as they are (not an empty shield's early return)."""
    assert _NO_NAME_SHIELD.redact(text) == text
    assert not _NO_NAME_SHIELD.contains_name(text)


# The batch path (NameShield.unchanged) must decide exactly as the text-by-text path: texts
# mixing listed names (spelled every way above), ordinary words, spaced letters, invisible
# characters, entities, escapes and the separator the batch path joins texts with.
_PIECES = st.sampled_from(
    ["и", "дело", "Алматы", "к о з", "A.B.C", "&#1050;", "&amp;", "%D0%9A", "\u00ad", "\u200b",
     "\x00", "'", "ʻ", "-", "/", " ", ".", "2024", "x", "Ли", "А."]
)  # fmt: skip


@st.composite
def texts_with_names(draw):
    ((names, written),) = draw(st.lists(person_and_spelling(), min_size=1, max_size=1))
    pieces = draw(
        st.lists(st.one_of(_PIECES, st.just(written), st.just(written.upper())), max_size=8)
    )
    glue = draw(st.sampled_from(["", " ", "-", "_", "\x00"]))
    return names, glue.join(pieces)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts_with_names(), min_size=1, max_size=12), st.sampled_from([1, 3, 50_000]))
def test_property_many_texts_at_once_decide_as_one_by_one(items, batch):
    shield = NameShield([names for names, _ in items] + ["Ким Ли"])
    texts = [text for _, text in items]
    for url in (False, True):
        one = shield.redact_url if url else shield.redact
        kept = shield.unchanged(texts, url=url, batch=batch)
        assert all(one(t) == t for t, k in zip(texts, kept, strict=True) if k)
    series = pd.Series([*texts, pd.NA], dtype="str")
    assert shield.redact_series(series).tolist()[:-1] == [shield.redact(t) for t in texts]
    urls = "https://example.org/" + series
    assert shield.redact_urls(urls).tolist()[:-1] == [shield.redact_url(u) for u in urls[:-1]]


def test_a_text_with_a_name_is_never_passed_over_in_a_batch():
    shield = NameShield(["Турсунов Бахтиёр"])
    texts = [
        "ничего",
        "задержан Турсунова",
        "Т у р с у н о в",
        "Tursunov-ga",
        "чисто",
        "Бахти\u00adёр",
    ]
    kept = shield.unchanged(texts * 3, batch=4)
    assert kept.tolist() == [True, False, False, False, True, False] * 3


# --------------------------------------------------------------------------- to the PDF


@pytest.mark.slow
def test_corpus_through_briefs_to_pdf(corpus, tmp_path):
    from pypdf import PdfReader

    root, processed, _ = corpus
    project = Path(__file__).resolve().parents[1]
    out = tmp_path / "outputs"
    run = subprocess.run(
        [sys.executable, "-m", "analysis.run.cli", "briefs", "--countries", "KAZ", "--year", YEAR,
         "--themes", "persecution", "--lang", "ru,en", "--jobs", "1",
         "--processed-dir", str(processed), "--output-dir", str(out)],
        capture_output=True, text=True, timeout=600, cwd=project, env={**os.environ},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-3000:]  # which brief failed
    texts = {"stdout": run.stdout, "stderr": run.stderr}
    for pdf in out.rglob("*.pdf"):
        reader = PdfReader(pdf)
        key = pdf.relative_to(out).as_posix()
        texts[key] = "\n".join(p.extract_text() for p in reader.pages)
        assert len(reader.attachments) > 1, key  # the briefs attach a CSV per table and chart
        for name, files in reader.attachments.items():  # every attachment, each under its name
            texts[f"{key} attachment {name}"] = "".join(b.decode("utf-8") for b in files)
    for notebook in out.rglob("*.ipynb"):
        texts[notebook.relative_to(out).as_posix()] = notebook.read_text(encoding="utf-8")
    from analysis.publish.site import build_site

    site = build_site(int(YEAR), ["ru", "en"], processed, out, reports=["KAZ", "theme-persecution"])
    assert len(site.built) == 4 and not site.refused  # the web edition is shareable too
    for path in (out / "site").rglob("*"):
        if path.is_file() and path.suffix in {".html", ".csv", ".css"}:
            texts[f"site {path.relative_to(out).as_posix()}"] = path.read_text(encoding="utf-8")
    texts["site file names"] = " ".join(p.name for p in (out / "site").rglob("*"))
    from openpyxl import load_workbook

    from analysis.publish import ilo_pack

    for path in ilo_pack.write(
        "KAZ", f"{YEAR}-01-01", f"{YEAR}-12-31", ["ru", "en"], processed, out
    ):
        if path.suffix == ".xlsx":
            book = load_workbook(path)
            texts[path.name] = " ".join(
                str(v)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
                for v in row
                if v
            )
        else:
            texts[path.name] = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert sorted(k for k in texts if k.endswith(".pdf") and k.startswith("briefs/")) == [
        f"briefs/{YEAR}/en/KAZ.pdf",
        f"briefs/{YEAR}/en/theme-persecution.pdf",
        f"briefs/{YEAR}/ru/KAZ.pdf",
        f"briefs/{YEAR}/ru/theme-persecution.pdf",
    ]
    assert "Мухтаров Ерлан" in texts[f"briefs/{YEAR}/ru/KAZ.pdf"]  # a public case stays named
    assert_no_hidden_name(texts)
