"""Topic stage: taxonomy matching per paragraph, topic sections. Owner: topics work (issue 4).

Public API used by pipeline.process:
    load_taxonomy(data_dir) -> Taxonomy          # reads data/topics.toml, builds the matchers
    label_topics(article: ArticleText, *, taxonomy: Taxonomy) -> TopicResult
    topic_mix(paragraph_topics, taxonomy=None) -> dict[topic_id, share]   # an article's topic mix

The lower-case terms (every term with its generated inflections, thousands of strings) go into an
Aho-Corasick automaton (``pyahocorasick``), built in a few milliseconds where compiling them into
one regular expression took a quarter of a second in every process. The capitalised terms (a few
dozen, matched case-sensitively, a hyphen in them literal) stay a small regex trie and the taxonomy's
``patterns`` a small regex of named groups; both compile in about a millisecond.

Labelling a paragraph folds it once (lower case one character for one, ’ -> ', every run of
separators -> one space, with a map back to the paragraph's positions), runs the automaton and the
two small regexes, and resolves them exactly as the former single ``finditer`` did: scanning left to
right, the leftmost match wins; at one position a lower-case term beats a capitalised term, which
beats a pattern (patterns in taxonomy order); among terms the longest wins; the next match starts
where this one ends. Word boundaries are re's ``(?<!\\w)``/``(?!\\w)`` on the paragraph itself.
tests/test_topics.py checks the result against that single regex. See docs/keywords-topics.md.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick

from pipeline.records import ArticleText, TopicResult

TAXONOMY_FILE = "topics.toml"
_SEP = r"[\s\-‐‑–]+"            # a space in a term matches spaces, hyphens, line breaks
_APOS = r"['’]"
_NORM_SEP = re.compile(r"[\s\-‐‑–]+")
# every character _SEP matches except the plain space: \s (str.isspace) and the hyphens; one class,
# so `re` scans for it fast (tests check it against str.isspace over all of Unicode)
_OTHER_SEP = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\-‐‑–]")
_SPACE_RUN = re.compile(r" {2,}")

try:                                # the extra case-insensitive equivalences `re` itself uses (ı ~ i, ſ ~ s)
    from re._casefix import _EXTRA_CASES
except ImportError:                 # pragma: no cover - other Python versions
    _EXTRA_CASES = {ord("i"): (ord("ı"),), ord("s"): (ord("ſ"),), ord("ı"): (ord("i"),), ord("ſ"): (ord("s"),)}


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    matcher: re.Pattern | None                # the taxonomy's patterns, one named group each (or None)
    # normalised surface -> ((topic index, weight, canonical term), ...)
    literal: dict = field(repr=False)
    case_sensitive: dict = field(repr=False)
    patterns: dict = field(repr=False)       # group name -> (topic index, weight)
    min_score: float = 1.0
    automaton: object = field(default=None, repr=False)   # ahocorasick.Automaton of `literal`'s keys
    cs_matcher: re.Pattern | None = field(default=None, repr=False)   # `case_sensitive`'s keys (a trie)
    fold: tuple = field(default=(), repr=False)          # (char, key char) folded in non-ASCII text

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)

    def label(self, topic_id: str) -> str:
        for t in self.topics:
            if t.id == topic_id:
                return t.label
        return topic_id


# --------------------------------------------------------------------------- compiling

def _norm(surface: str) -> str:
    return _NORM_SEP.sub(" ", surface.replace("’", "'")).strip().lower()


def _is_caps(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _inflections(term: str, *, verbs: bool = True) -> list[str]:
    """The term and regular inflections of its last word (tariff -> tariffs, trade -> trading)."""
    head, _, last = term.rpartition(" ")
    prefix = head + " " if head else ""
    forms = {last}
    if _is_caps(term):
        forms.add(last + "s")
    elif last[-1:].isalpha():
        forms.update({last + "s", last + "es"})
        if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
            forms.update({last[:-1] + "ies", last[:-1] + "ied"})
        if verbs and last.endswith("e"):
            forms.update({last + "d", last[:-1] + "ing"})
        elif verbs:
            forms.update({last + "ed", last + "ing"})
    return [prefix + f for f in forms]


def _trie_regex(words: Iterable[str]) -> str:
    """One regex alternation for many literal words, factored into a character trie."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(ch: str) -> str:
        if ch == " ":
            return _SEP
        if ch == "'":
            return _APOS
        return re.escape(ch)

    def build(node: dict) -> str:
        branches = [emit(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        if "" in node:                    # a word may end here: longer continuations are tried first
            body = body if body.startswith("(?:") else "(?:" + body + ")"
            body += "?"
        return body

    return build(trie)


def _fold_pairs(keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(character, replacement) pairs that finish folding a lower-cased non-ASCII text.

    ``re.IGNORECASE`` equates a few characters that ``str.lower`` keeps apart (ı and i, ſ and s, µ
    and μ: re's own extra case table); each such class of a key's character becomes one character
    (its ASCII member if any) in keys and text alike. Plus ’ -> '.
    """
    pairs = {"’": "'"}
    for ch in sorted(set("".join(keys))):
        others = [chr(c) for c in _EXTRA_CASES.get(ord(ch), ())]
        if others:
            members = sorted({ch, *others}, key=lambda c: (not c.isascii(), c))
            for other in members[1:]:
                pairs.setdefault(other, members[0])
    return tuple(pairs.items())


def load_taxonomy(data_dir: Path) -> Taxonomy:
    """Read ``data_dir/topics.toml`` and build its matchers (done once per process, a few ms)."""
    path = Path(data_dir) / TAXONOMY_FILE
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    settings = cfg.get("settings", {})
    weak_weight = float(settings.get("weak_weight", 0.5))
    min_score = float(settings.get("min_score", 1.0))
    topics: list[Topic] = []
    literal: dict[str, dict] = {}
    case_sensitive: dict[str, dict] = {}
    pattern_groups: dict[str, tuple[int, float]] = {}
    pattern_src: list[str] = []
    seen_ids: set[str] = set()
    for i, entry in enumerate(cfg.get("topic", [])):
        tid = str(entry.get("id", "")).strip()
        if not tid or not re.fullmatch(r"[a-z0-9_\-]+", tid) or tid in seen_ids:
            raise ValueError(f"{path}: topic #{i + 1} needs a unique id of a-z, 0-9, _ or - (got {tid!r})")
        seen_ids.add(tid)
        topics.append(Topic(tid, str(entry.get("label", tid)), str(entry.get("description", ""))))
        for weight, terms in ((1.0, entry.get("terms", [])), (weak_weight, entry.get("weak_terms", []))):
            for term in terms:
                term = " ".join(str(term).replace("’", "'").split())
                if not term:
                    continue
                caps = _is_caps(term)
                table = case_sensitive if caps else literal
                canonical = term if caps else term.lower()
                for form in _inflections(canonical, verbs=weight >= 1.0):
                    key = form if caps else _norm(form)
                    slot = table.setdefault(key, {})
                    if slot.get(i, (0.0, ""))[0] < weight:
                        slot[i] = (weight, canonical)
        for pat in entry.get("patterns", []):
            try:
                re.compile(pat)
            except re.error as exc:
                raise ValueError(f"{path}: topic {tid!r}: bad pattern {pat!r}: {exc}") from exc
            name = f"p{len(pattern_groups)}"
            pattern_groups[name] = (i, 1.0)
            pattern_src.append(f"(?P<{name}>{pat})")
    automaton = None
    fold = _fold_pairs(literal)
    if literal:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key in literal:
            automaton.add_word(_fold(key, fold) if not key.isascii() else key, len(key))
        automaton.make_automaton()
    # capitalised terms: a small case-sensitive trie; its leading (?<!\w) is checked in _match so that
    # `re` can skip ahead to the possible first characters. Patterns keep the form they always had.
    cs_matcher = re.compile(f"(?:{_trie_regex(case_sensitive)})(?!\\w)") if case_sensitive else None
    matcher = re.compile(r"(?<!\w)(?:" + "|".join(pattern_src) + r")(?!\w)", re.I) if pattern_src else None

    def freeze(table: dict) -> dict:
        return {k: tuple((ti, w, c) for ti, (w, c) in sorted(v.items())) for k, v in table.items()}

    return Taxonomy(tuple(topics), matcher, freeze(literal), freeze(case_sensitive), pattern_groups, min_score,
                    automaton, cs_matcher, fold)


# --------------------------------------------------------------------------- matching

@dataclass
class _ParagraphHits:
    weight: dict[int, float]            # every hit counts (dominance)
    evidence: dict[int, dict[str, float]]  # topic -> distinct term -> weight (the gate)


def _fold(text: str, fold: tuple = (("’", "'"),)) -> str:
    """``text`` lower-cased one character for one character, each separator a space, ’ an '.

    Same length as ``text``, so positions carry over. ``str.lower`` turns 'İ' into two characters;
    such a character keeps the first one ('i', which is what the former IGNORECASE regex saw).
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch.lower()[0] for ch in text)
    if not low.isascii():
        for a, b in fold:
            if a in low:
                low = low.replace(a, b)
    return _OTHER_SEP.sub(" ", low)


def _literal_spans(text: str, tax: Taxonomy) -> dict[int, int]:
    """start -> end of the longest lower-case term at each start that sits on word boundaries.

    The folded text has every run of separators collapsed to one space (a space in a key stands for
    such a run), so automaton positions are mapped back to ``text`` through the collapsed runs.
    Word boundaries are judged on ``text`` itself, with re's ``\\w`` (str.isalnum or '_').
    """
    folded = _fold(text, tax.fold)
    runs: list[int] = []                    # collapsed position of each run of >= 2 separators
    shift = [0]                             # characters dropped before positions > runs[k]
    if "  " in folded:
        dropped = 0
        for m in _SPACE_RUN.finditer(folded):
            a, b = m.span()
            runs.append(a - dropped)
            dropped += b - a - 1
            shift.append(dropped)
        folded = _SPACE_RUN.sub(" ", folded)
    n = len(text)
    best: dict[int, int] = {}
    for last, length in tax.automaton.iter(folded):
        start = last - length + 1
        if runs:
            start += shift[bisect_left(runs, start)]
            last += shift[bisect_left(runs, last)]
        if start:
            ch = text[start - 1]
            if ch.isalnum() or ch == "_":
                continue
        end = last + 1
        if end < n:
            ch = text[end]
            if ch.isalnum() or ch == "_":
                continue
        if best.get(start, 0) < end:
            best[start] = end
    return best


def _search_cs(rx: re.Pattern, text: str, pos: int) -> re.Match | None:
    """The next capitalised term at or after ``pos`` not preceded by a word character."""
    m = rx.search(text, pos)
    while m is not None and m.start():
        ch = text[m.start() - 1]
        if not (ch.isalnum() or ch == "_"):
            break
        m = rx.search(text, m.start() + 1)
    return m


def _match(text: str, tax: Taxonomy) -> _ParagraphHits:
    """Every term hit in ``text``, resolved as one ``finditer`` of the whole taxonomy would:

    scanning left to right, the leftmost match wins; at one position a lower-case term wins over a
    capitalised term, which wins over a pattern (patterns in taxonomy order); among terms the
    longest wins; the next match starts where this one ends.
    """
    weight: dict[int, float] = {}
    evidence: dict[int, dict[str, float]] = {}
    if not text:
        return _ParagraphHits(weight, evidence)
    spans = _literal_spans(text, tax) if tax.automaton is not None else {}
    starts = sorted(spans)
    cs_rx, pat_rx = tax.cs_matcher, tax.matcher
    cs = _search_cs(cs_rx, text, 0) if cs_rx is not None else None
    # patterns through a scanner: after an empty match it moves on exactly as finditer does
    pat_scan = pat_rx.scanner(text) if pat_rx is not None else None
    pat = pat_scan.search() if pat_scan is not None else None
    if not starts and cs is None and pat is None:
        return _ParagraphHits(weight, evidence)
    never = len(text) + 1
    i, n_starts, pos = 0, len(starts), 0
    while True:
        while i < n_starts and starts[i] < pos:
            i += 1
        if cs is not None and cs.start() < pos:
            cs = _search_cs(cs_rx, text, pos)
        if pat is not None and pat.start() < pos:
            pat_scan = pat_rx.scanner(text, pos)
            pat = pat_scan.search()
        lit_at = starts[i] if i < n_starts else never
        cs_at = cs.start() if cs is not None else never
        pat_at = pat.start() if pat is not None else never
        if lit_at <= cs_at and lit_at <= pat_at:
            if lit_at == never:
                break
            pos = spans[lit_at]
            surface = text[lit_at:pos].lower()
            hits = tax.literal.get(surface)
            if hits is None:
                hits = tax.literal.get(_norm(surface), ())
        elif cs_at <= pat_at:
            hits = tax.case_sensitive.get(cs.group().replace("’", "'"), ())
            pos = cs.end()
        else:
            ti, w = tax.patterns[pat.lastgroup]
            hits = ((ti, w, _norm(pat.group())),)
            pos = pat.end()
            if pos == pat_at:               # an empty match: terms cannot start here (they come first)
                pat = pat_scan.search()
        for ti, w, term in hits:
            weight[ti] = weight.get(ti, 0.0) + w
            terms = evidence.setdefault(ti, {})
            terms[term] = max(terms.get(term, 0.0), w)
    return _ParagraphHits(weight, evidence)


def _dominant(weights: dict[int, float]) -> int | None:
    """Heaviest topic; ties go to the topic listed first in the taxonomy."""
    if not weights:
        return None
    return min(weights, key=lambda ti: (-weights[ti], ti))


def _carried(hits: _ParagraphHits, min_score: float) -> list[int]:
    """Topics a paragraph carries: distinct-term weight >= min_score; heaviest first."""
    ok = [ti for ti, terms in hits.evidence.items() if sum(terms.values()) >= min_score]
    return sorted(ok, key=lambda ti: (-hits.weight[ti], ti))


# --------------------------------------------------------------------------- sectioning

def _topic_sections(carried: Sequence[list[int]], hits: Sequence[_ParagraphHits]) -> list[int]:
    """Section id per paragraph for an article without headings.

    A paragraph stays in the current section while its dominant topic is the section's (or it has
    no topic at all); otherwise it opens a new section. Then one-paragraph sections are folded into
    the neighbour whose topic the paragraph also carries (else the previous one), and adjacent
    sections with the same dominant topic are merged.
    """
    n = len(carried)
    groups: list[list[int]] = []
    group_topic: list[int | None] = []
    for p in range(n):
        topics = carried[p]
        if groups and (not topics or group_topic[-1] == topics[0] or group_topic[-1] is None):
            groups[-1].append(p)
            if group_topic[-1] is None and topics:
                group_topic[-1] = topics[0]
            continue
        groups.append([p])
        group_topic.append(topics[0] if topics else None)

    def dominant(group: list[int]) -> int | None:
        total: dict[int, float] = {}
        for p in group:
            for ti, w in hits[p].weight.items():
                total[ti] = total.get(ti, 0.0) + w
        return _dominant(total)

    # fold single-paragraph sections into the neighbour that shares a topic (else the previous one)
    changed = True
    while changed and len(groups) > 1:
        changed = False
        for g, group in enumerate(groups):
            if len(group) > 1:
                continue
            p = group[0]
            prev_ok = g > 0 and dominant(groups[g - 1]) in carried[p]
            next_ok = g + 1 < len(groups) and dominant(groups[g + 1]) in carried[p]
            target = g - 1 if prev_ok or (g > 0 and not next_ok) else g + 1
            if target < g:
                groups[target].extend(group)
            else:
                groups[target][:0] = group
            del groups[g]
            changed = True
            break
    # merge neighbours that ended up with the same dominant topic
    merged: list[list[int]] = []
    for group in groups:
        if merged and dominant(merged[-1]) == dominant(group):
            merged[-1].extend(group)
        else:
            merged.append(group)
    section_of = [0] * n
    for s, group in enumerate(merged):
        for p in group:
            section_of[p] = s
    return section_of


# --------------------------------------------------------------------------- the stage

def label_topics(article: ArticleText, *, taxonomy: Taxonomy) -> TopicResult:
    """Topics and evidence per paragraph; sections (topic sections when there are no headings)."""
    tax = taxonomy
    ids = tax.ids
    paragraphs = article.paragraphs
    hits = [_match(p, tax) for p in paragraphs]
    carried = [_carried(h, tax.min_score) for h in hits]

    n_sections = len(article.headings)
    has_headings = any(article.headings)
    if not has_headings and n_sections <= 1 and len(paragraphs) > 1:
        sections = _topic_sections(carried, hits)
        headings = [""] * (max(sections) + 1)
    else:
        sections = list(article.paragraph_sections)
        headings = list(article.headings)
        if sections and max(sections) >= len(headings):
            headings += [""] * (max(sections) + 1 - len(headings))

    section_weight: list[dict[int, float]] = [{} for _ in headings]
    for p, s in enumerate(sections):
        for ti, w in hits[p].weight.items():
            section_weight[s][ti] = section_weight[s].get(ti, 0.0) + w
    # a heading's own words count too ("On international affairs")
    for s, heading in enumerate(headings):
        for ti, w in _match(heading, tax).weight.items():
            section_weight[s][ti] = section_weight[s].get(ti, 0.0) + w
    section_topics = []
    for weights in section_weight:
        top = _dominant(weights)
        section_topics.append(ids[top] if top is not None else "")

    paragraph_topics = [";".join(ids[ti] for ti in c) for c in carried]
    paragraph_evidence = [
        ";".join(f"{ids[ti]}:" + "|".join(sorted(h.evidence[ti])) for ti in c)
        for c, h in zip(carried, hits)
    ]
    return TopicResult(
        paragraph_topics=paragraph_topics,
        paragraph_evidence=paragraph_evidence,
        paragraph_sections=sections,
        headings=headings,
        section_topics=section_topics,
    )


def topic_mix(paragraph_topics: Sequence[str], section_topics: Sequence[str] = ()) -> dict[str, float]:
    """An article's topic mix: share of its paragraphs carrying each topic (heaviest first).

    ``paragraphs.topics`` of one article in, ``{topic_id: share}`` out; a section topic that no
    paragraph carries (a heading-only signal) still enters with the share of one paragraph.
    """
    n = max(len(paragraph_topics), 1)
    counts: Counter = Counter()
    for cell in paragraph_topics:
        counts.update(t for t in cell.split(";") if t)
    for t in section_topics:
        if t and t not in counts:
            counts[t] = 1
    return {t: c / n for t, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


__all__ = ["Topic", "Taxonomy", "load_taxonomy", "label_topics", "topic_mix"]
