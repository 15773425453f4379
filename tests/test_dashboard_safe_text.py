"""Text from the URL and from articles stays text: the escaping helpers and the figure builders."""
from __future__ import annotations

import inspect
import re
import string
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard import aggregates as agg  # noqa: E402
from dashboard import figures  # noqa: E402
from dashboard.filters import MAX_QUERY_VALUES, Filters, apply_filters, bounded_query  # noqa: E402
from dashboard.safe_text import (MAX_VALUE_CHARS, WORD_JOINER, clip, code_span, plain_label,  # noqa: E402
                                 plain_markdown)
from dashboard.tables import load_corpus  # noqa: E402
from dashboard_fixtures import HOSTILE, write_hostile  # noqa: E402

# CommonMark: a backslash before ASCII punctuation is removed and the character is literal.
_ESCAPE = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def rendered_text(markdown: str) -> str:
    """The characters CommonMark shows for text made only of backslash escapes and plain characters
    (the invisible word joiners that keep autolinks from forming left out)."""
    return _ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")


def unescaped_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation that is not backslash-escaped (so could start Markdown syntax)."""
    return [m.group() for m in re.finditer(r"\\.|[" + re.escape(string.punctuation) + "]", markdown)
            if not m.group().startswith("\\")]


WJ = WORD_JOINER


@pytest.mark.parametrize("text, expected", [
    ("Artem Loginov", "Artem Loginov"),
    ("", ""),
    ("[Session expired - click to log in](https://evil.example/login)",
     r"\[Session expired \- click to log in\]\(https" + WJ + r"\:\/\/evil\.example\/login\)"),
    ("[x](https://evil.example/)", r"\[x\]\(https" + WJ + r"\:\/\/evil\.example\/\)"),
    ("**bold** _it_ ~~gone~~", r"\*\*bold\*\* \_it\_ \~\~gone\~\~"),
    ("# Heading", r"\# Heading"),
    ("+ item", r"\+ item"),
    ("1. item", r"1\. item"),
    ("> quote", r"\> quote"),
    ("a | b", r"a \| b"),
    ("`code`", r"\`code\`"),
    ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
    ('<a href="https://evil.example">x</a>', r'\<a href\=\"https' + WJ + r'\:\/\/evil\.example\"\>x\<\/a\>'),
    ("&lt;b&gt; &amp;", r"\&lt\;b\&gt\; \&amp\;"),
    ("$x^2$ costs $5", r"\$x\^2\$ costs \$5"),
    ("C:\\path\\file", r"C\:\\path\\file"),
    # autolinks are found after escapes are resolved: an invisible word joiner breaks them
    ("www.evil.example", "www" + WJ + r"\.evil\.example"),
    ("WWW.evil.example", "WWW" + WJ + r"\.evil\.example"),
    ("HTTP://evil.example", "HTTP" + WJ + r"\:\/\/evil\.example"),
    ("mail@evil.example", r"mail\@" + WJ + r"evil\.example"),
    ("http-free www", r"http\-free www"),
    (":red[alert] :material/warning: :smile:", r"\:red\[alert\] \:material\/warning\: \:smile\:"),
    ("!{}", r"\!\{\}"),
    ("line one\nline two\r\n\n  # not a heading", r"line one line two \# not a heading"),
    ("Xi Jinping: “ties”", r"Xi Jinping\: “ties”"),
    ("Москва 北京", "Москва 北京"),
])
def test_plain_markdown(text, expected):
    assert plain_markdown(text) == expected


@pytest.mark.parametrize("text", [
    *HOSTILE.values(), string.punctuation, "\\", "a\\*b", "\\\\[x](y)", "tab\there", "ünïcode — “quotes”",
])
def test_plain_markdown_shows_exactly_the_text(text):
    escaped = plain_markdown(text)
    assert unescaped_punctuation(escaped) == []
    assert rendered_text(escaped) == text
    assert "\n" not in escaped


@pytest.mark.parametrize("text, expected", [
    ("/srv/dyad/seeds", "`/srv/dyad/seeds`"),
    ("a`b", "``a`b``"),
    ("``x", "``` ``x ```"),
    ("x`", "`` x` ``"),
    (" padded ", "`  padded  `"),
    ("two\nlines", "`two lines`"),
])
def test_code_span(text, expected):
    assert code_span(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Xi Jinping", "Xi Jinping"),
    ('<a href="https://evil.example/">x</a>', '&lt;a href="https://evil.example/"&gt;x&lt;/a&gt;'),
    ('<span style="color:red">big</span>', '&lt;span style="color:red"&gt;big&lt;/span&gt;'),
    ("US and Russia <i>meet</i><br>", "US and Russia &lt;i&gt;meet&lt;/i&gt;&lt;br&gt;"),
    ("&lt; already", "&amp;lt; already"),
    ("%{x} 50%", "%{x} 50%"),
    ("it's \"quoted\"", "it's \"quoted\""),
])
def test_plain_label(text, expected):
    assert plain_label(text) == expected


def test_clip():
    assert clip("x" * MAX_VALUE_CHARS) == ("x" * MAX_VALUE_CHARS, False)
    assert clip("x" * 50_000) == ("x" * MAX_VALUE_CHARS, True)
    assert clip("abc", 2) == ("ab", True)


def test_bounded_query_cuts_long_values_and_many_values():
    query, cuts = bounded_query({"entity": ["Artem Loginov", "y" * 50_000], "q": ["china"],
                                 "topic": [f"t{i}" for i in range(MAX_QUERY_VALUES + 10)], "read": []})
    assert query["entity"] == ["Artem Loginov", "y" * MAX_VALUE_CHARS]
    assert query["q"] == ["china"] and query["read"] == []
    assert query["topic"] == [f"t{i}" for i in range(MAX_QUERY_VALUES)]
    assert [(c.key, c.kept) for c in cuts] == [("entity", "y" * MAX_VALUE_CHARS), ("topic", "")]
    assert "50,000 characters" in cuts[0].note and f"first {MAX_VALUE_CHARS}" in cuts[0].note
    assert f"{MAX_QUERY_VALUES + 10} values" in cuts[1].note
    assert bounded_query({"entity": ["short"]}) == ({"entity": ["short"]}, [])


# --------------------------------------------------------------------------- figures

def test_every_figure_builder_escapes_its_frames():
    public = [fn for name, fn in vars(figures).items()
              if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == figures.__name__
              and inspect.signature(fn).return_annotation in ("Chart", "go.Figure | None", go.Figure)]
    assert public, "no figure builder found"
    assert {fn.__name__ for fn in public} <= {fn.__name__ for fn in figures.BUILDERS}
    assert all(fn in figures.BUILDERS for fn in public)


def test_plain_frame_escapes_text_only():
    df = pd.DataFrame([[1, "<b>x</b>", pd.Timestamp("2024-05-01")], [2, None, pd.NaT]],
                      columns=["n", "<i>name</i>", "month"])
    out = figures.plain_frame(df)
    assert list(out.columns) == ["n", "&lt;i&gt;name&lt;/i&gt;", "month"]
    assert out["n"].tolist() == [1, 2] and out["month"].dtype == df["month"].dtype
    assert out.iloc[:, 1].tolist() == ["&lt;b&gt;x&lt;/b&gt;", None]
    assert df.iloc[0, 1] == "<b>x</b>"  # the caller's (cached) frame is left alone
    # two entities with the same name: heatmap rows and columns by position
    mat = pd.DataFrame([[2, 1], [1, 3]], index=["<b>A</b>", "<b>A</b>"], columns=["<b>A</b>", "<b>A</b>"])
    fig = figures.co_mention_heatmap(mat, 2)
    assert list(fig.data[0].x) == list(fig.data[0].y) == ["&lt;b&gt;A&lt;/b&gt;"] * 2


def _strings(obj):
    """Every string inside a plotly figure dict (data and layout)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)
    elif hasattr(obj, "tolist"):
        yield from _strings(obj.tolist())


def varied(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """``df`` with distinct values in ``column`` (a three-article fixture has many equal counts, and a
    chart of equal bars is said in a sentence instead; these tests need the charts)."""
    return df.assign(**{column: list(range(len(df) + 1, 1, -1))})


@pytest.fixture(scope="module")
def hostile_figures(tmp_path_factory):
    c = load_corpus(write_hostile(tmp_path_factory.mktemp("hostile")))
    s = apply_filters(c, Filters())
    n = 3
    names = agg.country_names(c.entities)
    by_side = agg.with_country_names(agg.quotes_by_side(s.quotes), "side", names)
    tallies = agg.with_country_names(agg.speaker_tallies(s.quotes, c.speakers), "side", names)
    groups = agg.pair_quotes_by_group(s.quotes, "CHN", "RUS").assign(group_name=["China", "Russia"])
    mentions = agg.with_country_names(agg.country_mentions(s.mentions, s.entities, ["CHN", "RUS"]), "country", names)
    by_month = agg.with_country_names(agg.country_mentions(s.mentions, s.entities, ["CHN", "RUS"], s.articles),
                                      "country", names)
    terms = agg.distinctive_terms([HOSTILE["quote"] * 2], ["ties with China are strong"] * 2, min_count=1, min_z=0)
    terms = terms[terms["side"] == "a"].rename(columns={"count_a": "count", "count_b": "count_other"})
    return {
        "top_entities": figures.top_entities(agg.entity_counts(s.mentions, s.entities), n),
        "country_share": figures.country_share(
            agg.with_country_names(agg.country_share(s.mentions, s.entities), "country", names), n),
        "co_mention_heatmap": figures.co_mention_heatmap(agg.co_mentions(s.mentions, s.entities), n),
        "topic_mix": figures.topic_mix(varied(agg.topic_mix(s.paragraphs, c.paragraph_topics), "paragraphs"), n),
        "quotes_by_side": figures.quotes_by_side(varied(by_side, "quotes"), n),
        "words_by_side": figures.words_by_side(varied(by_side, "words"), n),
        "top_speakers_by_quotes": figures.top_speakers_by_quotes(varied(tallies, "quotes"), n),
        "top_speakers_by_words": figures.top_speakers_by_words(varied(tallies, "words"), n),
        "coverage": figures.coverage(varied(agg.coverage_over_time(s.articles), "articles"), n),
        "topic_per_article": figures.topic_per_article(
            agg.topic_per_article(s.paragraphs, c.paragraph_topics, c.articles), n),
        "keyword_bars": figures.keyword_bars(varied(agg.keyword_counts(s.keywords), "articles"), n),
        "pair_quotes": figures.pair_quotes(varied(groups, "quotes"), n),
        "pair_words": figures.pair_words(varied(groups, "words"), n),
        "pair_mentions": figures.pair_mentions(mentions, n, title="Mentions of China and of Russia"),
        "pair_mentions_over_time": figures.pair_mentions_over_time(by_month, n),
        "topics_quoted": figures.topics_quoted(
            varied(agg.with_country_names(agg.topics_quoted(s.quotes, c.paragraph_topics, ["CHN", "RUS"]),
                                          "country", names), "quotes"), n),
        "side_speakers": figures.side_speakers(
            varied(agg.side_speakers(s.quotes, c.speakers, c.entities, "RUS"), "quotes"), n),
        "distinctive_terms": figures.distinctive_terms(varied(terms, "z"), n, "CHN"),
    }


def test_hostile_fixture_reaches_every_builder(hostile_figures):
    assert {fn.__name__ for fn in figures.BUILDERS} == set(hostile_figures)
    assert all(isinstance(fig, go.Figure) for fig in hostile_figures.values()), \
        [k for k, v in hostile_figures.items() if not isinstance(v, go.Figure)]


@pytest.mark.parametrize("kind, chart", [
    ("title", "topic_per_article"), ("topic", "topic_per_article"), ("topic", "topic_mix"),
    ("entity", "top_entities"), ("entity", "co_mention_heatmap"), ("country", "country_share"),
    ("speaker", "top_speakers_by_quotes"), ("category", "top_speakers_by_words"), ("category", "quotes_by_side"),
    ("category", "words_by_side"), ("keyword", "keyword_bars"), ("topic", "topics_quoted"),
    ("speaker", "side_speakers"), ("category", "side_speakers"),
])
def test_article_text_in_charts_is_escaped(hostile_figures, kind, chart):
    texts = list(_strings(hostile_figures[chart].to_plotly_json()))
    assert any(plain_label(HOSTILE[kind]) in t for t in texts)


def test_no_markup_from_articles_in_any_chart(hostile_figures):
    for chart, fig in hostile_figures.items():
        for text in _strings(fig.to_plotly_json()):
            assert "<a" not in text and "<span" not in text, (chart, text)


def test_shortened_labels_keep_entities_whole():
    label = plain_label("<b>" + "x" * 40)
    cut = figures.short(label)
    assert cut == "&lt;b&gt;" + "x" * 24 + "…"  # 28 characters as shown: "<b>" counts 3
    assert figures.short(plain_label("Tom & Jerry")) == "Tom &amp; Jerry"


def test_summary_of_an_uninformative_chart_is_the_text_as_given():
    kc = pd.DataFrame({"keyword": ["<b>x</b>", "[y](https://evil.example)"], "articles": [1, 1]})
    out = figures.keyword_bars(kc, 1)
    assert isinstance(out, figures.Summary)
    assert out.text == "1 article each: <b>x</b>, [y](https://evil.example)."  # shown through plain_markdown
    assert out.title == "Most frequent article keywords" and out.subtitle == "1 article"


def test_hover_templates_hold_no_article_text(hostile_figures):
    for fig in hostile_figures.values():
        for trace in fig.data:
            template = trace.hovertemplate or ""
            assert "evil" not in template and "&lt;" not in template, template
