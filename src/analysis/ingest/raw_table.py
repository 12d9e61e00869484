"""What a reader gives back: one table of a partner file as text with its provenance, or an
error that names the file and why it cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


class FileReadError(Exception):
    """A partner file (or sheet) that cannot be read; the message names the file and why.

    ``names``: people's names found in a file refused for holding them in an unknown column;
    they are never shown, but still withheld from every other file's text."""

    def __init__(self, message: str, names: list[str] | None = None) -> None:
        super().__init__(message)
        self.names = names or []


@dataclass
class RawTable:
    """One table found in a partner file: canonical columns as text plus provenance."""

    source_file: str
    frame: pd.DataFrame  # canonical columns (str), ``source_row`` (int), extra columns
    header_row: int  # 1-based row of the header in the file/sheet
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    is_synthetic: bool = False
    extra_columns: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> as written
