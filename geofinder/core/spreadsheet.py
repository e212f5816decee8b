"""CSV cells that a spreadsheet shows as text, never runs as a formula (OWASP "CSV Injection").

Excel, LibreOffice and Google Sheets take a cell starting with `=`, `+`, `-` or `@` for a
formula, some of them also after a leading tab or carriage return: a place named
`=HYPERLINK("http://x","y")` or `@RESTAURANT` (a real Alim'confiance name) would be evaluated
when a journalist opens the export. Free-text cells from the data that start with one of those
characters are written with a single quote before them, the prefix spreadsheets expect for
text. A cell that already starts with a quote gets one too, so that the change is a bijection:
`restored` (geofinder's CSV reader) removes exactly one leading quote from a neutralised column
and gives back the stored value. Numbers are never neutralised (a longitude west of Greenwich
is negative and must stay a number), nor identifiers, codes and dates, which cannot start with
these characters.

Hand-written rather than taken from a library: the rows are written by PostgreSQL (COPY), so
the rule must exist as SQL too, and the libraries (defusedcsv) also rewrite `|` and `%`, which
no reader could undo.
"""

from __future__ import annotations

# Characters that make a spreadsheet read a cell as a formula (OWASP), and the quote itself.
FORMULA_TRIGGERS = "=+-@\t\r"
PREFIX = "'"
NEUTRALISED_STARTS = FORMULA_TRIGGERS + PREFIX
# The same as code points, for SQL's ascii() (the first character's code; 0 for ''), repeated
# up to 9 values: PostgreSQL (14+) looks an IN list of 9 constants or more up in a hash table,
# which costs half as much as 7 comparisons (measured on a million rows of 11 columns: 235 ms
# more than the plain cells, against 440 ms).
_HASHED_IN_LIST = 9
_CODES = [ord(character) for character in NEUTRALISED_STARTS]
_CODES = ", ".join(map(str, _CODES + _CODES[: max(0, _HASHED_IN_LIST - len(_CODES))]))
_PREFIX_SQL = "'" + PREFIX.replace("'", "''") + "'"  # the prefix as an SQL literal


def neutralised(text: str) -> str:
    """`text` as a CSV cell: with a quote before it when it starts like a formula (or a quote)."""
    return PREFIX + text if text and text[0] in NEUTRALISED_STARTS else text


def neutralised_sql(expression: str) -> str:
    """SQL: the text `expression` as `neutralised` gives it (NULL stays NULL); other values are
    left byte for byte as they are. `expression` is written three times: give a column."""
    # ascii(): the code of the first character (0 for ''), cheaper than a pattern match.
    return f"CASE WHEN ascii({expression}) IN ({_CODES}) THEN {_PREFIX_SQL} || {expression} ELSE {expression} END"


def restored(text: str) -> str:
    """The value a neutralised cell stands for: one leading quote removed, when there is one."""
    return text[1:] if text.startswith(PREFIX) else text
