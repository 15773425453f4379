"""One article as the quote passes read it: its paragraphs, their quotation spans and sentence ends,
the entity stage's person mentions, and the registry of the names, genders and titles the article gives."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cached_property

from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.marks import find_spans, sentence_ends
from pipeline.quotes.names import POSSESSIVE, _bare, cap_runs, clean_run, name_text
from pipeline.quotes.phrases import _ADVERBIAL, _INDEFINITES, _ParIndex, _SUBJECT_PRONOUN, _past_leading
from pipeline.quotes.stretches import _skip_space
from pipeline.records import ArticleText, EntityResult, EntityRow


# a role phrase opening a sentence or following a comma, then a finite verb: "The admiral chuckled."
_ROLE_SUBJECT_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=,\s)|(?<=\s[-–—]\s))"
                                 r"((?:[Tt]he)\s+(?:[a-z][\w-]*\s+){0,2}?[a-z]+)"
                                 r"(?=\s+(?:[a-z]+ly\s+)?(?:[a-z]{3,}ed|has|had|was|is|said|says|told|did|will|would)\b)")

_CLAUSE_OPENING = re.compile(r"(?:When|After|While|Although|Though|If|As|Because|Since|Before|Once|Until|Unless|Despite"
                             r"|Asked|Pressed|Told|Speaking"
                             # a prepositional phrase opens a sentence the same way ("At a rally in Lyon, …")
                             r"|At|In|On|During|Amid|Following|Throughout|Inside|Outside|Later)\b(?=[^.!?]*,)")


# a possessive's role words and a comma before the name of its holder ("’s prime minister, ")
_OWNER_ROLE_COMMA = re.compile(r"(?:['’]s?)?(?:\s+[a-z][\w-]*){1,5},\s+")
# one or two lower-case words, the last a role, then a capitalised name ("… leader Ana Roe")
_ROLE_THEN_NAME = re.compile(r"(?:\s+[a-z][\w-]*)?\s+([a-z][\w-]*)\s+(?=[A-Z][a-z])")
# the words between an opening's comma and the subject's name ("…, the agency's chief Jane Roe said")
_GAP_WORD = re.compile(r"[\w’'-]+")
_MAX_OPENING_GAP = 6
_RELATIVE_WORDS = {"who", "whom", "whose", "which", "that", "when", "where", "while", "whether", "if", "because",
                   "as", "than", "there"}

_VERB_AFTER = re.compile(r"\s+(?!(?:and|or|of|in|at|for|to|from|with|on|by|who|whose|which)\b)[a-z]")

# ", a Texas Republican," / ", the company's chief executive,": an appositive right after a name
_APPOSITIVE_AFTER = re.compile(r",\s+((?:a|an|the)\s+[^,.;:“”\"()]{1,60}?)\s*[,.;]")

_DASH_VARIANTS = str.maketrans({"\u2015": "—", "\u2012": "–"})   # horizontal bar, figure dash

_WORDS = re.compile(r"\w+")

_NOT_PAST = frozenset({"as"})

_POSS_END = re.compile(r"(?:'s|’s)$")


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
            # (past "But", "Still," — not "As", which opens a clause of its own: "As he spoke, Roe …")
            seen_sent: set[int] = {k for k, st in enumerate(sent_starts) if _SUBJECT_PRONOUN.match(
                par, _past_leading(par, _skip_space(par, st), len(par), lex, but=_NOT_PAST))}
            # a sentence opening with a subordinate or participle clause ("Asked whether Roe …, Lind
            # demurred"): its subject is the name after the clause's comma, before a lower-case verb
            opened = {k for k, st in enumerate(sent_starts) if _CLAUSE_OPENING.match(par, _skip_space(par, st))}
            spans = self.spans[pid]
            in_span = self.index[pid].in_span
            owners: dict[int, int] = {}     # sentence -> end of the possessive name that opened its subject
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
                    first = sent not in seen_sent and (
                        sent not in opened or _subject_after_opening(par, sent_starts[sent], t.start, t.end, lex))
                    first = (first and not _titles_next_name(par, t.end, lex)) \
                        or _apposed_to_owner(par, owners.get(sent), t.start, t.end)
                    if first:
                        seen_sent.add(sent)
                        if possessive:
                            owners[sent] = t.end
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
                # an opening phrase ("In Lakeside, …", "After Easter, …") is no subject; the name after it is
                first = sent not in seen_sent and not (
                    run[0].text.lower() in _ADVERBIAL and par[run[-1].end:run[-1].end + 1] == ",")
                if first and sent in opened and not _subject_after_opening(par, sent_starts[sent], run[0].start,
                                                                           toks[-1].end, lex):
                    first = False       # a name inside the opening clause is not the sentence's subject
                first = (first and not _titles_next_name(par, toks[-1].end, lex)) \
                    or _apposed_to_owner(par, owners.get(sent), run[0].start, toks[-1].end)
                if first:
                    seen_sent.add(sent)
                    if possessive:
                        owners[sent] = toks[-1].end
                if len(toks) >= 2:
                    before = par[max(0, run[0].start - 60):run[0].start]
                    ctx = {w.lower() for w in _WORDS.findall(before)[-5:]} | set(stripped)
                    # an appositive after the name titles it too: "Tom Lind, a Texas Republican, …"
                    app = _APPOSITIVE_AFTER.match(par, run[-1].end)
                    if app:
                        ctx |= {w.lower() for w in _WORDS.findall(app.group(1))}
                    ctx |= {_POSS_END.sub("", w) for w in ctx}
                    ctx |= {r for w in stripped for r in lex.title_roles.get(w, ())}   # "Sen." titles a senator
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


def _subject_after_opening(par: str, sent_start: int, start: int, end: int, lex: QuoteLexicon) -> bool:
    """In a sentence that opens with a clause or a phrase ("After the vote, …", "At a rally in Lyon, Ohio, on
    Monday, …"), the name at [start, end) is the sentence's subject: it follows a comma of the sentence with
    no clause between ("…, the agency's chief Jane Roe said"; not "…, the mayor thanked Roe for …"), and a
    verb follows it, past a comma ("…, Kenya's envoy, Jane Roe, said") or an appositive ("…, Jane Roe, the
    party's leader, said")."""
    comma = par.rfind(",", sent_start, start)
    if comma < 0:
        return False
    gap = _GAP_WORD.findall(par, comma + 1, start)
    if len(gap) > _MAX_OPENING_GAP or any(_opens_clause(w, lex) for w in gap):
        return False
    if _verb_next(par, end):
        return True       # "…, Roe said", "…, the party's whip, Jane Roe, said"
    app = _APPOSITIVE_AFTER.match(par, end)
    return bool(app and par[app.end() - 1] == "," and _VERB_AFTER.match(par, app.end()))


def _verb_next(par: str, end: int) -> bool:
    """A verb follows the name ending at ``end``, or a comma and then a verb (the name was in apposition)."""
    return bool(_VERB_AFTER.match(par, end) or par[end:end + 1] == "," and _VERB_AFTER.match(par, end + 1))


def _opens_clause(word: str, lex: QuoteLexicon) -> bool:
    """A lower-case word that makes what follows a clause: a verb form, a pronoun, a relative word (not a
    compound adjective: "a smiling-faced Roe")."""
    low = word.lower()
    return word.islower() and (low in lex.auxiliaries or low in lex.past_tense or low in lex.verb_forms
                               or low in lex.pronouns or low in _RELATIVE_WORDS
                               or (len(low) > 4 and "-" not in low and low.endswith(("ed", "ing"))))


def _apposed_to_owner(par: str, owner_end: int | None, start: int, end: int) -> bool:
    """The name at [start, end) is the subject a possessive opened: it names the role the owner's phrase
    gives, between commas, before the verb ("Norway's prime minister, Jonas Lund, said", "Acme's chief, Ann
    Roe, resigned")."""
    return owner_end is not None and bool(_OWNER_ROLE_COMMA.fullmatch(par, owner_end, start)) and _verb_next(par, end)


def _titles_next_name(par: str, end: int, lex: QuoteLexicon) -> bool:
    """The capitalised words ending at ``end`` only title the name after a role word ("Opposition leader Ana
    Roe said", "Harbour Party chairman Ivo Lind"): the sentence's subject is that name."""
    m = _ROLE_THEN_NAME.match(par, end)
    return m is not None and (m.group(1) in lex.role_nouns or _bare(m.group(1)) in lex.titles)
