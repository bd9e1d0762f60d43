"""English month and weekday names, for every stage that reads dates in text.

The cleaner reads date lines and caption dates (``ingest.blocks``), the events stage
resolves "on Tuesday" and "3 March 2017" (``events.dates``); both read the same names
from here.  Written out rather than taken from :mod:`calendar`, whose names follow the
process's locale: a program that sets a French locale would otherwise stop reading
English dates.
"""

from __future__ import annotations

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                             "Saturday", "Sunday")
_MONTH_NAMES: tuple[str, ...] = ("January", "February", "March", "April", "May", "June",
                                 "July", "August", "September", "October", "November",
                                 "December")
#: Month name or abbreviation (lower case) → month number; "Sept" as newsrooms write it.
MONTHS: dict[str, int] = {
    **{name.lower(): n for n, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3].lower(): n for n, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
#: A month, full or abbreviated, longest first so the alternation takes the whole word.
MONTH_RE = "(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + ")"
WEEKDAY_RE = "(?:" + "|".join(WEEKDAYS) + ")"
