"""Direct and reported speech in one article, with speakers resolved inside the article.

The stage is a sequence of named passes (bottom of this module): find spans (``marks.find_spans``: the
quotation-mark spans of each paragraph), find cues (``find_cues``: reporting verbs and "according to"),
attribute (each quote with its own cue and speaker phrase), carry the attribution to quotes with none of
their own, resolve the speakers to names and entities, and the rows; pipeline/quotes/profile.py then gives
each speaker a side, a description and a category. Each pass reads a bounded stretch around what it looks
at, so the stage stays linear in the article's length.

The extractor's reported-speech passes are in reported.py and its speaker resolution in speakers.py (mixins);
the article it reads is document._Doc, the phrase grammar it uses is phrases.py, and stretches.py holds the
bounded text helpers.
"""
from __future__ import annotations

import bisect
import re

from pipeline.quotes.attribution import Attr, Quote
from pipeline.quotes.document import _Doc
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.names import cap_runs, clean_run, first_cap_run, is_mediaish, name_text
from pipeline.quotes.phrases import (_DATELINE, MAX_SUBJECT_WORDS, _ADVERBIAL, _CLAUSE_OPENERS, _LEADING_WORD, _NAME_START,
                                     _QUOTED_AS, _SPACES, _SUBJECT_PRONOUN, _TIME_PHRASE, _colon_intro, _noun_use,
                                     _np_after, _past_leading, _plausible_subject, _strip_between, find_channel,
                                     subject_before)
from pipeline.quotes.reported import ReportedSpeech
from pipeline.quotes.speakers import SpeakerResolution, _possessive_at
from pipeline.quotes.stretches import (_ACCORDING, _BE_FORMS, _PASSIVE_AGENT, _RELATIVE_PRONOUN, _TOKEN, _blank,
                                       _ends_with, _last_nonspace, _more_words_than, _passive_without_agent,
                                       _quote_only, _word_before, _words)
from pipeline.records import PIECE_JOINER, ArticleText, EntityResult, QuoteRow

# An unattributed quoted stretch this short is a scare quote or a title, not a quotation.
MAX_SCARE_WORDS = 3
# An unattributed quoted stretch needs this many words to be kept as a direct quote with no speaker.
MIN_UNATTRIBUTED_WORDS = 4
# A quote split around its attribution in one paragraph ("“A,” he said. “B”") is one row when the
# attribution between the parts is at most this many words; otherwise one row per part (same quote_id).
MERGE_GAP_WORDS = 10
# ... or when the words between are at most this share of the quoted words (the row stays mostly quote).
MERGE_GAP_SHARE = 1.5


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

# an introductory phrase before the subject: "On Sunday, …", "In Salem, …", "But that morning, …"
_INTRO_CLAUSE = re.compile(r"\s*(?:(?:[A-Z][a-z]+|In|On|At|During|After|Before|" + _TIME_PHRASE
                           + r")\b[^,]{0,40},\s*)?")

_CLAUSE_NAME = re.compile(r"(?:,\s+(?:while|whereas|but|and)|;)\s+((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)"
                          r"(?=,|\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b)")

_NAME_VERB = re.compile(r"(?<![\w'’.-])((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)\s+(?:[a-z]+ly\s+)?([a-z]{2,}(?:ed|s))\b")

_WORD_BEFORE = re.compile(r"([a-z]+)\s+$")

# after a subject's name: its party tag or a finite verb ("… Ann Roe (D-Ore.) said",
# "… Ann Roe criticized", "… Ann Roe on Monday said")
_VERB_OR_TAG_NEXT = re.compile(r"\s*(?:\(|(?:on|in|at)\s|[a-z]+(?:ed|s)\b)")

# "-s"/"-ed" words after a name that are no verb of its own clause ("Jane Roe's plan was …", "Roe was named …")
_AUXILIARIES = {"was", "is", "has", "does", "says", "its", "his", "this", "as", "us", "yes", "less", "plus",
                "needed", "used", "based", "named", "called", "asked", "seemed", "appeared"}

# a clause boundary between an earlier verb and a later subject: ", and", "; ", ", while", "and"
_CLAUSE_START = re.compile(r"(?:[,;]\s*(?:and|but|while|whereas|as|when|(?:to|at|after|upon|in|on|for|with)\s+(?:which|whom))?"
                           r"|\s(?:and|but|while|whereas|when))\s+\S*$|\(\s*$")

# "deficits add up to …", "adds to the pressure", "will add a night flight": an amount added, no speech
_ADD_TO = re.compile(r"add(?:s|ed|ing)?\s+(?:up\b|to\s+(?:the|a|an|its|his|her|their|our)\b)")
_ADD_OBJECT = re.compile(r"add\s+(?:a|an|the|\d|more|some|new)\b")
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|can|may|might|should|to)\s+$")


def _amount_added(par: str, i: int) -> bool:
    """The "add" at ``i`` adds something, not words: "add up to", "adds to the …", "will add a …"."""
    if not par.startswith("add", i):
        return False
    return _ADD_TO.match(par, i) is not None or (
        _ADD_OBJECT.match(par, i) is not None and _MODAL_BEFORE.search(par, max(0, i - 8), i) is not None)


_GO_ON_TO = re.compile(r"(?:go|goes|going|went)\s+on\s+to\b")     # "went on to praise …": what followed, no speech

_UNLISTED_REPORT = re.compile(r"[\s,]*((?:(?:an?|the)\s+[a-z]+\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*|he|she)"
                             r"\s+([a-z]{3,}ed)\b")

_UNLISTED_INVERSION = re.compile(r"[\s,]*([a-z]{3,}ed)(?=\s+[A-Z])")

_ROLE_SUBJECT = re.compile(r"((?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|"
                           r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}(?:'s|’s))\s+(?:[\w'’-]+\s+){0,3}?([a-z]+)"
                           r"(?:\s+(?:for|of|at|inside|with|from|in)\s+(?:the\s+)?[A-Z][\w'’.-]*"
                           r"(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*)?)"
                           r"(?=,?\s+(?:(?:[a-z]+ly|later|also|then|again|earlier|now|still)\s+)?(?:[a-z]+ed|[a-z]+s|has|had|was|is|did|will|would)\b)")

_WORD_CHAR = re.compile(r"\w")

_SHORT_COMMA_SEGMENT = re.compile(r"([^,;:“”\"]{1,30}?),\s+")


_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")  # markup left in the text (<tweet author="…">): no words of speech

_WS = re.compile(r"\s+")

# what may follow a verb that reports no content: "in a statement", "on Twitter", "on Monday", "to reporters"
_BARE_REPORT_TAIL = re.compile(r"(?:(?:in|on|to|at|during|after|before|via|by)\s+(?:a\s+|an\s+|the\s+)?"
                               r"[\w'’.-]+(?:\s+[\w'’.-]+){0,3}\s*){1,2}")

# words before a name that ends a colon introduction: "More from Jane Roe:", "… quoted Jane Roe:"
_NAME_INTRODUCERS = {"from", "by", "quoted", "quoting", "cited", "citing"}

_VERB_TO_QUOTE = re.compile(r"(?:\s+on\s+\w+day)?\s+that\s*")

_NOT_OPENING = re.compile(r"[^ “\"'«]")       # text[:i].strip(" “\"'«") is empty when none is before i


# ---------------------------------------------------------------------------- attribution of quotes


class _Extractor(ReportedSpeech, SpeakerResolution):
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
                     and not _GO_ON_TO.match(par, m.start(), m.end() + 4)
                     and not _amount_added(par, m.start())]
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

    def _only_titles_before(self, par: str, lo: int, hi: int) -> bool:
        """Whether ``par[lo:hi]`` is a few words that can title the name after them ("Democratic
        presidential candidate Sen."): no comma, determiner or preposition ("A Roe aide", "Attorneys for")."""
        words = par[lo:hi].split()
        return 0 < len(words) <= 6 and "," not in par[lo:hi] and not any(
            (w.lower() in self.lex.determiners or w.lower() in _ADVERBIAL)
            and not self.lex.posting_before(" ".join(words[:k + 1]))    # ("Chinese Ambassador to Kenya")
            for k, w in enumerate(words))

    def _titled_person_at(self, pid: int, lo: int, hi: int):
        """The first person mention in [lo, hi) when it is the subject after a few title words ("After
        the vote, opposition leader Ana Lind released …"): at most five words, none a
        reporting verb, between it and the sentence start or the comma before it; else None."""
        par = self.d.pars[pid]
        m = self.d.person_mention_overlapping(pid, lo, hi)
        while m is not None and m.char_start >= lo and _possessive_at(par, m.char_end):
            # an owner in an opening phrase ("Before Roe's speech, the pastor Ann Lind …") is no subject
            m = self.d.person_mention_overlapping(pid, m.char_end, hi)
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
                if m.group(2) in _AUXILIARIES or self._in_span(pid, m.start(1)) or m.group(1).endswith(("'s", "’s")):
                    continue      # (or an owner: "Ann Roe's fired campaign manager" is no "Roe fired")
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
        if phrase.lower() not in ("he", "she") and not (phrase[:4].lower() == "the " and " " in self.d.resolve_role(
                phrase, (pid, np[0]))):
            # (a role phrase standing for the one person the article titled so: "The finance minister …")
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
            titled = self._titled_person_at(pid, p, hi) if par[p:p + 1].isupper() else None
            if titled is not None and titled.char_start > p and _VERB_OR_TAG_NEXT.match(par, titled.char_end) \
                    and self._only_titles_before(par, p, titled.char_start):
                # "Democratic presidential candidate Ann Roe (D-Ore.) criticized …": the titled person (not
                # "A Roe campaign aide", whose name only modifies)
                return titled.char_start, titled.char_end
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
        return _past_leading(par, p, hi, self.lex)

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
                if run[-1].text.endswith(("'s", "’s")) and self._role_subject(par, run[0].start, hi) is not None:
                    return None   # "Taiwan's defence ministry thanked …": the owned role is the subject
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
        # (one row spans them; its text is the quoted words only, " … " where the attribution stood:
        # “We will,” she said. “Soon.” -> "We will, … Soon.")
        groups: list[tuple[int, list[tuple[int, int]], int]] = []      # (paragraph, parts, words quoted)
        for pid, s, e in sorted(set(q.pieces)):
            if groups and groups[-1][0] == pid:
                _, parts, said = groups[-1]
                gap = _words(pars[pid][parts[-1][1]:s]) - 1
                said += _words(pars[pid][s:e])
                if gap <= max(MERGE_GAP_WORDS, MERGE_GAP_SHARE * said):
                    parts.append((s, e))
                    groups[-1] = pid, parts, said
                    continue
            groups.append((pid, [(s, e)], _words(pars[pid][s:e])))
        for pid, parts, _ in groups:
            text = PIECE_JOINER.join(pars[pid][a:b] for a, b in parts)
            rows.append(QuoteRow(article_id, pid, qid, q.speaker, q.entity_id, cue, channel, q.kind, text,
                                 parts[0][0], parts[-1][1]))
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
