"""Text that people typed, made safe to put in a spreadsheet cell.

A spreadsheet opening a CSV reads a cell that starts with =, +, -, @, a tab or a carriage
return as a formula: a penjelasan typed as =HYPERLINK("http://...","klik") would become a live
link (or worse) in the office's archive. Such a cell gets a leading apostrophe, which
spreadsheets show as text (OWASP's advice for CSV injection). A plain number such as -2,5
is left alone: it is no formula, and the apostrophe would only get in the way.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[\d.,]+%?")


def neutralised(text: str) -> str:
    """Return ``text`` so that no spreadsheet reads it as a formula."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
