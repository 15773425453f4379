"""One render function per view. Each reads cached aggregates and draws them."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import aggregates as agg
from dashboard import loaders
from dashboard.filters import Selection
from dashboard.loaders import FilterKey
from dashboard.safe_text import MAX_VALUE_CHARS, plain_markdown
from dashboard.tables import Corpus
from dashboard.widgets import chart, table


def cards(counts: dict[str, int]) -> None:
    """Counts as plain text cards (lighter than st.metric on the first render)."""
    cols = st.columns(4)
    for col, (label, key) in zip(cols, [("Articles", "articles"), ("Mentions", "mentions"),
                                        ("Quotes", "quotes"), ("Speakers", "speakers")]):
        with col.container(border=True, key=f"card_{key}"):
            st.markdown(f"{label}\n## {counts[key]:,}")


def overview(c: Corpus, s: Selection, key: FilterKey) -> None:
    d = loaders.overview(c.token, key)
    f = loaders.overview_figures(c.token, key)
    cards(d["counts"])
    left, right = st.columns(2)
    with left:
        chart(f["entities"], "No entity is mentioned in this selection.", "ov_entities")
    with right:
        chart(f["topics"], "No paragraph in this selection carries a topic.", "ov_topics")
    left, right = st.columns(2)
    with left:
        chart(f["sides"], "No quote in this selection.", "ov_sides")
    with right:
        if c.has_dates:
            chart(f["time"], "No dated article in this selection.", "ov_time")
        else:
            st.caption("Coverage over time appears when articles have publication dates.")
    st.subheader("Articles")
    table(s.articles, "articles", "articles")


def entities(c: Corpus, s: Selection, key: FilterKey) -> None:
    f = loaders.entities_figures(c.token, key)
    chart(f["counts"], "No entity is mentioned in this selection.", "ent_counts")
    left, right = st.columns(2)
    with left:
        chart(f["share"], "No country-attributed mention in this selection.", "ent_share")
    with right:
        chart(f["heatmap"], "No entity is mentioned in this selection, so there is nothing to pair.", "ent_heatmap")
    st.subheader("Mentions")
    table(s.mentions, "mentions", "mentions")
    st.subheader("Entities")
    table(s.entities, "entities", "entities")


def voices(c: Corpus, s: Selection, key: FilterKey) -> None:
    f = loaders.voices_figures(c.token, key)
    left, right = st.columns(2)
    with left:
        chart(f["quotes"], "No quote in this selection.", "vo_quotes")
    with right:
        chart(f["words"], "No quote in this selection.", "vo_words")
    left, right = st.columns(2)
    with left:
        chart(f["side_quotes"], "No quote in this selection.", "vo_side_quotes")
    with right:
        chart(f["side_words"], "No quote in this selection.", "vo_side_words")
    st.subheader("Quotes")
    table(s.quotes, "quotes", "quotes", display=loaders.quotes_table(c.token, key))
    st.subheader("Speakers")
    st.caption("Tallies per speaker across the whole corpus; the charts above count the selection.")
    table(s.speakers, "speakers", "speakers")


def keywords(c: Corpus, s: Selection, key: FilterKey) -> None:
    f = loaders.keywords_figures(c.token, key)
    chart(f["bars"], "No article keyword in this selection.", "kw_bars")
    st.subheader("Keywords")
    st.caption("Corpus-level keywords describe the whole corpus and are listed only when no filter is set.")
    level = st.radio("Level", ["all", "corpus", "article", "section"], horizontal=True, key="kw_level")
    kw = s.keywords if level == "all" else s.keywords[(s.keywords["level"] == level).to_numpy(dtype=bool)]
    table(kw, "keywords", "keywords")
    st.subheader("Keyword in context")
    term = st.text_input("Term", key="kwic_term", placeholder="e.g. strategic partnership",
                         max_chars=MAX_VALUE_CHARS).strip()
    if term:
        rows, total = loaders.kwic(c.token, key, term)
        shown = plain_markdown(term)  # typed or from the URL: shown as written, never as Markdown
        if total:
            st.caption(f"{total:,} paragraphs hold “{shown}”; showing {len(rows):,} sentences.")
        table(rows, "kwic", "kwic", empty=f"No sentence in this selection holds “{shown}”.")


def topics(c: Corpus, s: Selection, key: FilterKey) -> None:
    d = loaders.topics_view(c.token, key)
    f = loaders.topics_figures(c.token, key)
    left, right = st.columns(2)
    with left:
        chart(f["per_article"], "No paragraph in this selection carries a topic.", "tp_per_article")
    with right:
        chart(f["mix"], "No paragraph in this selection carries a topic.", "tp_mix")
    st.subheader("Sections")
    table(s.sections, "sections", "sections", display=d["sections"])
    st.subheader("Paragraphs")
    table(s.paragraphs, "paragraphs", "paragraphs")


_CSS = ("<style>.dyad-reader p{line-height:1.6} .dyad-reader mark{background:#fff3b0;padding:0 2px}"
        " .dyad-reader .q{background:#dbeafe;border-bottom:2px solid #3b82f6}"
        " .dyad-reader h3{margin-top:1.2em} .dyad-reader .meta{color:#666;font-size:.9em}</style>")


@st.cache_data(show_spinner=False, max_entries=64)
def reader_html(token: str, article_id: str) -> str:
    """The article as HTML; every piece of article text goes through ``html.escape``."""
    c = loaders._c(token)
    a = c.articles[c.articles["article_id"].astype(str) == article_id]
    if len(a) == 0:
        return ""
    aid = int(a["_aid"].iloc[0])
    row = a.iloc[0]
    paras = c.paragraphs[c.paragraphs["_aid"] == aid].sort_values("paragraph_id")
    secs = c.sections[c.sections["_aid"] == aid].sort_values("position")
    ment = c.mentions[c.mentions["_aid"] == aid]
    quo = c.quotes[c.quotes["_aid"] == aid]
    names = dict(zip(c.entities["entity_id"].astype(str), c.entities["name"].astype(str)))
    e = html.escape
    out = [_CSS, '<div class="dyad-reader">', f"<h2>{e(str(row['title']) or article_id)}</h2>"]
    meta = " · ".join(e(str(x)) for x in (row["outlet"], row["published"], row["dyad"], row["url"]) if str(x))
    if meta:
        out.append(f'<p class="meta">{meta}</p>')
    if str(row["standfirst"]):
        out.append(f"<p><em>{e(str(row['standfirst']))}</em></p>")
    headings = dict(zip(secs["section_id"].to_numpy(), secs["heading"].astype(str)))
    current = None
    for pid, sid, text in zip(paras["paragraph_id"].to_numpy(), paras["section_id"].to_numpy(),
                              paras["text"].astype(str)):
        if sid != current:
            current = sid
            if headings.get(sid):
                out.append(f"<h3>{e(headings[sid])}</h3>")
        pm = ment[ment["paragraph_id"] == pid]
        pq = quo[quo["paragraph_id"] == pid]
        spans = agg.highlight_spans(
            text,
            [(s_, e_, names.get(str(eid), str(eid))) for s_, e_, eid in
             zip(pm["char_start"], pm["char_end"], pm["entity_id"].astype(str))],
            [(s_, e_, str(spk)) for s_, e_, spk in zip(pq["char_start"], pq["char_end"], pq["speaker"].astype(str))])
        parts = []
        for seg, q_label, m_label in spans:
            piece = e(seg)
            if m_label is not None:
                piece = f'<mark title="{e(m_label, quote=True)}">{piece}</mark>'
            if q_label is not None:
                piece = f'<span class="q" title="quote: {e(q_label, quote=True)}">{piece}</span>'
            parts.append(piece)
        out.append("<p>" + "".join(parts) + "</p>")
    out.append("</div>")
    return "".join(out)


def reader(c: Corpus, s: Selection, key: FilterKey) -> None:
    arts = s.articles
    if len(arts) == 0:
        st.info("No article in this selection.")
        return
    ids = arts["article_id"].astype(str).tolist()[:2000]
    titles = dict(zip(ids, arts["title"].astype(str)))
    wanted = st.session_state.pop("_read_from_url", None)
    if wanted and wanted not in ids and wanted in set(c.articles["article_id"].astype(str)):
        ids = [wanted] + ids
        titles[wanted] = str(c.articles.loc[c.articles["article_id"].astype(str) == wanted, "title"].iloc[0])
    if wanted in ids:
        st.session_state["reader_article"] = wanted
    if st.session_state.get("reader_article") not in ids:
        st.session_state["reader_article"] = ids[0]
    article_id = st.selectbox("Article", ids, key="reader_article",
                              format_func=lambda a: f"{titles.get(a) or a} [{a}]")
    st.html(reader_html(c.token, article_id))
    st.caption("Highlighted: entity mentions (yellow) and quotes (blue).")
    aid = int(c.articles.loc[c.articles["article_id"].astype(str) == article_id, "_aid"].iloc[0])
    for name in ("quotes", "mentions", "keywords", "sections", "paragraphs"):
        df = c.table(name)
        st.subheader(name.capitalize())
        table(df[df["_aid"].to_numpy() == aid], name, f"reader_{name}")


RENDER = {"Overview": overview, "Entities": entities, "Voices": voices, "Keywords": keywords,
          "Topics and sections": topics, "Reader": reader}

__all__ = ["RENDER", "reader_html", "pd"]
