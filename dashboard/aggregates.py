"""Pure aggregations behind the charts and derived tables (no Streamlit).

Every function takes filtered frames (a ``Selection``'s tables) and returns a small DataFrame with
plain numpy dtypes, so results are cheap to cache and to chart.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.tables import UNKNOWN, distinct_pairs
from pipeline.records import SETTING_PREFIX

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
    """The quotes table as shown, what a reader scans first on the left: speaker, the quoted words, side,
    category, how the article describes the speaker, the article; then where the side came from, cue,
    channel, kind, affiliation."""
    aff = dict(zip(_obj(speakers["name"]), _obj(speakers["affiliation"]))) if len(speakers) else {}
    speaker = _obj(quotes["speaker"])
    described = _obj(quotes["speaker_description"])
    return pd.DataFrame({
        "speaker": speaker.to_numpy(),
        "text": _obj(quotes["text"]).to_numpy(),
        "side": _obj(quotes["_side"]).to_numpy(),
        "category": _obj(quotes["_category"]).to_numpy(),
        # a role phrase speaker ("a Mexican official") describes itself: not said twice
        "described as": np.where(_bare(described) == _bare(speaker), "", described.to_numpy()),
        "article": titles_for(articles, quotes["_aid"].to_numpy()),
        "side from": side_source(_obj(quotes["country_evidence"]), speaker).to_numpy(),
        "cue": _obj(quotes["cue"]).to_numpy(),
        "channel": _obj(quotes["channel"]).to_numpy(),
        "kind": _obj(quotes["kind"]).to_numpy(),
        "affiliation": speaker.map(aff).fillna("").to_numpy(),
        "article_id": _obj(quotes["article_id"]).to_numpy(),
    })


def _bare(s: pd.Series) -> np.ndarray:
    return s.str.lower().str.replace(r"^(?:the|a|an)\s+", "", regex=True).str.strip().to_numpy()


def side_source(evidence: pd.Series, speaker: pd.Series) -> pd.Series:
    """Where each quote's side came from, in words: the phrase that says it; ``the speaker`` when the
    phrase is the speaker's own name (a catalogued person or outlet); ``guess from the setting: NAME (…)``
    for the pipeline's ``setting:`` evidence (nothing in the article placed the speaker: where the story
    happens, or where its other speakers are from); ``other articles: …`` as it is (the corpus's other
    articles say it)."""
    guess = evidence.str.startswith(SETTING_PREFIX)
    out = evidence.where(~guess, "guess from the setting: " + evidence.str.slice(len(SETTING_PREFIX)))
    return out.where(evidence != speaker, "the speaker")


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
        return pd.DataFrame(columns=["sentence", "article", "paragraph_id", "article_id"]), 0
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
    # the sentence first: it is what a reader scans (the article columns say where it is)
    return pd.DataFrame(rows, columns=cols)[["sentence", "article", "paragraph_id", "article_id"]], total


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


# --------------------------------------------------------------------------- when to draw a chart

def informative(values) -> bool:
    """The rule for drawing a chart: at least two marks (bars, bar segments, cells, points) and not
    all of the same size. Otherwise the numbers are said in a sentence (``summary_sentence``)."""
    vals = [v for v in (values.tolist() if hasattr(values, "tolist") else list(values)) if v == v]  # NaN out
    return len(vals) >= 2 and len(set(vals)) >= 2


def _amount(value, unit: str) -> str:
    v = int(value) if float(value).is_integer() else value
    return f"{v:,} {unit}" if v == 1 else f"{v:,} {unit}s"


def summary_sentence(labels, values, unit: str, limit: int = 12) -> str:
    """The numbers of an uninformative chart as one plain-text sentence.

    ``unit`` is singular ("quote"); one value: "Russia: 1 quote."; equal values: "2 quotes each:
    Russia, China."; otherwise "Russia 3 quotes, China 1 quote." At most ``limit`` labels are
    named, then "and N more".
    """
    labels = [str(x) for x in labels]
    values = list(values)
    if not labels:
        return ""
    more = f" and {len(labels) - limit:,} more" if len(labels) > limit else ""
    if len(labels) == 1:
        return f"{labels[0]}: {_amount(values[0], unit)}."
    if len(set(values)) == 1:
        return f"{_amount(values[0], unit)} each: {', '.join(labels[:limit])}{more}."
    return ", ".join(f"{lab} ({_amount(v, unit)})" for lab, v in zip(labels[:limit], values[:limit])) + more + "."


# --------------------------------------------------------------------------- countries and the pair view

THIRD = "third countries"


def country_names(entities: pd.DataFrame) -> dict[str, str]:
    """ISO alpha-3 -> name, from the country entities of the tables."""
    if len(entities) == 0:
        return {}
    c = entities[(_obj(entities["type"]) == "country").to_numpy(dtype=bool)]
    return {k: v for k, v in zip(_obj(c["entity_id"]), _obj(c["name"])) if k and v}


def country_name(code: str, names: dict[str, str]) -> str:
    """A country's name: the tables' own, else pycountry's common name, else the code itself."""
    if code in names:
        return names[code]
    if code == UNKNOWN or not code:
        return code or UNKNOWN
    try:
        import pycountry
        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError, KeyError):  # pragma: no cover - pycountry is a pipeline requirement
        found = None
    if found is None:
        return code
    return getattr(found, "common_name", None) or found.name


def with_country_names(df: pd.DataFrame, column: str, names: dict[str, str], to: str | None = None) -> pd.DataFrame:
    """``df`` with a column ``to`` (default ``COLUMN_name``) holding the name of each code in ``column``."""
    out = df.copy()
    out[to or f"{column}_name"] = [country_name(str(c), names) for c in out[column].tolist()]
    return out


def pair_codes(pair: str) -> tuple[str, str]:
    """``"CHN-RUS"`` -> ("CHN", "RUS")."""
    a, _, b = str(pair).partition("-")
    return a, b


def pair_counts(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per country pair (``dyad``), most covered first (ties: alphabetical)."""
    d = _obj(articles["dyad"])
    d = d[d.str.contains("-", regex=False)]
    if len(d) == 0:
        return pd.DataFrame(columns=["dyad", "articles"])
    out = d.value_counts().rename_axis("dyad").rename("articles").reset_index()
    return out.sort_values(["articles", "dyad"], ascending=[False, True]).reset_index(drop=True)


def pair_group(sides, a: str, b: str) -> np.ndarray:
    """Each speaker country as the pair view groups it: ``a``, ``b``, ``THIRD`` or ``UNKNOWN``."""
    s = np.asarray([str(x) for x in sides], dtype=object)
    return np.where((s == a) | (s == b), s, np.where((s == UNKNOWN) | (s == ""), UNKNOWN, THIRD))


def pair_quotes_by_group(quotes: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Quotes, words quoted and articles per speaker group (``a``, ``b``, third countries, unknown),
    in that order; groups without quotes are left out."""
    cols = ["group", "quotes", "words", "articles"]
    if len(quotes) == 0:
        return pd.DataFrame(columns=cols)
    q = pd.DataFrame({"group": pair_group(quotes["_side"].tolist(), a, b), "_qkey": quotes["_qkey"].to_numpy(),
                      "_words": quotes["_words"].to_numpy(), "_aid": quotes["_aid"].to_numpy()})
    out = q.groupby("group").agg(quotes=("_qkey", "nunique"), words=("_words", "sum"),
                                 articles=("_aid", "nunique")).reset_index()
    order = {g: i for i, g in enumerate((a, b, THIRD, UNKNOWN))}
    out["_o"] = out["group"].map(order)
    return out.sort_values("_o").reset_index(drop=True)[cols]


def country_mentions(mentions: pd.DataFrame, entities: pd.DataFrame, codes: list[str],
                     articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mentions of each country in ``codes``: the country itself and every entity of that country
    (its people, places, organisations). With ``articles``, per month of the dated articles
    (columns month, country, mentions: 0 in a month with articles but no mention, NaN in a month with
    no article at all, so a line chart shows a gap there, not a fall), else totals (country, mentions)."""
    ent_country = _obj(entities.set_index("_eid")["country"]) if len(entities) else pd.Series(dtype=object)
    eid = mentions["_eid"].to_numpy()
    country = ent_country.reindex(eid).fillna("").to_numpy(dtype=object) if len(eid) else np.zeros(0, object)
    keep = np.isin(country, codes)
    df = pd.DataFrame({"country": country[keep], "_aid": mentions["_aid"].to_numpy()[keep]})
    if articles is None:
        out = df.groupby("country").size().rename("mentions").reindex(codes, fill_value=0).reset_index()
        out.columns = ["country", "mentions"]
        return out
    dates = articles.set_index("_aid")["_date"]
    df["month"] = dates.reindex(df["_aid"].to_numpy()).dt.to_period("M").dt.to_timestamp().to_numpy()
    df = df.dropna(subset=["month"])
    if len(df) == 0:
        return pd.DataFrame(columns=["month", "country", "mentions"])
    out = df.groupby(["month", "country"]).size().rename("mentions").reset_index()
    months = pd.date_range(out["month"].min(), out["month"].max(), freq="MS")
    full = pd.MultiIndex.from_product([months, codes], names=["month", "country"])
    out = out.set_index(["month", "country"]).reindex(full, fill_value=0).reset_index()
    covered = set(articles["_date"].dropna().dt.to_period("M").dt.to_timestamp())
    out["mentions"] = out["mentions"].astype(float).where(out["month"].isin(covered))
    return out


def side_speakers(quotes: pd.DataFrame, speakers: pd.DataFrame, entities: pd.DataFrame, code: str,
                  top: int = 10) -> pd.DataFrame:
    """The speakers from country ``code`` quoted most in ``quotes``, with role and category."""
    cols = ["speaker", "role", "category", "affiliation", "quotes", "words", "articles", "side"]
    q = quotes[(quotes["_side"].astype(str) == code).to_numpy(dtype=bool)]
    t = speaker_tallies(q, speakers)
    if len(t) == 0:
        return pd.DataFrame(columns=cols)
    role = {}
    if len(entities):
        role.update(zip(_obj(entities["name"]), _obj(entities["role"])))
    if len(speakers):
        role.update((n, r) for n, r in zip(_obj(speakers["name"]), _obj(speakers["role"])) if r)
    t["role"] = t["speaker"].map(role).fillna("")
    return t.head(top)[cols].reset_index(drop=True)


def topics_quoted(quotes: pd.DataFrame, paragraph_topics: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Quotes by speakers of each country in ``codes`` per topic of the quote's paragraph
    (columns topic, country, quotes; a quote spanning paragraphs counts once per topic)."""
    cols = ["topic", "country", "quotes"]
    q = quotes[quotes["_side"].astype(str).isin(codes).to_numpy(dtype=bool)]
    if len(q) == 0 or len(paragraph_topics) == 0:
        return pd.DataFrame(columns=cols)
    pt = pd.DataFrame({"_pkey": paragraph_topics["_pkey"].to_numpy(),
                       "topic": _obj(paragraph_topics["topic"]).to_numpy()})
    qq = pd.DataFrame({"_pkey": q["_pkey"].to_numpy(), "_qkey": q["_qkey"].to_numpy(),
                       "country": q["_side"].astype(str).to_numpy()})
    j = qq.merge(pt, on="_pkey").drop_duplicates(["_qkey", "topic"])
    if len(j) == 0:
        return pd.DataFrame(columns=cols)
    out = j.groupby(["topic", "country"]).size().rename("quotes").reset_index()
    total = out.groupby("topic")["quotes"].transform("sum")
    return (out.assign(_t=total).sort_values(["_t", "topic", "country"], ascending=[False, True, True])
            .reset_index(drop=True)[cols])


STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
each even ever every few for from further get gets got had hadn't has hasn't have haven't having he he'd
he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is
isn't it it's its itself just let's like made make many may me might more most much must mustn't my myself
no nor not now of off often on once one only or other others ought our ours ourselves out over own per
rather really said same say says shall shan't she she'd she'll she's should shouldn't since so some still
such than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those though through thus to too two under until up upon us very was wasn't we we'd
we'll we're we've well were weren't what what's when when's where where's whether which while who who's
whom whose why why's will with within without won't would wouldn't yet you you'd you'll you're you've your
yours yourself yourselves also already always another around back because become becomes going gone new
news year years time times day days way ways lot lots thing things yes
""".split())

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def terms(text: str) -> list[str]:
    """The words of ``text`` (lower case, stopwords and one-letter words out) and the two-word
    phrases of kept words that follow each other with only blanks between them."""
    text = str(text).lower()
    out, pairs = [], []
    prev, prev_end = None, -1
    for m in _TOKEN.finditer(text):
        w = m.group().replace("’", "'")
        if len(w) < 2 or w in STOPWORDS:
            prev = None
            continue
        out.append(w)
        if prev is not None and not text[prev_end:m.start()].strip():
            pairs.append(f"{prev} {w}")
        prev, prev_end = w, m.end()
    return out + pairs


def distinctive_terms(texts_a, texts_b, top: int = 12, min_count: int = 2, min_z: float = 1.96) -> pd.DataFrame:
    """Words and phrases frequent in one side's quotes relative to the other's.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008; the
    prior is the two sides' pooled counts): for a term w with counts y_a, y_b (totals n_a, n_b)
    and pooled count y_w (total n),

        delta = log((y_a + y_w) / (n_a + n - y_a - y_w)) - log((y_b + y_w) / (n_b + n - y_b - y_w))
        z = delta / sqrt(1 / (y_a + y_w) + 1 / (y_b + y_w))

    z > 0 leans to side a. Each side's ``top`` terms with the largest |z| on its side, seen at least
    ``min_count`` times in its quotes and with |z| >= ``min_z`` (1.96: what chance alone gives one time in
    twenty); a word said only inside a phrase listed for its side is left out ("states" under "united
    states"). Columns: term, side ("a" or "b"), count_a, count_b, z.
    """
    cols = ["term", "side", "count_a", "count_b", "z"]
    from collections import Counter
    ca, cb = Counter(), Counter()
    for t in texts_a:
        ca.update(terms(t))
    for t in texts_b:
        cb.update(terms(t))
    vocab = sorted(set(ca) | set(cb))
    if not vocab or not ca or not cb:
        return pd.DataFrame(columns=cols)
    ya = np.array([ca[w] for w in vocab], dtype=float)
    yb = np.array([cb[w] for w in vocab], dtype=float)
    prior = ya + yb
    na, nb, n = ya.sum(), yb.sum(), prior.sum()
    delta = (np.log((ya + prior) / (na + n - ya - prior)) - np.log((yb + prior) / (nb + n - yb - prior)))
    z = delta / np.sqrt(1.0 / (ya + prior) + 1.0 / (yb + prior))
    df = pd.DataFrame({"term": vocab, "count_a": ya.astype(np.int64), "count_b": yb.astype(np.int64), "z": z})
    a = df[(df["z"] >= min_z) & (df["count_a"] >= min_count)].sort_values(["z", "term"], ascending=[False, True])
    b = df[(df["z"] <= -min_z) & (df["count_b"] >= min_count)].sort_values(["z", "term"], ascending=[True, True])
    out = pd.concat([_without_words_of_phrases(a, "count_a", top).assign(side="a"),
                     _without_words_of_phrases(b, "count_b", top).assign(side="b")], ignore_index=True)
    return out[cols]


def _without_words_of_phrases(ranked: pd.DataFrame, count: str, top: int) -> pd.DataFrame:
    """The first ``top`` of ``ranked`` terms, leaving out a word said no more often than a listed phrase
    holding it (it is only ever that phrase)."""
    counts = dict(zip(ranked["term"], ranked[count]))
    only_in_phrase = {w for t, n in counts.items() if " " in t for w in t.split() if counts.get(w, n + 1) <= n}
    keep = ranked["term"].map(lambda t: t not in only_in_phrase).astype(bool)
    return ranked[keep].head(top)


def quotes_with_country(quotes: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The quotes' ``columns`` with ``speaker_country`` (ISO alpha-3, empty when unknown) as the dashboard
    resolves it: the pipeline's own where set, else the speakers/entities join. For downloads."""
    out = quotes[columns].copy()
    side = quotes["_side"].astype(str).to_numpy(dtype=object)
    out["speaker_country"] = np.where(side == UNKNOWN, "", side)
    return out


__all__ = [name for name in dir() if not name.startswith("_")] + ["UNKNOWN"]
