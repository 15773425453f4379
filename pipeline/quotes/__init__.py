"""Quote stage: direct and reported speech, speakers, and the quoted-expert tallies.

Owner: quotes work (issue 3). Public API used by pipeline.process / pipeline.build:
    load_lexicon(data_dir) -> QuoteLexicon
    extract_quotes(article: ArticleText, *, entities: EntityResult, lexicon: QuoteLexicon) -> list[QuoteRow]
    tally_speakers(quotes: list[QuoteRow], entities: list[EntityRow], *, lexicon) -> list[SpeakerRow]
"""
from __future__ import annotations

from pathlib import Path

from pipeline.records import ArticleText, EntityResult, EntityRow, QuoteRow, SpeakerRow


class QuoteLexicon:
    """Placeholder until the lexicon lands."""


def load_lexicon(data_dir: Path) -> QuoteLexicon:
    return QuoteLexicon()


def extract_quotes(article: ArticleText, *, entities: EntityResult, lexicon: QuoteLexicon) -> list[QuoteRow]:
    return []


def tally_speakers(quotes: list[QuoteRow], entities: list[EntityRow], *, lexicon: QuoteLexicon) -> list[SpeakerRow]:
    return []
