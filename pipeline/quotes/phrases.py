"""Speaker phrases and report boundaries in one paragraph: the subject before a reporting verb
(``subject_before``), the noun phrase after one (``_np_after``), appositives, "according to" sources, the
channel words were given to, and the per-paragraph index of cut points (``_ParIndex``). Pure functions of
the paragraph text and the lexicon."""
from __future__ import annotations

import bisect
import re
from functools import cached_property

from pipeline.quotes.categories import UNKNOWN, categorize
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.names import PARTICLES, POSSESSIVE, _abbrev, clean_run, first_cap_run, is_mediaish
from pipeline.quotes.stretches import (LONG_STRETCH, _ACCORDING, _TOKEN, _finditer_from, _first_words, _last_nonspace,
                                       _more_words_than, _positions, _tail_start, _words)


_COMMA = re.compile(",")

# the first word of a comma segment, past quotation marks and brackets ("“Tides,” a book about …")
_SEGMENT_WORD = re.compile(r"[^\s\"“”‘’«»()\[\]—–-]\S*")

_NEW_MAIN_CLAUSE = re.compile(r",\s+(?:and|but)\s+(?:he|she|they)\s+(?:also\s+)?[a-z]+ed\b")

MAX_SUBJECT_WORDS = 12

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
_QUOTED_AS = re.compile(r"\b(?:quoted|cited)\s+([^;:“”\"]{1,70}?),?\s+as\s+$")
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\s-{1,2}\s")
_RELATIVE_WHO = re.compile(r"\s(?=(?:who|whom)\s)")
_PREPOSITIONS = {"of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "over", "under", "between"}
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


_ROLE_BEFORE_NAME = re.compile(r"\s*(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?([a-z]+)\s*")


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
    if choice is not None and k >= 1 and choice == seg(k):
        # "…, a spokeswoman, Ann Lind, said": the role in apposition before the name is the speaker's too,
        # not the end of what was said
        r_lo, r_hi = seg(k - 1)
        rm = _ROLE_BEFORE_NAME.fullmatch(par, r_lo, r_hi)
        head = rm.group(1).lower() if rm is not None else ""
        if head and (head in lex.role_nouns or categorize(head, "", "", lex) != UNKNOWN) \
                and par[choice[0]:choice[1]].strip()[:1].isupper():
            choice = (r_lo, choice[1])
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


def _past_leading(par: str, p: int, hi: int, lex: QuoteLexicon, *, but: frozenset[str] = frozenset()) -> int:
    """Past the words opening a sentence or clause before its subject ("But", "However,", "Still"; the
    lexicon's ``leading`` words, except those in ``but``), from ``p``."""
    while True:
        m = _LEADING_WORD.match(par, p, hi)
        if m is None or m.group(1).lower() not in lex.leading or m.group(1).lower() in but:
            return p
        p = m.end()


# a clause ("… is now the place") ending in an object relative's subject before the verb ("… Harbour officials")
_OBJECT_RELATIVE_TAIL = re.compile(r"\b(?:is|was|are|were)\b[^,;]*?\b(?:the|a|an)\s+[a-z]+\s+"
                                   r"((?:[A-Z][\w'’.-]*\s+){0,3}(?:[A-Z][\w'’.-]*|[a-z]+s))\s*$")
_FOCUS_ADVERBS = {"even", "just", "only", "still", "right"}    # "Even as Jane Roe …", "Just before Jane Roe …"
_COPULA_THAT = re.compile(r"\b(?:is|was|are|were)\s+that\s+")
_SUBORDINATE_NAME = re.compile(r"\b(?:" + "|".join(sorted(_CLAUSE_OPENERS)) + r")\s+((?:[a-z]+\s+){0,2}[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*$)")


# a time phrase ("that morning", "last year"): no speaker, and an introductory phrase after a leading word
_TIME_PHRASE = (r"(?:that|this|last|next|one|the\s+next|the\s+same)\s+(?:morning|afternoon|evening|night|day"
                r"|week|weekend|month|year|spring|summer|fall|autumn|winter|time)")
_TIME_SUBJECT = re.compile(_TIME_PHRASE + r"$", re.I)
# "harbour master Jane Roe", "Gov. Jane Roe": a few role words, then only capitalised words
_ROLE_NAME = re.compile(r"(?:[a-z][\w'’-]*\s+){0,3}[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*")
_SUBORDINATOR = re.compile(r"(?:\b(?:that|when|where|while|because|after|before)|[:;—–])\s+")
_PREP_BEFORE = re.compile(r"\b(?:for|of|at|from|with|inside|in|to)\s+(?:the\s+|(?:Mr|Mrs|Ms|Dr)\.\s+)?$")
_NAME_START = re.compile(r"[^\W\d_]")
_SUBJECT_PRONOUN = re.compile(r"(he|she|they|we|i)\b", re.I)
# a name and a relative "who" right before the verb ("…, Tom Vale, who said he …")
_WHO_TAIL = r",\s+who\s+(?:also\s+|later\s+|then\s+)?"
_NAME_THEN_WHO = re.compile(r"\b([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,4})" + _WHO_TAIL + "$")
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
    spokesperson for", "an aide to Mr.", "a spokesman for Mayor"): the name is whom the speaker works for,
    not the speaker."""
    words = before.split()
    while words and words[-1][:1].isupper() and words[-1].strip(".").lower() in lex.titles:
        words.pop()           # the titles of the name ("for Mayor", "to Prime Minister")
    m = _ROLE_THEN_PREP.match(" ".join(words) + " ") if words else None
    if m is None:
        return False
    head = m.group(1).lower()
    return head in lex.role_nouns or categorize(head, "", "", lex) != UNKNOWN


_MONEY = re.compile(r"[$€£¥]\s?\d")
_HEAD_BEFORE_PREP = re.compile(r"(?:\S+\s+){0,2}?([a-z]+)\s+(?:of|at|from|in|for|with|on)\s")
# words opening a phrase after a verb that is no inverted subject ("said just after noon", "said shortly")
_AFTER_VERB_ADVERBS = {"just", "later", "earlier", "then", "today", "yesterday", "tonight", "tomorrow", "last", "next",
                       "this", "once", "again", "also", "afterward", "afterwards", "here", "there", "so", "not"}
# "WASHINGTON (Reuters) - ", "Beijing, March 3 (Xinhua) -- ", "BEIJING — ", "SEOUL/TOKYO (Reuters) - " opening a
# paragraph
_DATELINE = re.compile(r"\s*[A-Z][A-Za-z .,'/\d]{0,40}?(?:\s*\([A-Za-z .]+\))?\s*(?:[—–]|-{1,2})\s+")
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
