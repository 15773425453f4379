"""Pure aggregations behind the charts and derived tables (no Streamlit).

Every function takes filtered frames (a ``Selection``'s tables) and returns a small DataFrame with
plain numpy dtypes, so results are cheap to cache and to chart.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.tables import UNKNOWN

TYPE_ORDER = ["country", "person", "organization", "place", "other"]


def _obj(s: pd.Series) -> pd.Series:
    return s.astype(object).fillna("").astype(str)


def n_articles(*frames: pd.DataFrame) -> int:
    """Distinct articles behind the given rows."""
    ids = [f["_aid"].to_numpy() for f in frames if len(f)]
    if not ids:
        return 0
    ids = np.concatenate(ids)
    return int(np.unique(ids[ids >= 0]).size)


def counts(articles: pd.DataFrame, mentions: pd.DataFrame, quotes: pd.DataFrame) -> dict[str, int]:
    return {
        "articles": len(articles),
        "mentions": len(mentions),
        "quotes": int(quotes["_qkey"].nunique()) if len(quotes) else 0,
        "speakers": int(_obj(quotes["speaker"]).replace("", np.nan).nunique()) if len(quotes) else 0,
    }


def entity_counts(mentions: pd.DataFrame, entities: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Mentions and articles per entity, most mentioned first."""
    cols = ["entity_id", "name", "type", "country", "mentions", "articles"]
    m = mentions[mentions["_eid"] >= 0]
    if len(m) == 0:
        return pd.DataFrame(columns=cols)
    g = pd.DataFrame({"_eid": m["_eid"].to_numpy(), "_aid": m["_aid"].to_numpy()})
    agg = g.groupby("_eid").agg(mentions=("_aid", "size"), articles=("_aid", "nunique")).reset_index()
    ent = entities.set_index("_eid") if "_eid" in entities.columns else entities
    agg["entity_id"] = _obj(ent["entity_id"]).reindex(agg["_eid"]).to_numpy()
    agg["name"] = _obj(ent["name"]).reindex(agg["_eid"]).to_numpy()
    agg["type"] = _obj(ent["type"]).reindex(agg["_eid"]).fillna("other").replace("", "other").to_numpy()
    agg["country"] = _obj(ent["country"]).reindex(agg["_eid"]).fillna("").to_numpy()
    agg = agg.sort_values(["mentions", "name"], ascending=[False, True], kind="stable")
    if top:
        agg = agg.head(top)
    return agg[cols].reset_index(drop=True)


def country_share(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """Each country's share of the mentions (an entity counts for its country)."""
    ec = entity_counts(mentions, entities)
    ec = ec[ec["country"] != ""]
    if len(ec) == 0:
        return pd.DataFrame(columns=["country", "mentions", "share"])
    out = ec.groupby("country", as_index=False)["mentions"].sum().sort_values("mentions", ascending=False)
    out["share"] = out["mentions"] / out["mentions"].sum()
    return out.reset_index(drop=True)


def co_mentions(mentions: pd.DataFrame, entities: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Square matrix (names x names): paragraphs in which both entities are mentioned.

    Uses the ``top`` most mentioned entities; the diagonal holds the paragraphs mentioning each one.
    """
    ec = entity_counts(mentions, entities, top=top)
    if len(ec) == 0:
        return pd.DataFrame()
    eid_of = dict(zip(ec["entity_id"], range(len(ec))))
    ent_ids = _obj(entities.set_index("_eid")["entity_id"])
    m = mentions[mentions["_eid"] >= 0]
    col = ent_ids.reindex(m["_eid"]).map(eid_of).to_numpy()
    ok = ~pd.isna(col)
    pk = m["_pkey"].to_numpy()[ok]
    col = col[ok].astype(np.int64)
    rows, inv = np.unique(pk, return_inverse=True)
    inc = np.zeros((len(rows), len(ec)), dtype=np.float32)
    inc[inv, col] = 1.0
    mat = (inc.T @ inc).astype(np.int64)
    names = ec["name"].tolist()
    return pd.DataFrame(mat, index=names, columns=names)


def paragraph_topics_of(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame) -> pd.DataFrame:
    pt = paragraph_topics[paragraph_topics["_pkey"].isin(paragraphs["_pkey"])]
    aid = paragraphs.set_index("_pkey")["_aid"].reindex(pt["_pkey"]).to_numpy()
    return pd.DataFrame({"_pkey": pt["_pkey"].to_numpy(), "_aid": aid, "topic": _obj(pt["topic"]).to_numpy()})


def topic_mix(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs and articles per topic."""
    pt = paragraph_topics_of(paragraphs, paragraph_topics)
    if len(pt) == 0:
        return pd.DataFrame(columns=["topic", "paragraphs", "articles"])
    out = pt.groupby("topic").agg(paragraphs=("_pkey", "nunique"), articles=("_aid", "nunique")).reset_index()
    return out.sort_values(["paragraphs", "topic"], ascending=[False, True]).reset_index(drop=True)


def topic_per_article(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                      top: int = 25) -> pd.DataFrame:
    """Long table: article title x topic -> paragraphs, for the ``top`` articles with most labels."""
    pt = paragraph_topics_of(paragraphs, paragraph_topics)
    if len(pt) == 0:
        return pd.DataFrame(columns=["article_id", "title", "topic", "paragraphs"])
    g = pt.groupby(["_aid", "topic"]).size().rename("paragraphs").reset_index()
    keep = g.groupby("_aid")["paragraphs"].sum().sort_values(ascending=False).head(top).index
    g = g[g["_aid"].isin(keep)]
    a = articles.set_index("_aid")
    g["article_id"] = _obj(a["article_id"]).reindex(g["_aid"]).to_numpy()
    titles = _obj(a["title"]).reindex(g["_aid"]).fillna("")
    g["title"] = np.where(titles.to_numpy() == "", g["article_id"], titles.to_numpy())
    return g[["article_id", "title", "topic", "paragraphs"]].reset_index(drop=True)


def quotes_by_side(quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes and words quoted per speaker country and category (share of voice)."""
    cols = ["side", "category", "quotes", "words", "articles"]
    if len(quotes) == 0:
        return pd.DataFrame(columns=cols)
    q = pd.DataFrame({"side": _obj(quotes["_side"]).to_numpy(), "category": _obj(quotes["_category"]).to_numpy(),
                      "_qkey": quotes["_qkey"].to_numpy(), "_words": quotes["_words"].to_numpy(),
                      "_aid": quotes["_aid"].to_numpy()})
    out = q.groupby(["side", "category"]).agg(quotes=("_qkey", "nunique"), words=("_words", "sum"),
                                              articles=("_aid", "nunique")).reset_index()
    return out.sort_values(["quotes", "side"], ascending=[False, True]).reset_index(drop=True)[cols]


def speaker_tallies(quotes: pd.DataFrame, speakers: pd.DataFrame) -> pd.DataFrame:
    """Quotes, words quoted and articles per speaker in the selection, with side and category."""
    cols = ["speaker", "affiliation", "side", "category", "quotes", "direct", "indirect", "words", "articles"]
    if len(quotes) == 0:
        return pd.DataFrame(columns=cols)
    q = pd.DataFrame({"speaker": _obj(quotes["speaker"]).replace("", "(unknown)").to_numpy(),
                      "side": _obj(quotes["_side"]).to_numpy(), "category": _obj(quotes["_category"]).to_numpy(),
                      "_qkey": quotes["_qkey"].to_numpy(), "_words": quotes["_words"].to_numpy(),
                      "_aid": quotes["_aid"].to_numpy(),
                      "direct": (_obj(quotes["kind"]) == "direct").to_numpy(),
                      "indirect": (_obj(quotes["kind"]) == "indirect").to_numpy()})
    first = q.drop_duplicates("_qkey")
    out = first.groupby(["speaker", "side", "category"]).agg(
        quotes=("_qkey", "size"), direct=("direct", "sum"), indirect=("indirect", "sum")).reset_index()
    words = q.groupby(["speaker", "side", "category"]).agg(words=("_words", "sum"),
                                                           articles=("_aid", "nunique")).reset_index()
    out = out.merge(words, on=["speaker", "side", "category"])
    aff = dict(zip(_obj(speakers["name"]), _obj(speakers["affiliation"]))) if len(speakers) else {}
    out["affiliation"] = out["speaker"].map(aff).fillna("")
    return out.sort_values(["quotes", "words", "speaker"], ascending=[False, False, True]).reset_index(drop=True)[cols]


def quotes_display(quotes: pd.DataFrame, speakers: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The quotes table as shown: speaker, affiliation, side, category, cue, channel, kind, text, article."""
    aff = dict(zip(_obj(speakers["name"]), _obj(speakers["affiliation"]))) if len(speakers) else {}
    title = _obj(articles.set_index("_aid")["title"]) if len(articles) else pd.Series(dtype=object)
    return pd.DataFrame({
        "speaker": _obj(quotes["speaker"]).to_numpy(),
        "affiliation": _obj(quotes["speaker"]).map(aff).fillna("").to_numpy(),
        "side": _obj(quotes["_side"]).to_numpy(),
        "category": _obj(quotes["_category"]).to_numpy(),
        "cue": _obj(quotes["cue"]).to_numpy(),
        "channel": _obj(quotes["channel"]).to_numpy(),
        "kind": _obj(quotes["kind"]).to_numpy(),
        "text": _obj(quotes["text"]).to_numpy(),
        "article": title.reindex(quotes["_aid"]).fillna("").to_numpy() if len(title) else "",
        "article_id": _obj(quotes["article_id"]).to_numpy(),
    })


def coverage_over_time(articles: pd.DataFrame) -> pd.DataFrame:
    """Dated articles per month."""
    d = articles["_date"].dropna()
    if len(d) == 0:
        return pd.DataFrame(columns=["month", "articles"])
    month = d.dt.to_period("M").dt.to_timestamp()
    out = month.value_counts().sort_index().rename_axis("month").rename("articles").reset_index()
    return out


def keyword_counts(keywords: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """Article-level keywords by the number of articles carrying them."""
    k = keywords[_obj(keywords["level"]) == "article"]
    if len(k) == 0:
        return pd.DataFrame(columns=["keyword", "articles"])
    out = pd.DataFrame({"keyword": _obj(k["keyword"]).str.lower().to_numpy(), "_aid": k["_aid"].to_numpy()})
    out = out.groupby("keyword")["_aid"].nunique().rename("articles").reset_index()
    return out.sort_values(["articles", "keyword"], ascending=[False, True]).head(top).reset_index(drop=True)


def section_table(sections: pd.DataFrame, keywords: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Sections with article title, heading, topic and their section keywords."""
    k = keywords[_obj(keywords["level"]) == "section"]
    kw = (pd.DataFrame({"_skey": k["_skey"].to_numpy(), "keyword": _obj(k["keyword"]).to_numpy(),
                        "rank": k["rank"].to_numpy()})
          .sort_values(["_skey", "rank"]).groupby("_skey")["keyword"].agg("; ".join))
    title = _obj(articles.set_index("_aid")["title"]) if len(articles) else pd.Series(dtype=object)
    return pd.DataFrame({
        "article": title.reindex(sections["_aid"]).fillna("").to_numpy() if len(sections) else [],
        "article_id": _obj(sections["article_id"]).to_numpy(),
        "section_id": sections["section_id"].to_numpy(),
        "heading": _obj(sections["heading"]).to_numpy(),
        "topic": _obj(sections["topic"]).to_numpy(),
        "paragraphs": sections["n_paragraphs"].to_numpy(),
        "keywords": kw.reindex(sections["_skey"]).fillna("").to_numpy() if len(sections) else [],
    })


_SENTENCE = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][”\"’]))\s+(?=[A-Z“\"‘'(\[])")


def keyword_in_context(paragraphs: pd.DataFrame, articles: pd.DataFrame, term: str,
                       limit: int = 500) -> tuple[pd.DataFrame, int]:
    """Every sentence holding ``term`` (case-insensitive, whole words), with its article.

    Returns (at most ``limit`` rows, total number of matching sentences in scanned paragraphs).
    """
    cols = ["article", "article_id", "paragraph_id", "sentence"]
    term = term.strip()
    if not term or len(paragraphs) == 0:
        return pd.DataFrame(columns=cols), 0
    pattern = r"(?i)(?<!\w)" + re.escape(term) + r"(?!\w)"
    # vectorised case-insensitive substring pre-filter, then the exact whole-word regex per hit
    hit = paragraphs["text"].str.contains(term, case=False, regex=False).fillna(False).to_numpy(dtype=bool)
    rx = re.compile(pattern)
    title = _obj(articles.set_index("_aid")["title"]) if len(articles) else pd.Series(dtype=object)
    rows, total = [], 0
    sub = paragraphs[hit]
    for aid, art_id, pid, text in zip(sub["_aid"].to_numpy(), _obj(sub["article_id"]), sub["paragraph_id"].to_numpy(),
                                      _obj(sub["text"])):
        for sentence in _SENTENCE.split(text):
            if rx.search(sentence):
                total += 1
                if len(rows) < limit:
                    rows.append((title.get(aid, ""), art_id, int(pid), sentence.strip()))
    return pd.DataFrame(rows, columns=cols), total


def highlight_spans(text: str, mentions: list[tuple[int, int, str]], quotes: list[tuple[int, int, str]]):
    """Split ``text`` into segments [(segment, in_quote_label|None, in_mention_label|None)].

    Spans are clipped to the text; overlapping spans nest (a mention inside a quote keeps both).
    """
    n = len(text)
    cuts = {0, n}
    spans = []
    for kind, items in (("m", mentions), ("q", quotes)):
        for s, e, label in items:
            s, e = max(0, min(int(s), n)), max(0, min(int(e), n))
            if e > s:
                cuts.update((s, e))
                spans.append((kind, s, e, label))
    bounds = sorted(cuts)
    out = []
    for s, e in zip(bounds, bounds[1:]):
        q = next((lab for k, a, b, lab in spans if k == "q" and a <= s and e <= b), None)
        m = next((lab for k, a, b, lab in spans if k == "m" and a <= s and e <= b), None)
        out.append((text[s:e], q, m))
    return out


__all__ = [name for name in dir() if not name.startswith("_")] + ["UNKNOWN"]
