"""Plotly figure builders (no Streamlit).

A builder returns a ``go.Figure``; a ``Summary`` (the chart's numbers in one sentence) when a chart
would carry no information; or None when there is nothing to draw. The rule (``informative`` in
aggregates.py): a chart needs at least two marks (bars, bar segments, cells, points) that are not
all of the same size. One article's ten keywords, each in one article, are a sentence, not ten
equal bars.

Every figure is labelled (title, the number of articles behind it as subtitle, axis titles), shows
counts on hover and keeps its text inside its box: axes and the title push the margins
(``automargin``), legends sit below the plot, horizontally, in the figure's own bottom margin;
labels longer than ``MAX_LABEL`` characters are shortened with "…" (the full text is on hover).
Horizontal bars put the largest on top. Colours come from ``palette``: one per country (by ISO
code), speaker category, entity type and topic, the same on every chart.

Plotly renders HTML tags and entities in labels, ticks, legends and hover text, and the frames
drawn here hold text from articles (titles, names, outlets, keywords, topics). Every builder is
declared with ``@builder``, which escapes every text cell, index and column label of the frames
it is given, and every text argument (``safe_text.plain_label``), before the builder sees them;
hover templates refer to text as ``%{customdata[i]}`` (the full label: an axis shows shortened tick
labels, and plotly's ``%{x}``/``%{y}`` of a category would be the shortened one) or
``%{fullData.name}`` instead of pasting it into the template. The ``Summary`` of an uninformative
chart is made from the frames as given (unescaped): Streamlit shows it through
``safe_text.plain_markdown``.
"""
from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import Callable, Union

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import palette
from dashboard.aggregates import TYPE_ORDER, informative, summary_sentence
from dashboard.safe_text import plain_label

MAX_LABEL = 28  # characters of a tick label or legend entry (longer ones end in "…")
BAR = 24  # pixels per horizontal bar
BASE_HEIGHT = 380


@dataclass(frozen=True)
class Summary:
    """What an uninformative chart would have shown, as plain text (Markdown-escaped when shown)."""

    title: str
    subtitle: str
    text: str


Chart = Union[go.Figure, Summary, None]
BUILDERS: list = []  # every figure builder, each escaping the text it is given (see ``builder``)


def _plain_index(index: pd.Index) -> pd.Index:
    if index.dtype.kind in "iufcbmM":  # numbers and dates carry no markup
        return index
    return pd.Index([plain_label(v) if isinstance(v, str) else v for v in index], name=index.name)


def plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, index and column labels are escaped for plotly."""
    out = df.copy()
    for i in range(out.shape[1]):  # by position: two entities may share a name (heatmap columns)
        s = out.iloc[:, i]
        if s.dtype.kind not in "iufcbmM":  # numbers and dates carry no markup
            out.isetitem(i, s.astype(object).map(lambda v: plain_label(v) if isinstance(v, str) else v))
    out.columns = _plain_index(out.columns)
    out.index = _plain_index(out.index)
    return out


def _plain(value):
    if isinstance(value, pd.DataFrame):
        return plain_frame(value)
    if isinstance(value, str):
        return plain_label(value)
    return value


def _articles(n: int) -> str:
    return f"{n:,} article" if n == 1 else f"{n:,} articles"


def builder(*, title: str, summary: Callable[[pd.DataFrame], str | None] | None = None,
            marks: Callable[[pd.DataFrame], object] | None = None):
    """Declare a figure builder ``fn(frame, n_articles, ..., title=TITLE)``.

    * an empty frame gives None;
    * when ``marks(frame)`` (the sizes of the bars/cells/points the chart would draw) is not
      ``informative``, the result is ``Summary(title, "N articles", summary(frame))``, made from
      the frame as given;
    * otherwise ``fn`` gets the frame, every other frame and every text argument escaped for
      plotly, and draws.

    Text from articles reaches a builder only through its arguments, so every one is escaped.
    """
    def wrap(fn):
        @functools.wraps(fn)
        def build(frame: pd.DataFrame, n_articles: int, *args, **kwargs):
            if frame is None or len(frame) == 0:
                return None
            shown = kwargs.get("title") or title
            if marks is not None and not informative(marks(frame)):
                text = summary(frame) if summary is not None else None
                return Summary(shown, _articles(n_articles), text) if text else None
            kwargs["title"] = shown
            return fn(_plain(frame), n_articles, *[_plain(a) for a in args],
                      **{k: _plain(v) for k, v in kwargs.items()})

        BUILDERS.append(build)
        return build
    return wrap


# --------------------------------------------------------------------------- layout helpers

def short(label: str, limit: int = MAX_LABEL) -> str:
    """An escaped label cut to ``limit`` visible characters with "…" (entities are never split)."""
    text = html.unescape(str(label))
    if len(text) <= limit:
        return str(label)
    return plain_label(text[: limit - 1].rstrip() + "…")


def _shorts(labels) -> list[str]:
    return [short(x) for x in labels]


def _merge(into: dict, new: dict) -> dict:
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v
    return into


class _Fig:
    """Collects traces and layout as plain dicts; ``figure()`` builds the ``go.Figure`` once.

    Each ``go.Figure.update_layout`` call validates and re-walks the figure (tens of ms for a
    figure built in steps); one constructor call validates everything once.
    """

    def __init__(self, *traces: dict) -> None:
        self.data: list[dict] = list(traces)
        self.layout: dict = {}

    def add_bar(self, **trace) -> None:
        self.data.append({"type": "bar", **trace})

    def add_scatter(self, **trace) -> None:
        self.data.append({"type": "scatter", **trace})

    def update_layout(self, **layout) -> None:
        _merge(self.layout, layout)

    def update_xaxes(self, **axis) -> None:
        _merge(self.layout, {"xaxis": axis})

    def update_yaxes(self, **axis) -> None:
        _merge(self.layout, {"yaxis": axis})

    def figure(self) -> go.Figure:
        return go.Figure(data=self.data, layout=self.layout)


def _legend_rows(names, width: int = 300) -> int:
    """Rows a horizontal legend of ``names`` takes (plotly lays its entries out in columns as wide as
    the widest entry, within the plot's width, about ``width`` px in a half-width chart)."""
    if not names:
        return 0
    entry = 46 + 7 * max(len(html.unescape(n)) for n in names)
    per_row = max(1, width // entry)
    return -(-len(names) // per_row)


def _layout(fig: _Fig, title: str, n_articles: int, *, x_title: str = "", y_title: str = "",
            legend_title: str | None = None, legend_names=(), height: int = BASE_HEIGHT) -> go.Figure:
    rows = _legend_rows(list(legend_names)) if legend_title is not None else 0
    own, fig.layout = fig.layout, {}
    fig.update_layout(
        title=dict(text=title, subtitle=dict(text=_articles(n_articles)), x=0, xref="container", xanchor="left",
                   yref="container", y=1, yanchor="top", pad=dict(t=10, l=10), automargin=True),
        xaxis=dict(title=dict(text=x_title, standoff=8), automargin=True),
        yaxis=dict(title=dict(text=y_title, standoff=8), automargin=True),
        margin=dict(l=10, r=20, t=10, b=10, autoexpand=True),
        height=height + 20 * rows + (28 if rows else 0),
        hoverlabel=dict(namelength=-1), showlegend=legend_title is not None,
        plot_bgcolor="white", paper_bgcolor="white",
    )
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#cccccc")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#cccccc")
    if legend_title is not None:
        fig.update_layout(legend=dict(
            orientation="h", x=0, xref="paper", xanchor="left", y=0, yref="container", yanchor="bottom",
            title=dict(text=legend_title, side="top"), traceorder="normal", itemclick=False,
            itemdoubleclick=False))
    fig.update_layout(**own)  # the builder's own settings (axes, bar mode) over these defaults
    return fig.figure()


def _counts_axis(fig: _Fig, values, axis: str) -> None:
    """Whole-number ticks on an axis of counts (no "0.5 articles")."""
    top = max([float(v) for v in values] + [0.0])
    small = {"dtick": 1} if top <= 6 else {}
    fig.update_layout(**{f"{axis}axis": dict(rangemode="tozero", tickformat=",d", **small)})


def _bars_height(n_bars: int) -> int:
    return max(300, BAR * n_bars + 170)


def _category_axis(fig: _Fig, cats: list[str], *, axis: str = "y") -> None:
    """Categories in drawing order with shortened tick labels; on y, the first one on top."""
    order = list(reversed(cats)) if axis == "y" else list(cats)
    fig.update_layout(**{f"{axis}axis": dict(categoryorder="array", categoryarray=order, tickmode="array",
                                             tickvals=order, ticktext=_shorts(order), type="category",
                                             showgrid=False, ticklabelstandoff=4)})


def _ranked(frame: pd.DataFrame, label: str, value: str) -> list[str]:
    """Labels by their total ``value``, largest first (ties: alphabetical)."""
    totals = frame.groupby(label, sort=False)[value].sum()
    return sorted(totals.index, key=lambda k: (-totals[k], str(k)))


def _rows_summary(label: str | tuple[str, ...], value: str, unit: str) -> Callable[[pd.DataFrame], str]:
    def summary(df: pd.DataFrame) -> str:
        labels = df[label] if isinstance(label, str) else df[list(label)].astype(str).agg(" · ".join, axis=1)
        return summary_sentence(labels.tolist(), df[value].tolist(), unit)
    return summary


def _stacked(bar: str, value: str) -> Callable[[pd.DataFrame], object]:
    """The marks of a stacked bar chart: the bars' lengths when there are two bars or more, else the
    segments of the one bar."""
    def marks(df: pd.DataFrame):
        totals = df.groupby(bar, sort=False)[value].sum()
        return totals if len(totals) > 1 else df[value]
    return marks


def _categories(values) -> list[str]:
    """Speaker categories present, in the palette's order, then any others alphabetically."""
    present = set(values)
    return [c for c in palette.CATEGORY if c in present] + sorted(present - set(palette.CATEGORY))


def _name(df: pd.DataFrame, column: str) -> pd.Series:
    """The ``COLUMN_name`` column when the loaders added one (a country's name), else the column."""
    return df[f"{column}_name"] if f"{column}_name" in df.columns else df[column]


# --------------------------------------------------------------------------- builders

@builder(title="Most mentioned entities", marks=lambda d: d["mentions"],
         summary=_rows_summary("name", "mentions", "mention"))
def top_entities(ec: pd.DataFrame, n_articles: int, title: str = "Most mentioned entities") -> Chart:
    cats = list(ec["name"])
    fig = _Fig()
    types = [t for t in TYPE_ORDER if t in set(ec["type"])] + sorted(set(ec["type"]) - set(TYPE_ORDER))
    for typ in types:
        part = ec[ec["type"] == typ]
        fig.add_bar(x=part["mentions"], y=part["name"], orientation="h", name=short(typ),
                    marker_color=palette.colour(typ), customdata=part[["name", "articles", "type"]].to_numpy(),
                    hovertemplate="%{customdata[0]}: %{x} mentions in %{customdata[1]} articles"
                                  "<extra>%{customdata[2]}</extra>")
    _category_axis(fig, cats)
    _counts_axis(fig, ec["mentions"], "x")
    fig.update_layout(barmode="stack")
    return _layout(fig, title, n_articles, x_title="Mentions", y_title="Entity", legend_title="Entity type",
                   legend_names=[short(t) for t in types], height=_bars_height(len(cats)))


@builder(title="Each country's share of mentions", marks=lambda d: d["mentions"],
         summary=lambda d: summary_sentence(_name(d, "country").tolist(), d["mentions"].tolist(), "mention"))
def country_share(cs: pd.DataFrame, n_articles: int, title: str = "Each country's share of mentions",
                  top: int = 15) -> Chart:
    d = cs.head(top)
    names = list(_name(d, "country"))
    pct = [f"{s:.0%}" if s >= 0.005 else "<1%" for s in d["share"]]
    fig = _Fig(dict(
        type="bar",
        x=d["mentions"], y=names, orientation="h", marker_color=[palette.country(c) for c in d["country"]],
        text=pct, textposition="outside", cliponaxis=False, customdata=np.column_stack([names, d["country"], pct]),
        hovertemplate="%{customdata[0]} (%{customdata[1]}): %{x} mentions, %{customdata[2]} of those with a country"
                      "<extra></extra>"))
    _category_axis(fig, names)
    _counts_axis(fig, d["mentions"], "x")
    fig.update_xaxes(range=[0, float(d["mentions"].max()) * 1.18])
    return _layout(fig, title, n_articles, x_title="Mentions (an entity counts for its country)", y_title="Country",
                   height=_bars_height(len(names)))


def _heatmap_marks(mat: pd.DataFrame):
    if mat.shape[0] < 2:
        return [0]
    a = mat.to_numpy()
    return a[np.triu_indices(len(a))]


def _heatmap_summary(mat: pd.DataFrame) -> str:
    names = [str(x) for x in mat.index]
    a = mat.to_numpy()
    pairs = [(f"{names[i]} + {names[j]}", int(a[i, j])) for i in range(len(names)) for j in range(i + 1, len(names))
             if a[i, j] > 0]
    if not pairs:
        if len(names) == 1:
            return f"Only {names[0]} is mentioned ({int(a[0, 0]):,} paragraphs); there is nothing to pair."
        return "No two of the most mentioned entities share a paragraph."
    pairs.sort(key=lambda p: -p[1])
    return summary_sentence([p[0] for p in pairs], [p[1] for p in pairs], "paragraph")


@builder(title="Entities mentioned in the same paragraph", marks=_heatmap_marks, summary=_heatmap_summary)
def co_mention_heatmap(mat: pd.DataFrame, n_articles: int,
                       title: str = "Entities mentioned in the same paragraph") -> Chart:
    labels = list(mat.columns)
    n = len(labels)
    z = mat.to_numpy()
    off = z[~np.eye(n, dtype=bool)]
    top = max(int(off.max()) if off.size else 1, 1)  # the diagonal (each entity's own paragraphs) saturates
    text = np.where(z > 0, z.astype(str), "")
    cell = 34 if n <= 10 else 28
    fig = _Fig(dict(
        type="heatmap",
        z=z, x=labels, y=list(mat.index), colorscale="Blues", zmin=0, zmax=top, showscale=False, xgap=1, ygap=1,
        text=text, texttemplate="%{text}", textfont=dict(size=11),
        customdata=np.dstack(np.meshgrid(labels, list(mat.index))).astype(object),
        hovertemplate="%{customdata[1]} + %{customdata[0]}: %{z} paragraphs<extra></extra>"))
    ticks = dict(tickmode="array", tickvals=labels, ticktext=_shorts(labels), automargin=True)
    fig.update_layout(xaxis=dict(**ticks, tickangle=-45, side="bottom", showgrid=False),
                      yaxis=dict(**ticks, autorange="reversed", showgrid=False))
    return _layout(fig, title, n_articles, height=max(BASE_HEIGHT, cell * n + 260))


@builder(title="Topic mix", marks=lambda d: d["paragraphs"], summary=_rows_summary("topic", "paragraphs", "paragraph"))
def topic_mix(tm: pd.DataFrame, n_articles: int, title: str = "Topic mix") -> Chart:
    cats = list(tm["topic"])
    fig = _Fig(dict(
        type="bar",
        x=tm["paragraphs"], y=tm["topic"], orientation="h", marker_color=[palette.colour(t) for t in tm["topic"]],
        customdata=tm[["topic", "articles"]].to_numpy(),
        hovertemplate="%{customdata[0]}: %{x} paragraphs in %{customdata[1]} articles<extra></extra>"))
    _category_axis(fig, cats)
    _counts_axis(fig, tm["paragraphs"], "x")
    return _layout(fig, title, n_articles, x_title="Paragraphs", y_title="Topic", height=_bars_height(len(cats)))


def _value_label(value: str) -> str:
    return "words quoted" if value == "words" else "quotes"


def _side_summary(value: str):
    unit = "word" if value == "words" else "quote"
    return lambda d: summary_sentence((_name(d, "side") + " · " + d["category"]).tolist(), d[value].tolist(), unit)


def _by_side(qs: pd.DataFrame, n_articles: int, value: str, title: str, top: int = 15) -> go.Figure:
    d = qs.assign(side_label=_name(qs, "side"))
    cats = _ranked(d, "side_label", value)[:top]
    d = d[d["side_label"].isin(cats)]
    fig = _Fig()
    cats_in = _categories(d["category"])
    for cat in cats_in:
        part = d[d["category"] == cat]
        fig.add_bar(x=part[value], y=part["side_label"], orientation="h", name=short(cat),
                    marker_color=palette.colour(cat),
                    customdata=part[["side_label", "articles", "category"]].to_numpy(),
                    hovertemplate="%{customdata[0]}, %{customdata[2]}: %{x} " + _value_label(value)
                                  + " in %{customdata[1]} articles<extra></extra>")
    _category_axis(fig, cats)
    _counts_axis(fig, d.groupby("side_label")[value].sum(), "x")
    fig.update_layout(barmode="stack")
    return _layout(fig, title, n_articles, x_title=_value_label(value).capitalize(), y_title="Speaker's country",
                   legend_title="Speaker category", legend_names=[short(c) for c in cats_in],
                   height=_bars_height(len(cats)))


@builder(title="Quotes by speaker's country", marks=_stacked("side", "quotes"), summary=_side_summary("quotes"))
def quotes_by_side(qs: pd.DataFrame, n_articles: int, title: str = "Quotes by speaker's country") -> Chart:
    return _by_side(qs, n_articles, "quotes", title)


@builder(title="Words quoted by speaker's country", marks=_stacked("side", "words"), summary=_side_summary("words"))
def words_by_side(qs: pd.DataFrame, n_articles: int, title: str = "Words quoted by speaker's country") -> Chart:
    return _by_side(qs, n_articles, "words", title)


def _speaker_marks(value: str, top: int = 15):
    return lambda d: d.sort_values([value, "speaker"], ascending=[False, True]).head(top)[value]


def _speaker_summary(value: str, top: int = 15):
    unit = "word" if value == "words" else "quote"

    def summary(d: pd.DataFrame) -> str:
        d = d.sort_values([value, "speaker"], ascending=[False, True]).head(top)
        return summary_sentence(d["speaker"].tolist(), d[value].tolist(), unit)
    return summary


def _top_speakers(st_: pd.DataFrame, n_articles: int, value: str, title: str, top: int = 15) -> go.Figure:
    d = st_.sort_values([value, "speaker"], ascending=[False, True]).head(top)
    d = d.assign(side_label=_name(d, "side"))
    fig = _Fig()
    sides = _ranked(d, "side", value)
    label = _value_label(value)
    for side in sides:
        part = d[d["side"] == side]
        name = short(part["side_label"].iloc[0])
        fig.add_bar(x=part[value], y=part["speaker"], orientation="h", name=name, marker_color=palette.country(side),
                    customdata=part[["speaker", "articles", "category", "side_label"]].to_numpy(),
                    hovertemplate="%{customdata[0]} (%{customdata[2]}): %{x} " + label
                                  + " in %{customdata[1]} articles<extra>%{customdata[3]}</extra>")
    _category_axis(fig, list(d["speaker"]))
    _counts_axis(fig, d[value], "x")
    fig.update_layout(barmode="stack")
    return _layout(fig, title, n_articles, x_title=label.capitalize(), y_title="Speaker",
                   legend_title="Speaker's country",
                   legend_names=[short(x) for x in d.drop_duplicates("side")["side_label"]],
                   height=_bars_height(len(d)))


@builder(title="Top speakers by quotes", marks=_speaker_marks("quotes"), summary=_speaker_summary("quotes"))
def top_speakers_by_quotes(st_: pd.DataFrame, n_articles: int, title: str = "Top speakers by quotes") -> Chart:
    return _top_speakers(st_, n_articles, "quotes", title)


@builder(title="Top speakers by words quoted", marks=_speaker_marks("words"), summary=_speaker_summary("words"))
def top_speakers_by_words(st_: pd.DataFrame, n_articles: int, title: str = "Top speakers by words quoted") -> Chart:
    return _top_speakers(st_, n_articles, "words", title)


def _month(ts) -> str:
    return pd.Timestamp(ts).strftime("%b %Y")


@builder(title="Coverage over time (dated articles)", marks=lambda d: d["articles"],
         summary=lambda d: summary_sentence([_month(m) for m in d["month"]], d["articles"].tolist(), "article"))
def coverage(cov: pd.DataFrame, n_articles: int, title: str = "Coverage over time (dated articles)") -> Chart:
    fig = _Fig(dict(type="bar", x=cov["month"], y=cov["articles"], marker_color="#5b6c8f",
                           hovertemplate="%{x|%b %Y}: %{y} articles<extra></extra>"))
    fig.update_xaxes(tickformat="%b %Y", ticklabelmode="period", showgrid=False)
    _counts_axis(fig, cov["articles"], "y")
    return _layout(fig, title, n_articles, x_title="Month", y_title="Articles")


@builder(title="Topic mix per article", marks=lambda d: d["paragraphs"] if d["title"].nunique() > 1 else [0],
         summary=_rows_summary(("title", "topic"), "paragraphs", "paragraph"))
def topic_per_article(tpa: pd.DataFrame, n_articles: int, title: str = "Topic mix per article") -> Chart:
    d = tpa.assign(key=tpa["article_id"])
    order = _ranked(d, "key", "paragraphs")
    titles = dict(zip(d["key"], d["title"]))
    fig = _Fig()
    topics = _ranked(d, "topic", "paragraphs")
    for topic in topics:
        part = d[d["topic"] == topic]
        fig.add_bar(x=part["paragraphs"], y=part["key"], orientation="h", name=short(topic),
                    marker_color=palette.colour(topic), customdata=part[["title", "topic"]].to_numpy(),
                    hovertemplate="%{customdata[0]}: %{x} paragraphs on %{customdata[1]}<extra></extra>")
    _counts_axis(fig, d.groupby("key")["paragraphs"].sum(), "x")
    rev = list(reversed(order))
    fig.update_layout(barmode="stack", yaxis=dict(categoryorder="array", categoryarray=rev, tickmode="array",
                                                  tickvals=rev, ticktext=[short(titles[k]) for k in rev],
                                                  type="category"))
    return _layout(fig, title, n_articles, x_title="Paragraphs", y_title="Article", legend_title="Topic",
                   legend_names=[short(t) for t in topics], height=_bars_height(len(order)))


@builder(title="Most frequent article keywords", marks=lambda d: d["articles"],
         summary=_rows_summary("keyword", "articles", "article"))
def keyword_bars(kc: pd.DataFrame, n_articles: int, title: str = "Most frequent article keywords") -> Chart:
    cats = list(kc["keyword"])
    fig = _Fig(dict(type="bar", x=kc["articles"], y=kc["keyword"], orientation="h", marker_color="#8c6bb1",
                           customdata=kc[["keyword"]].to_numpy(),
                           hovertemplate="%{customdata[0]}: keyword of %{x} articles<extra></extra>"))
    _category_axis(fig, cats)
    _counts_axis(fig, kc["articles"], "x")
    return _layout(fig, title, n_articles, x_title="Articles", y_title="Keyword", height=_bars_height(len(cats)))


# --------------------------------------------------------------------------- the pair view

def _group_summary(value: str):
    unit = "word" if value == "words" else "quote"
    return lambda d: summary_sentence(_name(d, "group").tolist(), d[value].tolist(), unit)


def _pair_groups(pg: pd.DataFrame, n_articles: int, value: str, title: str) -> go.Figure:
    names = list(_name(pg, "group"))
    label = _value_label(value)
    fig = _Fig(dict(
        type="bar",
        x=names, y=pg[value], marker_color=[palette.country(g) for g in pg["group"]],
        customdata=np.column_stack([names, pg["articles"]]), text=pg[value], texttemplate="%{text:,}",
        textposition="outside", cliponaxis=False,
        hovertemplate="%{customdata[0]}: %{y} " + label + " in %{customdata[1]} articles<extra></extra>"))
    _category_axis(fig, names, axis="x")
    _counts_axis(fig, pg[value], "y")
    fig.update_yaxes(range=[0, float(pg[value].max()) * 1.15])
    return _layout(fig, title, n_articles, x_title="Speaker's country", y_title=label.capitalize())


@builder(title="Quotes by speaker's country", marks=lambda d: d["quotes"], summary=_group_summary("quotes"))
def pair_quotes(pg: pd.DataFrame, n_articles: int, title: str = "Quotes by speaker's country") -> Chart:
    return _pair_groups(pg, n_articles, "quotes", title)


@builder(title="Words quoted by speaker's country", marks=lambda d: d["words"], summary=_group_summary("words"))
def pair_words(pg: pd.DataFrame, n_articles: int, title: str = "Words quoted by speaker's country") -> Chart:
    return _pair_groups(pg, n_articles, "words", title)


@builder(title="Mentions of each country", marks=lambda d: d["mentions"],
         summary=lambda d: summary_sentence(_name(d, "country").tolist(), d["mentions"].tolist(), "mention"))
def pair_mentions(cm: pd.DataFrame, n_articles: int, title: str = "Mentions of each country") -> Chart:
    names = list(_name(cm, "country"))
    fig = _Fig(dict(
        type="bar",
        x=names, y=cm["mentions"], marker_color=[palette.country(c) for c in cm["country"]], text=cm["mentions"],
        texttemplate="%{text:,}", textposition="outside", cliponaxis=False,
        customdata=np.array(names, dtype=object).reshape(-1, 1),
        hovertemplate="%{customdata[0]} and its people, places and organisations: %{y} mentions<extra></extra>"))
    _category_axis(fig, names, axis="x")
    _counts_axis(fig, cm["mentions"], "y")
    fig.update_yaxes(range=[0, float(cm["mentions"].max()) * 1.15])
    return _layout(fig, title, n_articles, x_title="Country", y_title="Mentions")


@builder(title="Mentions of each country per month",
         marks=lambda d: d["mentions"].dropna() if d["month"].nunique() > 1 else [0],
         summary=lambda d: (lambda c: summary_sentence((_name(c, "country") + ", " + c["month"].map(_month)).tolist(),
                                                       c["mentions"].astype(int).tolist(), "mention"))(
             d.dropna(subset=["mentions"])))
def pair_mentions_over_time(cm: pd.DataFrame, n_articles: int,
                            title: str = "Mentions of each country per month") -> Chart:
    fig = _Fig()
    d = cm.assign(label=_name(cm, "country"))
    codes = list(dict.fromkeys(d["country"]))
    for code in codes:
        part = d[d["country"] == code]
        name = short(part["label"].iloc[0])
        fig.add_scatter(x=part["month"], y=part["mentions"], mode="lines+markers", name=name,
                        line=dict(color=palette.country(code), width=2), marker=dict(color=palette.country(code)),
                        customdata=part[["label"]].to_numpy(),
                        hovertemplate="%{customdata[0]}, %{x|%b %Y}: %{y} mentions<extra></extra>")
    fig.update_xaxes(tickformat="%b %Y")
    _counts_axis(fig, d["mentions"], "y")
    return _layout(fig, title, n_articles, x_title="Month", y_title="Mentions", legend_title="Country",
                   legend_names=[short(x) for x in d.drop_duplicates("country")["label"]])


@builder(title="Topics in which each side is quoted", marks=lambda d: d["quotes"],
         summary=lambda d: summary_sentence((d["topic"] + " · " + _name(d, "country")).tolist(), d["quotes"].tolist(),
                                            "quote"))
def topics_quoted(tq: pd.DataFrame, n_articles: int, title: str = "Topics in which each side is quoted",
                  top: int = 12) -> Chart:
    d = tq.assign(label=_name(tq, "country"))
    cats = _ranked(d, "topic", "quotes")[:top]
    d = d[d["topic"].isin(cats)]
    fig = _Fig()
    codes = list(dict.fromkeys(tq["country"]))
    for rank, code in reversed(list(enumerate(codes))):  # drawn bottom-up: the first country on top of each pair
        part = d[d["country"] == code]
        if len(part) == 0:
            continue
        fig.add_bar(x=part["quotes"], y=part["topic"], orientation="h", name=short(part["label"].iloc[0]),
                    marker_color=palette.country(code), customdata=part[["topic", "label"]].to_numpy(), legendrank=rank,
                    hovertemplate="%{customdata[0]}: %{x} quotes by speakers from %{customdata[1]}<extra></extra>")
    _category_axis(fig, cats)
    _counts_axis(fig, d["quotes"], "x")
    fig.update_layout(barmode="group", bargap=0.25)
    names = [short(x) for x in d.drop_duplicates("country")["label"]]
    return _layout(fig, title, n_articles, x_title="Quotes", y_title="Topic", legend_title="Speaker's country",
                   legend_names=names, height=_bars_height(int(len(cats) * 1.6)))


@builder(title="Top speakers", marks=lambda d: d["quotes"], summary=_rows_summary("speaker", "quotes", "quote"))
def side_speakers(ss: pd.DataFrame, n_articles: int, title: str = "Top speakers") -> Chart:
    d = ss
    cats = list(d["speaker"])
    fig = _Fig()
    cats_in = _categories(d["category"])
    for cat in cats_in:
        part = d[d["category"] == cat]
        fig.add_bar(x=part["quotes"], y=part["speaker"], orientation="h", name=short(cat),
                    marker_color=palette.colour(cat),
                    customdata=part[["speaker", "role", "category", "words", "articles"]].to_numpy(),
                    hovertemplate="%{customdata[0]}, %{customdata[1]} (%{customdata[2]}): %{x} quotes, "
                                  "%{customdata[3]} words, in %{customdata[4]} articles<extra></extra>")
    _category_axis(fig, cats)
    _counts_axis(fig, d["quotes"], "x")
    fig.update_layout(barmode="stack")
    return _layout(fig, title, n_articles, x_title="Quotes", y_title="Speaker", legend_title="Speaker category",
                   legend_names=[short(c) for c in cats_in], height=_bars_height(len(cats)))


@builder(title="Distinctive words", marks=lambda d: d["z"].round(3),
         summary=lambda d: "Words and phrases: " + ", ".join(d["term"].astype(str).tolist()) + ".")
def distinctive_terms(dt: pd.DataFrame, n_articles: int, country: str = "", title: str = "Distinctive words") -> Chart:
    d = dt.assign(strength=dt["z"].abs().round(2))
    cats = list(d["term"])
    fig = _Fig(dict(
        type="bar",
        x=d["strength"], y=d["term"], orientation="h", marker_color=palette.country(country),
        customdata=d[["term", "count", "count_other"]].to_numpy(),
        hovertemplate="%{customdata[0]}: z = %{x} (%{customdata[1]} times in these quotes, "
                      "%{customdata[2]} in the other "
                      "side's)<extra></extra>"))
    _category_axis(fig, cats)
    return _layout(fig, title, n_articles, x_title="Distinctiveness (log-odds z-score)", y_title="Word or phrase",
                   height=_bars_height(len(cats)))


__all__ = ["BUILDERS", "Chart", "MAX_LABEL", "Summary", "builder", "plain_frame", "short"]
