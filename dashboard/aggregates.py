"""Pure aggregations behind the charts and derived tables (no Streamlit).

Every function takes filtered frames (a ``Selection``'s tables) and returns a small DataFrame with
plain numpy dtypes, so results are cheap to cache and to chart.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.tables import UNKNOWN, distinct_pairs

TYPE_ORDER = ["country", "person", "organization", "place", "other"]


def _obj(s: pd.Series) -> pd.Series:
    return s.astype(object).fillna("").astype(str)


def titles_for(articles: pd.DataFrame, aids) -> np.ndarray:
    """Title (or article_id when untitled) of each article row key in ``aids`` (-1 -> "")."""
    aids = np.asarray(aids, dtype=np.int64)
    if len(aids) == 0 or len(articles) == 0:
        return np.full(len(aids), "", dtype=object)
    uniq, inv = np.unique(aids, return_inverse=True)
    a = articles.set_index("_aid")
    ok = uniq[np.isin(uniq, a.index.to_numpy())]
    t = _obj(a["title"].reindex(ok))
    ids = _obj(a["article_id"].reindex(ok))
    label = dict(zip(ok.tolist(), np.where(t.to_numpy() == "", ids.to_numpy(), t.to_numpy())))
    return np.array([label.get(x, "") for x in uniq.tolist()], dtype=object)[inv]


def n_articles(*frames: pd.DataFrame) -> int:
    """Distinct articles behind the given rows."""
    ids = [f["_aid"].to_numpy() for f in frames if len(f)]
    if not ids:
        return 0
    ids = np.concatenate(ids)
    ids = ids[ids >= 0]
    return int(np.count_nonzero(np.bincount(ids))) if len(ids) else 0


def counts(articles: pd.DataFrame, mentions: pd.DataFrame, quotes: pd.DataFrame) -> dict[str, int]:
    return {
        "articles": len(articles),
        "mentions": len(mentions),
        "quotes": int(quotes["_qkey"].nunique()) if len(quotes) else 0,
        "speakers": sum(1 for x in quotes["speaker"].dropna().unique() if str(x)) if len(quotes) else 0,
    }


def _entity_tallies(mentions: pd.DataFrame, n_entities: int, with_articles: bool = True,
                    whole_articles: bool = False):
    """Mentions and articles per entity key. ``whole_articles``: the rows keep every mention of
    each article they touch, so the precomputed first-mention flag counts articles exactly."""
    eid = mentions["_eid"].to_numpy()
    ok = eid >= 0
    eid = eid[ok]
    n_mentions = np.bincount(eid, minlength=n_entities)
    if not with_articles:
        return n_mentions, None
    if whole_articles and "_first" in mentions.columns:
        first = mentions["_first"].to_numpy()[ok]
    else:
        first = distinct_pairs(eid, mentions["_aid"].to_numpy()[ok])
    return n_mentions, np.bincount(eid[first], minlength=n_entities)


def entity_counts(mentions: pd.DataFrame, entities: pd.DataFrame, top: int | None = None, *,
                  whole_articles: bool = False) -> pd.DataFrame:
    """Mentions and articles per entity, most mentioned first (vectorised: bincounts on entity keys)."""
    cols = ["entity_id", "name", "type", "country", "mentions", "articles"]
    if len(mentions) == 0 or len(entities) == 0:
        return pd.DataFrame(columns=cols)
    n_ent = int(entities["_eid"].max()) + 1
    n_m, n_a = _entity_tallies(mentions, n_ent, whole_articles=whole_articles)
    order = np.lexsort((np.arange(n_ent), -n_m))
    order = order[n_m[order] > 0]
    if top:
        order = order[:top]
    ent = entities.set_index("_eid")
    ok = order[np.isin(order, ent.index.to_numpy())]
    e = ent.reindex(ok)
    out = pd.DataFrame({
        "entity_id": _obj(e["entity_id"]).to_numpy(), "name": _obj(e["name"]).to_numpy(),
        "type": _obj(e["type"]).replace("", "other").to_numpy(), "country": _obj(e["country"]).to_numpy(),
        "mentions": n_m[ok], "articles": n_a[ok]})
    # ties: alphabetical by name
    return out.sort_values(["mentions", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def country_share(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """Each country's share of the mentions (an entity counts for its country)."""
    cols = ["country", "mentions", "share"]
    if len(mentions) == 0 or len(entities) == 0:
        return pd.DataFrame(columns=cols)
    n_ent = int(entities["_eid"].max()) + 1
    n_m, _ = _entity_tallies(mentions, n_ent, with_articles=False)
    country = _obj(entities.set_index("_eid")["country"]).reindex(np.arange(n_ent)).fillna("").to_numpy()
    df = pd.DataFrame({"country": country, "mentions": n_m})
    df = df[(df["country"] != "") & (df["mentions"] > 0)]
    if len(df) == 0:
        return pd.DataFrame(columns=cols)
    out = df.groupby("country", as_index=False)["mentions"].sum().sort_values(
        ["mentions", "country"], ascending=[False, True])
    out["share"] = out["mentions"] / out["mentions"].sum()
    return out.reset_index(drop=True)


def co_mentions(mentions: pd.DataFrame, entities: pd.DataFrame, top: int = 15, *,
                whole_articles: bool = False) -> pd.DataFrame:
    """Square matrix (names x names): paragraphs in which both entities are mentioned.

    Uses the ``top`` most mentioned entities; the diagonal holds the paragraphs mentioning each one.
    Computed as incidence' x incidence over the paragraphs that mention any of them.
    """
    ec = entity_counts(mentions, entities, top=top, whole_articles=whole_articles)
    if len(ec) == 0:
        return pd.DataFrame()
    ents = entities.set_index("entity_id") if "entity_id" in entities.columns else entities
    top_eids = ents["_eid"].reindex(ec["entity_id"].to_numpy()).to_numpy().astype(np.int64)
    n_ent = int(entities["_eid"].max()) + 1
    col_of = np.full(n_ent, -1, dtype=np.int64)
    col_of[top_eids] = np.arange(len(top_eids))
    eid = mentions["_eid"].to_numpy()
    ok = eid >= 0
    col = col_of[eid[ok]]
    pk = mentions["_pkey"].to_numpy()[ok]
    keep = col >= 0
    col, pk = col[keep], pk[keep]
    rows, _ = pd.factorize(pk)
    inc = np.zeros((int(rows.max()) + 1 if len(rows) else 0, len(top_eids)), dtype=np.float32)
    inc[rows, col] = 1.0
    mat = (inc.T @ inc).astype(np.int64)
    names = ec["name"].tolist()
    return pd.DataFrame(mat, index=names, columns=names)


def paragraph_topics_of(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame) -> pd.DataFrame:
    """The (paragraph, article, topic) rows of the given paragraphs; topic stays categorical."""
    pk = paragraph_topics["_pkey"].to_numpy()
    if len(pk) == 0:
        return paragraph_topics
    keep = np.zeros(int(pk.max()) + 1, dtype=bool)
    sel = paragraphs["_pkey"].to_numpy()
    keep[sel[sel <= pk.max()]] = True
    mask = keep[pk]
    return paragraph_topics if mask.all() else paragraph_topics[mask]


def topic_mix(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs and articles per topic."""
    pt = paragraph_topics_of(paragraphs, paragraph_topics)
    if len(pt) == 0:
        return pd.DataFrame(columns=["topic", "paragraphs", "articles"])
    codes = pt["topic"].cat.codes.to_numpy().astype(np.int64)
    n_t = len(pt["topic"].cat.categories)
    paras = np.bincount(codes, minlength=n_t)  # (paragraph, topic) rows are distinct
    arts = np.bincount(codes[distinct_pairs(codes, pt["_aid"].to_numpy())], minlength=n_t)
    out = pd.DataFrame({"topic": pt["topic"].cat.categories.astype(str), "paragraphs": paras, "articles": arts})
    out = out[out["paragraphs"] > 0]
    return out.sort_values(["paragraphs", "topic"], ascending=[False, True]).reset_index(drop=True)


def topic_per_article(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                      top: int = 25) -> pd.DataFrame:
    """Long table: article title x topic -> paragraphs, for the ``top`` articles with most labels."""
    pt = paragraph_topics_of(paragraphs, paragraph_topics)
    if len(pt) == 0:
        return pd.DataFrame(columns=["article_id", "title", "topic", "paragraphs"])
    per_article = np.bincount(pt["_aid"].to_numpy())
    keep_aids = np.argsort(-per_article, kind="stable")[:top]
    keep_aids = keep_aids[per_article[keep_aids] > 0]
    pt = pt[np.isin(pt["_aid"].to_numpy(), keep_aids)]
    g = pt.groupby(["_aid", "topic"], observed=True).size().rename("paragraphs").reset_index()
    g["topic"] = g["topic"].astype(str)
    a = articles.set_index("_aid")
    g["article_id"] = _obj(a["article_id"].reindex(g["_aid"])).to_numpy()
    g["title"] = titles_for(articles, g["_aid"].to_numpy())
    return g[["article_id", "title", "topic", "paragraphs"]].reset_index(drop=True)


def quotes_by_side(quotes: pd.DataFrame) -> pd.DataFrame:
    """Quotes and words quoted per speaker country and category (share of voice)."""
    cols = ["side", "category", "quotes", "words", "articles"]
    if len(quotes) == 0:
        return pd.DataFrame(columns=cols)
    q = pd.DataFrame({"side": quotes["_side"].to_numpy(), "category": quotes["_category"].to_numpy(),
                      "_qkey": quotes["_qkey"].to_numpy(), "_words": quotes["_words"].to_numpy(),
                      "_aid": quotes["_aid"].to_numpy()})
    out = q.groupby(["side", "category"], observed=True).agg(
        quotes=("_qkey", "nunique"), words=("_words", "sum"), articles=("_aid", "nunique")).reset_index()
    out["side"], out["category"] = out["side"].astype(str), out["category"].astype(str)
    return out.sort_values(["quotes", "side"], ascending=[False, True]).reset_index(drop=True)[cols]


def speaker_tallies(quotes: pd.DataFrame, speakers: pd.DataFrame) -> pd.DataFrame:
    """Quotes, words quoted and articles per speaker in the selection, with side and category."""
    cols = ["speaker", "affiliation", "side", "category", "quotes", "direct", "indirect", "words", "articles"]
    if len(quotes) == 0:
        return pd.DataFrame(columns=cols)
    q = pd.DataFrame({"speaker": quotes["speaker"].to_numpy(),
                      "side": quotes["_side"].to_numpy(), "category": quotes["_category"].to_numpy(),
                      "_qkey": quotes["_qkey"].to_numpy(), "_words": quotes["_words"].to_numpy(),
                      "_aid": quotes["_aid"].to_numpy(),
                      "direct": (quotes["kind"] == "direct").to_numpy(dtype=bool),
                      "indirect": (quotes["kind"] == "indirect").to_numpy(dtype=bool)})
    keys = ["speaker", "side", "category"]
    first = q.drop_duplicates("_qkey")
    out = first.groupby(keys, observed=True).agg(
        quotes=("_qkey", "size"), direct=("direct", "sum"), indirect=("indirect", "sum")).reset_index()
    words = q.groupby(keys, observed=True).agg(words=("_words", "sum"), articles=("_aid", "nunique")).reset_index()
    out = out.merge(words, on=keys)
    for col in keys:
        out[col] = out[col].astype(str)
    out["speaker"] = out["speaker"].replace("", "(unknown)")
    aff = dict(zip(_obj(speakers["name"]), _obj(speakers["affiliation"]))) if len(speakers) else {}
    out["affiliation"] = out["speaker"].map(aff).fillna("")
    return out.sort_values(["quotes", "words", "speaker"], ascending=[False, False, True]).reset_index(drop=True)[cols]


def quotes_display(quotes: pd.DataFrame, speakers: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The quotes table as shown: speaker, affiliation, side, category, cue, channel, kind, text, article."""
    aff = dict(zip(_obj(speakers["name"]), _obj(speakers["affiliation"]))) if len(speakers) else {}
    return pd.DataFrame({
        "speaker": _obj(quotes["speaker"]).to_numpy(),
        "affiliation": _obj(quotes["speaker"]).map(aff).fillna("").to_numpy(),
        "side": _obj(quotes["_side"]).to_numpy(),
        "category": _obj(quotes["_category"]).to_numpy(),
        "cue": _obj(quotes["cue"]).to_numpy(),
        "channel": _obj(quotes["channel"]).to_numpy(),
        "kind": _obj(quotes["kind"]).to_numpy(),
        "text": _obj(quotes["text"]).to_numpy(),
        "article": titles_for(articles, quotes["_aid"].to_numpy()),
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
    k = keywords[(keywords["level"] == "article").to_numpy(dtype=bool)]
    if len(k) == 0:
        return pd.DataFrame(columns=["keyword", "articles"])
    out = pd.DataFrame({"keyword": _obj(k["keyword"]).str.lower().to_numpy(), "_aid": k["_aid"].to_numpy()})
    out = out.groupby("keyword")["_aid"].nunique().rename("articles").reset_index()
    return out.sort_values(["articles", "keyword"], ascending=[False, True]).head(top).reset_index(drop=True)


def section_table(sections: pd.DataFrame, keywords: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Sections with article title, heading, topic and their section keywords."""
    k = keywords[(keywords["level"] == "section").to_numpy(dtype=bool)]
    k = k[np.isin(k["_skey"].to_numpy(), sections["_skey"].to_numpy())]
    kw = (pd.DataFrame({"_skey": k["_skey"].to_numpy(), "keyword": _obj(k["keyword"]).to_numpy(),
                        "rank": k["rank"].to_numpy()})
          .sort_values(["_skey", "rank"]).groupby("_skey")["keyword"].agg("; ".join))
    return pd.DataFrame({
        "article": titles_for(articles, sections["_aid"].to_numpy()),
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

    Returns (at most ``limit`` rows, number of paragraphs holding the term).
    """
    cols = ["article", "article_id", "paragraph_id", "sentence"]
    term = term.strip()
    if not term or len(paragraphs) == 0:
        return pd.DataFrame(columns=cols), 0
    pattern = r"(?i)(?<!\w)" + re.escape(term) + r"(?!\w)"
    # vectorised case-insensitive substring pre-filter, then the exact whole-word regex per hit
    hit = paragraphs["text"].str.contains(term, case=False, regex=False).fillna(False).to_numpy(dtype=bool)
    rx = re.compile(pattern)
    rows = []
    total = int(hit.sum())
    sub = paragraphs[hit]
    sub = sub.head(limit * 4)  # enough paragraphs for ``limit`` sentences in practice
    title = dict(zip(sub["_aid"].to_numpy().tolist(), titles_for(articles, sub["_aid"].to_numpy())))
    for aid, art_id, pid, text in zip(sub["_aid"].to_numpy(), _obj(sub["article_id"]), sub["paragraph_id"].to_numpy(),
                                      _obj(sub["text"])):
        if len(rows) >= limit:
            break
        if not rx.search(text):
            total -= 1  # substring hit, but not as a whole word
            continue
        for sentence in _SENTENCE.split(text):
            if rx.search(sentence) and len(rows) < limit:
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
