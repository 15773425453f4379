"""Corpus-level tallies of quoted speakers (the speakers table)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from pipeline.quotes.categories import UNKNOWN, categorize
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.records import CORPUS_PREFIX, SETTING_PREFIX, EntityRow, QuoteRow, SpeakerRow


_WORD = re.compile(r"\w+")


def _is_named(name: str, lexicon: QuoteLexicon) -> bool:
    """A person-like name (not a role phrase such as "the executive" or "analysts from both countries")."""
    words = name.split()
    if not words or len(words) > 5:
        return False
    if words[0].lower() in lexicon.determiners:
        return False
    return all(w[:1].isupper() or w.lower() in {"de", "da", "van", "von", "bin", "al", "le", "la", "del"}
               for w in words)


def _best_country(entity: EntityRow | None, sides: dict[str, dict[str, str]]) -> tuple[str, str, int]:
    """(country, evidence, articles saying so) for one speaker over the corpus: a catalogued person's own
    country; else the country the most articles' quotes give — what an article says of the speaker before
    an article's setting (``setting: …`` evidence), then the number of articles, then the entity's country,
    then the code's order — with the commonest phrase that gave it; else the entity's country."""
    def support(c: str) -> int:
        return len(sides.get(c, ()))

    def stated(c: str) -> int:
        return sum(1 for p in sides[c].values() if not p.startswith(SETTING_PREFIX))
    if entity is not None and entity.source == "catalog" and entity.country:
        return entity.country, "catalog: " + entity.name, support(entity.country)
    if sides:
        own = entity.country if entity is not None else ""
        best = min(sides, key=lambda c: (-stated(c), -support(c), c != own, c))
        phrases = Counter(p for p in sides[best].values() if p)
        phrase = min(phrases, key=lambda p: (p.startswith(SETTING_PREFIX), -phrases[p], p)) if phrases else ""
        return best, phrase, support(best)
    if entity is not None and entity.country:
        return entity.country, entity.affiliation or entity.name, 0
    return "", "", 0


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
                            "words": 0, "articles": set(), "sides": {}, "described": {}}
        country = getattr(q, "speaker_country", "")
        if country:
            # country -> {article: the evidence phrase there}
            s["sides"].setdefault(country, {}).setdefault(q.article_id, getattr(q, "country_evidence", ""))
        category = getattr(q, "speaker_category", "")
        if category and category != UNKNOWN:
            # category -> {article: the description there}
            s["described"].setdefault(category, {}).setdefault(q.article_id, getattr(q, "speaker_description", ""))
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
        country, evidence, support = _best_country(e, s["sides"])
        etype = e.type if e else ""
        if (role, aff, etype) not in categories:
            categories[role, aff, etype] = categorize(role, aff, etype, lexicon)
        category = categories[role, aff, etype]
        role_evidence = ", ".join(x for x in (role, aff) if x)
        if category == UNKNOWN and s["described"]:
            # no role from the entity: the category the most articles' descriptions give ("a professor at …")
            described = s["described"]
            category = min(described, key=lambda c: (-len(described[c]), c))
            role_evidence = min(described[category].values())
        rows.append(SpeakerRow(
            name=s["name"], entity_id=e.entity_id if e else "", role=role, affiliation=aff, country=country,
            category=category,
            direct_quotes=s["direct"], indirect_quotes=s["indirect"], words_quoted=s["words"],
            articles=len(s["articles"]),
            country_evidence=evidence, country_articles=support,
            role_evidence=role_evidence,
        ))
    rows.sort(key=lambda r: (-(r.direct_quotes + r.indirect_quotes), -r.words_quoted, r.name))
    return rows


def carry_over_corpus(quotes: list[QuoteRow], speakers: list[SpeakerRow]) -> list[QuoteRow]:
    """The quote rows with what the corpus says of their speaker where their own article says nothing.

    A row whose side is only the article's setting (or none) takes the speaker's corpus country when other
    articles state it (its evidence is no setting): ``country_evidence`` reads ``other articles: <phrase>
    (N articles)``, N the articles that give that country. A row whose category is unknown takes the speaker's corpus category, its description
    ``other articles: <phrase>``. Rows are matched to speakers as the tally keys them (entity id, else the
    name, also an entity's name); changed rows are copies, the others are returned as they are."""
    by_id = {r.entity_id: r for r in speakers if r.entity_id}
    by_name = {r.name.lower(): r for r in speakers if not r.entity_id}
    for r in speakers:
        if r.entity_id:     # a row with no entity id named like an entity was tallied under that entity
            by_name.setdefault(r.name.lower(), r)
    out = []
    for q in quotes:
        row = (by_id.get(q.speaker_entity_id) if q.speaker_entity_id else by_name.get(q.speaker.lower())) \
            if q.speaker else None
        if row is None:
            out.append(q)
            continue
        changes = {}
        # the article's own evidence wins, also an explicit "no country" (a UN official: evidence, no code)
        guessed = not q.country_evidence or q.country_evidence.startswith(SETTING_PREFIX)
        if guessed and row.country and not row.country_evidence.startswith(SETTING_PREFIX) \
                and row.country != q.speaker_country:
            changes["speaker_country"] = row.country
            n = row.country_articles
            changes["country_evidence"] = f"{CORPUS_PREFIX}{row.country_evidence} ({n} article{'' if n == 1 else 's'})"
        if q.speaker_category in ("", UNKNOWN) and row.category and row.category != UNKNOWN:
            changes["speaker_category"] = row.category
            changes["speaker_description"] = CORPUS_PREFIX + (row.role_evidence or row.category)
        out.append(replace(q, **changes) if changes else q)
    return out
