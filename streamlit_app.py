"""Dyad dashboard: how news covers relations between two countries.

Run: streamlit run streamlit_app.py  (http://127.0.0.1:8501). This file only wires the
``dashboard`` package together.
"""
from __future__ import annotations

import logging

import streamlit as st

from dashboard import loaders, startup, views, widgets
from dashboard.safe_text import plain_markdown
from dashboard.tables import TablesError

st.set_page_config(page_title="Dyad", page_icon=":material/public:", layout="wide")


def main() -> None:
    out = startup.ensure_tables()
    if out is None:
        return
    try:
        corpus = loaders.corpus(out)
    except TablesError as exc:
        startup.unreadable_page(str(exc))
        return
    if corpus.is_empty:
        startup.empty_page(startup.paths()[0])
        return
    opts = loaders.options(corpus.token)
    filters = widgets.sidebar(opts)
    key = loaders.filter_key(filters)
    sel = loaders.selection(corpus, filters)
    with st.sidebar:
        widgets.query_notes()
        widgets.unknown_values(sel)
        st.divider()
        widgets.zip_button(sel)
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


main()
