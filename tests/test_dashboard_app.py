"""AppTest for every view: a filter applied through the widget and through the query string,
then the table rows and the chart data are checked. Plus the start-up pages."""
from __future__ import annotations

import html
import json
import re
import sys
import types
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard.safe_text import WORD_JOINER  # noqa: E402
from dashboard_fixtures import HOSTILE, write_empty, write_fixture, write_hostile  # noqa: E402

APP = str(ROOT / "streamlit_app.py")


@pytest.fixture
def tables(tmp_path, monkeypatch):
    out = write_fixture(tmp_path / "tables")
    monkeypatch.setenv("DYAD_DATA", str(out))
    monkeypatch.setenv("DYAD_INPUT", str(tmp_path / "articles"))
    monkeypatch.setenv("DYAD_NO_BUILD", "1")
    return out


def run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def charts(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def chart_titled(at: AppTest, title: str) -> dict:
    """The chart titled ``title`` (exactly, or starting with it when it ends in "…")."""
    prefix = title.endswith("…")
    found = [c for c in charts(at) if (c["layout"]["title"]["text"].startswith(title[:-1]) if prefix
                                       else c["layout"]["title"]["text"] == title)]
    assert found, [c["layout"]["title"]["text"] for c in charts(at)]
    return found[0]


def summaries(at: AppTest) -> dict[str, str]:
    """Charts shown as a sentence (``figures.Summary``): title -> sentence, Markdown escapes resolved."""
    out = {}
    for md in at.markdown:
        v = md.value
        if v.startswith("**") and "**" in v[2:] and "  \n" in v:
            head, text = v.split("  \n", 1)
            out[unescaped(head[2:head.index("**", 2)])] = unescaped(text)
    return out


def bar_points(fig: dict) -> dict:
    """{category: value} summed over the traces of a bar chart (horizontal or vertical)."""
    out: dict = {}
    for tr in fig["data"]:
        horizontal = tr.get("orientation") == "h"
        cats, vals = (tr["y"], tr["x"]) if horizontal else (tr["x"], tr["y"])
        for c, v in zip(_values(cats), _values(vals)):
            out[c] = out.get(c, 0) + v
    return out


def _values(v):
    if isinstance(v, dict) and "bdata" in v:  # plotly's typed-array encoding
        import base64

        import numpy as np
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        if "shape" in v:
            arr = arr.reshape([int(x) for x in str(v["shape"]).split(",")])
        return arr.tolist()
    return list(v)


def table(at: AppTest, key: str):
    return at.container(key=f"tbl_{key}").dataframe[0].value


def cards(at: AppTest) -> list[str]:
    return [at.container(key=f"card_{k}").markdown[0].value.split("## ")[1]
            for k in ("articles", "mentions", "quotes", "speakers")]


def downloads(at: AppTest) -> list[str]:
    return [b.label for b in at.download_button]


def qp(at: AppTest) -> dict:
    return dict(at.query_params)


# --------------------------------------------------------------------------- Overview

def test_overview_entity_from_query_string(tables):
    at = run(entity="Artem Loginov")
    assert cards(at) == ["1", "6", "1", "1"]
    assert list(table(at, "articles")["article_id"].astype(str)) == ["a1"]
    assert len(charts(at)) == 2  # entities, topics; one quote and one month are said in a sentence
    top = bar_points(chart_titled(at, "Most mentioned entities"))
    assert top == {"Artem Loginov": 2, "Russia": 2, "China": 1, "Eastern Ledger": 1}
    assert chart_titled(at, "Most mentioned entities")["layout"]["title"]["subtitle"]["text"] == "1 article"
    said = summaries(at)
    assert said["Quotes by speaker's country"] == "Russia · academic and think tank: 1 quote."
    assert said["Coverage over time (dated articles)"] == "May 2024: 1 article."
    assert "Download articles.csv" in downloads(at) and "Download all filtered tables (ZIP)" in downloads(at)


def test_overview_entity_through_widget_updates_url(tables):
    at = run()
    assert cards(at) == ["3", "16", "3", "3"]
    assert len(charts(at)) == 3  # entities, topics, sides; coverage over time: one article a month
    assert bar_points(chart_titled(at, "Quotes by speaker's country")) == {"Russia": 2, "China": 1}
    assert summaries(at) == {"Coverage over time (dated articles)": "1 article each: May 2024, Jun 2024."}
    at.multiselect(key="f_entity").set_value(["Artem Loginov"]).run()
    ok(at)
    assert qp(at) == {"entity": "Artem Loginov"}
    assert list(table(at, "articles")["article_id"].astype(str)) == ["a1"]
    assert summaries(at)["Quotes by speaker's country"] == "Russia · academic and think tank: 1 quote."


def sidebar_text(at) -> list[str]:
    return [m.value for m in at.sidebar.markdown]


@pytest.mark.parametrize("params, summary", [
    ({}, ["No filter set: the whole corpus."]),
    ({"entity": "Artem Loginov"}, ["**Entity:** Artem Loginov"]),
    ({"entity": "Artem Loginov", "side": "RUS"}, ["**Entity:** Artem Loginov  \n**Speaker's country:** RUS"]),
])
def test_sidebar_lists_the_active_filters(tables, params, summary):
    at = run(**params)
    ok(at)
    assert sidebar_text(at)[:1] == summary


def test_more_filters_from_url(tables):
    at = run(outlet="TASS")
    assert list(table(at, "articles")["article_id"].astype(str)) == ["a2"]
    at.multiselect(key="f_outlet").set_value([]).run()
    ok(at)
    assert qp(at) == {}
    assert len(table(at, "articles")) == 3


def test_unknown_entity_in_url_says_so(tables):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["entity"] = "Nobody Atall"
    at.run()
    assert not at.exception
    assert any("Nobody Atall" in w.value for w in at.warning)
    assert any("No entity is mentioned" in i.value for i in at.info)


def test_date_range_widget_goes_to_url(tables):
    at = run()
    from datetime import date
    at.date_input(key="f_dates").set_value((date(2024, 6, 1), date(2024, 6, 1))).run()
    ok(at)
    assert qp(at) == {"from": "2024-06-01"}
    assert list(table(at, "articles")["article_id"].astype(str)) == ["a2"]
    at2 = run(**{"from": "2024-06-01"})
    assert list(table(at2, "articles")["article_id"].astype(str)) == ["a2"]


# --------------------------------------------------------------------------- Country pair

def naming(at: AppTest, *names: str) -> list[str]:
    """Titles of the charts whose title or categories name every one of ``names``."""
    out = []
    for c in charts(at):
        parts = [tr.get(k) for tr in c["data"] for k in ("x", "y", "name")]
        text = c["layout"]["title"]["text"] + json.dumps(parts)
        if all(n in text for n in names):
            out.append(c["layout"]["title"]["text"])
    return out


def test_pair_from_query_string(tables):
    at = run(view="pair", dyad="CHN-RUS")
    assert at.radio(key="view").value == "Country pair"
    assert qp(at) == {"view": "pair", "dyad": "CHN-RUS"}
    assert at.selectbox(key="pair_dyad").value == "CHN-RUS"
    assert len(naming(at, "China", "Russia")) >= 2, naming(at, "China", "Russia")
    assert bar_points(chart_titled(at, "Mentions of each country")) == {"China": 7, "Russia": 6}
    assert bar_points(chart_titled(at, "Quotes by speaker's country")) == {"China": 1, "Russia": 2}
    assert bar_points(chart_titled(at, "Words quoted by speaker's country")) == {"China": 6, "Russia": 14}
    said = summaries(at)
    assert said["Top speakers from Russia"] == "1 quote each: Artem Loginov, Sergei Lavrov."
    assert said["Top speakers from China"] == "Lu Wenqing: 1 quote."
    assert list(table(at, "pair_quotes")["speaker"]) == ["Artem Loginov", "Lu Wenqing", "Sergei Lavrov"]
    assert sorted(table(at, "pair_articles")["article_id"].astype(str)) == ["a1", "a2"]
    assert {"Download quotes-CHN-RUS.csv (with speaker_country)", "Download articles.csv"} <= set(downloads(at))
    assert "Download quotes.csv" not in downloads(at)
    sp = table(at, "pair_speakers")
    assert list(sp.columns[:4]) == ["country", "speaker", "role", "category"]
    rows = set(sp[["country", "speaker", "role", "category"]].itertuples(index=False, name=None))
    assert ("Russia", "Sergei Lavrov", "Foreign Minister", "official") in rows


def test_pair_without_dyad_shows_the_most_covered_and_picks_through_widget(tables):
    at = run(view="pair")
    assert at.selectbox(key="pair_dyad").value == "CHN-RUS"  # two articles, against one for RUS-USA
    assert qp(at) == {"view": "pair"}
    assert any("most covered pair" in c.value for c in at.caption)
    at.selectbox(key="pair_dyad").set_value("RUS-USA").run()
    ok(at)
    assert qp(at) == {"view": "pair", "dyad": "RUS-USA"}
    assert sidebar_text(at)[0] == "**Country pair:** RUS\\-USA"
    assert bar_points(chart_titled(at, "Mentions of each country")) == {"Russia": 2, "United States": 1}
    assert any("No speaker from Russia is quoted" in i.value for i in at.info)
    assert list(table(at, "pair_articles")["article_id"].astype(str)) == ["a3"]


def test_pair_follows_the_sidebar_filters(tables):
    at = run(view="pair", dyad="CHN-RUS", side="CHN")
    assert list(table(at, "pair_quotes")["speaker"]) == ["Lu Wenqing"]
    assert summaries(at)["Quotes by speaker's country"] == "China: 1 quote."


# --------------------------------------------------------------------------- Entities

def test_entities_topic_from_query_string(tables):
    at = run(view="entities", topic="trade")
    mentions = table(at, "mentions")
    assert sorted(mentions["surface"].astype(str)) == ["Artem Loginov", "China", "Eastern Ledger", "Loginov",
                                                       "Russia", "Russia"]
    counts = bar_points(chart_titled(at, "Mentions per entity"))
    assert counts == {"Artem Loginov": 2, "Russia": 2, "China": 1, "Eastern Ledger": 1}
    heat = chart_titled(at, "Entities mentioned in the same paragraph")["data"][0]
    names = heat["x"]
    z = _values(heat["z"])
    i, j = names.index("Artem Loginov"), names.index("China")
    assert z[i][j] == 1 and z[i][i] == 2
    assert bar_points(chart_titled(at, "Each country's share of mentions")) == {"Russia": 4, "China": 2}
    assert {"Download mentions.csv", "Download entities.csv"} <= set(downloads(at))


def test_entities_outlet_through_widget(tables):
    at = run(view="entities")
    at.multiselect(key="f_outlet").set_value(["Xinhua"]).run()
    ok(at)
    assert qp(at) == {"view": "entities", "outlet": "Xinhua"}
    assert sorted(table(at, "mentions")["surface"].astype(str)) == ["Moscow", "Russia", "United States"]
    # three bars of one mention each carry no information: a sentence instead
    assert summaries(at)["Mentions per entity"] == "1 mention each: Moscow, Russia, United States."
    assert not [c for c in charts(at) if c["layout"]["title"]["text"] == "Mentions per entity"]


# --------------------------------------------------------------------------- Voices

def test_voices_basis_filter_from_query_string(tables):
    at = run(view="voices", basis="guessed from the setting")
    ok(at)
    assert sidebar_text(at)[:1] == ["**Speaker's country known from:** guessed from the setting"]
    assert "No quotes in this selection." in [i.value for i in at.info]    # the fixture states every side
    at = run(view="voices", basis="said in the article")
    assert len(table(at, "quotes")) > 0


def test_voices_side_from_query_string(tables):
    at = run(view="voices", side="CHN")
    quotes = table(at, "quotes")
    assert list(quotes["speaker"]) == ["Lu Wenqing"]
    assert list(quotes["affiliation"]) == ["Pearl River Institute of Diplomacy"]
    assert set(quotes.columns) >= {"speaker", "affiliation", "cue", "channel", "text"}
    said = summaries(at)
    assert said["Top speakers by quotes"] == "Lu Wenqing: 1 quote."
    assert said["Top speakers by words quoted"] == "Lu Wenqing: 6 words."
    assert list(table(at, "speakers")["name"].astype(str)) == ["Lu Wenqing"]
    assert {"Download quotes.csv", "Download speakers.csv"} <= set(downloads(at))


def test_voices_category_through_widget(tables):
    at = run(view="voices")
    assert bar_points(chart_titled(at, "Share of voice: quotes")) == {"Russia": 2, "China": 1}
    top = chart_titled(at, "Share of voice: quotes")["layout"]["yaxis"]["categoryarray"]
    assert top[-1] == "Russia"  # the largest bar on top
    at.multiselect(key="f_category").set_value(["official"]).run()
    ok(at)
    assert qp(at) == {"view": "voices", "category": "official"}
    assert list(table(at, "quotes")["speaker"]) == ["Sergei Lavrov"]
    assert summaries(at)["Share of voice: words quoted"] == "Russia · official: 5 words."


def test_entity_query_keeps_his_quotes(tables):
    at = run(view="voices", entity="Artem Loginov")
    assert list(table(at, "quotes")["speaker"]) == ["Artem Loginov"]
    assert summaries(at)["Top speakers by quotes"] == "Artem Loginov: 1 quote."


# --------------------------------------------------------------------------- Keywords

def test_keywords_article_from_query_string_and_kwic(tables):
    at = run(view="keywords", article="a1")
    kw = table(at, "keywords")
    assert sorted(kw["keyword"].astype(str)) == ["rail freight", "trade"]
    assert summaries(at)["Most frequent article keywords"] == "rail freight: 1 article."
    at.text_input(key="kwic_term").input("china").run()
    ok(at)
    rows = table(at, "kwic")
    assert list(rows["sentence"]) == ["“Russia ships more rail freight to China than ever,” Loginov said."]
    assert qp(at) == {"article": "a1", "view": "keywords", "q": "china"}


def test_keywords_dyad_through_widget(tables):
    at = run(view="keywords")
    assert "corpus" in set(table(at, "keywords")["level"].astype(str))
    at.multiselect(key="f_dyad").set_value(["CHN-RUS"]).run()
    ok(at)
    assert sorted(table(at, "keywords")["keyword"].astype(str)) == ["rail freight", "ties", "trade"]
    assert summaries(at)["Most frequent article keywords"] == "1 article each: rail freight, ties."
    at2 = run(view="keywords", q="Moscow")
    assert list(table(at2, "kwic")["article_id"]) == ["a3"]


# --------------------------------------------------------------------------- Topics and sections

def test_topics_dyad_from_query_string(tables):
    at = run(view="topics", dyad="RUS-USA")
    sections = table(at, "sections")
    assert list(sections["article_id"]) == ["a3"] and list(sections["topic"]) == ["security"]
    # one article, one topic: sentences (the title as written: Markdown-escaped, never HTML)
    assert summaries(at) == {"Topic mix per article": "US and Russia <i>meet</i> · security: 1 paragraph.",
                             "Topic mix": "security: 1 paragraph."}
    assert {"Download sections.csv", "Download paragraphs.csv"} <= set(downloads(at))


def test_topics_topic_through_widget(tables):
    at = run(view="topics")
    at.multiselect(key="f_topic").set_value(["trade"]).run()
    ok(at)
    assert qp(at) == {"view": "topics", "topic": "trade"}
    sections = table(at, "sections")
    assert list(zip(sections["article_id"], sections["section_id"])) == [("a1", 0), ("a1", 1)]
    assert list(sections["keywords"]) == ["", "trade"]
    assert bar_points(chart_titled(at, "Topic mix")) == {"trade": 3, "diplomacy": 1}


# --------------------------------------------------------------------------- Reader

def test_reader_escapes_article_text(tables):
    at = run(view="reader", read="a3")
    body = at.html[0].proto.body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>" not in body and "<b>today</b>" not in body and "<i>meet</i>" not in body
    assert '<mark title="Moscow">Moscow</mark>' in body
    assert list(table(at, "reader_mentions")["surface"].astype(str)) == ["United States", "Russia", "Moscow"]
    assert qp(at) == {"view": "reader", "read": "a3"}


def test_reader_highlights_quotes_and_follows_widget(tables):
    at = run(view="reader", entity="Artem Loginov")
    assert at.selectbox(key="reader_article").value == "a1"
    body = at.html[0].proto.body
    assert '<span class="q" title="quote: Artem Loginov"><mark title="Russia">Russia</mark></span>' in body
    assert list(table(at, "reader_quotes")["quote_id"].astype(str)) == ["a1-q0"]
    at = run(view="reader")
    at.selectbox(key="reader_article").set_value("a2").run()
    ok(at)
    assert "&#x27;=HYPERLINK" not in at.html[0].proto.body  # text as written, escaped once
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in at.html[0].proto.body
    assert qp(at)["read"] == "a2"


# --------------------------------------------------------------------------- start-up pages

def test_empty_corpus_page(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_DATA", str(write_empty(tmp_path / "tables")))
    monkeypatch.setenv("DYAD_INPUT", str(tmp_path / "articles"))
    monkeypatch.setenv("DYAD_NO_BUILD", "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    ok(at)
    text = " ".join(m.value for m in at.markdown)
    assert str(tmp_path / "articles") in text
    for fmt in (".txt", ".md", ".html", ".htm", ".jsonl", ".csv"):
        assert fmt in text


def test_unreadable_tables_page(tables):
    (tables / "mentions.parquet").write_bytes(b"broken")
    (tables / "mentions.csv").write_bytes(b"\x00\x00")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("mentions" in e.value for e in at.error)
    assert any("python -m pipeline build" in c.value for c in at.code)


def _fake_build(monkeypatch, behaviour):
    import pipeline
    calls = []
    fake = types.ModuleType("pipeline.build")
    fake.DEFAULT_INPUT, fake.DEFAULT_OUT = Path("seeds"), Path("data/processed")

    class NoArticlesError(Exception):
        pass

    def build_corpus(inputs, out, *, workers=1, progress=None):
        calls.append((inputs, out))
        return behaviour(out, progress, NoArticlesError)

    fake.NoArticlesError = NoArticlesError
    fake.build_corpus = build_corpus
    fake.tables_are_stale = lambda inputs, out: not (Path(out) / "manifest.json").exists()
    monkeypatch.setitem(sys.modules, "pipeline.build", fake)
    monkeypatch.setattr(pipeline, "build", fake, raising=False)
    return calls


def test_stale_tables_are_built_with_progress(tmp_path, monkeypatch):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "one.txt").write_text("Title\n\nText.")
    monkeypatch.setenv("DYAD_DATA", str(tmp_path / "tables"))
    monkeypatch.setenv("DYAD_INPUT", str(tmp_path / "articles"))
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)

    def behaviour(out, progress, _err):
        for i in range(1, 4):
            progress(i, 3)
        write_fixture(Path(out))
        return types.SimpleNamespace(built=3, skipped=[], duplicates=0, boilerplate_removed=0, seconds=0.1)

    calls = _fake_build(monkeypatch, behaviour)
    at = AppTest.from_file(APP, default_timeout=60).run()
    ok(at)
    assert len(calls) == 1
    assert at.status and "Built tables from 3 articles" in at.status[0].label
    assert cards(at)[0] == "3"


def test_build_without_articles_shows_the_friendly_page(tmp_path, monkeypatch):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "empty.txt").write_text("")
    monkeypatch.setenv("DYAD_DATA", str(tmp_path / "tables"))
    monkeypatch.setenv("DYAD_INPUT", str(tmp_path / "articles"))
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)

    def behaviour(out, progress, err):
        raise err("nothing")

    _fake_build(monkeypatch, behaviour)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("Formats read" in m.value for m in at.markdown)


def test_rerun_recomputes_nothing(tables, monkeypatch):
    from dashboard import aggregates, loaders
    seen = []
    real = loaders.apply_filters
    monkeypatch.setattr(loaders, "apply_filters", lambda c, f: seen.append(f) or real(c, f))
    real_ec = aggregates.entity_counts
    ec_calls = []
    monkeypatch.setattr(aggregates, "entity_counts", lambda *a, **k: ec_calls.append(1) or real_ec(*a, **k))
    at = run(entity="Lu Wenqing")
    first = (len(seen), len(ec_calls))
    at.run()
    ok(at)
    at.run()
    ok(at)
    assert (len(seen), len(ec_calls)) == first


def test_pair_rerun_recomputes_nothing(tables, monkeypatch):
    from dashboard import aggregates, loaders
    calls = []
    for name in ("distinctive_terms", "pair_counts", "country_mentions", "side_speakers"):
        real = getattr(aggregates, name)
        monkeypatch.setattr(aggregates, name, lambda *a, _f=real, _n=name, **k: calls.append(_n) or _f(*a, **k))
    real_sel = loaders.apply_filters
    monkeypatch.setattr(loaders, "apply_filters", lambda c, f: calls.append("filter") or real_sel(c, f))
    at = run(view="pair")
    assert "distinctive_terms" in calls
    first = len(calls)
    at.run()
    ok(at)
    assert len(calls) == first


# --------------------------------------------------------------------------- text stays text (issue 13: 17-19)

LOGIN_LINK = "[Session expired - click to log in](https://evil.example/login)"


def markdown_values(at: AppTest) -> list[str]:
    """The source of every element whose text Streamlit renders as Markdown (main area and sidebar)."""
    out = []
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader"):
        out += [e.value for e in at.get(kind)]
    out += [e.label for e in at.get("metric")] + [e.label for e in at.status]
    for kind in ("multiselect", "selectbox", "text_input", "radio", "date_input", "button", "download_button"):
        out += [str(getattr(e, "label", "")) for e in at.get(kind)]
        out += [str(getattr(e, "help", "") or "") for e in at.get(kind)]
    return out


def assert_plain(at: AppTest) -> None:
    """No Markdown element holds a live link, tag or formula: every such character is escaped
    (the page's own style rules, ``widgets.PAGE_STYLE``, are the code's)."""
    from dashboard.widgets import PAGE_STYLE
    for value in markdown_values(at):
        if value == PAGE_STYLE:
            continue
        assert "evil.example" not in value, value  # escaped text reads evil\.example
        live = re.sub(r"\\.", "", value)  # what is left once the escaped characters are taken out
        assert "](" not in live and "<" not in live and "$" not in live, value


def unescaped(value: str) -> str:
    """Markdown as the reader sees it: escapes resolved, autolink-breaking word joiners left out."""
    return re.sub(r"\\(.)", r"\1", value).replace(WORD_JOINER, "")


def test_markdown_link_in_entity_url_is_plain_text(tables):
    at = run(entity=LOGIN_LINK)
    assert_plain(at)
    warnings = [unescaped(w.value) for w in at.sidebar.warning]
    assert any(f"“{LOGIN_LINK}”" in w for w in warnings), warnings
    assert unescaped(sidebar_text(at)[0]) == f"**Entity:** {LOGIN_LINK}"


def test_markdown_link_in_kwic_term_is_plain_text(tables):
    at = run(view="keywords", q="[x](https://evil.example/)")
    assert_plain(at)
    assert any("“[x](https://evil.example/)”" in unescaped(i.value) for i in at.info)
    at = run(view="keywords", q="[China](https://evil.example/) $x$")
    assert_plain(at)


def test_long_query_value_is_cut_with_a_note(tables):
    at = run(entity="y" * 50_000, view="keywords", q="z" * 50_000)
    assert at.multiselect(key="f_entity").value == ["y" * 200]
    assert at.text_input(key="kwic_term").value == "z" * 200
    notes = [unescaped(w.value) for w in at.sidebar.warning if "characters long" in w.value]
    assert len(notes) == 2 and all("50,000 characters long; only its first 200 are used" in n for n in notes)
    assert all(len(v) <= 200 for v in at.query_params["entity"] + at.query_params["q"])
    at.multiselect(key="f_entity").set_value([]).run()
    ok(at)
    notes = [w.value for w in at.sidebar.warning if "characters long" in w.value]
    assert len(notes) == 1 and "“q”" in notes[0]  # the entity note goes with the cut value


@pytest.mark.parametrize("view", ["overview", "pair", "entities", "voices", "keywords", "topics", "reader"])
def test_article_text_stays_text_in_every_view(tmp_path, monkeypatch, view):
    monkeypatch.setenv("DYAD_DATA", str(write_hostile(tmp_path / "tables")))
    monkeypatch.setenv("DYAD_INPUT", str(tmp_path / "articles"))
    monkeypatch.setenv("DYAD_NO_BUILD", "1")
    at = run(view=view, read="a3", q="Moscow")
    assert_plain(at)
    for fig in charts(at):
        text = json.dumps(fig)
        assert "<a " not in text and "<span" not in text
    if view == "topics":  # the article's title reaches the chart's ticks and hover escaped
        per_article = json.dumps(chart_titled(at, "Topic mix per article"))
        assert json.dumps(html.escape(HOSTILE["title"], quote=False))[1:-1] in per_article
    at.multiselect(key="f_entity").set_value([HOSTILE["entity"]]).run()
    ok(at)
    assert_plain(at)
    assert unescaped(sidebar_text(at)[0]) == f"**Entity:** {HOSTILE['entity']}"
