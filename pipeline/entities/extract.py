"""Per-article entity extraction: catalog matching, discovery, aliases and the country pair.

One Aho-Corasick pass per paragraph finds every catalog alias; a few regexes find people and
organisations the catalog lacks; a small per-article automaton finds the discovered names and
their surnames again. Overlaps are settled by "longest match wins".
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import ahocorasick

from pipeline.entities.catalog import BACKREF, CAPITAL, COMBINING, DEMONYM, NAME, EntityCatalog, fold, slug
from pipeline.records import ArticleText, EntityResult, EntityRow, MentionRow

TITLE, STANDFIRST = -2, -1        # pseudo paragraph ids for the title and standfirst

# Dyad weights (see docs/entities.md): where a country mention stands.
W_TITLE, W_STANDFIRST, W_LEAD, W_BODY = 3.0, 2.0, 2.0, 1.0
W_RELATED = 0.5                   # a person or place of that country
MIN_SCORE = 2.0                   # the first country "matters" from this score on
MIN_SECOND = 1.0                  # the second from this score (one body mention) ...
SECOND_SHARE = 0.05               # ...and this share of the first's

CAPW = r"[A-Z](?:[\w\-]|['’](?=[A-Z])|\.(?=[A-Z]))*\.?"
CONNECT = r"(?:of|for|and|on|the|de|la|du|del|da|von|van|der|den|bin|al|&)"
RUN_RE = re.compile(rf"(?<![\w’'-]){CAPW}(?:(?: {CONNECT})* {CAPW})*")
TOKEN_RE = re.compile(rf"{CAPW}|{CONNECT}\b|\S+")
NAME_TOKEN_RE = re.compile(r"^(?:(?:Mc|Mac|De|Di|Da|La|Le|O['’])?[A-Z][a-z\u00e0-\u024f]+(?:['’\-][A-Za-z\u00c0-\u024f]+)*|[A-Z]\.)$")
ABBREV_OK = {"Jr.", "Sr.", "St.", "Co.", "Corp.", "Inc.", "Ltd.", "Bros."}
NAME_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
LEADING_SKIP = {"The", "A", "An", "But", "And", "Or", "According", "However", "Meanwhile", "Also", "When",
                "While", "As", "If", "After", "Before", "During", "Since", "Although", "In", "On", "At",
                "For", "From", "With", "By", "To", "Both", "Then", "Now", "Yet", "So", "Still", "Former",
                "Late", "Acting", "Incoming", "Outgoing", "Then-", "Top", "Veteran", "Longtime", "Prominent",
                "Even", "Only", "Not", "Unlike", "Like"}
CONNECTORS = {"of", "for", "and", "on", "the", "de", "la", "du", "del", "da", "von", "van", "der", "den",
              "bin", "al", "&"}
# Words after an organisation's head word that end its name ("Global Times on Thursday").
ORG_STOP = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
            "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December", "Today", "Yesterday", "Tomorrow", "This", "That", "Last", "Next"}
# Predecessor and successor states that are one side of a dyad (the larger score names it).
DYAD_SAME_PAIRS = [("SUN", "RUS")]
NAME_PARTICLES = {"de", "la", "du", "del", "da", "von", "van", "der", "den", "bin", "al"}


@dataclass
class Cand:
    start: int
    end: int
    targets: list[tuple[str, str]]      # (entity_id, kind)
    source: str = "catalog"             # catalog | discovered

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Discovered:
    entity: EntityRow
    names: set[str] = field(default_factory=set)     # full names as written
    surnames: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------- catalog scan

_COUNTRY_BEFORE = re.compile(r"(?:\b[Tt]he\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})(?:'s|’s|'|’)?\s+$")


def _caps_context(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 20):end + 20]
    return not any(c.islower() for c in window)


_CAPS_WORD = re.compile(r"[A-Z][A-Z'’]*")


def _caps_pronoun(text: str, start: int, end: int, catalog: EntityCatalog) -> bool:
    """In all-caps text, is the ambiguous alias at start:end the ordinary word ("TELLS US", "LET US",
    "ALL OF US", "US ALL")? Otherwise it is the alias ("CHINA WARNS US", "US, JAPAN AGREE")."""
    before = _CAPS_WORD.findall(text[max(0, start - 24):start])
    after = _CAPS_WORD.findall(text[end:end + 12])
    if text[start:end] not in catalog.caps_country_ok:
        return True
    if before and (before[-1] in catalog.caps_pronoun_before
                   or len(before) >= 2 and " ".join(before[-2:]) in catalog.caps_pronoun_before):
        return True
    return bool(after) and after[0] in catalog.caps_pronoun_after and text[end:end + 1] == " "


def _inside_initials(text: str, start: int) -> bool:
    """Whether ``start`` follows a single dotted letter ("A." in "A.B.C.", not "said." in "said.Trump")."""
    return start >= 2 and text[start - 1] == "." and text[start - 2].isalpha() and (
        start == 2 or not text[start - 3].isalpha())


def scan(text: str, catalog: EntityCatalog) -> list[Cand]:
    """Every catalog alias occurrence in text, word-bounded (overlaps are kept)."""
    out = []
    n = len(text)
    for end, (key, aliases) in catalog.automaton.iter(text):
        start = end - len(key) + 1
        end += 1
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_"):
            continue
        if _inside_initials(text, start):
            continue        # "B.C." in "the A.B.C. union": part of a longer dotted abbreviation
        combining = key.endswith("-")
        if combining:
            end -= 1
        elif end < n and (text[end].isalnum() or text[end] == "_") and not key.endswith("."):
            continue
        # "U.S." ending a sentence is still "U.S."; a key that ends in a period needs nothing more
        # ("U.S.PROTECTIONISM" in a wire headline).
        surface = text[start:end]
        if surface in catalog.caps_ambiguous and _caps_context(text, start, end) \
                and _caps_pronoun(text, start, end, catalog):
            continue
        exact = [a for a in aliases if a == key]
        use = exact or list(aliases)
        if not exact:
            # An all-caps rendering of a mixed-case alias: only in capitalised text ("BEIJING (Reuters)").
            if any(c.islower() for c in surface):
                continue
        targets: list[tuple[str, str]] = []
        for a in use:
            for t in catalog.aliases.get(a, ()):
                if combining and t[1] != COMBINING:
                    continue
                if t not in targets:
                    targets.append(t)
        if targets:
            out.append(Cand(start, end, targets))
    return out


def _countries_in(text: str, catalog: EntityCatalog) -> list[str]:
    out = []
    for c in sorted(scan(text, catalog), key=lambda c: (c.start, -c.length)):
        if text[c.end:c.end + 2] in ("'s", "’s") and catalog.demonym_only(text[c.start:c.end]):
            continue        # "German's brother": a given name
        for eid, kind in c.targets:
            if kind == BACKREF:
                continue
            row = catalog.entities.get(eid)
            if row is None:
                continue
            if row.type == "country":
                out.append(eid)
                break
            if row.type in ("place", "organization") and row.country and len(row.country) == 3:
                out.append(row.country)
                break
    return out


# ---------------------------------------------------------------------- discovery

@dataclass
class Tok:
    text: str
    start: int
    end: int


def _tokens(text: str, start: int, end: int, dotted_roles: frozenset[str] = frozenset()) -> list[Tok]:
    """Words of a run; a sentence's period is cut off the last one, but not off an abbreviation
    ("Jr.") nor off a dotted role ("Sen.", matched as a role with its period)."""
    toks = []
    for m in TOKEN_RE.finditer(text, start, end):
        t = m.group()
        s, e = m.start(), m.end()
        if t.endswith(".") and len(t) > 2 and "." not in t[:-1] and t not in ABBREV_OK \
                and t.lower() not in dotted_roles:
            t, e = t[:-1], e - 1
        toks.append(Tok(t, s, e))
    return toks


def _match_role(words: list[str], catalog: EntityCatalog, *, domain: bool = False) -> int:
    """Number of leading words that form the longest role phrase, 0 if none.

    With ``domain``, capitalised words before a role word belong to it ("Trade Minister",
    "Deputy Trade Representative", "Treasury Secretary")."""
    low = [w.lower() for w in words]
    best = 0
    for k in range(1, min(5, len(low)) + 1):
        if " ".join(low[:k]) in catalog.role_set:
            best = k
    if domain and not best:
        for k in range(2, min(4, len(low)) + 1):
            if low[k - 1] in catalog.role_set and low[k - 1] not in catalog.honorifics and all(
                    w[:1].isupper() and w.lower() not in catalog.org_heads and w not in LEADING_SKIP
                    or w.lower() in catalog.role_set for w in words[:k - 1]):
                best = k
    return best


def _is_name(toks: list[Tok], catalog: EntityCatalog) -> bool:
    if not 2 <= len(toks) <= 5:
        return False
    if toks[0].text.lower() in NAME_PARTICLES or toks[-1].text.lower() in NAME_PARTICLES:
        return False
    real = 0
    name_like = 0       # "Michael Jordan", "Jordan Peterson": one country-like name word is allowed
    for k, t in enumerate(toks):
        if t.text.lower() in NAME_PARTICLES:
            continue
        if len(t.text) == 1 and t.text.isupper() and t.text not in "AI" and k < len(toks) - 1:
            real += 1         # an initial written without its dot ("S Jaishankar", "E Jean Lind")
            continue
        if not NAME_TOKEN_RE.match(t.text) or t.text in catalog.not_name_words or t.text.endswith("-based"):
            return False
        if t.text.lower() in catalog.org_heads or t.text.lower() in catalog.role_set:
            return False
        real += 1
        if t.text in catalog.person_name_like and not name_like:
            name_like = 1
            continue
        for eid, kind in catalog.aliases.get(t.text, ()):
            row = catalog.entities.get(eid)
            if row is not None and row.type != "person":
                return False
    return real >= 2 and real > name_like


def _suffixed(toks: list[Tok]) -> bool:
    """A name ending in a generational suffix ("Tom B. Vale Jr.", "Ann Lind III"): the suffix is part of the
    name, though no name word itself."""
    return len(toks) >= 3 and toks[-1].text in NAME_SUFFIXES


def _name_of_place(text: str, toks: list[Tok], catalog: EntityCatalog) -> tuple[list[Tok], str]:
    """A name and the place it is "of" ("Ann Roe of Ohio", "Tom Vale of the Netherlands"): the name's
    tokens and the place's country; else ``toks`` as given and ""."""
    k = next((k for k, t in enumerate(toks) if t.text == "of"), -1)
    if k < 2 or not _is_name(toks[:k], catalog):
        return toks, ""
    place = toks[k + 1:]
    if place and place[0].text.lower() == "the":
        place = place[1:]
    found = _countries_in(_span_text(text, place), catalog) if place else []
    # the whole rest is one catalogued place or country ("of Ohio"; not "of Ohio State University")
    whole = bool(found) and any(c.start == 0 and c.end == len(_span_text(text, place))
                                for c in scan(_span_text(text, place), catalog))
    return (toks[:k], found[0]) if whole else (toks, "")


def _has_head(toks: list[Tok], catalog: EntityCatalog) -> int:
    """Index of the last organisation head word, or -1; words after it that cannot belong to a
    name ("Global Times on Thursday") are not part of the organisation."""
    idx = -1
    for i, t in enumerate(toks):
        if t.text[:1].isupper() and t.text.lower() in catalog.org_heads:
            idx = i
        elif t.text in ORG_STOP and idx >= 0:
            break
    return idx


_RUN_DOT = re.compile(r"([\w’'\-]+)\. ")


def _sentence_parts(text: str, start: int, end: int, abbreviations: set[str]):
    """A capitalised run cut at sentence ends: "Republic. Halvorsen" is two runs. A period after an
    initial ("J."), an abbreviation ("Jr.", "Gen.") or inside a word ("U.S.", "Ph.D.") ends no sentence; the
    word after an initial does ("John J. Roe. Acme …")."""
    pos = start
    for m in _RUN_DOT.finditer(text, start, end):
        w = m.group(1)
        if len(w) == 1 or w in abbreviations or (m.start() > start and text[m.start() - 1] == "."):
            continue
        yield pos, m.end(1) + 1
        pos = m.end()
    yield pos, end


def _span_text(text: str, toks: list[Tok]) -> str:
    return text[toks[0].start:toks[-1].end] if toks else ""


class Discoverer:
    """Finds people and organisations in one article; keeps what it found by id."""

    def __init__(self, catalog: EntityCatalog):
        self.cat = catalog
        self.found: dict[str, Discovered] = {}
        self.catalog_titles: dict[str, str] = {}   # "President Xi" -> catalog person id
        self.variants: dict[str, str] = {}          # "Rex W. Tillerson" -> catalog person id
        self.unproven: dict[str, str] = {}          # name-like run without evidence -> its last word
        verbs = "|".join(sorted(catalog.speech_verbs, key=len, reverse=True))
        self.after_speech = re.compile(rf"^,?\s+(?:(?:has|had|have|also|then|later|once|further|recently)\s+)?(?:{verbs})\b")
        self.before_speech = re.compile(rf"(?:\b(?:{verbs})|according to)\s+(?:(?:the|a|an)\s+)?$", re.I)
        self.apposition = re.compile(r"^,\s+(?:(?:a|an|the)\s+)?((?:[\w’'\-\.]+\s+){0,6}?)")

    # -------------------------------------------------------------- entity records
    def _person(self, name: str, *, role: str = "", affiliation: str = "", country: str = "") -> str:
        known = self._catalog_person(name)
        if known:
            if name not in self.cat.aliases:
                self.variants[name] = known     # "Rex W. Tillerson": found again as the catalog person
            return known
        eid = "person:" + slug(name)
        d = self.found.get(eid)
        if d is None:
            d = self.found[eid] = Discovered(EntityRow(eid, name, "person", country, role=role,
                                                       source="discovered", affiliation=affiliation))
        row = d.entity
        if role and not row.role:
            row.role = role
        if affiliation and not row.affiliation:
            row.affiliation = affiliation
        if country and not row.country:
            row.country = country
        d.names.add(name)
        parts = [p for p in name.split() if p.lower() not in NAME_PARTICLES and not re.match(r"^[A-Z]\.$", p)
                 and p not in NAME_SUFFIXES]
        if len(parts) >= 2:
            if parts[0] in self.cat.family_name_first and len(parts) <= 3:
                d.surnames.add(parts[0])
            else:
                d.surnames.add(parts[-1])
        return eid

    def _catalog_person(self, name: str) -> str:
        """The catalog person a found name is a variant of: as written, without middle initials
        ("Rex W. Tillerson"), or sharing surname and first name with a fuller catalog name ("Tayyip
        Erdoğan" for "Recep Tayyip Erdoğan")."""
        dotted = re.sub(r"(?<![\w.])([A-Z])(?=\s)", r"\1.", name)     # "George W Bush" as "George W. Bush"
        for form in dict.fromkeys((name, dotted, re.sub(r"\s+[A-Z]\.(?=\s)", "", dotted))):
            for eid, kind in self.cat.aliases.get(form, ()):
                if kind == NAME and self.cat.entities[eid].type == "person":
                    return eid
        words = [fold(w).lower() for w in name.split() if not re.match(r"^[A-Z]\.?$", w) and w not in NAME_SUFFIXES]
        if len(words) >= 2:
            for eid, tokens in self.cat.people_by_surname.get(words[-1], ()):
                if words[0] in tokens:
                    return eid
        return ""

    def _org(self, name: str, *, based: str = "") -> tuple[str, str]:
        """(entity_id, country) of an organisation named in full."""
        name = re.sub(r"^(?:The|the)\s+", "", name).strip()
        for eid, kind in self.cat.aliases.get(name, ()):
            row = self.cat.entities[eid]
            if kind == NAME and row.type in ("organization", "place", "country"):
                return eid, (row.country if row.type != "country" else eid)
        country = ""
        if based:
            cs = _countries_in(based, self.cat)
            country = cs[0] if cs else ""
        if not country:
            country = self._org_country(name)
        eid = "org:" + slug(name)
        d = self.found.get(eid)
        if d is None:
            d = self.found[eid] = Discovered(EntityRow(eid, name, "organization", country, source="discovered"))
        elif country and not d.entity.country:
            d.entity.country = country
        d.names.add(name)
        return eid, d.entity.country

    def _org_country(self, name: str) -> str:
        segs = re.split(r"\s+(?:of|for|on|at|in)\s+(?:the\s+)?", name)
        heads = [s for s in segs if any(w.lower() in self.cat.org_heads for w in s.split())]
        for group in (heads, segs):
            for s in group:
                cs = _countries_in(s, self.cat)
                if cs:
                    return cs[0]
        return ""

    # -------------------------------------------------------------- per paragraph
    def paragraph(self, text: str) -> None:
        if not any(c.islower() for c in text):
            return      # an all-caps headline: no reliable capitalisation
        prev_org: tuple[int, str] | None = None     # (end offset, org name) of the last org run
        for m in RUN_RE.finditer(text):
            if " " not in m.group():
                continue        # one word is neither a full name nor an organisation's name
            for start, end in _sentence_parts(text, m.start(), m.end(), self.cat.abbreviations):
                if " " not in text[start:end]:
                    continue
                toks = _tokens(text, start, end, self.cat.dotted_roles)
                if len(toks) >= 3 and not any(c.islower() for c in text[start:end]):
                    continue    # a shouted phrase inside normal text ("OTHER SIDE OF THE HOUSE")
                org_here = self._run(text, toks, m, prev_org)
                if org_here:
                    prev_org = (end, org_here)

    def _strip_based(self, toks: list[Tok]) -> tuple[list[Tok], str]:
        based = ""
        while toks and toks[0].text.endswith("-based"):
            based = toks[0].text[: -len("-based")]
            toks = toks[1:]
        return toks, based

    def _run(self, text: str, toks: list[Tok], m: re.Match, prev_org) -> str:
        cat = self.cat
        i = 0
        while i < len(toks) and (toks[i].text in LEADING_SKIP or toks[i].text.lower() in CONNECTORS):
            i += 1
        toks, based = self._strip_based(toks[i:])
        # "Spain and the EC Commission": a known name, then "and": only the rest is new.
        for k, t in enumerate(toks):
            if t.text in ("and", "&") and k > 0 and cat.aliases.get(_span_text(text, toks[:k])):
                rest = toks[k + 1:]
                while rest and rest[0].text.lower() in CONNECTORS:
                    rest = rest[1:]
                return self._run(text, rest, m, prev_org) if rest else ""
        if not toks:
            return ""
        # Leading country words ("Russian", "South Korean", "U.S.").
        country = ""
        j = 0
        while j < len(toks):
            hit = ""
            for k in range(min(3, len(toks) - j), 0, -1):
                phrase = _span_text(text, toks[j:j + k])
                c = cat.country_of_alias(phrase)
                if c:
                    hit, j = c, j + k
                    break
            if not hit:
                break
            country = country or hit
        if country and cat.words.posting_before(text[max(0, toks[0].start - 40):toks[0].start]):
            country = ""      # "Ambassador to Kenya Zhou Lin": the posting, not the person's country
        rest = toks[j:]
        nrole = _match_role([t.text for t in rest], cat, domain=True)
        role_toks, rest = rest[:nrole], rest[nrole:]
        role = _span_text(text, role_toks)
        if role.lower() in cat.honorifics:
            role = ""
        affiliation = ""
        aff_country = ""
        # "Vice President of the Ethiopian Coffee Exchange Dawit Bekele"
        if role_toks and rest and rest[0].text == "of":
            k = 1
            while k < len(rest) and rest[k].text in ("the",):
                k += 1
            tail = rest[k:]
            h = _has_head(tail, cat)
            if h >= 0 and _is_name(tail[h + 1:], cat):
                org_toks, name_toks = tail[:h + 1], tail[h + 1:]
                oid, aff_country = self._org(_span_text(text, org_toks))
                affiliation = self.cat.entities[oid].name if oid in self.cat.entities else self.found[oid].entity.name
                name = _span_text(text, name_toks)
                self._person(name, role=role, affiliation=affiliation, country=country or aff_country)
                self._title(text, toks, name_toks, name)
                return ""
            return ""
        if not rest:
            return ""
        h = _has_head(rest, cat)
        if h >= 0 and j == 0:
            # "Lena Halvorsen of Valley News", "A. Smith and B. Jones of the University of X", "Professor Ann
            # Lind of the Lakeside School of Music": people with their affiliation, not one organisation.
            k = next((k for k, t in enumerate(rest) if t.text == "of"), -1)
            if k >= 2 and k < h:
                groups, cur = [], []
                for t in rest[:k]:
                    if t.text in ("and", "&"):
                        groups.append(cur)
                        cur = []
                    else:
                        cur.append(t)
                groups.append(cur)
                if all(_is_name(g, cat) for g in groups):
                    otoks = rest[k + 1:]
                    while otoks and otoks[0].text.lower() == "the":
                        otoks = otoks[1:]
                    if _has_head(otoks, cat) >= 0:
                        org_name = self._run(text, otoks, m, prev_org)
                        if org_name:
                            oid = "org:" + slug(org_name)
                            for g in groups:
                                self._person(_span_text(text, g), role=role if len(groups) == 1 else "",
                                             affiliation=org_name, country=self._country_of_named(org_name))
                            return org_name
            # "Harbor News and Valley News", "University of Eastfield and Lena Halvorsen": the part before
            # "and" ends with a head word, or the part after is a person's name: two names.
            for k, t in enumerate(rest):
                if t.text in ("and", "&") and 0 < k < len(rest) - 1:
                    after = rest[k + 1:]
                    while after and after[0].text.lower() == "the":
                        after = after[1:]
                    left_head = rest[k - 1].text.lower() in cat.org_heads or \
                        (k == 1 and len(rest[0].text) >= 2 and rest[0].text.isupper() and _has_head(after, cat) >= 0)
                    if left_head and (_has_head(after, cat) >= 0 or _is_name(after, cat) or len(after) == 1):
                        org_name = self._run(text, rest[:k], m, prev_org)
                        if after and _has_head(after, cat) >= 0:
                            self._run(text, after, m, prev_org)
                        return org_name
                    if _is_name(after, cat) and _has_head(rest[:k], cat) >= 0:
                        return self._run(text, rest[:k], m, prev_org)
        if h >= 0:
            name_toks = rest[h + 1:]
            org_toks = rest[:h + 1]
            nr = _match_role([t.text for t in name_toks], cat) if name_toks else 0
            if nr and _is_name(name_toks[nr:], cat) and not role_toks \
                    and _span_text(text, name_toks[:nr]).lower() not in cat.honorifics:
                # "Senate Water Resources Committee Chairman Tomas Lindqvist"
                oid, aff_country = self._org(_span_text(text, org_toks), based=based)
                name = _span_text(text, name_toks[nr:])
                self._person(name, role=_span_text(text, name_toks[:nr]), affiliation=self._name_of(oid),
                             country=country or aff_country)
                self._title(text, toks, name_toks[nr:], name)
                return ""
            cut = next((k for k, t in enumerate(name_toks) if t.text in ("of", "from", "at")), -1)
            if nr and cut > nr and _is_name(name_toks[nr:cut], cat) and not role_toks and h == 0:
                # "Police Chief Dan Kinsella of the Harbour District": a titled person, then where from (the
                # head word only qualifies the title)
                name = _span_text(text, name_toks[nr:cut])
                self._person(name, role=_span_text(text, org_toks + name_toks[:nr]), country=country)
                self._title(text, toks, name_toks[nr:cut], name)
                return ""
            if name_toks and _is_name(name_toks, cat) and not role_toks:
                # "Ethiopian Coffee Exchange Dawit Bekele": an organisation, then a person.
                oid, aff_country = self._org(_span_text(text, org_toks), based=based)
                org_name = self._name_of(oid)
                self._person(_span_text(text, name_toks), affiliation=org_name, country=aff_country)
                return ""
            if len(rest) >= 2 or j > 0:
                keep = rest
                for k in range(h + 1, len(rest)):
                    if rest[k].text in ORG_STOP:
                        keep = rest[:k]
                        break
                org_text = _span_text(text, toks[:j] + keep) if j and not role_toks else _span_text(text, keep)
                while org_text.split(" ")[-1] in CONNECTORS:
                    org_text = org_text.rsplit(" ", 1)[0]
                oid, _ = self._org(org_text, based=based)
                return self._name_of(oid)
            return ""
        run_end = rest[-1].end
        rest, where_from = _name_of_place(text, rest, cat)
        country = country or where_from
        if not _is_name(rest[:-1] if _suffixed(rest) else rest, cat):
            return ""
        name = _span_text(text, rest)
        before = text[max(0, toks[0].start - 80):toks[0].start]
        after = text[run_end:run_end + 300]     # (after "of Ohio" when the run ends so)
        evidence = bool(role_toks)
        low_role = ""
        # the role right before the name, or before a comma ("Brazil's finance minister, Luis Ortega")
        mb = re.search(r"(?:^|[\s(])((?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*),?\s+$", before)
        if mb:
            words = mb.group(1).split()
            for k in range(len(words)):
                n = _match_role(words[k:], cat)
                if n and n == len(words) - k:
                    low_role = " ".join(words[k:])
                    # "Brazil's finance minister", "the Chilean envoy": the country before the role words
                    pc = _COUNTRY_BEFORE.search(before, 0, mb.start(1))
                    country = country or (cat.country_of_alias(pc.group(1)) if pc else "")
                    break
        if low_role and low_role not in cat.honorifics:
            evidence = True
            role = role or low_role
            if prev_org and text[prev_org[0]:toks[0].start].strip() == low_role:
                affiliation = prev_org[1]
                aff_country = self._org_country(prev_org[1]) or self._country_of_named(prev_org[1])
        if self.after_speech.match(after) or self.before_speech.search(before) or _AGE_APPOSITIVE.match(after):
            evidence = True     # (an age in apposition is a person's: "Ana Lind, 44, …")
        # Apposition: "Priya Raman, a fellow at Chatham House"
        # an appositive, or a copular relative clause ("X, who was a senator,"); not another relative
        # clause, whose object is no role of X's ("X, who coached the mayor for years,")
        ma = re.match(r"^,\s+(?:who\s+(?:is|was|has\s+been|had\s+been|became|serves\s+as|served\s+as)\s+)?"
                      r"(?:(?:a|an|the)\s+)?(?!(?:who|which|whom|whose)\b)", after)
        if ma:
            tail = after[ma.end():]
            words = re.findall(r"[\w’'\-\.]+", tail[:160])
            # role phrase: up to 6 words ending in a role word
            for k in range(min(6, len(words)), 0, -1):
                if _match_role([words[k - 1]], cat) or _match_role(words[max(0, k - 2):k], cat) == 2:
                    evidence = True
                    role_phrase_end = self._offset_after_words(tail, k)
                    phrase = tail[:role_phrase_end]
                    # country words before the role word ("a Russian economist", "China's envoy")
                    cw = _countries_in(phrase.rsplit(" ", 1)[0] if " " in phrase else "", cat)
                    if cw and not re.search(r"\b(?:to|in|on|for|with)\b", phrase):
                        country = country or cw[0]
                    role = role or self._role_core(phrase, cat)
                    rest_text = tail[role_phrase_end:]
                    mp = re.match(r"^\s+(?:at|of|from|with|in|for)\s+(?:the\s+)?", rest_text)
                    if mp:
                        after_prep = rest_text[mp.end():]
                        mr = RUN_RE.match(after_prep)
                        if mr:
                            otoks = _tokens(after_prep, 0, mr.end(), self.cat.dotted_roles)
                            otoks, based = self._strip_based(otoks)
                            if otoks:
                                org_text = _span_text(after_prep, otoks)
                                while org_text.split(" ")[-1] in CONNECTORS:
                                    org_text = org_text.rsplit(" ", 1)[0]
                                if _has_head(otoks, cat) >= 0 or self._known_org(org_text):
                                    oid, aff_country = self._org(org_text, based=based)
                                    affiliation = self._name_of(oid)
                    break
        if not evidence and self._catalog_person(name):
            evidence = True     # a catalogued person written another way ("Rex W. Tillerson", "Tayyip Erdoğan")
        if not evidence:
            lead = text[max(0, rest[0].start - 20):rest[0].start]
            if len(rest) in (2, 3) and not j and rest[0] is toks[0] and (
                    # mid-sentence after a lower-case word
                    re.search(r"(?:[a-z,]|\b(?:[Mm]ega|[Cc]o)-[a-z]+)\s+$", lead)
                    # opening a sentence, only after a listed given name ("Because Roe …" is no one)
                    or re.search(r"(?:^|[.!?]\s)\s*$", lead) and rest[0].text in cat.words.given_names):
                # maybe a person (see _prove_by_surname)
                self.unproven.setdefault(name, rest[-1].text)
            return ""
        if role.lower() in cat.honorifics:
            role = ""
        self._person(name, role=role, affiliation=affiliation, country=country or aff_country)
        self._title(text, toks, rest, name)
        return ""

    @staticmethod
    def _offset_after_words(tail: str, k: int) -> int:
        pos = 0
        for _ in range(k):
            mm = re.compile(r"[\w’'\-\.]+").search(tail, pos)
            if not mm:
                break
            pos = mm.end()
        # a role word does not keep a sentence-final period
        while pos and tail[pos - 1] in ".":
            pos -= 1
        return pos

    @staticmethod
    def _role_core(phrase: str, cat: EntityCatalog) -> str:
        words = phrase.split()
        for k in range(len(words)):
            if _match_role(words[k:], cat) == len(words) - k:
                return " ".join(words[k:])
        return words[-1] if words else ""

    def _known_org(self, text: str) -> bool:
        return any(self.cat.entities[e].type == "organization" for e, _ in self.cat.aliases.get(text, ()))

    def _country_of_named(self, name: str) -> str:
        for eid, _ in self.cat.aliases.get(name, ()):
            return self.cat.entities[eid].country
        d = self.found.get("org:" + slug(name))
        return d.entity.country if d else ""

    def _name_of(self, eid: str) -> str:
        if eid in self.cat.entities:
            return self.cat.entities[eid].name
        return self.found[eid].entity.name

    def _title(self, text: str, toks: list[Tok], name_toks: list[Tok], name: str) -> None:
        """Record "Chinese President Xi Jinping" / "President Xi" style forms as aliases."""
        if toks and name_toks and toks[0].start < name_toks[0].start:
            self.catalog_titles[text[toks[0].start:name_toks[-1].end]] = name


# ---------------------------------------------------------------------- the article

def _is_discovered_org(c: Cand) -> bool:
    return c.source == "discovered" and all(eid.startswith("org:") for eid, _ in c.targets)


def _resolve(cands: list[Cand], catalog: EntityCatalog | None = None) -> list[Cand]:
    """Longest match wins; among equals the earlier one.

    Organisations found by discovery (not in the catalog) are settled last: one is kept when no
    kept match crosses its boundaries, and the country and place matches inside it stay as
    mentions too (its boundaries are a guess; the country evidence is not). Other matches inside
    it are dropped.
    """
    orgs = [c for c in cands if _is_discovered_org(c)]
    taken = bytearray(max((c.end for c in cands), default=0) + 1)
    kept: list[Cand] = []
    for c in sorted((c for c in cands if not _is_discovered_org(c)), key=lambda c: (-c.length, c.start)):
        if taken.find(1, c.start, c.end) != -1:
            continue
        taken[c.start:c.end] = b"\x01" * c.length
        kept.append(c)
    if not orgs:
        return sorted(kept, key=lambda c: (c.start, -c.length))
    if any(c.length <= 0 for c in cands):
        return _resolve_orgs_plainly(kept, orgs, catalog)
    # The kept matches nest (an organisation holds the countries and places inside it) or are
    # disjoint, so whether one crosses an organisation's boundaries, and which lie inside it, is
    # read from the outermost ones alone: disjoint intervals in text order, found by bisection
    # (the plain form, _resolve_orgs_plainly, compared each organisation with every kept match).
    kept.sort(key=lambda c: c.start)
    starts = [c.start for c in kept]
    ends = [c.end for c in kept]
    outer: list[Cand] = list(kept)
    dropped: set[int] = set()
    for c in sorted(orgs, key=lambda c: (-c.length, c.start)):
        i = bisect.bisect_right(starts, c.start) - 1
        if i >= 0 and ends[i] > c.start and (starts[i] < c.start or ends[i] >= c.end):
            continue                   # one crosses c's start, or holds c (or is c)
        j = bisect.bisect_left(starts, c.end) - 1
        if j >= 0 and ends[j] > c.end:
            continue                   # one crosses c's end
        lo = bisect.bisect_left(starts, c.start)
        for k in outer[lo:j + 1]:      # the outermost matches inside c
            if catalog is None or not _is_geo(k, catalog):
                dropped.add(id(k))
        starts[lo:j + 1] = [c.start]
        ends[lo:j + 1] = [c.end]
        outer[lo:j + 1] = [c]
        kept.append(c)
    return sorted((c for c in kept if id(c) not in dropped), key=lambda c: (c.start, -c.length))


def _resolve_orgs_plainly(chosen: list[Cand], orgs: list[Cand], catalog: EntityCatalog | None) -> list[Cand]:
    for c in sorted(orgs, key=lambda c: (-c.length, c.start)):
        inside, crossing = [], False
        for k in chosen:
            if c.start < k.end and k.start < c.end:
                if c.start <= k.start and k.end <= c.end and not (k.start == c.start and k.end == c.end):
                    inside.append(k)
                else:
                    crossing = True
                    break
        if crossing:
            continue
        for k in inside:
            if catalog is None or not _is_geo(k, catalog):
                chosen.remove(k)
        chosen.append(c)
    return sorted(chosen, key=lambda c: (c.start, -c.length))


def _is_geo(c: Cand, catalog: EntityCatalog) -> bool:
    for eid, kind in c.targets:
        row = catalog.entities.get(eid)
        if row is not None and row.type in ("country", "place") and kind != BACKREF:
            return True
    return False


_WORD_BEFORE_NAME = re.compile(r"([A-Z][\w'’.-]*)\s+$")
_PLACE_WORD_BEFORE = re.compile(r"\b(?:at|in|on|near|from|to|the|The)\s+$")


def _inside_other_name(text: str, start: int, catalog: EntityCatalog) -> bool:
    """A surname found at ``start`` that ends another capitalised name: "at Queen's Park", "from Hyde Park" are no
    mention of Andrew Park (a title before it is: "Dr. Park", "Senator Park"; so is "said Republican Park")."""
    m = _WORD_BEFORE_NAME.search(text, max(0, start - 40), start)
    if m is None:
        return False
    word = m.group(1)
    if word.endswith(".") or word.lower() in catalog.honorifics or _match_role([word], catalog):
        return False
    # a word after a preposition or an article ("at Hyde Park", "to Norah Jones"); not a possessive owner, which
    # is often an employer ("BuzzFeed's Park")
    return _PLACE_WORD_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None


class _NameFinder:
    r"""The article's discovered names and surnames, found again in its text.

    Matches as the regex ``(?<![\w-])(?:NAME|...)(?!\w)`` with the names longest first would
    (leftmost, then longest, not overlapping), from an Aho-Corasick automaton: compiling that
    regex anew for every article cost more than the rest of this stage's regex work.
    """

    def __init__(self, names: Iterable[str]):
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for name in names:
            self._automaton.add_word(name)
        self._automaton.make_automaton()

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        hits = []
        n = len(text)
        for last, length in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-"):
                continue
            if end < n and (text[end].isalnum() or text[end] == "_"):
                continue
            hits.append((start, end))
        hits.sort(key=lambda h: (h[0], -h[1]))
        taken_to = 0
        for start, end in hits:
            if start >= taken_to:
                taken_to = end
                yield start, end


def extract(article: ArticleText, catalog: EntityCatalog) -> EntityResult:
    texts: list[tuple[int, str]] = [(TITLE, article.title or ""), (STANDFIRST, article.standfirst or "")]
    texts += list(enumerate(article.paragraphs))

    # 1. catalog pass
    raw: dict[int, list[Cand]] = {pid: scan(t, catalog) if t else [] for pid, t in texts}

    # 2. discovery
    disc = Discoverer(catalog)
    for pid, t in texts:
        if t:
            disc.paragraph(t)
    _prove_by_surname(disc, texts)

    # 3. per-article names: discovered names and surnames
    extra: dict[str, list[tuple[str, str]]] = {}
    for eid, d in disc.found.items():
        for n in d.names:
            extra.setdefault(n, []).append((eid, NAME))
        for s in d.surnames:
            if s not in catalog.not_name_words:
                extra.setdefault(s, []).append((eid, BACKREF))
    for n, eid in disc.variants.items():
        extra.setdefault(n, []).append((eid, NAME))
    finder = _NameFinder(extra) if extra else None
    cands: dict[int, list[Cand]] = {}
    for pid, t in texts:
        lst = list(raw[pid])
        if finder is not None and t:
            for start, end in finder.finditer(t):
                targets = extra[t[start:end]]
                if all(kind == BACKREF for _, kind in targets) and _inside_other_name(t, start, catalog):
                    continue
                lst.append(Cand(start, end, list(targets), source="discovered"))
        cands[pid] = _resolve_merge(lst, catalog)

    # 4. which people are named in full (a non-surname alias) and where
    named_at: dict[str, list[tuple[int, int]]] = {}
    for pid, t in texts:
        for c in cands[pid]:
            for eid, kind in c.targets:
                if kind != BACKREF and eid.startswith("person:"):
                    named_at.setdefault(eid, []).append((pid, c.start))

    # 4b. names that only look like a country or place ("Paris accord", "Michael Jordan", Georgia the state)
    for pid, t in texts:
        if t and cands[pid]:
            cands[pid] = _reinterpret(t, cands[pid], catalog, disc, texts)
    lead = lead_end(article.paragraphs[0], catalog.abbrev_end_re) if article.paragraphs else 0

    # 5. choose one entity per match
    mentions: list[MentionRow] = []
    counts: dict[str, float] = {}
    first: dict[str, tuple[int, int]] = {}
    used: dict[str, EntityRow] = {}
    aliases: dict[str, str] = {}
    found_rows = {eid: d.entity for eid, d in disc.found.items()}
    for pid, t in texts:
        for c in cands[pid]:
            eid = _choose(c, pid, named_at)
            if not eid:
                continue
            row = catalog.entities.get(eid) or found_rows.get(eid)
            if row is None:
                continue
            surface = t[c.start:c.end]
            used[eid] = row
            aliases.setdefault(surface, eid)
            if pid >= 0:
                mentions.append(MentionRow(article.article_id, pid, eid, surface, c.start, c.end))
            _count(counts, row, pid, first, c.start, lead)

    # 6. titles and descriptions
    for phrase, name in disc.catalog_titles.items():
        eid = aliases.get(name)
        if eid:
            aliases.setdefault(phrase, eid)
            short = phrase.split()
            if len(short) >= 2:
                pass
    for pid, t in texts:
        for c in cands[pid]:
            if not any(eid.startswith("person:") for eid, _ in c.targets):
                continue
            for phrase in _titled(t, c, catalog):
                eid = _choose(c, pid, named_at)
                if eid:
                    aliases.setdefault(phrase, eid)
    for pid, t in texts:
        for phrase, eid, start, end in _descriptions(t, cands[pid], article, catalog, named_at):
            aliases.setdefault(phrase, eid)
            row = catalog.entities.get(eid) or found_rows.get(eid)
            if row is None:
                continue
            used.setdefault(eid, row)
            if pid >= 0 and phrase == t[start:end] and not any(
                    m.paragraph_id == pid and m.char_start <= start and end <= m.char_end and m.entity_id == eid
                    for m in mentions[-3:]):
                # "the Chinese president" is a mention of the office holder too (the country
                # mention inside it stays).
                mentions.append(MentionRow(article.article_id, pid, eid, phrase, start, end))
    # 7. a place stands for its country where the article never names that country ("The city of
    # Rotterdam signed ..." is a Dutch story): one country mention, at the place's first mention.
    named = {m.entity_id for m in mentions if m.entity_id in catalog.entities
             and catalog.entities[m.entity_id].type == "country"}
    for m in list(mentions):
        row = used.get(m.entity_id)
        if row is None or row.type != "place" or len(row.country) != 3 or row.country in named:
            continue
        crow = catalog.entities.get(row.country)
        if crow is None or crow.type != "country":
            continue
        named.add(row.country)
        used.setdefault(row.country, crow)
        mentions.append(MentionRow(article.article_id, m.paragraph_id, row.country, m.surface, m.char_start,
                                   m.char_end))
    mentions.sort(key=lambda m: (m.paragraph_id, m.char_start, -m.char_end))

    dyad = choose_dyad(counts, first)
    entities = [replace(r) for r in used.values() if r is not None]
    entities.sort(key=lambda r: r.entity_id)
    return EntityResult(entities=entities, mentions=mentions, dyad=dyad, aliases=aliases)


_GIVEN_NAME = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
_GIVEN_BEFORE = re.compile(r"([A-Z][\w\-]*)\s$")
_SURNAME_AFTER = re.compile(r"\s((?:O['’]|Mc|Mac)?[A-Z][\w'’\-]*)")
# endings of capitalised adjectives that stand before a country ("Neighbouring Chad", "Hashemite
# Jordan", "Soviet-era Georgia"): such a word is no given name
_ADJ_END = ("ing", "ed", "ern", "ist", "ian", "ean", "ese", "ish", "ite", "al", "ic", "ive", "ent", "ant",
            "ary", "ous", "ful", "less", "ised", "ized", "era", "led", "held")


def _cand_kind(c: Cand, catalog: EntityCatalog) -> tuple[str, str]:
    """(entity id, kind) of a single-entity country or place match, or of a body an ambiguous name may
    stand for ("Congress"), else ("", "")."""
    for eid, kind in c.targets:
        row = catalog.entities.get(eid)
        if row is None or kind == BACKREF:
            continue
        if row.type == "country" or row.type == "place" or eid in catalog.ambiguous_defaults:
            return eid, kind
        return "", ""
    return "", ""


def _looks_given_name(word: str, catalog: EntityCatalog) -> bool:
    if not _GIVEN_NAME.match(word) or word in catalog.not_name_words or word in LEADING_SKIP:
        return False
    low = word.lower()
    if low in catalog.role_set or low in catalog.org_heads or low.endswith(_ADJ_END):
        return False
    return not any(catalog.entities.get(e) is not None and catalog.entities[e].type != "person"
                   for part in word.split("-") for e, _ in catalog.aliases.get(part, ()))


def _looks_surname(word: str, catalog: EntityCatalog) -> bool:
    if word in catalog.not_name_words or word in ORG_STOP or word in catalog.place_followers:
        return False
    low = word.lower()
    if low in catalog.role_set or low in catalog.org_heads or not re.search(r"[a-z]", word):
        return False
    return not any(catalog.entities.get(e) is not None and catalog.entities[e].type != "person"
                   for e, _ in catalog.aliases.get(word, ()))


def _reinterpret(text: str, cands: list[Cand], catalog: EntityCatalog, disc: "Discoverer",
                 texts: list[tuple[int, str]]) -> list[Cand]:
    """Country and place names that, here, are something else:

    * a capital or city before an agreement word is the name of that agreement ("the Paris accord",
      "Minsk agreements"), not its country: an `other` entity (lexicon `event_heads`);
    * a place right after a given name of `given_names.txt` ("Angel Mendoza") is a surname;
    * a name in `person_name_like` ("Jordan", "Chad", "Washington") right after a given name
      ("Michael Jordan", "Denzel Washington"), or one in `person_name_first` ("Jordan Peterson") right
      before a surname, is part of a person's name;
    * an `ambiguous_places` name ("Georgia") is the alternative (the U.S. state) when its cues say so.
    """
    out: list[Cand] = []
    drop_until = -1
    for i, c in enumerate(cands):
        if c.start < drop_until:
            continue
        eid, kind = _cand_kind(c, catalog)
        if not eid:
            out.append(c)
            continue
        surface = text[c.start:c.end]
        row = catalog.entities[eid]
        if kind == CAPITAL or row.type == "place" and row.entity_id.startswith("place:"):
            if catalog.subdivision_re is not None and catalog.subdivision_re.match(text, c.end):
                continue          # "Nassau County": another place than the city
            m = catalog.event_re.match(text, c.end)
            if m:
                name = surface + m.group(0)
                oid = "other:" + slug(name)
                if oid not in catalog.entities and oid not in disc.found:
                    disc.found[oid] = Discovered(EntityRow(oid, name, "other", "", source="discovered"))
                out.append(Cand(c.start, m.end(), [(oid, NAME)], source="discovered"))
                drop_until = m.end()
                continue
        if surface in catalog.person_name_like and not _caps_context(text, c.start, c.end):
            mb = _GIVEN_BEFORE.search(text, max(0, c.start - 30), c.start)
            if mb and _looks_given_name(mb.group(1), catalog):
                continue
            if surface in catalog.person_name_first:
                ma = _SURNAME_AFTER.match(text, c.end)
                if ma and _looks_surname(ma.group(1), catalog):
                    continue
        if row.type == "place" and not _caps_context(text, c.start, c.end):
            mb = _GIVEN_BEFORE.search(text, max(0, c.start - 30), c.start)
            if mb and mb.group(1) in catalog.words.given_names:
                continue          # "Angel Mendoza", "Maria Santiago": a given name, then a surname
        alt = catalog.ambiguous_places.get(surface)
        if alt and eid == alt["default"]:
            target = _ambiguous_choice(text, c, alt, texts)
            if target != eid:
                out.append(Cand(c.start, c.end, [(target, NAME)], c.source))
                continue
        out.append(c)
    return out


def _ambiguous_choice(text: str, c: Cand, alt: dict, texts: list[tuple[int, str]]) -> str:
    window = text[max(0, c.start - 80):c.end + 80]
    if alt["near_re"].search(window):
        return alt["alternative"]
    whole = " ".join(t for _, t in texts if t)
    if alt["article_re"].search(whole):
        return alt["default"]
    if alt["state_re"].search(whole):
        return alt["alternative"]
    return alt["default"]


def _full_alias(word: str, cat: EntityCatalog) -> bool:
    """Whether a catalog alias is ``word`` other than as a person's back-reference surname ("Ohio",
    "Xi"): "Murphy", only a catalogued senator's surname, leaves "Anne Murphy" free to be found."""
    return any(kind != BACKREF for _, kind in cat.aliases.get(word, ()))


_AGE_APPOSITIVE = re.compile(r",\s+\d{1,3}\s*,")


def _prove_by_surname(disc: "Discoverer", texts: list[tuple[int, str]]) -> None:
    """A name-like run without other evidence is a person when its last word recurs alone at least
    twice in the article ("ship-owner Orla Dunmore ... Dunmore met ... Dunmore said"): the
    full-name-then-surname pattern of news copy."""
    if not disc.unproven:
        return
    known = {n for d in disc.found.values() for n in d.names}
    todo = {n: w for n, w in disc.unproven.items() if n not in known and w not in disc.cat.not_name_words}
    known_surnames = {n.split()[-1] for n in known}
    if not todo:
        return
    body = "\n".join(t for _, t in texts if t)
    lower = set(re.findall(r"\b[a-z][a-z\-]+\b", body))
    cat = disc.cat
    for name, last in todo.items():
        first = name.split()[0]
        # a given name and a surname: neither an ordinary word of this article ("House Democrats",
        # "Calls Trump") nor a catalog name (catalog people are found anyway), nor a role ("Sen.")
        if not _looks_given_name(first, cat) or first.lower() in lower or last.lower() in lower \
                or _full_alias(last, cat) or first.lower() + "." in cat.role_set or first.isupper() \
                or last.lower().endswith(_ADJ_END) or last.endswith("s") and re.search(rf"\b{re.escape(last[:-1])}\b", body):
            continue
        if body.count(last) < 2:
            continue        # "alone" below needs two occurrences at least (a cheap test first)
        if last in known_surnames and re.search(rf"\b(?:at|in|on|near|from|to|the|The)\s+{re.escape(name)}\b", body):
            continue        # "at Hyde Park" where "Park" recurs for Andrew Park: a place, not proved by him
        alone = 0
        for mm in re.finditer(rf"(?<![\w\-’'.])({re.escape(last)})(?![\w\-])", body):
            prev = re.search(r"([A-Z][\w\-.]*)\s$", body[max(0, mm.start() - 30):mm.start()])
            if prev and not re.search(r"[.!?:;\"“”]\s*$", body[max(0, mm.start() - 30):prev.start() + 1] or "") \
                    and prev.group(1) not in LEADING_SKIP:
                continue    # part of a longer capitalised run ("Orla Dunmore" itself)
            if re.match(r"\s[A-Z]", body[mm.end():mm.end() + 2]):
                continue
            alone += 1
        if alone >= 2:
            disc._person(name)


def _resolve_merge(cands: list[Cand], catalog: EntityCatalog) -> list[Cand]:
    by_span: dict[tuple[int, int], Cand] = {}
    for c in cands:
        cur = by_span.get((c.start, c.end))
        if cur is None:
            by_span[(c.start, c.end)] = Cand(c.start, c.end, list(c.targets), c.source)
        else:
            for t in c.targets:
                if t not in cur.targets:
                    cur.targets.append(t)
    return _resolve(list(by_span.values()), catalog)


def _is_place_id(eid: str) -> bool:
    """A place's or a country's entity id ("place:lyon", "FRA")."""
    return eid.startswith("place:") or len(eid) == 3


def _choose(c: Cand, pid: int, named_at: dict[str, list[tuple[int, int]]]) -> str:
    full = [eid for eid, kind in c.targets if kind != BACKREF]
    named = [eid for eid, _ in c.targets if eid in named_at]
    # a place's name that is the surname of a person the article has named in full before is that person
    # ("Premier Ann Paris … Paris said"); any other full name wins over a surname
    surname_of_named = named and all(_is_place_id(eid) for eid in full) and any(
        pos < (pid, c.start) for eid in named for pos in named_at[eid])
    if full and not surname_of_named:
        return full[0]
    if not named:
        return ""
    if len(named) == 1:
        return named[0]
    # the person most recently named in full before this point (title/standfirst count as before)
    best, best_pos = "", None
    for eid in named:
        for p, s in named_at[eid]:
            pos = (p, s)
            if pos <= (pid, c.start) and (best_pos is None or pos > best_pos):
                best, best_pos = eid, pos
    return best or named[0]


_SENT_END = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")
LEAD_SENTENCES = 2                # the lead: this many sentences of the first paragraph


def lead_end(text: str, abbrev_end: re.Pattern) -> int:
    """End of the lead: the first paragraph's first LEAD_SENTENCES sentences.

    Wire copy often comes as one long paragraph; weighting all of it as the lead would make the
    lead weight meaningless. An abbreviation ("U.S.", "Mr.", an initial) does not end a sentence."""
    found = 0
    for m in _SENT_END.finditer(text):
        if abbrev_end.search(text[max(0, m.start() - 6):m.start() + 1]):
            continue
        found += 1
        if found >= LEAD_SENTENCES:
            return m.start() + 1
    return len(text)


def _count(counts: dict[str, float], row: EntityRow, pid: int, first: dict | None = None, pos: int = 0,
           lead: int = 1 << 30) -> None:
    if row.type == "country":
        iso, w = row.entity_id, 1.0
    elif row.type in ("person", "place") and row.country and len(row.country) == 3:
        iso, w = row.country, W_RELATED
    else:
        return
    if pid == TITLE:
        w *= W_TITLE
    elif pid == STANDFIRST:
        w *= W_STANDFIRST
    elif pid == 0 and pos < lead:
        w *= W_LEAD
    else:
        w *= W_BODY
    counts[iso] = counts.get(iso, 0.0) + w
    if first is not None and iso not in first:
        first[iso] = (pid, pos)


def choose_dyad(scores: dict[str, float], first: dict[str, tuple[int, int]] | None = None) -> str:
    """The two countries that matter most, as "AAA-BBB" (alphabetical); "" when fewer than two do.

    ``first`` (country -> position of its first mention) breaks ties: the earlier one wins.
    """
    scores = dict(scores)
    first = dict(first or {})
    for a, b in DYAD_SAME_PAIRS:
        if a in scores and b in scores:
            # the larger score names the side; on a tie, the one mentioned first
            keep, drop = sorted((a, b), key=lambda k: (-scores[k], first.get(k, (99, 0)), k))
            scores[keep] += scores.pop(drop)
            if drop in first and (keep not in first or first[drop] < first[keep]):
                first[keep] = first[drop]
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], first.get(kv[0], (99, 0)), kv[0]))
    if len(ranked) < 2:
        return ""
    (a, sa), (b, sb) = ranked[0], ranked[1]
    if sa < MIN_SCORE or sb < MIN_SECOND or sb < SECOND_SHARE * sa:
        return ""
    return "-".join(sorted((a, b)))


_TITLE_WORDS = re.compile(r"((?:(?:[A-Z][\w\.\-]*|of|the)\s+){1,5})$")


def _titled(text: str, c: Cand, catalog: EntityCatalog) -> list[str]:
    """"President Xi" / "Chinese President Xi Jinping" before a person mention."""
    if not any(catalog.entities.get(eid) and catalog.entities[eid].type == "person" for eid, _ in c.targets) \
            and not any(eid.startswith("person:") for eid, _ in c.targets):
        return []
    m = _TITLE_WORDS.search(text[max(0, c.start - 80):c.start])
    if not m:
        return []
    words = m.group(1).split()
    out = []
    for k in range(len(words)):
        tail = words[k:]
        # tail must be [country words] + role
        for r in range(len(tail)):
            if _match_role(tail[r:], catalog) == len(tail) - r and all(
                    catalog.country_of_alias(" ".join(tail[:r])) or r == 0 for _ in [0]):
                out.append(" ".join(tail) + " " + text[c.start:c.end])
                break
    return out


def _descriptions(text: str, cands: list[Cand], article: ArticleText, catalog: EntityCatalog,
                  named_at: dict[str, list[tuple[int, int]]]):
    """"the Chinese president", "Russia's foreign minister" -> the office holder on the article's date."""
    office_re = _office_regex(catalog)
    for c in cands:
        iso = ""
        for eid, kind in c.targets:
            row = catalog.entities.get(eid)
            if row is not None and row.type == "country" and kind in (NAME, DEMONYM):
                iso = eid
                break
        if not iso:
            continue
        after = text[c.end:c.end + 60]
        m = office_re.match(after)
        if not m:
            continue
        rest = after[m.end():]
        if re.match(r"^\s+[A-Z][a-z]", rest) and m.group(2)[:1].isupper():
            continue    # "Chinese President Xi Jinping": a title, handled with the name
        role_key = m.group(2).lower()
        holder = _office_holder(iso, role_key, article.published, catalog, named_at)
        if not holder:
            continue
        before = text[max(0, c.start - 8):c.start]
        det = re.search(r"(\b[Tt]he\s+)$", before)
        end = c.end + m.end()
        core = text[c.start:end]
        if det:
            yield det.group(1) + core, holder, c.start - len(det.group(1)), end
        yield core, holder, c.start, end


_OFFICE_RE: dict[int, re.Pattern] = {}


def _office_regex(catalog: EntityCatalog) -> re.Pattern:
    rx = _OFFICE_RE.get(id(catalog))
    if rx is None:
        keys = sorted(catalog.office_synonyms, key=len, reverse=True)
        rx = re.compile(r"^(['’]s)?\s+(" + "|".join(re.escape(k) for k in keys) + r")\b", re.I)
        _OFFICE_RE.clear()
        _OFFICE_RE[id(catalog)] = rx
    return rx


def _office_holder(iso: str, role_key: str, date: str, catalog: EntityCatalog,
                   named_at: dict[str, list[tuple[int, int]]]) -> str:
    wanted = {r.lower() for r in catalog.office_synonyms.get(role_key, [])}
    offices = [o for o in catalog.offices_by_country.get(iso, []) if o.role.lower() in wanted]
    if not offices:
        return ""
    if date:
        on = [o for o in offices if o.held_on(date[:10])]
        # the office named first in the synonym list wins ("premier" -> Premier before Prime Minister)
        order = [r.lower() for r in catalog.office_synonyms.get(role_key, [])]
        on.sort(key=lambda o: order.index(o.role.lower()))
        named = [o for o in on if o.person_id in named_at]
        if named:
            return named[0].person_id
        if on:
            return on[0].person_id
    named = {o.person_id for o in offices if o.person_id in named_at}
    if len(named) == 1:
        return named.pop()
    if len(named) > 1:
        first = min(named, key=lambda p: min(named_at[p]))
        return first
    return ""
