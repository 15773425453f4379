"""Direct and reported speech in one article, with speakers resolved inside the article.

The stage is a sequence of named passes (bottom of this module): find spans (``marks.find_spans``: the
quotation-mark spans of each paragraph), find cues (``find_cues``: reporting verbs and "according to"),
attribute (each quote with its own cue and speaker phrase), carry the attribution to quotes with none of
their own, resolve the speakers to names and entities, and the rows; pipeline/quotes/profile.py then gives
each speaker a side, a description and a category. Each pass reads a bounded stretch around what it looks
at, so the stage stays linear in the article's length.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.quotes.categories import UNKNOWN, categorize
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.marks import find_spans, sentence_ends
from pipeline.quotes.names import (HONORIFICS, PARTICLES, POSSESSIVE, _abbrev, _bare, cap_runs, clean_run, first_cap_run, is_mediaish,
                                   name_text)
from pipeline.records import ArticleText, EntityResult, EntityRow, QuoteRow

# An unattributed quoted stretch this short is a scare quote or a title, not a quotation.
MAX_SCARE_WORDS = 3
# An unattributed quoted stretch needs this many words to be kept as a direct quote with no speaker.
MIN_UNATTRIBUTED_WORDS = 4
# A quote split around its attribution in one paragraph ("“A,” he said. “B”") is one row when the
# attribution between the parts is at most this many words; otherwise one row per part (same quote_id).
MERGE_GAP_WORDS = 10
# ... or when the words between are at most this share of the quoted words (the row stays mostly quote).
MERGE_GAP_SHARE = 1.5
MAX_SUBJECT_WORDS = 12

_WS = re.compile(r"\s+")
_DASH_VARIANTS = str.maketrans({"\u2015": "—", "\u2012": "–"})   # horizontal bar, figure dash
_WORDS = re.compile(r"\w+")
_POSS_END = re.compile(r"(?:'s|’s)$")
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
_COMMA = re.compile(",")
# what may follow a verb that reports no content: "in a statement", "on Twitter", "on Monday", "to reporters"
_BARE_REPORT_TAIL = re.compile(r"(?:(?:in|on|to|at|during|after|before|via|by)\s+(?:a\s+|an\s+|the\s+)?"
                               r"[\w'’.-]+(?:\s+[\w'’.-]+){0,3}\s*){1,2}")
_BE_FORMS = {"was", "were", "is", "are", "been", "being"}
# words before a name that ends a colon introduction: "More from Jane Roe:", "… quoted Jane Roe:"
_NAME_INTRODUCERS = {"from", "by", "quoted", "quoting", "cited", "citing"}
_SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
_CONTRACTION = re.compile(r"['’](?:s|d|ll|re|ve|m)$")
# "by host Tom Lind" / "by Jane Roe" after a passive reporting verb: the one who spoke
_PASSIVE_AGENT = re.compile(r"\s+by\s+((?:(?:[a-z]+|[A-Z][\w'’.-]*)\s+){0,5}?[A-Z][\w'’.-]*)"
                            r"(?=\s*(?:[,;:“\"]|\s(?:whether|if|about|what|how|why|to|for)\b))")
_VERB_TO_QUOTE = re.compile(r"(?:\s+on\s+\w+day)?\s+that\s*")
# the first word of a comma segment, past quotation marks and brackets ("“Tides,” a book about …")
_SEGMENT_WORD = re.compile(r"[^\s\"“”‘’«»()\[\]—–-]\S*")
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


_SPACES_COMMAS = re.compile(r"[\s,]*")
_RELATIVE_PRONOUN = re.compile(r"\b(?:who|which|that|whose)\b")
# a sentence opening with a subordinate clause: the words before ", X said" are no report
_SUBORDINATE_OPENING = re.compile(r"(?:When|After|As|While|Because|If|Although|Though|Since|Before|Once|Until)\b")
_DASH_ASIDE = re.compile(r"\s*(?:—|–|--)\s[^—–\n]{1,60}?\s(?:—|–|--)\s*")    # "said — on Twitter — that"
_CLAUSE_PRONOUNS = {"he", "she", "they", "i", "we", "it", "there", "you"}
# ", and she blamed …": a new main clause with a pronoun subject and a past-tense verb ends a report
# a conjunction ending a report cut where the next report's subject begins
_JOINING_WORD_END = re.compile(r"[\s,;]*\b(?:and|but|while|whereas|although|(?:even\s+)?though|even\s+(?:as|if))$")
_NEW_MAIN_CLAUSE = re.compile(r",\s+(?:and|but)\s+(?:he|she|they)\s+(?:also\s+)?[a-z]+ed\b")
_PREP_NEXT = re.compile(
    r"(?:in|on|at|to|by|for|with|of|after|before|during|about|from|as|and|but|or|so|the\s+\w+\s+(?:of|in))\b")
_ON_CLAUSE = re.compile(r"(?:on|in|at)\s+\w+\s*,?\s+(?:that\s+)?[a-z]")
_NOT_SPACE_OR_DOT = re.compile(r"[^ .]")
_NOT_OPENING = re.compile(r"[^ “\"'«]")       # text[:i].strip(" “\"'«") is empty when none is before i


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


@dataclass
class Attr:
    pid: int
    cue: str
    verb_start: int
    verb_end: int
    np: str = ""            # speaker phrase as written
    np_start: int = -1
    np_end: int = -1
    channel: str = ""
    participle: bool = False


@dataclass
class Quote:
    kind: str
    pieces: list[tuple[int, int, int]]          # (paragraph_id, start, end)
    attr: Attr | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)   # (pid, span index) for direct pieces
    speaker: str = ""
    entity_id: str = ""
    inherited: bool = False
    forward: bool = False       # reported speech after its verb ("X said that …")

    @property
    def pos(self) -> tuple[int, int]:
        if self.attr is not None and self.kind == "indirect":
            return (self.attr.pid, self.attr.verb_start)
        return (self.pieces[0][0], self.pieces[0][1])


def _words(s: str) -> int:
    return len(s.split())


class _Doc:
    """Per-article state: paragraphs, their quote spans and sentence ends, and the name registry."""

    def __init__(self, article: ArticleText, entities: EntityResult, lex: QuoteLexicon):
        self.lex = lex
        # dash variants read as the em dash they stand for (one character for one: offsets hold); the rows
        # take their text from the article's own paragraphs
        self.pars = [p.translate(_DASH_VARIANTS) for p in article.paragraphs]
        self.spans = [find_spans(p) for p in self.pars]
        self.ends = [sentence_ends(p, lex.abbreviations) for p in self.pars]
        self.index = [_ParIndex(p, sp) for p, sp in zip(self.pars, self.spans)]
        self.entities = entities
        self.ent_by_id: dict[str, EntityRow] = {e.entity_id: e for e in entities.entities}
        self.person_mentions: dict[int, list] = {}
        for m in entities.mentions:
            e = self.ent_by_id.get(m.entity_id)
            if e is not None and e.type == "person":
                self.person_mentions.setdefault(m.paragraph_id, []).append(m)
        self.aliases = {k.lower(): v for k, v in (entities.aliases or {}).items()}
        self._build_registry()

    def person_mention_overlapping(self, pid: int, lo: int, hi: int):
        """The first of the paragraph's person mentions (in the entity stage's order) overlapping
        [lo, hi), or None."""
        ms = self.person_mentions.get(pid)
        if not ms:
            return None
        if len(ms) <= 8:
            return next((m for m in ms if m.char_start < hi and m.char_end > lo), None)
        index = self.__dict__.setdefault("_person_index", {})
        entry = index.get(pid)
        if entry is None:
            starts = [m.char_start for m in ms]
            if starts == sorted(starts):
                # listed by start: the first overlapping one is the first whose end passes lo (the
                # running maximum of the ends first passes lo there), if it starts before hi
                run_max, top = [], -1
                for m in ms:
                    top = max(top, m.char_end)
                    run_max.append(top)
                entry = index[pid] = (starts, run_max)
            else:
                entry = index[pid] = None
        if entry is None:
            return next((m for m in ms if m.char_start < hi and m.char_end > lo), None)
        starts, run_max = entry
        k = bisect.bisect_right(run_max, lo)
        return ms[k] if k < len(ms) and starts[k] < hi else None

    def place_mention_overlapping(self, pid: int, lo: int, hi: int, org: bool = False) -> bool:
        """Whether one of the entity stage's mentions of a place or a country (with ``org``, also an
        organisation) overlaps [lo, hi) in paragraph ``pid``."""
        key = "_org_mentions" if org else "_place_mentions"
        by_par = self.__dict__.get(key)
        if by_par is None:
            types = ("place", "country", "organization") if org else ("place", "country")
            by_par = self.__dict__[key] = {}
            for m in self.entities.mentions:
                e = self.ent_by_id.get(m.entity_id)
                if e is not None and e.type in types:
                    by_par.setdefault(m.paragraph_id, []).append((m.char_start, m.char_end))
            for v in by_par.values():
                v.sort()
        ms = by_par.get(pid, ())
        k = bisect.bisect_left(ms, (hi, -1))
        # mentions do not nest far: look back over the few starting before hi
        return any(a < hi and b > lo for a, b in ms[max(0, k - 4):k])

    @cached_property
    def non_person_names(self) -> set[str]:
        """Lower-case names (and aliases) of the article's places, countries and organisations."""
        out = {e.name.lower() for e in self.entities.entities if e.type != "person"}
        out |= {k for k, v in self.aliases.items() if v in self.ent_by_id and self.ent_by_id[v].type != "person"}
        return out

    @cached_property
    def subject_mentions(self) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
        """The mentions that can be a pronoun's antecedent (named as a sentence's subject, not
        possessive, a full name): their (pid, pos) in order, and (pid, full name)."""
        keys, cands = [], []
        for pid, pos, name, possessive, first in self.mentions:
            if possessive or not first:
                continue
            full = self.full_name(name) if " " not in name else name
            if " " not in full:
                continue
            keys.append((pid, pos))
            cands.append((pid, full))
        # _build_registry registers mentions in text order; were it ever not so, the walk back in
        # _antecedent would not be a bisection, so that case is not left to chance
        assert keys == sorted(keys), "mentions out of text order"
        return self._with_role_subjects(keys, cands)

    def _with_role_subjects(self, keys: list[tuple[int, int]], cands: list[tuple[int, str]]):
        """``keys``/``cands`` with the sentences whose subject is a role phrase the article titled one
        person with ("The admiral chuckled." after "Admiral Jo Hale"): that person, instead of a name
        later in the same sentence (its object)."""
        found = []
        for pid, par in enumerate(self.pars):
            if "he " not in par and "he\xa0" not in par:
                continue      # (no "the"/"The" at all: nothing to look for)
            for m in _ROLE_SUBJECT_START.finditer(par):
                full = self.resolve_role(m.group(1), (pid, m.start(1)))
                if full and " " in full:
                    found.append((pid, m.start(1), full))
        if not found:
            return keys, cands
        drop = set()
        for pid, pos, _full in found:
            starts = [0] + self.ends[pid]
            sent = bisect.bisect_right(starts, pos) - 1
            hi = starts[sent + 1] if sent + 1 < len(starts) else len(self.pars[pid])
            drop |= {i for i, k in enumerate(keys) if k[0] == pid and pos < k[1] < hi}
        merged = [(k, c) for i, (k, c) in enumerate(zip(keys, cands)) if i not in drop]
        merged += [((pid, pos), (pid, full)) for pid, pos, full in found]
        merged.sort(key=lambda kc: kc[0])
        return [k for k, _ in merged], [c for _, c in merged]

    # ------------------------------------------------------------------ registry of names in the text
    def _build_registry(self) -> None:
        lex = self.lex
        # full names (2+ words) with where they occur and the words that titled them
        self.names: list[tuple[int, int, str, set[str]]] = []     # (pid, pos, name, context words)
        self.mentions: list[tuple[int, int, str, bool, bool]] = []  # (pid, pos, name, possessive, first_in_sentence)
        self.gender: dict[str, str] = {}
        skip_single = lex.determiners | lex.role_nouns | set(lex.pronouns)
        skip_first = lex.determiners | lex.leading | skip_single
        not_names, titles, org_words = lex.not_names, lex.titles, lex.org_words
        for pid, par in enumerate(self.pars):
            if not any(c.islower() for c in par):
                continue      # a line in capitals ("FULL TEXT.", a headline) names nobody
            runs = cap_runs(par)
            n_words = par.count(" ") + 1
            if n_words >= 3 and sum(len(r) for r in runs) > 0.7 * n_words:
                continue      # a heading-like line in title case names nobody
            sent_starts = [0] + self.ends[pid]
            # a sentence whose subject is a pronoun ("He said Roe …") names no subject
            seen_sent: set[int] = {k for k, st in enumerate(sent_starts) if _SUBJECT_PRONOUN.match(par, _skip_space(par, st))}
            # a sentence opening with a subordinate or participle clause ("Asked whether Roe …, Lind
            # demurred"): its subject is the name after the clause's comma, before a lower-case verb
            opened = {k for k, st in enumerate(sent_starts) if _CLAUSE_OPENING.match(par, _skip_space(par, st))}
            spans = self.spans[pid]
            in_span = self.index[pid].in_span
            for run in runs:
                if len(run) == 1:
                    # one word: only a mention (full names need two); what clean_run would do, inline
                    t = run[0]
                    w = t.text
                    if w.rstrip(".") in not_names or w.lower() in skip_first or _bare(w) in titles \
                            or w.rstrip(".") in org_words:
                        continue
                    if spans and in_span(t.start):
                        continue
                    nm = name_text(par, run)
                    if not nm:
                        continue
                    possessive = bool(POSSESSIVE.search(w)) or par[t.end:t.end + 2] in ("'s", "’s")
                    sent = bisect.bisect_right(sent_starts, t.start) - 1
                    first = sent not in seen_sent and (sent not in opened or (
                        _COMMA_BEFORE.search(par, max(0, t.start - 3), t.start) and _VERB_AFTER.match(par, t.end)))
                    if first:
                        seen_sent.add(sent)
                    self.mentions.append((pid, t.start, nm, possessive, first))
                    continue
                toks, stripped = clean_run(run, lex)
                if not toks:
                    continue
                nm = name_text(par, toks)
                if not nm or any(t.text.rstrip(".") in lex.org_words for t in toks):
                    continue
                # sentence-initial common word ("Analysts", "The") is no name
                if len(toks) == 1 and toks[0].text.lower() in skip_single:
                    continue
                possessive = bool(POSSESSIVE.search(toks[-1].text)) or par[toks[-1].end:toks[-1].end + 2] in ("'s", "’s")
                sent = bisect.bisect_right(sent_starts, run[0].start) - 1
                first = sent not in seen_sent
                if first and sent in opened and not (_COMMA_BEFORE.search(par, max(0, run[0].start - 3), run[0].start)
                                                     and _VERB_AFTER.match(par, toks[-1].end)):
                    first = False       # a name inside the opening clause is not the sentence's subject
                if first:
                    seen_sent.add(sent)
                if len(toks) >= 2:
                    before = par[max(0, run[0].start - 60):run[0].start]
                    ctx = {w.lower() for w in _WORDS.findall(before)[-5:]} | set(stripped)
                    # an appositive after the name titles it too: "Tom Lind, a Texas Republican, …"
                    app = _APPOSITIVE_AFTER.match(par, run[-1].end)
                    if app:
                        ctx |= {w.lower() for w in _WORDS.findall(app.group(1))}
                    ctx |= {_POSS_END.sub("", w) for w in ctx}
                    self.names.append((pid, run[0].start, nm, ctx))
                    g = self._title_gender(stripped) or lex.given_names.get(toks[0].text, "")
                    if g:
                        self.gender.setdefault(nm, g)
                if not spans or not in_span(run[0].start):
                    self.mentions.append((pid, run[0].start, nm, possessive, first))
        for pid, ms in self.person_mentions.items():
            for m in ms:
                e = self.ent_by_id[m.entity_id]
                words = e.name.split()
                if len(words) >= 2:
                    self.names.append((pid, m.char_start, e.name, set()))
                    # a given name that is one gender's ("Maria Lind" is no later "he")
                    g = lex.given_names.get(words[0], "")
                    if g:
                        self.gender.setdefault(e.name, g)

    @staticmethod
    def _title_gender(stripped: list[str]) -> str:
        if {"mr", "sir", "king", "prince", "lord", "father", "congressman", "spokesman", "chairman"} & set(stripped):
            return "m"
        if {"mrs", "ms", "miss", "queen", "princess", "lady", "dame", "congresswoman", "spokeswoman",
                "chairwoman"} & set(stripped):
            return "f"
        return ""

    def full_name(self, short: str, where: tuple[int, int] | None = None) -> str:
        """The article's full name for a one-word reference ("Duarte" -> "Rafael Duarte"): among the
        names ending (else starting) with it, the most frequent, then the first seen. (``self.names``
        is complete once the registry is built: the answers are remembered, and for an article of
        many names looked up in tables of the names by last and by first word.)"""
        if " " in short:
            return short
        memo = self.__dict__.setdefault("_full_names", {})
        full = memo.get(short)
        if full is None:
            full = short
            for table in (self._names_by_word if len(self.names) > 64 else
                          [{short: Counter(n for (_, _, n, _) in self.names if n.split()[pick] == short)}
                           for pick in (-1, 0)]):
                counts = table.get(short)
                if counts:                       # in first-seen order: max keeps the first of a tie
                    full = max(counts, key=counts.__getitem__)
                    break
            memo[short] = full
        return full

    @cached_property
    def _names_by_word(self) -> tuple[dict[str, Counter], dict[str, Counter]]:
        """Last word -> Counter of the full names ending with it (in first-seen order); first word ->
        the same."""
        by_last: dict[str, Counter] = {}
        by_first: dict[str, Counter] = {}
        for _, _, n, _ in self.names:
            parts = n.split()
            by_last.setdefault(parts[-1], Counter())[n] += 1
            by_first.setdefault(parts[0], Counter())[n] += 1
        return by_last, by_first

    def resolve_role(self, phrase: str, where: tuple[int, int]) -> str:
        """A role phrase ("the Chinese president") -> the one person the article titled that way."""
        words = [re.sub(r"(?:'s|’s)$", "", w.lower()) for w in re.findall(r"[\w'’]+", phrase)]
        if words and words[0] in _INDEFINITES:
            return ""             # "one Roe supporter", "a New Hampshire Democrat": someone new, unnamed
        words = [w for w in words if w not in self.lex.determiners]
        if not words or words[-1] not in self.lex.role_nouns:
            return ""
        if words[-1].endswith("s") and not words[-1].endswith("ss"):
            return ""             # "other party leaders", "the prosecutors": a group, not one person titled so
        need = frozenset(words)
        titled = self.__dict__.setdefault("_titled", {})
        entry = titled.get(need)
        if entry is None:
            # the names titled with all of ``need``, in text order; and how many of them, from the
            # first, carry the first one's name
            found = [((pid, pos), n) for (pid, pos, n, ctx) in self.names if need <= ctx]
            keys = [k for k, _ in found]
            if keys != sorted(keys):
                entry = titled[need] = (None, found, 0)
            else:
                same = 0
                while same < len(found) and found[same][1] == found[0][1]:
                    same += 1
                entry = titled[need] = (keys, found, same)
        keys, found, same = entry
        if keys is None:                    # not in text order (never so far): the plain filter
            hits = [n for k, n in found if k < where]
            return hits[-1] if hits and len(set(hits)) == 1 else ""
        n_before = bisect.bisect_left(keys, where)   # the names titled so before ``where``
        return found[0][1] if 0 < n_before <= same else ""


# ---------------------------------------------------------------------------- speaker phrases

# "was prompted ", "went on ", "is quick ", "declined ": what stands between a subject and "to say"
_TO_VERB_PHRASE = re.compile(r"(?<=\s)(?:(?:was|were|is|are|has been|had been|seemed|appeared)\s+)?"
                             r"(?:[a-z]+(?:ed|ing)|quick|went|go|goes|got|able|unable|eager|happy|due|set|about)"
                             r"(?:\s+on)?\s+$")


_SAY_AT = re.compile(r"(?:say|tell|add)\b")


def _strip_between(par: str, lo: int, hi: int, lex: QuoteLexicon) -> int:
    """Move ``hi`` left past adverbs and auxiliaries between a speaker and its verb ("Xi again said"),
    and past a verb phrase ending in "to" ("Roe was quick to say")."""
    to_seen, hi0 = False, hi
    while hi > lo:
        # the last word before hi, past spaces and commas (a backward scan: no regex over the prefix)
        e = hi
        while e > lo and (par[e - 1].isspace() or par[e - 1] == ","):
            e -= 1
        b = e
        while b > lo and par[b - 1].isascii() and par[b - 1].isalpha():
            b -= 1
        w = par[b:e]
        if not w:
            break
        if w.islower() and (w in lex.between or (w.endswith("ly") and len(w) > 4)):
            hi = b
            continue
        if w == "to" and not to_seen and _SAY_AT.match(par, hi0):
            # "Jane Roe was prompted to say", "Roe went on to say": the verb phrase before "to"
            m = _TO_VERB_PHRASE.search(par, max(lo, b - 40), b)
            if m is not None and m.start() > lo:
                hi = m.start()
                to_seen = True
                continue
        break
    return hi


_TITLE_THEN_PREP = re.compile(r"\s*([A-Z][\w.]*)\s+(?:for|of|from)\s+[A-Z]")


def _title_complement(par: str, lo: int, hi: int, lex: QuoteLexicon) -> bool:
    """A comma segment that is a title with its seat or portfolio ("MLA for Fredericton West", "Minister of
    Health"): an appositive after a name, not the speaker."""
    m = _TITLE_THEN_PREP.match(par, lo, hi)
    return m is not None and m.group(1).lower().rstrip(".") in lex.titles


def _looks_appositive(first: str, lex: QuoteLexicon) -> bool:
    """A comma segment whose first word is ``first`` reads like an appositive ("director of …",
    "who …", "a professor at …"), not like a speaker's name."""
    if first[0].isdigit():
        return True
    if first.lower() in ("who", "which", "whose"):
        return True
    if first.lower() in lex.pronouns:
        return False
    return first.lower() in lex.determiners or first[0].islower()


def _name_like(par: str, lo: int, hi: int, lex: QuoteLexicon) -> bool:
    """``par[lo:hi]`` can be the speaker before an appositive ("Jane Roe, a lawyer, said"; "A Roe aide,
    …"), not a sentence adverb or an adverbial phrase ("Sooner or later, the governor said"; "Most
    recently, the agency concluded")."""
    words = par[lo:hi].split()
    while words and words[0].lower() in lex.leading:
        words = words[1:]         # "But Jane Roe, a lawyer, said"
    if not words:
        return False
    w0 = words[0].rstrip(".,").lower()
    if w0 in _ADVERBIAL or w0 in _CONJUNCTIONS or words[0].rstrip(".,") in lex.not_names:
        return False
    if len(words) > 1 and w0.endswith(("ing", "ed")) and len(w0) > 5 and words[0][1:].islower():
        return False          # "Appearing on Radio Nord, the mayor said": a participle phrase
    if any(w.islower() and w.endswith("ly") and len(w) > 4 for w in words):
        return False
    if any(w in lex.auxiliaries for w in words[1:]):
        return False          # "The talks will resume soon, the ministry said": a clause, no name
    if len(words) > 1 and not any(w[:1].isupper() for w in words[1:]) \
            and not any(w.lower().strip(",.") in lex.role_nouns or w.lower().strip(",.") in lex.collective_nouns
                        or w.strip(",.").capitalize() in lex.org_words for w in words):
        return False          # only its first word capitalised, as any sentence's is ("The talks, …")
    return True


# words opening a clause whose subject follows ("…, while Jane Roe said"): no appositive
_CLAUSE_OPENERS = {"while", "whereas", "when", "where", "although", "though", "because", "since", "after", "before", "if",
                   "until", "unless", "and", "but", "as"}
_PARTY_TAG = re.compile(r"^[RDI]-")
# the hearer after "told": a group noun, a pronoun or a capitalised name (an outlet, a person), then
# optionally a time or an interview phrase
_HEARER = re.compile(r"\s+(?:(?:reporters|journalists|supporters|lawmakers|investigators|officials|him|her|them|us|me)"
                     r"|(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})"
                     r"(?:\s+(?:on|last|this)\s+\w+day|\s+in\s+an?\s+(?:\w+\s+)?interview)?\s+(?=[A-Za-z])")
# a participle after a comma: ", telling", ", adding"
_PARTICIPLE_INTRO = re.compile(r",\s+([a-z]+ing)\b")
_PRONOUN_THEN_WORD = re.compile(r"\s+((?:he|she|they|we|I|it)\s+([a-z]+))\b")
# up to six words without punctuation, then "that": "wrote on Twitter that …"
_THAT_SOON = re.compile(r"\s+(?:[\w'’.-]+\s+){0,6}?that\s+(?=[\w“\"])")
# a clause right after a verb: "that", or a subject pronoun, then a lower-case word
_REPORT_OPENING = re.compile(r"\s+(?:that\s+)?((?:he|she|they|we|I|it)\s+[a-z])")
# after a hearer no inverted subject can follow: a determiner, up to three words, then a past-tense "-ed" verb
# or an auxiliary ("told the Daily Star her team met …", "told CNN the ferry would …")
_DETERMINED_CLAUSE = re.compile(r"(?:the|a|an|his|her|their|its|our|my)\s+(?:[\w'’-]+\s+){0,3}?"
                                r"(?:[a-z]{3,}ed|was|were|is|are|had|has|have|would|will|could|should|can|did|does)\b")
# "the legislature", "a crowd of farmers": a hearer of one to three lower-case words after a determiner
_LOWER_HEARERS = [re.compile(r"\s+(?:the|a|an|his|her|their|its)\s+" + r"[a-z][\w-]*\s+" * (k + 1)) for k in range(3)]
# up to six words with no punctuation before a subject pronoun and a lower-case word: "told <hearer> he …"
_HEARER_THEN_PRONOUN = re.compile(r"\s+((?:[\w.&'’-]+\s+){1,6}?)(?=(?:he|she|they|we|I|it)\s+[a-z])")
# words that open a clause or a question, not a hearer ("told how …", "told that …")
_NOT_HEARER = {"that", "how", "what", "why", "when", "whether", "if", "where", "who", "which", "because", "so",
               "not", "to", "as", "and", "but", "or"}
_THEN_PARTICIPLE = re.compile(r"(?:\s+\w+day)?\s*,\s*([a-z]+ing)\b")
# the comma that resumes the report after a parenthetical attribution ("The talks, Roe said on Monday, will …")
_PARENTHETICAL_AFTER = re.compile(r"(?:\s+(?:on\s+)?\w+day)?\s*,\s*(?=[a-z])")
# a name, then a plural group noun: "Hamilton police", "Trump aides", "the Acme Corp. executives"
_NAMED_GROUP = re.compile(r"(?:(?:the|other|some|many|several|two|three)\s+)?(?:[A-Z][\w.&'’-]*\s+){1,4}([a-z]+)")
_QUOTED_AS = re.compile(r"\b(?:quoted|cited)\s+([^;:“”\"]{1,70}?),?\s+as\s+$")
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\s-{1,2}\s")
_RELATIVE_WHO = re.compile(r"\s(?=(?:who|whom)\s)")
_PREPOSITIONS = {"of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "over", "under", "between"}
_APPOSITIVE_OPENING = re.compile(r"\.?\s*,\s*(\w+)")
# a role phrase opening a sentence or following a comma, then a finite verb: "The admiral chuckled."
_ROLE_SUBJECT_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=,\s))((?:[Tt]he)\s+(?:[a-z][\w-]*\s+){0,2}?[a-z]+)"
                                 r"(?=\s+(?:[a-z]+ly\s+)?(?:[a-z]{3,}ed|has|had|was|is|said|says|told|did|will|would)\b)")
_RELATIVE_PRONOUNS = {"who", "that", "which"}    # "said an official who was briefed": the aux is the relative's
_CLAUSE_OPENING = re.compile(r"(?:When|After|While|Although|Though|If|As|Because|Since|Before|Once|Until|Unless|Despite"
                             r"|Asked|Pressed|Told|Speaking)\b(?=[^.!?]*,)")
_COMMA_BEFORE = re.compile(r",\s*$")
_VERB_AFTER = re.compile(r"\s+(?!(?:and|or|of|in|at|for|to|from|with|on|by|who|whose|which)\b)[a-z]")
_AND_BEFORE = re.compile(r"(?<=\S)\s*,?\s+(?:and|but)\s+(?:(?:also|later|then|again)\s+)?$")
_WEEKDAY_END = re.compile(r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$")


def _party_tag_run(par: str, run: list) -> bool:
    """A capitalised run that is a US politician's party tag in parentheses: "(D-Ore.)", "(R)"."""
    if run[0].start == 0 or par[run[0].start - 1] != "(":
        return False
    t = run[0].text
    return len(run) == 1 and (bool(_PARTY_TAG.match(t)) or t in ("D", "R", "I"))


# prepositions opening an appositive-like phrase between a name and its verb ("Roe, during a visit, said")
_APPOSITIVE_PREPS = {"during", "at", "in", "on", "of", "from", "with", "for", "after", "before", "since"}


def _possessed_role(par: str, lo: int, hi: int) -> bool:
    """A segment like "Roe's campaign manager" or "Mayor Roe's special envoy to the Acme talks" (a
    capitalised possessive among its first three words, then a lower-case word): after a name ("Ivan
    Petrov, Roe's campaign manager, said") it is an appositive, not the subject."""
    words = par[lo:hi].split()
    if not 2 <= len(words) <= 14:
        return False
    k = next((i for i, w in enumerate(words[:3]) if POSSESSIVE.search(w)), None)
    return k is not None and k + 1 < len(words) and all(w[:1].isupper() for w in words[:k + 1]) \
        and words[k + 1][:1].islower()


def _full_name_segment(par: str, lo: int, hi: int) -> bool:
    """A comma segment that is a name of two to four capitalised words ("Ivan Petrov", "Jane M. Roe")."""
    words = par[lo:hi].split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() or w in PARTICLES for w in words)


def _relative_segment(par: str, k: int, seg, lex: QuoteLexicon) -> int:
    """The comma segment a relative clause opens when the last one, ``k``, is its verb phrase after an
    appositive inside it ("Jane Roe, whose firm, Acme, builds boats, said"): those commas are no cuts.
    ``k`` itself otherwise."""
    first = _SEGMENT_WORD.search(par, *seg(k))
    if first is None or not first.group().islower() or first.group() in lex.determiners \
            or first.group() in _APPOSITIVE_PREPS or first.group() in ("who", "which", "whose"):
        return k
    for j in range(k - 2, max(0, k - 3), -1):
        w = _SEGMENT_WORD.search(par, *seg(j))
        inner = _SEGMENT_WORD.search(par, *seg(j + 1))      # the appositive inside the clause
        if w is not None and w.group() in ("who", "which", "whose") and inner is not None \
                and (inner.group()[0].isupper() or inner.group() in lex.determiners):
            return j
    return k


def subject_before(par: str, lo: int, vstart: int, lex: QuoteLexicon,
                   verb_starts: list[int] | None = None, index: "_ParIndex | None" = None) -> tuple[int, int] | None:
    """Offsets of the speaker phrase that ends right before a reporting verb, or None.

    ``verb_starts``: every reporting verb's offset in ``par`` (sorted); ``index``: the paragraph's
    _ParIndex (its commas). With both, the cost does not grow with the distance from ``lo``.
    """
    qa = _QUOTED_AS.search(par, max(lo, vstart - 90), vstart)
    if qa is not None:
        return qa.start(1), qa.end(1)     # "Xinhua quoted Ivan Petrov as saying": Petrov speaks, Xinhua relays
    hi = _strip_between(par, lo, vstart, lex)
    long = hi - lo > LONG_STRETCH
    # a subject pronoun right before the verb is its subject ("…, in which he stated that …");
    # over a long stretch, searched only where it can start: it ends where the spaces before hi begin
    if long:
        e = _last_nonspace(par, lo, hi) + 1
        pm = _PRON_END.search(par, max(lo, e - 4), hi) if 0 < e < hi else None
    else:
        pm = _PRON_END.search(par, lo, hi)
    if pm and pm.group(1).lower() in lex.pronouns and pm.start(1) > lo:
        return pm.start(1), pm.end(1)
    wm = _NAME_THEN_WHO.search(par, max(lo, hi - 80), hi)
    if wm is not None and _plausible_subject(wm.group(1), lex) and wm.group(1) not in lex.regions:
        return wm.start(1), wm.end(1)       # "…, Transport Minister Tom Vale, who said he …": the name speaks
    rh = _relative_head(par, max(lo, hi - 80), hi, lex)
    if rh is not None:
        return rh                           # "… business leaders who say …": the group the relative clause is on
    wg = _WITH_GROUP.search(par, max(lo, hi - 60), hi) if _TOKEN.match(par, vstart).group().endswith("ing") else None
    if wg is not None and (_SHARE_SUBJECT.match(wg.group(1)) or _plural_noun(wg.group(1).split()[-1].lower(), lex)):
        return wg.start(1), wg.end(1)       # "…, with 50 percent of voters saying …": the absolute clause's subject
    qm = _QUANTIFIER_SUBJECT.match(par, lo, hi) if hi - lo < 24 else None
    if qm is not None:
        return qm.start(1), qm.end(1)       # "Some said …", "But many say …": a group of those spoken of
    # an object relative clause: "NAFTA, which Trump had called …" -> Trump (its match spans at most
    # five words: the relative pronoun and four)
    rm = _REL_SUBJECT.search(par, _tail_start(par, lo, hi, 5) if long else lo, hi)
    if rm and _plausible_subject(rm.group(1), lex):
        return rm.start(1), rm.end(1)
    # walk back over appositives: "Rafael Duarte, director of the Institute of Andean Studies ..., told"
    # segment k runs from after comma k-1 (or lo) to comma k (or hi)
    if index is not None and long:
        commas = index.commas
    else:
        commas = [m.start() for m in _COMMA.finditer(par, lo, hi)]
    c0 = bisect.bisect_left(commas, lo)
    n_cuts = bisect.bisect_left(commas, hi) - c0
    if n_cuts >= 2:
        # "a rabbi in Hollywood, Fla., helping …": the commas around a state or province are no cuts
        # (among the last few only: the walk back below reads no further)
        base = max(c0, c0 + n_cuts - 9)
        local = commas[base:c0 + n_cuts]
        around_region = set()
        for i in range(1, len(local) - 1):
            after = par[local[i + 1] + 1:local[i + 2] if i + 2 < len(local) else hi].strip()
            city = par[local[i - 1] + 1:local[i]].split()
            # only inside an appositive after the name ("X, a rabbi in Hollywood, Fla., who …"): "In Douglas,
            # Ariz., border officials say" and "…, Iowa, Rubio told" keep their cut before the subject
            if par[local[i] + 1:local[i + 1]].strip().replace(".", "") in lex.regions and \
                    not _PARTY_TAG.match(par[local[i] + 1:local[i + 1]].strip()) and after[:1].islower() \
                    and after.split()[0] not in ("who", "which", "whose") \
                    and city and (city[0].lower() in lex.determiners or city[0].lower() in _APPOSITIVE_PREPS):
                around_region |= {i, i + 1}
        if around_region:
            commas = commas[c0:base] + [c for i, c in enumerate(local) if i not in around_region]
            c0, n_cuts = 0, len(commas)

    def seg(k: int) -> tuple[int, int]:
        return (lo if k == 0 else commas[c0 + k - 1] + 1), (commas[c0 + k] if k < n_cuts else hi)

    def state(lo_: int, hi_: int) -> bool:
        # "…, Columbus, Ohio, said", "…, Brandon, Man., says", "Sen. Jane Roe, D-Ore., said": a state, a province
        # or a party tag, no name;
        # "… at a diner in Keene, Vermont Tuesday, the mayor said": a state, then the day
        text = _WEEKDAY_END.sub("", par[lo_:hi_].strip())
        return _PARTY_TAG.sub("", text).replace(".", "") in lex.regions

    choice = None
    k = n_cuts
    while k >= 0 and _TOKEN.search(par, *seg(k)) is None:     # blank segments
        k -= 1
    if k > 0 and _SEGMENT_WORD.search(par, *seg(k)) is None:
        # only the closing mark of a quote the comma stood in: "Roe, who calls the ferry a “shed,” said" reads on
        # when the quote ends a relative clause or a participle phrase
        r_first = _SEGMENT_WORD.search(par, *seg(k - 1))
        if r_first is not None and (r_first.group().lower() in ("who", "which", "whose")
                                    or r_first.group().endswith("ing") and r_first.group().islower()):
            k -= 1          # ("Roe, quoting “…,” said")
    if k >= 2:
        k = _relative_segment(par, k, seg, lex)
    if k >= 0:
        choice = seg(k)
        first = _SEGMENT_WORD.search(par, *choice) or _TOKEN.search(par, *choice)
        w = first.group().lower()
        # an appositive opening with a relative pronoun, a determiner, a preposition or a number may
        # follow others; one opening otherwise in lower case ("director of …") follows the name itself
        relative = w in ("who", "which", "whose")
        strong = relative or w in lex.determiners or w in _APPOSITIVE_PREPS \
            or w[0].isdigit() or state(*choice)
        bare_group = w.endswith("s") and w in lex.role_nouns and not _more_words_than(par, *choice, 1)
        if (strong or (_looks_appositive(first.group(), lex) or _title_complement(par, *choice, lex)) and not bare_group
                or (_possessed_role(par, *choice) and k > 0 and _full_name_segment(par, *seg(k - 1)))) \
                and w not in _CLAUSE_OPENERS:
            # an appositive: the name is in a segment before it, when that one is short and capitalised;
            # other appositives may stand between ("Jane Roe, a lawyer who …, which …, said";
            # "Roe, during a visit to Columbus, Ohio, said")
            j, hops = k - 1, 0
            while j >= 0 and hops < 4:
                p_lo, p_hi = seg(j)
                pfirst = _TOKEN.search(par, p_lo, p_hi)
                if pfirst is None:
                    j -= 1
                    continue
                if pfirst.group() in _CLAUSE_OPENERS:
                    # "…, when Mr. Roe, who …, called it": the name after a subordinator
                    nxt = _TOKEN.search(par, pfirst.end(), p_hi)
                    if nxt is not None and nxt.group()[0].isupper():
                        p_lo, pfirst = nxt.start(), nxt
                if pfirst.group()[:1] in "([" and pfirst.group()[1:2].isupper():
                    p_lo += pfirst.start() - p_lo + 1      # "(Jane Roe, who …, once said, “…”)"
                    pfirst = _TOKEN.search(par, p_lo, p_hi)
                if (pfirst.group()[0].isupper() or pfirst.group().lower() in lex.pronouns) \
                        and not _more_words_than(par, p_lo, p_hi, 8) and _name_like(par, p_lo, p_hi, lex) \
                        and not state(p_lo, p_hi):
                    choice = (p_lo, p_hi)
                    break
                if j == 0 and relative and pfirst.group()[0].isupper() and pfirst.group().lower() in lex.determiners \
                        and not _more_words_than(par, p_lo, p_hi, 6) and _plausible_subject(par[p_lo:p_hi], lex):
                    choice = (p_lo, p_hi)       # "One attendee, who …, said": a role phrase opening the sentence
                    break
                w = pfirst.group().lower()
                if strong and w[0].islower() and _looks_appositive(pfirst.group(), lex) and j > 0 \
                        and not _more_words_than(par, p_lo, p_hi, 8):
                    # "Jane Roe, head of Acme, a software firm, said": a role appositive right after
                    # the name, then one on its organisation
                    n_lo, n_hi = seg(j - 1)
                    nfirst = _TOKEN.search(par, n_lo, n_hi)
                    if nfirst is not None and nfirst.group()[0].isupper() and \
                            not _more_words_than(par, n_lo, n_hi, 8) and _name_like(par, n_lo, n_hi, lex) \
                            and not state(n_lo, n_hi):
                        choice = (n_lo, n_hi)
                        break
                if not strong or not (w in ("who", "which", "whose") or w in lex.determiners or w in _APPOSITIVE_PREPS
                        or w[0].isdigit() or state(p_lo, p_hi) or (w.endswith("ing") and w.isalpha())
                        or (w in lex.leading and not _more_words_than(par, p_lo, p_hi, 1))):
                    break             # "…, then we …, rather than …": a clause, not an appositive
                j -= 1
                hops += 1
    if choice is None:
        return None
    s_lo, s_hi = choice
    dash = max(par.rfind(" -- ", s_lo, s_hi), par.rfind(" — ", s_lo, s_hi), par.rfind(" – ", s_lo, s_hi))
    after_dash = _NAME_START.search(par, dash, s_hi) if dash >= 0 else None
    if after_dash is not None and after_dash.group().isupper():
        s_lo = dash + 3           # "… a formal speech -- complete with teleprompter -- Jane Roe told"
    while s_lo < s_hi and not par[s_lo].isalnum():
        s_lo += 1
    while s_hi > s_lo and not (par[s_hi - 1].isalnum() or par[s_hi - 1] in ".’'"):
        s_hi -= 1
    while True:
        m = _LEADING_WORD.match(par, s_lo, s_hi)
        if m and (m.group(1).lower() in lex.leading or m.group(1).lower() in _CLAUSE_OPENERS
                  # "even a top strategist", not "Right Wing Watch"
                  or m.group(1).lower() in _FOCUS_ADVERBS and par[m.end():m.end() + 1].islower()) and m.end() < s_hi \
                and not _SHARE_SUBJECT.match(par, s_lo, s_hi):      # "As many as half of them": a share
            s_lo = m.end()
            continue
        break
    if _AND_END.search(par, max(s_lo, s_hi - 6), s_hi):
        # "(When) the mayor spoke of the flood and said …": the subject before the first verb of the
        # coordination, not the whole first conjunct
        head_end = _coordinated_subject_end(par, s_lo, s_hi, lex)
        if head_end is not None:
            s_hi = head_end
    copular = None
    for copular in _COPULA_THAT.finditer(par, max(s_lo, s_hi - 160), s_hi):
        pass
    if copular is not None and copular.end() < s_hi:
        s_lo = copular.end()    # "The good news is that most voters said …": the subject after "is that"
    first_word = _TOKEN.search(par, s_lo, s_hi)
    # "even as Jane Roe", "Even as Jane Roe", "Roe's move is notable because House Speaker Ivan Petrov": the
    # name after a subordinator ("and", "but", "as" only after a lower-case or focusing word)
    opener = first_word is not None and (first_word.group()[0].islower()
                                         or first_word.group().lower() in _FOCUS_ADVERBS)
    if opener or _more_words_than(par, s_lo, s_hi, 5):
        for m in _SUBORDINATE_NAME.finditer(par, s_lo, s_hi):
            if opener or m.group(0).split()[0] not in ("and", "but", "as"):
                s_lo = m.start(1)
                break
    rel = _RELATIVE_WHO.search(par, s_lo, min(s_hi, s_lo + 80))
    if rel is not None and rel.start() > s_lo and par[s_lo:s_lo + 1].isupper() \
            and not _more_words_than(par, s_lo, rel.start(), 6) and not _CLAUSE_BREAK.search(par, rel.start(), s_hi) \
            and not any(w.islower() and (w.endswith("ed") or w in lex.auxiliaries) for w in par[s_lo:rel.start()].split()):
        # "A Lyon baker who gave only her first name said", "Many of the leaders who … said": the head
        # before a restrictive relative clause (its verbs are the clause's, not the speaker's)
        s_hi = rel.start()
    joined = _subject_after_report(par, s_lo, s_hi, lex, verb_starts)
    if joined is not None:
        s_lo = joined           # "The mayor said the plan failed and the council said …": the second report's own subject
    if _more_words_than(par, s_lo, s_hi, MAX_SUBJECT_WORDS):
        # "engineers Ilse Brannigan and Tomas Varga of Oslo's Institute for Coastal Studies and …": the head.
        # Only a preposition within the first MAX_SUBJECT_WORDS + 1 words can leave a short enough head.
        pp_hi = s_hi
        if s_hi - s_lo > LONG_STRETCH:
            pp_hi = min(s_hi, _first_words(par, s_lo, s_hi, MAX_SUBJECT_WORDS + 1)[-1].end() + 1)
        m = _SUBJECT_PP.search(par, s_lo, pp_hi)
        if m and _words(par[s_lo:m.start()]) >= 2 and re.search(r"\b[A-Z][a-z]+\s+[A-Z]", par[s_lo:m.start()]):
            s_hi = m.start()
        if s_hi > s_lo and _more_words_than(par, s_lo, s_hi, MAX_SUBJECT_WORDS):
            # "… grew so heated that Gov. Jane Roe said": the subject after the last word opening a clause
            # (searched in the last MAX_SUBJECT_WORDS + 1 words only)
            t_lo = _tail_start(par, s_lo, s_hi, MAX_SUBJECT_WORDS + 1)
            last = None
            for m in _SUBORDINATOR.finditer(par, t_lo, s_hi):
                last = m
            if last is not None and (par[last.end():last.end() + 1].isupper()
                                     or _ROLE_NAME.fullmatch(par, last.end(), s_hi)):
                s_lo = last.end()
        if s_hi <= s_lo or _more_words_than(par, s_lo, s_hi, MAX_SUBJECT_WORDS):
            return None
    elif s_hi <= s_lo:
        return None
    orel = _OBJECT_RELATIVE_TAIL.search(par, s_lo, s_hi) if s_hi - s_lo < LONG_STRETCH else None
    if orel is not None:
        s_lo = orel.start(1)    # "Pine Cove is the spot Harbour officials say …": the relative's own subject
    if verb_starts is not None:
        k = bisect.bisect_left(verb_starts, s_lo)
        if k < len(verb_starts) and verb_starts[k] < s_hi:
            return None       # a phrase with a reporting verb of its own is no subject
    elif lex.find_verbs(par[s_lo:s_hi]):
        return None
    if not _plausible_subject(par[s_lo:s_hi], lex) and not _bare_plural_subject(par, s_lo, s_hi, lex):
        return None
    return s_lo, s_hi


# a conjunction after an earlier report, then a short noun phrase: the next report's subject
_REPORT_THEN_JOIN = re.compile(r"\s(?:and|but|while|whereas)\s+(?=(\S+)\s)")


def _subject_after_report(par: str, lo: int, hi: int, lex: QuoteLexicon,
                          verb_starts: list[int] | None) -> int | None:
    """Start of a short subject after "and"/"but"/"while" that follows a reporting verb inside [lo, hi)
    ("the mayor said the plan failed and the council"), or None."""
    if verb_starts is not None:
        j = bisect.bisect_left(verb_starts, hi) - 1       # the last verb before hi, if it is at lo or after
        if j < 0 or verb_starts[j] < lo:
            return None
        last_end = _TOKEN.match(par, verb_starts[j]).end()
    else:
        verbs = lex.find_verbs(par[lo:hi])
        if not verbs:
            return None
        last_end = lo + verbs[-1].end()
    join = None
    for join in _REPORT_THEN_JOIN.finditer(par, last_end, hi):
        pass
    if join is None or _more_words_than(par, join.end(), hi, 4):
        return None
    first = join.group(1)
    if not (first[:1].isupper() or first.lower() in lex.determiners or _SHARE_SUBJECT.match(par, join.end(), hi)):
        return None     # "… said the plan failed and cost …": no noun phrase opens after the conjunction
    return join.end()


_LEADING_WORD = re.compile(r"([A-Za-z]+)\b[\s,]*")
_OBJECT_RELATIVE_BEFORE = re.compile(r"\b(?:is|was|are|were)\b[^,;]*?\b(?:the|a|an)\s+[a-z]+\s+$")
# a clause ("… is now the place") ending in an object relative's subject before the verb ("… Harbour officials")
_OBJECT_RELATIVE_TAIL = re.compile(r"\b(?:is|was|are|were)\b[^,;]*?\b(?:the|a|an)\s+[a-z]+\s+"
                                   r"((?:[A-Z][\w'’.-]*\s+){0,3}(?:[A-Z][\w'’.-]*|[a-z]+s))\s*$")
_FOCUS_ADVERBS = {"even", "just", "only", "still", "right"}    # "Even as Jane Roe …", "Just before Jane Roe …"
_COPULA_THAT = re.compile(r"\b(?:is|was|are|were)\s+that\s+")
_COPULA_THAT_END = re.compile(r"\b(?:is|was|are|were)\s+that\s+$")
_SUBORDINATE_NAME = re.compile(r"\b(?:" + "|".join(sorted(_CLAUSE_OPENERS)) + r")\s+((?:[a-z]+\s+){0,2}[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*$)")
# "with Sen. Jane Roe " right before a participle: its subject
_WITH_NAME = re.compile(r"\bwith\s+((?:[A-Z][\w'’.-]*\s+){0,4}?[A-Z][\w'’-]*)\s+(?:[a-z]+ly\s+)?$")
# a line that signs the quote before it: "— Jane Roe." / "- Sen. Ivan Petrov"
# a signature line whose dash the reader took as a list bullet: a name alone ("Jane Roe.")
_BARE_SIGNATURE = re.compile(r"\s*((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’-]*)\.?\s*")
_SIGNATURE = re.compile(r"\s*[-—–]{1,2}\s*((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’-]*)(?:,[^\n.!?]{1,80})?\.?\s*")


_TITLE_BEFORE = re.compile(
    r"(?:\b(?:on|in|of|at|for|with|to|told|titled|entitled|named|book|show|program|programme|film|movie|play|series|song|"
    r"album|novel|column|headline|documentary|newsletter|podcast|campaign)|['’]s"
    r"|\b(?!(?:it|him|her|them|he|she|they|we|i|you|and|has|had|was|were|is|are|have)\b)[a-z]+\s+"
    r"(?:called|named|dubbed|nicknamed|known\s+as))$")
_MENTION_BEFORE = re.compile(r"\b(?:phrase|word|words|term|terms|slogan|hashtag|label|motto|nickname|catchphrase|"
                             r"expression|acronym|moniker|chant)$", re.I)

# a time phrase ("that morning", "last year"): no speaker, and an introductory phrase after a leading word
_TIME_PHRASE = (r"(?:that|this|last|next|one|the\s+next|the\s+same)\s+(?:morning|afternoon|evening|night|day"
                r"|week|weekend|month|year|spring|summer|fall|autumn|winter|time)")
# an introductory phrase before the subject: "On Sunday, …", "In Salem, …", "But that morning, …"
_INTRO_CLAUSE = re.compile(r"\s*(?:(?:[A-Z][a-z]+|In|On|At|During|After|Before|" + _TIME_PHRASE
                           + r")\b[^,]{0,40},\s*)?")
_TIME_SUBJECT = re.compile(_TIME_PHRASE + r"$", re.I)
_CLAUSE_NAME = re.compile(r"(?:,\s+(?:while|whereas|but|and)|;)\s+((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)"
                          r"(?=,|\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b)")
_NAME_VERB = re.compile(r"(?<![\w'’.-])((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)\s+(?:[a-z]+ly\s+)?([a-z]{2,}(?:ed|s))\b")
_WORD_BEFORE = re.compile(r"([a-z]+)\s+$")
# "-s"/"-ed" words after a name that are no verb of its own clause ("Jane Roe's plan was …", "Roe was named …")
_AUXILIARIES = {"was", "is", "has", "does", "says", "its", "his", "this", "as", "us", "yes", "less", "plus",
                "needed", "used", "based", "named", "called", "asked", "seemed", "appeared"}
# a clause boundary between an earlier verb and a later subject: ", and", "; ", ", while", "and"
_CLAUSE_START = re.compile(r"(?:[,;]\s*(?:and|but|while|whereas|as|when|(?:to|at|after|upon|in|on|for|with)\s+(?:which|whom))?"
                           r"|\s(?:and|but|while|whereas|when))\s+\S*$|\(\s*$")
_GO_ON_TO = re.compile(r"(?:go|goes|going|went)\s+on\s+to\b")     # "went on to praise …": what followed, no speech
_SHORT_ORG = re.compile(r"(?:[Tt]he\s+)?([A-Z][a-z]+)")
_UNLISTED_REPORT = re.compile(r"[\s,]*((?:(?:an?|the)\s+[a-z]+\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*|he|she)"
                             r"\s+([a-z]{3,}ed)\b")
_UNLISTED_INVERSION = re.compile(r"[\s,]*([a-z]{3,}ed)(?=\s+[A-Z])")
# "harbour master Jane Roe", "Gov. Jane Roe": a few role words, then only capitalised words
_ROLE_NAME = re.compile(r"(?:[a-z][\w'’-]*\s+){0,3}[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*")
_SUBORDINATOR = re.compile(r"(?:\b(?:that|when|where|while|because|after|before)|[:;—–])\s+")
# a word between two names that makes the phrase a clause, not a name with its titles or roles
_CLAUSE_WORD = re.compile(r"\b(?:[a-z]+ed|was|is|has|had|with|and|who|which|to|by)\b")
_ROLE_SUBJECT = re.compile(r"((?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w'’-]+\s+){0,3}?([a-z]+)"
                           r"(?:\s+(?:for|of|at|inside|with|from|in)\s+(?:the\s+)?[A-Z][\w'’.-]*"
                           r"(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*)?)"
                           r"(?=,?\s+(?:(?:[a-z]+ly|later|also|then|again|earlier|now|still)\s+)?(?:[a-z]+ed|[a-z]+s|has|had|was|is|did|will|would)\b)")
_PREP_BEFORE = re.compile(r"\b(?:for|of|at|from|with|inside|in|to)\s+(?:the\s+|(?:Mr|Mrs|Ms|Dr)\.\s+)?$")
# a role phrase's prepositional tail ("an expert on Peru at the Harbour Institute"): what the role deals with too
_TAIL_PREP_BEFORE = re.compile(r"\b(?:for|of|at|from|with|inside|in|to|on|about|over|against)\s+"
                               r"(?:the\s+|(?:Mr|Mrs|Ms|Dr)\.\s+)?$")
_WORD_CHAR = re.compile(r"\w")
_NAME_START = re.compile(r"[^\W\d_]")
_SHORT_COMMA_SEGMENT = re.compile(r"([^,;:“”\"]{1,30}?),\s+")
_SUBJECT_PRONOUN = re.compile(r"(he|she|they|we|i)\b", re.I)
# "WASHINGTON (Reuters) - ", "Beijing, March 3 (Xinhua) -- ", "BEIJING — " opening a paragraph
_DATELINE = re.compile(r"\s*[A-Z][A-Za-z .,'\d]{0,40}?(?:\s*\([A-Za-z .]+\))?\s*(?:[—–]|-{1,2})\s+")
# the same in capitals only ("OSLO (Harbour News) — "): cut from reported words, where "The plan — " must stay
_CAPS_DATELINE = re.compile(r"\s*[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?"
                            r"(?:\s*\([A-Za-z .]+\))?\s*(?:[—–]|-{1,2})\s+")
# a name and a relative "who" right before the verb ("…, Tom Vale, who said he …")
_WHO_TAIL = r",\s+who\s+(?:also\s+|later\s+|then\s+)?"
_NAME_THEN_WHO = re.compile(r"\b([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,4})" + _WHO_TAIL + "$")
_WHO_BETWEEN = re.compile(_WHO_TAIL)
# a share of a group ("Sixty per cent of respondents", "Half of those surveyed", "Nine in 10", "62 percent of …",
# "one in five", "three out of 10 voters"), also approximated ("About half of …", "More than 40 percent …")
_SMALL_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
_SHARE_SUBJECT = re.compile(r"(?i)(?:(?:about|nearly|almost|roughly|around|approximately|just|only|more\s+than|fewer\s+than|"
                            r"less\s+than|over|under|close\s+to|as\s+many\s+as|as\s+few\s+as|at\s+least|at\s+most)\s+)*"
                            r"(?:(?:a\s+dozen|dozens|hundreds|thousands|a\s+handful|scores)\s+(?:of\s+)?(?=[a-z])|"
                            r"(?:\d[\d.,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?|half|"
                            r"one|two|three|four|five|six|seven|eight|nine|ten|a\s+(?:third|quarter|fifth)|"
                            r"(?:one|two|three|four)-(?:thirds?|quarters?|fourths?|fifths?))\s*(?:%|percent\b|per cent\b|in\s+" + _SMALL_NUMBER + r"\b|out\s+of\s+"
                            + _SMALL_NUMBER + r"\b|of\b))")
# a quantifier alone opening the sentence as its subject ("Some said", "But many say", "Another wrote")
_QUANTIFIER_SUBJECT = re.compile(r"\s*(?:(?:But|And|Yet|Still|[Bb]ut|[Aa]nd),?\s+)?"
                                 r"((?:[Ss]ome|[Mm]any|[Mm]ost|[Oo]thers|[Ss]everal|[Aa] few|[Aa]nother|[Oo]ne)(?: of them)?)\s*$")
_PRON_END = re.compile(r"(?<![\w'’-])(he|she|they|we|I|He|She|They|We)\s+$")
_REL_SUBJECT = re.compile(r"\b(?:which|that|whom|what)\s+((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*"
                          r"|(?:the|a|an|one|some)\s+[a-z]+(?:\s+[a-z]+){0,2})\s*$")
_SUBJECT_PP = re.compile(r"\s(?:of|at|from|for|with|in)\s")

_CONJUNCTIONS = {"and", "or", "but", "nor", "yet"}
_INDEFINITES = {"a", "an", "one", "another", "some", "several", "many", "two", "three"}
# a role phrase whose person comes after a preposition ("a spokesperson for Roe", "an aide to Mr. Roe")
_ROLE_THEN_PREP = re.compile(r"(?i)(?:a|an|the|one|another|two|three|some|several)\s+(?:[\w'’-]+\s+){0,4}?([\w'’-]+)\s+"
                             r"(?:for|to|of|with|at|from|close\s+to)\s+(?:(?:the|Mr\.|Mrs\.|Ms\.|Dr\.)\s+)?$")


def _role_then_prep(before: str, lex: QuoteLexicon) -> bool:
    """Whether the words before a name inside a speaker phrase are a role and a preposition ("a
    spokesperson for", "an aide to Mr."): the name is whom the speaker works for, not the speaker."""
    m = _ROLE_THEN_PREP.match(before)
    if m is None:
        return False
    head = m.group(1).lower()
    return head in lex.role_nouns or categorize(head, "", "", lex) != UNKNOWN


# ", a Texas Republican," / ", the company's chief executive,": an appositive right after a name
_APPOSITIVE_AFTER = re.compile(r",\s+((?:a|an|the)\s+[^,.;:“”\"()]{1,60}?)\s*[,.;]")
_MONEY = re.compile(r"[$€£¥]\s?\d")
_HEAD_BEFORE_PREP = re.compile(r"(?:\S+\s+){0,2}?([a-z]+)\s+(?:of|at|from|in|for|with|on)\s")
# words opening a phrase after a verb that is no inverted subject ("said just after noon", "said shortly")
_AFTER_VERB_ADVERBS = {"just", "later", "earlier", "then", "today", "yesterday", "tonight", "tomorrow", "last", "next",
                       "this", "once", "again", "also", "afterward", "afterwards", "here", "there", "so", "not"}
_ADVERBIAL = {"in", "on", "at", "during", "after", "before", "since", "when", "while", "if", "as", "although",
              "though", "because", "with", "without", "for", "from", "by", "to", "of", "about", "under", "over",
              "today", "yesterday", "tonight", "alongside", "amid", "amidst", "despite", "unlike", "besides",
              "throughout", "upon", "toward", "towards", "among", "against", "via"}
_WH_WORDS = {"what", "why", "how", "whether", "where"}    # "What do you think of Roe saying …": a question, no speaker


# closed-class words ending in "s" that are no plural noun
_S_FUNCTION_WORDS = {"this", "his", "its", "hers", "ours", "yours", "theirs", "was", "has", "does", "is", "us", "yes",
                     "unless", "plus", "thus", "perhaps", "sometimes", "always", "besides", "nevertheless",
                     "nonetheless", "regardless", "towards", "afterwards", "whereas", "across", "overseas", "whereabouts"}


def _plural_noun(word: str, lex: QuoteLexicon) -> bool:
    """A lower-case word shaped like a plural noun ("donors", "polls", "filings"): it ends in "s" but not
    like a singular ("-ss", "-us", "-is") or an adjective ("-ous"), and is no verb form or function word."""
    return len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")) \
        and word not in _S_FUNCTION_WORDS and word not in lex.verb_forms and word not in lex.auxiliaries


_AND_END = re.compile(r"\s(?:and|but)\s*$")
_PRE_VERB_ADVERBS = {"later", "also", "then", "again", "first", "quickly", "recently", "often", "never", "once"}


def _coordinated_subject_end(par: str, lo: int, hi: int, lex: QuoteLexicon) -> int | None:
    """End of the subject of a coordination ending at ``hi`` ("the mayor later spoke of the flood and"): right
    before its first verb (past adverbs before it), when a subject of one to six words stands there."""
    words = list(_TOKEN.finditer(par, lo, hi))
    for k, w in enumerate(words[:8]):
        t = w.group().lower().strip(",")
        if k and w.group()[:1].islower() and (t in lex.past_tense or t in lex.auxiliaries or t in lex.verb_forms
                                              or (len(t) > 4 and t.endswith("ed"))):
            j = k
            while j > 1 and (words[j - 1].group().lower() in _PRE_VERB_ADVERBS or words[j - 1].group().endswith("ly")):
                j -= 1
            return words[j - 1].end()
    return None


_WITH_GROUP = re.compile(r"\bwith\s+([^,;:“”\"()]{1,50}?)\s+$")
_WHO_END = re.compile(r"(?<=[\w'’])\s+who\s+(?:also\s+|later\s+|then\s+)?$")
_HEAD_WORD = re.compile(r"([\w'’.-]+)\s*$")
_HEAD_STOPS = {"and", "or", "but", "nor", "than", "as", "like", "about", "among", "including"}


def _relative_head(par: str, lo: int, hi: int, lex: QuoteLexicon) -> tuple[int, int] | None:
    """The noun phrase a restrictive "who" clause ending at ``hi`` is on ("… business leaders who say",
    "another 12 percent who say", "farmers who said"): up to five words back from "who", to a determiner
    (kept) or past none of a preposition, a conjunction, a verb or punctuation; None unless it is a group
    (a plural or a share) or a role."""
    m = _WHO_END.search(par, lo, hi)
    if m is None:
        return None
    end, start, n = m.start(), m.start(), 0
    while n < 5:
        w = _HEAD_WORD.search(par, lo, start)
        if w is None:
            break
        word = w.group(1)
        low = word.lower()
        if low in _PREPOSITIONS or low in _HEAD_STOPS or low in lex.verb_forms or low in lex.auxiliaries \
                or low in lex.pronouns or low in lex.past_tense or (word.islower() and low.endswith(("ed", "ing"))) \
                or not word[-1:].isalnum():
            break
        start, n = w.start(1), n + 1
        if low in lex.determiners or low in ("another", "other"):
            break
    if n == 0:
        return None
    head = par[start:end].split()[-1].lower()
    if head in lex.role_nouns or _plural_noun(head, lex) or any(
            _SHARE_SUBJECT.match(par, w.start(), end) for w in _TOKEN.finditer(par, start, end)):
        return start, end
    return None


def _bare_plural_subject(par: str, lo: int, hi: int, lex: QuoteLexicon) -> bool:
    """One or two lower-case words ending in a plural noun, after a comma or at a sentence start ("…, donors
    said", "…, exit polls show"): a group or a source even where no lexicon lists the noun (after a quotation
    mark the noun is the quoted words' head: "“poison pill” measures")."""
    words = par[lo:hi].split()
    if not 1 <= len(words) <= 2 or not all(w.isalpha() and w.islower() for w in words):
        return False
    if not _plural_noun(words[-1], lex) or (len(words) == 2 and (words[0] in lex.verb_forms or words[0] in _ADVERBIAL
                                                                 or words[0] in _CONJUNCTIONS)):
        return False
    before = _last_nonspace(par, 0, lo)
    return before < 0 or par[before] in ",.!?"


def _plausible_subject(np: str, lex: QuoteLexicon) -> bool:
    """A speaker phrase: a name, a pronoun alone, or a role phrase ("the executive", "officials")."""
    words = np.split()
    if not words:
        return False
    first = words[0].strip("“”\"'(").lower()
    for m in re.finditer(r"([\w.]*)[.!?]\s+[A-Z]", np):
        w = m.group(1)
        if not (w in lex.abbreviations or (len(w) == 1 and w.isupper()) or "." in w):
            return False
    if first in lex.pronouns:
        return len(words) == 1
    if _SHARE_SUBJECT.match(np):
        return True           # "About a third of voters", "One in five": a share of a group, whatever its first word
    if _TIME_SUBJECT.match(np.strip(" ,")):
        return False          # "But that morning, a crowd …, calling for": a time, not a speaker
    if len(words) == 1 and words[0].endswith(".") and words[0].rstrip(".") in lex.regions:
        return False          # "… in Carson, Calif., highlighting": a state's abbreviation
    if first in _ADVERBIAL or first in _CONJUNCTIONS or first in _WH_WORDS \
            or (first in lex.not_names_lower and first not in lex.determiners):
        return False
    last = re.sub(r"(?:'s|’s)$", "", words[-1].strip(",.").lower())
    if last in _ADVERBIAL or last in lex.determiners:
        return False
    if len(words) == 1 and words[0][0].isupper() and words[0].endswith("ing") and first in lex.verb_forms:
        return False      # "Saying", "Adding": a sentence-initial participle (not_names has others), not a name
    if words[0][0].islower() and first not in lex.determiners:
        # "former Mayor Orla Fenwick speechwriter Tomas Varga", "columnist Nadia Dorrance", "officials",
        # "federal prosecutors" (a plural with a speaker category, data/quotes/categories.txt; a singular
        # without a determiner is a fragment: "… the campaign")
        # the head before a prepositional tail: "members of the board", "residents in the valley"
        pm = _HEAD_BEFORE_PREP.match(np)
        head = pm.group(1).lower() if pm else last
        group = head.endswith("s") and categorize(head, "", "", lex) != UNKNOWN
        return ((head in lex.role_nouns or group) and len(words) <= (7 if pm else 4)) or words[-1][:1].isupper()
    return True


_NP_CUT = re.compile(r",|;|\s[—–-]\s|\s\(|\s(?:who|whose|which|that)\s")
_NP_CUT_AT = re.compile(r"(?=" + _NP_CUT.pattern + ")")
_SPACES = re.compile(r"\s*")


_TITLE_VERB = re.compile(r"(?<=\s)(?:Says|Say|Said|Tells|Told|Warns|Warned|Claims|Claimed|Insists|Insisted)(?=\s)")
_HEADLINE_LEMMAS = {"say", "tell", "warn", "claim", "insist"}
_GLUED_CLOCK = re.compile(r"\d{1,2}\s*(?:[AaPp]\.?[Mm]\.?)\s*(?=[A-Z])")
_HEADLINE_WORD = re.compile(r"[A-Za-z’'][\w’'-]{3,}")


def _headline_case(par: str) -> bool:
    """A one-line paragraph of at most 25 words, four in five of its words of four letters or more
    capitalised: a headline in title case."""
    if "\n" in par.strip() or _more_words_than(par, 0, len(par), 25):
        return False
    words = _HEADLINE_WORD.findall(par)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


_MAX_SOURCE_WORDS = 20
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]|\b(?:Jr|Sr|Inc|Co|Corp|Ltd))\.$")


def _phrase_end(par: str, lo: int, hi: int) -> int:
    """End of a phrase ``par[lo:hi]`` without trailing punctuation and without a sentence's full stop (an
    initial's or an abbreviation's stays: "Jane M.", "Acme Corp.")."""
    while hi > lo and not (par[hi - 1].isalnum() or par[hi - 1] in ".’'"):
        hi -= 1
    if hi > lo and par[hi - 1] == "." and not _ABBREVIATION_END.search(par[lo:hi]):
        hi -= 1
    return hi
# an appositive or a relative clause on an "according to" source: ", which tracks …", ", a think tank"
_SOURCE_APPOSITIVE = re.compile(r"\s*,\s*(?:which|who|whose|where|a|an)\b|\s*\(")


def _according_source(par: str, lo: int, hi: int, lex: QuoteLexicon) -> tuple[int, int] | None:
    """The source after "according to" at ``lo``: a name, an outlet, a document or a group, up to a comma,
    a dash, a bracket or a relative pronoun ("the summary", "early returns", "a report from the Harbour
    Institute", "Bloomberg"); None for a manner phrase ("according to plan") or too long a phrase."""
    s_lo = _SPACES.match(par, lo, hi).end()
    m = _NP_CUT.search(par, s_lo, hi)
    s_hi = _phrase_end(par, s_lo, m.start() if m else hi)
    if s_hi <= s_lo or _more_words_than(par, s_lo, s_hi, _MAX_SOURCE_WORDS):
        return None
    ws = par[s_lo:s_hi].split()
    w0 = ws[0].lower()
    if w0 in _ADVERBIAL or (len(ws) == 1 and ws[0].islower() and not _plural_noun(w0, lex)):
        return None         # "according to plan", "according to schedule"
    return s_lo, s_hi


def _np_after(par: str, lo: int, hi: int, lex: QuoteLexicon | None = None,
              index: "_ParIndex | None" = None) -> tuple[int, int] | None:
    """The phrase right after an inverted verb ("…,” said Lena Halvorsen, a senior executive …).

    ``index``: the paragraph's _ParIndex; over a long stretch its list of cut points gives the phrase's
    end without reading to ``hi``.
    """
    if hi <= lo:
        return None
    cuts = index.np_cuts if index is not None and hi - lo > LONG_STRETCH else None
    s_lo = _SPACES.match(par, lo, hi).end()
    # the phrase ends at the first _NP_CUT or at the end: re.search(_NP_CUT.pattern + "|$", par[s_lo:hi])
    end = hi - 1 if hi - 1 >= s_lo and par[hi - 1] == "\n" else hi
    if cuts is None:
        m = _NP_CUT.search(par, s_lo, hi)
        cut = min(m.start(), end) if m else end
    else:
        cut = end
        for m in _finditer_from(_NP_CUT, cuts, par, s_lo, hi):
            cut = min(m.start(), end)
            break
    s_hi = _phrase_end(par, s_lo, cut)
    if s_hi <= s_lo or _more_words_than(par, s_lo, s_hi, MAX_SUBJECT_WORDS):
        return None
    ws = par[s_lo:s_hi].split()
    w0 = ws[0].lower()
    if _MONEY.search(par, s_lo, s_hi):
        return None           # "…,” the club charged a $100,000 fee: an object, no inverted subject
    if w0 in _ADVERBIAL or w0 in _AFTER_VERB_ADVERBS or (w0.endswith("ly") and ws[0].islower() and len(w0) > 4) \
            or (lex is not None and ws[0].rstrip(".,") in lex.not_names and w0 not in lex.determiners):
        # "…,” Jane Roe said on Tuesday / just after noon on Radio Nord / of the plan": no inverted subject
        return None
    role = lex is not None and any(w.lower().strip(",.") in lex.role_nouns for w in ws[:3])
    det = w0 in _ARTICLES_AFTER_VERB
    if not (par[s_lo].isupper() or det or (ws[-1][:1].isupper() and len(ws) <= 8) or role):
        return None
    if lex is not None and (det or par[s_lo].islower()) and cut < hi and par[cut] == ",":
        # "…,” said the group's director, Jane Roe, on Monday: the name in apposition to the role
        name = _appositive_name(par, cut + 1, hi, lex)
        if name is not None:
            return name
    return s_lo, s_hi


# determiners opening an inverted subject ("said one aide", "said another official"); "that", "this",
# "her" … open the verb's object or clause instead ("noting that …", "said her plan …")
_ARTICLES_AFTER_VERB = {"the", "a", "an", "one", "another", "some", "several", "many", "two", "three", "four", "both",
                        "each"}
_APPOSITIVE_NAME_END = re.compile(r"\s*(?:$|[,.;:)]|\s(?:of|at|from|with|in|on|who)\s)")


def _appositive_name(par: str, lo: int, hi: int, lex: QuoteLexicon) -> tuple[int, int] | None:
    """A person's name of two or more words right at ``lo`` (after a comma's space) that ends the
    phrase: "…, Jane Roe, …", "…, Jane Roe of Acme."; None otherwise."""
    p = _SPACES.match(par, lo, hi).end()
    run = first_cap_run(par, p, hi, at_lo=True)
    if run is None:
        return None
    toks, _ = clean_run(run, lex)
    if len(toks) < 2 or any(t.text.rstrip(".") in lex.org_words for t in toks):
        return None
    end = run[-1].end
    if not _APPOSITIVE_NAME_END.match(par, end - 1 if par[end - 1] == "." else end, hi):
        return None
    return run[0].start, (end - 1 if par[end - 1] == "." and not _abbrev(run[-1].text) else end)


_CHAN_AFTER_TOLD = re.compile(r"\s*(?:the\s+)?(?=[A-Z])")
_CHAN_PREP = re.compile(r"\b(?:in an? (?:\w+ )?interview with|in an? (?:\w+ )?interview on|to|on|in|with|via)\s+(?:the\s+)?(?=[A-Z])")


def _run_at(par: str, pos: int, hi: int) -> str:
    run = first_cap_run(par, pos, hi, at_lo=True)
    if run is None:
        return ""
    return POSSESSIVE.sub("", par[run[0].start:run[-1].end]).rstrip(".,")


def find_channel(par: str, cue: str, verb_end: int, lo: int, hi: int, lex: QuoteLexicon,
                 index: "_ParIndex | None" = None) -> str:
    """The outlet words were given to ("told the Osaka Herald") or taken from ("according to TASS").

    ``index``: the paragraph's _ParIndex, which remembers the answers for a sentence (many verbs of one
    long sentence would otherwise each read it to its end)."""
    if cue.startswith("tell") or cue == "told":
        m = _CHAN_AFTER_TOLD.match(par, verb_end, hi)
        if m:
            name = _run_at(par, m.end(), hi)
            toks = name.split()
            if name and not (toks[0].rstrip(".").lower() in lex.titles):
                return name
    if index is not None and hi - lo > LONG_STRETCH:
        return index.according_channel(lo, hi, lex) or index.prep_channel(verb_end, hi, lex)
    for m in _ACCORDING.finditer(par, lo, hi):
        name = _according_name(par, m, hi)
        if name and is_mediaish(name, lex):
            return name
    for m in _CHAN_PREP.finditer(par, verb_end, hi):
        name = _run_at(par, m.end(), hi)
        if name and is_mediaish(name, lex):
            return name
    return ""


def _according_name(par: str, m: re.Match, hi: int) -> str:
    p = m.end()
    if par.startswith("the ", p):
        p += 4
    return _run_at(par, p, hi)


_CHAN_PREP_AT = re.compile(r"(?=" + _CHAN_PREP.pattern + ")")


class _ParIndex:
    """Offsets in one paragraph found once (commas, where a phrase after a verb can end, channel cues),
    and find_channel's answers, so that per-verb look-ups bisect instead of re-reading the sentence."""

    def __init__(self, par: str, spans: list):
        self.par = par
        self.spans = spans          # in reading order, not overlapping (marks.find_spans)
        self._according_answers: dict[tuple[int, int], str] = {}
        self._prep_answers: dict[int, dict[int, str]] = {}

    @cached_property
    def span_starts(self) -> list[int]:
        return [sp.start for sp in self.spans]

    @cached_property
    def span_ends(self) -> list[int]:
        return [sp.end for sp in self.spans]

    @cached_property
    def span_opens(self) -> list[int]:
        return [sp.open for sp in self.spans]

    @cached_property
    def span_closes(self) -> list[int]:
        return [sp.close for sp in self.spans]

    def in_span(self, i: int) -> bool:
        """Offset ``i`` is inside a quote span: any(s.start <= i < s.end for s in spans)."""
        if not self.spans:
            return False
        k = bisect.bisect_right(self.span_starts, i) - 1
        return k >= 0 and i < self.span_ends[k]

    @cached_property
    def commas(self) -> list[int]:
        return [m.start() for m in _COMMA.finditer(self.par)]

    @cached_property
    def np_cuts(self) -> list[int]:
        return _positions(_NP_CUT_AT, self.par)

    @cached_property
    def new_clauses(self) -> list[int]:
        # (a match starts at a comma, so two cannot overlap: finditer finds every one)
        return [m.start() for m in _NEW_MAIN_CLAUSE.finditer(self.par)]

    @cached_property
    def according(self) -> list[int]:
        # (two matches of _ACCORDING cannot overlap, so finditer finds every one)
        return [m.start() for m in _ACCORDING.finditer(self.par)]

    @cached_property
    def chan_prep(self) -> list[int]:
        return _positions(_CHAN_PREP_AT, self.par)

    def according_channel(self, lo: int, hi: int, lex: QuoteLexicon) -> str:
        """The first outlet named by "according to" in par[lo:hi] (find_channel's second loop)."""
        key = (lo, hi)
        name = self._according_answers.get(key)
        if name is None:
            name = ""
            for m in _finditer_from(_ACCORDING, self.according, self.par, lo, hi):
                found = _according_name(self.par, m, hi)
                if found and is_mediaish(found, lex):
                    name = found
                    break
            self._according_answers[key] = name
        return name

    def prep_channel(self, pos: int, hi: int, lex: QuoteLexicon) -> str:
        """The first outlet after a preposition in par[pos:hi] (find_channel's third loop).

        finditer from ``pos`` runs from its first match on as it would from that match's start, so the
        answer is remembered per match start (for this ``hi``) and each match is read once."""
        par, starts = self.par, self.chan_prep
        memo = self._prep_answers.setdefault(hi, {})
        path: list[int] = []
        name = ""
        k = bisect.bisect_left(starts, pos)
        while True:
            m = None
            while k < len(starts) and starts[k] < hi:
                m = _CHAN_PREP.match(par, starts[k], hi)
                if m is not None:
                    break
                k += 1
            if m is None:
                break
            if m.start() in memo:
                name = memo[m.start()]
                break
            path.append(m.start())
            found = _run_at(par, m.end(), hi)
            if found and is_mediaish(found, lex):
                name = found
                break
            k = bisect.bisect_left(starts, m.end(), k + 1)
        for c in path:
            memo[c] = name
        return name


_COLON_INTRO = re.compile(r"([^\s,:;—–-][^,:;—–]*?)\s*(?::|\s[—–]|,\s*according\s+to\s+\w+:?)\s*$")
_COLON_ACCORDING = re.compile(r",\s*according\s+to\s+\w+:")


def _colon_intro(frag: str) -> re.Match | None:
    """``_COLON_INTRO.search(frag)`` for a ``frag`` whose last non-space character is ``:``, ``—`` or
    ``–``, searched from where its match can start.

    The phrase (group 1) holds none of ``,:;—–``, and only its ending (``:``; `` —``; ``, according
    to X:``) follows it, so it starts after the last such mark before that ending. Searched from the
    start, every position of a long stretch before that mark was tried and read up to it.
    """
    t = _last_nonspace(frag, 0, len(frag))

    def last_mark(before: int) -> int:
        return max(frag.rfind(c, 0, before) for c in ",:;—–")

    d2 = last_mark(t)
    if frag[t] in "—–":
        if t == 0 or not frag[t - 1].isspace():
            return None                                  # a dash ending needs a space before it
        return _COLON_INTRO.search(frag, d2 + 1)
    if d2 >= 0 and frag[d2] == "," and _COLON_ACCORDING.fullmatch(frag, d2, t + 1):
        return _COLON_INTRO.search(frag, last_mark(d2) + 1)   # "Smith, according to CNN:"
    return _COLON_INTRO.search(frag, d2 + 1)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")  # markup left in the text (<tweet author="…">): no words of speech
_QUANTIFIERS = {"many", "several", "some"}
_VERB_ONLY_FORM = re.compile(r"(?:said|say|told|wrote|[a-z]+ed)\b")     # forms that are no noun
_NOUN_BEFORE = re.compile(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your|these|those|this|such|whose|many|"
                          r"several|some|any|no)|\w['’]s?)\s+$", re.I)


def _noun_use(par: str, i: int) -> bool:
    """A verb form used as a noun: "Pyongyang's claims", "the report", "his remarks"; after a quantifier
    only a form that can be a noun ("many claims", but "Many said", "Some warned": a quantifier subject)."""
    m = _NOUN_BEFORE.search(par, max(0, i - 12), i)
    if m is None:
        return False
    if m.group().split()[0].lower() in _QUANTIFIERS and _VERB_ONLY_FORM.match(par, i):
        return False
    return True


_SENTENCE_INSIDE = re.compile(r"(\S+)\.\s+[A-Z]")


def _bad_name(name: str) -> bool:
    """An entity name that is no person name: it crosses a sentence end ("Republic. Smbatyan"), holds digits,
    or has no capitalised word."""
    if not name or any(ch.isdigit() for ch in name) or not any(w[:1].isupper() for w in name.split()):
        return True
    return any(not _abbrev(m.group(1) + ".") for m in _SENTENCE_INSIDE.finditer(name))


# ---------------------------------------------------------------------------- attribution of quotes

class _Extractor:
    def __init__(self, article: ArticleText, entities: EntityResult, lex: QuoteLexicon):
        self.a = article
        self.lex = lex
        self.d = _Doc(article, entities, lex)
        self.used_verbs: set[tuple[int, int]] = set()
        self.quote_attrs: list[Attr] = []        # the direct quotes' attributions, in reading order
        self._all_verb_starts: dict[int, list[int]] = {}

    # sentence containing position i: (start, end)
    def sentence_bounds(self, pid: int, i: int) -> tuple[int, int]:
        ends = self.d.ends[pid]
        k = bisect.bisect_right(ends, i)
        return (ends[k - 1] if k else 0), (ends[k] if k < len(ends) else len(self.d.pars[pid]))

    def _in_span(self, pid: int, i: int) -> bool:
        return self.d.index[pid].in_span(i)

    def _verb_starts(self, pid: int) -> list[int]:
        """Offsets of every reporting-verb form in the paragraph (quoted or not), in order."""
        starts = self._all_verb_starts.get(pid)
        if starts is None:
            self._verbs(pid, 0, 0)
            starts = self._all_verb_starts[pid]
        return starts

    def _with_speaker(self, a: Attr, par: str, np: tuple[int, int], verb_end: int, lo: int, hi: int) -> Attr:
        """``a`` with its speaker phrase ``par[np]`` and the outlet the words went to, if any."""
        a.np_start, a.np_end = np
        a.np = par[np[0]:np[1]]
        a.channel = find_channel(par, a.cue, verb_end, lo, hi, self.lex, self.d.index[a.pid])
        return a

    def _according(self, pid: int, par: str, acc: re.Match, hi: int) -> Attr | None:
        """``according to X``: X is the source; an outlet (``TASS``) is also the channel."""
        p = acc.end() + (4 if par.startswith("the ", acc.end()) else 0)
        np = _np_after(par, p, hi, index=self.d.index[pid])
        if not np:
            return None
        a = Attr(pid, "according to", acc.start(), acc.end(), par[np[0]:np[1]], np[0], np[1])
        if is_mediaish(a.np, self.lex):
            a.channel = a.np
        return a

    def _verbs(self, pid: int, lo: int, hi: int):
        """The reporting verbs outside quotes, markup and noun uses with lo <= start and end <= hi."""
        cache = self.__dict__.setdefault("_verb_cache", {})
        entry = cache.get(pid)
        if entry is None:
            par = self.d.pars[pid]
            tags = [(t.start(), t.end()) for t in _TAG.finditer(par)] if "<" in par else []
            tag_starts = [a for a, _ in tags]
            every = self.lex.find_verbs(par)
            self._all_verb_starts[pid] = [m.start() for m in every]

            def in_tag(i: int) -> bool:      # any(a <= i < b for a, b in tags); tags do not overlap
                k = bisect.bisect_right(tag_starts, i) - 1
                return k >= 0 and i < tags[k][1]

            found = [m for m in every
                     if not self._in_span(pid, m.start()) and not _noun_use(par, m.start()) and not in_tag(m.start())
                     and not _GO_ON_TO.match(par, m.start(), m.end() + 4)]
            # verbs do not overlap (find_verbs), so their starts and ends are both in order
            entry = cache[pid] = (found, [m.start() for m in found], [m.end() for m in found])
        found, starts, ends = entry
        i, j = bisect.bisect_left(starts, lo), bisect.bisect_right(ends, hi)
        return found[i:j] if i < j else []

    def _lemma(self, m) -> str:
        return self.lex.verb_forms.get(_WS.sub(" ", m.group().lower()), m.group().lower())

    @staticmethod
    def _surface(m) -> str:
        return _WS.sub(" ", m.group().lower())

    def trailing(self, pid: int, k: int) -> Attr | None:
        par = self.d.pars[pid]
        spans = self.d.spans[pid]
        s = spans[k]
        lo = s.close
        nxt = k + 1
        ends = self.d.ends[pid]
        ended = _ends_with(par, s.start, s.end, ".!?")      # the quote ends its sentence
        while nxt < len(spans) and not ended and self._quoted_modifier(pid, spans[nxt]) and \
                bisect.bisect_right(ends, spans[nxt].open) == bisect.bisect_right(ends, lo):
            nxt += 1          # "“…,” X, wearing “Roe for Mayor” badges, said": the badge's words are no quote
        hi = spans[nxt].open if nxt < len(spans) else len(par)
        for j in range(bisect.bisect_right(ends, lo), len(ends)):
            e = ends[j]
            if e > hi:
                break
            if par[lo:e].strip(" ,.!?\"”’'»"):
                hi = e
                break
        verbs = self._verbs(pid, lo, hi)
        acc = _ACCORDING.search(par, lo, hi)
        if acc and (not verbs or acc.start() < verbs[0].start()) and _words(par[lo:acc.start()]) <= 2:
            a = self._according(pid, par, acc, hi)
            if a:
                return a
        if not verbs:
            # “Get off my pier,” Varga barked …: an unlisted past-tense verb right after a short subject
            inner = par[s.start:s.end].rstrip()
            # (“…,” an angry Varga retorted: an adjective before the name)
            m = _UNLISTED_REPORT.match(par[lo:hi])
            if m and inner[-1:] in (",", "?", "!"):
                a = Attr(pid, m.group(2), lo + m.start(2), lo + m.end(2), m.group(1), lo + m.start(1), lo + m.end(1))
                if _plausible_subject(a.np, self.lex):
                    return a
            # … or inverted: “…,” recalled Jane Roe, a former aide
            m = _UNLISTED_INVERSION.match(par, lo, hi)
            if m and inner[-1:] in (",", "?", "!"):
                np = _np_after(par, m.end(1), hi, self.lex, self.d.index[pid])
                if np is not None and par[np[0]].isupper():
                    return self._with_speaker(Attr(pid, m.group(1), m.start(1), m.end(1)), par, np, m.end(1), lo, hi)
            return None
        v = verbs[0]
        if _passive_without_agent(par, v):
            return None           # "“…” on Friday, a day after the clerk was charged": nobody speaks there
        if par[s.start:s.end].rstrip().endswith(".") and k + 1 < len(spans) and hi == spans[k + 1].open:
            # “… countries.” He pledged “cooperation” …: the verb introduces the next quote, not this one
            return None
        pre = par[lo:v.start()]
        n_pre = _words(pre.strip(" ,;:—–-"))
        too_long = n_pre > 2 * MAX_SUBJECT_WORDS or (n_pre > MAX_SUBJECT_WORDS and "," in pre.strip(" ,;:—–-"))
        a = Attr(pid, self._lemma(v), v.start(), v.end())
        clause = re.match(r"[\s,;:—–-]*(?:but|and|while|because|although|though|as|so|yet|or|if|when|after|before)\b",
                          pre, re.I)
        pre_hi = _strip_between(par, lo, v.start(), self.lex)
        if too_long or clause:
            # more words, or a clause, between the quote and the verb: the verb still attributes it when
            # it is inverted ("“…” if the vote fails, said Jane Roe, …") or when its subject is a name
            # with an appositive opening the stretch or one right before it ("“…,” Jane Roe, a lawyer who
            # …, said"; "“…” that the court will hear, city attorney Jane Roe wrote")
            if n_pre > 3 * MAX_SUBJECT_WORDS:
                return None
            np = None
            if par[lo:pre_hi].rstrip().endswith(",") and self._lemma(v) != "tell":
                np = _np_after(par, v.end(), hi, self.lex, self.d.index[pid])
            if np is None and (not clause or clause.group().strip(" ,;:—–-").lower() == "as"):
                # "…,” as Jane Roe said on the radio: "as" opens the attribution itself
                np = subject_before(par, lo, v.start(), self.lex, self._verb_starts(pid), self.d.index[pid])
                first = _NAME_START.search(par, lo, pre_hi)
                if np is not None and not (par[np[0]].isupper() and (
                        (first is not None and np[0] == first.start()) or par.rfind(",", lo, np[0]) ==
                        par.rfind(",", lo, pre_hi))):
                    np = None
            if np is None:
                return None
            return self._with_speaker(a, par, np, v.end(), lo, hi)
        if not par[lo:pre_hi].strip(" ,;:—–-\"”’'»"):
            if v.group().lower().endswith("ing"):
                # “…,” saying the town …: a participle never inverts; its subject is the sentence's
                # ("“…,” adding, “…”" introduces the next quote instead)
                if _blank(par, v.end(), hi) or not par[v.end():hi].strip(" ,:;—–-“\"‘'"):
                    return None
                s_lo = self.sentence_bounds(pid, s.open)[0]
                np = self._sentence_subject(pid, s_lo, s.open) if not _blank(par, s_lo, s.open) else None
                return self._with_speaker(a, par, np, v.end(), lo, hi) if np is not None else None
            np = _np_after(par, v.end(), hi, self.lex, self.d.index[pid])
            if np is None or self._lemma(v) == "tell":
                return None
            if par[np[0]:np[0] + 1].islower() and self._reported_clause(par, v.end(), hi) \
                    and not _RELATIVE_PRONOUN.search(par, v.end(), min(hi, np[1] + 7)):
                # "X, quoting “…,” said the firm could grow": the verb reports a clause ("wrote a commuter who
                # keeps a blog" is an inverted speaker and a relative clause)
                return None
        else:
            np = None
            if par[lo:pre_hi].rstrip().endswith(",") and self._lemma(v) != "tell":
                # “silk mittens” in its talks with the river towns, said Orla Fenwick, …
                np = _np_after(par, v.end(), hi, self.lex, self.d.index[pid])
            if np is None:
                np = subject_before(par, lo, v.start(), self.lex, self._verb_starts(pid), self.d.index[pid])
            if np is None:
                return None
        return self._with_speaker(a, par, np, v.end(), lo, hi)

    def _quoted_modifier(self, pid: int, sp) -> bool:
        """A short quoted name used as a modifier: title-like words followed by a lower-case word
        ("“Roe for Mayor” badges")."""
        par = self.d.pars[pid]
        nxt = re.match(r"\s+([a-z]+)\b", par[sp.close:sp.close + 20])
        return sp.closed and nxt is not None and self._title_like(pid, sp.start, sp.end) and \
            not nxt.group(1).endswith(("ing", "ed")) and nxt.group(1) not in self.lex.verb_forms

    def _trailing_has_clause(self, pid: int, k: int) -> bool:
        """The verb after quote ``k`` reports a clause of its own ("“…,” one engineer said the cases
        differ"), so it is no attribution tail of the quote."""
        a = self.trailing(pid, k)
        if a is None:
            return False
        if a.np_start >= a.verb_end:
            return False          # inverted: "…,” said the mayor"
        par = self.d.pars[pid]
        rest = par[a.verb_end:self.sentence_bounds(pid, a.verb_end)[1]].split()
        return len(rest) >= 3 and (rest[0].lower() in self.lex.determiners or rest[0].lower() in self.lex.pronouns
                                   or rest[0].lower() == "that")

    def _bare_report_before(self, pid: int, end: int) -> Attr | None:
        """The sentence ending at ``end`` reports speech without its content: a subject, a reporting verb
        and at most a short phrase ("Jane Roe said in a statement.", "the ministry said on Monday.")."""
        par = self.d.pars[pid]
        s_lo = self.sentence_bounds(pid, max(0, end - 1))[0]
        verbs = self._verbs(pid, s_lo, end)
        if not verbs or (pid, verbs[-1].start()) in self.used_verbs:
            return None
        v = verbs[-1]
        if any(sp.close > s_lo - 3 and sp.open < v.start() for sp in self.d.spans[pid]):
            return None           # “A,” Jane Roe said. “B”: the verb is A's; B is more of it
        tail = par[v.end():end].strip(" .")
        if self._lemma(v) in self.lex.quote_only and tail:
            return None
        if tail and not _BARE_REPORT_TAIL.fullmatch(tail):
            return None
        np = subject_before(par, s_lo, v.start(), self.lex, self._verb_starts(pid), self.d.index[pid])
        if np is None:
            return None
        return self._with_speaker(Attr(pid, self._lemma(v), v.start(), v.end()), par, np, v.end(), s_lo, end)

    def _verb_right_before(self, pid: int, open_: int) -> bool:
        """A reporting verb, and at most "that", stands right before a quote's opening mark ("Roe claimed
        that “…,”"): the quote is that verb's, whatever follows it."""
        par = self.d.pars[pid]
        vs = self._verbs(pid, max(0, open_ - 40), open_)
        return bool(vs) and _VERB_TO_QUOTE.fullmatch(par, vs[-1].end(), open_) is not None

    def leading(self, pid: int, k: int) -> Attr | None:
        """The attribution before quote ``k``, read back to the quote before it; a quoted title between
        ("Jane Roe, the author of “Tides,” said the …") is part of the words read."""
        spans = self.d.spans[pid]
        j = k - 1
        while j >= 0 and self._title_like(pid, spans[j].start, spans[j].end) and \
                self._title_context(pid, spans[j].start, spans[j].end):
            j -= 1
        return self._lead(pid, spans[j].close if j >= 0 else 0, spans[k].open)

    def intro_attr(self, pid: int) -> Attr | None:
        """The attribution a paragraph ending in a colon gives the quote that makes up the next one
        ("Jane Roe told the council: ¶ “…”")."""
        par = self.d.pars[pid]
        hi = _last_nonspace(par, 0, len(par)) + 1
        if hi <= 0 or par[hi - 1] != ":":
            return None
        spans = self.d.spans[pid]
        return self._lead(pid, spans[-1].close if spans else 0, hi)

    def _titled_person_at(self, pid: int, lo: int, hi: int):
        """The first person mention in [lo, hi) when it is the subject after a few title words ("After
        the vote, opposition leader Ana Lind released …"): at most five words, none a
        reporting verb, between it and the sentence start or the comma before it; else None."""
        par = self.d.pars[pid]
        m = self.d.person_mention_overlapping(pid, lo, hi)
        if m is None or m.char_start < lo:
            return None
        seg_lo = max(lo, par.rfind(",", lo, m.char_start) + 1)
        words = par[seg_lo:m.char_start].split()
        if len(words) > 5 or any(w.lower() in self.lex.verb_forms for w in words):
            return None
        return m

    def _lead(self, pid: int, lo: int, hi: int) -> Attr | None:
        """The attribution in the words before a quote (from ``lo``, an earlier quote's end, to ``hi``,
        the quote's opening mark): the last sentence of them."""
        par = self.d.pars[pid]
        ends = self.d.ends[pid]
        j = bisect.bisect_right(ends, hi) - 1          # the last sentence end in (lo, hi]
        if j >= 0 and ends[j] > lo:
            lo = ends[j]
        if not par[lo:hi].strip():
            # the quote opens a sentence: the one before may be a bare report ("Jane Roe said in a
            # statement. “…”"), whose content the quote is
            return self._bare_report_before(pid, lo) if j >= 0 and ends[j] > 0 else None
        verbs = self._verbs(pid, lo, hi)
        active = [v for v in verbs if not _passive_without_agent(par, v)]
        if active and len(active) < len(verbs):
            verbs = active        # "the risk was underscored when Jane Roe lamented the “…”": Roe's verb
        frag = par[lo:hi]
        if not verbs:
            # "Mr. Trump on Twitter: “…”" / "Putin — “…”": a speaker introduced by a colon or a dash
            tail = frag.rstrip()
            m = _colon_intro(frag) if tail.endswith((":", "—", "–")) else None
            acc = _ACCORDING.search(par, lo, hi)
            a = self._according(pid, par, acc, hi) if acc else None
            if a:
                return a
            # a sentence opening with its verb: "Said Jane Roe, a neighbour: “…”"
            first = _TOKEN.search(par, lo, hi)
            if first is not None and first.group()[:1].isupper():
                lemma = self.lex.verb_forms.get(first.group().lower())
                if lemma is not None and lemma not in self.lex.quote_only:
                    np = _np_after(par, first.end(), hi, self.lex, self.d.index[pid])
                    if np is not None and par[np[0]].isupper():
                        return self._with_speaker(Attr(pid, lemma, first.start(), first.end()), par, np,
                                                  first.end(), lo, hi)
            if m and frag.rstrip().endswith((":", "—", "–")):
                seg_lo = lo + m.start(1)
                seg_hi = lo + m.end(1)
                dash = par.rfind(" - ", seg_lo, seg_hi)
                if dash >= 0:
                    seg_lo = dash + 3         # "Polls and turnout - Jane Roe: “…”"
                # a person named at the end of a short introduction ("More from Jane Roe:")
                runs = cap_runs(par, seg_lo, seg_hi) if not _more_words_than(par, seg_lo, seg_hi, 8) else []
                before = par[seg_lo:runs[-1][0].start].split() if runs else []
                if runs and runs[-1][-1].end == seg_hi and (not before or before[-1].lower() in _NAME_INTRODUCERS):
                    toks, _ = clean_run(runs[-1], self.lex)
                    if len(toks) >= 2 or (toks and self.d.person_mention_overlapping(
                            pid, toks[0].start, toks[-1].end) is not None):
                        return Attr(pid, ":", seg_hi, seg_hi, par[toks[0].start:toks[-1].end], toks[0].start,
                                    toks[-1].end)
                r = first_cap_run(par, seg_lo, seg_hi)
                pron = re.match(r"(he|she|they)\b", par[seg_lo:seg_hi], re.I)
                head = [w.lower() for w in par[seg_lo:r[0].start].split()] if r else []
                named = clean_run(r, self.lex)[0] if r else []     # "The plan has three parts:" names nobody
                if r and named and not _more_words_than(par, seg_lo, seg_hi, 8) and all(
                        (w in self.lex.determiners and w != "that") or w in self.lex.leading for w in head):
                    # ("… hoped that Lind wins:" is a clause on Lind, not Lind introduced)
                    return Attr(pid, ":", seg_hi, seg_hi, par[r[0].start:r[-1].end], r[0].start, r[-1].end)
                if pron:
                    return Attr(pid, ":", seg_hi, seg_hi, pron.group(), seg_lo, seg_lo + len(pron.group()))
            if tail.endswith(":"):
                # "Jane Roe issued the following statement: “…”": a person subject of the introducing sentence
                colon = lo + len(tail) - 1
                s_lo = self.sentence_bounds(pid, colon)[0]
                a = self._person_attr(pid, self._sentence_subject(pid, s_lo, colon), possessive=False)
                m = self.d.person_mention_overlapping(pid, a.np_start, a.np_end) if a is not None else \
                    self._titled_person_at(pid, s_lo, colon)
                if m is not None:         # the person, not the rest of the clause ("… issued the statement")
                    return Attr(pid, ":", colon, colon + 1, par[m.char_start:m.char_end], m.char_start, m.char_end)
            return None
        last = verbs[-1]
        wm = _WITH_NAME.search(par, max(lo, last.start() - 60), last.start()) \
            if last.group().lower().endswith("ing") else None
        if wm is not None and wm.start(1) >= lo:
            # "…, with Jane Roe calling it “…”": the participle's own subject
            return self._with_speaker(Attr(pid, self._lemma(last), last.start(), last.end()), par,
                                      (wm.start(1), wm.end(1)), last.end(), lo, hi)
        if len(verbs) > 1:
            # a later clause with a subject of its own is the quote's ("X has warned …, and Jane Roe said
            # the “…”"): the last verb whose subject stands between it and the verb before it
            for i in range(len(verbs) - 1, 0, -1):
                v = verbs[i]
                if v.group().lower().endswith("ing"):
                    continue
                np = subject_before(par, verbs[i - 1].end(), v.start(), self.lex, self._verb_starts(pid),
                                    self.d.index[pid])
                if np is not None and _CLAUSE_START.search(par, verbs[i - 1].end(), np[0]) \
                        and ";" not in par[np[0]:np[1]] \
                        and (_blank(par, np[1], _strip_between(par, np[1], v.start(), self.lex))
                             or _ends_with(par, np[0], np[1] + 1, ",")) \
                        and (par[np[0]].isupper() or par[np[0]:np[1]].lower() in self.lex.pronouns):
                    return self._with_speaker(Attr(pid, self._lemma(v), v.start(), v.end()), par, np, v.end(),
                                              lo, hi)
        for v in verbs:
            a = Attr(pid, self._lemma(v), v.start(), v.end())
            agent = _PASSIVE_AGENT.match(par, v.end(), hi) if _word_before(par, lo, v.start()) in _BE_FORMS else None
            if agent is None and _passive_without_agent(par, v):
                # "the habit has been called “a quiet theft” by Jane Roe": the agent after the quote
                close = next((sp.close for sp in self.d.spans[pid] if sp.open == hi), None)
                agent = _PASSIVE_AGENT.match(par, close) if close is not None else None
            if agent is not None:
                # "Roe was asked by host Tom Lind, …, “…”": the agent speaks
                return self._with_speaker(a, par, (agent.start(1), agent.end(1)), v.end(), lo, hi)
            np = subject_before(par, lo, v.start(), self.lex, self._verb_starts(pid), self.d.index[pid])
            participle = v.group().lower().endswith("ing") and \
                _QUOTED_AS.search(par, max(lo, v.start() - 90), v.start()) is None    # not "quoted X as saying"
            if participle or np is None:
                # "Cruz was critical …, telling Breitbart: “…”": the subject opens the sentence
                np2 = self._sentence_subject(pid, lo, v.start())
                if np2 is not None:
                    np = np2
                    a.participle = True
            if np is not None:
                break
        if np is None:
            return None
        return self._with_speaker(a, par, np, v.end(), lo, hi)

    def subject_attr(self, q: Quote, short: bool = False) -> Attr | None:
        """The subject of the sentence a quote with no attribution sits in, when the sentence opens
        before the quote: the person whose words a sentence of description quotes ("Jane Roe thanked
        the council for “…”", "She has called the plan “…”")."""
        pid, k = q.spans[0]
        par = self.d.pars[pid]
        s = self.d.spans[pid][k]
        lo, _ = self.sentence_bounds(pid, s.open)
        after = max(lo, self.d.spans[pid][k - 1].close) if k > 0 else lo
        if _blank(par, after, s.open) or self._in_span(pid, lo):
            return None
        if short:
            lo = after            # a few quoted words after another quote: only a subject after that one
        # the subject of the last clause before the quote when one opens with a conjunction and a name
        # ("Jane Roe signed it, while Ivan Petrov called it “…”"), else the sentence's
        np = None
        for m in _CLAUSE_NAME.finditer(par, max(lo, s.open - 200), s.open):
            np = (m.start(1), m.end(1))
        if np is not None:
            np = self._subject_at(par, np[0], s.open, person=True)
        if np is None:
            # else the last person named right before a verb ("… - Jane Roe quipped, “…”"; "Mr. Roe
            # decried the “…”"), not inside another quote
            for m in _NAME_VERB.finditer(par, max(lo, s.open - 200), s.open):
                if m.group(2) in _AUXILIARIES or self._in_span(pid, m.start(1)):
                    continue
                w = _WORD_BEFORE.search(par, max(lo, m.start(1) - 30), m.start(1))
                if w is not None and w.group(1) not in _CLAUSE_OPENERS and \
                        w.group(1) not in ("that", "who", "which", "whom"):     # "in which Roe expressed …"
                    continue      # "advising Acme College graduates": an object, not a subject
                np = (m.start(1), m.end(1))
            if np is not None:
                np = self._subject_at(par, np[0], np[1], person=True)
                if np is not None and self.d.place_mention_overlapping(pid, np[0], np[1], org=True):
                    np = None
        if np is None:
            np = self._sentence_subject(pid, lo, s.open)
        return self._person_attr(pid, np)

    def opens_sentence(self, q: Quote) -> bool:
        """The quote's opening mark starts its sentence."""
        pid, k = q.spans[0]
        s = self.d.spans[pid][k]
        return _blank(self.d.pars[pid], self.sentence_bounds(pid, s.open)[0], s.open)

    def signature_attr(self, pid: int) -> Attr | None:
        """A paragraph that only signs the quote before it ("— Jane Roe.")."""
        if pid >= len(self.d.pars):
            return None
        par = self.d.pars[pid]
        m = _SIGNATURE.fullmatch(par) or _BARE_SIGNATURE.fullmatch(par)
        if m is None or _more_words_than(par, m.start(1), m.end(1), 5) or m.group(1).isupper() or \
                " " not in m.group(1) and not self.d.person_mention_overlapping(pid, m.start(1), m.end(1)) \
                and " " not in self.d.full_name(m.group(1)):
            return None       # one word signs only as the surname of a person the article names
        return Attr(pid, ":", m.start(1), m.start(1), m.group(1), m.start(1), m.end(1))

    def previous_subject_attr(self, pid: int, before: int | None = None) -> Attr | None:
        """The person subject of the sentence of paragraph ``pid`` that ends before ``before`` (its last
        sentence when None), for a quote with no attribution that opens the next sentence or paragraph
        ("Jane Roe praised the crews. “We owe them everything.”"); None when a quote stands in it."""
        par = self.d.pars[pid]
        end = _last_nonspace(par, 0, len(par) if before is None else before)
        if end < 0:
            return None
        lo, hi = self.sentence_bounds(pid, end)
        if any(sp.close > lo and sp.open < hi for sp in self.d.spans[pid]):
            return None
        return self._person_attr(pid, self._sentence_subject(pid, lo, hi), possessive=False)

    def _person_attr(self, pid: int, np: tuple[int, int] | None, *, possessive: bool = True) -> Attr | None:
        """An attribution to the phrase ``np`` of paragraph ``pid`` when it names a person or is "he" or
        "she"; with ``possessive`` False, not when the name only owns the subject ("Roe's comments")."""
        if np is None:
            return None
        par = self.d.pars[pid]
        phrase = par[np[0]:np[1]]
        if not possessive and re.search(r"['’]s\b|s['’](?!\w)", phrase):
            return None
        if phrase.lower() not in ("he", "she"):
            # a person: one the entity stage found, or a full name (not a heading in capitals, not a
            # capitalised common noun opening the sentence: "Guns are …", "Queens, …")
            toks = clean_run(first_cap_run(par, np[0], np[1]) or [], self.lex)[0]
            full = 2 <= len(toks) <= 4 or (len(toks) == 1 and " " in self.d.full_name(name_text(par, toks)))
            if phrase.isupper() or not full and self.d.person_mention_overlapping(pid, np[0], np[1]) is None:
                return None
            if toks and self.d.person_mention_overlapping(pid, np[0], np[1]) is None \
                    and self.d.place_mention_overlapping(pid, toks[-1].start, toks[-1].end):
                return None       # a place or a country the entity stage found ("Across Asia", …)
        return Attr(pid, "", np[1], np[1], par[np[0]:np[1]], np[0], np[1])

    def _sentence_subject(self, pid: int, lo: int, hi: int) -> tuple[int, int] | None:
        par = self.d.pars[pid]
        p = _SPACES.match(par, lo, hi).end()       # a sentence's bounds start at the space after a full stop
        dl = _DATELINE.match(par, p, hi)
        if dl:
            p = dl.end()
        p = self._past_leading(par, p, hi)
        if p <= hi:              # (a slice par[p:hi] past hi is empty: nothing matches below)
            # a sentence opening with a person's name and its appositive ("Jane Roe, a lawyer, …"), not
            # with an introductory phrase ("On Sunday, …", "Later, …")
            np = self._subject_at(par, p, hi, person=True)
            if np is not None:
                return np
            pm = _SUBJECT_PRONOUN.match(par, p, hi)
            if pm:                # "She spoke at the college, …": no introductory phrase
                return p, p + len(pm.group())
            role = self._role_subject(par, p, hi)
            if role is not None:
                return role       # "The mayor visited the port, …": no introductory phrase
            m = _INTRO_CLAUSE.match(par, p, hi)
            p = self._past_leading(par, m.end(), hi)
            if m.end() > m.start():
                p = self._past_place_and_time(par, p, hi)
        return self._subject_at(par, p, hi)

    def _past_place_and_time(self, par: str, p: int, hi: int) -> int:
        """Past the rest of an introductory phrase: a state after its city ("In Salem, Oregon, …") or a
        time ("At a rally in Salem, Ore., on Tuesday, …"), each a short stretch ending in a comma."""
        for _ in range(3):
            m = _SHORT_COMMA_SEGMENT.match(par, p, hi)
            if m is None:
                return p
            seg = m.group(1)
            first = seg.split()[0]
            if not (seg.replace(".", "") in self.lex.regions or first in _ADVERBIAL
                    or first.rstrip(".") in self.lex.not_names and first[0].isupper() and len(seg.split()) == 1):
                return p
            p = m.end()
        return p

    def _past_leading(self, par: str, p: int, hi: int) -> int:
        while True:
            m2 = _LEADING_WORD.match(par, p, hi)
            if m2 and m2.group(1).lower() in self.lex.leading:
                p = m2.end()
                continue
            return p

    def _role_subject(self, par: str, p: int, hi: int) -> tuple[int, int] | None:
        """A role phrase or a group opening at ``p`` before its verb ("The mayor visited …", "Her campaign
        announced …"), else None."""
        rm = _ROLE_SUBJECT.match(par, p, hi)
        if rm and (rm.group(2).lower() in self.lex.role_nouns or rm.group(2).lower() in self.lex.collective_nouns):
            return rm.start(1), rm.end(1)
        return None

    def _subject_at(self, par: str, p: int, hi: int, person: bool = False) -> tuple[int, int] | None:
        """A pronoun or a name starting at ``p``; with ``person``, only a person's name: two words or
        more, or one the article names in full ("Roe" after "Jane Roe")."""
        pm = _SUBJECT_PRONOUN.match(par, p, hi)
        if pm:
            return (p, p + len(pm.group())) if not person else None
        if not person:
            # a role phrase: "A spokeswoman for the Acme Group emailed …", "The candidate appeared …"
            role = self._role_subject(par, p, hi)
            if role is not None:
                return role
        run = first_cap_run(par, p, hi, at_lo=True)
        if run and _plausible_subject(par[p:run[-1].end], self.lex):
            toks, _ = clean_run(run, self.lex)
            if not toks:
                return None
            nxt = _LEADING_WORD.match(par, run[-1].end + 1, hi) if par[run[-1].end:run[-1].end + 1] == " " else None
            if len(run) == 1 and run[0].text.endswith("ing") and nxt and (
                    nxt.group(1) in self.lex.determiners or nxt.group(1) in _ADVERBIAL):
                return None       # "Marking the end of …, Roe said": a participle, not a name
            if person:
                w0 = run[0].text.rstrip(".,")
                if w0 in self.lex.not_names or w0.lower() in _ADVERBIAL or w0.lower() in self.lex.leading \
                        or w0.lower() in self.lex.determiners:
                    return None
                if len(toks) < 2 and " " not in self.d.full_name(name_text(par, toks)):
                    return None
            return run[0].start, run[-1].end
        return None

    # -------------------------------------------------------------- direct quotes
    def direct_quotes(self) -> list[Quote]:
        quotes: list[Quote] = []
        open_chain: Quote | None = None
        for pid, spans in enumerate(self.d.spans):
            par = self.d.pars[pid]
            if open_chain is not None and not (spans and not par[:spans[0].open].strip()):
                open_chain = None
            for k, s in enumerate(spans):
                if k == 0 and open_chain is not None:
                    q = open_chain
                    q.pieces.append((pid, s.start, s.end))
                    q.spans.append((pid, k))
                else:
                    q = Quote("direct", [(pid, s.start, s.end)], spans=[(pid, k)])
                    quotes.append(q)
                open_chain = q if (not s.closed and k == len(spans) - 1) else None
        # attribution
        span_attr: dict[tuple[int, int], Attr] = {}      # (pid, span index) -> its quote's attribution
        for q in quotes:
            for i, (pid, k) in enumerate(q.spans):
                s = self.d.spans[pid][k]
                inner = self.d.pars[pid][s.start:s.end].rstrip()
                ends_mid = inner[-1:] in (",", "?", "!", "—", "–", "-", "…") or inner.endswith(("?", "!"))
                tries = []
                lead_first = i == 0 and s.opened and s.closed and ends_mid and self._verb_right_before(pid, s.open) \
                    and self._trailing_has_clause(pid, k)
                if s.closed and ends_mid and not lead_first:
                    tries.append(self.trailing)
                if i == 0 and s.opened:
                    tries.append(self.leading)
                if s.closed and ends_mid and lead_first:
                    tries.append(self.trailing)
                # “A,” Jane Roe said. “B.” Then a new sentence …: B is the rest of A (joined below), the
                # verb after it is another sentence's
                pa = span_attr.get((pid, k - 1)) if i == 0 and k > 0 else None
                split = pa is not None and pa.pid == pid and self.d.spans[pid][k - 1].close <= pa.verb_start < s.open
                if s.closed and not ends_mid and not split:
                    tries.append(self.trailing)
                for f in tries:
                    a = f(pid, k)
                    if a is not None:
                        q.attr = a
                        break
                if q.attr is not None:
                    break
            if q.attr is None:
                pid, _, end = q.pieces[-1]
                if _quote_only(self.d.pars[pid], end):
                    q.attr = self.signature_attr(pid + 1)
            if q.attr is not None:
                for sp in q.spans:
                    span_attr[sp] = q.attr
        # split quotes: “A,” he said. “B” — B takes A's attribution and joins A
        # The quote before q in its paragraph is the one holding the closest earlier span, passing over
        # lone title-like spans. Whether a span is passed over is fixed when its quote is filed in
        # by_span (a passed-over quote never gains pieces: only a quote that is not passed over is
        # joined), and spans are filed in reading order within a paragraph, so the last span filed and
        # not passed over (``last_kept``) is the one the walk back over by_span would reach.
        merged: list[Quote] = []
        by_span: dict[tuple[int, int], Quote] = {}
        last_kept: dict[int, int] = {}

        def file(sp: tuple[int, int], owner: Quote) -> None:
            by_span[sp] = owner
            sp_ = self.d.spans[sp[0]][sp[1]]
            if not (len(owner.pieces) == 1 and self._title_like(sp[0], sp_.start, sp_.end)):
                last_kept[sp[0]] = sp[1]

        for q in quotes:
            pid, k = q.spans[0]
            prev, pk = None, last_kept.get(pid, -1)
            if pk >= 0:
                prev = by_span[(pid, pk)]
            if prev is not None and prev.attr is not None and prev.attr.pid == pid:
                ps = self.d.spans[pid][pk]
                s = self.d.spans[pid][k]
                same = (q.attr is not None and q.attr.verb_start == prev.attr.verb_start
                        and re.fullmatch(r"[^.!?“”\"]{0,60}[,:]\s*", self.d.pars[pid][q.attr.verb_end:s.open]) is not None
                        and not self._title_like(pid, s.start, s.end))
                between = ps.close <= prev.attr.verb_start < s.open
                if between and q.attr is None and _WORD_CHAR.search(self.d.pars[pid], max(
                        prev.attr.verb_end, self.sentence_bounds(pid, s.open)[0]), s.open):
                    # “A,” she said. Later, Ivan Petrov called it “B”: B is in a sentence of its own
                    between = False
                if same or ((q.attr is None or q.attr.pid != pid) and between):
                    prev.pieces.extend(q.pieces)
                    prev.spans.extend(q.spans)
                    for sp in q.spans:
                        file(sp, prev)
                    continue
            merged.append(q)
            for sp in q.spans:
                file(sp, q)
        quotes = merged
        # a paragraph that is only a quote continues the quote that ended the paragraph before it
        out: list[Quote] = []
        last_in_par: dict[int, Quote] = {}
        for q in quotes:
            pid, k = q.spans[0]
            par = self.d.pars[pid]
            s = self.d.spans[pid][k]
            prev = last_in_par.get(pid - 1)
            if (q.attr is None and k == 0 and not par[:s.open].strip() and prev is not None
                    and prev.attr is not None and prev.spans[-1][0] == pid - 1
                    and prev.spans[-1][1] == len(self.d.spans[pid - 1]) - 1):
                prev.pieces.extend(q.pieces)
                prev.spans.extend(q.spans)
                for sp in q.spans:
                    last_in_par[sp[0]] = prev
                continue
            out.append(q)
            for sp in q.spans:
                last_in_par[sp[0]] = q
        # an unattributed quote after an attributed one in the same paragraph is more of the same speaker's
        # words: it joins that quote when it is in the same sentence (“cooperation” … a “deep and sincere”
        # bond) or long enough to be speech; a short one in a later sentence is a scare quote
        last_q: dict[int, Quote] = {}
        joined: list[Quote] = []
        for q in sorted(out, key=lambda q: q.pieces[0][:2]):
            pid = q.pieces[0][0]
            prev = last_q.get(pid)
            if q.attr is None and prev is not None and len(q.spans) == 1:
                n = sum(_words(self.d.pars[p][a:b]) for p, a, b in q.pieces)
                s0 = self.d.spans[pid][q.spans[0][1]]
                ppid, pk = prev.spans[-1]
                last_close = self.d.spans[ppid][pk].close if ppid == pid else 0
                ends = self.d.ends[pid]
                j = bisect.bisect_right(ends, last_close)   # is there a sentence end in (last_close, s0.open]?
                same_sentence = ppid == pid and not (j < len(ends) and ends[j] <= s0.open)
                opens_sentence = self.opens_sentence(q)
                verb_between = bool(self._verbs(pid, last_close, s0.open)) if ppid == pid else True
                if self._mention_context(pid, s0.start):
                    continue
                if not verb_between and (same_sentence or (opens_sentence and n >= MIN_UNATTRIBUTED_WORDS)) \
                        and not self._title_like(*q.pieces[0]):
                    prev.pieces.extend(q.pieces)
                    prev.spans.extend(q.spans)
                    continue
                q.attr = prev.attr
                # “… “very charming” and called it “unheard of”: its own quote, the verb's subject elided
                q.inherited = not (same_sentence and verb_between)
                if not same_sentence and not opens_sentence:
                    # a later sentence naming its own person as subject: "“…,” Jane Roe said. Later
                    # Ivan Petrov condemned the “…”" is Ivan Petrov's
                    own = self.subject_attr(q)
                    if own is not None and own.np.lower() not in self.lex.pronouns:
                        q.attr, q.inherited = own, True
            elif q.attr is not None:
                last_q[q.pieces[-1][0]] = q
            joined.append(q)
        out = joined
        # a quote with no attribution before another quote of the same sentence whose verb follows
        # that one shares it: “cooperation” and a “deep and sincere” bond, Jane Roe said.
        by_first: dict[tuple[int, int], Quote] = {q.spans[0]: q for q in out}
        for q in out:
            if q.attr is not None or len(q.spans) != 1:
                continue
            pid, k = q.spans[0]
            nxt = by_first.get((pid, k + 1))
            if nxt is None or nxt.attr is None or nxt.attr.pid != pid or nxt.inherited:
                continue
            s0, s1 = self.d.spans[pid][k], self.d.spans[pid][k + 1]
            if nxt.attr.verb_start < s1.close or self._verbs(pid, s0.close, s1.open):
                continue          # its verb opens the next quote, or another verb stands between
            ends = self.d.ends[pid]
            j = bisect.bisect_right(ends, s0.close)
            if j < len(ends) and ends[j] <= s1.open:
                continue          # a sentence ends between them
            q.attr = nxt.attr
            q.inherited = True    # (a short one stays a scare quote)
        # scare quotes and titles: short and unattributed
        kept = []
        for q in out:
            n = sum(_words(self.d.pars[p][a:b]) for p, a, b in q.pieces)
            if (q.attr is None or q.inherited) and n < MIN_UNATTRIBUTED_WORDS:
                a = self.subject_attr(q, short=True) if q.attr is None and len(q.pieces) == 1 else None
                if a is None:
                    continue
                q.attr = a
            p0, a0, _ = q.pieces[0]
            so = self.d.spans[p0][q.spans[0][1]].open
            if so > 0 and self.d.pars[p0][so - 1] == "=":
                continue          # a markup attribute value (<tweet datetime="…">), not speech
            if len(q.pieces) == 1 and self._mention_context(q.pieces[0][0], q.pieces[0][1]):
                continue
            if len(q.pieces) == 1 and self._title_like(*q.pieces[0]) and (q.attr is None or self._title_context(
                    *q.pieces[0])):
                continue
            if q.attr is not None:
                self.used_verbs.add((q.attr.pid, q.attr.verb_start))
                self.quote_attrs.append(q.attr)
            kept.append(q)
        return kept

    def _title_like(self, pid: int, s: int, e: int) -> bool:
        """A name of a show, book or slogan in quotes ("Meet the Press", "MAKE AMERICA GREAT AGAIN")."""
        text = self.d.pars[pid][s:e].strip(" ,.")
        words = re.findall(r"[\w'’]+", text)
        if not words or len(words) > 8 or re.search(r"[.!?;]\s", text):
            return False
        small = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "is",
                 "de", "del", "la", "le", "los", "las", "el", "da", "di", "du", "von", "van"}
        big = [w for w in words if w.lower() not in small]
        return bool(big) and all(w[0].isupper() or w[0].isdigit() for w in big) and not (
            len(words) >= 3 and words[0].lower() in self.lex.pronouns)

    def _title_context(self, pid: int, s: int, e: int) -> bool:
        """Quoted words introduced like a title: "on NBC's “Meet the Press”", "the book “…”"."""
        before = self.d.pars[pid][max(0, s - 40):s].rstrip(" “\"'«")
        if _TITLE_BEFORE.search(before) or self._mention_context(pid, s):
            return True
        # a list of titles: “Harbor Lights” and “Keepers of the Lantern”
        return bool(re.search(r"[”\"»']\s*(?:,|and|or)$", before))

    def _mention_context(self, pid: int, s: int) -> bool:
        """Words quoted as words, not speech: "the phrase “anchor baby”", "the term “…”"."""
        before = self.d.pars[pid][max(0, s - 30):s].rstrip(" “\"'«‘")
        return bool(_MENTION_BEFORE.search(before))

    # -------------------------------------------------------------- indirect speech
    def _reported_clause(self, par: str, lo: int, hi: int) -> bool:
        """The few words after a verb are a clause, not an inverted subject or a time phrase: an
        auxiliary, or a finite verb before a determiner, follows a phrase ("said the firm would grow", "said
        prices were rising", "said the network uses the photo", "said Acme Media also uses the boats")."""
        words = par[lo:hi].split(",", 1)[0].split()
        if not 2 <= len(words) <= 12:
            return False
        if _CONTRACTION.sub("", words[0]).lower() in _SUBJECT_PRONOUNS:     # "he", also "he's", "they'd"
            return True           # "said he would …": no inverted speaker is a pronoun
        det = self.lex.determiners
        # after a capitalised first word only lower-case verbs count ("said Acme Media also uses the …",
        # not "said John Will")
        named = not words[0][:1].islower()
        # "said the group hired the lobbyists", "said the network uses the same photo"
        past = self.lex.past_tense
        return any((w if named else w.lower()) in self.lex.auxiliaries and prev.lower() not in _RELATIVE_PRONOUNS
                   for prev, w in zip(words, words[1:])) or any(
            w in past and prev.lower() not in ("who", "that", "which") for prev, w in zip(words, words[1:])) or any(
            w.islower() and (w.endswith("ed") and len(w) > 4 or w.endswith("s") and not w.endswith("ss") and len(w) > 3)
            and nxt.lower() in det | {"to", "that"}
            for w, nxt in zip(words[2:], words[3:]))

    def _clause_opens(self, words: str) -> bool:
        """The words between a verb and a later "that" already make a clause ("said she was told to show
        that …"): they open with a subject pronoun or hold an auxiliary."""
        ws = words.lower().split()
        return bool(ws) and (ws[0] in _CLAUSE_PRONOUNS or any(w in self.lex.auxiliaries for w in ws))

    def _reporting_participles(self, par: str, lo: int, hi: int):
        """Where each reporting participle after a comma (", adding", ", telling") starts in [lo, hi)."""
        for m in _PARTICIPLE_INTRO.finditer(par, lo, hi):
            if m.group(1) in self.lex.verb_forms:
                yield m.start()

    def _participle_cut(self, par: str, lo: int, hi: int) -> int:
        """Where a reporting participle after a comma begins in [lo, hi) (", adding that …"), else ``hi``;
        read over the first 30 words only."""
        words = _first_words(par, lo, hi, 30) if hi - lo > 200 else None
        end = words[-1].end() if words else hi
        return next(self._reporting_participles(par, lo, end), hi)

    def _report_into_quote(self, par: str, lo: int, hi: int, s_hi: int) -> int:
        """End of reported speech ``par[lo:hi]`` that runs up to a quotation mark at ``hi``: before a
        participle introducing the quote ("… his campaign, telling the host that “…”": the quote's own cue);
        at the mark after a colon or a comma; else the quote finishes the reported sentence ("said he found
        the plan “a waste of time”") and the report runs on to the sentence end ``s_hi``."""
        cut = None
        for cut in self._reporting_participles(par, lo, hi):
            pass
        if cut is not None:
            return cut
        last = _last_nonspace(par, lo, hi)
        if last < 0 or par[last] in ",:;—–-":
            return hi
        return s_hi

    def _pronoun_clause(self, par: str, lo: int, hi: int) -> int | None:
        """Start of a clause right after a verb that opens with a subject pronoun and a finite verb ("…
        announced she would run", "… noted it had rained"), else None."""
        m = _PRONOUN_THEN_WORD.match(par, lo, hi)
        if m is None:
            return None
        w = m.group(2)
        if w in self.lex.auxiliaries or w in self.lex.past_tense or (len(w) > 4 and w.endswith("ed")):
            return m.start(1)
        return None

    def _opened_subject(self, par: str, s_lo: int, i: int) -> bool:
        """The subject at ``i`` follows a word that opens its clause: a subordinator ("While most riders"),
        "quoted"/"cited", a focus adverb ("even a senior official") or a copula's "that" ("The surprise is
        that most users")."""
        w = _word_before(par, s_lo, i).lower()
        if w in _CLAUSE_OPENERS or w in _FOCUS_ADVERBS or w in ("quoted", "cited", "with"):   # "with critics saying"
            return True
        m = _COPULA_THAT_END.search(par, max(s_lo, i - 24), i)
        return m is not None

    def _report_before_quote(self, par: str, lo: int, hi: int) -> bool:
        """The words after a verb, up to the next quotation mark, open with a clause of at least four words
        ("said she had no reason to quit …", "says that the pier will …"): reported speech of its own."""
        m = _REPORT_OPENING.match(par, lo, hi)
        if m is not None:
            return _more_words_than(par, m.start(1), hi, 3) and self._reported_clause(par, m.start(1), hi)
        # "wrote on Twitter that the vote was “…”": a "that" among the first words, then at least two words
        m = _THAT_SOON.match(par, lo, hi)
        return m is not None and _more_words_than(par, m.end(), hi, 1)

    def _clause_after_hearer(self, par: str, lo: int, hi: int) -> int | None:
        """Where the clause starts after "told" and its hearer ("told reporters he would …", "told the
        Daily Post the plan was …", "told CNN on Monday she had …"), or None when no clause follows."""
        m = _HEARER.match(par, lo, hi)
        if m is not None and m.end() < hi and (self._reported_clause(par, m.end(), hi)
                                               or _DETERMINED_CLAUSE.match(par, m.end(), hi)):
            return m.end()
        # a lower-case hearer, then a clause opening with a determiner ("told the legislature the province
        # would …")
        for m in _LOWER_HEARERS:
            h = m.match(par, lo, hi)
            if h is not None and _DETERMINED_CLAUSE.match(par, h.end(), hi):
                return h.end()
        # any short noun phrase, then a subject pronoun opening the clause ("told radio host Ann Bell he
        # would …", "told a crowd of farmers they had …")
        m = _HEARER_THEN_PRONOUN.match(par, lo, hi)
        if m is None or not m.group(1).strip():
            return None
        words = [w.lower() for w in m.group(1).split()]
        if words[0] in _CLAUSE_PRONOUNS or any(w in _NOT_HEARER or w in self.lex.auxiliaries
                                               or w in self.lex.verb_forms for w in words):
            return None
        return m.end() if self._reported_clause(par, m.end(), hi) else None

    def _participle_follows(self, pid: int, lo: int, hi: int) -> bool:
        """A reporting participle follows the verb ending at ``lo`` ("The talks will go on, Roe said, adding,
        “…”"): the quote the verb took is the participle's, and the verb still reports the clause before it."""
        m = _THEN_PARTICIPLE.match(self.d.pars[pid], lo, hi)
        return m is not None and m.group(1) in self.lex.verb_forms

    def _number_subject(self, par: str, lo: int, hi: int) -> bool:
        """A number opens a clause ("said 40 people were hurt", "said 2016 has seen …"): an auxiliary or a
        finite verb is among the next three words."""
        words = par[lo:hi].split()[1:4]
        return any(w in self.lex.auxiliaries or (w.endswith("ed") and len(w) > 4 and w.islower()) for w in words)

    def _np_then_verb(self, par: str, lo: int, hi: int) -> bool:
        """``par[lo:hi]`` opens with a noun phrase ("the timing of the remark", "the majority of refugees")
        that a finite verb follows ("… makes it seem rude", "… are children"): a clause, not an object."""
        if not par.startswith("the ", lo):
            return False
        words = par[lo:hi].split(",", 1)[0].split()[:14]
        lex = self.lex
        for prev, w in zip(words[2:], words[3:]):
            if w in lex.auxiliaries:
                return True
            if w.islower() and len(w) > 3 and w.endswith(("s", "ed")) and not w.endswith("ss") \
                    and prev.lower() not in lex.determiners and prev not in _PREPOSITIONS:
                return True
        return False

    def _after_leading_word(self, par: str, s_lo: int, i: int) -> bool:
        """``i`` follows a word opening the sentence or clause before its subject ("But Jane Roe said …",
        "…, and later Roe said …")."""
        w = _word_before(par, s_lo, i)
        if not w or w.lower() not in self.lex.leading:
            return False
        b = _last_nonspace(par, s_lo, i) + 1 - len(w)
        return _blank(par, s_lo, b) or _ends_with(par, s_lo, b, ",")

    def _appositive_tail(self, pid: int, lo: int, hi: int) -> bool:
        """``par[lo:hi]`` after a verb is an inverted speaker and appositives only: a name or role phrase,
        then a comma and a phrase opening like an appositive ("director of …", "a former aide", "who …"),
        not a coordinated verb ("…, reported it to the agency, and removed it")."""
        par = self.d.pars[pid]
        np = _np_after(par, lo, hi, self.lex, self.d.index[pid])
        if np is None:
            return False
        if par[np[0]:np[0] + 5].lower() == "that ":
            return False          # "…, saying that Roe, now …": a clause, no inverted speaker
        m = _APPOSITIVE_OPENING.match(par, np[1], hi)
        if m is None or _THAT.search(par, np[1], hi):
            return False
        w = m.group(1).lower()
        return w in ("who", "whose") or w in self.lex.determiners or w in self.lex.role_nouns \
            or w in self.lex.titles or w in ("former", "then", "now") and m.group(1).islower()

    def indirect_quotes(self) -> list[Quote]:
        out: list[Quote] = []
        lex = self.lex
        for pid, par in enumerate(self.d.pars):
            ix = self.d.index[pid]
            opens = ix.span_opens if self.d.spans[pid] else ()
            taken_until = 0
            first_of_par = len(out)
            for v in self._verbs(pid, 0, len(par)):
                lemma = self._lemma(v)
                if lemma in lex.quote_only:
                    continue
                s_lo, s_hi = self.sentence_bounds(pid, v.start())
                used = (pid, v.start()) in self.used_verbs
                # the clause after the verb, up to the sentence end or a quotation mark
                clause_hi = s_hi
                k = bisect.bisect_left(opens, v.end())
                if k < len(opens) and opens[k] < clause_hi:
                    clause_hi = opens[k]
                # a verb that took a direct quote may report a clause of its own before it: "Roe said he saw
                # no need to change course, telling the crowd “…”" (only forward, never as a tail)
                forward_only = used and self._report_before_quote(par, v.end(), clause_hi)
                if used and not forward_only and not self._participle_follows(pid, v.end(), s_hi):
                    continue
                np = subject_before(par, s_lo, v.start(), lex, self._verb_starts(pid), ix)
                participle_verb = v.group().endswith("ing") and _ends_with(par, s_lo, v.start(), ",")
                np_from_prev = False
                if participle_verb:
                    # "…, an official said, adding that …": the speaker of the report just before it;
                    # "The mayor visited …, saying the city is …": the subject opening the sentence
                    prev = out[-1].attr if len(out) > first_of_par and out[-1].attr is not None else None
                    if prev is None or not s_lo <= prev.verb_start < v.start():
                        # “…,” Roe said Tuesday, adding that …: the direct quote's attribution
                        prev = next((a for a in reversed(self.quote_attrs) if a.pid == pid
                                     and s_lo <= a.verb_start < v.start()), None)
                    if prev is not None and s_lo <= prev.verb_start < v.start() and prev.np_start >= 0 \
                            and not _more_words_than(par, max(prev.verb_end, prev.np_end), v.start(), 12):
                        np, np_from_prev = (prev.np_start, prev.np_end), True
                    else:
                        np = self._sentence_subject(pid, s_lo, v.start())
                elif _AND_BEFORE.search(par, max(s_lo, v.start() - 16), v.start()):
                    # "The mayor toured the site and said the city …": the verb shares the sentence's subject
                    np = self._sentence_subject(pid, s_lo, v.start())
                pre_hi = _strip_between(par, s_lo, v.start(), lex)
                pre_last = _last_nonspace(par, s_lo, pre_hi)       # par[s_lo:pre_hi].rstrip()[-1]
                # ---- trailing: "…, X said." / "…, said X."
                # a short tail that is a clause ("said the firm would grow") is reported speech, not
                # an attribution tail after the content
                # "Ana Lind, who was a senator until May, said the plan failed": a subject opening the sentence,
                # its appositives up to the verb, reports what follows (no "…, said <speaker>" inversion)
                # "…, an official said, adding that …", "…, said Jo Hale, the harbour master, adding that …": the
                # participle's report is its own; the tail ends before it
                tail_hi = self._participle_cut(par, v.end(), clause_hi) if not participle_verb else clause_hi
                reported = np is not None and tail_hi == clause_hi and (
                    self._reported_clause(par, v.end(), clause_hi) or (
                        _blank(par, s_lo, np[0]) and par[np[1]:np[1] + 1] == "," and np[1] < pre_last))
                tail_only = _tail_only(par, v.end(), tail_hi) and not reported
                if not tail_only and not reported and pre_last >= 0 and par[pre_last] == "," and lemma != "tell" \
                        and (v.group().lower() != lemma or lemma == "say"):
                    # "…, said Jane Roe, director of the Institute for …, who …": a long tail that is a
                    # name and its appositives
                    tail_only = self._appositive_tail(pid, v.end(), tail_hi)
                if forward_only:
                    tail_only = False
                np2 = None
                if pre_last >= 0 and par[pre_last] == "," and tail_only and not participle_verb:
                    # inverted: "…, said businesspeople from both ports." (never "…, saying the plan …")
                    np2 = _np_after(par, v.end(), tail_hi, lex, ix) if lemma != "tell" else None
                    if np2 is None and np is None:
                        continue
                if np2 is not None:
                    c_hi = pre_last
                    c_lo = max(taken_until, s_lo, self._content_start(pid, c_hi))
                    self._add(out, pid, lemma, v, np2, c_lo, c_hi, s_lo, clause_hi)
                    taken_until = max(taken_until, clause_hi)
                    continue
                if np is None:
                    continue
                before_last = _last_nonspace(par, s_lo, np[0])      # par[s_lo:np[0]].rstrip()[-1]

                def according_before() -> bool:                     # _ACCORDING.search(par, s_lo, np[0])
                    if np[0] - s_lo <= LONG_STRETCH:
                        return _ACCORDING.search(par, s_lo, np[0]) is not None
                    return next(_finditer_from(_ACCORDING, ix.according, par, s_lo, np[0]), None) is not None

                comma_before = before_last >= 0 and par[before_last] == "," and not according_before()
                if comma_before:
                    m_par = _PARENTHETICAL_AFTER.match(par, v.end(), clause_hi)
                    if m_par is not None and self._participle_follows(pid, v.end(), clause_hi):
                        m_par = None      # "…, an official said, adding that …": no parenthetical
                    if m_par is not None and not used:
                        # parenthetical: "The talks, the minister said, will resume next week."
                        c_lo = max(taken_until, s_lo, self._content_start(pid, before_last))
                        if not self._in_span(pid, before_last - 1) and \
                                self._add(out, pid, lemma, v, np, c_lo, before_last, s_lo, clause_hi,
                                          then=(m_par.end(), clause_hi)):
                            taken_until = max(taken_until, clause_hi)
                            continue
                if comma_before and tail_only and _SUBORDINATE_OPENING.match(par, _skip_space(par, s_lo)) \
                        and _more_words_than(par, v.end(), clause_hi, 2):
                    tail_only = False     # "When asked, the councillor said members travel": what follows
                if comma_before and tail_only and _RELATIVE_PRONOUN.search(par, v.end(), tail_hi):
                    continue      # "…, Roe never mentioned the man who …": an object and its clause, no tail
                if comma_before and tail_only:
                    c_hi = before_last
                    c_lo = max(taken_until, s_lo, self._content_start(pid, c_hi))
                    if self._in_span(pid, c_hi - 1):
                        continue
                    self._add(out, pid, lemma, v, np, c_lo, c_hi, s_lo, clause_hi)
                    taken_until = max(taken_until, clause_hi)
                    continue
                if used and not forward_only:
                    continue
                if not np_from_prev and before_last >= 0 and par[before_last] not in ",:;—–-" and not according_before() \
                        and not self._opened_subject(par, s_lo, np[0]) \
                        and not self._after_leading_word(par, s_lo, np[0]) \
                        and not _WHO_BETWEEN.fullmatch(par, np[1], v.start()) \
                        and not _OBJECT_RELATIVE_BEFORE.search(par, max(s_lo, np[0] - 60), np[0]):
                    # the phrase before the verb is not a clause subject ("the video said to be …")
                    # (it ends with none of ",:;", so it is no "In Beijing," either)
                    continue
                # ---- forward: "X said (that) …", "X told the Osaka Herald (on Monday) that …"
                # Only a "that" among the clause's first 11 words can pass the test below.
                after_hi = clause_hi
                if clause_hi - v.end() > LONG_STRETCH:
                    words = _first_words(par, v.end(), clause_hi, 11)
                    if len(words) == 11:
                        after_hi = words[-1].end()
                aside = _DASH_ASIDE.match(par, v.end(), after_hi)
                v_end = aside.end() if aside is not None else v.end()    # "said — in a note to members — that"
                after = par[v_end:after_hi]
                m_that = _THAT.search(after)
                if m_that and _words(after[:m_that.start()]) <= 10 and "," not in after[:m_that.start()].strip(", ") \
                        and not self._clause_opens(after[:m_that.start()]):
                    c_lo = v_end + m_that.end()
                elif lemma in lex.that_only:
                    # "announced she would run", "noted they had left": a pronoun and its verb open the clause
                    c_lo = self._pronoun_clause(par, v_end, clause_hi)
                    if c_lo is None:
                        continue
                else:
                    if lemma == "tell":
                        # "told reporters he would …", "told the Daily Post the plan was …": the hearer,
                        # then a clause
                        c_lo = self._clause_after_hearer(par, v.end(), clause_hi)
                        if c_lo is None:
                            continue
                        self._add(out, pid, lemma, v, np, c_lo, clause_hi, s_lo, clause_hi)
                        taken_until = max(taken_until, clause_hi)
                        continue
                    r0 = _SPACES_COMMAS.match(par, v_end, clause_hi).end()     # rest = par[r0:clause_hi]
                    if r0 >= clause_hi or not (par[r0].islower() or par[r0].isupper()
                                               or par[r0].isdigit() and self._number_subject(par, r0, clause_hi)) or \
                            (_PREP_NEXT.match(par, r0, clause_hi) and not self._np_then_verb(par, r0, clause_hi)):
                        # bare "said on Thursday." / "said as …": content only when a clause follows
                        if not _ON_CLAUSE.match(par, r0, clause_hi):
                            continue
                    c_lo = r0
                c_hi = clause_hi
                if clause_hi < s_hi:
                    c_hi = self._report_into_quote(par, c_lo, clause_hi, s_hi)
                if _SUBORDINATE_OPENING.match(par, _skip_space(par, s_lo)) and "," not in par[s_lo:np[0]]:
                    # "While only 8 percent said the fares were fair, most riders paid": the report ends with
                    # the subordinate clause, at its comma
                    comma = par.find(",", c_lo, c_hi)
                    if comma > 0:
                        c_hi = comma
                k_nc = bisect.bisect_left(ix.new_clauses, c_lo)
                if k_nc < len(ix.new_clauses) and ix.new_clauses[k_nc] < c_hi:
                    c_hi = ix.new_clauses[k_nc]   # "X said A, and she blamed B": B is no longer X's words
                n_before = len(out)
                self._add(out, pid, lemma, v, np, c_lo, c_hi, s_lo, clause_hi)
                taken_until = max(taken_until, c_hi)
                if len(out) > n_before:
                    # Reported speech ends where the next report in its clause begins ("he said that
                    # A, she said that B"): A is his, not "A, she said that B". Without this, n reports
                    # in one long clause gave n nested rows, n² characters in all.
                    q = out[-1]
                    q.forward = True
                    if n_before > first_of_par and out[n_before - 1].forward:
                        prev_lo = out[n_before - 1].pieces[0][1]
                        # the next report's subject, or its verb when the subject came first ("Roe, who
                        # says A, said B": A ends at "said"; "Roe said A and said B")
                        self._end_report_at(out, n_before - 1, min(
                            (x for x in (q.attr.np_start, q.attr.verb_start) if x > prev_lo), default=q.attr.verb_start))
        return out

    def according_quotes(self) -> list[Quote]:
        """“According to X, …” and “…, according to X.” without quotation marks (X a person or body; an outlet
        alone is a source, not a speaker, and only becomes a channel of a quote with its own speaker)."""
        out: list[Quote] = []
        # the first pieces of the reported speech found so far, per paragraph: starts in order and the
        # running maximum of their ends, to ask "does one overlap (c_lo, c_hi)?" by bisection
        done: dict[int, list[tuple[int, int]]] = {}
        for q in self._indirect_done:
            p0, a0, b0 = q.pieces[0]
            done.setdefault(p0, []).append((a0, b0))
        overlaps: dict[int, tuple[list[int], list[int]]] = {}
        for p0, pieces in done.items():
            pieces.sort()
            run_max, top = [], -1
            for _, b0 in pieces:
                top = max(top, b0)
                run_max.append(top)
            overlaps[p0] = ([a0 for a0, _ in pieces], run_max)
        for pid, par in enumerate(self.d.pars):
            ix = self.d.index[pid]
            for m in _ACCORDING.finditer(par):
                if self._in_span(pid, m.start()):
                    continue
                s_lo, s_hi = self.sentence_bounds(pid, m.start())
                np = _according_source(par, m.end(), s_hi, self.lex)
                if np is None:
                    continue
                z = _NONSPACE.search(par, np[1], s_hi)
                if z is not None and par[z.start()] == ",":
                    # "according to the province's chief medical officer, Dr. Yves Leger, …": the name in
                    # apposition is the source
                    named = _appositive_name(par, z.start() + 1, s_hi, self.lex)
                    if named is not None:
                        np = named
                head_last = _last_nonspace(par, s_lo, m.start())   # par[s_lo:m.start()].rstrip()[-1]
                then = None
                if head_last < 0:                             # According to X, content.
                    z = _NONSPACE.search(par, np[1], s_hi)    # the first comma after X, with only spaces before
                    if z is None or par[z.start()] != ",":
                        continue
                    c_lo, c_hi = z.start() + 1, s_hi
                elif par[head_last] != ",":
                    continue
                elif _NOT_SPACE_OR_DOT.search(par, np[1], s_hi) is None or _SOURCE_APPOSITIVE.match(par, np[1], s_hi) \
                        or self._verbless_appositive(par, np[1], s_hi):
                    c_lo, c_hi = s_lo, head_last              # content, according to X[, which …|, the …].
                else:
                    # content, according to X, more content: the two pieces around the attribution
                    z = _NONSPACE.search(par, np[1], s_hi)
                    if z is None or par[z.start()] != ",":
                        continue
                    c_lo, c_hi, then = s_lo, head_last, (z.start() + 1, s_hi)
                k = bisect.bisect_right(ix.span_starts, c_lo)
                if k < len(ix.span_starts) and ix.span_starts[k] < c_hi:
                    continue                                  # quoted words: the direct quote has them
                if pid in overlaps:
                    starts, run_max = overlaps[pid]
                    k = bisect.bisect_left(starts, c_hi)
                    if k and run_max[k - 1] > c_lo:
                        continue
                par_ = par
                while c_lo < c_hi and not par_[c_lo].isalnum():
                    c_lo += 1
                while c_hi > c_lo and par_[c_hi - 1] in " ,;:":
                    c_hi -= 1
                dl = _CAPS_DATELINE.match(par, c_lo, c_hi) if c_lo == 0 else None
                if dl is not None:
                    c_lo = dl.end()     # "OSLO (Harbour News) — …, according to X.": the dateline is no one's words
                pieces = [(pid, c_lo, c_hi)]
                if then is not None:
                    t_lo, t_hi = _trim_report(par, *then)
                    pieces.append((pid, t_lo, t_hi))
                if not _more_words_than(par, pieces[0][1], pieces[-1][2], 2):
                    continue
                a = Attr(pid, "according to", m.start(), m.end() - 1, par[np[0]:np[1]], np[0], np[1])
                if is_mediaish(a.np, self.lex):
                    a.channel = a.np
                out.append(Quote("indirect", pieces, attr=a))
        return out

    def _verbless_appositive(self, par: str, lo: int, hi: int) -> bool:
        """``par[lo:hi]`` is ", <a short phrase without a verb>" to the sentence end (", the chief medical
        officer."): an appositive, not the rest of a sentence."""
        z = _NONSPACE.search(par, lo, hi)
        if z is None or par[z.start()] != "," or _more_words_than(par, z.start(), hi, 8):
            return False
        lex = self.lex
        return not any(w in lex.auxiliaries or w in lex.past_tense or (len(w) > 4 and w.endswith("ed"))
                       or w in lex.verb_forms for w in (t.strip(".,;:!?") for t in par[z.start() + 1:hi].split()))

    def headline_quotes(self, found: list[Quote]) -> list[Quote]:
        """A report in a headline in title case: "Mayor Jane Roe Says The Ferry Will Run All Winter",
        "The Latest: Fishermen Say Catch Is Down" (the capitalised words after the verb are the report, not an
        inverted speaker, so the reported-speech pass leaves them). One per headline, where no other quote is."""
        out: list[Quote] = []
        taken = {q.pieces[0][0] for q in found if q.pieces}
        for pid, par in enumerate(self.d.pars):
            if pid in taken or not _headline_case(par):
                continue
            for v in _TITLE_VERB.finditer(par):
                lemma = self.lex.verb_forms.get(v.group().lower())
                if lemma not in _HEADLINE_LEMMAS:
                    continue
                s_lo = max(par.rfind(":", 0, v.start()), par.rfind("—", 0, v.start()),
                           par.rfind("–", 0, v.start()), par.rfind("|", 0, v.start())) + 1
                s_lo = _SPACES.match(par, s_lo, v.start()).end()
                clock = _GLUED_CLOCK.match(par, s_lo, v.start())
                if clock is not None:
                    s_lo = clock.end()      # a live blog's "9:52PMBush Says …": the time glued to the name
                s_hi = _last_nonspace(par, s_lo, v.start()) + 1
                if s_hi <= s_lo or _more_words_than(par, s_lo, s_hi, 6):
                    break
                c_lo, c_hi = _trim_report(par, _SPACES.match(par, v.end()).end(), len(par))
                while c_hi > c_lo and par[c_hi - 1] in ".!?":
                    c_hi -= 1
                if not _more_words_than(par, c_lo, c_hi, 2):
                    break
                a = Attr(pid, lemma, v.start(), v.end(), par[s_lo:s_hi], s_lo, s_hi)
                out.append(Quote("indirect", [(pid, c_lo, c_hi)], attr=a))
                break
        return out

    def _content_start(self, pid: int, c_hi: int) -> int:
        """Where unquoted speech ending at c_hi starts: the paragraph start, or after an earlier quote."""
        closes = self.d.index[pid].span_closes          # in order: the last close <= c_hi is the largest
        k = bisect.bisect_right(closes, c_hi)
        return closes[k - 1] if k else 0

    def _end_report_at(self, out: list[Quote], i: int, cut: int) -> None:
        """Reported speech ``out[i]`` ends before ``cut`` when that falls inside it (dropped when fewer
        than three words are left, like any report)."""
        pid, lo, hi = out[i].pieces[0]
        if not lo < cut < hi:
            return
        par = self.d.pars[pid]
        hi = cut
        while hi > lo and par[hi - 1] in " ,;:":
            hi -= 1
        joint = _JOINING_WORD_END.search(par, lo, hi)
        if joint is not None:
            hi = joint.start()      # "A said the plan failed, while B said …": the "while" joins, it is no one's words
        if _more_words_than(par, lo, hi, 2):
            out[i].pieces[0] = (pid, lo, hi)
        else:
            del out[i]

    def _add(self, out, pid, lemma, v, np, c_lo, c_hi, s_lo, s_hi, then: tuple[int, int] | None = None) -> bool:
        """Add the reported speech ``c_lo:c_hi`` (and the piece ``then`` after a parenthetical attribution)
        when it has three words or more; True when added."""
        par = self.d.pars[pid]
        dl = _CAPS_DATELINE.match(par, c_lo, c_hi) if c_lo == 0 else None
        if dl is not None:
            c_lo = dl.end()         # "MOSCOW (Reuters) — …, the Kremlin said.": the dateline is no one's words
        c_lo, c_hi = _trim_report(par, c_lo, c_hi)
        pieces = [(pid, c_lo, c_hi)] if c_hi > c_lo else []
        if then is not None:
            t_lo, t_hi = _trim_report(par, *then)
            if t_hi > t_lo:
                pieces.append((pid, t_lo, t_hi))
        if sum(_words(par[a:b]) for _, a, b in pieces) < 3:
            return False
        a = Attr(pid, lemma, v.start(), v.end(), par[np[0]:np[1]], np[0], np[1])
        a.channel = find_channel(par, lemma, v.end(), s_lo, s_hi, self.lex, self.d.index[pid])
        out.append(Quote("indirect", pieces, attr=a))
        self.used_verbs.add((pid, v.start()))
        return True

    # -------------------------------------------------------------- speakers
    def resolve(self, quotes: list[Quote]) -> None:
        history = _History()
        for q in sorted(quotes, key=lambda q: (q.attr.pid, q.attr.verb_start) if q.attr else q.pos):
            a = q.attr
            if a is None or not a.np:
                continue
            where = (a.pid, a.np_start)
            name, eid, gender = self._name_for(a, where, history)
            q.speaker, q.entity_id = name, eid
            if name:
                e = self.d.ent_by_id.get(eid) if eid else None
                if not gender and (e.type != "person" if e is not None else
                                   name.lower() in self.d.non_person_names or name[:1].isdigit()):
                    gender = "n"      # a place, country, organisation or share ("74 percent") is no "he" or "she"
                elif not gender and not eid and _plural_noun(name.split()[-1].lower(), self.lex) and (
                        name[0].islower() or " " not in name and self.d.person_mention_overlapping(
                            a.pid, a.np_start, a.np_end) is None):
                    gender = "n"      # "Fans say …", "the donors said": a group (no person's name, "Jane Sims")
                history.append((where, name, eid, gender))

    def _entity_name(self, eid: str) -> str:
        e = self.d.ent_by_id.get(eid)
        return e.name if e is not None else ""

    def _link(self, name: str) -> str:
        links = self.__dict__.setdefault("_links", {})   # the entities do not change: one look-up per name
        eid = links.get(name)
        if eid is None:
            eid = links[name] = self._find_link(name)
        return eid

    def _find_link(self, name: str) -> str:
        for e in self.d.entities.entities:
            if e.type == "person" and (e.name == name or (len(name.split()) == 1 and e.name.split()[-1:] == [name])) \
                    and not _bad_name(e.name):
                return e.entity_id
        eid = self.d.aliases.get(name.lower())
        if eid and self.d.ent_by_id.get(eid) is not None and self.d.ent_by_id[eid].type == "person":
            return eid
        return ""

    def _name_for(self, a: Attr, where, history) -> tuple[str, str, str]:
        lex, d = self.lex, self.d
        par = d.pars[a.pid]
        np = a.np.strip()
        low = np.lower()
        # the entity stage's person mention overlapping the speaker phrase (the first one listed)
        # a phrase that is a clause ("Jane Roe appeared with Ivan Petrov and …"): its subject comes first
        cw = _CLAUSE_WORD.search(par, a.np_start, a.np_end) if a.np_end - a.np_start > 20 and \
            par[a.np_start:a.np_start + 1].isupper() and np.split()[0].lower() not in lex.determiners else None
        if a.cue == "according to" and np.split()[-1].islower() and d.person_mention_overlapping(
                a.pid, a.np_start, a.np_end) is None:
            return np, "", "n"        # "according to Chinese customs data": the source as written
        if _QUANTIFIER_SUBJECT.fullmatch(np) or _SHARE_SUBJECT.match(np):
            # "Some", "Many of them", "Sixty per cent of respondents", "Half of those surveyed": a group, as
            # written (not its first capitalised word), never a "he"
            return np[:1].lower() + np[1:], "", "n"
        group = _NAMED_GROUP.fullmatch(np)
        if group is not None and group.group(1).lower() in lex.role_nouns \
                and (group.group(1).endswith("s") or group.group(1).lower() in lex.collective_nouns):
            # "Hamilton police", "Trump aides", "Chinese officials": the group speaks, not the name before it
            first = np.split()[0]
            if first.lower() not in _ADVERBIAL and first.lower() not in _PREPOSITIONS | {"among"}:
                if first.lower() in lex.determiners or first.lower() in _INDEFINITES | {"other", "some"}:
                    np = first.lower() + np[len(first):]
                return np, "", "n"
        m = d.person_mention_overlapping(a.pid, a.np_start, cw.start() if cw else a.np_end)
        m, works_for, owned = self._person_in_phrase(a, m, where)
        if owned is not None:
            return owned
        if m is not None:
            e = d.ent_by_id[m.entity_id]
            if not _bad_name(e.name):     # "Republic. Smbatyan": take the text's own name below
                return e.name, e.entity_id, d.gender.get(e.name, "")
        if low in lex.pronouns:
            return self._antecedent(low, where, history)
        for key in (low, re.sub(r"^(?:the|a|an)\s+", "", low)):
            eid = d.aliases.get(key)
            e = d.ent_by_id.get(eid) if eid else None
            # a person, or an organisation named by a role phrase ("the ministry"); never a country
            # for a demonym ("Cuban" is Mark Cuban when he speaks)
            if e is not None and (e.type == "person" or (e.type == "organization" and (
                    low.startswith("the ") or a.cue == "according to"))):
                return e.name, eid, d.gender.get(e.name, "")
        short = self._short_org(np) if not d.place_mention_overlapping(a.pid, a.np_start, a.np_end) else None
        if short is not None:
            return short.name, short.entity_id, "n"
        # a name: the last capitalised run of the phrase that survives title stripping
        runs = cap_runs(par, a.np_start, a.np_end)
        works_for = works_for or bool(runs) and _role_then_prep(par[a.np_start:runs[-1][0].start], lex)
        first_word = np.split()[0]
        sentence_initial = a.np_start == self.sentence_bounds(a.pid, a.np_start)[0] or \
            _ends_with(par, 0, a.np_start, ".!?”:\"")
        second = np.split()[1:2]
        is_role = first_word.lower() in lex.determiners or first_word[0].islower() or (
            # (not "Staff Sgt. Ann Roe": a role noun opening a title)
            sentence_initial and first_word.lower() in lex.role_nouns
            and not (second and _bare(second[0]) in lex.titles))
        best = None
        role_end = a.np_end
        prep_tail = is_role and not _CLAUSE_WORD.search(par, a.np_start, a.np_end)
        if prep_tail and runs and runs[-1][-1].end >= a.np_end - 1:
            # the role phrase ends at the first preposition opening a name of the tail ("professor Ann Lind of
            # the London School of Economics": at "of the London", not at "of Economics")
            for r in runs:
                pm = _TAIL_PREP_BEFORE.search(par, max(a.np_start, r[0].start - 12), r[0].start) \
                    if r[0].start > a.np_start else None
                if pm:
                    role_end = pm.start()
                    while role_end > a.np_start and par[role_end - 1].isspace():
                        role_end -= 1
                    break
        for r in runs if not works_for else ():
            if _party_tag_run(par, r) or (len(r) == 1 and r[0].text.endswith(".")
                                          and r[0].text.rstrip(".") in lex.regions):
                continue          # "Sen. Ann Roe (D-Ore.)", "… in Carson, Calif.": a party or a state
            toks, stripped = clean_run(r, lex)
            if not toks:
                continue
            if len(toks) == 1 and toks[0].text.lower() in lex.determiners | lex.role_nouns and \
                    not (stripped and stripped[-1] in HONORIFICS):
                continue
            if is_role and prep_tail and _TAIL_PREP_BEFORE.search(par, max(a.np_start, r[0].start - 12), r[0].start):
                # "a spokeswoman for the Acme Group", "former Gov. Jane Roe of Utah": a prepositional
                # phrase ends the role phrase; the name, if any, stands right before it
                continue
            if is_role and r[-1].end < role_end - 1:
                continue
            if is_role and toks[-1].text.lower() in lex.role_nouns:
                continue          # "the South Carolina Republican": a role, resolved below
            if best is not None and not is_role and _CLAUSE_WORD.search(par, best[0][-1].end, r[0].start):
                break             # "Jane Roe appeared with Ivan Petrov and …": the first name is the subject
            if best is not None and not is_role and len(best[0]) >= 2 and \
                    re.match(r"\s+(?:of|on|at|from)\s", par[best[0][-1].end:r[0].start]) and \
                    _bare(best[0][-1].text) not in lex.titles and _bare(best[0][-1].text) not in lex.role_nouns:
                break             # "Archbishop Jane Roe of the Harbour Church": the name, then where from
            best = (toks, stripped)
        if best is not None:
            toks, stripped = best
            nm = name_text(par, toks)
            if nm.split()[0].lower() in lex.pronouns or not nm:
                best = None
            else:
                full = d.full_name(nm, where) if len(toks) == 1 else nm
                eid = self._link(full) or self._link(nm)
                if eid:
                    full = self._entity_name(eid) or full
                g = d.gender.get(full, "") or d._title_gender(stripped)
                return full, eid, g
        # a role phrase: resolved when the article titled exactly one person that way
        phrase = re.sub(r"(?:'s|’s)$", "", np)
        content = [w for w in phrase.split() if w.lower() not in lex.determiners]
        if content and all(w.lower().rstrip(".") in lex.titles for w in content):
            if len(content) == 1 and first_word[:1].isupper() and first_word.lower() not in lex.determiners:
                full = d.full_name(first_word, where)
                if full.split()[-1] == first_word and full != first_word:
                    # "King said" after "Billie Jean King": a surname that is also a title word
                    return full, self._link(full), d.gender.get(full, "")
            # a bare title: resolved when the article titled one person so; else the phrase itself
            # when it is a definite description ("the senator"), never a lone title word ("President")
            r = d.resolve_role(" ".join(content), where)
            if r:
                return r, self._link(r), d.gender.get(r, "")
            if first_word.lower() not in lex.determiners:
                return "", "", ""
        r = d.resolve_role(phrase, where)
        if r:
            return r, self._link(r), d.gender.get(r, "")
        if first_word[0].isupper() and (first_word.lower() in lex.determiners
                                        or sentence_initial and first_word.lower() in lex.role_nouns
                                        and first_word.lower() not in lex.profile.get("us_parties", ())):
            # "The mayor", "Analysts" opening a sentence ("Democrats" keeps its capital: a party)
            phrase = first_word.lower() + phrase[len(first_word):]
        head = (par[a.np_start:role_end].split() or phrase.split())[-1]
        # a plural, a group ("the Roe campaign", "the committee") or a thing ("a post from Jane Roe") is no
        # "he" or "she" later; a person's role is ("the harbour master", "a spokeswoman for Acme")
        plural = head.lower().endswith("s") or " and " in phrase or head.capitalize() in lex.org_words or (
            role_end < a.np_end and head.lower() not in lex.role_nouns) or head.lower() in lex.collective_nouns
        return phrase, "", "n" if plural else ""

    def _short_org(self, np: str):
        """The article's one organisation a "the" and a single capitalised word stand for: the first or last
        word of its name ("the Globe" after "The Globe and Mail", "the Tribune" after "the Lakeside Tribune").
        (Not a place or a demonym: "the Romanian" is a person.)"""
        m = _SHORT_ORG.fullmatch(np)
        if m is None:
            return None
        word = m.group(1)
        if word.lower() in self.lex.role_nouns or word.lower() in self.lex.profile.get("us_parties", ()):
            return None       # "the Democrats", "the Ministry": a group or a role
        # without "the" only a catalogued one ("Forbes"): "Roe said" is a person, not a found "Roe and Co"
        found_too = np.lower().startswith("the ")
        hits = {}
        for e in self.d.entities.entities:
            words = e.name.split()[1:] if e.name.startswith("The ") else e.name.split()
            if e.type == "organization" and len(words) > 1 and word in (words[0], words[-1]) \
                    and (found_too or e.source == "catalog"):
                hits[e.entity_id] = e
        return next(iter(hits.values())) if len(hits) == 1 else None

    def _person_in_phrase(self, a: Attr, m, where):
        """What a person mention inside the speaker phrase is to the speaker: (the mention that names the
        speaker or None, whether the phrase is a role working for that person, the speaker when the
        phrase is owned by a person). "an aide to Mr. Roe" and "a Roe aide" are not Roe; "Roe's lawyer"
        is Roe's; "Roe's rival Sen. Ann Poe" is Poe."""
        d, lex = self.d, self.lex
        par = d.pars[a.pid]
        works_for = m is not None and _role_then_prep(par[a.np_start:m.char_start], lex)
        if works_for:
            m = None                      # "a spokesperson for Trudeau's office", "an aide to Mr. Roe": the role
        possessor = m is not None and _possessor_mention(par, a, m.char_end, lex)
        if possessor:                     # "Roe's lawyer": Roe owns the speaker
            return None, False, self._possessed_speaker(a, d.ent_by_id[m.entity_id].name, m.char_end, where)
        if m is not None and (_modifier_mention(par, a, m.char_end, lex) or _titled_name_after(par, a, m.char_end, lex)):
            m = None                      # "a Roe aide", "the Roe campaign": a group or role, not Roe
        elif m is not None and _possessive_at(par, m.char_end):
            # "Roe's primary rival Sen. Ann Poe", "Roe’s friend and adviser Tom Lind": the person after
            later = d.person_mention_overlapping(a.pid, m.char_end + 2, a.np_end)
            between = par[m.char_end:later.char_start] if later is not None else ""
            if later is not None and later.char_start > m.char_end and not between.lower().endswith("the ") \
                    and not any(c in between for c in ("“", "”", "\"", "‘", "''")):
                m = later             # (not "the Islamic State", nor a name inside a quoted title)
        if m is None:
            # an owner the entity stage did not find: "Roe's lawyer" with Roe named only here
            run = first_cap_run(par, a.np_start, a.np_end, at_lo=True)
            if run is not None and _possessor_mention(par, a, run[-1].end, lex):
                toks, _ = clean_run(run, lex)
                nm = name_text(par, toks)
                if nm:
                    owner = d.full_name(nm, where) if len(toks) == 1 else nm
                    return None, False, self._possessed_speaker(a, owner, run[-1].end, where)
        return m, works_for, None

    def _possessed_speaker(self, a: Attr, owner: str, owner_end: int, where) -> tuple[str, str, str]:
        """"Roe's lawyer": the one person the article titled so ("Roe's lawyer, Ivan Petrov"), else the
        phrase with its owner by the name the article gives it ("Jane Roe's lawyer")."""
        d, lex = self.d, self.lex
        par = d.pars[a.pid]
        r = d.resolve_role(re.sub(r"(?:'s|’s)$", "", a.np.strip()), where)
        if r:
            return r, self._link(r), d.gender.get(r, "")
        tail = par[owner_end:a.np_end]
        role = tail.split(maxsplit=1)[-1] if tail.split()[0] in ("'s", "’s", "'", "’") else tail.strip()
        around = par[max(0, owner_end - 2):owner_end + 2]
        mark = ("’" if "’" in around else "'") + ("s" if re.search(r"['’]s", around) else "")
        head = role.split()[-1]
        group = head.endswith("s") or head.capitalize() in lex.org_words or head.lower() in lex.collective_nouns
        return f"{owner}{mark} {role}", "", "n" if group else ""

    def _subject_since(self, after, where, g: str) -> str | None:
        """The last person named as a sentence subject between ``after`` and ``where`` whose gender is not
        known to differ from ``g``, when one is named there and is not the speaker at ``after``."""
        keys, cands = self.d.subject_mentions
        for i in range(bisect.bisect_left(keys, where) - 1, -1, -1):
            if keys[i] <= after:
                return None
            full = cands[i][1]
            if self.d.gender.get(full, "") in ("", g) and self._link(full):   # a person the entity stage found
                self.d.gender.setdefault(full, g)
                return full
        return None

    def _antecedent(self, pron: str, where, history: "_History") -> tuple[str, str, str]:
        g = self.lex.pronouns.get(pron, "n")
        if pron in ("i", "we", "it"):
            return "", "", ""
        # the genders a speaker may have to be the antecedent
        genders = ("n",) if pron == "they" else tuple(x for x in ("", g) if x != "n")
        # the most recent compatible speaker within three paragraphs, unless a person named as a sentence
        # subject since is nearer ("Jane Roe condemned the attack. He said …" after Ivan Petrov's quotes)
        hit = history.latest(genders, since_pid=where[0] - 3)
        if hit is not None and pron in ("he", "she"):
            subj = self._subject_since(hit[0], where, g)
            if subj is not None:
                return subj, self._link(subj), g
        if hit is not None:
            pos, name, eid, gender = hit
            if pron in ("he", "she"):
                self.d.gender.setdefault(name, g)
            return name, eid, g if pron != "they" else "n"
        if pron == "they":
            return "", "", ""
        # else the most recent person named as a sentence subject (within two paragraphs)
        keys, cands = self.d.subject_mentions
        for i in range(bisect.bisect_left(keys, where) - 1, -1, -1):
            pid, full = cands[i]
            if where[0] - pid > 2:
                break
            if self.d.gender.get(full, "") not in ("", g):
                continue
            pos = self.d.pars[pid].find(full, keys[i][1])     # (the run may open with a leading word)
            if pos >= 0 and self.d.place_mention_overlapping(pid, pos, pos + len(full), org=True) \
                    and self.d.person_mention_overlapping(pid, pos, pos + len(full)) is None:
                continue      # "Pine Cove is …", "Acme Corp said …": a place or a body is no "he" or "she"
            self.d.gender.setdefault(full, g)
            return full, self._link(full), g
        hit = history.latest(genders)
        if hit is not None:
            return hit[1], hit[2], g
        return "", "", ""


def _titled_name_after(par: str, a: "Attr", m_end: int, lex: QuoteLexicon) -> bool:
    """A name that only modifies a title before another name: "Roe Communications Director Anna Kovac",
    "Roe spokesman Ivan Petrov" (title or role words, then two or more capitalised words, end the phrase)."""
    rest = par[m_end:a.np_end].split()
    if rest and rest[0] in ("'s", "’s", "s"):
        rest = rest[1:]       # "Roe’s campaign manager Ivan Petrov"
    if len(rest) < 3:
        return False
    titled = [i for i, w in enumerate(rest) if _bare(w) in lex.titles or w.lower() in lex.role_nouns]
    if not titled:
        return False
    tail = rest[titled[-1] + 1:]
    # "Roe spokesman Ivan Petrov", "Roe campaign spokeswoman Ivan Petrova": the name after the last title
    return 2 <= len(tail) <= 4 and all(w[:1].isupper() for w in tail) and titled[-1] <= 4


def _possessor_mention(par: str, a: "Attr", m_end: int, lex: QuoteLexicon) -> bool:
    """A name that owns the phrase's head: "Roe's lawyer", "Roe’s former campaign manager" (lower-case
    words after the possessive end the phrase; "Roe's spokesman Ivan Petrov" names Petrov instead)."""
    poss = _possessive_at(par, m_end) or (par[m_end:m_end + 1] in ("'", "’") and par[m_end - 1:m_end] == "s")
    if not poss:
        return False          # (the second form: "Sanders’ campaign")
    rest = par[m_end:a.np_end].split()
    if rest and rest[0] in ("'s", "’s", "s", "'", "’"):
        rest = rest[1:]
    if not rest or len(rest) > 4 or not all(w[:1].islower() for w in rest) \
            or any(w.endswith("ed") and "-" not in w for w in rest):
        return False          # "Roe's aide rallied supporters": a clause, not a phrase
    # the head is someone who speaks for the owner: a role ("lawyer", "campaign manager") or a
    # group with a category ("campaign"), not a thing ("Roe's latest remarks", "Roe's stock")
    head = rest[-1].strip(",.;:").lower()
    return head in lex.role_nouns or _bare(head) in lex.titles or head in lex.collective_nouns \
        or categorize(head, "", "", lex) != UNKNOWN


def _possessive_at(par: str, end: int) -> bool:
    """Whether the word ending at ``end`` is a possessive ("Roe's", or "Roe" before "'s")."""
    return bool(POSSESSIVE.search(par[max(0, end - 2):end])) or par[end:end + 2] in ("'s", "’s")


def _modifier_mention(par: str, a: "Attr", m_end: int, lex: QuoteLexicon) -> bool:
    """A name inside a role phrase that only modifies its head noun: "one Roe supporter", "the Roe
    campaign", "a Roe aide" (the phrase opens with a determiner; lower-case words follow the name)."""
    first = a.np.split()[0].lower() if a.np.strip() else ""
    if first not in lex.determiners or m_end >= a.np_end:
        return False
    rest = par[m_end:a.np_end].split()
    if len(rest) > 2 or len(a.np.split()) > 6:
        return False
    return bool(rest) and not POSSESSIVE.search(par[m_end - 2:m_end + 2]) and all(w[:1].islower() for w in rest)


class _History:
    """The speakers named so far, in reading order (their paragraphs never decrease): (pos, speaker,
    entity_id, gender). ``latest`` finds the most recent with one of some genders without walking
    back over the others."""

    def __init__(self):
        self.entries: list[tuple[tuple[int, int], str, str, str]] = []
        self.pids: list[int] = []
        self.by_gender: dict[str, list[int]] = {}

    def append(self, entry: tuple[tuple[int, int], str, str, str]) -> None:
        self.by_gender.setdefault(entry[3], []).append(len(self.entries))
        self.entries.append(entry)
        self.pids.append(entry[0][0])

    def latest(self, genders: tuple[str, ...], since_pid: int | None = None):
        """The last entry whose gender is in ``genders`` (and whose paragraph is >= since_pid)."""
        best = max((self.by_gender[x][-1] for x in genders if x in self.by_gender), default=-1)
        if best < 0 or (since_pid is not None and best < bisect.bisect_left(self.pids, since_pid)):
            return None
        return self.entries[best]


def _rows(ex: _Extractor, quotes: list[Quote]) -> list[QuoteRow]:
    article_id = ex.a.article_id
    pars = ex.a.paragraphs
    rows: list[QuoteRow] = []
    quotes = sorted(quotes, key=lambda q: (q.pieces[0][0], q.pieces[0][1]))
    for n, q in enumerate(quotes, 1):
        qid = f"{article_id}:q{n}"
        a = q.attr
        cue = ""
        if a is not None:
            # the reporting verb as written ("said", "pointed out"); "according to"; ":" for a colon intro
            cue = _WS.sub(" ", pars[a.pid][a.verb_start:a.verb_end].lower()).strip() or a.cue
        channel = a.channel if a else ""
        # group pieces per paragraph; merge pieces of one paragraph when the gap between them is short
        pieces = sorted(set(q.pieces))
        groups: list[list[int]] = []
        for pid, s, e in pieces:
            if groups and groups[-1][0] == pid:
                gap = _words(pars[pid][groups[-1][2]:s]) - 1
                said = groups[-1][3] + _words(pars[pid][s:e])
                if gap <= max(MERGE_GAP_WORDS, MERGE_GAP_SHARE * said):
                    groups[-1][2] = e
                    groups[-1][3] = said
                    continue
            groups.append([pid, s, e, _words(pars[pid][s:e])])
        for pid, s, e, _ in groups:
            rows.append(QuoteRow(article_id, pid, qid, q.speaker, q.entity_id, cue, channel, q.kind,
                                 pars[pid][s:e], s, e))
    return rows


# ---------------------------------------------------------------------------- the passes
#
# find spans (marks.find_spans) and find cues (find_cues) index each paragraph; attribute gives every quote
# its own cue and speaker phrase; carry_attribution gives one to the quotes with none of their own; resolve
# names the speakers; to_rows writes the records. The profile pass (pipeline/quotes/profile.py) follows.

QuoteContext = _Extractor
"""One article's paragraphs, their quotation spans and cues, and the entity lookups, shared by the passes."""


def find_cues(par: str, lex: QuoteLexicon) -> list[tuple[int, int]]:
    """Pass 2: where a paragraph reports speech, as (start, end) in order: the lexicon's reporting-verb forms
    (``said``, ``pointed out``) and ``according to``. Which of them attribute a quote (not inside quotation
    marks or markup, not a noun such as ``the claims``) is the attribute pass's business."""
    cues = [(m.start(), m.end()) for m in lex.find_verbs(par)]
    cues += [(m.start(), m.start() + len(m.group().rstrip())) for m in _ACCORDING.finditer(par)]
    return sorted(cues)


def attribute(ctx: QuoteContext) -> list[Quote]:
    """Pass 3: every quote with the cue and speaker phrase of its own sentence, in this order: direct quotes
    (quotation-mark spans and the cues around them), reported speech (cues in unquoted text, ``that``
    clauses), ``according to`` sources and reports in title-case headline lines. A direct quote with no cue of
    its own has ``attr`` None."""
    direct = ctx.direct_quotes()
    indirect = ctx.indirect_quotes()
    ctx._indirect_done = indirect       # according_quotes skips what reported speech already holds
    return direct + indirect + ctx.according_quotes() + ctx.headline_quotes(direct + indirect)


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


def carry_attribution(ctx: QuoteContext, quotes: list[Quote]) -> None:
    """Pass 4: a direct quote with no cue of its own takes one from its context, in this order: a later
    sentence's own person subject; the quote before it in its paragraph; the paragraph before, when that
    ends in a colon ("Jane Roe told the council: ¶ “…”"); the last quote of the paragraph before, when the
    quote opens its paragraph (a quote continued over paragraphs, or after reported speech); else the
    person subject of its own sentence ("Jane Roe thanked the council for “…”"). Marks ``inherited``."""
    last_by_par: dict[int, Quote] = {}
    # per paragraph, the attributed quotes ending in it whose attribution is in it, in order of their
    # last piece's start: (those starts, (last piece's end, quote))
    ends_by_par: dict[int, tuple[list[int], list[tuple[int, Quote]]]] = {}
    for q in sorted(quotes, key=lambda q: q.pieces[-1][:2]):
        if q.attr is not None:
            pid, s_last, e_last = q.pieces[-1]
            last_by_par[pid] = q
            if q.attr.pid == pid:
                starts, items = ends_by_par.setdefault(pid, ([], []))
                starts.append(s_last)
                items.append((e_last, q))
    for q in quotes:
        if q.kind != "direct" or q.attr is not None:
            continue
        pid, start, _ = q.pieces[0]
        # the last of those ending at or before ``start`` (only one starting before it can)
        before = None
        if pid in ends_by_par:
            starts, items = ends_by_par[pid]
            for i in range(bisect.bisect_left(starts, start) - 1, -1, -1):
                if items[i][0] <= start:
                    before = items[i][1]
                    break
        opens_par = _NOT_OPENING.search(ctx.d.pars[pid], 0, start) is None
        intro = ctx.intro_attr(pid - 1) if before is None and opens_par and pid > 0 else None
        own = None
        if before is not None and before.pieces[-1][0] == pid:
            # a later sentence with its own person as subject ("Witnesses said … . Later, Mayor Jane
            # Roe condemned the “…”") is that person's, not the earlier speaker's
            s_lo = ctx.sentence_bounds(pid, start)[0]
            if before.pieces[-1][2] <= s_lo:
                own = ctx.subject_attr(q)
                if own is not None and own.np.lower() in ctx.lex.pronouns:
                    own = None
        if own is not None:
            q.attr = own
        elif before is not None:
            q.attr = before.attr
        elif intro is not None:
            q.attr = intro
        elif opens_par and (pid - 1) in last_by_par:
            q.attr = last_by_par[pid - 1].attr
        else:
            q.attr = ctx.subject_attr(q)
            if q.attr is None and opens_par and pid > 0 and _quote_only(ctx.d.pars[pid], q.pieces[-1][2]):
                q.attr = ctx.previous_subject_attr(pid - 1)
            elif q.attr is None and not opens_par and ctx.opens_sentence(q):
                q.attr = ctx.previous_subject_attr(pid, ctx.d.spans[pid][q.spans[0][1]].open)
        q.inherited = q.attr is not None


def resolve_speakers(ctx: QuoteContext, quotes: list[Quote]) -> None:
    """Pass 5: each speaker phrase named — an entity-stage person, a name from the text (titles stripped),
    a pronoun's antecedent, the one person a role phrase titles — with its entity id when there is one."""
    ctx.resolve(quotes)


def to_rows(ctx: QuoteContext, quotes: list[Quote]) -> list[QuoteRow]:
    """The records: one row per quote and paragraph (pieces of one paragraph merged across a short
    attribution), ``quote_id`` numbered in reading order."""
    return _rows(ctx, quotes)


def extract(article: ArticleText, entities: EntityResult, lex: QuoteLexicon) -> list[QuoteRow]:
    ctx = QuoteContext(article, entities, lex)
    quotes = attribute(ctx)
    carry_attribution(ctx, quotes)
    resolve_speakers(ctx, quotes)
    return to_rows(ctx, quotes)
