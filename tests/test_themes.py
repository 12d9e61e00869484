"""Thematic reports, the ILO submission pack and the monitors' notes, on tiny data."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.privacy import notes
from analysis.publish import brief, ilo_pack
from analysis.run import batch
from analysis.vocab import reference


@pytest.fixture
def processed(tiny_processed):
    return tiny_processed  # its own copy: a test writes monitors' notes beside it


def test_themes_name_only_known_categories_and_instruments():
    themes = reference.themes()
    categories = set(reference.categories()["code"])
    instruments = set(reference.read_table("ilo_instruments")["code"])
    assert len(themes) >= 5 and themes["code"].is_unique
    for row in themes.itertuples():
        assert set(row.categories) <= categories, row.code
        assert set(row.ilo_instruments) <= instruments, row.code
    assert themes.set_index("code")["migration"].any()


def _html(ctx):
    sections = [brief.theme_findings, brief.theme_countries, brief.theme_standards,
                brief.theme_legislation, brief.theme_notable, brief.theme_migration]  # fmt: skip
    return "".join(s.html for f in sections if (s := f(ctx)) is not None)


def test_a_theme_compares_countries_and_says_where_nothing_was_found(processed):
    ctx = brief.load("theme-persecution", 2025, "en", processed)
    html = _html(ctx)
    # Kyrgyzstan: one detention (two reports merged); Tajikistan monitored, no such case
    assert "No case on this theme was documented in 2025 in: Tajikistan." in html
    assert "Not monitored in 2025: Kazakhstan, Uzbekistan, Turkmenistan, Belarus." in html
    trends = brief.themes.country_trends(ctx).set_index("country")
    assert trends.loc["KGZ", "cases"] == 1 and trends.loc["TJK", "cases"] == 0
    assert not trends.loc["KAZ", "monitored"]
    assert "Образцов" not in html  # the victim of a non-public case


def test_a_theme_with_no_case_anywhere_says_so(processed):
    ctx = brief.load("theme-forced_child_labour", 2025, "ru", processed)
    html = _html(ctx)
    assert "ни в одной стране миссии не задокументировано ни одного случая" in html


def test_ilo_pack_counts_what_the_processed_table_gives(processed):
    pack = ilo_pack.build("KGZ", "2025-01-01", "2025-12-31", "en", processed)
    violations = pd.read_parquet(processed / "violations.parquet")
    in_period = violations[(violations["country"] == "KGZ") & (violations["date"] >= "2025-01-01")
                           & (violations["date"] <= "2025-12-31")]  # fmt: skip
    named = reference.categories().set_index("code")["ilo_conventions"]
    for part in pack.ratified + pack.not_ratified:
        expected = (
            in_period["category"]
            .map(named)
            .fillna("")
            .str.split(";")
            .map(lambda codes, code=part.code: code in codes)
        )
        assert len(part.cases) == int(expected.sum()), part.code
    c087 = next(p for p in pack.ratified if p.code == "C087")
    assert c087.ratified == "1992" and len(c087.cases) == 1 and len(c087.acts) == 1
    # the December 2024 case is outside; a case dated only "2025" lies wholly inside
    assert pack.cases_in_period == len(in_period) and pack.straddling == 0


def test_ilo_pack_straddling_dates_are_counted_apart(processed):
    pack = ilo_pack.build("KGZ", "2024-12-10", "2025-06-30", "en", processed)
    # "декабрь 2024" (a month) straddles the start: counted apart, neither in nor out
    assert pack.straddling == 1


def test_ilo_pack_files_hold_no_non_public_name(processed, tmp_path):
    written = ilo_pack.write(
        "KGZ", "2024-01-01", "2025-12-31", ["ru", "en"], processed, tmp_path / "out"
    )
    assert sorted(p.suffix for p in written) == [".pdf", ".pdf", ".xlsx", ".xlsx"]
    for path in written:
        if path.suffix == ".xlsx":
            book = load_workbook(path)
            text = " ".join(
                str(v)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
                for v in row
                if v
            )
            assert "C087" in book.sheetnames
        else:
            from analysis.publish import pagecheck

            text = " ".join(pagecheck.page_texts(path))
        assert "Образцов" not in text and "Obraztsov" not in text, path


def test_ilo_pack_refuses_bad_input_before_writing(processed, tmp_path):
    for args, message in (
        (("XXX", "2025-01-01", "2025-12-31"), "unknown country"),
        (("KGZ", "2025-13-01", "2025-12-31"), "is not a date"),
        (("KGZ", "2025-12-31", "2025-01-01"), "is after"),
    ):
        with pytest.raises(ValueError, match=message):
            ilo_pack.write(*args, ["en"], processed, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def reference_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


def _note(processed, key, lang, text):
    path = notes.note_path(notes.notes_dir(processed), 2025, key, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_note_is_shown_as_the_monitors_words_and_rendered_safely(processed):
    _note(
        processed,
        "KGZ",
        "en",
        "**Unchanged** pressure.\n\n<script>alert(1)</script>\n\n![x](http://example.org/a.png)\n",
    )
    section = brief.monitors_note(brief.load("KGZ", 2025, "en", processed))
    html = section.html
    assert "<strong>Unchanged</strong>" in html and "Written by the mission" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "example.org" not in html
    other = brief.monitors_note(brief.load("KGZ", 2025, "ru", processed))
    assert "только на английском языке" in other.html
    assert brief.monitors_note(brief.load("TJK", 2025, "en", processed)) is None


def test_a_note_naming_a_non_public_victim_is_refused_before_any_pdf(
    processed, tmp_path, monkeypatch
):
    path = _note(
        processed,
        "theme-persecution",
        "ru",
        "Общая оценка.\n\nДело Тимура Образцова продолжается.\n",
    )
    monkeypatch.chdir(reference_root())
    with pytest.raises(notes.NoteError) as info:
        batch.plan(
            ["KGZ"], 2025, ["en"], str(processed), str(tmp_path / "out"), themes=["persecution"]
        )
    message = str(info.value)
    assert "data/notes/2025/theme-persecution.ru.md, line 3" in message
    assert path.name in message and "Образцов" not in message
    assert not (tmp_path / "out" / "briefs").exists()


def test_ilo_pack_for_a_period_with_nothing_says_so(processed, tmp_path):
    pack = ilo_pack.build("TJK", "2010-01-01", "2010-12-31", "en", processed)
    assert pack.cases_in_period == 0 and not pack.ratified and not pack.not_ratified
    written = ilo_pack.write("TJK", "2010-01-01", "2010-12-31", ["en"], processed, tmp_path / "o")
    from analysis.publish import pagecheck

    text = " ".join(pagecheck.page_texts(written[0]))
    assert "there is nothing to submit" in text
