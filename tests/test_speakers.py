"""Speaker tallies and categories."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.quotes import categorize, load_lexicon, tally_speakers
from pipeline.records import EntityRow, QuoteRow

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(DATA)


def q(article, qid, speaker, eid, kind, text, pid=0):
    return QuoteRow(article, pid, f"{article}:{qid}", speaker, eid, "said", "", kind, text, 0, len(text))


ENTITIES = [
    EntityRow("person:aiko-tanaka", "Aiko Tanaka", "person", "JPN", role="professor",
              source="discovered", affiliation="Osaka Institute of Pacific Affairs"),
    EntityRow("person:dawit-bekele", "Dawit Bekele", "person", "ETH", role="Vice President",
              source="discovered", affiliation="Ethiopian Coffee Export Center"),
    EntityRow("CHN", "China", "country", "CHN"),
]


def test_tally_counts_multi_paragraph_quote_once(lex):
    quotes = [
        q("a1", "q1", "Aiko Tanaka", "person:aiko-tanaka", "direct", "one two three", 0),
        q("a1", "q1", "Aiko Tanaka", "person:aiko-tanaka", "direct", "four five", 1),   # same quote, next paragraph
        q("a1", "q2", "Aiko Tanaka", "person:aiko-tanaka", "indirect", "six seven", 2),
        q("a2", "q1", "Aiko Tanaka", "person:aiko-tanaka", "direct", "eight", 0),
    ]
    rows = tally_speakers(quotes, ENTITIES, lexicon=lex)
    assert len(rows) == 1
    r = rows[0]
    assert (r.name, r.direct_quotes, r.indirect_quotes, r.words_quoted, r.articles) == ("Aiko Tanaka", 2, 1, 8, 2)
    assert (r.role, r.affiliation, r.country, r.category) == (
        "professor", "Osaka Institute of Pacific Affairs", "JPN", "academic and think tank")


def test_tally_skips_role_phrases_countries_and_unknown(lex):
    quotes = [
        q("a1", "q1", "analysts from both countries", "", "indirect", "x y"),
        q("a1", "q2", "China", "", "indirect", "x y"),
        q("a1", "q3", "", "", "direct", "x y"),
        q("a1", "q4", "Anna Petrova", "", "direct", "x y z"),
    ]
    rows = tally_speakers(quotes, ENTITIES, lexicon=lex)
    assert [(r.name, r.entity_id, r.category) for r in rows] == [("Anna Petrova", "", "unknown")]


@pytest.mark.parametrize("role,affiliation,etype,expected", [
    ("professor", "Osaka Institute of Pacific Affairs", "person", "academic and think tank"),
    ("director", "Institute of Andean Studies of the University of Buenos Aires", "person",
     "academic and think tank"),
    ("Vice President", "Ethiopian Coffee Export Center", "person", "business"),
    ("President", "", "person", "official"),
    ("spokesperson", "Ministry of Foreign Affairs", "person", "official"),
    ("editor", "", "person", "media"),
    ("", "", "media", "media"),
    ("", "", "person", "unknown"),
])
def test_categories(lex, role, affiliation, etype, expected):
    assert categorize(role, affiliation, etype, lex) == expected
