"""Direct and reported speech in one article, with speakers resolved inside the article.

Linear scans over each paragraph: quotation marks first (``marks.find_spans``), then reporting verbs
around them (attribution), then reporting verbs in the unquoted text (indirect speech). Speakers are
named from the text itself and, when the entity stage found them, linked to its entities.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.marks import find_spans, sentence_ends
from pipeline.quotes.names import POSSESSIVE, _abbrev, _bare, cap_runs, clean_run, is_mediaish, name_text
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
_WORDS = re.compile(r"\w+")
_POSS_END = re.compile(r"(?:'s|’s)$")
_ACCORDING = re.compile(r"\baccording\s+to\s+", re.I)
_THAT = re.compile(r"\bthat\b", re.I)


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
        self.pars = list(article.paragraphs)
        self.spans = [find_spans(p) for p in self.pars]
        self.ends = [sentence_ends(p, lex.abbreviations) for p in self.pars]
        self.entities = entities
        self.ent_by_id: dict[str, EntityRow] = {e.entity_id: e for e in entities.entities}
        self.person_mentions: dict[int, list] = {}
        for m in entities.mentions:
            e = self.ent_by_id.get(m.entity_id)
            if e is not None and e.type == "person":
                self.person_mentions.setdefault(m.paragraph_id, []).append(m)
        self.aliases = {k.lower(): v for k, v in (entities.aliases or {}).items()}
        self._build_registry()

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
            runs = cap_runs(par)
            n_words = par.count(" ") + 1
            if n_words >= 3 and sum(len(r) for r in runs) > 0.7 * n_words:
                continue      # a heading-like line in title case names nobody
            sent_starts = [0] + self.ends[pid]
            seen_sent: set[int] = set()
            spans = self.spans[pid]
            for run in runs:
                if len(run) == 1:
                    # one word: only a mention (full names need two); what clean_run would do, inline
                    t = run[0]
                    w = t.text
                    if w.rstrip(".") in not_names or w.lower() in skip_first or _bare(w) in titles \
                            or w.rstrip(".") in org_words:
                        continue
                    if spans and any(sp.start <= t.start < sp.end for sp in spans):
                        continue
                    nm = name_text(par, run)
                    if not nm:
                        continue
                    possessive = bool(POSSESSIVE.search(w)) or par[t.end:t.end + 2] in ("'s", "’s")
                    sent = bisect.bisect_right(sent_starts, t.start) - 1
                    first = sent not in seen_sent
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
                seen_sent.add(sent)
                if len(toks) >= 2:
                    before = par[max(0, run[0].start - 60):run[0].start]
                    ctx = {w.lower() for w in _WORDS.findall(before)[-5:]} | set(stripped)
                    ctx |= {_POSS_END.sub("", w) for w in ctx}
                    self.names.append((pid, run[0].start, nm, ctx))
                    g = self._title_gender(stripped)
                    if g:
                        self.gender.setdefault(nm, g)
                if not spans or not any(sp.start <= run[0].start < sp.end for sp in spans):
                    self.mentions.append((pid, run[0].start, nm, possessive, first))
        for pid, ms in self.person_mentions.items():
            for m in ms:
                e = self.ent_by_id[m.entity_id]
                if len(e.name.split()) >= 2:
                    self.names.append((pid, m.char_start, e.name, set()))

    @staticmethod
    def _title_gender(stripped: list[str]) -> str:
        if {"mr", "sir", "king", "prince", "lord", "father", "congressman", "spokesman", "chairman"} & set(stripped):
            return "m"
        if {"mrs", "ms", "miss", "queen", "princess", "lady", "dame", "congresswoman", "spokeswoman",
                "chairwoman"} & set(stripped):
            return "f"
        return ""

    def full_name(self, short: str, where: tuple[int, int] | None = None) -> str:
        """The article's full name for a one-word reference ("Maslov" -> "Alexey Maslov")."""
        if " " in short:
            return short
        cands_last = [n for (_, _, n, _) in self.names if n.split()[-1] == short]
        cands_first = [n for (_, _, n, _) in self.names if n.split()[0] == short]
        for cands in (cands_last, cands_first):
            if cands:
                # the most frequent, then the first seen
                best = max(cands, key=lambda n: (cands.count(n), -cands.index(n)))
                return best
        return short

    def resolve_role(self, phrase: str, where: tuple[int, int]) -> str:
        """A role phrase ("the Chinese president") -> the one person the article titled that way."""
        words = [re.sub(r"(?:'s|’s)$", "", w.lower()) for w in re.findall(r"[\w'’]+", phrase)]
        words = [w for w in words if w not in self.lex.determiners]
        if not words or words[-1] not in self.lex.role_nouns:
            return ""
        need = set(words)
        found = [(pid, pos, n) for (pid, pos, n, ctx) in self.names if need <= ctx and (pid, pos) < where]
        if not found:
            return ""
        distinct = {n for _, _, n in found}
        if len(distinct) == 1:
            return found[-1][2]
        return ""


# ---------------------------------------------------------------------------- speaker phrases

def _strip_between(par: str, lo: int, hi: int, lex: QuoteLexicon) -> int:
    """Move ``hi`` left past adverbs and auxiliaries between a speaker and its verb ("Xi again said")."""
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
        break
    return hi


def _looks_appositive(seg: str, lex: QuoteLexicon) -> bool:
    s = seg.strip()
    if not s:
        return True
    first = s.split()[0]
    if first[0].isdigit():
        return True
    if first.lower() in ("who", "which", "whose"):
        return True
    if first.lower() in lex.pronouns:
        return False
    return first.lower() in lex.determiners or first[0].islower()


def subject_before(par: str, lo: int, vstart: int, lex: QuoteLexicon,
                   verb_starts: list[int] | None = None) -> tuple[int, int] | None:
    """Offsets of the speaker phrase that ends right before a reporting verb, or None."""
    hi = _strip_between(par, lo, vstart, lex)
    seg_hi = hi
    # a subject pronoun right before the verb is its subject ("…, in which he stated that …")
    pm = _PRON_END.search(par, lo, hi)
    if pm and pm.group(1).lower() in lex.pronouns and pm.start(1) > lo:
        return pm.start(1), pm.end(1)
    # an object relative clause: "NAFTA, which Trump had called …" -> Trump
    rm = _REL_SUBJECT.search(par, lo, hi)
    if rm and _plausible_subject(rm.group(1), lex):
        return rm.start(1), rm.end(1)
    text = par[lo:hi]
    # walk back over appositives: "Alexey Maslov, director of the Institute ..., told"
    cuts = [lo + m.start() for m in re.finditer(r",", text)]
    bounds = [lo] + [c + 1 for c in cuts]
    segs = []
    for i in range(len(bounds)):
        s_lo = bounds[i]
        s_hi = cuts[i] if i < len(cuts) else hi
        segs.append((s_lo, s_hi))
    choice = None
    for k in range(len(segs) - 1, -1, -1):
        s_lo, s_hi = segs[k]
        seg = par[s_lo:s_hi]
        if not seg.strip():
            continue
        if choice is None:
            choice = (s_lo, s_hi)
            if not _looks_appositive(seg, lex) or k == 0:
                break
            # an appositive: the name is in the segment before it, when that one is short and capitalised
            prev = par[segs[k - 1][0]:segs[k - 1][1]].strip() if k > 0 else ""
            if prev and (prev[0].isupper() or prev.split()[0].lower() in lex.pronouns) and _words(prev) <= 8 \
                    and k - 1 >= 0:
                # keep walking: the previous segment becomes the choice
                choice = None
                continue
            break
        else:
            choice = (s_lo, s_hi)
            break
    if choice is None:
        return None
    s_lo, s_hi = choice
    while s_lo < s_hi and not par[s_lo].isalnum():
        s_lo += 1
    while s_hi > s_lo and not (par[s_hi - 1].isalnum() or par[s_hi - 1] in ".’'"):
        s_hi -= 1
    while True:
        m = re.match(r"([A-Za-z]+)\b[\s,]*", par[s_lo:s_hi])
        if m and m.group(1).lower() in lex.leading and m.end() < s_hi - s_lo:
            s_lo += m.end()
            continue
        break
    if _words(par[s_lo:s_hi]) > MAX_SUBJECT_WORDS:
        # "experts David Albright and Serena Kelleher of Washington's Institute for Science and …": the head
        m = _SUBJECT_PP.search(par, s_lo, s_hi)
        if m and _words(par[s_lo:m.start()]) >= 2 and re.search(r"\b[A-Z][a-z]+\s+[A-Z]", par[s_lo:m.start()]):
            s_hi = m.start()
    if s_hi <= s_lo or _words(par[s_lo:s_hi]) > MAX_SUBJECT_WORDS:
        return None
    if verb_starts is not None:
        k = bisect.bisect_left(verb_starts, s_lo)
        if k < len(verb_starts) and verb_starts[k] < s_hi:
            return None       # a phrase with a reporting verb of its own is no subject
    elif lex.find_verbs(par[s_lo:s_hi]):
        return None
    if not _plausible_subject(par[s_lo:s_hi], lex):
        return None
    del seg_hi
    return s_lo, s_hi


_TITLE_BEFORE = re.compile(
    r"(?:\b(?:on|in|of|at|for|with|titled|entitled|named|book|show|program|programme|film|movie|play|series|song|"
    r"album|novel|column|headline|documentary|newsletter|podcast|campaign)|['’]s"
    r"|\b(?!(?:it|him|her|them|he|she|they|we|i|you|and|has|had|was|were|is|are|have)\b)[a-z]+\s+"
    r"(?:called|named|dubbed|nicknamed|known\s+as))$")
_MENTION_BEFORE = re.compile(r"\b(?:phrase|word|words|term|terms|slogan|hashtag|label|motto|nickname|catchphrase|"
                             r"expression|acronym|moniker|chant)$", re.I)

# "WASHINGTON (Reuters) - ", "Beijing, March 3 (Xinhua) -- ", "BEIJING — " opening a paragraph
_DATELINE = re.compile(r"\s*[A-Z][A-Za-z .,'\d]{0,40}?(?:\s*\([A-Za-z .]+\))?\s*(?:[—–]|-{1,2})\s+")
_PRON_END = re.compile(r"(?<![\w'’-])(he|she|they|we|I|He|She|They|We)\s+$")
_REL_SUBJECT = re.compile(r"\b(?:which|that|whom)\s+((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*|(?:the|a|an)\s+[a-z]+(?:\s+[a-z]+)?)\s*$")
_SUBJECT_PP = re.compile(r"\s(?:of|at|from|for|with|in)\s")

_CONJUNCTIONS = {"and", "or", "but", "nor", "yet"}
_ADVERBIAL = {"in", "on", "at", "during", "after", "before", "since", "when", "while", "if", "as", "although",
              "though", "because", "with", "without", "for", "from", "by", "to", "of", "about", "under", "over",
              "today", "yesterday", "tonight"}


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
    if first in _ADVERBIAL or first in _CONJUNCTIONS or (first in lex.not_names_lower and first not in lex.determiners):
        return False
    last = re.sub(r"(?:'s|’s)$", "", words[-1].strip(",.").lower())
    if last in _ADVERBIAL or last in lex.determiners:
        return False
    if len(words) == 1 and words[0][0].isupper() and words[0].endswith("ing") and len(words[0]) >= 6:
        return False      # "Using", "Speaking": a sentence-initial participle, not a name
    if words[0][0].islower() and first not in lex.determiners:
        # "former George W. Bush speechwriter Noam Neusner", "columnist Ai Jun", "officials"
        return (last in lex.role_nouns and len(words) <= 4) or words[-1][:1].isupper()
    return True


def _np_after(par: str, lo: int, hi: int, lex: QuoteLexicon | None = None) -> tuple[int, int] | None:
    """The phrase right after an inverted verb ("…,” said Robert McDonough, a senior executive …)."""
    m = re.match(r"\s*", par[lo:hi])
    s_lo = lo + m.end()
    rest = par[s_lo:hi]
    cut = re.search(r",|;|\s[—–-]\s|\s\(|\s(?:who|whose|which|that)\s|$", rest)
    s_hi = s_lo + cut.start()
    while s_hi > s_lo and not (par[s_hi - 1].isalnum() or par[s_hi - 1] in ".’'"):
        s_hi -= 1
    if s_hi <= s_lo or _words(par[s_lo:s_hi]) > MAX_SUBJECT_WORDS:
        return None
    if par[s_hi - 1] == "." and not re.search(r"(?:\b[A-Z]|\b(?:Jr|Sr|Inc|Co|Corp|Ltd))\.$", par[s_lo:s_hi]):
        s_hi -= 1
    if s_hi <= s_lo:
        return None
    ws = par[s_lo:s_hi].split()
    role = lex is not None and any(w.lower().strip(",.") in lex.role_nouns for w in ws[:3])
    if not (par[s_lo].isupper() or ws[0].lower() in ("the", "a", "an") or (ws[-1][:1].isupper() and len(ws) <= 8)
            or role):
        return None
    return s_lo, s_hi


_CHAN_AFTER_TOLD = re.compile(r"\s*(?:the\s+)?(?=[A-Z])")
_CHAN_PREP = re.compile(r"\b(?:in an? (?:\w+ )?interview with|in an? (?:\w+ )?interview on|to|on|in|with|via)\s+(?:the\s+)?(?=[A-Z])")


def _run_at(par: str, pos: int, hi: int) -> str:
    runs = cap_runs(par, pos, hi)
    if not runs or runs[0][0].start != pos:
        return ""
    return POSSESSIVE.sub("", par[runs[0][0].start:runs[0][-1].end]).rstrip(".,")


def find_channel(par: str, cue: str, verb_end: int, lo: int, hi: int, lex: QuoteLexicon) -> str:
    """The outlet words were given to ("told the Global Times") or taken from ("according to TASS")."""
    if cue.startswith("tell") or cue == "told":
        m = _CHAN_AFTER_TOLD.match(par, verb_end, hi)
        if m:
            name = _run_at(par, m.end(), hi)
            toks = name.split()
            if name and not (toks[0].rstrip(".").lower() in lex.titles):
                return name
    for m in _ACCORDING.finditer(par, lo, hi):
        p = m.end()
        if par.startswith("the ", p):
            p += 4
        name = _run_at(par, p, hi)
        if name and is_mediaish(name, lex):
            return name
    for m in _CHAN_PREP.finditer(par, verb_end, hi):
        name = _run_at(par, m.end(), hi)
        if name and is_mediaish(name, lex):
            return name
    return ""


_COLON_INTRO = re.compile(r"([^\s,:;—–-][^,:;—–]*?)\s*(?::|\s[—–]|,\s*according\s+to\s+\w+:?)\s*$")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")  # markup left in the text (<tweet author="…">): no words of speech
_NOUN_BEFORE = re.compile(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your|these|those|this|such|whose|many|"
                          r"several|some|any|no)|\w['’]s?)\s+$", re.I)


def _noun_use(par: str, i: int) -> bool:
    """A verb form used as a noun: "Pyongyang's claims", "the report", "his remarks"."""
    return bool(_NOUN_BEFORE.search(par, max(0, i - 12), i))


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
        self._all_verb_starts: dict[int, list[int]] = {}

    # sentence containing position i: (start, end)
    def sentence_bounds(self, pid: int, i: int) -> tuple[int, int]:
        par = self.d.pars[pid]
        start, end = 0, len(par)
        for e in self.d.ends[pid]:
            if e <= i:
                start = e
            else:
                end = e
                break
        # never cross into quoted text when asked from outside it
        return start, end

    def _in_span(self, pid: int, i: int) -> bool:
        return any(s.start <= i < s.end for s in self.d.spans[pid])

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
        a.channel = find_channel(par, a.cue, verb_end, lo, hi, self.lex)
        return a

    def _according(self, pid: int, par: str, acc: re.Match, hi: int) -> Attr | None:
        """``according to X``: X is the source; an outlet (``TASS``) is also the channel."""
        p = acc.end() + (4 if par.startswith("the ", acc.end()) else 0)
        np = _np_after(par, p, hi)
        if not np:
            return None
        a = Attr(pid, "according to", acc.start(), acc.end(), par[np[0]:np[1]], np[0], np[1])
        if is_mediaish(a.np, self.lex):
            a.channel = a.np
        return a

    def _verbs(self, pid: int, lo: int, hi: int):
        cache = self.__dict__.setdefault("_verb_cache", {})
        found = cache.get(pid)
        if found is None:
            par = self.d.pars[pid]
            tags = [(t.start(), t.end()) for t in _TAG.finditer(par)] if "<" in par else []
            every = self.lex.find_verbs(par)
            self._all_verb_starts[pid] = [m.start() for m in every]
            found = cache[pid] = [m for m in every
                                  if not self._in_span(pid, m.start()) and not _noun_use(par, m.start())
                                  and not any(a <= m.start() < b for a, b in tags)]
        return [m for m in found if lo <= m.start() and m.end() <= hi]

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
        hi = spans[k + 1].open if k + 1 < len(spans) else len(par)
        for e in self.d.ends[pid]:
            if lo < e <= hi and par[lo:e].strip(" ,.!?\"”’'»"):
                hi = e
                break
        verbs = self._verbs(pid, lo, hi)
        acc = _ACCORDING.search(par, lo, hi)
        if acc and (not verbs or acc.start() < verbs[0].start()) and _words(par[lo:acc.start()]) <= 2:
            a = self._according(pid, par, acc, hi)
            if a:
                return a
        if not verbs:
            # “Go back to Univision,” Trump barked …: an unlisted past-tense verb right after a short subject
            inner = par[s.start:s.end].rstrip()
            m = re.match(r"[\s,]*((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*|he|she)\s+([a-z]{3,}ed)\b", par[lo:hi])
            if m and inner[-1:] in (",", "?", "!"):
                a = Attr(pid, m.group(2), lo + m.start(2), lo + m.end(2), m.group(1), lo + m.start(1), lo + m.end(1))
                if _plausible_subject(a.np, self.lex):
                    return a
            return None
        v = verbs[0]
        if par[s.start:s.end].rstrip().endswith(".") and k + 1 < len(spans) and hi == spans[k + 1].open:
            # “… countries.” He pledged “cooperation” …: the verb introduces the next quote, not this one
            return None
        pre = par[lo:v.start()]
        n_pre = _words(pre.strip(" ,;:—–-"))
        if n_pre > 2 * MAX_SUBJECT_WORDS or (n_pre > MAX_SUBJECT_WORDS and "," in pre.strip(" ,;:—–-")):
            return None
        a = Attr(pid, self._lemma(v), v.start(), v.end())
        if re.match(r"[\s,;:—–-]*(?:but|and|while|because|although|though|as|so|yet|or|if|when|after|before)\b",
                    pre, re.I):
            return None
        pre_hi = _strip_between(par, lo, v.start(), self.lex)
        if not par[lo:pre_hi].strip(" ,;:—–-\"”’'»"):
            np = _np_after(par, v.end(), hi, self.lex)
            if np is None or self._lemma(v) == "tell":
                return None
        else:
            np = None
            if par[lo:pre_hi].rstrip().endswith(",") and self._lemma(v) != "tell":
                # “velvet gloves” in its dealings with Central Asia, said Nargis Kassenova, …
                np = _np_after(par, v.end(), hi, self.lex)
            if np is None:
                np = subject_before(par, lo, v.start(), self.lex, self._verb_starts(pid))
            if np is None:
                return None
        return self._with_speaker(a, par, np, v.end(), lo, hi)

    def leading(self, pid: int, k: int) -> Attr | None:
        par = self.d.pars[pid]
        spans = self.d.spans[pid]
        s = spans[k]
        hi = s.open
        lo = spans[k - 1].close if k > 0 else 0
        for e in self.d.ends[pid]:
            if lo < e <= hi:
                lo = e
        if not par[lo:hi].strip():
            return None
        verbs = self._verbs(pid, lo, hi)
        frag = par[lo:hi]
        if not verbs:
            # "Mr. Trump on Twitter: “…”" / "Putin — “…”": a speaker introduced by a colon or a dash
            tail = frag.rstrip()
            m = _COLON_INTRO.search(frag) if tail.endswith((":", "—", "–")) else None
            acc = _ACCORDING.search(par, lo, hi)
            a = self._according(pid, par, acc, hi) if acc else None
            if a:
                return a
            if m and frag.rstrip().endswith((":", "—", "–")):
                seg_lo = lo + m.start(1)
                seg_hi = lo + m.end(1)
                runs = cap_runs(par, seg_lo, seg_hi)
                pron = re.match(r"(he|she|they)\b", par[seg_lo:seg_hi], re.I)
                head = [w.lower() for w in par[seg_lo:runs[0][0].start].split()] if runs else []
                if runs and _words(par[seg_lo:seg_hi]) <= 8 and all(
                        w in self.lex.determiners or w in self.lex.leading for w in head):
                    r = runs[0]
                    return Attr(pid, ":", seg_hi, seg_hi, par[r[0].start:r[-1].end], r[0].start, r[-1].end)
                if pron:
                    return Attr(pid, ":", seg_hi, seg_hi, pron.group(), seg_lo, seg_lo + len(pron.group()))
            return None
        for v in verbs:
            a = Attr(pid, self._lemma(v), v.start(), v.end())
            np = subject_before(par, lo, v.start(), self.lex, self._verb_starts(pid))
            participle = v.group().lower().endswith("ing")
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

    def _sentence_subject(self, pid: int, lo: int, hi: int) -> tuple[int, int] | None:
        par = self.d.pars[pid]
        p = lo
        dl = _DATELINE.match(par, lo, hi)
        if dl:
            p = dl.end()
        m = re.match(r"\s*(?:(?:[A-Z][a-z]+|In|On|At|During|After|Before)\b[^,]{0,40},\s*)?", par[p:hi])
        p = p + (m.end() if m else 0)
        while True:
            m2 = re.match(r"([A-Za-z]+)\b[\s,]*", par[p:hi])
            if m2 and m2.group(1).lower() in self.lex.leading:
                p += m2.end()
                continue
            break
        pm = re.match(r"(he|she|they|we|i)\b", par[p:hi], re.I)
        if pm:
            return p, p + len(pm.group())
        runs = cap_runs(par, p, hi)
        if runs and runs[0][0].start == p and _plausible_subject(par[p:runs[0][-1].end], self.lex):
            toks, _ = clean_run(runs[0], self.lex)
            if toks:
                return runs[0][0].start, runs[0][-1].end
        # also "Sen. Ted Cruz was …" where the first run starts the sentence after an intro clause
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
        for q in quotes:
            for i, (pid, k) in enumerate(q.spans):
                s = self.d.spans[pid][k]
                inner = self.d.pars[pid][s.start:s.end].rstrip()
                ends_mid = inner[-1:] in (",", "?", "!", "—", "–", "-", "…") or inner.endswith(("?", "!"))
                tries = []
                if s.closed and ends_mid:
                    tries.append(self.trailing)
                if i == 0 and s.opened:
                    tries.append(self.leading)
                if s.closed and not ends_mid:
                    tries.append(self.trailing)
                for f in tries:
                    a = f(pid, k)
                    if a is not None:
                        q.attr = a
                        break
                if q.attr is not None:
                    break
        # split quotes: “A,” he said. “B” — B takes A's attribution and joins A
        merged: list[Quote] = []
        by_span: dict[tuple[int, int], Quote] = {}
        for q in quotes:
            pid, k = q.spans[0]
            prev, pk = None, k - 1
            while pk >= 0:
                cand = by_span.get((pid, pk))
                ps_ = self.d.spans[pid][pk]
                if cand is not None and not (len(cand.pieces) == 1 and self._title_like(pid, ps_.start, ps_.end)):
                    prev = cand
                    break
                pk -= 1
            if prev is not None and prev.attr is not None and prev.attr.pid == pid:
                ps = self.d.spans[pid][pk]
                s = self.d.spans[pid][k]
                same = (q.attr is not None and q.attr.verb_start == prev.attr.verb_start
                        and re.fullmatch(r"[^.!?“”\"]{0,60}[,:]\s*", self.d.pars[pid][q.attr.verb_end:s.open]) is not None
                        and not self._title_like(pid, s.start, s.end))
                between = ps.close <= prev.attr.verb_start < s.open
                if same or ((q.attr is None or q.attr.pid != pid) and between):
                    prev.pieces.extend(q.pieces)
                    prev.spans.extend(q.spans)
                    for sp in q.spans:
                        by_span[sp] = prev
                    continue
            merged.append(q)
            for sp in q.spans:
                by_span[sp] = q
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
                same_sentence = ppid == pid and not any(last_close < e <= s0.open for e in self.d.ends[pid])
                opens_sentence = not self.d.pars[pid][self.sentence_bounds(pid, s0.open)[0]:s0.open].strip()
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
            elif q.attr is not None:
                last_q[q.pieces[-1][0]] = q
            joined.append(q)
        out = joined
        # scare quotes and titles: short and unattributed
        kept = []
        for q in out:
            n = sum(_words(self.d.pars[p][a:b]) for p, a, b in q.pieces)
            if (q.attr is None or q.inherited) and n < MIN_UNATTRIBUTED_WORDS:
                continue
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
        # a list of titles: “Parks and Recreation” and “Guardians of the Galaxy”
        return bool(re.search(r"[”\"»']\s*(?:,|and|or)$", before))

    def _mention_context(self, pid: int, s: int) -> bool:
        """Words quoted as words, not speech: "the phrase “anchor baby”", "the term “…”"."""
        before = self.d.pars[pid][max(0, s - 30):s].rstrip(" “\"'«‘")
        return bool(_MENTION_BEFORE.search(before))

    # -------------------------------------------------------------- indirect speech
    def indirect_quotes(self) -> list[Quote]:
        out: list[Quote] = []
        lex = self.lex
        for pid, par in enumerate(self.d.pars):
            spans = self.d.spans[pid]
            taken_until = 0
            for v in self._verbs(pid, 0, len(par)):
                if (pid, v.start()) in self.used_verbs:
                    continue
                lemma = self._lemma(v)
                if lemma in lex.quote_only:
                    continue
                s_lo, s_hi = self.sentence_bounds(pid, v.start())
                # the clause after the verb, up to the sentence end or a quotation mark
                clause_hi = s_hi
                for s in spans:
                    if v.end() <= s.open < clause_hi:
                        clause_hi = s.open
                        break
                after = par[v.end():clause_hi]
                np = subject_before(par, s_lo, v.start(), lex, self._verb_starts(pid))
                if v.group().endswith("ing") and par[s_lo:v.start()].rstrip().endswith(","):
                    # "The Russians have used …, saying the city is …": the subject opens the sentence
                    np = self._sentence_subject(pid, s_lo, v.start())
                pre_hi = _strip_between(par, s_lo, v.start(), lex)
                pre_text = par[s_lo:pre_hi]
                # ---- trailing: "…, X said." / "…, said X."
                tail = after.strip()
                tail_only = (not tail or re.fullmatch(r"[^.!?]{0,80}[.!?]?[\"”’']?", tail) and len(tail.split()) <= 10
                             and not _THAT.search(tail))
                if pre_text.rstrip().endswith(",") and tail_only:
                    # inverted: "…, said businesspeople from the two countries."
                    np2 = _np_after(par, v.end(), clause_hi, lex) if lemma != "tell" else None
                    if np2 is None:
                        continue
                    c_hi = pre_text.rstrip().rfind(",") + s_lo
                    c_lo = max(taken_until, self._content_start(pid, c_hi))
                    self._add(out, pid, lemma, v, np2, c_lo, c_hi, s_lo, clause_hi)
                    taken_until = max(taken_until, clause_hi)
                    continue
                if np is None:
                    continue
                before_np = par[s_lo:np[0]].rstrip()
                if before_np.endswith(",") and tail_only and not _ACCORDING.search(par, s_lo, np[0]):
                    c_hi = s_lo + len(before_np) - 1
                    c_lo = max(taken_until, self._content_start(pid, c_hi))
                    if self._in_span(pid, c_hi - 1):
                        continue
                    self._add(out, pid, lemma, v, np, c_lo, c_hi, s_lo, clause_hi)
                    taken_until = max(taken_until, clause_hi)
                    continue
                if before_np and not _ACCORDING.search(par, s_lo, np[0]) and not re.search(r"[,:;]$", before_np):
                    # the phrase before the verb is not a clause subject ("the video said to be …")
                    if not re.fullmatch(r"(?:[A-Z]\w*|In|On|At|During|After)\b.*,", before_np) and before_np:
                        continue
                # ---- forward: "X said (that) …", "X told the Global Times (on Thursday) that …"
                m_that = _THAT.search(after)
                if m_that and _words(after[:m_that.start()]) <= 10 and "," not in after[:m_that.start()].strip(", "):
                    c_lo = v.end() + m_that.end()
                elif lemma in lex.that_only:
                    continue
                else:
                    if lemma == "tell":
                        continue
                    m0 = re.match(r"[\s,]*", after)
                    rest = after[m0.end():]
                    if not rest or not (rest[0].islower() or rest[0].isupper()) or re.match(
                            r"(?:in|on|at|to|by|for|with|of|after|before|during|about|from|as|and|but|or|so|the\s+\w+\s+(?:of|in))\b",
                            rest):
                        # bare "said on Thursday." / "said as …": content only when a clause follows
                        if not re.match(r"(?:on|in|at)\s+\w+\s*,?\s+(?:that\s+)?[a-z]", rest):
                            continue
                    c_lo = v.end() + m0.end()
                c_hi = clause_hi
                self._add(out, pid, lemma, v, np, c_lo, c_hi, s_lo, clause_hi)
                taken_until = max(taken_until, c_hi)
        return out

    def according_quotes(self) -> list[Quote]:
        """“According to X, …” and “…, according to X.” without quotation marks (X a person or body; an outlet
        alone is a source, not a speaker, and only becomes a channel of a quote with its own speaker)."""
        out: list[Quote] = []
        for pid, par in enumerate(self.d.pars):
            for m in _ACCORDING.finditer(par):
                if self._in_span(pid, m.start()):
                    continue
                s_lo, s_hi = self.sentence_bounds(pid, m.start())
                p = m.end() + (4 if par.startswith("the ", m.end()) else 0)
                np = _np_after(par, p, s_hi, self.lex)
                if np is None or is_mediaish(par[np[0]:np[1]], self.lex):
                    continue
                head = par[s_lo:m.start()].strip()
                if not head:                                  # According to X, content.
                    comma = par.find(",", np[1], s_hi)
                    if comma < 0 or par[np[1]:comma].strip():
                        continue
                    c_lo, c_hi = comma + 1, s_hi
                elif head.endswith(",") and par[np[1]:s_hi].strip(" .") == "":   # content, according to X.
                    c_lo, c_hi = s_lo, s_lo + len(par[s_lo:m.start()].rstrip()) - 1
                else:
                    continue
                if any(c_lo < s.start < c_hi for s in self.d.spans[pid]):
                    continue                                  # quoted words: the direct quote has them
                if any(q.pieces[0][0] == pid and q.pieces[0][1] < c_hi and q.pieces[0][2] > c_lo
                       for q in self._indirect_done):
                    continue
                par_ = par
                while c_lo < c_hi and not par_[c_lo].isalnum():
                    c_lo += 1
                while c_hi > c_lo and par_[c_hi - 1] in " ,;:":
                    c_hi -= 1
                if _words(par[c_lo:c_hi]) < 3:
                    continue
                a = Attr(pid, "according to", m.start(), m.end() - 1, par[np[0]:np[1]], np[0], np[1])
                out.append(Quote("indirect", [(pid, c_lo, c_hi)], attr=a))
        return out

    def _content_start(self, pid: int, c_hi: int) -> int:
        """Where unquoted speech ending at c_hi starts: the paragraph start, or after an earlier quote."""
        start = 0
        for s in self.d.spans[pid]:
            if s.close <= c_hi:
                start = max(start, s.close)
        return start

    def _add(self, out, pid, lemma, v, np, c_lo, c_hi, s_lo, s_hi) -> None:
        par = self.d.pars[pid]
        while c_lo < c_hi and not par[c_lo].isalnum() and par[c_lo] not in "“\"'‘$(":
            c_lo += 1
        while c_hi > c_lo and par[c_hi - 1] in " ,;:":
            c_hi -= 1
        if _words(par[c_lo:c_hi]) < 3:
            return
        a = Attr(pid, lemma, v.start(), v.end(), par[np[0]:np[1]], np[0], np[1])
        a.channel = find_channel(par, lemma, v.end(), s_lo, s_hi, self.lex)
        out.append(Quote("indirect", [(pid, c_lo, c_hi)], attr=a))
        self.used_verbs.add((pid, v.start()))

    # -------------------------------------------------------------- speakers
    def resolve(self, quotes: list[Quote]) -> None:
        history: list[tuple[tuple[int, int], str, str, str]] = []   # (pos, speaker, entity_id, gender)
        for q in sorted(quotes, key=lambda q: (q.attr.pid, q.attr.verb_start) if q.attr else q.pos):
            a = q.attr
            if a is None or not a.np:
                continue
            where = (a.pid, a.np_start)
            name, eid, gender = self._name_for(a, where, history)
            q.speaker, q.entity_id = name, eid
            if name:
                history.append((where, name, eid, gender))

    def _entity_name(self, eid: str) -> str:
        e = self.d.ent_by_id.get(eid)
        return e.name if e is not None else ""

    def _link(self, name: str) -> str:
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
        # the entity stage's person mention overlapping the speaker phrase
        for m in d.person_mentions.get(a.pid, []):
            if m.char_start < a.np_end and m.char_end > a.np_start:
                e = d.ent_by_id[m.entity_id]
                if _bad_name(e.name):
                    break         # "Republic. Smbatyan": take the text's own name below
                return e.name, e.entity_id, d.gender.get(e.name, "")
        if low in lex.pronouns:
            return self._antecedent(low, where, history)
        for key in (low, re.sub(r"^(?:the|a|an)\s+", "", low)):
            eid = d.aliases.get(key)
            e = d.ent_by_id.get(eid) if eid else None
            # a person, or an organisation named by a role phrase ("the ministry"); never a country
            # for a demonym ("Cuban" is Mark Cuban when he speaks)
            if e is not None and (e.type == "person" or (e.type == "organization" and low.startswith("the "))):
                return e.name, eid, d.gender.get(e.name, "")
        # a name: the last capitalised run of the phrase that survives title stripping
        runs = cap_runs(par, a.np_start, a.np_end)
        first_word = np.split()[0]
        sentence_initial = a.np_start == self.sentence_bounds(a.pid, a.np_start)[0] or \
            par[:a.np_start].rstrip().endswith((".", "!", "?", "”", ":", "\""))
        is_role = first_word.lower() in lex.determiners or first_word[0].islower() or (
            sentence_initial and first_word.lower() in lex.role_nouns)
        best = None
        for r in runs:
            toks, stripped = clean_run(r, lex)
            if not toks:
                continue
            if len(toks) == 1 and toks[0].text.lower() in lex.determiners | lex.role_nouns:
                continue
            if is_role and r[-1].end < a.np_end - 1:
                continue
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
            # a bare title ("the President") is never a speaker: resolve or leave unknown
            r = d.resolve_role(" ".join(content), where)
            return (r, self._link(r), d.gender.get(r, "")) if r else ("", "", "")
        r = d.resolve_role(phrase, where)
        if r:
            return r, self._link(r), d.gender.get(r, "")
        if first_word[0].isupper() and first_word.lower() in lex.determiners:
            phrase = first_word.lower() + phrase[len(first_word):]
        plural = phrase.split()[-1].lower().endswith("s") or " and " in phrase
        return phrase, "", "n" if plural else ""

    def _antecedent(self, pron: str, where, history) -> tuple[str, str, str]:
        g = self.lex.pronouns.get(pron, "n")
        if pron in ("i", "we", "it"):
            return "", "", ""
        def ok(gender: str) -> bool:
            if pron == "they":
                return gender == "n"
            return gender in ("", g)
        # the most recent compatible speaker within three paragraphs
        for pos, name, eid, gender in reversed(history):
            if where[0] - pos[0] > 3:
                break
            if ok(gender) and not (pron != "they" and gender == "n"):
                if pron in ("he", "she"):
                    self.d.gender.setdefault(name, g)
                return name, eid, g if pron != "they" else "n"
        if pron == "they":
            return "", "", ""
        # else the most recent person named as a sentence subject
        for pid, pos, name, possessive, first in reversed(self.d.mentions):
            if (pid, pos) >= where or where[0] - pid > 2:
                continue
            if possessive or not first:
                continue
            full = self.d.full_name(name) if " " not in name else name
            if " " not in full:
                continue
            if not ok(self.d.gender.get(full, "")):
                continue
            self.d.gender.setdefault(full, g)
            return full, self._link(full), g
        for pos, name, eid, gender in reversed(history):
            if ok(gender) and gender != "n":
                return name, eid, g
        return "", "", ""


def _rows(ex: _Extractor, quotes: list[Quote]) -> list[QuoteRow]:
    article_id = ex.a.article_id
    pars = ex.d.pars
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


def extract(article: ArticleText, entities: EntityResult, lex: QuoteLexicon) -> list[QuoteRow]:
    ex = _Extractor(article, entities, lex)
    direct = ex.direct_quotes()
    indirect = ex.indirect_quotes()
    ex._indirect_done = indirect
    indirect += ex.according_quotes()
    allq = direct + indirect
    # a quote-only paragraph after reported speech ("Carter said that …" / "“That's because …”") is
    # the same speaker's: it inherits the attribution of the previous paragraph's last quote
    # a quote after reported speech in its own paragraph ("Sami recalled how … “And I was like …”") is
    # that speaker's too
    last_by_par: dict[int, Quote] = {}
    ends_by_par: dict[int, list[tuple[int, Quote]]] = {}
    for q in sorted(allq, key=lambda q: q.pieces[-1][:2]):
        if q.attr is not None:
            last_by_par[q.pieces[-1][0]] = q
            ends_by_par.setdefault(q.pieces[-1][0], []).append((q.pieces[-1][2], q))
    for q in direct:
        pid, start, _ = q.pieces[0]
        if q.attr is not None:
            continue
        before = [o for e, o in ends_by_par.get(pid, ()) if e <= start and o.attr.pid == pid]
        if before:
            q.attr = before[-1].attr
            q.inherited = True
        elif not ex.d.pars[pid][:start].strip(" “\"'«") and (pid - 1) in last_by_par:
            q.attr = last_by_par[pid - 1].attr
            q.inherited = True
    ex.resolve(allq)
    return _rows(ex, allq)
