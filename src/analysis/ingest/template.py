"""The data-entry workbook partners fill in (``analysis template --lang ru,en``).

One sheet per dataset with the expected columns (headers the cleaner recognises, in the
partner's language), drop-down lists for every coded column (country, category, sector,
perpetrator, direction, indicator, unit, yes/no, status) taken from the reference tables in
the partner's language, date and number validation, an instructions sheet (what a public case
is and why other people's names are protected) and a protected codes sheet. A workbook filled
in with valid values cleans with no rejects, from whichever dataset folder of ``data/raw/`` it
is put in: its three sheets are each read for their dataset (the hidden sheet
``TEMPLATE_MARKER`` says it is a template).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from analysis import schema, storage
from analysis.ingest.readers import TEMPLATE_MARKER, template_sheet
from analysis.vocab import reference
from analysis.vocab.text import LANGS, t

ROWS = 2000  # rows that carry the validations
LAST_ENTRY_YEAR = (
    2100  # a date or year past this is a typo in the workbook (the cleaning checks the real bound)
)

UNITS = {  # unit code -> the label a partner picks (each one an alias in units.csv)
    "en": ["persons", "thousand persons", "usd", "usd million", "% of gdp"],
    "ru": ["чел.", "тыс. чел.", "долл. сша", "млн долл. сша", "% ввп"],
}
BOOLEANS = {"en": ["yes", "no"], "ru": ["да", "нет"]}
ESTIMATES = {"en": ["reported", "estimated"], "ru": ["официальные данные", "оценка"]}


def columns(dataset: str) -> list[dict]:
    """The template's columns of one dataset (``data/template_columns.csv``)."""
    table = reference.read_table("template_columns")
    return table[table["dataset"] == dataset].to_dict("records")


def code_lists(lang: str) -> dict[str, list[str]]:
    """Every drop-down's values in ``lang``, from the reference tables."""
    countries = reference.countries()
    mission = countries[countries["is_mission"]][f"name_{lang}"].tolist()
    destinations = countries[~countries["is_mission"]][f"name_{lang}"].tolist()
    label = f"label_{lang}"
    return {
        "countries": mission,
        "partners": [*destinations, *mission],
        "categories": reference.categories().query("code != 'other'")[label].tolist(),
        "sectors": reference.read_table("sectors")[label].tolist(),
        "perpetrators": reference.read_table("perpetrators")[label].tolist(),
        "directions": reference.read_table("legislation_directions")[label].tolist(),
        "indicators": reference.indicators()[label].tolist(),
        "units": UNITS[lang],
        "booleans": BOOLEANS[lang],
        "estimates": ESTIMATES[lang],
    }


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def workbook_bytes(lang: str) -> bytes:
    """The template in one language, as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; valid: en, ru")
    book = Workbook()
    instructions = book.active
    instructions.title = t("sheet_instructions", lang)
    for line in reference.read_table("template_instructions")[lang]:
        instructions.append([line])
    instructions.column_dimensions["A"].width = 120
    for cell in instructions["A"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    instructions["A1"].font = Font(bold=True, size=13)

    lists = code_lists(lang)
    codes_title = t("sheet_codes", lang)
    codes = book.create_sheet(codes_title)
    ranges = {}
    for i, (name, values) in enumerate(lists.items(), start=1):
        letter = _column_letter(i)
        codes.cell(row=1, column=i, value=name).font = Font(bold=True)
        for j, value in enumerate(values, start=2):
            codes.cell(row=j, column=i, value=value)
        ranges[name] = f"'{codes_title}'!${letter}$2:${letter}${len(values) + 1}"
        codes.column_dimensions[letter].width = 34
    codes.protection.sheet = True  # the lists cannot be edited by mistake

    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for dataset in schema.DATASETS:
        sheet = book.create_sheet(template_sheet(dataset, lang))
        for i, column in enumerate(columns(dataset), start=1):
            letter = _column_letter(i)
            cell = sheet.cell(row=1, column=i, value=column[f"header_{lang}"])
            cell.font, cell.fill = Font(bold=True), header_fill
            sheet.column_dimensions[letter].width = max(14, len(column[f"header_{lang}"]) + 4)
            target = f"{letter}2:{letter}{ROWS + 1}"
            check = column["check"]
            note = column[f"note_{lang}"]
            if check.startswith("list:"):
                rule = DataValidation(
                    type="list", formula1=f"={ranges[check[5:]]}", allow_blank=True
                )
            elif check == "date":
                rule = DataValidation(
                    type="date", operator="between", formula1=f"DATE({schema.MIN_YEAR},1,1)",
                    formula2=f"DATE({LAST_ENTRY_YEAR},12,31)", allow_blank=True,
                )  # fmt: skip
            elif check == "year":
                rule = DataValidation(
                    type="whole",
                    operator="between",
                    formula1=str(schema.MIN_YEAR_STATISTICS),
                    formula2=str(LAST_ENTRY_YEAR),
                    allow_blank=True,
                )
            elif check == "whole":
                rule = DataValidation(
                    type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
                )
            elif check == "decimal":
                rule = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="-1E+15",
                    formula2="1E+15",
                    allow_blank=True,
                )
            else:
                rule = None
            if rule is not None:
                rule.error = note or column[f"header_{lang}"]
                rule.errorTitle = column[f"header_{lang}"]
                rule.prompt = note
                rule.showErrorMessage = True
                rule.showInputMessage = bool(note)
                sheet.add_data_validation(rule)
                rule.add(target)
            if check == "date":
                for row in range(2, ROWS + 2):
                    sheet.cell(row=row, column=i).number_format = "DD.MM.YYYY"
        sheet.freeze_panes = "A2"
    marker = book.create_sheet(TEMPLATE_MARKER)
    marker["A1"] = f"labour-briefs data-entry template, {lang}, {dt.date.today().isoformat()}"
    marker.sheet_state = "veryHidden"
    book.active = 1 + list(schema.DATASETS).index("violations") + 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(langs: list[str], output_dir: str | Path = "outputs/templates") -> list[Path]:
    """Write ``partner_template_<lang>.xlsx`` per language (atomically)."""
    bad = [lang for lang in langs if lang not in LANGS]
    if bad or not langs:
        raise ValueError(f"unsupported language(s) {bad}; valid: en, ru")
    paths = []
    for lang in langs:
        path = Path(output_dir) / f"partner_template_{lang}.xlsx"
        storage.write_bytes(path, workbook_bytes(lang))
        paths.append(path)
    return paths
