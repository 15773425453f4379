"""Plotly figure builders (no Streamlit). Each returns None when there is nothing to draw.

Every figure is labelled (title, axis titles), shows counts on hover and names the number of
articles behind it in its title.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

TYPE_COLOURS = {"country": "#1f77b4", "person": "#ff7f0e", "organization": "#2ca02c", "place": "#9467bd",
                "other": "#7f7f7f"}
_LAYOUT = dict(margin=dict(l=10, r=10, t=60, b=10), height=380, hoverlabel=dict(namelength=-1))


def _title(text: str, n_articles: int) -> dict:
    noun = "article" if n_articles == 1 else "articles"
    return dict(text=f"{text}<br><sup>{n_articles:,} {noun}</sup>")


def top_entities(ec: pd.DataFrame, n_articles: int, title: str = "Most mentioned entities") -> go.Figure | None:
    if len(ec) == 0:
        return None
    ec = ec.iloc[::-1]
    fig = go.Figure()
    for typ in [t for t in TYPE_COLOURS if t in set(ec["type"])] + sorted(set(ec["type"]) - set(TYPE_COLOURS)):
        part = ec[ec["type"] == typ]
        fig.add_bar(x=part["mentions"], y=part["name"], orientation="h", name=typ,
                    marker_color=TYPE_COLOURS.get(typ, "#7f7f7f"), customdata=part[["articles"]].to_numpy(),
                    hovertemplate="%{y}: %{x} mentions in %{customdata[0]} articles<extra>" + typ + "</extra>")
    fig.update_layout(title=_title(title, n_articles), xaxis_title="Mentions", yaxis_title="Entity",
                      legend_title_text="Type", barmode="stack",
                      yaxis=dict(categoryorder="array", categoryarray=list(ec["name"])), **_LAYOUT)
    return fig


def country_share(cs: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(cs) == 0:
        return None
    fig = go.Figure(go.Pie(labels=cs["country"], values=cs["mentions"], hole=0.4, sort=False,
                           hovertemplate="%{label}: %{value} mentions (%{percent})<extra></extra>"))
    fig.update_layout(title=_title("Each country's share of mentions", n_articles), legend_title_text="Country",
                      **_LAYOUT)
    return fig


def co_mention_heatmap(mat: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if mat.empty:
        return None
    fig = go.Figure(go.Heatmap(z=mat.to_numpy(), x=list(mat.columns), y=list(mat.index), colorscale="Blues",
                               colorbar_title="Paragraphs",
                               hovertemplate="%{y} + %{x}: %{z} paragraphs<extra></extra>"))
    fig.update_layout(title=_title("Entities mentioned in the same paragraph", n_articles),
                      xaxis_title="Entity", yaxis_title="Entity", **{**_LAYOUT, "height": 520})
    return fig


def topic_mix(tm: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(tm) == 0:
        return None
    fig = go.Figure(go.Bar(x=tm["topic"], y=tm["paragraphs"], customdata=tm[["articles"]].to_numpy(),
                           marker_color="#17becf",
                           hovertemplate="%{x}: %{y} paragraphs in %{customdata[0]} articles<extra></extra>"))
    fig.update_layout(title=_title("Topic mix", n_articles), xaxis_title="Topic", yaxis_title="Paragraphs",
                      **_LAYOUT)
    return fig


def quotes_by_side(qs: pd.DataFrame, n_articles: int, value: str = "quotes",
                   title: str = "Quotes by speaker's country") -> go.Figure | None:
    if len(qs) == 0:
        return None
    fig = go.Figure()
    for cat in sorted(set(qs["category"])):
        part = qs[qs["category"] == cat]
        fig.add_bar(x=part["side"], y=part[value], name=cat, customdata=part[["articles"]].to_numpy(),
                    hovertemplate="%{x}, " + cat + ": %{y} " + value + " in %{customdata[0]} articles<extra></extra>")
    fig.update_layout(title=_title(title, n_articles), barmode="stack", xaxis_title="Speaker's country",
                      yaxis_title=value.capitalize(), legend_title_text="Category", **_LAYOUT)
    return fig


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
                                  + " in %{customdata[0]} articles<extra>" + side + "</extra>")
    label = "words quoted" if value == "words" else "quotes"
    fig.update_layout(title=_title(f"Top speakers by {label}", n_articles), barmode="stack",
                      xaxis_title=label.capitalize(), yaxis_title="Speaker", legend_title_text="Country",
                      yaxis=dict(categoryorder="array", categoryarray=list(d["speaker"])), **_LAYOUT)
    return fig


def coverage(cov: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(cov) == 0:
        return None
    fig = go.Figure(go.Bar(x=cov["month"], y=cov["articles"], marker_color="#636efa",
                           hovertemplate="%{x|%b %Y}: %{y} articles<extra></extra>"))
    fig.update_layout(title=_title("Coverage over time (dated articles)", n_articles), xaxis_title="Month",
                      yaxis_title="Articles", **_LAYOUT)
    return fig


def topic_per_article(tpa: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(tpa) == 0:
        return None
    fig = go.Figure()
    for topic in sorted(set(tpa["topic"])):
        part = tpa[tpa["topic"] == topic]
        fig.add_bar(x=part["paragraphs"], y=part["title"], orientation="h", name=topic,
                    hovertemplate="%{y}: %{x} paragraphs on " + topic + "<extra></extra>")
    fig.update_layout(title=_title("Topic mix per article", n_articles), barmode="stack",
                      xaxis_title="Paragraphs", yaxis_title="Article", legend_title_text="Topic",
                      **{**_LAYOUT, "height": max(380, 24 * tpa["title"].nunique() + 120)})
    return fig


def keyword_bars(kc: pd.DataFrame, n_articles: int) -> go.Figure | None:
    if len(kc) == 0:
        return None
    d = kc.iloc[::-1]
    fig = go.Figure(go.Bar(x=d["articles"], y=d["keyword"], orientation="h", marker_color="#ab63fa",
                           hovertemplate="%{y}: keyword of %{x} articles<extra></extra>"))
    fig.update_layout(title=_title("Most frequent article keywords", n_articles), xaxis_title="Articles",
                      yaxis_title="Keyword", **_LAYOUT)
    return fig
