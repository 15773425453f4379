"""Speaker resolution: a quote's speaker phrase to a name and an entity — a person mention, an
alias, a title resolved to the one person the article titled so, a pronoun to its antecedent, a role
phrase kept as written. A mixin of the quote extractor (pipeline/quotes/extract.py)."""
from __future__ import annotations

import bisect
import re

from pipeline.quotes.attribution import Attr, Quote
from pipeline.quotes.categories import UNKNOWN, categorize
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.names import HONORIFICS, POSSESSIVE, _bare, cap_runs, clean_run, first_cap_run, name_text
from pipeline.quotes.phrases import (_ADVERBIAL, _DATELINE, _INDEFINITES, _PREPOSITIONS, _QUANTIFIER_SUBJECT,
                                     _SHARE_SUBJECT, _bad_name, _party_tag_run, _plural_noun, _role_then_prep)
from pipeline.quotes.stretches import _ends_with


# a name, then a plural group noun: "Hamilton police", "Trump aides", "the Acme Corp. executives"
_NAMED_GROUP = re.compile(r"(?:(?:the|other|some|many|several|two|three)\s+)?(?:[A-Z][\w.&'’-]*\s+){1,4}"
                          r"(?:[a-z]+\s+)?([a-z]+)")

_SHORT_ORG = re.compile(r"(?:[Tt]he\s+)?([A-Z][a-z]+)")

_TITLE_OWNS_BODY = re.compile(r"(?:[Tt]he\s+)?((?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*)['’]s\s+([A-Z][a-z]+)")

# a word between two names that makes the phrase a clause, not a name with its titles or roles
_CLAUSE_WORD = re.compile(r"\b(?:[a-z]+ed|was|is|has|had|with|and|who|which|to|by)\b")

# a role phrase's prepositional tail ("an expert on Peru at the Harbour Institute"): what the role deals with too
_TAIL_PREP_BEFORE = re.compile(r"\b(?:for|of|at|from|with|inside|in|to|on|about|over|against)\s+"
                               r"(?:the\s+|(?:Mr|Mrs|Ms|Dr)\.\s+)?$")


class SpeakerResolution:
    """The speaker-resolution pass of _Extractor."""

    def resolve(self, quotes: list[Quote]) -> None:
        history = _History()
        for q in sorted(quotes, key=lambda q: (q.attr.pid, q.attr.verb_start) if q.attr else q.pos):
            a = q.attr
            if a is None or not a.np:
                continue
            where = (a.pid, a.np_start)
            name, eid, gender = self._name_for(a, where, history)
            e = self.d.ent_by_id.get(eid) if eid else None
            if e is not None and e.type == "person":
                name = e.name     # one spelling per person ("Tom Vale Jr." also where the text gave "Tom Vale Jr")
            q.speaker, q.entity_id = name, eid
            if name:
                if not gender and (e.type != "person" if e is not None else
                                   name.lower() in self.d.non_person_names or name[:1].isdigit()):
                    gender = "n"      # a place, country, organisation or share ("74 percent") is no "he" or "she"
                elif not gender and not eid and _plural_noun(name.split()[-1].lower(), self.lex) and (
                        name[0].islower() or " " not in name and self.d.person_mention_overlapping(
                            a.pid, a.np_start, a.np_end) is None):
                    gender = "n"      # "Fans say …", "the donors said": a group (no person's name, "Jane Sims")
                elif not gender and not eid and name[:1].islower() \
                        and name.split()[-1].lower() in self.lex.collective_nouns:
                    gender = "n"      # "the weekly tabloid", "the party": a body or a document, never a "he"
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
            # (a suffix's dot aside: "Tom Vale Jr." is the registry's "Tom Vale Jr")
            if e.type == "person" and (e.name.rstrip(".") == name.rstrip(".")
                                       or (len(name.split()) == 1 and e.name.split()[-1:] == [name])) \
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
        cw = _clause_word(par, a.np_start, a.np_end, lex) if a.np_end - a.np_start > 20 and \
            par[a.np_start:a.np_start + 1].isupper() and np.split()[0].lower() not in lex.determiners else None
        if a.cue == "according to" and np.split()[-1].islower() and d.person_mention_overlapping(
                a.pid, a.np_start, a.np_end) is None:
            return np, "", "n"        # "according to Chinese customs data": the source as written
        office = _TITLE_OWNS_BODY.fullmatch(np)
        if office is not None and all(_bare(w) in lex.titles for w in office.group(1).split()) \
                and office.group(2) in lex.org_words:
            # "the Prime Minister's Office": a body a title owns, not a name ("Office")
            return np[:1].lower() + np[1:] if np.startswith("The ") else np, "", "n"
        if _QUANTIFIER_SUBJECT.fullmatch(np) or _SHARE_SUBJECT.match(np):
            # "Some", "Many of them", "Sixty per cent of respondents", "Half of those surveyed": a group, as
            # written (not its first capitalised word), never a "he"
            return np[:1].lower() + np[1:], "", "n"
        group = _NAMED_GROUP.fullmatch(np)
        if group is not None and (group.group(1).lower() in lex.role_nouns and (
                group.group(1).endswith("s") or group.group(1).lower() in lex.collective_nouns)
                or _singular(group.group(1).lower()) in lex.collective_nouns):
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
        sent_start = self.sentence_bounds(a.pid, a.np_start)[0]
        dateline = _DATELINE.match(par, sent_start, a.np_start) if sent_start == 0 else None
        # (after a dateline too: "HALIFAX — Residents of … say")
        sentence_initial = a.np_start == sent_start or _ends_with(par, 0, a.np_start, ".!?”:\"") or (
            dateline is not None and dateline.end() == a.np_start)
        second = np.split()[1:2]
        is_role = first_word.lower() in lex.determiners or first_word[0].islower() or (
            # (not "Staff Sgt. Ann Roe": a role noun opening a title)
            sentence_initial and (first_word.lower() in lex.role_nouns or _kind_of_people(first_word, lex))
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
                    # (a place owns as written: "Taiwan's ministry" is not the "Taiwan Strait"'s)
                    place = d.place_mention_overlapping(a.pid, run[0].start, run[-1].end)
                    owner = d.full_name(nm, where) if len(toks) == 1 and not place else nm
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
    if len(rest) == 1 and rest[0].strip(",.;:") in lex.org_words:
        return True           # "Roe's Office", "Roe's Cabinet": a body the owner heads
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


def _clause_word(par: str, lo: int, hi: int, lex: QuoteLexicon):
    """The first word in [lo, hi) that makes a capitalised phrase a clause, not "to" of a title's posting
    ("U.S. Ambassador to Kenya Meg Lind" is a name with its titles), or None."""
    for m in _CLAUSE_WORD.finditer(par, lo, hi):
        if not (m.group() == "to" and lex.posting_before(par[lo:m.end()])):
            return m
    return None


def _kind_of_people(word: str, lex: QuoteLexicon) -> bool:
    """A plural whose singular names a kind of speaker ("Shopkeepers", "Economists"; not "Williams")."""
    one = _singular(word.lower())
    return bool(one) and categorize(one, "", "", lex) != UNKNOWN


def _singular(word: str) -> str:
    """The singular of a plural noun ("groups" -> "group", "parties" -> "party"); "" for other words."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else ""


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
