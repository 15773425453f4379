"""The quote stage's named passes, each on invented sentences: find spans, find cues, attribute, carry the
attribution to quotes with no cue of their own, resolve speakers to names, and the rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.quotes import load_lexicon
from pipeline.quotes.extract import (QuoteContext, attribute, carry_attribution, find_cues, resolve_speakers,
                                     to_rows)
from pipeline.quotes.marks import find_spans
from pipeline.records import ArticleText, EntityResult

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(DATA)


def context(lex, *paragraphs: str) -> QuoteContext:
    art = ArticleText("t", "T", "", tuple(paragraphs), tuple(0 for _ in paragraphs), ("",))
    return QuoteContext(art, EntityResult(), lex)


@pytest.mark.parametrize("par, spans", [
    ("“We wait,” said Ana Lind.", ["We wait,"]),
    ("He called it “a mistake” and “a waste of time.”", ["a mistake", "a waste of time."]),
    ("«Non», dit-elle, \"not now\".", ["Non", "not now"]),
    ("an opening mark never closed “runs to the end", ["runs to the end"]),
    # a closing mark glued to the word after a space opens a quote (a typo), it is no continuation's end
    ("The board would not let reporters ”see the ledgers.”", ["see the ledgers."]),
    ("the end of a quote from the paragraph before,” she said.", ["the end of a quote from the paragraph before,"]),
])
def test_find_spans(par, spans):
    assert [par[s.start:s.end] for s in find_spans(par)] == spans


@pytest.mark.parametrize("par, cues", [
    ("“We wait,” said Ana Lind.", ["said"]),
    ("Tom Hale pointed out that the port had reopened, officials noted.", ["pointed out", "noted"]),
    ("According to the ministry, exports rose.", ["According to"]),
    ("The United States and its partners met.", []),       # "States" is no verb
])
def test_find_cues(lex, par, cues):
    assert [par[s:e] for s, e in find_cues(par, lex)] == cues


@pytest.mark.parametrize("par, found", [
    ("“We will not sign,” said Ana Lind, a negotiator.", [("direct", "We will not sign,", "Ana Lind")]),
    ("Tom Hale told reporters that the dam would open in May.",
     [("indirect", "the dam would open in May.", "Tom Hale")]),
    ("According to Tom Hale, the port reopened on Monday.",
     [("indirect", "the port reopened on Monday.", "Tom Hale")]),
])
def test_attribute(lex, par, found):
    ctx = context(lex, par)
    got = [(q.kind, par[q.pieces[0][1]:q.pieces[0][2]], q.attr.np if q.attr else None) for q in attribute(ctx)]
    assert got == found


def test_carry_attribution_to_a_quote_only_paragraph_after_a_colon(lex):
    ctx = context(lex, "Ana Lind told the council:", "“We will build the bridge.”")
    quotes = attribute(ctx)
    assert [q.attr for q in quotes] == [None]
    carry_attribution(ctx, quotes)
    assert quotes[0].attr is not None and quotes[0].attr.np == "Ana Lind" and quotes[0].inherited


def test_resolve_speakers_names_a_pronoun(lex):
    ctx = context(lex, "Ana Lind runs the port.", "“It is late,” she said.")
    quotes = attribute(ctx)
    carry_attribution(ctx, quotes)
    resolve_speakers(ctx, quotes)
    assert [q.speaker for q in quotes] == ["Ana Lind"]


def test_to_rows_numbers_quotes_in_reading_order(lex):
    ctx = context(lex, "“First,” said Ana Lind.", "Tom Hale said that second came later.")
    quotes = attribute(ctx)
    carry_attribution(ctx, quotes)
    resolve_speakers(ctx, quotes)
    rows = to_rows(ctx, quotes)
    assert [(r.quote_id, r.speaker, r.kind, r.text) for r in rows] == [
        ("t:q1", "Ana Lind", "direct", "First,"), ("t:q2", "Tom Hale", "indirect", "second came later.")]
