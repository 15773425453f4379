"""Plotly figure builders (no Streamlit). Each returns None when there is nothing to draw.

Every figure is labelled (title, axis titles), shows counts on hover and names the number of
articles behind it in its title.

Plotly renders HTML tags and entities in labels, ticks, legends and hover text, and the frames
drawn here hold text from articles (titles, names, outlets, keywords, topics). Every builder is
declared with ``@builder``, which escapes every text cell, index and column label of the frames
it is given (``safe_text.plain_label``) before the builder sees them; hover templates refer to
trace names as ``%{fullData.name}`` instead of pasting text into the template.
"""
from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go

from dashboard.safe_text import plain_label

TYPE_COLOURS = {"country": "#1f77b4", "person": "#ff7f0e", "organization": "#2ca02c", "place": "#9467bd",
                "other": "#7f7f7f"}
_LAYOUT = dict(margin=dict(l=10, r=10, t=60, b=10), height=380, hoverlabel=dict(namelength=-1))


BUILDERS: list = []  # every figure builder, each escaping the text of its frames (see ``builder``)


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


def builder(fn):
    """Declare a figure builder: its frame arguments reach it with every piece of text escaped.

    Text from articles reaches a builder only in frames; its other arguments (titles, the value
    column to draw) are the code's own.
    """
    @functools.wraps(fn)
    def build(*args, **kwargs):
        args = [plain_frame(a) if isinstance(a, pd.DataFrame) else a for a in args]
        kwargs = {k: plain_frame(v) if isinstance(v, pd.DataFrame) else v for k, v in kwargs.items()}
        return fn(*args, **kwargs)

    BUILDERS.append(build)
    return build


def _title(text: str, n_articles: int) -> dict:
    noun = "article" if n_articles == 1 else "articles"
    return dict(text=f"{text}<br><sup>{n_articles:,} {noun}</sup>")


@builder
def top_entities(ec: pd.DataFrame, n_articles: int, title: str = "Most mentioned entities") -> go.Figure | None:
    if len(ec) == 0:
        return None
    ec = ec.iloc[::-1]
    fig = go.Figure()
    for typ in [t for t in TYPE_COLOURS if t in set(ec["type"])] + sorted(set(ec["type"]) - set(TYPE_COLOURS)):
        part = ec[ec["type"] == typ]
        fig.add_bar(x=part["mentions"], y=part["name"], orientation="h", name=typ,
                    marker_color=TYPE_COLOURS.get(typ, "#7f7f7f"), customdata=part[["articles"]].to_numpy(),
                    hovertemplate="%{y}: %{x} mentions in %{customdata[0]} articles<extra>%{fullData.name}</extra>")
    fig.update_layout(title=_title(title, n_articles), xaxis_title="Mentions", yaxis_title="Entity",
                      legend_title_text="Type", barmode="stack",
                      yaxis=dict(categoryorder="array", categoryarray=list(ec["name"])), **_LAYOUT)
    return fig


@builder
def country_share(cs: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(cs) == 0:
        return None
    fig = go.Figure(go.Pie(labels=cs["country"], values=cs["mentions"], hole=0.4, sort=False,
                           hovertemplate="%{label}: %{value} mentions (%{percent})<extra></extra>"))
    fig.update_layout(title=_title("Each country's share of mentions", n_articles), legend_title_text="Country",
                      **_LAYOUT)
    return fig


@builder
def co_mention_heatmap(mat: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if mat.empty:
        return None
    fig = go.Figure(go.Heatmap(z=mat.to_numpy(), x=list(mat.columns), y=list(mat.index), colorscale="Blues",
                               colorbar_title="Paragraphs",
                               hovertemplate="%{y} + %{x}: %{z} paragraphs<extra></extra>"))
    fig.update_layout(title=_title("Entities mentioned in the same paragraph", n_articles),
                      xaxis_title="Entity", yaxis_title="Entity", **{**_LAYOUT, "height": 520})
    return fig


@builder
def topic_mix(tm: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(tm) == 0:
        return None
    fig = go.Figure(go.Bar(x=tm["topic"], y=tm["paragraphs"], customdata=tm[["articles"]].to_numpy(),
                           marker_color="#17becf",
                           hovertemplate="%{x}: %{y} paragraphs in %{customdata[0]} articles<extra></extra>"))
    fig.update_layout(title=_title("Topic mix", n_articles), xaxis_title="Topic", yaxis_title="Paragraphs",
                      **_LAYOUT)
    return fig


@builder
def quotes_by_side(qs: pd.DataFrame, n_articles: int, value: str = "quotes",
                   title: str = "Quotes by speaker's country") -> go.Figure | None:
    if len(qs) == 0:
        return None
    fig = go.Figure()
    for cat in sorted(set(qs["category"])):
        part = qs[qs["category"] == cat]
        fig.add_bar(x=part["side"], y=part[value], name=cat, customdata=part[["articles"]].to_numpy(),
                    hovertemplate="%{x}, %{fullData.name}: %{y} " + value
                                  + " in %{customdata[0]} articles<extra></extra>")
    fig.update_layout(title=_title(title, n_articles), barmode="stack", xaxis_title="Speaker's country",
                      yaxis_title=value.capitalize(), legend_title_text="Category", **_LAYOUT)
    return fig


@builder
def top_speakers(st_: pd.DataFrame, n_articles: int, value: str = "quotes", top: int = 15) -> go.Figure | None:
    if len(st_) == 0:
        return None
    d = st_.sort_values([value, "speaker"], ascending=[False, True]).head(top).iloc[::-1]
    fig = go.Figure()
    for side in sorted(set(d["side"])):
        part = d[d["side"] == side]
        fig.add_bar(x=part[value], y=part["speaker"], orientation="h", name=side,
                    customdata=part[["articles", "category"]].to_numpy(),
                    hovertemplate="%{y} (%{customdata[1]}): %{x} " + value
                                  + " in %{customdata[0]} articles<extra>%{fullData.name}</extra>")
    label = "words quoted" if value == "words" else "quotes"
    fig.update_layout(title=_title(f"Top speakers by {label}", n_articles), barmode="stack",
                      xaxis_title=label.capitalize(), yaxis_title="Speaker", legend_title_text="Country",
                      yaxis=dict(categoryorder="array", categoryarray=list(d["speaker"])), **_LAYOUT)
    return fig


@builder
def coverage(cov: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(cov) == 0:
        return None
    fig = go.Figure(go.Bar(x=cov["month"], y=cov["articles"], marker_color="#636efa",
                           hovertemplate="%{x|%b %Y}: %{y} articles<extra></extra>"))
    fig.update_layout(title=_title("Coverage over time (dated articles)", n_articles), xaxis_title="Month",
                      yaxis_title="Articles", **_LAYOUT)
    return fig


@builder
def topic_per_article(tpa: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(tpa) == 0:
        return None
    fig = go.Figure()
    for topic in sorted(set(tpa["topic"])):
        part = tpa[tpa["topic"] == topic]
        fig.add_bar(x=part["paragraphs"], y=part["title"], orientation="h", name=topic,
                    hovertemplate="%{y}: %{x} paragraphs on %{fullData.name}<extra></extra>")
    fig.update_layout(title=_title("Topic mix per article", n_articles), barmode="stack",
                      xaxis_title="Paragraphs", yaxis_title="Article", legend_title_text="Topic",
                      **{**_LAYOUT, "height": max(380, 24 * tpa["title"].nunique() + 120)})
    return fig


@builder
def keyword_bars(kc: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(kc) == 0:
        return None
    d = kc.iloc[::-1]
    fig = go.Figure(go.Bar(x=d["articles"], y=d["keyword"], orientation="h", marker_color="#ab63fa",
                           hovertemplate="%{y}: keyword of %{x} articles<extra></extra>"))
    fig.update_layout(title=_title("Most frequent article keywords", n_articles), xaxis_title="Articles",
                      yaxis_title="Keyword", **_LAYOUT)
    return fig
