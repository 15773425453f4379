"""Speaker profiles: the country ("side") each quote's speaker belongs to, from what the article says.

A pure pass after quote extraction. For every speaker of the article (keyed on its entity id, else its
name or role phrase as the quote rows give it) it reads the speaker's mentions in reading order and
takes the first one that names a country:

* inside a role phrase: ``a Chinese official``, ``the Indian Foreign Ministry``;
* before the name (nearest first): ``Brazil's finance minister X``, ``Estonian journalist X``,
  ``Harvard economist X``, ``Putin's spokesman X``, ``Los Angeles-based lawyer X``;
* after it, an appositive or a complement: ``X, a professor at Y University in Lyon``, ``X of Kenya``,
  ``X (D-Ore.)``, ``X, a Republican of Texas``, ``X, spokesman for <a person with a country>``;
* US politics: a party with a state or a US office (``an Ohio Democrat``, ``Republican presidential
  nominee``), else a US-only title (``Sen.``, ``Rep.``, ``Congresswoman``) when nothing else names a country.

The country words are the entity stage's mentions (countries by name, demonym or capital; catalogued places,
organisations and people with a country), so nothing here knows a particular name. A country right after
``to``/``on``/``with`` … (``ambassador to Peru``, ``an expert on Japan``) is what the speaker deals with,
not their side (data/quotes/profile.txt). An international organisation (kind ``international`` in the
catalog, e.g. the UN) says "no country": its officials speak for no state. The first mention with a country
holds for the speaker's later mentions (``Mr. X``, ``X``, pronouns resolved to X).

Catalogued people keep their catalog country (a catalogued office in an international organisation held on
the article's date gives none); a speaker that is itself a catalogued or discovered organisation, outlet or
country takes its country; a discovered person whose name the text gives no country for keeps the entity
stage's country. Each value comes with the phrase that gave it (``country_evidence``).
"""
from __future__ import annotations

import bisect
import logging
import re
from collections import Counter

from pipeline.quotes.categories import UNKNOWN, categorize
from pipeline.quotes.marks import sentence_ends
from pipeline.quotes.names import HONORIFICS, POSSESSIVE
from pipeline.quotes.phrases import _noun_use
from pipeline.quotes.setting import stated_voices, story_setting
from pipeline.records import (SETTING_PREFIX, ArticleText, EntityResult, EntityRow, PassFailure, QuoteRow,
                              pass_failure)

log = logging.getLogger("dyad.quotes")

_MAX_PRE = 100          # characters looked at before a name
_MAX_POST = 200         # characters looked at after a name
_MAX_PRE_WORDS = 8
_NULL = "-"             # an explicit "no country" (international organisation)
_LEAD_WEIGHT = 3        # a country or place named in the first paragraph, for the article's setting
_PLACE_WEIGHT = 2       # a city or region (vs a country's name), for the article's setting

_WORD = re.compile(r"[\w’'.\-]+")
_HARD_STOP = re.compile(r"[;:!?“”\"«»()\[\]\n]|''|``|\s[–—]\s|\s--?\s")
_PAREN_PARTY = re.compile(r"\(\s*(?:D|R|I|Dem|Rep|Ind)\.?\s*[-–—,]\s*([A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)\s*\)")
_CAP_RUN = re.compile(r"[A-Z][a-z]+(?:\s(?:of\s)?[A-Z][a-z]+){0,2}")
_COPULA = re.compile(r",\s+who\s+(?:is|was|has\s+been|had\s+been|served\s+as|is\s+now|was\s+then"
                     # a relative clause naming what the person heads or owns is a role too ("who heads Acme")
                     r"|(?:(?:has|had)\s+)?(?:heads|headed|leads|led|runs|ran|chairs|chaired|directs|directed"
                     r"|owns|owned|manages|managed)"
                     # and where the person lives or works ("who lives in Halifax")
                     r"|(?:(?:has|had)\s+)?(?:lives|lived|resides|resided|works|worked)(?=\s+(?:in|at|for|near|on)\s))\s+")
# an appositive on the organisation that closes the name's complement ("X of Acme, a Swiss bank, said"):
# a determiner or a possessive country opens it
_ORG_APPOSITIVE = re.compile(r",\s+(?:a|an|the|[A-Z][\w.]*(?:\s[A-Z][\w.]*)?['’]s)\s")
_RELATIVE = re.compile(r"\b(?:who|whom|whose|which|that|where|when|while|after|before|because|as)\b")
# after these a verb form is a noun ("secretary of state", "the report"): it does not end a description
_NOUN_AFTER = {"of", "the", "a", "an"}
# "Sudbury, Ont.", "Dayton, Ohio": a capitalised word, a comma, then a region (checked in the lexicon)
_CITY_COMMA = re.compile(r"(?<=\s)[A-Z][\w'’.-]*,")
_REGION_AFTER_COMMA = re.compile(r",\s+([A-Z][A-Za-z.]*(?:\s[A-Z][a-z]+){0,2}\.?)(?=[\s,;)]|$)")
_OF_PLACE = re.compile(r"\s+(?:of|from)\s+(?=[A-Z])")
_LIVES_IN = re.compile(r",\s+(?:\d{1,3}\s*,\s+)?who\s+(?:lives|lived|has\s+lived)\s+(?:in|near|on|outside)\s")
# a name right after one of these is another's description's complement ("aide to X", "a plan for X")
_PREPOSITIONS = {"for", "to", "with", "of", "by", "against", "about", "on", "from", "at", "over", "under"}
_COMPLEMENT_OPENERS = {"of", "for", "at", "in", "on"}     # a role's complement: "minister of state for X"
_DETERMINERS = {"a", "an", "the", "another", "his", "her", "their", "its", "our", "one"}
# kinds of organisation whose people are placed by the branch they work at, and "in <place>" after one
_BRANCHED = {"academic and think tank", "business"}
_IN_PLACE = re.compile(r"['’]s\s+(?=[A-Z])|\s+in\s+(?:the\s+)?")
# the preposition that ties a person to an organisation named next ("of the", "at")
_TIED_TO = re.compile(r"\b(?:of|at|for|with|from)\s+(?:the\s+)?$")
# an issuing verb and the determiner and up to two words before a document's noun ("released a brief statement")
_ISSUED = re.compile(r"\b([a-z]+(?:\s+out)?)\s+(?:a|an|the|its|his|her|their)(?:\s+[\w-]+){0,2}\s+$")
_MAX_ISSUER_GAP = 3     # words between the issuer and its verb ("Roe on Friday released …")
_ROLE_LOOKBACK = 6      # paragraphs read back for a role phrase's antecedent
_ROLE_THINGS = {"statement", "ministry", "embassy", "government", "report", "letter", "agency", "office",
                "spokesman", "spokeswoman", "spokesperson"}
_LEDE_PARAGRAPHS = 2    # a delayed identification names the person in the second or third paragraph
_LEDE_SUBJECT = re.compile(r"\s*(?:[A-Z][A-Z .,'-]*(?:\([^)]*\))?\s*[—–-]+\s*)?((?:The|A|An)\s|"
                           r"(?P<owner>[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?(?:’s|'s)\s))")
_LEDE_STOPS = {"who", "whom", "whose", "that", "which", "is", "was", "has", "had", "will", "would", "says", "said"}
_AGE_THEN_APPOSITIVE = re.compile(r",\s*\d{1,3}\s*(?=,\s*(?:a|an|the|one)\s)")
# the comma after an opening place, and the name's capitalised titles ("In Tokyo, Chief Cabinet Secretary X")
_TITLES_AFTER_COMMA = re.compile(r"\s*,\s+(?:[A-Z][\w.'’-]*\s+){0,4}")
# "In Lyon, X": a place opening the sentence right before the name
_PLACE_LEAD = re.compile(r"(?:^|(?<=[.!?]\s))(?:In|At|From)\s+$")


def _tokens_lower(text: str) -> list[str]:
    return [w.strip(".’'").lower() for w in _WORD.findall(text)]


class _Article:
    def __init__(self, article: ArticleText, entities: EntityResult, lexicon, catalog):
        self.pars = article.paragraphs
        self.date = article.published or ""
        self.lex = lexicon
        self.cat = catalog
        self.rows: dict[str, EntityRow] = {e.entity_id: e for e in entities.entities}
        self.by_pid: dict[int, list[tuple[int, int, str]]] = {}
        self.by_eid: dict[str, list[tuple[int, int, int]]] = {}
        for m in entities.mentions:
            self.by_pid.setdefault(m.paragraph_id, []).append((m.char_start, m.char_end, m.entity_id))
            self.by_eid.setdefault(m.entity_id, []).append((m.paragraph_id, m.char_start, m.char_end))
        for v in self.by_pid.values():
            v.sort(key=lambda m: (m[0], -m[1]))     # the longer of two mentions at one place first
        for v in self.by_eid.values():
            v.sort()
        self.starts = {pid: [m[0] for m in v] for pid, v in self.by_pid.items()}
        prof = lexicon.profile
        self.not_before = prof.get("not_side_before", set())
        self.stance_nouns = prof.get("stance_nouns", set())
        self.field_words = prof.get("field_words", set())
        self.us_titles = prof.get("us_titles", set())
        self.us_parties = prof.get("us_parties", set())
        self.us_offices = prof.get("us_party_offices", set())
        self.modifier_words = prof.get("modifier_words", set())
        self.stop_words = prof.get("stop_words", set())
        self.role_words = prof.get("role_words", set())
        self.document_nouns = prof.get("document_nouns", set())
        self.issuing_verbs = prof.get("issuing_verbs", set())
        self.roles = set(lexicon.role_nouns) | set(getattr(catalog, "role_set", set()))
        # the side of the last role-phrase speaker with each head noun, in reading order ("spokesman")
        self.phrase_sides: dict[str, tuple[str, str]] = {}
        self._person_countries: dict[str, str | None] = {}
        self._pre: dict[tuple[int, int], int] = {}
        self._post: dict[tuple[int, int], int] = {}
        self._ends: dict[int, list[int]] = {}

    # ------------------------------------------------------------------ entities
    def row(self, eid: str) -> EntityRow | None:
        return self.rows.get(eid) or self.cat.entities.get(eid)

    def catalogued(self, name: str, *, places: bool = False) -> EntityRow | None:
        """The catalogued country or organisation (or, with ``places``, place) a speaker name is an alias of
        ("Xinhua", "the United States"; "the White House"), else None."""
        kinds = ("country", "organization", "place") if places else ("country", "organization")
        for eid, _kind in getattr(self.cat, "aliases", {}).get(re.sub(r"^(?:the|The)\s+", "", name), ()):
            row = self.row(eid)
            if row is not None and row.type in kinds:
                return row
        return None

    def demonym_only(self, name: str) -> bool:
        """``name`` is a nationality word and no country's name ("Germans", "Syrian"; not "Germany")."""
        demonym = getattr(self.cat, "demonym_only", None)
        return bool(demonym and demonym(name))

    def mentions_in(self, pid: int, lo: int, hi: int) -> list[tuple[int, int, str]]:
        ms = self.by_pid.get(pid)
        if not ms:
            return []
        i = bisect.bisect_left(self.starts[pid], lo)
        out = []
        while i < len(ms) and ms[i][0] < hi:
            if ms[i][1] <= hi:
                out.append(ms[i])
            i += 1
        return out

    # ------------------------------------------------------------------ windows
    def pre_window(self, pid: int, s: int) -> int:
        """``_pre_window``, once per place: the side and the description passes read the same mentions."""
        got = self._pre.get((pid, s))
        if got is None:
            got = self._pre[pid, s] = self._pre_window(pid, s)
        return got

    def post_window(self, pid: int, e: int) -> int:
        """``_post_window``, once per place."""
        got = self._post.get((pid, e))
        if got is None:
            got = self._post[pid, e] = self._post_window(pid, e)
        return got

    def _pre_window(self, pid: int, s: int, *, past_preposition: bool = True) -> int:
        """Start of the pre-modifiers of the name at ``s``: back to the clause boundary, at most a few words;
        across one comma when what stands before it is a role phrase (``an Australian negotiator, X``);
        with ``past_preposition``, after a preposition whose object the titled name is ("met with Japanese
        Prime Minister X")."""
        par = self.pars[pid]
        lo = max(0, s - _MAX_PRE)
        seg = par[lo:s]
        cut = 0
        for m in _HARD_STOP.finditer(seg):
            cut = m.end()
        for m in re.finditer(r",\s|\.\s+(?=[A-Z“\"]|$)", seg):
            if m.group().startswith(".") and self._abbrev_before(seg, m.start()):
                continue
            cut = max(cut, m.end())
        prev = ""
        for m in _WORD.finditer(seg, cut):
            # a verb or a word opening a clause ("… ties as President X", "… said that Mr. X") ends the words
            # about the name
            if self._verb_like(m.group()) and prev not in _NOUN_AFTER or _RELATIVE.fullmatch(m.group()):
                cut = m.end()
            prev = m.group().lower()
        start = lo + cut
        if not par[start:s].strip() and seg.rstrip().endswith(","):
            # an appositive before the name: "said an Australian negotiator, X"
            end = lo + len(seg.rstrip()) - 1
            back = self._pre_window(pid, end, past_preposition=False)   # ("the envoy at the time, X")
            words = _tokens_lower(par[back:end])
            # the role word last ("an Australian negotiator, X") or followed by a short complement ("the
            # American envoy at the time, X", "Peru's minister of state for sport, X"); opened by a
            # determiner or a possessive ("Ms. Lind's aide, X")
            role_at = max((k for k, w in enumerate(words) if w in self.roles and (
                k >= len(words) - 4 or words[k + 1] in _COMPLEMENT_OPENERS)), default=-1)
            if role_at >= 0:
                det = [k for k, w in enumerate(words[:role_at]) if w in _DETERMINERS or w.endswith(("'s", "’s"))]
                if det:
                    pos = back
                    for k, m in enumerate(_WORD.finditer(par, back, end)):
                        if k == det[-1]:
                            pos = m.start()
                            break
                    return pos
            return s
        words = list(_WORD.finditer(par, start, s))
        if len(words) > _MAX_PRE_WORDS:
            start = words[-_MAX_PRE_WORDS].start()
        for k in range(len(words) - 1, -1, -1):
            if words[k].start() < start or not past_preposition:
                break
            if words[k].group() in _PRE_NAME_PREPOSITIONS:
                if self.lex.posting_before(par[start:words[k].end()]):
                    continue          # "U.S. Ambassador to Kenya X": a posting, part of the title
                if all(w.group()[:1].isupper() or w.group().lower() in self.roles for w in words[k + 1:]):
                    start = words[k].end()   # "a news conference with Japanese Prime Minister X": from "Japanese"
                break
        lead = _LEADING_CONJUNCTIONS.match(par, start, s)
        return lead.end() if lead else start       # "But union chief Tom Vale": no "But"

    def _verb_like(self, word: str) -> bool:
        """A lower-case word that ends a run of modifiers: a verb form ("quoted", "allowing") or a clause word."""
        w = word.lower().strip(".’'")
        if not word[:1].islower() or w in self.modifier_words:
            return False
        if w in self.stop_words or w in self.lex.verb_forms or w in self.lex.past_tense:
            return True       # (an irregular past ends it too: "Sen. Ann Roe of Ohio met …")
        last = w.rsplit("-", 1)[-1]
        stem = last[:-3] if last.endswith("ing") else last[:-2] if last.endswith("ed") else ""
        return len(stem) >= 3 and last not in self.modifier_words and w not in self.roles

    def _abbrev_before(self, seg: str, dot: int) -> bool:
        m = re.search(r"([\w.]+)$", seg[:dot])
        if not m:
            return False
        w = m.group(1)
        return (w in self.lex.abbreviations or len(w) == 1 or "." in w
                or self.lex.regions.get(w.replace(".", ""), (w,))[0] != w and len(w) <= 5)

    def _post_window(self, pid: int, e: int) -> int:
        """End of the appositive or complement after the name at ``e`` (``e`` when there is none)."""
        par = self.pars[pid]
        rest = par[e:e + _MAX_POST]
        m = re.match(r"[’']s?\s*|\s*", rest)
        k = m.end() if rest[:1] in "’'" else 0
        head = rest[k:]
        if head.startswith(" ("):
            close = head.find(")")
            return e + k + (close + 1 if close > 0 else 0)
        if not (head.startswith(",") or re.match(r"\s+(?:of|from|in|at|for)\s", head)):
            return e
        hi = len(rest)
        stop = _HARD_STOP.search(rest, k + 1)
        if stop:
            hi = min(hi, stop.start())
        commas = [c.start() for c in re.finditer(r",", rest, k)]
        first_comma = commas[0] if commas and head.startswith(",") else -1
        age = _AGE_THEN_APPOSITIVE.match(rest, k) if first_comma >= 0 else None
        if age is not None:
            first_comma = age.end()     # "X, 39, a Lebanese engineer": the appositive after the age
        for n, c in enumerate(commas):
            if c > first_comma and not self.region_after(rest, c):
                if first_comma < 0 and _ORG_APPOSITIVE.match(rest, c):
                    # "X of Acme Capital, a Swiss investment bank, said": to the next comma or stop
                    c = commas[n + 1] if n + 1 < len(commas) else len(rest)
                hi = min(hi, c)
                break
        for d in re.finditer(r"\.(?=\s|$)", rest, k):
            if not self._abbrev_before(rest, d.start()):
                hi = min(hi, d.start())
                break
        # a copular relative clause is an appositive too: "X, who was envoy to Peru, said"
        cop = _COPULA.match(rest, k)
        start = cop.end() if cop else k
        rel = _RELATIVE.search(rest, start, hi)
        if rel:
            hi = rel.start()
        prev = ""
        for w in _WORD.finditer(rest, start, hi):
            if self._verb_like(w.group()) and prev not in _NOUN_AFTER:
                hi = w.start()
                break
            prev = w.group().lower()
        for v in self.lex.find_verbs(rest[start:hi]):
            if _noun_use(rest, start + v.start()):
                continue        # "the editor of a state broadcaster": a noun, no verb ending the appositive
            hi = start + v.start()
            break
        return e + max(hi, k)

    # ------------------------------------------------------------------ evidence
    def word_before(self, pid: int, s: int) -> str:
        """The word before ``s``, past an honorific ("adviser to Mr. X" -> "to")."""
        seg = self.pars[pid][max(0, s - 40):s]
        m = re.search(r"([\w’'.\-]+)\s*$", seg)
        if m and m.group(1).strip(".").lower() in HONORIFICS:
            m = re.search(r"([\w’'.\-]+)\s*$", seg[:m.start()])
        return m.group(1).strip(".").lower() if m else ""

    def _possessive(self, pid: int, e: int) -> bool:
        return self.pars[pid][e:e + 2] in ("'s", "’s") or self.pars[pid][e:e + 1] in ("'", "’")

    def mention_country(self, pid: int, m: tuple[int, int, str], speaker_eid: str,
                        anchor: int | None = None) -> str | None:
        """The side a mention near a speaker gives: an ISO code, _NULL, or None (says nothing)."""
        s, e, eid = m
        if not eid or eid == speaker_eid:
            return None
        row = self.row(eid)
        if row is None:
            return None
        before = self.word_before(pid, s)
        poss = self._possessive(pid, e)
        par = self.pars[pid]
        if par[e:e + 1] == "-" and any(m2[0] == e + 1 for m2 in self.mentions_in(pid, e + 1, e + 40)):
            return None     # "Syrian-American": the last part is where the speaker lives
        if row.type == "person":
            # "spokesman for X", "adviser to X", "X's spokesman" (only role words between X's and the name)
            if before in ("for", "to") or poss and (anchor is None or anchor < s or all(
                    w in self.role_words or w in self.roles for w in _tokens_lower(par[e:anchor])
                    if w[:1].islower() and w not in ("s",))):
                return self.person_country(row)
            return None
        if before in self.not_before and not poss:
            return None
        stance = _WORD_BEFORE_OF.search(par, max(0, s - 40), s) if before == "of" else None
        if stance is not None and stance.group(1).lower() in self.stance_nouns:
            return None       # "a critic of Beijing": what the speaker judges
        if row.type in ("country", "place"):
            if poss and row.type == "country" and self.cat.demonym_only(par[s:e]):
                return None     # "German's brother": a demonym takes no possessive; a first name does
            nxt = re.match(r"\s+([a-z]+)", par[e:e + 30])
            if nxt and nxt.group(1) in self.field_words:
                return None     # "an Armenian history professor": the subject taught, not the speaker's side
            return row.country or None
        if row.type == "organization":
            if row.country:
                return row.country
            if (row.role or "").lower() == "international" and "former" not in _tokens_lower(par[max(0, s - 60):s]):
                return _NULL    # a UN official speaks for no state (a former one: the text must say more)
        return None

    def speaks_for_modifier(self, after: str) -> bool:
        """The words after a name inside a role phrase make it the name's people: "(the Lind)
        administration", "(a Lind) campaign aide", "(a senior Lind) administration official" — lower-case
        role words, groups and roles only (not "(a Lind) critic", nor a possessive)."""
        words = after.split()
        return bool(words) and all(w.islower() for w in words) and all(
            w in self.role_words or w in self.roles or w in self.lex.collective_nouns for w in words) \
            and (words[-1] in self.lex.collective_nouns or words[-1] in self.role_words or words[-1] in _SPEAKING_FOR)

    def person_country(self, row: EntityRow) -> str | None:
        """The country of a person another speaker speaks for or a document's issuer: a catalogued person's,
        else what the article says of them ("Norwegian fisheries minister Ivo Lind" for "Lind’s spokesman"),
        else the entity stage's guess — the order ``_side`` takes for a speaker; read once per person."""
        if row.country and row.source == "catalog":
            return row.country
        known = self._person_countries
        if row.entity_id in known:
            return known[row.entity_id]
        known[row.entity_id] = None       # no loop through "A's aide" / "B's aide"
        for pid, s, e in self.by_eid.get(row.entity_id, ())[:_MAX_DESCRIBED]:
            found = self.anchor_evidence(pid, s, e, row.entity_id, False)
            if found and found[0] != _NULL:
                known[row.entity_id] = found[0]
                break
        else:
            known[row.entity_id] = row.country or None
        return known[row.entity_id]

    def text_rules(self, text: str) -> str | None:
        """US jurisdiction cues in a phrase: "(D-Ore.)", "Republican of Texas", "an Ohio Democrat",
        "Republican presidential nominee"."""
        for m in _PAREN_PARTY.finditer(text):
            if m.group(1).replace(".", "").strip() in self.lex.us_states:
                return m.group()
        words = _tokens_lower(text)
        if not any(w in self.us_parties for w in words):
            return None
        states = self.lex.us_states
        for m in _CAP_RUN.finditer(text):
            run = m.group()
            if states.get(run) != run:
                continue
            before = text[max(0, m.start() - 40):m.start()].lower()
            after = text[m.end():m.end() + 14].lower()
            if re.search(r"\b(?:of|from)\s*$", before) and any(p in before for p in self.us_parties):
                return text[max(0, m.start() - 40):m.end()].strip()
            if re.match(r"\s+(?:republican|democrat|gop)", after):
                return text[m.start():m.end() + 14].split(",")[0].strip()
        for i, w in enumerate(words):
            if w in self.us_parties:
                nxt = " ".join(words[i + 1:i + 4])
                if any((" " + nxt + " ").find(" " + o + " ") == 0 or nxt.startswith(o) for o in self.us_offices):
                    return " ".join(text.split()[:12])
        return None

    def anchor_evidence(self, pid: int, s: int, e: int, speaker_eid: str, phrase: bool):
        """(country or _NULL, evidence phrase) from one mention of the speaker at [s, e), or None."""
        par = self.pars[pid]
        if phrase or not speaker_eid:
            for m in self.mentions_in(pid, s, e):
                row = self.row(m[2])
                if not phrase and (row is None or row.type != "organization"):
                    continue
                c = self.mention_country(pid, m, speaker_eid)
                if c is None and phrase and row is not None and row.type == "person" \
                        and self.speaks_for_modifier(par[m[1]:e]):
                    c = self.person_country(row)      # "a senior Lind administration official"
                if c:
                    return c, par[s:e]
        # a party-and-state tag right after the name ("X (R-Ohio)") states the side before any word around it
        tag = _PAREN_PARTY.match(par, e + len(par[e:e + 3]) - len(par[e:e + 3].lstrip()))
        if tag is not None and self.text_rules(tag.group()):
            return "USA", " ".join(par[s:tag.end()].split())
        lo = self.pre_window(pid, s)
        one_word = " " not in par[s:e].strip()
        for m in reversed(self.mentions_in(pid, lo, s)):
            if one_word and not par[m[1]:s].strip() and par[m[0]:m[1]].istitle() and m[1] < s:
                continue    # "German Ortega": a capitalised word glued to a surname is a first name
            c = self.mention_country(pid, m, speaker_eid, anchor=s)
            if c:
                return c, " ".join(par[m[0]:e].split())
        hi = self.post_window(pid, e)
        for m in self.mentions_in(pid, e, hi):
            c = self.mention_country(pid, m, speaker_eid)
            if c:
                branch = self.branch_place(pid, m, hi) if c != _NULL else None
                if branch is not None:
                    return branch[0], " ".join(par[s:branch[1]].split())
                return c, " ".join(par[s:m[1]].split())
        rule = self.text_rules(par[lo:hi])
        if rule:
            return "USA", " ".join(rule.split())
        region = self.city_region(par, s, hi)
        if region is not None:
            return region
        place = self.place_lead(pid, s, e)
        if place is not None:
            return place
        words = _tokens_lower(par[lo:e])
        pre_words = _tokens_lower(par[lo:s])
        if pre_words and pre_words[-1] in self.us_titles or (words and words[0] in self.us_titles):
            return "USA", " ".join(par[lo:e].split())
        return None

    def resident(self, pid: int, e: int, hi: int) -> bool:
        """The words after the name at ``e`` give only where the person lives: "of <place>" or ", who
        lives in …"."""
        par = self.pars[pid]
        if _LIVES_IN.match(par, e, hi):
            return True
        m = _OF_PLACE.match(par, e, hi)
        if m is None:
            return False
        if self.city_region(par, m.end() - 1, hi) is not None:
            return True
        rows = [self.row(eid) for ms, _me, eid in self.mentions_in(pid, m.end(), hi) if ms == m.end()]
        return any(r is not None and r.type in ("place", "country") for r in rows)

    def region_after(self, text: str, comma: int) -> tuple[str, str] | None:
        """(region, country) when the comma at ``comma`` joins a city to its state or province ("Dayton,
        Ohio", "Sudbury, Ont.", "Dubbo, N.S.W."): the region, then a comma, a stop or the end."""
        m = _REGION_AFTER_COMMA.match(text, comma)
        if m is None:
            return None
        return self.lex.regions.get(m.group(1).replace(".", "").strip())

    def city_region(self, par: str, s: int, hi: int) -> tuple[str, str] | None:
        """(country, evidence) from a city and its state or province after the name at ``s`` ("Ana Roe, a
        nurse in Sudbury, Ont."): news names the region where the city alone is not known to the reader."""
        for m in _CITY_COMMA.finditer(par, s, hi):
            found = self.region_after(par, m.end() - 1)
            if found is not None:
                region_end = _REGION_AFTER_COMMA.match(par, m.end() - 1).end(1)
                return found[1], " ".join(par[s:region_end].split())
        return None

    def place_lead(self, pid: int, s: int, e: int) -> tuple[str, str] | None:
        """"In London, X …", "In Tokyo, Chief Cabinet Secretary X …": a sentence opening with a place just before
        the name (and its titles) places the speaker there."""
        par = self.pars[pid]
        lo = max(0, s - 60)
        for ms, me, eid in reversed(self.mentions_in(pid, lo, s)):
            if not _TITLES_AFTER_COMMA.fullmatch(par, me, s):
                return None
            row = self.row(eid)
            if row is None or row.type not in ("place", "country") or not row.country:
                return None
            if not _PLACE_LEAD.search(par, 0, ms):
                return None
            return row.country, " ".join(par[ms:e].split())
        return None

    def find_anchors(self, q: QuoteRow) -> list[tuple[int, int, int]]:
        """The speaker's mentions in reading order: its entity's mentions, else the name or phrase as written."""
        if q.speaker_entity_id and q.speaker_entity_id in self.by_eid:
            return self.by_eid[q.speaker_entity_id]
        name = q.speaker
        if not name:
            return []
        out = []
        variants = {name}
        if name[:1].islower():
            variants.add(name[:1].upper() + name[1:])
        for pid, par in enumerate(self.pars):
            for v in variants:
                i = par.find(v)
                while i >= 0:
                    j = i + len(v)
                    if (i == 0 or not par[i - 1].isalnum()) and (j >= len(par) or not par[j].isalnum()):
                        out.append((pid, i, j))
                    i = par.find(v, j)
        out.sort()
        if " " in name and not _is_phrase(name) and self.catalogued(name) is None:
            # then the mentions by surname ("Mr. Hale", "Hale"), after the full ones (a country or a body
            # has none: "North Korea" is not "Korea")
            full = set(out)
            out += [a for a in self.find_anchors(QuoteRow(
                q.article_id, q.paragraph_id, q.quote_id, name.split()[-1], "", q.cue, q.channel, q.kind, q.text,
                q.char_start, q.char_end)) if not any(f[0] == a[0] and f[1] <= a[1] < f[2] for f in full)]
        # a role phrase found in the quote's own paragraph first: "a Chinese official" there is the speaker
        if _is_phrase(name):
            own = [a for a in out if a[0] == q.paragraph_id]
            out = own + [a for a in out if a[0] != q.paragraph_id]
        return out

    def other_people_cut(self, pid: int, lo: int, s: int, e: int, hi: int, speaker_eid: str) -> tuple[int, int]:
        """The window [lo, hi) around a name at [s, e) narrowed to stop at other people: a description never
        spans another person's name ("… President Ana Lind among Tom Hale" says nothing of Tom Hale)."""
        par = self.pars[pid]
        for ms, me, eid in self.mentions_in(pid, lo, s):
            row = self.row(eid)
            if eid != speaker_eid and row is not None and row.type == "person" and me <= s \
                    and par[me:s].strip(" ,") not in ("and", "or", ""):     # "candidates A and X" describes X too
                lo = max(lo, me)
        for ms, me, eid in self.mentions_in(pid, e, hi):
            row = self.row(eid)
            if eid != speaker_eid and row is not None and row.type == "person" and ms >= e \
                    and not self.modifier_use(pid, ms, me):
                hi = min(hi, ms)
                break
        return lo, hi

    def modifier_use(self, pid: int, s: int, e: int) -> bool:
        """The person named at [s, e) modifies a noun of the description rather than heads one: "a Lind
        campaign volunteer", "a Roe supporter", "Ms. Lind's adviser"."""
        par = self.pars[pid]
        if par[e:e + 2] in ("'s", "’s"):
            return True
        return re.match(r"\s+[a-z]", par[e:e + 3]) is not None and self.word_before(pid, s) in _DETERMINERS

    def setting(self, voices: Counter[str]) -> tuple[str, str] | None:
        """The side of a speaker the text gives nothing for (pipeline.quotes.setting): where the story
        happens, or who else speaks in it (``voices``: ``stated_voices`` of the article's quotes)."""
        weights, mentions = self.place_weights()
        return story_setting(weights, mentions, voices, name_of=lambda code: getattr(self.row(code), "name", code))

    def place_weights(self) -> tuple[dict[str, int], dict[str, int]]:
        """Per country, in the order first named: the weight of its names and places, and their count. Where
        a story happens is named in the lead, and by its cities and regions more than by country names: a
        mention in the first paragraph weighs _LEAD_WEIGHT, a place _PLACE_WEIGHT (both: the product)."""
        weights: dict[str, int] = {}
        mentions: dict[str, int] = {}

        def add(pid: int, code: str, place: bool) -> None:
            weights[code] = weights.get(code, 0) + (_LEAD_WEIGHT if pid == 0 else 1) * (_PLACE_WEIGHT if place else 1)
            mentions[code] = mentions.get(code, 0) + 1
        for pid in sorted(self.by_pid):
            for _s, _e, eid in self.by_pid[pid]:
                row = self.row(eid)
                if row is not None and row.country and row.type in ("country", "place"):
                    add(pid, row.country, row.type == "place")
        # a city with its state or province ("Moncton, N.B.", "Dayton, Ohio"), also one the catalog lacks
        for pid, par in enumerate(self.pars):
            for m in _CITY_COMMA.finditer(par):
                found = self.region_after(par, m.end() - 1)
                if found is not None:
                    add(pid, found[1], True)
        return weights, mentions

    def spokesperson_org(self, q: QuoteRow) -> tuple[EntityRow, str] | None:
        """A spokesperson the text gives no employer ("Acme created the tool, a spokeswoman, Ann Lind, said";
        "Acme will add a button. “…,” a company spokesman said") speaks for the organisation the paragraph is
        about: the last one named before it in its sentence, else earlier in its paragraph. (The row, and
        the evidence phrase.)"""
        anchor = self._spokesperson_anchor(q)
        return self._organisation_before(*anchor) if anchor is not None else None

    def sentence_start(self, pid: int, pos: int) -> int:
        """Start of the sentence of paragraph ``pid`` that ``pos`` is in (its sentence ends read once)."""
        ends = self._ends.get(pid)
        if ends is None:
            ends = self._ends[pid] = sentence_ends(self.pars[pid], self.lex.abbreviations)
        return max((x for x in ends if x <= pos), default=0)

    def _organisation_before(self, pid: int, s: int, word: str) -> tuple[EntityRow, str] | None:
        """The organisation (or seat of government) named last before ``s`` in its sentence, else earlier in
        its paragraph, with the evidence phrase ending in the spokesperson ``word``."""
        par = self.pars[pid]
        start = self.sentence_start(pid, s)
        for lo in dict.fromkeys((start, 0)):
            for ms, me, eid in reversed(self.mentions_in(pid, lo, s)):
                row = self.row(eid)
                if row is not None and (row.type == "organization" or self._seat_of_government(row)) \
                        and par[ms - 1:ms] + par[me:me + 1] != "()":
                    return row, f"{par[ms:me]} … {word}"      # (not a dateline's "(Reuters)")
        return None

    def spokesperson_side(self, q: QuoteRow) -> tuple[str, str] | None:
        """The side of the organisation a spokesperson with no employer of its own speaks for."""
        anchor = self._spokesperson_anchor(q)
        if anchor is None:
            return None
        found = self._organisation_before(*anchor)
        if found is not None:
            return (found[0].country, found[1]) if found[0].country else None
        return self._owned_body_before(*anchor)

    def _seat_of_government(self, row: EntityRow) -> bool:
        """A place that stands for a government ("the White House", "the Kremlin"): its name is an
        official's or the military's word in categories.txt."""
        return row.type == "place" and categorize(row.name, "", "", self.lex) in ("official", "military")

    def _spokesperson_anchor(self, q: QuoteRow) -> tuple[int, int, str] | None:
        """(paragraph, start, the spokesperson word) of a speaker described as a spokesperson of no stated
        employer, else None."""
        anchors = self.find_anchors(q)
        if not anchors:
            return None
        pid, s, e = anchors[0]
        par = self.pars[pid]
        around = q.speaker if _is_phrase(q.speaker) else \
            par[self.pre_window(pid, s):s] + " " + par[e:self.post_window(pid, e)]
        m = _SPOKESPERSON.search(around)
        if m is None or _OWNED_ROLE.match(around, m.end()) or POSSESSIVE.search(around[:m.start()].rstrip()):
            return None
        return pid, s, m.group()

    def _owned_body_before(self, pid: int, s: int, word: str) -> tuple[str, str] | None:
        """A body a country owns named earlier in the paragraph ("China's commerce ministry said … A
        ministry spokesman, …"): (its country, the evidence), else None."""
        par = self.pars[pid]
        for ms, me, eid in reversed(self.mentions_in(pid, 0, s)):
            row = self.row(eid)
            if row is None or row.type != "country" or not self._possessive(pid, me):
                continue
            for w in _OWNED_WORDS.match(par, me).group(1).split()[:3]:
                if w in self.lex.collective_nouns:
                    return row.country or eid, f"{par[ms:par.index(w, me) + len(w)]} … {word}"
        return None

    def lede_phrase(self, q: QuoteRow) -> tuple[int, int, int] | None:
        """A delayed identification: the lead describes a person without naming them ("The Romanian skipper
        who …", "Oslo's harbour master says …") and the next paragraph opens with the name ("Ion Popa, 44, …").
        (paragraph, start, end) of the lead's description, or None."""
        anchors = self.find_anchors(q)
        if not anchors:
            return None
        pid, s, _e = anchors[0]
        if not 1 <= pid <= _LEDE_PARAGRAPHS or self.pars[pid][:s].strip(" “\"") != "":
            return None
        lead = self.pars[pid - 1]
        m = _LEDE_SUBJECT.match(lead)
        if m is None:
            return None
        end = m.end()
        for w in _WORD.finditer(lead, m.end()):
            if w.group().lower() in _LEDE_STOPS or self._verb_like(w.group()) or w.end() - m.end() > 80:
                break
            end = w.end()
        words = _WORD.findall(lead[m.end():end])
        if m.group("owner") and (not words or words[-1].lower() not in self.roles):
            return None     # "Ontario's health minister", not "Ontario's hospitals": a role owned by a place
        ms = self.mentions_in(pid - 1, m.start(1), end)     # not the dateline's city
        if any((r := self.row(eid)) is not None and r.type == "person" for _s, _e2, eid in ms):
            return None     # the lead names someone: no delayed identification
        return pid - 1, m.start(1), end

    def lede_side(self, q: QuoteRow) -> tuple[str, str] | None:
        """The side a delayed identification's description gives the named person (``lede_phrase``)."""
        found = self.lede_phrase(q)
        if found is None:
            return None
        pid, start, end = found
        for mention in self.mentions_in(pid, start, end):
            c = self.mention_country(pid, mention, q.speaker_entity_id, anchor=end)
            if c and c != _NULL:
                return c, " ".join(self.pars[pid][start:end].split())
        return None

    def role_antecedent(self, q: QuoteRow) -> tuple[str, str] | None:
        """A role phrase the text gives no country for ("the ministry said", "the spokesman added") takes
        the side of the nearest earlier phrase with the same head noun that names one ("China's defence
        ministry", "a statement from the Élysée"), within _ROLE_LOOKBACK paragraphs."""
        head = _tokens_lower(q.speaker)[-1:] if q.speaker else []
        if not head or head[0] not in self.roles and head[0] not in self.role_words and head[0] not in _ROLE_THINGS:
            return None
        for pid, h in self.earlier_uses(q, head[0]):
            par = self.pars[pid]
            lo, hi = self.pre_window(pid, h.start()), self.post_window(pid, h.end())
            for m in list(reversed(self.mentions_in(pid, lo, h.end()))) + self.mentions_in(pid, h.end(), hi):
                c = self.mention_country(pid, m, "", anchor=h.start())
                if c:
                    return c, " ".join(par[min(lo, m[0]):max(h.end(), m[1])].split())
        return None

    def earlier_uses(self, q: QuoteRow, word: str):
        """(paragraph, match) of ``word`` before the quote, nearest first, within _ROLE_LOOKBACK paragraphs."""
        pat = re.compile(r"\b" + re.escape(word) + r"\b", re.I)
        for pid in range(min(q.paragraph_id, len(self.pars) - 1), max(-1, q.paragraph_id - _ROLE_LOOKBACK), -1):
            hits = [h for h in pat.finditer(self.pars[pid]) if pid < q.paragraph_id or h.start() < q.char_start]
            for h in reversed(hits):
                yield pid, h

    def branch_place(self, pid: int, m: tuple[int, int, str], hi: int) -> tuple[str, int] | None:
        """(country, end) of the place right after a think tank, university or firm that places the
        speaker at its branch there ("a fellow at the Harbour Institute in Delhi"); None for other bodies
        (an embassy or a broadcaster speaks for its own country wherever it is)."""
        row = self.row(m[2])
        described = _organisation_description(row, self.lex) if row is not None else None
        if described is None or described[1] not in _BRANCHED:
            return None
        at = _IN_PLACE.match(self.pars[pid], m[1])
        if at is None:
            return None
        for ps, pe, eid in self.mentions_in(pid, at.end(), hi):
            place = self.row(eid)
            if ps == at.end() and place is not None and place.type in ("place", "country") and place.country:
                return place.country, pe
            break
        return None

    def affiliation_kind(self, pid: int, e: int, hi: int) -> str:
        """The category of the organisation the words after a name tie the speaker to ("X of the Harbour
        Institute", "X, a fellow at Acme Bank"), from what the organisation is (its catalogued kind or the
        words of its name); UNKNOWN when none is named in [e, hi)."""
        par = self.pars[pid]
        for ms, _me, eid in self.mentions_in(pid, e, hi):
            row = self.row(eid)
            if row is None or row.type != "organization" or not _TIED_TO.search(par, max(e, ms - 12), ms):
                continue
            described = _organisation_description(row, self.lex)
            if described is not None:
                return described[1]
        return UNKNOWN

    def issuer_side(self, q: QuoteRow) -> tuple[str, str] | None:
        """A document that speaks ("the statement said") takes the side of its issuer: the subject of an
        issuing verb right before the nearest earlier mention of the document's noun ("In Lakeside, Mayor Ann
        Roe released a statement on Friday …"), within _ROLE_LOOKBACK paragraphs."""
        head = _head_noun(q.speaker)
        if head not in self.document_nouns:
            return None
        for pid, h in self.earlier_uses(q, head):
            par = self.pars[pid]
            verb = _ISSUED.search(par, max(0, h.start() - 60), h.start())
            if verb is None or " ".join(verb.group(1).lower().split()) not in self.issuing_verbs:
                continue
            start = self.sentence_start(pid, verb.start())
            # (not a place in a party tag: "Roe (R-Ohio) sent a letter")
            before = [m for m in self.mentions_in(pid, start, verb.start())
                      if par.count("(", m[1], verb.start()) == par.count(")", m[1], verb.start())]
            if not before or len(_WORD.findall(par, before[-1][1], verb.start())) > _MAX_ISSUER_GAP:
                continue
            ms, me, eid = before[-1]
            side = self._issuer_country(self.row(eid))
            if side:
                return side, " ".join(par[ms:h.end()].split())
        return None

    def _issuer_country(self, row: EntityRow | None) -> str | None:
        """The side of a person, body, country or seat of government that issues a document."""
        if row is None:
            return None
        if row.type == "person":
            return self.person_country(row)
        if row.type == "organization" and not row.country and (row.role or "").lower() == "international":
            return _NULL
        if row.type in ("organization", "country") or self._seat_of_government(row):
            return row.country or None
        return None

    def owner(self, speaker: str) -> EntityRow | None:
        """The article's entity a possessed speaker belongs to ("Jane Roe" for "Jane Roe's lawyer"), or None."""
        m = _POSSESSOR_PHRASE.search(speaker)
        if m is None:
            return None
        return next((e for e in self.rows.values() if e.name == speaker[:m.start()]), None)

    def owner_side(self, speaker: str) -> tuple[str, str] | None:
        """"Jane Roe's lawyer", "Acme's spokesman": the side of the person or organisation it speaks for."""
        ent = self.owner(speaker)
        if ent is None:
            return None
        if ent.type == "person" and ent.source == "catalog":
            side = self.catalog_side(ent)
            return (side[0], speaker) if side else None
        if ent.type == "person":
            country = self.person_country(ent)
            return (country, speaker) if country else None
        if ent.country and ent.type == "organization":
            return ent.country, speaker
        return None

    def catalog_side(self, ent: EntityRow) -> tuple[str, str] | None:
        """A catalogued person's side: none while holding an office in an international organisation
        (on the article's date; the latest office when the article has none), else the catalog country."""
        offices = [o for o in getattr(self.cat, "offices", ()) if o.person_id == ent.entity_id]
        held = [o for o in offices if self.date and o.held_on(self.date)]
        if not held and offices and not self.date:
            held = [max(offices, key=lambda o: o.start or "")]
        for o in held:
            row = self.cat.entities.get(o.country)
            if row is None or row.type != "country":
                return _NULL, f"{o.role} ({o.country})"
        if ent.country:
            return ent.country, ent.name
        return None


# the lower-case words after a possessive country ("’s commerce ministry said"), among them the body it owns
_OWNED_WORDS = re.compile(r"['’]?s?((?:\s+[a-z]+)*)")
_WORD_BEFORE_OF = re.compile(r"(\w+)\s+of\s+(?:the\s+)?$")
# prepositions whose object the name's pre-modifiers begin after ("met with Japanese Prime Minister X"); not
# "of" or "for", which join a role's complement ("Secretary of State X")
_PRE_NAME_PREPOSITIONS = {"with", "to", "by", "from", "against", "alongside", "among", "between", "on", "at", "in"}
# heads of a role phrase that speak for the name modifying them ("a Lind spokesman", "Lind administration officials")
_SPEAKING_FOR = {"spokesman", "spokeswoman", "spokesperson", "official", "officials", "envoy", "representative"}
# "Roe's lawyer", "Roe’s campaign": a speaker named by whose it is (pipeline.quotes.extract keeps the phrase)
_POSSESSOR_PHRASE = re.compile(r"['’]s\s+[a-z]")


def _head_noun(speaker: str) -> str:
    """The last word of a speaker phrase, lower-cased: "the prime minister’s spokesman" -> "spokesman"."""
    words = _tokens_lower(speaker)
    return words[-1] if words else ""


def _is_phrase(speaker: str) -> bool:
    """A speaker given as a phrase, not a name: "a senior official", "Roe's lawyer", "Hamilton police"."""
    return speaker[:1].islower() or bool(_POSSESSOR_PHRASE.search(speaker)) or speaker.rsplit(" ", 1)[-1].islower()


def _side(a: _Article, q: QuoteRow, cache: dict) -> tuple[str, str] | None:
    """(country, evidence) of the quote's speaker from what the article says of it (country "" for "no
    country"), else None: the article's setting decides once every speaker's stated side is known."""
    key = q.speaker_entity_id or ("name:" + q.speaker)
    if key in cache:
        return cache[key]
    result: tuple[str, str] | None = None
    ent = a.row(q.speaker_entity_id) if q.speaker_entity_id else None
    if ent is not None and ent.type == "person" and ent.source == "catalog":
        result = a.catalog_side(ent)
    elif ent is not None and ent.type in ("organization", "country", "place"):
        if ent.country:
            result = ent.country, ent.name
        elif (ent.role or "").lower() == "international":
            result = _NULL, ent.name
    if result is None and not q.speaker_entity_id and q.speaker:
        # a speaker named as a catalogued country, outlet or organisation ("Xinhua", "the United States"),
        # or a seat of government that speaks ("the White House", "the Kremlin")
        row = a.catalogued(q.speaker, places=True)
        if row is not None and row.country:
            result = row.country, q.speaker
    if result is None and q.speaker:
        result = a.owner_side(q.speaker)
    if result is None and q.speaker:
        phrase = _is_phrase(q.speaker)
        for pid, s, e in a.find_anchors(q):
            found = a.anchor_evidence(pid, s, e, q.speaker_entity_id, phrase)
            if found:
                result = found
                break
    if result is None and ent is not None and ent.country:
        result = ent.country, ent.affiliation or ent.name
    if result is None and q.speaker:
        result = a.spokesperson_side(q)
    if result is None and q.speaker and not _is_phrase(q.speaker):
        result = a.lede_side(q)
    if result is None and _is_phrase(q.speaker):
        result = a.issuer_side(q) or a.role_antecedent(q)
        if result is None:
            # "the spokesman" after "the prime minister's spokesman" whose side an earlier quote resolved ("a
            # spokesman" is someone new)
            if q.speaker.split()[0].lower() in ("the", "this", "that"):
                result = a.phrase_sides.get(_head_noun(q.speaker))
    if result is not None and result[0] == _NULL:
        result = "", result[1]
    cache[key] = result
    return result


# a spokesperson with no employer of its own ("a spokeswoman", "a company spokesman"), and the words that give one
_SPOKESPERSON = re.compile(r"\b(?:spokesman|spokeswoman|spokesperson|spokespeople|spokesmen|spokeswomen)\b", re.I)
_OWNED_ROLE = re.compile(r"\s*(?:for|of|at|to|with)\s")
# words opening a sentence that describe no one ("But union chief Tom Vale")
_LEADING_CONJUNCTIONS = re.compile(r"(?:(?:[Bb]ut|[Aa]nd|[Yy]et|[Ss]o|[Oo]r|[Tt]hen|[Ss]till|[Mm]eanwhile|[Aa]lso|[Bb]oth|"
                                   r"[Ee]ven|[Aa]lthough|[Tt]hough|[Ww]hile|[Ww]hereas|[Bb]ecause|[Ww]hen|[Ii]f)\s+)+")
# "a strategist at a bank", "a spokeswoman for a Tokyo brokerage": an unnamed organisation, by its kind
_EXPERT = "academic and think tank"
_UNNAMED_AFFILIATION = re.compile(r"\b(?:at|with|for)\s+(?:a|an)\s+((?:[\w-]+\s+){0,3}?[a-z][\w-]*)(?=\s*(?:[,;()]|$|\s+in\s))")
# "president of the Federation of Nurses", "a spokesman for Acme Corp", "a release from the Harbour Police": the
# organisation a role is held at or a document comes from,
# up to the next comma or "and"
_AFFILIATION = re.compile(r"\b(?:of|at|for|with|from)\s+((?:the\s+)?[A-Z][^,;()]*?)(?=\s+and\s|[,;()]|$)")


def _affiliation_category(around: str, lex) -> str:
    """The category the organisation named after "of/at/for/with" gives ("president of the Federation of
    Nurses" -> civil society, "a spokesman for Acme Corp" -> business), which decides before the role does;
    "" when it gives none, or only the public (words such as "Students for …" name members, not a kind)."""
    m = _AFFILIATION.search(around)
    unnamed = _UNNAMED_AFFILIATION.search(around) if m is None else None
    if unnamed is not None and categorize(around[:unnamed.start()], "", "", lex) != _EXPERT:
        m = unnamed     # (an economist or analyst "at a bank" stays an expert)
    if m is None:
        return ""
    category = categorize("", m.group(1), "", lex)
    return "" if category in (UNKNOWN, "public") else category


# a determiner phrase opening a sentence or a clause, set before a name: "A shopkeeper near the square, "
_APPOSITIVE_BEFORE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\band\s)|(?<=\bbut\s))"
                                r"((?:[Aa]|[Aa]n|[Oo]ne|[Aa]nother)\s[^,;:.!?“”\"]{2,60}?),\s*$")
_APPOSITIVE_HEAD = re.compile(r"\s*,\s*(?:\d{1,3}\s*,\s*)?(?:a|an)\s+(?:[\w'’.-]+\s+){0,4}?([a-z]+)\s*(?:[,.;]|$|who\b)")


def _public_head(after: str, lex) -> bool:
    """The appositive after the name is headed by a word for a member of the public ("…, a Lakeside
    University student", "…, a Hydro One customer"), whatever the organisation words before it."""
    m = _APPOSITIVE_HEAD.match(after)
    return m is not None and categorize(m.group(1), "", "", lex) == "public"


_MAX_DESCRIBED = 8     # mentions of one speaker read for a description
_AGE = re.compile(r",\s*(?:\d{1,3}\s*(?:,|$)|an?\s+\d{1,3}-year-old\b)")


def _organisation_description(body: EntityRow | None, lex) -> tuple[str, str] | None:
    """(description, category) of an organisation speaker from itself, not from the words around its
    mentions: the kind the catalog gives (``role``: media, government, party, company, academic,
    international, ngo; "Bank of England" -> official), else the words of its name ("Ministry of Harbour
    Affairs" -> official); None for no organisation or no category."""
    if body is None or body.type != "organization":
        return None
    category = categorize("", "", body.role, lex) if body.role else UNKNOWN
    if category != UNKNOWN:
        return ", ".join(x for x in (body.name, body.role, body.affiliation) if x), category
    category = categorize(body.name, "", "", lex)
    return (body.name, category) if category not in (UNKNOWN, "public") else None


def _kind_set_before(par: str, s: int, e: int, lex) -> tuple[str, str] | None:
    """(description, category) from a phrase set before the name at [s, e) between commas, opening its
    sentence or clause, whose head noun — its last word before a preposition — is a kind of person ("A
    shopkeeper near the square, X, said", "and one voter, X,"), else None. (No role there: the words before
    the name gave none.)"""
    m = _APPOSITIVE_BEFORE.search(par, max(0, s - 80), s)
    if m is None:
        return None
    words = _tokens_lower(par[m.start(1):s])
    head = next((words[k - 1] for k, w in enumerate(words) if k and w in _PREPOSITIONS | {"near"}), words[-1])
    category = categorize(head, "", "", lex)
    return (" ".join(par[m.start(1):e].split()), category) if category != UNKNOWN else None


def _describe(a: _Article, q: QuoteRow, ent: EntityRow | None) -> tuple[str, str]:
    text, category = _describe_from_text(a, q, ent)
    if category in ("official", UNKNOWN):
        # a spokesperson with no employer of its own speaks for the organisation the paragraph is about: a
        # company's is business ("Acme will close the plant, a spokeswoman, Ann Lind, said")
        found = a.spokesperson_org(q)
        org = _organisation_description(found[0], a.lex) if found is not None else None
        if org is not None:
            return text or found[1], org[1]
    return text, category


def _describe_from_text(a: _Article, q: QuoteRow, ent: EntityRow | None) -> tuple[str, str]:
    """(description, category) of the speaker: the first of its mentions whose words around the name
    (title, pre-modifiers, appositive) give a category — "Sen. Ann Roe", "Ann Roe, a Republican strategist" —
    else the entity's role and affiliation, else an organisation's own name; ("", unknown) when none gives a
    category (the words around a bare name are mostly the sentence's, not a description). A role phrase
    speaker ("a senior official") describes itself."""
    lex = a.lex
    phrase = _is_phrase(q.speaker)
    # titles and role words the name itself opens with ("Sen. Ann Roe", "Comedian Ann Roe" as one name)
    # describe the speaker too, when a two-word name is left after them
    name_titles = []
    words = q.speaker.split()
    for k, w in enumerate(words[:-2]):
        if w.strip(".").lower() not in lex.titles and categorize(w, "", "", lex) == UNKNOWN:
            break
        name_titles.append(w)
    titles = " ".join(name_titles)
    if not phrase:
        described = _organisation_description(
            ent if ent is not None else (a.catalogued(q.speaker) if q.speaker else None), lex)
        if described is not None:
            return described
    for n, (pid, s, e) in enumerate(a.find_anchors(q)):
        if n == _MAX_DESCRIBED:
            break
        par = a.pars[pid]
        if phrase:
            around, text = par[s:e], par[s:e]
        else:
            # after a preposition the words before describe another ("an aide to Roe"); a name that modifies
            # a noun ("the Roe campaign", "Roe's adviser") is described only by the words before it
            lo = a.pre_window(pid, s) if a.word_before(pid, s) not in _PREPOSITIONS else s
            hi = a.post_window(pid, e) if not a.modifier_use(pid, s, e) else e
            lo, hi = a.other_people_cut(pid, lo, s, e, hi, q.speaker_entity_id)
            around, text = titles + " " + par[lo:s] + " " + par[e:hi], par[lo:hi]
            titled = bool(titles) or any(w.strip(".").lower() in lex.titles for w in par[lo:s].split())
        text = " ".join(text.split()).strip(" ,")
        set_before = _kind_set_before(par, s, e, lex) if not phrase and lo == s else None
        if not around.strip(" ,()’'s"):
            if set_before is not None:
                return set_before
            continue
        category = _affiliation_category(around, lex) or categorize(around, "", "", lex)
        if category == UNKNOWN and not phrase:
            category = a.affiliation_kind(pid, e, hi)   # "X of the Brookings Institution": the catalog's kind
        if not phrase and category not in (UNKNOWN, "public") and not titled and _public_head(par[e:hi], lex):
            category = "public"     # "Omar Haddad, a Lakeside University student": the head noun decides
        if category == UNKNOWN and not phrase and (_AGE.match(par[e:hi]) or a.resident(pid, e, hi) and not titled):
            # "Jane Roe, 34, said", "Jane Roe of Dayton, Ohio", "Jane Roe, who lives in Lyon": news gives a
            # private person's age or home town, not a role
            category = "public"
        if category == UNKNOWN and set_before is not None:
            return set_before
        if category != UNKNOWN:
            return text, category
    if phrase and _POSSESSOR_PHRASE.search(q.speaker):
        # "Jane Roe's lawyer": the phrase describes itself, its owner's name aside; "Jane Roe's office",
        # "… campaign": the owner's category when the phrase's own words give none
        category = categorize(q.speaker[_POSSESSOR_PHRASE.search(q.speaker).end() - 1:], "", "", lex)
        owner = a.owner(q.speaker) if category == UNKNOWN else None
        if owner is not None:
            category = categorize(owner.role, owner.affiliation, owner.type, lex)
        if category != UNKNOWN:
            return q.speaker, category
    catalogued = a.catalogued(q.speaker) if not phrase and q.speaker else None
    if (ent is None or ent.type != "person") and not phrase and q.speaker and not catalogued \
            and not (len(q.speaker.split()) > 1 and q.speaker.split()[-1].lower() in lex.titles):
        # a body named by itself ("the Kremlin", "State media", "the White House"): the words of its name
        # (not a person's whose surname is a title word: "Anna King")
        category = categorize(q.speaker, "", "", lex)
        if category not in (UNKNOWN, "public"):
            return q.speaker, category
    if ent is None and not phrase:
        ent = catalogued
    if not phrase and (ent is None or ent.type == "person"):
        lede = a.lede_phrase(q)
        if lede is not None:
            # "Oslo's harbour master says …" ¶ "Ina Berg told reporters …": the lead describes the person
            text = " ".join(a.pars[lede[0]][lede[1]:lede[2]].split())
            category = categorize(text, "", "", lex) if text.split()[-1].lower() in a.roles else UNKNOWN
            if category != UNKNOWN:
                return text, category     # (a phrase ending in its role noun: "The Romanian skipper")
    if ent is not None and ent.type == "country" and a.demonym_only(q.speaker):
        # "Germans said …" are people of that country, not its government ("Germany said …"); "a Syrian" is
        # someone the words do not describe
        return "", "public" if q.speaker.endswith("s") else UNKNOWN
    if ent is not None:
        category = categorize(ent.role, ent.affiliation, ent.type, lex)
        if category == UNKNOWN and ent.type == "organization":
            # a catalogued organisation's kind (media, government, party, company, academic, international),
            # else the words of its name ("… Ministry", "… University")
            category = categorize("", "", ent.role, lex) if ent.role else UNKNOWN
            if category == UNKNOWN:
                category = categorize(ent.name, "", "", lex)
        if category != UNKNOWN:
            return ", ".join(x for x in (ent.name, ent.role, ent.affiliation) if x), category
    return "", UNKNOWN


def profile_speakers(article: ArticleText, quotes: list[QuoteRow], entities: EntityResult | None, *,
                     lexicon, catalog, failures: list[PassFailure] | None = None) -> list[QuoteRow]:
    """``quotes`` with ``speaker_country`` and ``country_evidence`` filled (in place; also returned).

    Never raises: a failure is logged with the article id and leaves the fields empty."""
    try:
        a = _Article(article, entities or EntityResult(), lexicon, catalog)
        cache: dict[str, tuple[str, str]] = {}
        described: dict[str, tuple[str, str]] = {}
        unplaced: list[QuoteRow] = []
        for q in quotes:
            if not q.speaker:
                continue
            side = _side(a, q, cache)
            if side is None:
                unplaced.append(q)
                side = "", ""
            q.speaker_country, q.country_evidence = side
            if q.speaker_country and _is_phrase(q.speaker) and not q.country_evidence.startswith(SETTING_PREFIX):
                a.phrase_sides[_head_noun(q.speaker)] = q.speaker_country, q.country_evidence
            key = q.speaker_entity_id or ("name:" + q.speaker)
            if key not in described:
                described[key] = _describe(a, q, a.row(q.speaker_entity_id) if q.speaker_entity_id else None)
            q.speaker_description, q.speaker_category = described[key]
        if unplaced:
            setting = a.setting(stated_voices(quotes))
            if setting is not None:
                for q in unplaced:
                    q.speaker_country, q.country_evidence = setting
    except Exception as exc:
        log.exception("speaker profiles failed for article %s", article.article_id)
        if failures is not None:
            failures.append(pass_failure("quotes.profile", exc))
        for q in quotes:
            q.speaker_country = q.country_evidence = q.speaker_description = q.speaker_category = ""
    return quotes
