"""Dyad dashboard: how news covers relations between two countries.

Run: streamlit run streamlit_app.py  (http://127.0.0.1:8501). This file only wires the
``dashboard`` package together.
"""
from __future__ import annotations

import logging

import streamlit as st

from dashboard import loaders, startup, upload, views, widgets
from dashboard.safe_text import plain_markdown
from dashboard.tables import TablesError

st.set_page_config(page_title="Dyad", page_icon=":material/public:", layout="wide")


def main() -> None:
    inputs, tables = startup.corpus_paths()
    caption = st.sidebar.empty()   # the sidebar's first line, filled once the article count is known
    out = startup.ensure_tables()
    if out is None:
        _sidebar_without_tables(caption, inputs, tables)
        return
    try:
        corpus = loaders.corpus(out)
    except TablesError as exc:
        startup.unreadable_page(str(exc))
        _sidebar_without_tables(caption, inputs, tables)
        return
    if corpus.is_empty:
        startup.empty_page(inputs)
        _sidebar_without_tables(caption, inputs, tables)
        return
    with caption.container():
        upload.show_corpus_caption(inputs, len(corpus.articles))
    opts = loaders.options(corpus)
    filters = widgets.sidebar(opts)
    key = loaders.filter_key(filters)
    sel = loaders.selection(corpus, filters)
    with st.sidebar:
        widgets.query_notes()
        widgets.unknown_values(sel)
        st.divider()
        widgets.zip_button(sel)
        upload.add_articles(inputs, out)
    st.title("Dyad")
    view = widgets.view_selector()
    try:
        views.RENDER[view](corpus, sel, key)
    except Exception as exc:  # noqa: BLE001 - the user sees a sentence, the log keeps the traceback
        logging.getLogger("dyad.dashboard").exception("rendering %s failed", view)
        st.error(f"The {view} view could not be drawn ({plain_markdown(type(exc).__name__)}). "
                 "The server log has the details.")
    extra = {}
    if view == "Keywords":
        extra["q"] = st.session_state.get("kwic_term", "").strip()
    if view == "Reader":
        extra["read"] = st.session_state.get("reader_article", "")
    widgets.sync_query(filters, view, extra)


def _sidebar_without_tables(caption, inputs, tables) -> None:
    """The sidebar of a page with no tables to show: where the articles are read from, and the
    uploader, so the first articles can be added from the page."""
    with caption.container():
        upload.show_corpus_caption(inputs, None)
    with st.sidebar:
        upload.add_articles(inputs, tables)


main()
