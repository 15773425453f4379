"""Small Streamlit widget functions: sidebar filters mirrored in the URL, tables, charts."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from typing import Callable

from dashboard.export import csv_bytes, zip_bytes
from dashboard.figures import Summary
from dashboard.filters import DATE_KEYS, MULTI_KEYS, Filters, Selection, bounded_query
from dashboard.safe_text import plain_markdown
from dashboard.tables import TABLE_NAMES, pipeline_columns

VIEWS = ["Overview", "Country pair", "Entities", "Voices", "Keywords", "Topics and sections", "Reader"]
VIEW_PARAM = {"Overview": "overview", "Country pair": "pair", "Entities": "entities", "Voices": "voices",
              "Keywords": "keywords", "Topics and sections": "topics", "Reader": "reader"}
EXTRA_PARAMS = ("view", "q", "read")  # view selector, keyword-in-context term, reader article
from dashboard.loaders import MAX_ROWS  # noqa: E402
TYPABLE = ("entity", "article")  # long lists: only the top options are offered, any value can be typed

LABELS = {
    "entity": ("Entity", "Type a name; entities are grouped by type (countries, people, organisations, places). "
                         "Keeps the paragraphs that mention it, quotes by or mentioning it, and entities mentioned "
                         "with it."),
    "topic": ("Topic", "Keeps the paragraphs labelled with the topic."),
    "dyad": ("Country pair", "Articles whose main country pair is this (ISO alpha-3)."),
    "outlet": ("Outlet", None),
    "side": ("Speaker's country", "Keeps the quotes (and speakers) of speakers from this country."),
    "basis": ("Speaker's country known from", "Keeps the quotes whose speaker's country the article says "
                                              "(or the catalog knows), or only guessed from the article's "
                                              "setting (its places, its other speakers), or not known."),
    "category": ("Speaker category", "Keeps the quotes (and speakers) of this kind of speaker."),
    "article": ("Article", None),
}


def _dedupe(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _query_values() -> dict[str, list[str]]:
    """The query parameters the dashboard reads, overly long values cut (notes kept for the sidebar)."""
    qp = st.query_params
    query, cuts = bounded_query({k: qp.get_all(k) for k in (*MULTI_KEYS, *DATE_KEYS, *EXTRA_PARAMS)})
    st.session_state["_qp_cuts"] = cuts
    st.session_state["_qp_cuts_new"] = True
    return query


def init_state_from_query(opts: dict) -> None:
    """Seed the widgets from the query string, once per session."""
    ss = st.session_state
    if ss.get("_qp_done"):
        return
    query = _query_values()

    def first(key: str) -> str:
        return query[key][0] if query[key] else ""

    unknown: dict[str, list[str]] = {}
    for key in MULTI_KEYS:
        valid = opts[key]
        exact = set(valid)
        folded = {str(v).casefold(): v for v in valid}
        chosen, missing = [], []
        for v in _dedupe(query[key]):
            if v in exact:
                chosen.append(v)
            elif v.casefold() in folded:
                chosen.append(folded[v.casefold()])
            else:
                chosen.append(v)
                missing.append(v)
        ss[f"f_{key}"] = _dedupe(chosen)
        if missing:
            unknown[key] = missing
    ss["_qp_unknown"] = unknown

    rng = opts.get("date_range")
    if rng:
        lo, hi = rng
        start, end = lo, hi
        for name in DATE_KEYS:
            raw = first(name)
            if raw:
                try:
                    d = date.fromisoformat(raw[:10])
                except ValueError:
                    continue
                d = min(max(d, lo), hi)
                start, end = (d, end) if name == "from" else (start, d)
        ss["f_dates"] = (start, end)
    view = first("view")
    by_param = {v: k for k, v in VIEW_PARAM.items()}
    ss["view"] = by_param.get(view.lower(), "Overview") if view else "Overview"
    ss["kwic_term"] = first("q")
    if first("read"):
        ss["_read_from_url"] = first("read")
    ss["_qp_done"] = True


FILTER_ORDER = ("entity", "topic", "side", "basis", "dyad", "outlet", "category", "article")


def _multiselect(key: str, opts: dict, unknown: dict) -> tuple[str, ...] | None:
    ss = st.session_state
    label, help_ = LABELS[key]
    options = list(opts[key])
    extra = [v for v in ss.get(f"f_{key}", []) if v not in set(options)]
    options = extra + options
    if key == "entity":
        types = opts["entity_type"]
        fmt = lambda n, t=types: f"{n} · {t.get(n, 'not in these tables')}"  # noqa: E731
    elif key == "side":
        names = opts["country_name"]
        fmt = lambda c, nm=names: f"{nm[c]} ({c})" if c in nm else c  # noqa: E731
    elif key == "article":
        titles = opts["article_title"]
        fmt = lambda a, tt=titles: f"{tt.get(a) or a} [{a}]"  # noqa: E731
    else:
        fmt = str
    if not options and not ss.get(f"f_{key}"):
        return None
    chosen = st.multiselect(label, options, key=f"f_{key}", format_func=fmt, help=help_,
                            placeholder="All", accept_new_options=key in TYPABLE)
    for v in unknown.get(key, []):
        if v in chosen and key != "entity":  # unknown entities are reported by the filter itself
            st.warning(_no_such_value(key, v))
    return tuple(chosen)


def _active_summary(values: dict[str, tuple[str, ...]], dates: tuple[date | None, date | None]) -> str:
    """One markdown line per active filter ("**Entity:** Artem Loginov"), values as plain text."""
    lines = [f"**{LABELS[k][0]}:** " + ", ".join(plain_markdown(v) for v in vals)
             for k, vals in values.items() if vals]
    if any(dates):
        lines.append(f"**Published:** {dates[0] or '…'} to {dates[1] or '…'}")
    return "  \n".join(lines)


def sidebar(opts: dict) -> Filters:
    """Render the filters; return the active ``Filters``.

    Every filter sits in one "Filters" popover in the sidebar, whose label counts the filters
    set; the active ones are listed under it. The browser mounts the popover's widgets only when
    it is opened (their values persist), and three always-mounted multiselects cost about a
    tenth of the page's first render.
    """
    init_state_from_query(opts)
    ss = st.session_state
    unknown = ss.get("_qp_unknown", {})
    values: dict[str, tuple[str, ...]] = {}
    date_from = date_to = None
    with st.sidebar:
        st.header("Filters")
        n_set = sum(bool(ss.get(f"f_{k}")) for k in FILTER_ORDER) + bool(ss.get("_dates_set"))
        summary = st.container()
        with st.popover(f"Filters ({n_set} set)" if n_set else "Choose filters", width="stretch",
                        help="Entity, topic, speaker's country (and how it is known), country pair, outlet, speaker category, "
                             "article, publication dates. Combined with AND; shared in the URL."):
            for key in FILTER_ORDER:
                chosen = _multiselect(key, opts, unknown)
                if chosen is not None:
                    values[key] = chosen
            rng = opts.get("date_range")
            if rng:
                lo, hi = rng
                if "f_dates" not in ss:
                    ss["f_dates"] = (lo, hi)
                picked = st.date_input("Published between", min_value=lo, max_value=hi, key="f_dates",
                                       help="Only dated articles are kept once the range is narrowed.")
                picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
                if picked and picked[0] != lo:
                    date_from = picked[0]
                if len(picked) > 1 and picked[1] != hi:
                    date_to = picked[1]
                ss["_dates_set"] = bool(date_from or date_to)
        text = _active_summary(values, (date_from, date_to))
        summary.markdown(text if text else "No filter set: the whole corpus.")
    return Filters(**values, date_from=date_from, date_to=date_to)


def sync_query(f: Filters, view: str, extra: dict[str, str] | None = None) -> None:
    """Mirror the filters (and view) in the URL so it can be shared and reopened."""
    desired: dict[str, list[str]] = f.to_query()
    if view != "Overview":
        desired["view"] = [VIEW_PARAM[view]]
    for k, v in (extra or {}).items():
        if v:
            desired[k] = [v]
    qp = st.query_params
    current = {k: qp.get_all(k) for k in qp.keys()}
    if current != desired:
        qp.from_dict(desired)


def view_selector() -> str:
    if st.session_state.get("view") not in VIEWS:
        st.session_state["view"] = "Overview"
    return st.radio("View", VIEWS, key="view", horizontal=True, label_visibility="collapsed")


# Chart rows: side by side when each chart gets at least MIN_CHART_WIDTH, else one chart per row
# (a 230 px chart beside another cannot hold its labels). Streamlit's columns do not wrap by
# themselves; this rule (scoped to the rows made by ``chart_row``) lets them.
MIN_CHART_WIDTH = "23rem"
PAGE_STYLE = ("<style>"
          "div[class*='st-key-dyadrow'] div[data-testid='stHorizontalBlock']{flex-wrap:wrap;row-gap:1rem}"
          f"div[class*='st-key-dyadrow'] div[data-testid='stColumn']{{min-width:min(100%,{MIN_CHART_WIDTH})}}"
          "</style>")


def page_style() -> None:
    """The dashboard's few CSS rules (an invisible element; Markdown, whose code the page has loaded
    already, rather than ``st.html``, which would load its own on the first page)."""
    st.markdown(PAGE_STYLE, unsafe_allow_html=True)


def chart_row(key: str, n: int = 2) -> list:
    """``n`` columns for charts that wrap onto rows of their own when the page is narrow."""
    return st.container(key=f"dyadrow_{key}").columns(n, gap="medium")


def chart(fig, empty: str, key: str) -> None:
    """A plotly chart; a sentence with its numbers when a chart would carry no information
    (``figures.Summary``); or ``empty`` when the selection has nothing to draw.

    ``empty`` is Markdown: text from the URL or the articles in it goes through ``plain_markdown``.
    A ``Summary`` holds text from the articles: it is shown through ``plain_markdown``.
    """
    if fig is None:
        st.info(empty)
        return
    if isinstance(fig, Summary):
        with st.container(border=True, key=f"sum_{key}"):
            st.markdown(f"**{plain_markdown(fig.title)}** · {plain_markdown(fig.subtitle)}  \n"
                        f"{plain_markdown(fig.text)}")
        return
    # No mode bar, and plotly's own theme instead of Streamlit's (which is merged into every
    # figure in the browser): hover still shows counts, and each chart draws less on first render.
    st.plotly_chart(fig, key=key, config={"displayModeBar": False}, width="stretch", theme=None)


# Shown first in a pipeline table (what a reader scans), and not shown (file details): the download keeps
# every column in the pipeline's order.
DISPLAY_FIRST = {"articles": ["title", "published", "dyad", "outlet", "n_words"],
                 "paragraphs": ["text", "topics"], "sections": ["heading", "topics"]}
DISPLAY_HIDDEN = {"articles": ["source_path", "content_hash"]}


def _display(df: pd.DataFrame, table_name: str | None = None) -> pd.DataFrame:
    """The columns shown: a pipeline table's own columns, the readable ones first (DISPLAY_FIRST), file
    details left out (DISPLAY_HIDDEN); else all but ``_`` ones."""
    if table_name in TABLE_NAMES and all(c in df.columns for c in pipeline_columns(table_name)):
        cols = pipeline_columns(table_name)
        first = [c for c in DISPLAY_FIRST.get(table_name, []) if c in cols]
        hidden = set(DISPLAY_HIDDEN.get(table_name, []))
        return df[first + [c for c in cols if c not in first and c not in hidden]]
    return df[[c for c in df.columns if not str(c).startswith("_")]]


def download(df: pd.DataFrame, table: str, key: str) -> None:
    st.download_button(f"Download {table}.csv", data=lambda: csv_bytes(df, table if table in TABLE_NAMES else None),
                       file_name=f"{table}.csv", mime="text/csv", key=f"dl_{key}", on_click="ignore",
                       icon=":material/download:")


def download_frame(make: Callable[[], pd.DataFrame], name: str, key: str, label: str | None = None) -> None:
    """A CSV download of the frame ``make()`` returns (every column but ``_`` ones), made when clicked."""
    st.download_button(label or f"Download {name}.csv", data=lambda: csv_bytes(make()), file_name=f"{name}.csv",
                       mime="text/csv", key=f"dl_{key}", on_click="ignore", icon=":material/download:")


def table(df: pd.DataFrame, table_name: str, key: str, *, display: pd.DataFrame | None = None,
          empty: str | None = None,
          export: tuple[Callable[[], pd.DataFrame], str, str] | None = None) -> None:
    """A table (first rows shown) with a download button giving exactly the filtered rows.

    ``empty`` is Markdown: text from the URL or the articles in it goes through ``plain_markdown``.
    ``export`` = (make, file name, label) replaces the download with ``make()``'s frame (made when clicked).
    """
    n = len(df)
    if n == 0:
        st.info(empty or f"No {table_name} in this selection.")
    else:
        shown = _display(display, None) if display is not None else _display(df, table_name)
        with st.container(key=f"tbl_{key}"):
            st.dataframe(shown.head(MAX_ROWS), hide_index=True)
        if n > MAX_ROWS:
            st.caption(f"Showing the first {MAX_ROWS:,} of {n:,} rows; the download holds all {n:,}.")
    if export is not None:
        make, name, label = export
        download_frame(make, name, key, label)
    else:
        download(df, table_name, key)


def _no_such_value(key: str, value: str) -> str:
    """The warning for a filter value that matches nothing; the value (from the URL) as plain text."""
    return f"No {LABELS[key][0].lower()} “{plain_markdown(value)}” in these tables, so nothing matches it."


def unknown_values(sel: Selection) -> None:
    for key, values in sel.unknown.items():
        for v in values:
            st.warning(_no_such_value(key, v))


def _cut_in_use(key: str, kept: str) -> bool:
    """Whether a value cut from the URL is still what a widget holds (its note stays until then)."""
    ss = st.session_state
    if key in MULTI_KEYS:
        return kept in ss.get(f"f_{key}", [])
    if key == "q":
        return ss.get("kwic_term", "") == kept
    return False


def query_notes() -> None:
    """Say which URL values were cut: on the first page, then for as long as the cut value is in use."""
    ss = st.session_state
    cuts = ss.get("_qp_cuts", [])
    if not ss.pop("_qp_cuts_new", False):
        cuts = ss["_qp_cuts"] = [c for c in cuts if _cut_in_use(c.key, c.kept)]
    for cut in cuts:
        st.warning(plain_markdown(cut.note), icon=":material/content_cut:")


def zip_button(sel: Selection) -> None:
    tables = {t: sel.table(t) for t in TABLE_NAMES}
    st.download_button("Download all filtered tables (ZIP)", data=lambda: zip_bytes(tables),
                       file_name="dyad-tables.zip", mime="application/zip", key="dl_zip", on_click="ignore",
                       icon=":material/folder_zip:")


__all__ = ["VIEWS", "chart", "chart_row", "download", "download_frame", "page_style", "sidebar", "sync_query", "table",
           "view_selector", "zip_button"]
