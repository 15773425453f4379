"""Topic stage: taxonomy matching per paragraph, topic sections. Owner: topics work (issue 4).

Public API used by pipeline.process:
    load_taxonomy(data_dir) -> Taxonomy          # reads data/topics.toml, compiles ONE matcher
    label_topics(article: ArticleText, *, taxonomy: Taxonomy) -> TopicResult
    topic_mix(paragraph_topics, taxonomy=None) -> dict[topic_id, share]   # an article's topic mix

The whole taxonomy (every term, its generated inflections, every pattern) is compiled once into
a single regular expression: literal terms as a character trie (so the engine follows one branch
per character instead of trying every term), capitalised terms in a case-sensitive trie, patterns
as named groups. Labelling an article is one ``finditer`` per paragraph plus dictionary lookups.
See docs/keywords-topics.md.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.records import ArticleText, TopicResult

TAXONOMY_FILE = "topics.toml"
_SEP = r"[\s\-‐‑–]+"            # a space in a term matches spaces, hyphens, line breaks
_APOS = r"['’]"
_NORM_SEP = re.compile(r"[\s\-‐‑–]+")


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    matcher: re.Pattern | None
    # normalised surface -> ((topic index, weight, canonical term), ...)
    literal: dict = field(repr=False)
    case_sensitive: dict = field(repr=False)
    patterns: dict = field(repr=False)       # group name -> (topic index, weight)
    min_score: float = 1.0

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


def load_taxonomy(data_dir: Path) -> Taxonomy:
    """Read ``data_dir/topics.toml`` and compile it into one matcher (done once per process)."""
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
    parts = []
    if literal:
        parts.append(f"(?P<lit>{_trie_regex(literal)})")
    if case_sensitive:
        parts.append(f"(?P<cs>(?-i:{_trie_regex(case_sensitive)}))")
    parts.extend(pattern_src)
    matcher = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.I) if parts else None

    def freeze(table: dict) -> dict:
        return {k: tuple((ti, w, c) for ti, (w, c) in sorted(v.items())) for k, v in table.items()}

    return Taxonomy(tuple(topics), matcher, freeze(literal), freeze(case_sensitive), pattern_groups, min_score)


# --------------------------------------------------------------------------- matching

@dataclass
class _ParagraphHits:
    weight: dict[int, float]            # every hit counts (dominance)
    evidence: dict[int, dict[str, float]]  # topic -> distinct term -> weight (the gate)


def _match(text: str, tax: Taxonomy) -> _ParagraphHits:
    weight: dict[int, float] = {}
    evidence: dict[int, dict[str, float]] = {}
    if tax.matcher is None or not text:
        return _ParagraphHits(weight, evidence)
    for m in tax.matcher.finditer(text):
        group = m.lastgroup
        if group == "lit":
            surface = m.group().lower()
            hits = tax.literal.get(surface)
            if hits is None:
                hits = tax.literal.get(_norm(surface), ())
        elif group == "cs":
            hits = tax.case_sensitive.get(m.group().replace("’", "'"), ())
        else:
            ti, w = tax.patterns[group]
            hits = ((ti, w, _norm(m.group())),)
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
