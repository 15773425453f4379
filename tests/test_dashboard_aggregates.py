"""Unit tests for the pure aggregations behind the charts."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard import aggregates as agg  # noqa: E402
from dashboard.filters import Filters, apply_filters  # noqa: E402
from dashboard.synthetic import generate, write_tables  # noqa: E402
from dashboard.tables import load_corpus  # noqa: E402
from dashboard_fixtures import write_fixture  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return load_corpus(write_fixture(tmp_path_factory.mktemp("tables")))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    write_tables(generate(120), out, csv=False)
    return load_corpus(out)


def test_entity_counts(corpus):
    ec = agg.entity_counts(corpus.mentions, corpus.entities)
    top = ec.set_index("name")
    assert top.loc["Russia", "mentions"] == 3 and top.loc["Russia", "articles"] == 2
    assert top.loc["Alexey Maslov", "mentions"] == 2 and top.loc["Alexey Maslov", "type"] == "person"
    assert list(ec["mentions"]) == sorted(ec["mentions"], reverse=True)


def test_first_mention_flag_counts_articles_like_distinct_pairs(synthetic):
    for f in (Filters(), Filters(dyad=("CHN-RUS",)), Filters(side=("CHN",))):
        s = apply_filters(synthetic, f)
        assert s.whole_articles
        fast = agg.entity_counts(s.mentions, s.entities, whole_articles=True)
        slow = agg.entity_counts(s.mentions, s.entities, whole_articles=False)
        assert fast.equals(slow)
        assert (agg.co_mentions(s.mentions, s.entities, whole_articles=True)
                .equals(agg.co_mentions(s.mentions, s.entities)))
    assert not apply_filters(synthetic, Filters(topic=("energy",))).whole_articles


def test_co_mentions_counts_paragraphs(corpus):
    mat = agg.co_mentions(corpus.mentions, corpus.entities)
    assert mat.loc["Russia", "China"] == 1          # a1 paragraph 2
    assert mat.loc["Xi Jinping", "Vladimir Putin"] == 1
    assert mat.loc["Russia", "Russia"] == 3         # paragraphs mentioning Russia
    assert (mat.to_numpy() == mat.to_numpy().T).all()


def test_country_share(corpus):
    cs = agg.country_share(corpus.mentions, corpus.entities).set_index("country")
    assert cs.loc["RUS", "mentions"] == 8 and cs.loc["CHN", "mentions"] == 7 and cs.loc["USA", "mentions"] == 1
    assert cs["share"].sum() == pytest.approx(1.0)


def test_topic_mix_and_quotes_by_side(corpus):
    tm = agg.topic_mix(corpus.paragraphs, corpus.paragraph_topics).set_index("topic")
    assert tm.loc["trade", "paragraphs"] == 3 and tm.loc["trade", "articles"] == 1
    assert tm.loc["security", "articles"] == 2
    qs = agg.quotes_by_side(corpus.quotes)
    assert sorted(zip(qs["side"], qs["category"], qs["quotes"])) == [
        ("CHN", "academic and think tank", 1), ("RUS", "academic and think tank", 1), ("RUS", "official", 1)]


def test_speaker_tallies(corpus):
    t = agg.speaker_tallies(corpus.quotes, corpus.speakers).set_index("speaker")
    assert t.loc["Alexey Maslov", "words"] == 9 and t.loc["Alexey Maslov", "direct"] == 1
    assert t.loc["Sergei Lavrov", "indirect"] == 1 and t.loc["Li Haidong", "side"] == "CHN"


def test_keyword_in_context_whole_words(corpus):
    rows, total = agg.keyword_in_context(corpus.paragraphs, corpus.articles, "russia")
    assert total == 3 and set(rows["article_id"]) == {"a1", "a3"}
    rows, total = agg.keyword_in_context(corpus.paragraphs, corpus.articles, "Russ")
    assert len(rows) == 0


def test_highlight_spans_nest_mentions_in_quotes():
    spans = agg.highlight_spans("ab “cd ef” gh", [(4, 6, "CD")], [(4, 9, "Q")])
    assert spans == [("ab “", None, None), ("cd", "Q", "CD"), (" ef", "Q", None), ("” gh", None, None)]
    # out-of-range offsets are clipped, empty spans ignored
    assert agg.highlight_spans("abc", [(2, 99, "X"), (5, 5, "Y")], []) == [("ab", None, None), ("c", None, "X")]
