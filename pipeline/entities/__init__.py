"""Entity stage: catalog matching, discovery of new people/organisations, country pair (dyad).

Owner: entities work (issue 3). Public API used by pipeline.process:
    load_catalog(data_dir) -> EntityCatalog
    extract_entities(article: ArticleText, *, catalog: EntityCatalog) -> EntityResult

See docs/entities.md for the catalog files, the matching rules and the dyad rule.
"""
from __future__ import annotations

from pipeline.entities.catalog import EntityCatalog, load_catalog
from pipeline.entities.extract import choose_dyad, extract
from pipeline.records import ArticleText, EntityResult

__all__ = ["EntityCatalog", "load_catalog", "extract_entities", "choose_dyad"]


def extract_entities(article: ArticleText, *, catalog: EntityCatalog) -> EntityResult:
    return extract(article, catalog)
