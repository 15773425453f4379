"""CSV injection (OWASP): text cells that a spreadsheet would run as a formula get a leading apostrophe.

Used by every CSV Dyad writes: the pipeline's tables and the dashboard's downloads. A cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'``, unless the
whole cell is a plain number (``-3``, ``+1.5``, ``-2e3``). Parquet files keep the exact text.
"""
from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value: str) -> str:
    """One text cell, made inert for spreadsheets."""
    if value and value[0] in TRIGGERS and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
