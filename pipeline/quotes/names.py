"""Names in running text: capitalised runs, titles stripped, organisation prefixes cut."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.quotes.lexicon import QuoteLexicon

# inside a word: letters, apostrophes, dots, hyphens, combining accents, and the Latin-1 signs that
# UTF-8 mojibake leaves inside names ("PeÃ±a") — but not U+00A0, a no-break space between words
_IN = "\\w'’.\\-\u0300-\u036f\u0080-\u009f\u00a1-\u00bf"
WORD = re.compile(r"[^\W\d_](?:[" + _IN + r"]*[\w\u0300-\u036f])?\.?|\d[\w.,]*")
PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "van", "von", "bin", "ibn", "al", "el", "la", "le",
             "dos", "das", "ben", "y"}
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass
class Tok:
    start: int
    end: int
    text: str

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[Tok]:
    hi = len(text) if hi is None else hi
    return [Tok(m.start(), m.end(), m.group()) for m in WORD.finditer(text, lo, hi)]


_CAP = re.compile(r"(?<![\w'’])[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F\u0400-\u042F]"
                  r"(?:[" + _IN + r"]*[\w\u0300-\u036f])?\.?")
_PARTICLE_GAP = re.compile(r" (?:" + "|".join(sorted(PARTICLES)) + r") ")


_ABBREV = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Gov", "Sen", "Sens", "Rep", "Reps", "Gen", "Lt", "Col", "Sgt", "Capt",
           "Const", "Cst", "Coun", "Cllr", "Ald", "Insp", "Det",
           "Cmdr", "Adm", "Maj", "Rev", "St", "Jr", "Sr", "Mt", "Ft", "Hon", "Pres", "Supt", "Cpl", "Pvt", "Amb",
           "Atty", "Messrs", "Mme", "Mlle", "No", "Co", "Corp", "Inc", "Ltd", "Bros", "Dept", "Univ", "Ave", "Blvd"}


def _abbrev(word: str) -> bool:
    """A dotted word that ends no sentence: an initial ("E."), a dotted acronym ("U.S."), a title ("Gov.")."""
    w = word[:-1]
    return len(w) <= 1 or "." in w or w in _ABBREV or (w.isupper() and len(w) <= 2)


def cap_runs(text: str, lo: int = 0, hi: int | None = None) -> list[list[Tok]]:
    """Runs of capitalised words separated only by single spaces (particles like "de", "bin" allowed inside)."""
    hi = len(text) if hi is None else hi
    runs: list[list[Tok]] = []
    run: list[Tok] = []
    for m in _CAP.finditer(text, lo, hi):
        t = Tok(m.start(), m.end(), m.group())
        if run:
            gap = text[run[-1].end:t.start]
            joined = gap in (" ", "\u00a0") or bool(_PARTICLE_GAP.fullmatch(gap))
            if joined and run[-1].text.endswith(".") and not _abbrev(run[-1].text):
                joined = False        # "… to Latinos. Thirty percent": a sentence ends inside the run
            if joined and not POSSESSIVE.search(run[-1].text):
                if len(gap) > 1 and gap.strip():
                    p = gap.strip()
                    s0 = run[-1].end + gap.index(p)
                    run.append(Tok(s0, s0 + len(p), p))
                run.append(t)
                continue
            runs.append(run)
        run = [t]
    if run:
        runs.append(run)
    return runs


# The longest gap two words of one run can have: " " or " della " (see cap_runs).
_MAX_RUN_GAP = 2 + max(len(p) for p in PARTICLES)


def first_cap_run(text: str, lo: int = 0, hi: int | None = None, *, at_lo: bool = False) -> list[Tok] | None:
    """``cap_runs(text, lo, hi)[0]`` without reading past that run (None when there is no run); with
    ``at_lo``, None also when the first capitalised word does not start at ``lo``.

    Callers that look only at the first run (or only at a run starting at ``lo``) use this: cap_runs
    reads to ``hi``, which made them re-read the rest of a sentence for every verb in it. The next word
    of a run starts at most ``_MAX_RUN_GAP`` characters after the previous one, so only those
    positions are tried; the first of them where ``_CAP`` matches is the word ``finditer`` would find.
    """
    hi = len(text) if hi is None else hi
    m = _CAP.match(text, lo, hi) if at_lo else _CAP.search(text, lo, hi)
    if m is None:
        return None
    run = [Tok(m.start(), m.end(), m.group())]
    while True:
        last = run[-1]
        if last.text.endswith(".") and not _abbrev(last.text) or POSSESSIVE.search(last.text):
            return run        # cap_runs would not join the next word, whatever it is
        t = None
        for pos in range(last.end, min(hi, last.end + _MAX_RUN_GAP + 1)):
            m = _CAP.match(text, pos, hi)
            if m is not None:
                t = Tok(m.start(), m.end(), m.group())
                break
        if t is None:
            return run
        gap = text[last.end:t.start]
        if not (gap in (" ", "\u00a0") or _PARTICLE_GAP.fullmatch(gap)):
            return run
        if len(gap) > 1 and gap.strip():
            p = gap.strip()
            s0 = last.end + gap.index(p)
            run.append(Tok(s0, s0 + len(p), p))
        run.append(t)


# Personal honorifics: the word after one is a surname even when it is also a title ("Mr. King",
# "Ms. Prince", "Dr. General").
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "mme", "mlle", "messrs"}


def _bare(word: str) -> str:
    return POSSESSIVE.sub("", word).rstrip(".").lower()


def clean_run(run: list[Tok], lex: QuoteLexicon) -> tuple[list[Tok], list[str]]:
    """(name tokens, stripped title/context words) of one capitalised run; name tokens may be empty."""
    toks = list(run)
    while toks and (toks[0].text.rstrip(".") in lex.not_names or toks[0].text.lower() in lex.determiners
                    or toks[0].text.lower() in lex.leading):
        toks = toks[1:]
    if not toks:
        return [], []
    # possessive on the last word: "Russia's", "Putin’s" -> the name without it
    stripped: list[str] = []
    last_title = -1
    for i, t in enumerate(toks[:-1]):
        if _bare(t.text) in lex.titles:
            last_title = i
    if last_title >= 0:
        stripped = [_bare(t.text) for t in toks[:last_title + 1]]
        toks = toks[last_title + 1:]
    last_org = -1
    for i, t in enumerate(toks[:-1]):
        if t.text.rstrip(".") in lex.org_words:
            last_org = i
    if last_org >= 0:
        stripped += [_bare(t.text) for t in toks[:last_org + 1]]
        toks = toks[last_org + 1:]
    while toks and toks[0].text in PARTICLES:
        toks = toks[1:]
    if toks and all(_bare(t.text) in lex.titles for t in toks) and not (stripped and stripped[-1] in HONORIFICS):
        return [], stripped + [_bare(t.text) for t in toks]
    return toks, stripped


def name_text(text: str, toks: list[Tok]) -> str:
    if not toks:
        return ""
    s = text[toks[0].start:toks[-1].end]
    s = POSSESSIVE.sub("", s)
    return s.strip(" .,") if not re.search(r"\b[A-Z]\.$", s) else s.strip(" ,")


def is_mediaish(name: str, lex: QuoteLexicon) -> bool:
    bare = re.sub(r"^the\s+", "", name, flags=re.I)
    if bare in lex.media:
        return True
    return any(w in lex.media_words for w in re.findall(r"\w+", bare))
