"""Streamlit-cached loaders and aggregates.

* The corpus (all tables, with keys) is held once per process with ``st.cache_resource``: it is
  immutable, and ``st.cache_data`` would unpickle a full copy on every rerun (seconds and
  gigabytes at 100k articles). It is keyed on the tables' fingerprint, so a rebuild reloads it.
* A filtered ``Selection`` is cached the same way (a few recent filter combinations).
* Every aggregate the views draw is cached with ``st.cache_data`` on (tables fingerprint, filters):
  small frames, so copying them is cheap, and a rerun with the same filters recomputes nothing.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import aggregates as agg
from dashboard import figures
from dashboard.filters import Filters, Selection, apply_filters
from dashboard.tables import Corpus, load_corpus, table_token

MAX_ROWS = 1000  # rows shown per table (downloads hold all)

# Options sent to the browser on every rerun: keep the lists short (others can be typed in).
MAX_ENTITY_OPTIONS = 1000
MAX_ARTICLE_OPTIONS = 300

FilterKey = tuple[tuple[str, tuple[str, ...]], ...]


def filter_key(f: Filters) -> FilterKey:
    return tuple(sorted((k, tuple(v)) for k, v in f.to_query().items()))


def filters_from_key(key: FilterKey) -> Filters:
    return Filters.from_query({k: list(v) for k, v in key})


@st.cache_resource(show_spinner="Loading the tables…", max_entries=2)
def _load(out: str, token: str) -> Corpus:  # noqa: ARG001 - token is the cache key
    return load_corpus(Path(out))


def corpus(out: Path) -> Corpus:
    """The tables under ``out``, loaded once per change of the files."""
    c = _load(str(out), table_token(out))
    register(c)
    return c


def _c(token: str) -> Corpus:
    for c in _CORPORA.values():
        if c.token == token:
            return c
    raise KeyError(token)


_CORPORA: dict[str, Corpus] = {}


def register(c: Corpus) -> None:
    """Make ``c`` reachable from cached functions by its token (keeps the last two)."""
    _CORPORA[c.token] = c
    while len(_CORPORA) > 2:
        _CORPORA.pop(next(iter(_CORPORA)))


@st.cache_resource(show_spinner=False, max_entries=4)
def _selection(token: str, key: FilterKey) -> Selection:
    return apply_filters(_c(token), filters_from_key(key))


def selection(c: Corpus, f: Filters) -> Selection:
    register(c)
    return _selection(c.token, filter_key(f))


@st.cache_data(show_spinner=False, max_entries=64)
def options(token: str) -> dict[str, list]:
    """Sidebar options from the whole corpus (stable across filter changes)."""
    c = _c(token)
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
    country_names = dict(zip(c.entities[c.entities["type"] == "country"]["entity_id"].astype(str),
                             c.entities[c.entities["type"] == "country"]["name"].astype(str)))
    dates = c.articles["_date"].dropna()
    return {
        "entity": entity,
        "entity_type": {n: names[n] for n in entity},
        "topic": topics,
        "dyad": sorted(set(c.articles["dyad"].astype(str)) - {""}),
        "outlet": sorted(set(c.articles["outlet"].astype(str)) - {""}),
        "side": sorted(set(c.quotes["_side"].astype(str))),
        "category": sorted(set(c.quotes["_category"].astype(str))),
        "article": list(titles)[:MAX_ARTICLE_OPTIONS],
        "article_title": {k: titles[k] for k in list(titles)[:MAX_ARTICLE_OPTIONS]},
        "country_name": country_names,
        "date_range": (dates.min().date(), dates.max().date()) if len(dates) else None,
    }


# --------------------------------------------------------------------------- cached aggregates

def _sel(token: str, key: FilterKey) -> Selection:
    return _selection(token, key)


@st.cache_data(show_spinner=False, max_entries=64)
def overview(token: str, key: FilterKey) -> dict:
    s = _sel(token, key)
    c = _c(token)
    return {
        "counts": agg.counts(s.articles, s.mentions, s.quotes),
        "top_entities": agg.entity_counts(s.mentions, s.entities, top=15, whole_articles=s.whole_articles),
        "entity_articles": agg.n_articles(s.mentions),
        "topic_mix": agg.topic_mix(s.paragraphs, c.paragraph_topics),
        "topic_articles": agg.n_articles(s.paragraphs),
        "quotes_by_side": agg.quotes_by_side(s.quotes),
        "quote_articles": agg.n_articles(s.quotes),
        "coverage": agg.coverage_over_time(s.articles),
        "dated_articles": int(s.articles["_date"].notna().sum()),
    }


@st.cache_data(show_spinner=False, max_entries=64)
def entities_view(token: str, key: FilterKey) -> dict:
    s = _sel(token, key)
    return {
        "entity_counts": agg.entity_counts(s.mentions, s.entities, top=30, whole_articles=s.whole_articles),
        "country_share": agg.country_share(s.mentions, s.entities),
        "co_mentions": agg.co_mentions(s.mentions, s.entities, top=15, whole_articles=s.whole_articles),
        "articles": agg.n_articles(s.mentions),
    }


@st.cache_data(show_spinner=False, max_entries=64)
def voices_view(token: str, key: FilterKey) -> dict:
    s = _sel(token, key)
    return {
        "tallies": agg.speaker_tallies(s.quotes, _c(token).speakers),
        "by_side": agg.quotes_by_side(s.quotes),
        "articles": agg.n_articles(s.quotes),
    }


@st.cache_data(show_spinner=False, max_entries=16)
def quotes_table(token: str, key: FilterKey) -> pd.DataFrame:
    s = _sel(token, key)
    return agg.quotes_display(s.quotes.head(MAX_ROWS), _c(token).speakers, _c(token).articles)  # shown rows only


@st.cache_data(show_spinner=False, max_entries=64)
def keywords_view(token: str, key: FilterKey) -> dict:
    s = _sel(token, key)
    return {"counts": agg.keyword_counts(s.keywords), "articles": agg.n_articles(s.keywords)}


@st.cache_data(show_spinner=False, max_entries=64)
def kwic(token: str, key: FilterKey, term: str) -> tuple[pd.DataFrame, int]:
    s = _sel(token, key)
    return agg.keyword_in_context(s.paragraphs, _c(token).articles, term)


@st.cache_data(show_spinner=False, max_entries=64)
def topics_view(token: str, key: FilterKey) -> dict:
    s = _sel(token, key)
    c = _c(token)
    return {
        "per_article": agg.topic_per_article(s.paragraphs, c.paragraph_topics, c.articles),
        "mix": agg.topic_mix(s.paragraphs, c.paragraph_topics),
        "articles": agg.n_articles(s.paragraphs),
        "sections": agg.section_table(s.sections.head(MAX_ROWS), c.keywords, c.articles),  # shown rows only
    }


# --------------------------------------------------------------------------- cached figures
# Building a plotly figure validates every property (tens of ms each); the figure objects are
# cached per (tables, filters) and never mutated, so a new session or a rerun only serialises them.

@st.cache_resource(show_spinner=False, max_entries=128)
def overview_figures(token: str, key: FilterKey) -> dict:
    d = overview(token, key)
    return {
        "entities": figures.top_entities(d["top_entities"], d["entity_articles"]),
        "topics": figures.topic_mix(d["topic_mix"], d["topic_articles"]),
        "sides": figures.quotes_by_side(d["quotes_by_side"], d["quote_articles"]),
        "time": figures.coverage(d["coverage"], d["dated_articles"]),
    }


@st.cache_resource(show_spinner=False, max_entries=128)
def entities_figures(token: str, key: FilterKey) -> dict:
    d = entities_view(token, key)
    return {
        "counts": figures.top_entities(d["entity_counts"], d["articles"], title="Mentions per entity"),
        "share": figures.country_share(d["country_share"], d["articles"]),
        "heatmap": figures.co_mention_heatmap(d["co_mentions"], d["articles"]),
    }


@st.cache_resource(show_spinner=False, max_entries=128)
def voices_figures(token: str, key: FilterKey) -> dict:
    d = voices_view(token, key)
    return {
        "quotes": figures.top_speakers(d["tallies"], d["articles"], "quotes"),
        "words": figures.top_speakers(d["tallies"], d["articles"], "words"),
        "side_quotes": figures.quotes_by_side(d["by_side"], d["articles"], "quotes", "Share of voice: quotes"),
        "side_words": figures.quotes_by_side(d["by_side"], d["articles"], "words", "Share of voice: words quoted"),
    }


@st.cache_resource(show_spinner=False, max_entries=128)
def keywords_figures(token: str, key: FilterKey) -> dict:
    d = keywords_view(token, key)
    return {"bars": figures.keyword_bars(d["counts"], d["articles"])}


@st.cache_resource(show_spinner=False, max_entries=128)
def topics_figures(token: str, key: FilterKey) -> dict:
    d = topics_view(token, key)
    return {"per_article": figures.topic_per_article(d["per_article"], d["articles"]),
            "mix": figures.topic_mix(d["mix"], d["articles"])}
