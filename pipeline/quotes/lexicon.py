"""The quote stage's editable word lists (data/quotes/*.txt), loaded once into a picklable object."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class QuoteLexicon:
    # surface form (lower case, words joined by one space) -> lemma
    verb_forms: dict[str, str] = field(default_factory=dict)
    # lemmas that are cues for unquoted (indirect) speech only when "that" follows
    that_only: set[str] = field(default_factory=set)
    # lemmas that are cues for quoted words only ("called it “a mistake”"), never for unquoted speech
    quote_only: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)            # lower case, no dot
    pronouns: dict[str, str] = field(default_factory=dict)   # lower case -> m | f | n
    org_words: set[str] = field(default_factory=set)
    media: set[str] = field(default_factory=set)
    media_words: set[str] = field(default_factory=set)
    role_nouns: set[str] = field(default_factory=set)
    # (category, [words]) in priority order; a word "type:X" matches the entity type X
    categories: list[tuple[str, list[str]]] = field(default_factory=list)
    abbreviations: set[str] = field(default_factory=set)
    determiners: set[str] = field(default_factory=set)
    between: set[str] = field(default_factory=set)           # words allowed between speaker and verb
    leading: set[str] = field(default_factory=set)           # words opening a clause before its subject
    not_names: set[str] = field(default_factory=set)
    # compiled lazily (regexes pickle fine, but keep the object plain data)
    _verb_re: object = None

    @property
    def verb_re(self) -> re.Pattern:
        if self._verb_re is None:
            forms = sorted(self.verb_forms, key=len, reverse=True)
            alts = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
            # lower case only: "States" in "United States" is no verb
            self._verb_re = re.compile(r"(?<![\w'’-])(?:" + alts + r")(?![\w'’-])")
        return self._verb_re

    @property
    def not_names_lower(self) -> set[str]:
        return {w.lower() for w in self.not_names}

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_verb_re"] = None
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


def load_lexicon(data_dir: Path) -> QuoteLexicon:
    base = Path(data_dir) / "quotes"
    lex = QuoteLexicon()
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
    lex.titles = {w.lower().rstrip(".") for w in _lines(base / "titles.txt")}
    for line in _lines(base / "pronouns.txt"):
        parts = line.split()
        lex.pronouns[parts[0].lower()] = parts[1] if len(parts) > 1 else "n"
    lex.org_words = set(_lines(base / "org_words.txt"))
    lex.media = set(_lines(base / "media.txt"))
    lex.media_words = set(_lines(base / "media_words.txt"))
    lex.role_nouns = {w.lower() for w in _lines(base / "role_nouns.txt")}
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
    lex.not_names = set(_lines(base / "not_names.txt"))
    current = None
    for line in _lines(base / "categories.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = (line[1:-1].strip(), [])
            lex.categories.append(current)
        elif current is not None:
            current[1].append(line.lower())
    return lex
