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


def test_corpus_carry_over_fills_what_an_article_does_not_say(lex):
    """A quote whose article only gives a setting (or nothing) takes what other articles state of the same
    speaker; an article's own evidence, also an explicit "no country", is kept."""
    from dataclasses import replace
    from pipeline.quotes import carry_over_corpus
    base = q("a1", "q1", "Lena Varga", "", "direct", "we will sail")
    stated = replace(base, speaker_country="HUN", country_evidence="Lena Varga, a Hungarian captain",
                     speaker_description="a Hungarian captain", speaker_category="business")
    guessed = replace(base, article_id="a2", quote_id="a2:q1", speaker_country="AUT",
                      country_evidence="setting: Austria (4 mentions)", speaker_category="unknown")
    silent = replace(base, article_id="a3", quote_id="a3:q1", speaker_category="unknown")
    null = replace(base, article_id="a4", quote_id="a4:q1", country_evidence="UN envoy (international)",
                   speaker_category="international organisation")
    quotes = [stated, guessed, silent, null]
    rows = carry_over_corpus(quotes, tally_speakers(quotes, [], lexicon=lex))
    assert rows[0] is stated
    assert (rows[1].speaker_country, rows[1].country_evidence) == \
        ("HUN", "other articles: Lena Varga, a Hungarian captain (1 article)")
    assert (rows[1].speaker_category, rows[1].speaker_description) == ("business", "other articles: a Hungarian captain")
    assert rows[2].speaker_country == "HUN" and rows[2].speaker_category == "business"
    assert rows[3].speaker_country == "" and rows[3].country_evidence == "UN envoy (international)"
    assert guessed.speaker_country == "AUT"          # the input rows are not changed


def test_corpus_carry_over_reaches_rows_tallied_under_an_entity_by_name(lex):
    """A row without an entity id whose speaker is named like a person entity is tallied under that entity;
    the carry-over finds it there too."""
    from dataclasses import replace
    from pipeline.quotes import carry_over_corpus
    entity = EntityRow("person:lena-varga", "Lena Varga", "person", "", source="discovered")
    stated = replace(q("a1", "q1", "Lena Varga", entity.entity_id, "direct", "we will sail"),
                     speaker_country="HUN", country_evidence="Lena Varga, a Hungarian captain")
    guessed = replace(q("a2", "q1", "Lena Varga", "", "direct", "the sea is calm"),
                      speaker_country="AUT", country_evidence="setting: Austria (4 mentions)")
    rows = carry_over_corpus([stated, guessed], tally_speakers([stated, guessed], [entity], lexicon=lex))
    assert (rows[1].speaker_country, rows[1].country_evidence) == \
        ("HUN", "other articles: Lena Varga, a Hungarian captain (1 article)")
