"""Keyword stage (YAKE). Owner: keywords work (issue 4).

Public API used by pipeline.process / pipeline.build:
    KeywordSettings (validated settings)
    article_keywords(article: ArticleText, *, settings: KeywordSettings) -> list[KeywordRow]   # article + section level
    corpus_keywords(rows: list[KeywordRow], *, top_n: int) -> list[KeywordRow]
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import ArticleText, KeywordRow


@dataclass(frozen=True)
class KeywordSettings:
    language: str = "en"
    max_ngram: int = 3
    top_n: int = 10


def article_keywords(article: ArticleText, *, settings: KeywordSettings) -> list[KeywordRow]:
    return []


def corpus_keywords(rows: list[KeywordRow], *, top_n: int = 50) -> list[KeywordRow]:
    return []
