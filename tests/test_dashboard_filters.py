"""Unit tests for the pure filter functions (dashboard.filters) on the hand-made fixture."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard.filters import Filters, apply_filters  # noqa: E402
from dashboard.tables import build_corpus_frame, empty_corpus, load_corpus, _coerce  # noqa: E402
from dashboard.synthetic import complete  # noqa: E402
from dashboard_fixtures import fixture_tables, write_fixture  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return load_corpus(write_fixture(tmp_path_factory.mktemp("tables")))


def ids(df: pd.DataFrame, *cols: str) -> list:
    if len(cols) == 1:
        return sorted(df[cols[0]].astype(str))
    return sorted(tuple(int(x) if isinstance(x, (int,)) or str(x).isdigit() else str(x) for x in row)
                  for row in df[list(cols)].astype(object).itertuples(index=False))


def test_no_filter_keeps_everything(corpus):
    s = apply_filters(corpus, Filters())
    assert len(s.articles) == 3 and len(s.paragraphs) == 7 and len(s.quotes) == 3
    assert len(s.mentions) == len(corpus.mentions)
    assert sorted(s.keywords["level"].astype(str)) == ["article", "article", "corpus", "corpus", "section"]
    assert len(s.speakers) == 3 and len(s.entities) == len(corpus.entities)


def test_entity_keeps_his_quotes_paragraphs_and_co_mentioned(corpus):
    s = apply_filters(corpus, Filters(entity=("Artem Loginov",)))
    assert ids(s.quotes, "quote_id") == ["a1-q0"]
    assert ids(s.paragraphs, "article_id", "paragraph_id") == [("a1", 1), ("a1", 2)]
    assert ids(s.articles, "article_id") == ["a1"]
    assert ids(s.entities, "name") == ["Artem Loginov", "China", "Eastern Ledger", "Russia"]
    assert ids(s.mentions, "surface") == ["Artem Loginov", "China", "Eastern Ledger", "Loginov", "Russia", "Russia"]
    assert ids(s.speakers, "name") == ["Artem Loginov"]
    assert ids(s.sections, "article_id", "section_id") == [("a1", 0), ("a1", 1)]
    assert ids(s.keywords, "keyword") == ["rail freight", "trade"]  # no corpus-level rows when filtered
    assert s.unknown == {}


def test_entity_name_is_case_insensitive(corpus):
    s = apply_filters(corpus, Filters(entity=("artem loginov",)))
    assert ids(s.quotes, "quote_id") == ["a1-q0"]


def test_entity_keeps_quotes_mentioning_it(corpus):
    # Xi is not quoted, but Lu Wenqing's quote mentions him
    s = apply_filters(corpus, Filters(entity=("Xi Jinping",)))
    assert ids(s.quotes, "quote_id") == ["a2-q0"]
    assert ids(s.paragraphs, "article_id", "paragraph_id") == [("a1", 0), ("a2", 0)]
    # China is mentioned inside Loginov's and Lavrov's quotes
    s = apply_filters(corpus, Filters(entity=("China",)))
    assert ids(s.quotes, "quote_id") == ["a1-q0", "a2-q1"]


def test_several_entities_are_ored(corpus):
    s = apply_filters(corpus, Filters(entity=("Artem Loginov", "Sergei Lavrov")))
    assert ids(s.quotes, "quote_id") == ["a1-q0", "a2-q1"]
    assert ids(s.articles, "article_id") == ["a1", "a2"]


def test_unknown_entity_matches_nothing(corpus):
    s = apply_filters(corpus, Filters(entity=("Nobody Atall",)))
    assert s.unknown == {"entity": ["Nobody Atall"]}
    assert len(s.quotes) == 0 and len(s.paragraphs) == 0 and len(s.articles) == 0


def test_topic(corpus):
    s = apply_filters(corpus, Filters(topic=("trade",)))
    assert ids(s.paragraphs, "article_id", "paragraph_id") == [("a1", 1), ("a1", 2), ("a1", 3)]
    assert ids(s.quotes, "quote_id") == ["a1-q0"]
    assert ids(s.sections, "article_id", "section_id") == [("a1", 0), ("a1", 1)]


def test_side_and_category_scope_quotes_only(corpus):
    s = apply_filters(corpus, Filters(side=("CHN",)))
    assert ids(s.quotes, "quote_id") == ["a2-q0"]
    assert ids(s.speakers, "name") == ["Lu Wenqing"]
    assert len(s.articles) == 3
    s = apply_filters(corpus, Filters(category=("official",)))
    assert ids(s.quotes, "quote_id") == ["a2-q1"]


def test_article_level_filters(corpus):
    assert ids(apply_filters(corpus, Filters(dyad=("RUS-USA",))).articles, "article_id") == ["a3"]
    assert ids(apply_filters(corpus, Filters(outlet=("TASS",))).quotes, "quote_id") == ["a2-q0", "a2-q1"]
    s = apply_filters(corpus, Filters(article=("a2",)))
    assert ids(s.paragraphs, "article_id", "paragraph_id") == [("a2", 0), ("a2", 1)]
    assert ids(s.keywords, "keyword") == ["ties"]


def test_date_range_drops_undated(corpus):
    s = apply_filters(corpus, Filters(date_from=date(2024, 6, 1)))
    assert ids(s.articles, "article_id") == ["a2"]
    s = apply_filters(corpus, Filters(date_to=date(2024, 5, 16)))
    assert ids(s.articles, "article_id") == ["a1"]


def test_filters_combine(corpus):
    s = apply_filters(corpus, Filters(entity=("China",), category=("official",)))
    assert ids(s.quotes, "quote_id") == ["a2-q1"]
    s = apply_filters(corpus, Filters(entity=("China",), outlet=("Eastern Ledger",)))
    assert ids(s.quotes, "quote_id") == ["a1-q0"]
    s = apply_filters(corpus, Filters(entity=("Artem Loginov",), dyad=("RUS-USA",)))
    assert len(s.quotes) == 0 and len(s.articles) == 0


def test_quote_spanning_paragraphs_is_kept_whole():
    t = fixture_tables()
    q = t["quotes"]
    p0 = "Xi Jinping welcomed Vladimir Putin to a state banquet in Beijing."
    p3 = "Port operators on both sides expect a busy autumn, shippers said."
    extra = pd.DataFrame([
        ("a1", 0, "a1-q9", "", "", "said", "", "direct", p0, 0, len(p0)),
        ("a1", 3, "a1-q9", "", "", "said", "", "direct", p3, 0, len(p3)),
    ], columns=q.columns[:11])
    t["quotes"] = pd.concat([q, complete(extra, "quotes")], ignore_index=True)
    c = build_corpus_frame({k: _coerce(v, k) for k, v in t.items()})
    s = apply_filters(c, Filters(entity=("Vladimir Putin",)))
    assert ids(s.quotes, "quote_id", "paragraph_id") == [("a1-q9", 0), ("a1-q9", 3)]


def test_query_round_trip():
    f = Filters.from_query({"entity": ["Artem Loginov", "Artem Loginov", " ", "Lu Wenqing"], "topic": "trade",
                            "from": ["2024-01-02"], "to": ["not a date"], "other": ["x"]})
    assert f == Filters(entity=("Artem Loginov", "Lu Wenqing"), topic=("trade",), date_from=date(2024, 1, 2))
    assert f.to_query() == {"entity": ["Artem Loginov", "Lu Wenqing"], "topic": ["trade"], "from": ["2024-01-02"]}
    assert Filters.from_query(f.to_query()) == f
    assert not Filters().active and f.active


def test_empty_corpus_filters():
    c = empty_corpus()
    s = apply_filters(c, Filters(entity=("X",), topic=("t",), side=("RUS",)))
    assert all(len(s.table(t)) == 0 for t in ("articles", "paragraphs", "quotes", "mentions", "keywords"))


def test_side_basis_says_how_each_country_is_known():
    from dashboard.tables import SIDE_CORPUS, SIDE_GUESSED, SIDE_NOT_KNOWN, SIDE_STATED, side_basis
    got = side_basis(np.array(["KEN", "KEN", "KEN", "unknown"], dtype=object),
                     np.array(["a Kenyan farmer", "setting: Kenya (3 mentions)",
                               "other articles: a Kenyan farmer (2 articles)", ""], dtype=object))
    assert list(got) == [SIDE_STATED, SIDE_GUESSED, SIDE_CORPUS, SIDE_NOT_KNOWN]


def test_basis_filter_keeps_the_quotes_whose_country_is_known_that_way(corpus):
    from dashboard.tables import SIDE_GUESSED, SIDE_STATED
    stated = apply_filters(corpus, Filters(basis=(SIDE_STATED,)))
    known = corpus.quotes[corpus.quotes["_side"].astype(str) != "unknown"]
    assert ids(stated.quotes, "quote_id") == ids(known, "quote_id") and len(known) > 0
    assert len(apply_filters(corpus, Filters(basis=(SIDE_GUESSED,))).quotes) == 0   # the fixture states every side
    assert Filters(basis=(SIDE_GUESSED,)).to_query() == {"basis": [SIDE_GUESSED]}
