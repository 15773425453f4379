"""Scoring functions of pipeline.evaluate on tiny hand-made tables."""
from __future__ import annotations

import json

import pytest

from pipeline.evaluate import (format_report, gold_surnames, overlap, pair_up, score_countries, score_quotes,
                               score_tables, words)


def test_overlap_is_multiset_over_longer():
    assert overlap(words("a b c d"), words("a b")) == 0.5
    assert overlap(words("a a b"), words("a b b")) == pytest.approx(2 / 3)
    assert overlap([], words("a")) == 0.0


@pytest.mark.parametrize("phrase,expected", [
    ("Mr. Trump", ["trump"]),
    ("Dmitry Peskov, press secretary for Putin", ["peskov", "putin"]),
    ("Senator Charles E. Grassley, Republican of Iowa", ["grassley", "republican", "iowa"]),
    ("he", []),
    ("the executive", []),
    ("President Putin’s spokesman", ["putin"]),
])
def test_gold_surnames(phrase, expected):
    assert gold_surnames(phrase) == expected


def test_pair_up_one_to_one_best_first():
    gold = [words("we will win the vote"), words("trade is up")]
    pred = [words("we will win the vote"), words("we will win"), words("nothing at all")]
    assert sorted(pair_up(gold, pred, 0.3)) == [(0, 0)]


ARTICLES = [{"article_id": "a1", "source_path": "sub/doc-one.txt", "dyad": "CHN-RUS"}]
GOLD = [
    {"doc": "doc-one", "kind": "direct", "content": "“We will win the vote,” Petrova said", "quoted": "We will win the vote",
     "source": "Anna Petrova"},
    {"doc": "doc-one", "kind": "direct", "content": "“Trade is up this year,” he said", "quoted": "Trade is up this year",
     "source": "he"},
    {"doc": "doc-one", "kind": "indirect", "content": "the deal would be signed soon", "source": "Mr. Ivanov"},
]


def quote(text, speaker, kind="direct"):
    return {"article_id": "a1", "text": text, "speaker": speaker, "kind": kind}


def test_score_quotes_direct_and_all():
    preds = [
        quote("We will win the vote", "Anna Petrova"),          # matches gold 0, speaker right
        quote("Trade is up", "Ivan Ivanov"),                     # 3/5 words: lenient only; gold speaker is a pronoun
        quote("A scare quote", "Nobody"),                        # false positive
        quote("the deal would be signed soon", "Ivanov", "indirect"),
    ]
    res = score_quotes(GOLD, ARTICLES, preds)
    assert res["articles_missing_from_output"] == 0
    dl, ds = res["direct_lenient"], res["direct_strict"]
    assert (dl["gold"], dl["predicted"], dl["matched"]) == (2, 3, 2)
    assert dl["precision"] == pytest.approx(0.667, abs=1e-3) and dl["recall"] == 1.0
    assert dl["speaker_accuracy"] == 1.0            # only the named gold speaker is judged
    assert (ds["matched"], ds["recall"]) == (1, 0.5)
    al = res["all_lenient"]
    assert (al["gold"], al["predicted"]) == (3, 4)
    assert al["speaker_accuracy"] == 1.0


def test_score_quotes_wrong_speaker_and_missing_article():
    res = score_quotes(GOLD + [{"doc": "other", "kind": "direct", "content": "x", "quoted": "x"}], ARTICLES,
                       [quote("We will win the vote", "Boris Johnson")])
    assert res["articles_missing_from_output"] == 1
    assert res["direct_lenient"]["speaker_accuracy"] == 0.0


def test_score_countries_reuters_names_and_iso3():
    codes = {"china": "CHN", "ussr": "SUN", "southafrica": "ZAF"}
    gold = [{"id": "doc-one", "places": ["china", "ussr"]}, {"id": "missing", "places": ["ZAF"]}]
    entities = [{"entity_id": "CHN", "type": "country", "country": "CHN"},
                {"entity_id": "RUS", "type": "country", "country": "RUS"},
                {"entity_id": "USA", "type": "country", "country": "USA"}]
    mentions = [{"article_id": "a1", "entity_id": e} for e in ("CHN", "CHN", "RUS", "RUS", "USA", "USA")]
    articles = [dict(ARTICLES[0], dyad="CHN-RUS")]
    res = score_countries(gold, articles, entities, mentions, codes)
    assert res["articles_missing_from_output"] == 1
    assert res["recall"] == pytest.approx(2 / 3, abs=1e-3)       # ZAF of the missing article not found
    assert res["precision_2plus"] == pytest.approx(2 / 3, abs=1e-3)  # USA mentioned twice, not gold
    assert (res["dyad_accuracy"], res["dyad_articles"]) == (1.0, 1)   # SUN accepts RUS


def test_score_tables_reads_csv(tmp_path):
    gold_dir = tmp_path / "gold"
    (gold_dir / "texts").mkdir(parents=True)
    (gold_dir / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in GOLD), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.csv").write_text("article_id,source_path\na1,doc-one.txt\n", encoding="utf-8")
    (out / "quotes.csv").write_text("article_id,speaker,kind,text\na1,Anna Petrova,direct,We will win the vote\n",
                                    encoding="utf-8")
    res = score_tables(gold_dir, out)
    assert res["gold_set"] == "quotes"
    assert res["direct_lenient"]["matched"] == 1
    assert "direct_lenient" in format_report(res)
