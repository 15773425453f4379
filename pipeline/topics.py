"""Topic stage: taxonomy matching per paragraph, topic sections. Owner: topics work (issue 4).

Public API used by pipeline.process:
    load_taxonomy(data_dir) -> Taxonomy
    label_topics(article: ArticleText, *, taxonomy: Taxonomy) -> TopicResult
"""
from __future__ import annotations

from pathlib import Path

from pipeline.records import ArticleText, TopicResult


class Taxonomy:
    """Placeholder until the taxonomy lands."""


def load_taxonomy(data_dir: Path) -> Taxonomy:
    return Taxonomy()


def label_topics(article: ArticleText, *, taxonomy: Taxonomy) -> TopicResult:
    n = len(article.paragraphs)
    return TopicResult(
        paragraph_topics=[""] * n,
        paragraph_evidence=[""] * n,
        paragraph_sections=list(article.paragraph_sections),
        headings=list(article.headings),
        section_topics=[""] * len(article.headings),
    )
