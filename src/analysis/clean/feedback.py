"""What goes back to the partner and to the researcher after a clean: ranked suggestions for
labels no alias knows (in the rejects, the quality report and ``suggestions.csv`` to mark and
accept), and one short report per source file, in the file's language, listing each rejected
row with its row number, column, the problem in plain words and the suggestion.

Everything here is built from the rejects and labels after names were withheld: a feedback
file never holds a non-public name (not even one from the partner's own file).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.clean.report import md_inline
from analysis.vocab import reference
from analysis.vocab.matching import LabelMatcher
from analysis.vocab.text import t, written_in
from analysis.vocab.vocabulary import Vocabulary

# raw column -> the mapping kind whose alias table maps it
COLUMN_KINDS = {
    "country": "countries",
    "partner": "countries",
    "category": "categories",
    "direction": "directions",
    "indicator": "indicators",
}
SUGGESTIONS = 3
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_QUOTED = re.compile(r"^[\w ]*?'(.*)'$")  # "cannot read 'x'" -> the value as written


def suggestions_for(
    labels: list[str], kind: str, vocab: Vocabulary
) -> dict[str, list[tuple[str, int]]]:
    """Ranked (code, score) suggestions per label, from the kind's alias table."""
    matcher = vocab.matcher(kind)
    return {label: matcher.suggest(label, SUGGESTIONS) for label in labels}


def header_suggestions(
    headers: list[str], dataset: str, vocab: Vocabulary
) -> dict[str, list[tuple[str, int]]]:
    """Ranked (column, score) suggestions per unknown header of ``dataset``, from the header
    spellings in use (the package's and the researcher's)."""
    matcher = LabelMatcher(dict(vocab.header_aliases(dataset)))
    return {header: matcher.suggest(header, SUGGESTIONS) for header in headers}


def _shown(pairs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{code} ({score})" for code, score in pairs)


def annotate(rejects: pd.DataFrame, dataset: str, vocab: Vocabulary) -> pd.DataFrame:
    """The rejects with a ``suggestion`` column: for a row rejected for an unknown label, the
    closest codes of each such column ('category: union_dissolved (86), ...')."""
    out = rejects.copy()
    text = pd.Series("", index=out.index, dtype="str")
    for column, kind in COLUMN_KINDS.items():
        if column not in out.columns or out.empty:
            continue
        flagged = out["reason"].str.contains(f"{column}: unknown value", regex=False, na=False)
        if not flagged.any():
            continue
        labels = out.loc[flagged, column].fillna("").str.strip()
        found = suggestions_for(sorted(set(labels) - {""}), kind, vocab)
        shown = {v: f"{column}: {_shown(pairs)}" for v, pairs in found.items() if pairs}
        part = labels.map(shown).astype("object").where(labels.isin(shown), "").astype("str")
        text.loc[flagged] = (text.loc[flagged] + "; " + part).str.strip("; ")
    out["suggestion"] = text.where(text != "", None)
    return out


def _suggestion_rows(
    dataset: str, column: str, kind: str, counts: dict[str, int], found: dict
) -> list[dict]:
    """Rows of the suggestions file: each label, its count, three ranked suggestions with
    scores, and an empty ``accept`` column."""
    rows = []
    for label, count in counts.items():
        row = {"dataset": dataset, "column": column, "kind": kind, "label": label, "count": count}
        for i in range(SUGGESTIONS):
            code, score = found[label][i] if i < len(found[label]) else ("", None)
            row[f"suggestion_{i + 1}"] = code
            row[f"score_{i + 1}"] = score
        rows.append(row | {"accept": ""})
    return rows


def suggestions_table(report: dict, vocab: Vocabulary) -> pd.DataFrame:
    """One row per unknown label or header of the clean (dataset, column, label, count, three
    ranked suggestions with scores) and an empty ``accept`` column for a person to fill: a
    code, or 1/2/3 for that suggestion (``analysis aliases --accept``)."""
    rows = []
    for dataset, entry in report["datasets"].items():
        for column, labels in entry.get("unmapped_labels", {}).items():
            kind = COLUMN_KINDS.get(column)
            if kind is not None:
                found = suggestions_for(list(labels), kind, vocab)
                rows += _suggestion_rows(dataset, column, kind, labels, found)
        # headers no spelling knows (of read and of refused files): accept one to map it
        unknown: dict[str, int] = {}
        refused = [e for e in report.get("unreadable_files", []) if e["file"].startswith(dataset)]
        for table in [*entry.get("tables", []), *refused]:
            for header in table.get("extra_columns", []):
                unknown[header] = unknown.get(header, 0) + 1
        found = header_suggestions(list(unknown), dataset, vocab)
        rows += _suggestion_rows(dataset, "header", f"columns_{dataset}", unknown, found)
    columns = ["dataset", "column", "kind", "label", "count"]
    columns += [f"{k}_{i}" for i in range(1, SUGGESTIONS + 1) for k in ("suggestion", "score")]
    return pd.DataFrame(rows, columns=[*columns, "accept"])


def file_language(rejects: pd.DataFrame) -> str:
    """'ru' when the file's raw text is mostly Cyrillic, else 'en'."""
    text = " ".join(
        str(v)
        for c in rejects.columns
        if c not in ("source_file", "source_row", "reason", "reason_code", "suggestion")
        for v in rejects[c].dropna().head(200)
    )
    return written_in(text) or "ru"


def _w(key: str, lang: str) -> str:
    """A feedback text in the partner's language (``fb_<key>`` in ``data/i18n.csv``)."""
    return t(f"fb_{key}", lang)


def _plain(code: str, lang: str) -> str:
    """A reject reason in plain words (``fb_reason_<code>``); any missing_<column> reads as a
    missing required value, an unknown code as itself."""
    if code.startswith("missing_"):
        code = "missing_value"
    try:
        return t(f"fb_reason_{code}", lang)
    except KeyError:
        return code


def _code_labels(lang: str) -> dict[str, str]:
    """Code -> label in the partner's language, for the suggestions."""
    labels = dict(
        zip(reference.categories()["code"], reference.categories()[f"label_{lang}"], strict=True)
    )
    for name in ("legislation_directions", "migration_indicators"):
        table = reference.read_table(name)
        labels |= dict(zip(table["code"], table[f"label_{lang}"], strict=True))
    labels |= reference.country_names(lang)
    return labels


def feedback_markdown(
    source_file: str, rejects: pd.DataFrame, lang: str, headers: dict[str, str] | None = None
) -> str:
    """The partner's report for one file: each rejected row, its column and problem in plain
    words, and the closest known values (labels in the partner's language)."""

    labels = _code_labels(lang)
    lines = [f"# {_w('title', lang)}: {md_inline(source_file.split('/')[-1])}", ""]
    if rejects.empty:
        return "\n".join([*lines, _w("none", lang), ""])
    lines += [_w("intro", lang), ""]
    ordered = rejects.sort_values("source_row")
    suggestions = ordered["suggestion"] if "suggestion" in ordered else [None] * len(ordered)
    row_word = _w("row", lang)
    said: dict[tuple, list[str]] = {}  # rows rejected for the same reasons read the same
    for source_row, codes, reasons, suggestion in zip(
        ordered["source_row"], ordered["reason_code"], ordered["reason"], suggestions, strict=True
    ):
        key = (str(codes), str(reasons), suggestion if isinstance(suggestion, str) else None)
        if key not in said:
            said[key] = _problems(*key, lang, labels, headers or {})
        lines += [f"- **{row_word} {source_row}**{problem}" for problem in said[key]]
    return "\n".join([*lines, "", _w("withheld", lang), ""])


def _problems(
    codes: str, reasons: str, suggestion: str | None, lang: str, labels: dict, headers: dict
) -> list[str]:
    """What follows the row number in the partner's report, one text per problem of a row."""

    out = []
    for code, reason in zip(codes.split("; "), reasons.split("; "), strict=False):
        column, _, detail = reason.partition(": ")
        written = headers.get(column, column)
        quoted = _QUOTED.match(detail)
        detail = f"«{quoted.group(1)}»" if quoted else detail
        plain = _plain(code, lang)
        where = f", {_w('column', lang)} «{md_inline(written)}»" if code != "empty_row" else ""
        text = f"{where}: {plain}" + (f" ({md_inline(detail)})" if detail else "")
        if suggestion is not None and f"{column}: " in suggestion:
            part = suggestion.split(f"{column}: ", 1)[1].split(";")[0]
            named = ", ".join(
                f"«{md_inline(labels.get(code.split(' (')[0], code.split(' (')[0]))}»"
                for code in part.split(", ")
            )
            text += f"; {_w('closest', lang)}: {named}"
        out.append(text)
    return out


def feedback_files(
    rejects: dict[str, pd.DataFrame],
    tables: list[dict],
    refused: list[dict] | None,
    vocab: Vocabulary,
) -> dict[str, str]:
    """``feedback/<file>.<lang>.md`` name -> text, for every partner file read (not the
    public series imported from the World Bank); ``tables``: the report's table entries
    (file name and headers as written, names already withheld)."""

    headers = {t["file"]: t.get("headers", {}) for t in tables}
    extra = {t["file"]: t.get("extra_columns", []) for t in tables}
    files = sorted(headers)
    every = (
        pd.concat([r for r in rejects.values() if len(r)], ignore_index=True)
        if any(len(r) for r in rejects.values())
        else pd.DataFrame(columns=["source_file"])
    )
    out = {}
    partner_files = [
        f for f in files if f.split("/", 1)[0] in ("violations", "legislation", "migration")
    ]
    for source_file in partner_files:
        own = every[every["source_file"] == source_file] if len(every) else every
        lang = (
            file_language(own)
            if len(own)
            else ("ru" if _CYRILLIC.search(source_file) or "_ru" in source_file else "en")
        )
        safe = re.sub(r"[^\w.-]+", "_", source_file)
        text = feedback_markdown(source_file, own, lang, headers[source_file])
        out[f"{safe}.{lang}.md"] = text + _unknown_columns(
            extra[source_file], source_file, lang, vocab
        )
    for entry in refused or []:  # a file that could not be read: why, and its unknown columns
        source_file = entry["file"]
        if source_file.split("/", 1)[0] not in ("violations", "legislation", "migration"):
            continue
        lang = written_in(" ".join(entry.get("extra_columns", []))) or "en"
        safe = re.sub(r"[^\w.-]+", "_", source_file)
        text = "\n".join(
            [
                f"# {_w('title', lang)}: {md_inline(source_file.split('/')[-1])}",
                "",
                f"{_w('refused', lang)}: {md_inline(entry['error'])}",
                "",
            ]
        )
        out[f"{safe}.{lang}.md"] = text + _unknown_columns(
            entry.get("extra_columns", []), source_file, lang, vocab
        )
    return out


def _unknown_columns(headers: list[str], source_file: str, lang: str, vocab: Vocabulary) -> str:
    """The columns of a file that no header spelling knows: read and set aside, unused; the
    closest known columns named so that the partner (or the researcher) can map them."""

    if not headers:
        return ""
    dataset = source_file.split("/", 1)[0]
    found = header_suggestions(headers, dataset, vocab)
    lines = ["", f"## {_w('unknown_columns', lang)}", ""]
    for header in headers:
        close = ", ".join(c for c, _ in found[header])
        hint = f" ({_w('closest', lang)}: {close})" if close else ""
        lines.append(f"- «{md_inline(header)}»{hint}")
    return "\n".join([*lines, "", _w("unknown_columns_what", lang), ""])
