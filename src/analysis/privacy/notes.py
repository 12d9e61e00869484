"""The monitors' own words: an assessment written in Markdown beside the generated figures.

One file per report, year and language: ``data/notes/<year>/<KEY>.<lang>.md`` where KEY is a
country code (``KAZ``), ``regional`` or ``theme-<code>``. A report shows its note as the
monitors' assessment, marked as written by people; with no note the section is left out; with
a note in the other language only, the report says so.

Markdown is rendered with raw HTML escaped (nothing a note contains can become markup) and
images shown as their text (a note never makes the PDF fetch anything). The privacy guarantee
covers notes: a note that names a person of a non-public record is refused, with its file and
line, before any report is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.paths import note_path, notes_dir
from analysis.privacy import NameShield

__all__ = ["note_path", "notes_dir"]  # where notes live: analysis.paths, re-exported

NAME_PATTERN = re.compile(r"^(?P<key>[A-Za-z]{3}|regional|theme-[a-z_]+)\.(?P<lang>en|ru)\.md$")


class NoteError(ValueError):
    """A note that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Note:
    path: Path
    text: str


def read_note(folder: str | Path, year: int, key: str, lang: str) -> Note | None:
    path = note_path(folder, year, key, lang)
    if not path.is_file():
        return None
    try:
        return Note(path, path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NoteError(f"{path}: cannot be read as UTF-8 text ({type(exc).__name__})") from None


def year_notes(folder: str | Path, year: int) -> list[Path]:
    """Every note file of a year (names that do not follow the pattern are reported)."""
    root = Path(folder) / str(year)
    if not root.is_dir():
        return []
    paths = sorted(p for p in root.iterdir() if p.is_file() and p.suffix == ".md")
    bad = [p.name for p in paths if not NAME_PATTERN.match(p.name)]
    if bad:
        raise NoteError(
            f"{root}: note file name(s) {bad} do not read <ISO3|regional|theme-code>.<en|ru>.md"
        )
    return paths


def shield_from(processed_dir: str | Path) -> NameShield:
    """Every name of a record that is not public (and of every rejected row, and of a file
    refused unread): the names a note may not contain. Read from the set the cleaning saved
    (``private/protected_names.parquet``) and the private tables."""
    private = Path(processed_dir) / "private"
    names: list[str] = []
    saved = private / "protected_names.parquet"  # every name the cleaning protected
    if saved.exists():
        names += pd.read_parquet(saved)["name"].dropna().tolist()
    table = private / "violations_names.parquet"
    if table.exists():
        frame = pd.read_parquet(table, columns=["victim_names", "is_public"])
        names += frame.loc[~frame["is_public"].astype(bool), "victim_names"].dropna().tolist()
    rejects = private / "violations_rejects_private.parquet"
    if rejects.exists():
        names += (
            pd.read_parquet(rejects, columns=["victim_names"])["victim_names"].dropna().tolist()
        )
    return NameShield(names)


def check_note(note: Note, shield: NameShield) -> None:
    """Refuse a note that names a non-public person: the file and line are named, never the
    name itself (the message may end up in a log)."""
    for number, line in enumerate(note.text.splitlines(), start=1):
        if shield and shield.contains_name(line):
            raise NoteError(
                f"{note.path}, line {number}: names a person whose case is not public; "
                "remove the name (or mark the case public in the data) and build again"
            )


def check_year(folder: str | Path, year: int, processed_dir: str | Path) -> int:
    """Check every note of a year before any report is written; returns how many there are."""
    paths = year_notes(folder, year)
    if not paths:
        return 0
    shield = shield_from(processed_dir)
    for path in paths:
        key, lang = path.name[: -len(".xx.md")], path.name[-5:-3]
        note = read_note(folder, year, key, lang)
        if note is not None:
            check_note(note, shield)
    return len(paths)


@cache
def _markdown():
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def image(self, text: str, url: str, title: str | None = None) -> str:
            return mistune.escape(text or "")  # never fetched: the alt text only

    return mistune.create_markdown(
        escape=True, renderer=Renderer(escape=True), plugins=["strikethrough", "table"]
    )


def to_html(text: str) -> str:
    """A note's Markdown as HTML: raw HTML escaped, images as text, unsafe links disarmed."""
    return str(_markdown()(text))
