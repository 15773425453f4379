"""Topic stage: the editable taxonomy, paragraph labelling with evidence, topic sections."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.keywords import KeywordSettings, article_keywords
from pipeline.records import ArticleText
from pipeline.topics import load_taxonomy, label_topics, topic_mix
from test_keywords import seed_article

DATA = Path(__file__).resolve().parent.parent / "data"
TAX = load_taxonomy(DATA)
REQUIRED = ["diplomacy", "trade", "energy", "finance", "technology", "agriculture", "security", "multilateral",
            "conflict", "people", "regional"]


def article(paragraphs, *, headings=("",), sections=None) -> ArticleText:
    sections = sections if sections is not None else (0,) * len(paragraphs)
    return ArticleText("a1", "", "", tuple(paragraphs), tuple(sections), tuple(headings))


def topics_of(text: str) -> list[str]:
    return [t for t in label_topics(article([text]), taxonomy=TAX).paragraph_topics[0].split(";") if t]


# --------------------------------------------------------------------------- the taxonomy

def test_taxonomy_covers_bilateral_relations():
    assert set(REQUIRED) <= set(TAX.ids)
    for t in TAX.topics:
        assert t.label and t.description
    assert isinstance(TAX.matcher, re.Pattern)   # one compiled matcher for every term and pattern


def test_bad_taxonomy_files_are_rejected(tmp_path):
    (tmp_path / "topics.toml").write_text('[[topic]]\nid = "a"\nterms = ["x"]\n[[topic]]\nid = "a"\n')
    with pytest.raises(ValueError, match="unique id"):
        load_taxonomy(tmp_path)
    (tmp_path / "topics.toml").write_text('[[topic]]\nid = "a"\npatterns = ["(unclosed"]\n')
    with pytest.raises(ValueError, match="bad pattern"):
        load_taxonomy(tmp_path)


def test_taxonomy_is_user_editable(tmp_path):
    (tmp_path / "topics.toml").write_text(
        '[settings]\nmin_score = 1.0\n[[topic]]\nid = "space"\nlabel = "Space"\ndescription = "d"\n'
        'terms = ["launch pad"]\nweak_terms = ["orbit", "rocket"]\npatterns = [\'\\bmoon ?shot\\b\']\n')
    tax = load_taxonomy(tmp_path)
    res = label_topics(article(["A new launch pad opened.", "The rocket reached orbit.", "A rocket.",
                                "A bold moonshot."]), taxonomy=tax)
    assert res.paragraph_topics == ["space", "space", "", "space"]
    assert res.paragraph_evidence[1] == "space:orbit|rocket"


# --------------------------------------------------------------------------- paragraphs

@pytest.mark.parametrize("text, topic", [
    ("The foreign minister paid a state visit and the two sides issued a joint statement.", "diplomacy"),
    ("Washington wants Tokyo to cut its trade surplus, lower tariffs and open its market to imports.", "trade"),
    ("The companies set up a joint venture; foreign direct investment doubled.", "trade"),
    ("Exports of semiconductors fell after the chip pact.", "trade"),
    ("Gas flows through the new pipeline will double, and crude oil deliveries rise.", "energy"),
    ("The central bank let the yuan weaken against the dollar as bilateral currency swaps grew.", "finance"),
    ("The pact covers semiconductors, artificial intelligence and electric vehicle factories.", "technology"),
    ("Farmers expect higher wheat and soybean sales as food security tops the agenda.", "agriculture"),
    ("The navies held a joint military exercise near the disputed waters; missiles were tested.", "security"),
    ("Both sides pledged support for the WTO and for the BRICS summit.", "multilateral"),
    ("The ceasefire collapsed as refugees fled the fighting.", "conflict"),
    ("Visa-free travel boosted tourism, and more students now study in each other's universities.", "people"),
    ("The border provinces signed sister city agreements and a cross-border railway.", "regional"),
    ("Both pledged to cut carbon emissions to slow climate change.", "environment"),
])
def test_paragraph_topics(text, topic):
    assert topic in topics_of(text)


@pytest.mark.parametrize("text, absent", [
    ("Who said that?", "multilateral"),                 # capitalised terms (WHO) match only in capitals
    ("According to the minister, nothing changed.", "diplomacy"),   # "accord" is no signal inside "according"
    ("The grain harvest was good.", "trade"),
])
def test_no_false_topic(text, absent):
    assert absent not in topics_of(text)


def test_weak_terms_need_company():
    assert topics_of("The market opened.") == []                          # one weak term: no topic
    assert "trade" in topics_of("Goods flowed to the market.")            # two weak terms: a topic


def test_evidence_lists_the_triggering_terms():
    res = label_topics(article(["Tariffs on steel imports rose; the People-to-People exchange year began."]),
                       taxonomy=TAX)
    ev = dict(part.split(":", 1) for part in res.paragraph_evidence[0].split(";"))
    assert set(res.paragraph_topics[0].split(";")) == set(ev)
    assert {"tariff", "import"} <= set(ev["trade"].split("|"))
    assert "people-to-people" in ev["people"].split("|")       # written with hyphens, matched with any case


# --------------------------------------------------------------------------- sections

def test_article_without_topical_terms():
    paras = ["It rained all day.", "Then the sun came out again.", "Nobody minded much."]
    res = label_topics(article(paras), taxonomy=TAX)
    assert res.paragraph_topics == ["", "", ""] and res.paragraph_evidence == ["", "", ""]
    assert res.paragraph_sections == [0, 0, 0] and res.headings == [""] and res.section_topics == [""]


def test_article_without_headings_gets_topic_sections():
    paras = [
        "The two presidents held talks during a state visit and signed a joint statement.",
        "The foreign ministers also met with their counterparts; diplomatic ties are strong.",
        "It was a sunny day.",                                        # no topic: joins the previous section
        "Bilateral trade rose 20 percent as tariffs fell and exports of machinery grew.",
        "Importers expect the trade surplus to narrow as new quotas end.",
        "Gas exports through the new pipeline will double, and oil deliveries will rise.",
        "The energy deal includes a nuclear power plant and LNG terminals.",
    ]
    res = label_topics(article(paras), taxonomy=TAX)
    assert res.paragraph_sections == [0, 0, 0, 1, 1, 2, 2]
    assert res.headings == ["", "", ""]
    assert res.section_topics == ["diplomacy", "trade", "energy"]


def test_single_paragraph_topic_is_not_a_section_of_its_own():
    paras = [
        "The two presidents held talks during a state visit and signed a joint statement.",
        "The foreign ministers also met; diplomatic ties are strong.",
        "Gas exports through the pipeline will grow.",                  # a lone energy paragraph
        "The leaders agreed on a new summit and more diplomatic exchanges next year.",
    ]
    res = label_topics(article(paras), taxonomy=TAX)
    assert len(res.headings) == 1 and res.section_topics == ["diplomacy"]


def test_articles_with_headings_keep_them():
    paras = ["Trade rose as tariffs fell.", "Exports grew.", "The navy held drills with missiles."]
    res = label_topics(article(paras, headings=("", "Security"), sections=(0, 0, 1)), taxonomy=TAX)
    assert res.headings == ["", "Security"]
    assert res.paragraph_sections == [0, 0, 1]
    assert res.section_topics == ["trade", "security"]


def test_topic_mix():
    mix = topic_mix(["trade;finance", "trade", ""], ["trade", "energy"])
    assert mix == {"trade": 2 / 3, "energy": 1 / 3, "finance": 1 / 3}


# --------------------------------------------------------------------------- the seed

def test_seed_topics_and_sections():
    a = seed_article()
    res = label_topics(a, taxonomy=TAX)
    assert res.headings == ["", "More and more cooperation", "On international affairs"]
    assert all(res.section_topics)
    carried = [t for t in res.paragraph_topics if t]
    assert len(carried) / len(res.paragraph_topics) >= 0.8
    assert len({t for cell in carried for t in cell.split(";")}) >= 4
    rows = article_keywords(a, settings=KeywordSettings())
    assert {r.section_id for r in rows if r.level == "section"} == {"0", "1", "2"}


def test_seed_without_headings_still_sections_by_topic():
    a = seed_article()
    flat = ArticleText(a.article_id, a.title, a.standfirst, a.paragraphs, (0,) * len(a.paragraphs), ("",))
    res = label_topics(flat, taxonomy=TAX)
    assert len(res.headings) >= 2 and all(h == "" for h in res.headings)
    assert all(res.section_topics)
    assert res.paragraph_sections == sorted(res.paragraph_sections)     # sections are contiguous
    sizes = [res.paragraph_sections.count(s) for s in range(len(res.headings))]
    assert min(sizes) >= 2
