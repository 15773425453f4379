"""One render function per view. Each reads cached aggregates and figures and draws them."""
from __future__ import annotations

import functools
import html

import streamlit as st

from dashboard import aggregates as agg
from dashboard import loaders
from dashboard.filters import Selection
from dashboard.loaders import FilterKey
from dashboard.safe_text import MAX_VALUE_CHARS, plain_markdown
from dashboard.tables import Corpus
from dashboard.widgets import chart, chart_row, page_style, table


def cards(counts: dict[str, int]) -> None:
    """Counts as plain text cards (lighter than st.metric on the first render)."""
    cols = st.columns(4)
    for col, (label, key) in zip(cols, [("Articles", "articles"), ("Mentions", "mentions"),
                                        ("Quotes", "quotes"), ("Speakers", "speakers")]):
        with col.container(border=True, key=f"card_{key}"):
            # h3, not h2: "29,372" fits a quarter of an 800 px page on one line
            st.markdown(f"{label}\n### {counts[key]:,}")


def overview(c: Corpus, s: Selection, key: FilterKey) -> None:
    d = loaders.overview(c, c.token, key)
    f = loaders.overview_figures(c, c.token, key)
    cards(d["counts"])
    left, right = chart_row("ov1")
    with left:
        chart(f["entities"], "No entity is mentioned in this selection.", "ov_entities")
    with right:
        chart(f["topics"], "No paragraph in this selection carries a topic.", "ov_topics")
    left, right = chart_row("ov2")
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
    f = loaders.entities_figures(c, c.token, key)
    left, right = chart_row("ent1")
    with left:
        chart(f["counts"], "No entity is mentioned in this selection.", "ent_counts")
    with right:
        chart(f["share"], "No country-attributed mention in this selection.", "ent_share")
    chart(f["heatmap"], "No entity is mentioned in this selection, so there is nothing to pair.", "ent_heatmap")
    st.subheader("Mentions")
    table(s.mentions, "mentions", "mentions")
    st.subheader("Entities")
    table(s.entities, "entities", "entities")


def voices(c: Corpus, s: Selection, key: FilterKey) -> None:
    f = loaders.voices_figures(c, c.token, key)
    left, right = chart_row("vo1")
    with left:
        chart(f["quotes"], "No quote in this selection.", "vo_quotes")
    with right:
        chart(f["words"], "No quote in this selection.", "vo_words")
    left, right = chart_row("vo2")
    with left:
        chart(f["side_quotes"], "No quote in this selection.", "vo_side_quotes")
    with right:
        chart(f["side_words"], "No quote in this selection.", "vo_side_words")
    st.subheader("Quotes")
    table(s.quotes, "quotes", "quotes", display=loaders.quotes_table(c, c.token, key))
    st.subheader("Speakers")
    st.caption("Tallies per speaker across the whole corpus; the charts above count the selection.")
    table(s.speakers, "speakers", "speakers")


def keywords(c: Corpus, s: Selection, key: FilterKey) -> None:
    f = loaders.keywords_figures(c, c.token, key)
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
        rows, total = loaders.kwic(c, c.token, key, term)
        shown = plain_markdown(term)  # typed or from the URL: shown as written, never as Markdown
        if total:
            st.caption(f"{total:,} paragraphs hold “{shown}”; showing {len(rows):,} sentences.")
        table(rows, "kwic", "kwic", empty=f"No sentence in this selection holds “{shown}”.")


def topics(c: Corpus, s: Selection, key: FilterKey) -> None:
    d = loaders.topics_view(c, c.token, key)
    f = loaders.topics_figures(c, c.token, key)
    left, right = chart_row("tp1")
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
def reader_html(_corpus: Corpus, token: str, article_id: str) -> str:  # noqa: ARG001 - token: cache key
    """The article as HTML; every piece of article text goes through ``html.escape``."""
    c = _corpus
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
    st.html(reader_html(c, c.token, article_id))
    st.caption("Highlighted: entity mentions (yellow) and quotes (blue).")
    aid = int(c.articles.loc[c.articles["article_id"].astype(str) == article_id, "_aid"].iloc[0])
    for name in ("quotes", "mentions", "keywords", "sections", "paragraphs"):
        df = c.table(name)
        st.subheader(name.capitalize())
        table(df[df["_aid"].to_numpy() == aid], name, f"reader_{name}")


def _set_pair() -> None:
    """The pair picked in the view becomes the country-pair filter (so it is in the URL)."""
    st.session_state["f_dyad"] = [st.session_state["pair_dyad"]]


def _pair_label(pair: str, names: dict[str, str], counts: dict[str, int]) -> str:
    a, b = agg.pair_codes(pair)
    n = counts.get(pair, 0)
    return (f"{agg.country_name(a, names)} – {agg.country_name(b, names)} ({pair}) · "
            f"{n:,} article{'' if n == 1 else 's'}")


def pair(c: Corpus, s: Selection, key: FilterKey) -> None:
    """Two countries side by side: the pair of the country-pair filter, else the most covered one."""
    opts = loaders.options(c)
    chosen = dict(key).get("dyad", ())
    covered = loaders.pairs(c, c.token, key)
    if chosen:
        current = chosen[0]
    elif len(covered):
        current = str(covered["dyad"].iloc[0])
    else:
        st.info("No article in this selection." if len(s.articles) == 0 else
                "No article in this selection is about a pair of countries (their dyad is empty).")
        return
    names = loaders.country_names(c, c.token)
    counts = opts["dyad_articles"]
    choices = list(dict.fromkeys([*chosen, *sorted(counts, key=lambda p: (-counts[p], p))]))
    if current not in choices:
        choices.insert(0, current)
    st.session_state["pair_dyad"] = current
    st.selectbox("Country pair", choices, key="pair_dyad", on_change=_set_pair,
                 format_func=lambda p: _pair_label(p, names, counts),
                 help="The pair's articles (their dyad), side by side. Sets the country-pair filter.")
    if len(chosen) > 1:
        st.caption(f"The country-pair filter holds {len(chosen)} pairs; this view shows one at a time.")
    elif not chosen:
        st.caption("The most covered pair in this selection; pick another above.")
    pkey = loaders.with_pair(key, current)
    d = loaders.pair_view(c, c.token, pkey)
    f = loaders.pair_figures(c, c.token, pkey)
    na, nb = plain_markdown(d["name_a"]), plain_markdown(d["name_b"])
    if d["articles"] == 0:
        st.info(f"No article on {na} and {nb} in this selection.")
        return
    left, right = chart_row("pr1")
    with left:
        chart(f["mentions"], f"Neither {na} nor {nb} is mentioned in this selection.", "pr_mentions")
    with right:
        if d["dated_articles"]:
            chart(f["coverage"], "No dated article in this selection.", "pr_coverage")
        else:
            st.caption("Articles and mentions over time appear when articles have publication dates.")
    if d["dated_articles"]:
        chart(f["mentions_by_month"], "No dated article in this selection.", "pr_mentions_time")
    st.subheader("Who is quoted")
    left, right = chart_row("pr2")
    with left:
        chart(f["quotes"], "No quote in this selection.", "pr_quotes")
    with right:
        chart(f["words"], "No quote in this selection.", "pr_words")
    left, right = chart_row("pr3")
    with left:
        chart(f["speakers_a"], f"No speaker from {na} is quoted in this selection.", "pr_speakers_a")
    with right:
        chart(f["speakers_b"], f"No speaker from {nb} is quoted in this selection.", "pr_speakers_b")
    if len(d["speakers"]):
        table(d["speakers"], "speakers", "pair_speakers",
              export=(lambda: d["speakers"], f"speakers-{d['pair']}", f"Download speakers-{d['pair']}.csv"))
    chart(f["topics"], f"No quote by a speaker from {na} or {nb} is in a paragraph with a topic.", "pr_topics")
    left, right = chart_row("pr4")
    quoted_both = len(d["terms_a"]) + len(d["terms_b"]) > 0
    none = ("Distinctive words need quotes from both sides, each word at least twice on its side." if not quoted_both
            else "No word is distinctive enough on this side.")
    with left:
        chart(f["terms_a"], none, "pr_terms_a")
    with right:
        chart(f["terms_b"], none, "pr_terms_b")
    st.caption("Distinctive words: words and two-word phrases of one side's quotes, stopwords left out, ranked by "
               "weighted log-odds against the other side's quotes (seen at least twice on their side).")
    st.subheader("Quotes")
    sel = loaders.selection_of(c, pkey)
    name = f"quotes-{d['pair']}"
    table(sel.quotes, "quotes", "pair_quotes", display=d["quotes"],
          export=(lambda: loaders.pair_quotes_csv_frame(c, pkey), name, f"Download {name}.csv (with speaker_country)"))
    st.subheader("Articles")
    table(sel.articles, "articles", "pair_articles")


def _styled(render):
    @functools.wraps(render)
    def view(c: Corpus, s: Selection, key: FilterKey) -> None:
        page_style()  # chart rows wrap on narrow pages
        render(c, s, key)
    return view


RENDER = {"Overview": _styled(overview), "Country pair": _styled(pair), "Entities": _styled(entities),
          "Voices": _styled(voices), "Keywords": _styled(keywords), "Topics and sections": _styled(topics),
          "Reader": reader}

__all__ = ["RENDER", "reader_html"]
