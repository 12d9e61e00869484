"""Privacy: nothing shareable names a person at risk.

* :mod:`.shield` - the name shield: every spelling, inflection and transliteration of a
  protected name found and withheld in any text, table or URL;
* :mod:`.people` - whether a column or a text holds people's names (a names model);
* :mod:`.notes` - the monitors' notes, checked against the shield before a report uses them.

The shield's public names are re-exported here (``from analysis.privacy import NameShield``).
"""

from analysis.privacy.shield import (
    WITHHELD,
    NameShield,
    clean_text,
    fold_word,
    loosen,
    match_key,
    names_from,
    safe_label,
    split_names,
)

__all__ = [
    "WITHHELD",
    "NameShield",
    "clean_text",
    "fold_word",
    "loosen",
    "match_key",
    "names_from",
    "safe_label",
    "split_names",
]
