"""English: the words prwatch's text layer and extractor read press prose with.

Pure data (tuples, sets and dicts of strings), grouped by what reads them. Patterns are
built from these tables by the engines; nothing here is compiled or imported eagerly.
"""

from __future__ import annotations

# ---------------------------------------------------------------- calendar

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                       "sept": 9, "oct": 10, "nov": 11, "dec": 12}
MONTHS: dict[str, int] = {**{m.lower(): i for i, m in enumerate(MONTH_NAMES, 1)}, **MONTH_ABBREVIATIONS}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ---------------------------------------------------------------- sentences

# Words after which a full stop does not end a sentence (lower case, without the stop).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k e.g i.e approx est gov gen sen rep jr sr mt ft p.m a.m dept univ assn bros fig al".split())

# ---------------------------------------------------------------- datelines

# Dashes that close a dateline ("ASTANA –", "BEIJING, July 4, 2024 /PRNewswire/ --").
DATELINE_DASHES = ("--", "\u2013", "\u2014", "-", ":")

# ---------------------------------------------------------------- boilerplate

# Headings that open the closing boilerplate of a release, each a regular-expression
# fragment matched at the start of a line.
BOILERPLATE_HEADINGS = (
    r"About (?:the )?[A-Z][^\n]{0,70}$",
    r"About [A-Z][\w&.,'\u2019 -]{0,60}:",
    r"(?:Cautionary (?:Note|Statement)[^\n]*|Forward[- ]Looking Statements?[^\n]{0,40})$",
    r"Safe Harbou?r[^\n]{0,40}$",
    r"(?:Media|Press|Investor) (?:Contacts?|Inquiries|Relations)[^\n]{0,40}$",
    r"Contacts?:?$",
    r"SOURCE [^\n]{2,80}$",
    r"Notes? to [Ee]ditors:?$",
)
