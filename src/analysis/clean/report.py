"""The quality report: names withheld from every partner text, and its Markdown twin."""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.clean.checks import DISAGREEMENT_PCT
from analysis.privacy import NameShield, safe_label


def renamed_files(report: dict, shield: NameShield) -> dict[str, str]:
    """Raw file names that hold a listed name -> the name withheld (applied on every output).

    Only the part below the dataset folder is looked at and changed."""
    names = {f for d in report["datasets"].values() for f in d["files"]}
    names |= {e["file"] for e in report["unreadable_files"]}
    renamed, taken = {}, set(names)
    for name in sorted(names):
        folder, _, rest = name.rpartition("/")
        if shield and shield.contains_name(rest):
            new = f"{folder}/{shield.redact(rest)}" if folder else shield.redact(rest)
            unique, k = new, 1
            while unique in taken:  # two files must not become one in the report
                k += 1
                unique = f"{new} ({k})"
            renamed[name] = unique
            taken.add(unique)
    return renamed


def rename_files(frame: pd.DataFrame, files: dict[str, str]) -> pd.DataFrame:
    if not files:
        return frame
    out = frame.copy()
    for column in (
        "source_file",
        "sources",
        "merged_into",
        "partners",
        "code",
        "name_en",
        "name_ru",
        "files",
    ):
        if column in out:
            for old, new in files.items():
                out[column] = out[column].str.replace(old, new, regex=False)
    return out


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")  # the report's own keys and codes


_FILE_KEYS = {"file", "files", "raw_dir"}  # values (or keys) that are file names


def shield_report(value, shield: NameShield, files: dict[str, str], key: str = ""):
    """Every text of the quality report with names withheld (labels, headers, errors); the
    report's own keys and codes stay, file names are renamed as on every other output."""
    if isinstance(value, dict):
        return {
            (
                k if _IDENTIFIER.match(str(k)) else shield_report(k, shield, files, key)
            ): shield_report(v, shield, files, str(k))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [shield_report(v, shield, files, key) for v in value]
    if isinstance(value, str):
        for old, new in files.items():
            value = value.replace(old, new)
        if key in _FILE_KEYS or not shield:
            return value
        return shield.redact(value)
    return value


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md_inline(text: object, limit: int = 200) -> str:
    """A partner's text, inert in Markdown and HTML: one line, escaped, at most ``limit``."""
    value = html.escape(safe_label(text, limit=limit), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _mappings_markdown(info: dict) -> list[str]:
    lines = ["## Label matching", ""]
    folder = info.get("project_folder")
    lines.append(
        f"Project mappings: {info.get('project_aliases', 0)} aliases in `{md_inline(folder)}`."
        if folder
        else "Project mappings: none (`data/mappings/` absent)."
    )
    lines.append("")
    tolerant = info.get("tolerant_matches") or {}
    if tolerant:
        lines += [
            "Labels mapped by tolerant matching (word order, stop words, inflection, a typo, "
            "extra words); check them, and add an alias where one is wrong:",
            "",
        ]
        for kind, found in tolerant.items():
            shown = "; ".join(f"{md_inline(k)} → {md_inline(v)}" for k, v in sorted(found.items()))
            lines.append(f"- {md_inline(kind)}: {shown}")
        lines.append("")
    unused = info.get("unused_project_aliases") or []
    if unused:
        lines += ["Project aliases that matched nothing in this run:", ""]
        lines += [
            f"- {md_inline(u['where'])}: {md_inline(u['alias'])} ({md_inline(u['kind'])})"
            for u in unused
        ]
        lines.append("")
    return lines


_COUNTS = ("rows_in", "rows_kept", "rows_merged_duplicates", "rows_rejected")


def _counts_row(label: str, counts: dict, mark: str = "") -> str:
    """One row of a file table: rows in, kept, merged and rejected."""
    return "| " + " | ".join([label, *(f"{mark}{counts[k]}{mark}" for k in _COUNTS)]) + " |"


def _counted_values(intro: str, per_column: dict[str, dict[str, int]]) -> list[str]:
    """A list of values per column with their counts, under ``intro`` (nothing when empty)."""
    if not per_column:
        return []
    lines = [intro, ""]
    for column, values in per_column.items():
        shown = ", ".join(f"{md_inline(k)} ({v})" for k, v in values.items())
        lines.append(f"- {md_inline(column)}: {shown}")
    return [*lines, ""]


def quality_report_markdown(report: dict) -> str:
    """The quality report as a readable Markdown page."""
    lines = ["# Data quality report", ""]
    if report.get("is_synthetic"):
        lines += ["**The raw data is SYNTHETIC demo data.**", ""]
    if report["unreadable_files"]:
        lines += ["## Files that could not be read", ""]
        lines += [
            f"- {md_inline(e['file'])}: {md_inline(e['error'])}" for e in report["unreadable_files"]
        ]
        lines.append("")
    for dataset, entry in report["datasets"].items():
        lines += [f"## {dataset}", ""]
        lines += [
            "| file | rows in | kept | merged duplicates | rejected |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [_counts_row(md_inline(name), f) for name, f in entry["files"].items()]
        lines += [_counts_row("**total**", entry, "**"), ""]
        if entry.get("public_series"):
            lines += [
                "Publishers' series imported (`analysis import`), joined as published:",
                "",
                "| source | series | file | last updated | values |",
                "| --- | --- | --- | --- | ---: |",
            ]
            lines += [
                f"| {md_inline(p['source'])} | {md_inline(p['series'])} | {md_inline(p['file'])} "
                f"| {md_inline(p['last_updated'] or '')} | {p['rows'] if p['rows'] is not None else ''} |"
                for p in entry["public_series"]
            ]
            lines.append("")
        if entry["rejects_by_reason"]:
            lines += ["Rejected rows by reason (a row may have several):", ""]
            lines += [f"- {md_inline(k)}: {v}" for k, v in entry["rejects_by_reason"].items()] + [
                ""
            ]
        lines += _counted_values(
            "Unknown labels (rows rejected). Their closest known codes are in "
            "`suggestions.csv` beside this report: mark the right code in its `accept` column "
            "and run `analysis aliases --accept data/processed/suggestions.csv` (or add the "
            "alias to `data/mappings/<kind>.csv`), then clean again:",
            entry["unmapped_labels"],
        )
        lines += _counted_values(
            "Values kept as 'other' (rows kept; add aliases to `sectors.csv` or "
            "`perpetrators.csv` to map them):",
            entry.get("other_values") or {},
        )
        if entry.get("publisher_zeros"):
            zeros = entry["publisher_zeros"]
            lines += [
                f"Zeros that the publisher uses for 'no data' ({len(zeros)}), kept as published:",
                "",
            ]
            lines += [
                "- " + ", ".join(f"{z['country']} {z['year']} ({z['source']})" for z in zeros[:40]),
                "",
            ]
        if entry.get("source_disagreements"):
            lines += [
                f"Sources that disagree by more than {DISAGREEMENT_PCT}% (both kept; briefs use "
                "the preferred one):",
                "",
            ]
            for d in entry["source_disagreements"][:40]:
                values = "; ".join(f"{s}: {v:,.2f}" for s, v in d["values"].items())
                lines.append(
                    f"- {d['country']} {d['indicator']} {d['year']} (partner {d['partner']}): {values}"
                )
            lines.append("")
        if entry.get("superseded"):
            lines += [
                "Values replaced by a later version of their file (the later file wins):",
                "",
            ]
            for d in entry["superseded"][:100]:
                new = f"{d['new_value']:,.2f}" if d.get("new_value") is not None else "?"
                lines.append(
                    f"- {md_inline(d['file'])}: {md_inline(d['value'])} -> {new} "
                    f"(replaced by {md_inline(d['replaced_by'])})"
                )
            lines.append("")
        if entry.get("large_jumps"):
            lines += [
                "Year-on-year jumps of more than twice or less than half, to review before a "
                "brief goes out:",
                "",
            ]
            for d in entry["large_jumps"][:60]:
                lines.append(
                    f"- {d['country']} {d['indicator']} (partner {d['partner']}, {md_inline(d['source'])}): "
                    f"{d['year'] - 1}: {d['previous']:,.2f} -> {d['year']}: {d['value']:,.2f}"
                )
            lines.append("")
        if entry["extra_columns"]:
            lines += [
                "Unrecognised columns kept in `private/"
                + dataset
                + "_extra_columns.parquet`: "
                + ", ".join(md_inline(c) for c in entry["extra_columns"]),
                "",
            ]
    if report.get("mappings"):
        lines += _mappings_markdown(report["mappings"])
    lines += [
        "Feedback for the partners, one file per source file in its language: `feedback/`.",
        "",
    ]
    return "\n".join(lines)
