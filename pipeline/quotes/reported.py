"""Reported speech: the unquoted words a reporting verb or "according to" attributes ("X said the
plan failed", "…, according to the ministry"), and reports in title-case headlines. A mixin of the
quote extractor (pipeline/quotes/extract.py), whose document and verb look-ups it uses."""
from __future__ import annotations

import bisect
import re

from pipeline.quotes.attribution import Attr, Quote
from pipeline.quotes.names import is_mediaish
from pipeline.quotes.phrases import (_CLAUSE_OPENERS, _FOCUS_ADVERBS, _PREPOSITIONS, _SPACES, _WHO_TAIL,
                                     _according_source, _appositive_name, _headline_case, _np_after, _strip_between,
                                     find_channel, subject_before)
from pipeline.quotes.stretches import (LONG_STRETCH, _ACCORDING, _NONSPACE, _RELATIVE_PRONOUN, _THAT, _blank,
                                       _ends_with, _finditer_from, _first_words, _last_nonspace, _more_words_than,
                                       _skip_space, _tail_only, _trim_report, _word_before, _words)


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

_APPOSITIVE_OPENING = re.compile(r"\.?\s*,\s*(\w+)")

_WHO_NEXT = re.compile(r"\s+who\s")

# a refusal or a negation right before a reporting verb: no report ("declined to comment", "did not say")
_DECLINED_BEFORE = re.compile(r"\b(?:declined|declines|declining|refused|refuses|refusing|would\s+not|wouldn['’]t|"
                              r"did\s+not|didn['’]t|does\s+not|doesn['’]t|could\s+not|couldn['’]t)\s+(?:to\s+)?$")

_RELATIVE_PRONOUNS = {"who", "that", "which"}    # "said an official who was briefed": the aux is the relative's

_AND_BEFORE = re.compile(r"(?<=\S)\s*,?\s+(?:and|but)\s+(?:(?:also|later|then|again)\s+)?$")

_OBJECT_RELATIVE_BEFORE = re.compile(r"\b(?:is|was|are|were)\b[^,;]*?\b(?:the|a|an)\s+[a-z]+\s+$")

_COPULA_THAT_END = re.compile(r"\b(?:is|was|are|were)\s+that\s+$")

# the same in capitals only ("OSLO (Harbour News) — "): cut from reported words, where "The plan — " must stay
_CAPS_DATELINE = re.compile(r"\s*[A-Z][A-Z.'/-]+(?:\s+[A-Z][A-Z.'/-]+){0,3}(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?"
                            r"(?:\s*\([A-Za-z .]+\))?\s*(?:[—–]|-{1,2})\s+")

_WHO_BETWEEN = re.compile(_WHO_TAIL)

_TITLE_VERB = re.compile(r"(?<=\s)(?:Says|Say|Said|Tells|Told|Warns|Warned|Claims|Claimed|Insists|Insisted)(?=\s)")

_HEADLINE_LEMMAS = {"say", "tell", "warn", "claim", "insist"}

_GLUED_CLOCK = re.compile(r"\d{1,2}\s*(?:[AaPp]\.?[Mm]\.?)\s*(?=[A-Z])")

# an appositive or a relative clause on an "according to" source: ", which tracks …", ", a think tank"
_SOURCE_APPOSITIVE = re.compile(r"\s*,\s*(?:which|who|whose|where|a|an)\b|\s*\(")

_SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i", "it"}

_CONTRACTION = re.compile(r"['’](?:s|d|ll|re|ve|m)$")

_SPACES_COMMAS = re.compile(r"[\s,]*")

# a sentence opening with a subordinate clause: the words before ", X said" are no report
_SUBORDINATE_OPENING = re.compile(r"(?:When|After|As|While|Because|If|Although|Though|Since|Before|Once|Until)\b")

_DASH_ASIDE = re.compile(r"\s*(?:—|–|--)\s[^—–\n]{1,60}?\s(?:—|–|--)\s*")    # "said — on Twitter — that"

_CLAUSE_PRONOUNS = {"he", "she", "they", "i", "we", "it", "there", "you"}

# ", and she blamed …": a new main clause with a pronoun subject and a past-tense verb ends a report
# a conjunction ending a report cut where the next report's subject begins
_JOINING_WORD_END = re.compile(r"[\s,;]*\b(?:and|but|while|whereas|although|(?:even\s+)?though|even\s+(?:as|if))$")

_PREP_NEXT = re.compile(
    r"(?:in|on|at|to|by|for|with|of|after|before|during|about|from|as|and|but|or|so|the\s+\w+\s+(?:of|in))\b")

_ON_CLAUSE = re.compile(r"(?:on|in|at)\s+\w+\s*,?\s+(?:that\s+)?[a-z]")

_NOT_SPACE_OR_DOT = re.compile(r"[^ .]")


class ReportedSpeech:
    """The reported-speech passes of _Extractor."""

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
        rel = next((k for k, w in enumerate(words) if w.lower() in ("who", "which")), None)
        if rel is not None:
            # a verb coordinated inside a relative clause is the clause's ("said an aide who was briefed and
            # spoke anonymously"): no main verb
            words = [w for k, w in enumerate(words) if k <= rel or words[k - 1].lower() not in ("and", "or")]
        # after a capitalised first word only lower-case verbs count ("said Acme Media also uses the …",
        # not "said John Will")
        named = not words[0][:1].islower()
        if named:
            # a past tense right after the name makes it the clause's subject ("said Cairo supported the talks",
            # "said Acme Corp planned …"), not an inverted speaker
            k = next((k for k, w in enumerate(words) if w[:1].islower()), None)
            if k is not None and len(words[k]) > 4 and words[k].endswith("ed"):
                return True
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
        if _WHO_NEXT.match(par, np[1], hi):
            # "…, said a senior aide who had been told of the plan and …": a role phrase and its relative
            words = par[np[0]:np[1]].lower().split()
            return len(words) >= 2 and words[0] in self.lex.determiners and words[-1] in self.lex.role_nouns
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
                if _DECLINED_BEFORE.search(par, max(0, v.start() - 30), v.start()):
                    continue      # "declined to comment", "would not say whether …": nothing was said
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
