from analysis.vocab import reference
from analysis.vocab.vocabulary import Vocabulary


def test_mission_countries_and_destinations():
    assert reference.mission_countries() == ["KAZ", "KGZ", "UZB", "TJK", "TKM", "BLR"]
    iso3 = set(reference.countries()["iso3"])
    assert {"RUS", "KOR", "TUR", "POL", "LTU", "DEU", "ARE"} <= iso3


def test_country_aliases_cover_the_usual_variants():
    aliases = Vocabulary().matcher("countries")
    cases = {"Киргизия": "KGZ", "Kyrgyz Republic": "KGZ", "KG": "KGZ", "kgz": "KGZ",
             "Республика Казахстан": "KAZ", "Белоруссия": "BLR", "РФ": "RUS", "Туркмения": "TKM",
             "O’zbekiston": "UZB", "  таджикистан ": "TJK"}  # fmt: skip
    for alias, code in cases.items():
        assert aliases[reference.normalise_label(alias)] == code, alias


def test_taxonomy_has_the_starting_categories_with_labels():
    table = reference.categories()
    required = {"union_registration_denied", "union_dissolved", "union_interference",
                "antiunion_dismissal", "refusal_to_bargain", "strike_restriction",
                "activist_detention", "activist_prosecution", "harassment", "violence",
                "expulsion_documents", "forced_labour", "child_labour", "migrant_rights",
                "informal_platform_workers", "wage_arrears", "occupational_safety", "other"}  # fmt: skip
    assert required <= set(table["code"])
    assert (table["label_en"] != "").all() and (table["label_ru"] != "").all()
    assert table.loc[table["code"] == "forced_labour", "ilo_conventions"].item() == "C029;P029;C105"


def test_every_alias_table_maps_to_known_codes():
    codes = set(reference.categories()["code"])
    assert set(Vocabulary().matcher("categories").values()) <= codes
    assert set(Vocabulary().matcher("directions").values()) == {
        "restrictive",
        "protective",
        "neutral",
        "mixed",
    }
    assert set(Vocabulary().matcher("indicators").values()) == set(reference.indicators()["code"])


def test_data_dictionary_is_up_to_date():
    from pathlib import Path

    from analysis.schema import data_dictionary_markdown

    path = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"
    assert path.read_text(encoding="utf-8") == data_dictionary_markdown(), (
        "run `analysis data-dictionary`"
    )


def test_every_package_table_has_consistent_rows():
    import csv
    from importlib.resources import files

    for path in (files("analysis") / "data").iterdir():
        if path.name.endswith(".csv"):
            rows = list(csv.reader(path.open(encoding="utf-8")))
            assert {len(r) for r in rows} == {len(rows[0])}, path.name
