"""Bounded stretches of a paragraph for the quote passes: word counts that stop at their limit, the
last word of a stretch, tails, candidate positions found once per paragraph, and the patterns the passes
share. A paragraph can be one sentence of megabytes: what is done per verb or per quote reads a bounded
stretch around it (see LONG_STRETCH)."""
from __future__ import annotations

import bisect
import re


_ACCORDING = re.compile(r"\baccording\s+to\s+", re.I)
_THAT = re.compile(r"\bthat\b", re.I)

# ---------------------------------------------------------------------------- linear-time helpers
# A paragraph can be one sentence of megabytes (no sentence breaks) holding thousands of verbs and
# quotes. Whatever is done per verb or per quote therefore reads a bounded stretch around it: word
# counts stop at the limit they are compared with, regexes anchored at a phrase's end search only the
# last few words, and positions (sentence ends, quote spans, commas, cut points) are found by
# bisection in lists made once per paragraph. The results are those of the plain forms noted beside
# each (tests/test_stage_properties.py runs the stage both ways on generated text).

# Stretches longer than this use the per-paragraph lists (made on first use); shorter ones are read
# directly, which is cheaper for ordinary sentences.
LONG_STRETCH = 1000

_TOKEN = re.compile(r"\S+")          # the words of str.split(): \s is exactly str.isspace()
_BE_FORMS = {"was", "were", "is", "are", "been", "being"}
# "by host Tom Lind" / "by Jane Roe" after a passive reporting verb: the one who spoke
_PASSIVE_AGENT = re.compile(r"\s+by\s+((?:(?:[a-z]+|[A-Z][\w'’.-]*)\s+){0,5}?[A-Z][\w'’.-]*)"
                            r"(?=\s*(?:[,;:“\"]|\s(?:whether|if|about|what|how|why|to|for)\b))")
_NONSPACE = _TOKEN


def _more_words_than(text: str, lo: int, hi: int, n: int) -> bool:
    """``len(text[lo:hi].split()) > n``, reading at most n + 1 words of a long stretch."""
    if hi - lo <= LONG_STRETCH:
        return len(text[lo:hi].split()) > n
    for k, _ in enumerate(_TOKEN.finditer(text, lo, hi)):
        if k >= n:
            return True
    return False


def _first_words(text: str, lo: int, hi: int, n: int) -> list[re.Match]:
    """The first n words of ``text[lo:hi]`` (as matches into ``text``)."""
    out = []
    for m in _TOKEN.finditer(text, lo, hi):
        out.append(m)
        if len(out) >= n:
            break
    return out


def _blank(text: str, lo: int, hi: int) -> bool:
    """``not text[lo:hi].strip()``."""
    return _NONSPACE.search(text, lo, hi) is None


def _last_nonspace(text: str, lo: int, hi: int) -> int:
    """Index of the last non-space character of ``text[lo:hi]``, or -1: ``text[lo:hi].rstrip()[-1:]``."""
    i = hi
    while i > lo and text[i - 1].isspace():
        i -= 1
    return i - 1 if i > lo else -1


def _tail_start(text: str, lo: int, hi: int, n: int) -> int:
    """Start of the n-th whitespace-separated word counted back from ``hi`` (``lo`` when fewer)."""
    i = hi
    for _ in range(n):
        while i > lo and text[i - 1].isspace():
            i -= 1
        if i <= lo:
            return lo
        while i > lo and not text[i - 1].isspace():
            i -= 1
    return i


def _ends_with(text: str, lo: int, hi: int, chars: str) -> bool:
    """``text[lo:hi].rstrip().endswith(tuple(chars))``."""
    i = _last_nonspace(text, lo, hi)
    return i >= 0 and text[i] in chars


_TAIL = re.compile(r"[^.!?]{0,80}[.!?]?[\"”’']?")
_TAIL_MAX = 82      # the longest text _TAIL matches


def _tail_only(text: str, lo: int, hi: int) -> bool:
    """What follows a verb up to ``hi`` is at most a short attribution tail ("said the minister."):
    for tail = text[lo:hi].strip(), ``not tail or _TAIL.fullmatch(tail) and len(tail.split()) <= 10
    and not _THAT.search(tail)``, without reading a long tail."""
    first = _NONSPACE.search(text, lo, hi)
    if first is None:
        return True
    a, b = first.start(), _last_nonspace(text, lo, hi) + 1
    if b - a > _TAIL_MAX or text[b - 1] == ":":
        return False        # (a colon: "In the letter, Roe wrote:" introduces what follows)
    tail = text[a:b]
    return bool(_TAIL.fullmatch(tail) and len(tail.split()) <= 10 and not _THAT.search(tail))


_RELATIVE_PRONOUN = re.compile(r"\b(?:who|which|that|whose)\b")


def _positions(pattern: re.Pattern, text: str) -> list[int]:
    """Every offset where ``pattern`` (a lookahead) matches: the candidate starts of a cut or cue."""
    return [m.start() for m in pattern.finditer(text)]


def _finditer_from(pattern: re.Pattern, starts: list[int], text: str, lo: int, hi: int):
    """``pattern.finditer(text, lo, hi)`` for a pattern of non-empty matches that an end bound can only
    make fail (no ``$``, no ``\\b`` or lookahead at its end), given ``starts`` (sorted: every offset
    where it matches in ``text`` without an end bound): the scan jumps from candidate to candidate
    instead of reading the text between."""
    k = bisect.bisect_left(starts, lo)
    n = len(starts)
    while k < n and starts[k] < hi:
        m = pattern.match(text, starts[k], hi)
        if m is None:
            k += 1
            continue
        yield m
        k = bisect.bisect_left(starts, m.end(), k + 1)


def _words(s: str) -> int:
    return len(s.split())


def _skip_space(par: str, i: int) -> int:
    while i < len(par) and (par[i].isspace() or par[i] in "“\"'‘"):
        i += 1
    return i


# past participles of reporting verbs that are not "-ed" forms
_IRREGULAR_PARTICIPLES = {"told", "said", "written", "spoken", "shown", "known", "heard", "seen", "given", "taken"}


def _passive_without_agent(par: str, m: re.Match) -> bool:
    """A reporting verb in the passive with no "by" agent ("the staffer was charged", "the risk was
    underscored"): its subject did not speak. ("Roe was asked by host Tom Lind" keeps its verb.)"""
    form = m.group().lower().split()[0]
    if not (form.endswith("ed") or form in _IRREGULAR_PARTICIPLES):
        return False
    return _word_before(par, max(0, m.start() - 20), m.start()) in _BE_FORMS and \
        _PASSIVE_AGENT.match(par, m.end()) is None


def _trim_report(par: str, lo: int, hi: int) -> tuple[int, int]:
    """Reported speech ``par[lo:hi]`` without the punctuation and spaces around it (an opening quotation
    mark, a bracket or a currency sign stays)."""
    while lo < hi and not par[lo].isalnum() and par[lo] not in "“\"'‘$(":
        lo += 1
    while hi > lo and par[hi - 1] in " ,;:":
        hi -= 1
    return lo, hi


def _word_before(par: str, lo: int, i: int) -> str:
    """The word that ends right before ``i`` (past spaces), or ""."""
    e = _last_nonspace(par, lo, i) + 1
    b = e
    while b > lo and par[b - 1].isalpha():
        b -= 1
    return par[b:e]


def _quote_only(par: str, end: int) -> bool:
    """Nothing but punctuation follows a quote ending at ``end`` in its paragraph."""
    return not any(ch.isalnum() for ch in par[end:end + 8]) and _last_nonspace(par, end, len(par)) < end + 4
