"""Streamlit-cached loaders, aggregates and figures.

* The corpus (all tables, with keys) is held once per process with ``st.cache_resource``: it is
  immutable, and ``st.cache_data`` would unpickle a full copy on every rerun (seconds and
  gigabytes at 100k articles). It is keyed on the tables' fingerprint (``Corpus.token``), so a
  rebuild reloads it.
* Every other cached function takes the corpus as its first argument, named ``_corpus``: Streamlit
  does not hash an argument whose name starts with an underscore, so the cache key is the
  ``token`` (and the filters) that follow it, and hashing never walks the tables.
  Call them as ``f(corpus, corpus.token, key, ...)``.
* A filtered ``Selection`` is cached with ``st.cache_resource`` (a few recent filter combinations).
* Every aggregate the views draw is cached with ``st.cache_data`` on (token, filters): small
  frames, so copying them is cheap, and a rerun with the same filters recomputes nothing.
* The plotly figures built from them are cached with ``st.cache_resource`` (building a figure
  validates every property, tens of ms each); they are never mutated.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import aggregates as agg
from dashboard import figures
from dashboard.filters import Filters, Selection, apply_filters
from dashboard.tables import (SIDE_BASES, Corpus, load_corpus, pipeline_columns,
                              table_token)

MAX_ROWS = 1000  # rows shown per table (downloads hold all)

# Options sent to the browser on every rerun: keep the lists short (others can be typed in).
MAX_ENTITY_OPTIONS = 1000
MAX_ARTICLE_OPTIONS = 300

FilterKey = tuple[tuple[str, tuple[str, ...]], ...]


def filter_key(f: Filters) -> FilterKey:
    return tuple(sorted((k, tuple(v)) for k, v in f.to_query().items()))


def filters_from_key(key: FilterKey) -> Filters:
    return Filters.from_query({k: list(v) for k, v in key})


def with_pair(key: FilterKey, pair: str) -> FilterKey:
    """``key`` with its country-pair filter set to ``pair`` alone."""
    return tuple(sorted([(k, v) for k, v in key if k != "dyad"] + [("dyad", (pair,))]))


@st.cache_resource(show_spinner="Loading the tables…", max_entries=2)
def _load(out: str, token: str) -> Corpus:  # noqa: ARG001 - token is the cache key
    return load_corpus(Path(out))


def corpus(out: Path) -> Corpus:
    """The tables under ``out``, loaded once per change of the files."""
    return _load(str(out), table_token(out))


@st.cache_resource(show_spinner=False, max_entries=4)
def _selection(_corpus: Corpus, token: str, key: FilterKey) -> Selection:  # noqa: ARG001 - token: cache key
    return apply_filters(_corpus, filters_from_key(key))


def selection(c: Corpus, f: Filters) -> Selection:
    return _selection(c, c.token, filter_key(f))


def selection_of(c: Corpus, key: FilterKey) -> Selection:
    return _selection(c, c.token, key)


@st.cache_data(show_spinner=False, max_entries=8)
def _options(_corpus: Corpus, token: str) -> dict[str, list]:  # noqa: ARG001 - token: cache key
    c = _corpus
    ec = agg.entity_counts(c.mentions, c.entities, whole_articles=True)
    order = {t: i for i, t in enumerate(agg.TYPE_ORDER)}
    ents = c.entities[["name", "type"]].astype(object).fillna("").astype(str)
    freq = dict(zip(ec["name"], ec["mentions"]))
    names: dict[str, str] = {}
    for name, typ in zip(ents["name"], ents["type"]):
        if name and name not in names:
            names[name] = typ or "other"
    for name in c.quotes["speaker"].astype(object).fillna("").astype(str).unique():
        if name and name not in names:
            names[name] = "person"
    # the most mentioned entities are offered (others can be typed); grouped by type, then by frequency
    top = sorted(names, key=lambda n: (-freq.get(n, 0), n))[:MAX_ENTITY_OPTIONS]
    entity = sorted(top, key=lambda n: (order.get(names[n], len(order)), -freq.get(n, 0), n))
    topics = sorted(set(c.paragraph_topics["topic"].astype(str)) | set(c.sections["topic"].astype(str)) - {""})
    arts = c.articles.sort_values(["_date", "article_id"], ascending=[False, True], na_position="last")
    titles = dict(zip(arts["article_id"].astype(str), arts["title"].astype(object).fillna("").astype(str)))
    dates = c.articles["_date"].dropna()
    pairs = agg.pair_counts(c.articles)
    return {
        "entity": entity,
        "entity_type": {n: names[n] for n in entity},
        "topic": topics,
        "dyad": sorted(set(c.articles["dyad"].astype(str)) - {""}),
        "dyad_articles": dict(zip(pairs["dyad"], pairs["articles"].astype(int))),
        "outlet": sorted(set(c.articles["outlet"].astype(str)) - {""}),
        # most-quoted first: a corpus quotes a few countries often and many once
        "side": c.quotes["_side"].astype(str).value_counts().sort_index(kind="stable")
                .sort_values(ascending=False, kind="stable").index.tolist(),
        "basis": [b for b in SIDE_BASES if b in set(c.quotes["_basis"].astype(str))],
        "category": sorted(set(c.quotes["_category"].astype(str))),
        "article": list(titles)[:MAX_ARTICLE_OPTIONS],
        "article_title": {k: titles[k] for k in list(titles)[:MAX_ARTICLE_OPTIONS]},
        "country_name": agg.country_names(c.entities),
        "date_range": (dates.min().date(), dates.max().date()) if len(dates) else None,
    }


def options(c: Corpus) -> dict[str, list]:
    """Sidebar options from the whole corpus (stable across filter changes)."""
    return _options(c, c.token)


@st.cache_data(show_spinner=False, max_entries=8)
def country_names(_corpus: Corpus, token: str) -> dict[str, str]:  # noqa: ARG001 - token: cache key
    """ISO alpha-3 -> name for every code the tables use (entities, quotes' speakers, pairs)."""
    c = _corpus
    names = agg.country_names(c.entities)
    codes = set(c.quotes["_side"].astype(str)) | set(c.entities["country"].astype(str))
    for pair in set(c.articles["dyad"].astype(str)):
        codes.update(agg.pair_codes(pair))
    return {code: agg.country_name(code, names) for code in sorted(codes - {""})}


# --------------------------------------------------------------------------- cached aggregates

@st.cache_data(show_spinner=False, max_entries=64)
def overview(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    s, c = _selection(_corpus, token, key), _corpus
    names = country_names(c, token)
    return {
        "counts": agg.counts(s.articles, s.mentions, s.quotes),
        "top_entities": agg.entity_counts(s.mentions, s.entities, top=15, whole_articles=s.whole_articles),
        "entity_articles": agg.n_articles(s.mentions),
        "topic_mix": agg.topic_mix(s.paragraphs, c.paragraph_topics),
        "topic_articles": agg.n_articles(s.paragraphs),
        "quotes_by_side": agg.with_country_names(agg.quotes_by_side(s.quotes), "side", names),
        "quote_articles": agg.n_articles(s.quotes),
        "coverage": agg.coverage_over_time(s.articles),
        "dated_articles": int(s.articles["_date"].notna().sum()),
    }


@st.cache_data(show_spinner=False, max_entries=64)
def entities_view(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    s = _selection(_corpus, token, key)
    names = country_names(_corpus, token)
    return {
        "entity_counts": agg.entity_counts(s.mentions, s.entities, top=30, whole_articles=s.whole_articles),
        "country_share": agg.with_country_names(agg.country_share(s.mentions, s.entities), "country", names),
        "co_mentions": agg.co_mentions(s.mentions, s.entities, top=15, whole_articles=s.whole_articles),
        "articles": agg.n_articles(s.mentions),
    }


@st.cache_data(show_spinner=False, max_entries=64)
def voices_view(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    s = _selection(_corpus, token, key)
    names = country_names(_corpus, token)
    return {
        "tallies": agg.with_country_names(agg.speaker_tallies(s.quotes, _corpus.speakers), "side", names),
        "by_side": agg.with_country_names(agg.quotes_by_side(s.quotes), "side", names),
        "articles": agg.n_articles(s.quotes),
    }


@st.cache_data(show_spinner=False, max_entries=16)
def quotes_table(_corpus: Corpus, token: str, key: FilterKey) -> pd.DataFrame:
    s = _selection(_corpus, token, key)
    return agg.quotes_display(s.quotes.head(MAX_ROWS), _corpus.speakers, _corpus.articles)  # shown rows only


@st.cache_data(show_spinner=False, max_entries=64)
def keywords_view(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    s = _selection(_corpus, token, key)
    return {"counts": agg.keyword_counts(s.keywords), "articles": agg.n_articles(s.keywords)}


@st.cache_data(show_spinner=False, max_entries=64)
def kwic(_corpus: Corpus, token: str, key: FilterKey, term: str) -> tuple[pd.DataFrame, int]:
    s = _selection(_corpus, token, key)
    return agg.keyword_in_context(s.paragraphs, _corpus.articles, term)


@st.cache_data(show_spinner=False, max_entries=64)
def topics_view(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    s, c = _selection(_corpus, token, key), _corpus
    return {
        "per_article": agg.topic_per_article(s.paragraphs, c.paragraph_topics, c.articles),
        "mix": agg.topic_mix(s.paragraphs, c.paragraph_topics),
        "articles": agg.n_articles(s.paragraphs),
        "sections": agg.section_table(s.sections.head(MAX_ROWS), c.keywords, c.articles),  # shown rows only
    }


@st.cache_data(show_spinner=False, max_entries=64)
def pairs(_corpus: Corpus, token: str, key: FilterKey) -> pd.DataFrame:
    """Articles per country pair in the selection, most covered first."""
    return agg.pair_counts(_selection(_corpus, token, key).articles)


@st.cache_data(show_spinner=False, max_entries=32)
def pair_view(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    """Everything the pair view draws; ``key`` holds the pair as its only ``dyad`` value."""
    s, c = _selection(_corpus, token, key), _corpus
    pair = dict(key)["dyad"][0]
    a, b = agg.pair_codes(pair)
    names = country_names(c, token)
    groups = agg.pair_quotes_by_group(s.quotes, a, b)
    groups["group_name"] = [agg.country_name(g, names) for g in groups["group"]]
    quotes_a = s.quotes[(s.quotes["_side"].astype(str) == a).to_numpy(dtype=bool)]
    quotes_b = s.quotes[(s.quotes["_side"].astype(str) == b).to_numpy(dtype=bool)]
    terms = agg.distinctive_terms(quotes_a["text"].astype(str).tolist(), quotes_b["text"].astype(str).tolist())
    terms_a = terms[terms["side"] == "a"].rename(columns={"count_a": "count", "count_b": "count_other"})
    terms_b = terms[terms["side"] == "b"].rename(columns={"count_b": "count", "count_a": "count_other"})
    speakers_a = agg.side_speakers(s.quotes, c.speakers, c.entities, a)
    speakers_b = agg.side_speakers(s.quotes, c.speakers, c.entities, b)
    table = pd.concat([speakers_a, speakers_b], ignore_index=True)
    table.insert(0, "country", [agg.country_name(x, names) for x in table["side"]])
    return {
        "pair": pair, "a": a, "b": b, "name_a": agg.country_name(a, names), "name_b": agg.country_name(b, names),
        "articles": len(s.articles),
        "quote_articles": agg.n_articles(s.quotes),
        "coverage": agg.coverage_over_time(s.articles),
        "dated_articles": int(s.articles["_date"].notna().sum()),
        "mentions": agg.with_country_names(agg.country_mentions(s.mentions, s.entities, [a, b]), "country", names),
        "mentions_by_month": agg.with_country_names(
            agg.country_mentions(s.mentions, s.entities, [a, b], s.articles), "country", names),
        "groups": groups,
        "speakers_a": speakers_a, "speakers_b": speakers_b,
        "speakers": table[["country", "speaker", "role", "category", "affiliation", "quotes", "words", "articles"]],
        "topics": agg.with_country_names(agg.topics_quoted(s.quotes, c.paragraph_topics, [a, b]), "country", names),
        "terms_a": terms_a, "terms_b": terms_b,
        "articles_a": agg.n_articles(quotes_a), "articles_b": agg.n_articles(quotes_b),
        "quotes": agg.quotes_display(s.quotes.head(MAX_ROWS), c.speakers, c.articles),  # shown rows only
    }


def pair_quotes_csv_frame(c: Corpus, key: FilterKey) -> pd.DataFrame:
    """The pair's quotes (all rows) with the pipeline's columns and ``speaker_country``: for the download."""
    return agg.quotes_with_country(selection_of(c, key).quotes, pipeline_columns("quotes"))


# --------------------------------------------------------------------------- cached figures
# Building a plotly figure validates every property (tens of ms each); the figure objects are
# cached per (tables, filters) and never mutated, so a new session or a rerun only serialises them.

@st.cache_resource(show_spinner=False, max_entries=128)
def overview_figures(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    d = overview(_corpus, token, key)
    return {
        "entities": figures.top_entities(d["top_entities"], d["entity_articles"]),
        "topics": figures.topic_mix(d["topic_mix"], d["topic_articles"]),
        "sides": figures.quotes_by_side(d["quotes_by_side"], d["quote_articles"]),
        "time": figures.coverage(d["coverage"], d["dated_articles"]),
    }


@st.cache_resource(show_spinner=False, max_entries=128)
def entities_figures(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    d = entities_view(_corpus, token, key)
    return {
        "counts": figures.top_entities(d["entity_counts"], d["articles"], title="Mentions per entity"),
        "share": figures.country_share(d["country_share"], d["articles"]),
        "heatmap": figures.co_mention_heatmap(d["co_mentions"], d["articles"]),
    }


@st.cache_resource(show_spinner=False, max_entries=128)
def voices_figures(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    d = voices_view(_corpus, token, key)
    return {
        "quotes": figures.top_speakers_by_quotes(d["tallies"], d["articles"]),
        "words": figures.top_speakers_by_words(d["tallies"], d["articles"]),
        "side_quotes": figures.quotes_by_side(d["by_side"], d["articles"], title="Share of voice: quotes"),
        "side_words": figures.words_by_side(d["by_side"], d["articles"], title="Share of voice: words quoted"),
    }


@st.cache_resource(show_spinner=False, max_entries=128)
def keywords_figures(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    d = keywords_view(_corpus, token, key)
    return {"bars": figures.keyword_bars(d["counts"], d["articles"])}


@st.cache_resource(show_spinner=False, max_entries=128)
def topics_figures(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    d = topics_view(_corpus, token, key)
    return {"per_article": figures.topic_per_article(d["per_article"], d["articles"]),
            "mix": figures.topic_mix(d["mix"], d["articles"])}


@st.cache_resource(show_spinner=False, max_entries=64)
def pair_figures(_corpus: Corpus, token: str, key: FilterKey) -> dict:
    d = pair_view(_corpus, token, key)
    # chart titles do not wrap: a long name ("Saint Vincent and the Grenadines") is said by its code
    na, nb = (d["name_a"] if len(d["name_a"]) <= 16 else d["a"]), (d["name_b"] if len(d["name_b"]) <= 16 else d["b"])
    n = d["articles"]
    return {
        "coverage": figures.coverage(d["coverage"], d["dated_articles"], title="The pair's articles per month"),
        "mentions": figures.pair_mentions(d["mentions"], n, title="Mentions of each country"),
        "mentions_by_month": figures.pair_mentions_over_time(d["mentions_by_month"], d["dated_articles"],
                                                             title="Mentions of each country per month"),
        "quotes": figures.pair_quotes(d["groups"], d["quote_articles"]),
        "words": figures.pair_words(d["groups"], d["quote_articles"]),
        "speakers_a": figures.side_speakers(d["speakers_a"], d["articles_a"], title=f"Top speakers from {na}"),
        "speakers_b": figures.side_speakers(d["speakers_b"], d["articles_b"], title=f"Top speakers from {nb}"),
        "topics": figures.topics_quoted(d["topics"], d["quote_articles"], title="Topics in which each side is quoted"),
        "terms_a": figures.distinctive_terms(d["terms_a"], d["articles_a"], d["a"], title=f"Distinctive words: {na}"),
        "terms_b": figures.distinctive_terms(d["terms_b"], d["articles_b"], d["b"], title=f"Distinctive words: {nb}"),
    }
