"""Brief sections from tiny processed data: the summary sentences, sparse data, names."""

import dataclasses

import pytest

from analysis.publish import brief, sentences


@pytest.fixture
def processed(tiny_cleaned):
    return tiny_cleaned


def test_summary_in_english(processed):
    ctx = brief.load("KGZ", 2025, "en", processed)
    text = sentences.summary_text(ctx)
    assert text.startswith(
        "In 2025 monitors documented 1 violation in Kyrgyzstan, as many as in 2024."
    )
    assert "Most often: arrest or detention of an activist (1)." in text
    assert "Adopted in 2025: 1 restrictive legal change." in text
    assert "0 protective" not in text  # a kind that did not occur is not counted in words
    assert "Remittances received equalled 28.5% of GDP" in text
    assert "Too few years of records to speak of a trend." in text


def test_summary_in_russian_with_plurals(processed):
    ctx = brief.load("KGZ", 2025, "ru", processed)
    text = sentences.summary_text(ctx)
    assert text.startswith(
        "В 2025 году в Кыргызстане задокументировано 1 нарушение, столько же, сколько в 2024 году."
    )
    assert "Всего пострадавших: 1 человек." in text
    assert "В 2025 году принято: 1 ограничительное изменение законодательства." in text
    assert "28,5\u00a0% ВВП" in text


def test_sparse_country_says_so_in_words(processed):
    """A monitored country with nothing recorded in the brief's year."""
    full = brief.load("KGZ", 2025, "en", processed)
    ctx = dataclasses.replace(
        full,
        violations=full.violations[
            (full.violations["country"] != "KGZ") | (full.violations["year"] != 2025)
        ],
        legislation=full.legislation[full.legislation["country"] != "KGZ"],
        migration=full.migration[full.migration["country"] != "KGZ"],
    )
    html = "".join(
        section(ctx).data
        for section in (brief.title_block, brief.key_figures, brief.summary, brief.violations_section,
                        brief.notable_cases, brief.legislation_section, brief.standards_panel,
                        brief.migration_section, brief.regional_section, brief.methodology)
    )  # fmt: skip
    assert "no violations in Kyrgyzstan were documented" in html
    assert "No legislation changes are recorded for Kyrgyzstan." in html
    assert "No migration statistics are available for Kyrgyzstan." in html
    assert "nan" not in html.replace("Kyrgyzstan", "").lower().split()
    assert "<img" in html  # the regional chart still has data from other countries


def test_non_public_cases_are_anonymised(processed):
    ctx = brief.load("KGZ", 2025, "en", processed)
    html = brief.notable_cases(ctx).data
    assert "Details withheld" in html
    assert "Образцов" not in html and "2025-12-15" not in html
    assert "Dec 2025" in html and "15 Dec 2025" not in html  # month only
    public = brief.notable_cases(brief.load("TJK", 2025, "en", processed)).data
    assert "Примерова Дина" in public  # the record says the case is public


def test_a_notebook_run_by_hand_checks_its_parameters_as_the_batch_does(processed):
    with pytest.raises(ValueError, match=r"unknown country code\(s\) \['XYZ'\]; valid: KAZ"):
        brief.load("XYZ", 2025, "en", processed)
    with pytest.raises(ValueError, match=r"year 1999 has no monitoring data for KGZ \(2024-2025\)"):
        brief.load("KGZ", 1999, "en", processed)
    with pytest.raises(ValueError, match=r"no monitoring data for TKM \(none\)"):
        brief.load("TKM", 2025, "en", processed)  # nothing recorded, ever: not a brief of zeros
    with pytest.raises(ValueError, match=r"unsupported language\(s\) \['de'\]"):
        brief.load("KGZ", 2025, "de", processed)
    assert brief.load(brief.REGIONAL, 2025, "ru", processed).is_regional
