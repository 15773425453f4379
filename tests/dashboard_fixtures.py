"""A small, hand-made corpus in the pipeline's table shapes, owned by the dashboard tests.

Three articles: a China-Russia summit piece with Artem Loginov quoted, a piece whose quote starts
with a spreadsheet formula, and an undated US-Russia piece whose text contains HTML.

``hostile_tables`` is the same corpus with markup in every kind of text the dashboard shows
(title, outlet, entity name and country, speaker, category, topic, heading, keyword, quote).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.synthetic import complete, write_tables
from dashboard.tables import pipeline_columns

FORMULA_QUOTE = '=HYPERLINK("http://evil.example","click") is what Xi Jinping wants'
HTML_TEXT = "<script>alert('x')</script> The United States and Russia met in Moscow <b>today</b>."

ENTITIES = [
    ("CHN", "China", "country", "CHN", "", "catalog", ""),
    ("RUS", "Russia", "country", "RUS", "", "catalog", ""),
    ("USA", "United States", "country", "USA", "", "catalog", ""),
    ("person:xi-jinping", "Xi Jinping", "person", "CHN", "President", "catalog", ""),
    ("person:vladimir-putin", "Vladimir Putin", "person", "RUS", "President", "catalog", ""),
    ("person:artem-loginov", "Artem Loginov", "person", "RUS", "Director", "catalog",
     "Institute of Eurasian Economies"),
    ("person:lu-wenqing", "Lu Wenqing", "person", "CHN", "Professor", "catalog", "Pearl River Institute of Diplomacy"),
    ("person:sergei-lavrov", "Sergei Lavrov", "person", "RUS", "Foreign Minister", "catalog", ""),
    ("org:eastern-ledger", "Eastern Ledger", "organization", "CHN", "", "catalog", ""),
    ("place:beijing", "Beijing", "place", "CHN", "", "catalog", ""),
    ("place:moscow", "Moscow", "place", "RUS", "", "catalog", ""),
]
_EID = {e[1]: e[0] for e in ENTITIES}

# (article_id, paragraph_id, section_id, text, topics, [mentioned surfaces])
PARAGRAPHS = [
    ("a1", 0, 0, "Xi Jinping welcomed Vladimir Putin to a state banquet in Beijing.",
     "diplomacy", ["Xi Jinping", "Vladimir Putin", "Beijing"]),
    ("a1", 1, 0, "Artem Loginov, director of a trade institute, told the Eastern Ledger that Russia's exports rose.",
     "diplomacy;trade", ["Artem Loginov", "Eastern Ledger", "Russia"]),
    ("a1", 2, 1, "“Russia ships more rail freight to China than ever,” Loginov said.",
     "trade", ["Russia", "China"]),
    ("a1", 3, 1, "Port operators on both sides expect a busy autumn, shippers said.",
     "trade", []),
    ("a2", 0, 0, f"Lu Wenqing said “{FORMULA_QUOTE}” on Friday.", "security", ["Lu Wenqing", "Xi Jinping"]),
    ("a2", 1, 0, "Sergei Lavrov said ties with China are strong.", "diplomacy", ["Sergei Lavrov", "China"]),
    ("a3", 0, 0, HTML_TEXT, "security", ["United States", "Russia", "Moscow"]),
]

# (article_id, paragraph_id, quote_id, speaker, cue, channel, kind, text)
QUOTES = [
    ("a1", 2, "a1-q0", "Artem Loginov", "said", "Eastern Ledger", "direct",
     "Russia ships more rail freight to China than ever"),
    ("a2", 0, "a2-q0", "Lu Wenqing", "said", "TASS", "direct", FORMULA_QUOTE),
    ("a2", 1, "a2-q1", "Sergei Lavrov", "said", "TASS", "indirect", "ties with China are strong"),
]


def fixture_tables() -> dict[str, pd.DataFrame]:
    text_of = {(a, p): t for a, p, _, t, _, _ in PARAGRAPHS}
    mentions = []
    for a, p, _, text, _, surfaces in PARAGRAPHS:
        start = 0
        for surface in surfaces:
            i = text.index(surface, start)
            mentions.append((a, p, _EID[surface], surface, i, i + len(surface)))
            start = i + len(surface)
    # the speaker mention "Loginov" in a1/2 resolves to Artem Loginov
    t = text_of[("a1", 2)]
    mentions.append(("a1", 2, "person:artem-loginov", "Loginov", t.index("Loginov"), t.index("Loginov") + 7))
    quotes = []
    for a, p, qid, speaker, cue, channel, kind, qtext in QUOTES:
        i = text_of[(a, p)].index(qtext)
        quotes.append((a, p, qid, speaker, _EID[speaker], cue, channel, kind, qtext, i, i + len(qtext)))
    articles = [
        ("a1", "seeds/a1.txt", "Leaders dine in Beijing", "Rail freight tops the agenda", "Eastern Ledger",
         "Photo: Xinhua", "2024-05-16", "https://example.org/a1", "CHN-RUS", 52, 4, "h1"),
        ("a2", "seeds/a2.txt", "Formula test", "", "TASS", "", "2024-06-01", "", "CHN-RUS", 20, 2, "h2"),
        ("a3", "seeds/a3.html", "US and Russia <i>meet</i>", "", "Xinhua", "", "", "", "RUS-USA", 14, 1, "h3"),
    ]
    sections = [
        ("a1", 0, "", 0, 2, "diplomacy"),
        ("a1", 1, "On trade", 1, 2, "trade"),
        ("a2", 0, "", 0, 2, "security"),
        ("a3", 0, "", 0, 1, "security"),
    ]
    speakers = [
        ("Artem Loginov", "person:artem-loginov", "Director", "Institute of Eurasian Economies", "RUS",
         "academic and think tank", 1, 0, 8, 1),
        ("Lu Wenqing", "person:lu-wenqing", "Professor", "Pearl River Institute of Diplomacy", "CHN",
         "academic and think tank", 1, 0, 9, 1),
        ("Sergei Lavrov", "person:sergei-lavrov", "Foreign Minister", "Foreign Ministry", "RUS", "official",
         0, 1, 5, 1),
    ]
    keywords = [
        ("corpus", "", "", "strategic ties", 0.01, 1),
        ("corpus", "", "", "-1 dollar", 0.02, 2),
        ("article", "a1", "", "rail freight", 0.03, 1),
        ("article", "a2", "", "ties", 0.04, 1),
        ("section", "a1", "1", "trade", 0.05, 1),
    ]
    rows = {
        "articles": articles, "sections": sections,
        "paragraphs": [(a, p, s, t, top, "") for a, p, s, t, top, _ in PARAGRAPHS],
        "entities": ENTITIES, "mentions": mentions, "quotes": quotes, "speakers": speakers, "keywords": keywords,
    }
    # the rows give each table's first columns; later columns (e.g. quotes.speaker_country) get their
    # defaults, so a quote's speaker country comes from the speakers/entities tables here
    return {name: complete(pd.DataFrame(r, columns=pipeline_columns(name)[:len(r[0])]), name)
            for name, r in rows.items()}


def write_fixture(out: Path) -> Path:
    write_tables(fixture_tables(), out)
    return out


def write_empty(out: Path) -> Path:
    write_tables({}, out)
    return out


def hostile(label: str) -> str:
    """Text that would turn into a link, styled text or LaTeX if HTML or Markdown were interpreted."""
    return (f'<a href="https://evil.example/{label}">{label}</a> <span style="color:red">big</span> '
            f'[{label} login](https://evil.example/login) **b** $x^2$ www.evil.example')


HOSTILE = {name: hostile(name) for name in ("title", "outlet", "entity", "country", "speaker", "category",
                                            "topic", "heading", "keyword", "quote")}


def _replace(df: pd.DataFrame, column: str, old: str, new: str) -> None:
    df[column] = df[column].astype(str).str.replace(old, new, regex=False)


def hostile_tables() -> dict[str, pd.DataFrame]:
    """The fixture with markup in each kind of text (offsets unchanged: only labels are replaced)."""
    t = fixture_tables()
    t["articles"].loc[t["articles"]["article_id"] == "a3", "title"] = HOSTILE["title"]
    _replace(t["articles"], "outlet", "Xinhua", HOSTILE["outlet"])
    t["entities"].loc[t["entities"]["name"] == "Moscow", "name"] = HOSTILE["entity"]
    t["entities"].loc[t["entities"]["name"] == "United States", "country"] = HOSTILE["country"]
    for table, column in (("quotes", "speaker"), ("speakers", "name")):
        _replace(t[table], column, "Sergei Lavrov", HOSTILE["speaker"])
    _replace(t["speakers"], "category", "official", HOSTILE["category"])
    _replace(t["paragraphs"], "topics", "security", HOSTILE["topic"])
    _replace(t["sections"], "topic", "security", HOSTILE["topic"])
    _replace(t["sections"], "heading", "On trade", HOSTILE["heading"])
    _replace(t["keywords"], "keyword", "rail freight", HOSTILE["keyword"])
    t["quotes"].loc[t["quotes"]["quote_id"] == "a2-q1", "text"] = HOSTILE["quote"]
    return t


def write_hostile(out: Path) -> Path:
    write_tables(hostile_tables(), out)
    return out


def many_tables(n_articles: int = 24) -> dict[str, pd.DataFrame]:
    """An invented multi-article corpus (dashboard.synthetic): six countries, four country pairs,
    a dozen speakers of every category (some from third countries, one of unknown country),
    several topics, dates over two years and a few long titles and names: every chart is full."""
    from dashboard.synthetic import generate
    return generate(n_articles, extra_people=12)


def write_many(out: Path, n_articles: int = 24) -> Path:
    write_tables(many_tables(n_articles), out)
    return out
