"""Quote stage: direct and reported speech, speakers, and the quoted-expert tallies.

Owner: quotes work (issue 3). Public API used by pipeline.process / pipeline.build:
    load_lexicon(data_dir) -> QuoteLexicon
    extract_quotes(article: ArticleText, *, entities: EntityResult, lexicon: QuoteLexicon) -> list[QuoteRow]
    profile_speakers(article, quotes, entities, *, lexicon, catalog) -> list[QuoteRow]   (speaker sides)
    tally_speakers(quotes: list[QuoteRow], entities: list[EntityRow], *, lexicon) -> list[SpeakerRow]
    carry_over_corpus(quotes, speakers) -> list[QuoteRow]   (what other articles say of a speaker)

See docs/quotes.md for the patterns handled and the lexicons under data/quotes/.
"""
from __future__ import annotations

import logging

from pipeline.quotes.extract import extract as _extract
from pipeline.quotes.lexicon import QuoteLexicon, load_lexicon
from pipeline.quotes.profile import profile_speakers
from pipeline.quotes.categories import UNKNOWN, categorize
from pipeline.quotes.tally import carry_over_corpus, tally_speakers
from pipeline.records import ArticleText, EntityResult, PassFailure, QuoteRow, pass_failure

log = logging.getLogger("dyad.quotes")

__all__ = ["QuoteLexicon", "load_lexicon", "extract_quotes", "profile_speakers", "tally_speakers", "carry_over_corpus",
           "categorize"]


def extract_quotes(article: ArticleText, *, entities: EntityResult | None = None,
                   lexicon: QuoteLexicon, failures: list[PassFailure] | None = None) -> list[QuoteRow]:
    """Every direct and indirect quote of one article; never raises on odd punctuation.

    A failure of the whole article falls back to paragraph by paragraph (a paragraph that fails again
    gives no quotes); each failure is logged with the article id and appended to ``failures``."""
    try:
        return _extract(article, entities or EntityResult(), lexicon)
    except Exception as exc:  # a bug must never cost the rest of the corpus: fall back to paragraph by paragraph
        log.exception("quote extraction failed for article %s; retrying paragraph by paragraph", article.article_id)
        if failures is not None:
            failures.append(pass_failure("quotes.extract", exc))
        rows: list[QuoteRow] = []
        for pid, par in enumerate(article.paragraphs):
            one = ArticleText(article.article_id, article.title, article.standfirst,
                              tuple("" if i != pid else p for i, p in enumerate(article.paragraphs)),
                              article.paragraph_sections, article.headings, article.published, article.outlet)
            try:
                part = _extract(one, entities or EntityResult(), lexicon)
            except Exception as exc:
                log.exception("quote extraction failed for article %s, paragraph %d", article.article_id, pid)
                if failures is not None:
                    failures.append(pass_failure(f"quotes.extract paragraph {pid}", exc))
                continue
            rows.extend(part)
        # quote ids must stay unique after the per-paragraph fallback
        for n, r in enumerate(rows, 1):
            r.quote_id = f"{article.article_id}:q{n}"
        return rows
