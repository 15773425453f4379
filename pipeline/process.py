"""The per-article pure function: one SourceDocument in, every record of that article out.

No file IO happens here, so the same function runs in a worker process or on a Dask worker.
"""
from __future__ import annotations

from pipeline import entities as entity_stage
from pipeline import keywords as keyword_stage
from pipeline import quotes as quote_stage
from pipeline import topics as topic_stage
from pipeline.records import ArticleResult, ArticleRow, ArticleText, ParagraphRow, SectionRow, SourceDocument
from pipeline.resources import Resources
from pipeline.structure import parse_structure


def process_document(doc: SourceDocument, *, resources: Resources) -> ArticleResult:
    parsed = parse_structure(doc, rules=resources.structure_rules)
    article_id = doc.doc_id
    text = ArticleText(
        article_id=article_id,
        title=parsed.title,
        standfirst=parsed.standfirst,
        paragraphs=tuple(parsed.paragraphs),
        paragraph_sections=tuple(parsed.paragraph_sections),
        headings=tuple(parsed.headings),
        published=parsed.published,
        outlet=parsed.outlet,
    )
    topics = topic_stage.label_topics(text, taxonomy=resources.taxonomy)
    # Topic sectioning may split a heading-less article; later stages see the final sections.
    text = ArticleText(
        article_id=article_id, title=text.title, standfirst=text.standfirst, paragraphs=text.paragraphs,
        paragraph_sections=tuple(topics.paragraph_sections), headings=tuple(topics.headings),
        published=text.published, outlet=text.outlet,
    )
    found = entity_stage.extract_entities(text, catalog=resources.catalog)
    quotes = quote_stage.extract_quotes(text, entities=found, lexicon=resources.lexicon)
    keywords = keyword_stage.article_keywords(text, settings=resources.keyword_settings,
                                              lexicon=resources.keyword_lexicon)

    paragraphs = [
        ParagraphRow(article_id, i, topics.paragraph_sections[i], p,
                     topics.paragraph_topics[i], topics.paragraph_evidence[i])
        for i, p in enumerate(text.paragraphs)
    ]
    sections = [
        SectionRow(article_id, s, heading, s, topics.paragraph_sections.count(s), topics.section_topics[s])
        for s, heading in enumerate(topics.headings)
    ]
    article = ArticleRow(
        article_id=article_id,
        source_path=doc.source_path,
        title=parsed.title,
        standfirst=parsed.standfirst,
        outlet=parsed.outlet,
        credits=" | ".join(parsed.credits),
        published=parsed.published,
        url=parsed.url,
        dyad=found.dyad,
        n_words=sum(len(p.split()) for p in text.paragraphs),
        n_paragraphs=len(paragraphs),
        content_hash=parsed.content_hash,
    )
    return ArticleResult(
        article=article, sections=sections, paragraphs=paragraphs, entities=found.entities,
        mentions=found.mentions, quotes=quotes, keywords=keywords,
        boilerplate_removed=list(parsed.boilerplate_removed),
    )
