"""Clean partner files from ``raw/<dataset>/`` into the processed tables, rejects and report.

Two stages per dataset, as in OWID's meadow/garden:

1. :mod:`~analysis.clean.raw` reads every file of a raw folder into one text table with
   canonical columns and provenance (``source_file``, ``source_row``); unreadable files are
   listed, the others still read (one file: :mod:`analysis.ingest.readers`).
2. One module per dataset (:mod:`~analysis.clean.violations`,
   :mod:`~analysis.clean.legislation`, :mod:`~analysis.clean.migration`), each a pure function
   (DataFrame in, :class:`~analysis.clean.common.Cleaned` out) that parses values, sends every row
   it cannot use to the rejects with a reason naming the column and the value
   (:mod:`~analysis.clean.problems`), merges reports of the same record
   (:mod:`~analysis.clean.records`) and withholds names (:mod:`~analysis.clean.names`).

:mod:`~analysis.clean.run` does both for every dataset and writes the processed folder as one
whole; :mod:`~analysis.clean.accounting` checks ``rows_in == rows_kept +
rows_merged_duplicates + rows_rejected`` per dataset and per file;
:mod:`~analysis.clean.report` writes the quality report.
"""

from analysis.clean.common import Cleaned
from analysis.clean.legislation import clean_legislation
from analysis.clean.migration import clean_migration
from analysis.clean.raw import read_dataset
from analysis.clean.records import cluster_rows, group_codes
from analysis.clean.run import CLEANERS, clean_all
from analysis.clean.violations import clean_violations
from analysis.schema import DATASETS

__all__ = [
    "CLEANERS",
    "DATASETS",
    "Cleaned",
    "clean_all",
    "clean_legislation",
    "clean_migration",
    "clean_violations",
    "cluster_rows",
    "group_codes",
    "read_dataset",
]
