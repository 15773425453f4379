"""The per-article pure function: one SourceDocument in, every record of that article out.

No file IO happens here, so the same function runs in a worker process or on a Dask worker.
process_or_failure is the form a build runs: one article's failure, of whatever kind, is that
article's ArticleFailure instead of the end of the build.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline import entities as entity_stage
from pipeline import keywords as keyword_stage
from pipeline import quotes as quote_stage
from pipeline import topics as topic_stage
from pipeline.records import (ArticleResult, ArticleRow, ArticleText, ParagraphRow, PassFailure, SectionRow,
                              SourceDocument)
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
    # the quote passes fall back instead of raising; what failed is logged and listed in the manifest
    failures: list[PassFailure] = []
    quotes = quote_stage.extract_quotes(text, entities=found, lexicon=resources.lexicon, failures=failures)
    # each quote's speaker side, from what the article says
    quotes = quote_stage.profile_speakers(text, quotes, found, lexicon=resources.lexicon,
                                          catalog=resources.catalog, failures=failures)
    keywords = keyword_stage.article_keywords(text, settings=resources.keyword_settings,
                                              lexicon=resources.keyword_lexicon, entities=found)

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
        boilerplate_removed=list(parsed.boilerplate_removed), pass_failures=failures,
    )


# Raised to stop the program, not by an article: never taken for an article's failure.
NOT_ARTICLE_FAILURES = (KeyboardInterrupt, SystemExit, GeneratorExit)
_MAX_REASON_CHARS = 300


@dataclass(frozen=True)
class ArticleFailure:
    """An article the stages could not process: skipped, with the reason, so the build goes on."""
    source_path: str
    article_id: str
    reason: str

    @classmethod
    def of(cls, doc: SourceDocument, exc: BaseException) -> ArticleFailure:
        """The failure of ``doc`` by ``exc``; the reason is kept short (a message may quote the text)."""
        message = " ".join(str(exc).split())
        reason = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
        if len(reason) > _MAX_REASON_CHARS:
            reason = reason[:_MAX_REASON_CHARS - 1] + "…"
        return cls(doc.source_path, doc.doc_id, reason)


def process_or_failure(doc: SourceDocument, *, resources: Resources) -> ArticleResult | ArticleFailure:
    """process_document, with any failure of this one article as its ArticleFailure.

    BaseException, not Exception: native extensions raise their own (yake-rust's PanicException,
    on an article of one 500 KB run of words) and they too concern this article only.
    """
    try:
        return process_document(doc, resources=resources)
    except NOT_ARTICLE_FAILURES:
        raise
    except BaseException as exc:    # noqa: BLE001 - one article's failure, reported as such
        return ArticleFailure.of(doc, exc)
