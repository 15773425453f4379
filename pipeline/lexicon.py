"""The words the text stages read, each listed once in an editable file under data/quotes/, loaded once
into one picklable object that the entity and the quote stages share (``Resources.lexicon``; the entity
catalog holds the same object as ``EntityCatalog.words``).

Both stages read: reporting verbs (``reporting_verbs.txt``: "X said" is evidence of a person for the entity
stage, the cue of a quote for the quote stage), organisation words (``org_words.txt``: a capitalised run
holding one is an organisation), abbreviations (``abbreviations.txt``: a period after one ends no sentence)
and titles (``titles.txt``). The rest is the quote stage's own (pronouns, role nouns, categories, profiles).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


_LOWER_WORD = re.compile(r"[a-z]+")


class VerbMatch:
    """A found reporting verb, shaped like a regex match (start(), end(), group())."""

    __slots__ = ("_s", "_e", "_t")

    def __init__(self, s: int, e: int, t: str):
        self._s, self._e, self._t = s, e, t

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self) -> str:
        return self._t


@dataclass
class Lexicon:
    # surface form (lower case, words joined by one space) -> lemma
    verb_forms: dict[str, str] = field(default_factory=dict)
    # lemmas that are cues for unquoted (indirect) speech only when "that" follows
    that_only: set[str] = field(default_factory=set)
    # lemmas that are cues for quoted words only ("called it “a mistake”"), never for unquoted speech
    quote_only: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)            # lower case, no dot
    # an abbreviated title -> the role words it stands for ("sen" -> {"senator"})
    title_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    pronouns: dict[str, str] = field(default_factory=dict)   # lower case -> m | f | n
    given_names: dict[str, str] = field(default_factory=dict)  # "Maria" -> f (given_names.txt), as written
    org_words: set[str] = field(default_factory=set)
    media: set[str] = field(default_factory=set)
    media_words: set[str] = field(default_factory=set)
    role_nouns: set[str] = field(default_factory=set)
    # groups spoken of in the singular ("the audience", "the committee"): never a "he" or "she"
    collective_nouns: set[str] = field(default_factory=set)
    # (category, [words]) in priority order; a word "type:X" matches the entity type X
    categories: list[tuple[str, list[str]]] = field(default_factory=list)
    abbreviations: set[str] = field(default_factory=set)
    determiners: set[str] = field(default_factory=set)
    between: set[str] = field(default_factory=set)           # words allowed between speaker and verb
    auxiliaries: set[str] = field(default_factory=set)       # "would", "was": a finite clause follows
    past_tense: set[str] = field(default_factory=set)        # "saw", "had": irregular past tenses, finite verbs
    leading: set[str] = field(default_factory=set)           # words opening a clause before its subject
    not_names: set[str] = field(default_factory=set)
    # speaker profiles (data/quotes/profile.txt, us_states.txt): section -> lower-case words
    profile: dict[str, set[str]] = field(default_factory=dict)
    # US state names, AP abbreviations and postal codes (no dots) -> the state's name
    us_states: dict[str, str] = field(default_factory=dict)
    # states and provinces (us_states.txt, regions.txt): name or abbreviation (no dots) -> (name, country)
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)
    # compiled lazily (regexes pickle fine, but keep the object plain data)
    _verb_re: object = None

    def posting_before(self, text: str) -> bool:
        """Whether ``text`` ends in a title and "to", which a posting follows ("Chinese Ambassador to (Kenya)",
        "the envoy to (Peru)"): the place is part of the title, not the person's side nor a clause."""
        words = text.split()
        return len(words) >= 2 and words[-1] == "to" and words[-2].rstrip(".,").lower() in self.titles

    @property
    def verb_re(self) -> re.Pattern:
        if self._verb_re is None:
            forms = sorted(self.verb_forms, key=len, reverse=True)
            alts = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
            # lower case only: "States" in "United States" is no verb
            self._verb_re = re.compile(r"(?<![\w'’-])(?:" + alts + r")(?![\w'’-])")
        return self._verb_re

    def find_verbs(self, text: str) -> list["VerbMatch"]:
        """Every reporting-verb form in ``text`` (longest form first), via a word scan and set look-ups."""
        multi = self.__dict__.get("_multi")
        if multi is None:
            multi = {}
            for f in self.verb_forms:
                parts = f.split()
                if len(parts) > 1:
                    multi.setdefault(parts[0], []).append(parts)
            for v in multi.values():
                v.sort(key=len, reverse=True)
            self.__dict__["_multi"] = multi
        forms = self.verb_forms
        out = []
        n = len(text)
        skip_to = 0
        for m in _LOWER_WORD.finditer(text):
            a = m.start()
            if a < skip_to:
                continue
            w = m.group()
            cands = multi.get(w)
            if cands is None and w not in forms:
                continue
            b = m.end()
            if cands:
                for parts in cands:
                    # the next words, each after whitespace only
                    p, ok = b, True
                    for part in parts[1:]:
                        q = p
                        while q < n and text[q].isspace():
                            q += 1
                        if q == p or not text.startswith(part, q):
                            ok = False
                            break
                        p = q + len(part)
                        if p < n and "a" <= text[p] <= "z":
                            ok = False
                            break
                    if ok:
                        b = p
                        break
                else:
                    if w not in forms:
                        continue
            before = text[a - 1] if a > 0 else " "
            after = text[b] if b < n else " "
            if not (before.isalnum() or before in "'’-") and not (after.isalnum() or after in "'’-"):
                out.append(VerbMatch(a, b, text[a:b]))
                skip_to = b
        return out

    @property
    def not_names_lower(self) -> set[str]:
        low = self.__dict__.get("_not_names_lower")
        if low is None:
            low = self.__dict__["_not_names_lower"] = {w.lower() for w in self.not_names}
        return low

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_verb_re"] = None
        state.pop("_multi", None)
        state.pop("_not_names_lower", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


def load_lexicon(data_dir: Path) -> Lexicon:
    base = Path(data_dir) / "quotes"
    lex = Lexicon()
    for line in _lines(base / "reporting_verbs.txt"):
        spec, _, flag = line.partition("|")
        forms = [f.strip() for f in spec.split(",")] if "," in spec else spec.split()
        forms = [" ".join(f.split()) for f in forms if f.strip()]
        lemma = forms[0]
        for f in forms:
            lex.verb_forms.setdefault(f.lower(), lemma)
        if flag.strip() == "that":
            lex.that_only.add(lemma)
        elif flag.strip() == "quote":
            lex.quote_only.add(lemma)
    for line in _lines(base / "titles.txt"):
        title, *stands_for = line.lower().split()
        lex.titles.add(title.rstrip("."))
        if stands_for:
            lex.title_roles[title.rstrip(".")] = frozenset(stands_for)
    for line in _lines(base / "pronouns.txt"):
        parts = line.split()
        lex.pronouns[parts[0].lower()] = parts[1] if len(parts) > 1 else "n"
    gender = ""
    for line in _lines(base / "given_names.txt"):
        if line in ("[female]", "[male]"):
            gender = line[1]
        elif gender:
            lex.given_names[line] = gender
    lex.org_words = set(_lines(base / "org_words.txt"))
    lex.media = set(_lines(base / "media.txt"))
    lex.media_words = set(_lines(base / "media_words.txt"))
    lex.role_nouns = {w.lower() for w in _lines(base / "role_nouns.txt")}
    lex.collective_nouns = {w.lower() for w in _lines(base / "collective_nouns.txt")}
    lex.abbreviations = set(_lines(base / "abbreviations.txt"))
    section = None
    for line in _lines(base / "determiners.txt"):
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "determiners":
            lex.determiners.add(line.lower())
        elif section == "between":
            lex.between.add(line.lower())
        elif section == "leading":
            lex.leading.add(line.lower())
        elif section == "auxiliaries":
            lex.auxiliaries.add(line.lower())
        elif section == "past_tense":
            lex.past_tense.add(line.lower())
    lex.not_names = set(_lines(base / "not_names.txt"))
    section = None
    for line in _lines(base / "profile.txt"):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            lex.profile.setdefault(section, set())
        elif section is not None:
            lex.profile[section].add(" ".join(line.lower().split()))
    for line in _lines(base / "us_states.txt"):
        state = " ".join(line.split("|", 1)[0].split())
        for part in line.split("|"):
            for name in part.split(","):
                name = " ".join(name.split()).replace(".", "")
                if name:
                    lex.us_states.setdefault(name, state)
                    lex.regions.setdefault(name, (state, "USA"))
    for line in _lines(base / "regions.txt"):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            continue
        region, country = " ".join(parts[0].split()), parts[2]
        for name in [region] + parts[1].split(","):
            name = " ".join(name.split()).replace(".", "")
            if name:
                lex.regions.setdefault(name, (region, country))
    current = None
    for line in _lines(base / "categories.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = (line[1:-1].strip(), [])
            lex.categories.append(current)
        elif current is not None:
            current[1].append(line.lower())
    return lex
