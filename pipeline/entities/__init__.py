"""Entity stage: catalog matching, discovery of new people/organisations, country pair (dyad).

Owner: entities work (issue 3). Public API used by pipeline.process:
    load_catalog(data_dir) -> EntityCatalog
    extract_entities(article: ArticleText, *, catalog: EntityCatalog) -> EntityResult
"""
from __future__ import annotations

from pathlib import Path

from pipeline.records import ArticleText, EntityResult


class EntityCatalog:
    """Placeholder until the catalog lands."""


def load_catalog(data_dir: Path) -> EntityCatalog:
    return EntityCatalog()


def extract_entities(article: ArticleText, *, catalog: EntityCatalog) -> EntityResult:
    return EntityResult()
