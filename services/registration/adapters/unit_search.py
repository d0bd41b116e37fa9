"""Searching units by name without diacritics, in SQL: the read model keeps a unit's name as
stored, and `translate` folds it there as `shared.kernel.text.fold` folds the query (Latin
letters with diacritics, 'đ' included, to their base letter; lower-cased)."""

from __future__ import annotations

from shared.kernel.text import fold

# Every upper-case ASCII letter and Latin letter with diacritics that folds to one plain letter.
_LETTERS = [
    ch
    for ch in map(chr, [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)])
    if len(fold(ch)) == 1 and fold(ch) != ch and fold(ch).isascii()
]
FROM = "".join(_LETTERS)
TO = "".join(fold(ch) for ch in _LETTERS)

# The condition on rm_units' `name` (and `code`) for a query `$n` given as `pattern(q)`.
CONDITION = (
    "($%d::text IS NULL OR translate(name, '%s', '%s') LIKE $%d ESCAPE '\\' OR code LIKE $%d ESCAPE '\\')"
)


def condition(n: int) -> str:
    """The SQL condition that parameter `n` (from `pattern`) finds the unit: a part of its name
    without diacritics, or of its code; true when the parameter is null."""
    return CONDITION % (n, FROM, TO, n, n)


def pattern(q: str | None) -> str | None:
    """The LIKE pattern of a search `q`: its folded form anywhere in the name; None for none."""
    if not q or not (folded := fold(q)):
        return None
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
