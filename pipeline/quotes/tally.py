"""Corpus-level tallies of quoted speakers (the speakers table)."""
from __future__ import annotations

import re

from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.records import EntityRow, QuoteRow, SpeakerRow


_WORD = re.compile(r"\w+")


def categorize(role: str, affiliation: str, entity_type: str, lexicon: QuoteLexicon) -> str:
    """official | academic and think tank | business | media | other, from data/quotes/categories.txt."""
    # the affiliation decides first (a company's vice president is business, a ministry's is official),
    # then the role, then the entity type
    for field in (affiliation, role):
        text = " " + re.sub(r"[^\w]+", " ", field.lower()) + " "
        if not text.strip():
            continue
        for category, words in lexicon.categories:
            if any(not w.startswith("type:") and f" {w} " in text for w in words):
                return category
    for category, words in lexicon.categories:
        if entity_type and f"type:{entity_type.lower()}" in words:
            return category
    return "other"


def _is_named(name: str, lexicon: QuoteLexicon) -> bool:
    """A person-like name (not a role phrase such as "the executive" or "analysts from both countries")."""
    words = name.split()
    if not words or len(words) > 5:
        return False
    if words[0].lower() in lexicon.determiners:
        return False
    return all(w[:1].isupper() or w.lower() in {"de", "da", "van", "von", "bin", "al", "le", "la", "del"}
               for w in words)


def tally_speakers(quotes: list[QuoteRow], entities: list[EntityRow], *, lexicon: QuoteLexicon) -> list[SpeakerRow]:
    """One row per named speaker: direct/indirect quote counts (a multi-paragraph quote once), words quoted,
    and the number of articles quoting them. Role phrases that stayed unresolved are not tallied."""
    by_id = {e.entity_id: e for e in entities}
    by_name: dict[str, EntityRow] = {}
    not_person: set[str] = set()
    for e in entities:
        if e.type == "person":
            by_name.setdefault(e.name.lower(), e)
        else:
            not_person.add(e.name.lower())
    acc: dict[str, dict] = {}
    seen_quote: set[str] = set()
    categories: dict[tuple[str, str, str], str] = {}    # most speakers share a few (role, affiliation, type)
    for q in quotes:
        if not q.speaker:
            continue
        ent = by_id.get(q.speaker_entity_id) if q.speaker_entity_id else by_name.get(q.speaker.lower())
        if ent is not None and ent.type != "person":
            continue
        if ent is None and (not _is_named(q.speaker, lexicon) or q.speaker.lower() in not_person):
            continue
        key = ent.entity_id if ent is not None else "name:" + q.speaker.lower()
        s = acc.get(key)
        if s is None:
            s = acc[key] = {"name": ent.name if ent else q.speaker, "entity": ent, "direct": 0, "indirect": 0,
                            "words": 0, "articles": set()}
        s["words"] += len(_WORD.findall(q.text))
        s["articles"].add(q.article_id)
        if q.quote_id not in seen_quote:
            seen_quote.add(q.quote_id)
            s["direct" if q.kind == "direct" else "indirect"] += 1
    rows = []
    for key, s in acc.items():
        e: EntityRow | None = s["entity"]
        role = e.role if e else ""
        aff = e.affiliation if e else ""
        country = e.country if e else ""
        etype = e.type if e else ""
        if (role, aff, etype) not in categories:
            categories[role, aff, etype] = categorize(role, aff, etype, lexicon)
        rows.append(SpeakerRow(
            name=s["name"], entity_id=e.entity_id if e else "", role=role, affiliation=aff, country=country,
            category=categories[role, aff, etype],
            direct_quotes=s["direct"], indirect_quotes=s["indirect"], words_quoted=s["words"],
            articles=len(s["articles"]),
        ))
    rows.sort(key=lambda r: (-(r.direct_quotes + r.indirect_quotes), -r.words_quoted, r.name))
    return rows
