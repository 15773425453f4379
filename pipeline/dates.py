"""Dates as written in articles and metadata, turned into ISO dates (YYYY-MM-DD)."""
from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y",
    "%A, %B %d, %Y", "%A %B %d, %Y", "%a, %d %b %Y", "%d-%b-%Y", "%B %d %Y", "%Y%m%d",
)
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+)?(?:Z|[+-]\d{2}:?\d{2})?$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?$")


def parse_date(value: str) -> str:
    """Return the ISO date a string names, or "" when it names none."""
    text = (value or "").strip().rstrip(".")
    if not text or len(text) > 60:
        return ""
    m = _ISO_PREFIX.match(text)
    if m:
        text = m.group(1)
    else:
        text = _TIME_SUFFIX.sub("", text).strip().rstrip(",")
    return _parse_day(text) or _parse_email_date(value.strip())


@lru_cache(maxsize=4096)
def _parse_day(text: str) -> str:
    # Cached: each failed format costs a strptime call, and a corpus has many articles a day
    # (181 wire stories from 27 days read in a third of the time).
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _parse_email_date(value: str) -> str:
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):   # a year or hour of 20 digits
        return ""


# --------------------------------------------------------------------------- dates in file names

# A date in a file name is a fallback for articles whose metadata gives none (crawlers and
# archives name files "nyt_2016-09-19_title.txt"). Only forms that cannot be misread are taken:
# ISO YYYY-MM-DD, and compact YYYYMMDD (never YYYYDDMM or DDMMYYYY, which nobody writes as
# eight digits in a row) within years a news archive holds; a digit run of any other length
# (an id, a timestamp) is not a date. Several different dates in one name give none.
_ISO_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT_IN_NAME = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
ISO_NAME_YEARS = range(1800, 2200)
COMPACT_NAME_YEARS = range(1900, 2100)


def date_in_file_name(name: str) -> str:
    """The ISO date a file name holds, or "" when it holds none or more than one.

    ``YYYY-MM-DD`` is taken first; ``YYYYMMDD`` only when the name has no ISO date. Either must be
    a real day (2016-02-30 is none) with its digits not part of a longer number.
    """
    iso = _dates(_ISO_IN_NAME, name, ISO_NAME_YEARS)
    if iso:
        return iso.pop() if len(iso) == 1 else ""
    compact = _dates(_COMPACT_IN_NAME, name, COMPACT_NAME_YEARS)
    return compact.pop() if len(compact) == 1 else ""


def _dates(pattern: re.Pattern, name: str, years: range) -> set[str]:
    """The distinct real days ``pattern`` finds in ``name`` with a year in ``years``."""
    found = set()
    for year, month, day in pattern.findall(name):
        if int(year) not in years:
            continue
        try:
            found.add(datetime(int(year), int(month), int(day)).date().isoformat())
        except ValueError:
            continue
    return found
