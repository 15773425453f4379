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
from dashboard.tables import load_corpus, quoted_word_counts  # noqa: E402
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
    assert top.loc["Artem Loginov", "mentions"] == 2 and top.loc["Artem Loginov", "type"] == "person"
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
    assert t.loc["Artem Loginov", "words"] == 9 and t.loc["Artem Loginov", "direct"] == 1
    assert t.loc["Sergei Lavrov", "indirect"] == 1 and t.loc["Lu Wenqing", "side"] == "CHN"


def test_keyword_in_context_whole_words(corpus):
    rows, total = agg.keyword_in_context(corpus.paragraphs, corpus.articles, "russia")
    assert total == 3 and set(rows["article_id"]) == {"a1", "a3"}
    assert list(rows.columns) == ["sentence", "article", "paragraph_id", "article_id"]   # what is scanned first
    rows, total = agg.keyword_in_context(corpus.paragraphs, corpus.articles, "Russ")
    assert len(rows) == 0 and list(rows.columns)[0] == "sentence"


def test_quotes_display_puts_the_words_first_and_says_where_the_side_came_from():
    import pandas as pd
    quotes = pd.DataFrame({
        "speaker": ["Ana Lind", "a port official", "Tom Hale"],
        "speaker_description": ["Ana Lind, a Swedish negotiator", "a port official", ""],
        "_side": ["SWE", "KEN", "USA"], "_category": ["diplomat", "official", "unknown"],
        "country_evidence": ["Ana Lind, a Swedish", "setting: Kenya (4 mentions)", "Tom Hale"],
        "cue": ["said"] * 3, "channel": [""] * 3, "kind": ["direct"] * 3, "text": ["We wait.", "No.", "Yes."],
        "_aid": [0, 0, 0], "article_id": ["a1"] * 3})
    articles = pd.DataFrame({"article_id": ["a1"], "title": ["Port talks"], "_aid": [0]})
    d = agg.quotes_display(quotes, pd.DataFrame({"name": [], "affiliation": []}), articles)
    assert list(d.columns)[:6] == ["speaker", "text", "side", "category", "described as", "article"]
    assert list(d["described as"]) == ["Ana Lind, a Swedish negotiator", "", ""]    # a role phrase: not twice
    assert list(d["side from"]) == ["Ana Lind, a Swedish", "guess from the setting: Kenya (4 mentions)",
                                    "the speaker"]


def test_highlight_spans_nest_mentions_in_quotes():
    spans = agg.highlight_spans("ab “cd ef” gh", [(4, 6, "CD")], [(4, 9, "Q")])
    assert spans == [("ab “", None, None), ("cd", "Q", "CD"), (" ef", "Q", None), ("” gh", None, None)]
    # out-of-range offsets are clipped, empty spans ignored
    assert agg.highlight_spans("abc", [(2, 99, "X"), (5, 5, "Y")], []) == [("ab", None, None), ("c", None, "X")]


# --------------------------------------------------------------------------- when to draw a chart

@pytest.mark.parametrize("values, expected", [
    ([], False), ([3], False), ([1, 1, 1], False), ([2, 1], True), ([1, 1, 2], True),
    ([1.5, 1.5], False), ([float("nan"), 2, 2], False),
])
def test_informative(values, expected):
    assert agg.informative(values) is expected


@pytest.mark.parametrize("labels, values, unit, expected", [
    (["Russia"], [1], "quote", "Russia: 1 quote."),
    (["Russia"], [3], "quote", "Russia: 3 quotes."),
    (["a", "b", "c"], [1, 1, 1], "article", "1 article each: a, b, c."),
    (["a", "b"], [3, 1], "word", "a (3 words), b (1 word)."),
    ([f"k{i}" for i in range(14)], [1] * 14, "article", "1 article each: " + ", ".join(f"k{i}" for i in range(12))
     + " and 2 more."),
    ([], [], "quote", ""),
])
def test_summary_sentence(labels, values, unit, expected):
    assert agg.summary_sentence(labels, values, unit) == expected


# --------------------------------------------------------------------------- the pair view

def test_country_names_from_tables_then_pycountry(corpus):
    names = agg.country_names(corpus.entities)
    assert names["RUS"] == "Russia" and names["CHN"] == "China"
    assert agg.country_name("RUS", names) == "Russia"          # the tables' own name
    assert agg.country_name("KAZ", names) == "Kazakhstan"      # pycountry
    assert agg.country_name("TWN", {}) == "Taiwan"             # pycountry's common name
    assert agg.country_name("XYZ", names) == "XYZ"             # unknown code: the code itself
    assert agg.country_name("unknown", names) == "unknown"


def test_pair_counts_and_codes(corpus):
    pc = agg.pair_counts(corpus.articles)
    assert list(zip(pc["dyad"], pc["articles"])) == [("CHN-RUS", 2), ("RUS-USA", 1)]
    assert agg.pair_codes("CHN-RUS") == ("CHN", "RUS")


def test_pair_group():
    got = agg.pair_group(["CHN", "RUS", "USA", "unknown", ""], "CHN", "RUS")
    assert got.tolist() == ["CHN", "RUS", agg.THIRD, agg.UNKNOWN, agg.UNKNOWN]


def test_pair_quotes_by_group(synthetic):
    g = agg.pair_quotes_by_group(synthetic.quotes, "CHN", "RUS")
    assert list(g["group"]) == ["CHN", "RUS", agg.THIRD, agg.UNKNOWN]  # fixed order: A, B, third, unknown
    q = synthetic.quotes
    side = q["_side"].astype(str)
    assert g.set_index("group").loc["CHN", "quotes"] == q.loc[side == "CHN", "_qkey"].nunique()
    third = ~side.isin(["CHN", "RUS", "unknown"])
    assert g.set_index("group").loc[agg.THIRD, "words"] == q.loc[third, "_words"].sum()
    assert g["quotes"].sum() == q["_qkey"].nunique()


def test_country_mentions_count_the_country_and_its_entities(corpus):
    s = apply_filters(corpus, Filters(dyad=("CHN-RUS",)))
    total = agg.country_mentions(s.mentions, s.entities, ["CHN", "RUS"])
    assert dict(zip(total["country"], total["mentions"])) == {"CHN": 7, "RUS": 6}
    by_month = agg.country_mentions(s.mentions, s.entities, ["CHN", "RUS"], s.articles)
    got = {(m.strftime("%Y-%m"), c): n for m, c, n in zip(by_month["month"], by_month["country"], by_month["mentions"])}
    assert got == {("2024-05", "CHN"): 4, ("2024-05", "RUS"): 5, ("2024-06", "CHN"): 3, ("2024-06", "RUS"): 1}


def test_side_speakers_and_topics_quoted(corpus):
    sp = agg.side_speakers(corpus.quotes, corpus.speakers, corpus.entities, "RUS")
    assert list(sp["speaker"]) == ["Artem Loginov", "Sergei Lavrov"]
    assert list(sp["role"]) == ["Director", "Foreign Minister"]
    assert list(sp["category"]) == ["academic and think tank", "official"]
    tq = agg.topics_quoted(corpus.quotes, corpus.paragraph_topics, ["CHN", "RUS"])
    assert sorted(zip(tq["topic"], tq["country"], tq["quotes"])) == [
        ("diplomacy", "RUS", 1), ("security", "CHN", 1), ("trade", "RUS", 1)]


def test_terms_drop_stopwords_and_pair_adjacent_words():
    assert agg.terms("The trade ties with China are strong, strong ties.") == [
        "trade", "ties", "china", "strong", "strong", "ties", "trade ties", "strong ties"]
    assert agg.terms("Beijing’s bid: 2024 growth plans") == ["beijing's", "bid", "growth", "plans", "beijing's bid",
                                                             "growth plans"]


def test_distinctive_terms_log_odds():
    a = ["energy exports grow", "energy exports and energy prices", "energy deal"]
    b = ["security threats grow", "security first", "border security"]
    d = agg.distinctive_terms(a, b, top=3, min_count=2, min_z=0)
    # "exports" is only ever said in "energy exports"; "energy" also on its own
    assert list(d.loc[d["side"] == "a", "term"]) == ["energy", "energy exports"]
    assert list(d.loc[d["side"] == "b", "term"]) == ["security"]
    assert (d.loc[d["side"] == "a", "z"] > 0).all() and (d.loc[d["side"] == "b", "z"] < 0).all()
    row = d.set_index("term").loc["energy"]
    assert (row["count_a"], row["count_b"]) == (4, 0)
    # "grow" is said on both sides equally: not distinctive of either
    assert "grow" not in set(d["term"])
    # the z-score is symmetric: swapping the sides swaps the signs
    swapped = agg.distinctive_terms(b, a, top=3, min_count=2, min_z=0).set_index("term")
    assert swapped.loc["energy", "z"] == pytest.approx(-row["z"])
    assert agg.distinctive_terms(a, []).empty and agg.distinctive_terms([], []).empty
    # three short quotes a side are too few for any word to stand out beyond chance
    assert agg.distinctive_terms(a, b, top=3, min_count=2).empty


def test_distinctive_terms_need_a_z_beyond_chance():
    a = ["energy exports grow"] * 40 + ["the market is calm"] * 40
    b = ["security threats grow"] * 40 + ["the market is calm"] * 40
    d = agg.distinctive_terms(a, b, top=5, min_count=2)
    assert (d["z"].abs() >= 1.96).all() and len(d) > 0
    assert "market" not in set(d["term"]) and "grow" not in set(d["term"])


def test_quotes_with_country_for_the_download(corpus):
    from dashboard.tables import pipeline_columns
    q = agg.quotes_with_country(corpus.quotes, pipeline_columns("quotes"))
    cols = pipeline_columns("quotes")
    assert list(q.columns) == cols + ([] if "speaker_country" in cols else ["speaker_country"])
    assert dict(zip(q["quote_id"], q["speaker_country"])) == {"a1-q0": "RUS", "a2-q0": "CHN", "a2-q1": "RUS"}


def test_speaker_country_column_is_used_when_the_pipeline_writes_it(tmp_path):
    from dashboard_fixtures import fixture_tables
    t = fixture_tables()
    write_tables(t, tmp_path)
    import pyarrow as pa
    import pyarrow.parquet as pq
    q = t["quotes"].assign(speaker_country=["", "", "BLR"])  # Lavrov's quote says BLR; the others: the join
    pq.write_table(pa.Table.from_pandas(q, preserve_index=False), tmp_path / "quotes.parquet")
    c = load_corpus(tmp_path)
    assert dict(zip(c.quotes["quote_id"].astype(str), c.quotes["_side"].astype(str))) == {
        "a1-q0": "RUS", "a2-q0": "CHN", "a2-q1": "BLR"}
    # tables of an earlier pipeline, without the newer columns, read as before
    from dashboard.tables import OPTIONAL_COLUMNS
    old = write_fixture(tmp_path / "old")
    for table, columns in OPTIONAL_COLUMNS.items():
        frame = t[table].drop(columns=[c for c in columns if c in t[table].columns])
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), old / f"{table}.parquet")
    c = load_corpus(old)
    assert (c.quotes["speaker_country"].astype(str) == "").all() and (c.speakers["country_articles"] == 0).all()
    assert dict(zip(c.quotes["quote_id"].astype(str), c.quotes["_side"].astype(str))) == {
        "a1-q0": "RUS", "a2-q0": "CHN", "a2-q1": "RUS"}


def test_articles_table_shows_the_title_first_and_no_file_details(corpus):
    from dashboard.widgets import _display
    shown = _display(corpus.articles, "articles")
    assert list(shown.columns)[:5] == ["title", "published", "dyad", "outlet", "n_words"]
    assert "source_path" not in shown.columns and "content_hash" not in shown.columns
    assert "article_id" in shown.columns


def test_country_mentions_per_month_leave_a_gap_where_no_article_is_dated():
    import pandas as pd
    entities = pd.DataFrame({"_eid": [0, 1], "country": ["KEN", "ETH"]})
    articles = pd.DataFrame({"_aid": [0, 1, 2], "_date": pd.to_datetime(["2024-01-05", "2024-03-02", "2024-04-09"])})
    mentions = pd.DataFrame({"_eid": [0, 1, 0], "_aid": [0, 0, 1]})      # April's article names neither
    got = agg.country_mentions(mentions, entities, ["KEN", "ETH"], articles)
    kenya = got[got["country"] == "KEN"].set_index("month")["mentions"]
    assert kenya[pd.Timestamp("2024-01-01")] == 1 and kenya[pd.Timestamp("2024-03-01")] == 1
    assert pd.isna(kenya[pd.Timestamp("2024-02-01")])          # no article in February: a gap, not a zero
    assert list(got["month"].drop_duplicates()) == list(pd.date_range("2024-01-01", "2024-03-01", freq="MS"))


@pytest.mark.parametrize("dtype", ["object", "string[pyarrow]", "arrow"])
def test_quoted_words_leave_out_the_joiner_of_a_split_quote_only(dtype):
    import pandas as pd
    import pyarrow as pa
    texts = ["We will win, … And soon.", "Wait… no.", None]
    s = pd.Series(texts, dtype=pd.ArrowDtype(pa.string()) if dtype == "arrow" else dtype)
    assert list(quoted_word_counts(s)) == [5, 2, 0]
