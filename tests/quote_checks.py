"""Checks shared by the quote tests."""
from __future__ import annotations

from pipeline.records import PIECE_JOINER


def spans_text(par: str, row) -> bool:
    """The row's offsets span its text: the quoted parts, in order, the first at ``char_start``, the last
    ending at ``char_end`` ("We will win, … And soon." spans the attribution between its parts)."""
    parts = row.text.split(PIECE_JOINER)
    at = row.char_start
    for k, part in enumerate(parts):
        found = par.find(part, at, row.char_end)
        if found < 0 or (k == 0 and found != row.char_start):
            return False
        at = found + len(part)
    return at == row.char_end
