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


# --------------------------------------------------------------------------- the matcher (automaton + small regexes)

def _evidence(text: str, tax=TAX) -> dict[str, set[str]]:
    cell = label_topics(article([text]), taxonomy=tax).paragraph_evidence[0]
    return {t: set(terms.split("|")) for t, terms in (part.split(":", 1) for part in cell.split(";") if part)}


def _hits(text: str, tax=TAX) -> dict[int, dict[str, float]]:
    return _topics_module._match(text, tax).evidence


import pipeline.topics as _topics_module   # noqa: E402  (internals: the reference below needs them)


_TRICKY = r'''
[settings]
weak_weight = 0.3
[[topic]]
id = "a"
label = "A"
description = "d"
terms = ["people's republic", "détente", "trade", "trade war", "import duty", "duty", "NEW YORK", "G-20", "U.S.",
         "co-op", "x_y", "ıcing"]
weak_terms = ["war games", "tie", "K pop"]
patterns = ['\bcurrenc(?:y|ies)\b', 'trade', '(?:NEW|new) york']
[[topic]]
id = "b"
label = "B"
description = "d"
terms = ["war", "republic", "EU", "g 20"]
'''


def _load(tmp_path_factory, text: str):
    d = tmp_path_factory.mktemp("tax")
    (d / "topics.toml").write_text(text, encoding="utf-8")
    return load_taxonomy(d)


@pytest.fixture(scope="module")
def tricky_tax(tmp_path_factory):
    return _load(tmp_path_factory, _TRICKY)


@pytest.fixture(scope="module")
def empty_pattern_tax(tmp_path_factory):       # patterns that can match nothing at all, or punctuation
    return _load(tmp_path_factory, _TRICKY.replace("patterns = [", "patterns = ['(?:zz)?', '[,;]+', "))


@pytest.mark.parametrize("text", ["a trade war", "a trade-war", "a trade – war", "a trade\nwar", "a trade  -  war",
                                  "a trade\u2011war", "a trade\u00a0war", "a trade\t\u2010 war", "a TRADE-War"])
def test_a_space_in_a_term_matches_any_run_of_separators(text):
    assert _evidence(text)["trade"] == {"trade war"}            # one term: the longest, not trade + war


def test_an_apostrophe_matches_both_apostrophes(tricky_tax):
    for text in ("The People's Republic", "The People’s Republic", "the people’s-republic"):
        assert _hits(text, tricky_tax) == {0: {"people's republic": 1.0}}
    assert _hits("The Peoples Republic", tricky_tax) == {1: {"republic": 1.0}}


def test_capitals_only_terms(tricky_tax):
    assert "multilateral" in _evidence("Talks at the WTO.") and "multilateral" not in _evidence("Talks at the Wto.")
    assert "G-20" in _evidence("Ministers of the G-20 met.")["multilateral"]
    assert "multilateral" not in _evidence("Ministers of the g-20 met.")
    assert "multilateral" not in _evidence("Ministers of the G 20 met.")     # a capitals term's hyphen is literal
    # where a lower-case term matches at the same position, it wins (g 20 matches G-20 too)
    assert _hits("Ministers of the G-20 met.", tricky_tax) == {1: {"g 20": 1.0}}
    assert _hits("Off to NEW YORK, NEW-YORK.", tricky_tax) == {0: {"NEW YORK": 1.0}}   # a space: any separators
    assert _hits("Off to New York.", tricky_tax) == {0: {"new york": 1.0}}       # only the pattern matches


def test_overlapping_terms_leftmost_then_longest(tricky_tax):
    # leftmost first: "trade war" starts before "war games", so "war games" is never seen
    assert _hits("A trade war games plan.", tricky_tax) == {0: {"trade war": 1.0}}
    assert _hits("War games.", tricky_tax) == {0: {"war games": 0.3}}
    # at one position a lower-case term beats the `trade` pattern, which still counts where it alone matches
    assert _hits("trade", tricky_tax) == {0: {"trade": 1.0}}
    assert _evidence("Free trade agreements were signed.")["trade"] == {"free trade agreement"}


@pytest.mark.parametrize("text, found", [
    ("(trade)", True), ("trade,", True), ("«trade»", True), ("trade’s", True), ("trade.", True),
    ("tradeé", False), ("étrade", False), ("_trade", False), ("trade_", False), ("trade2", False),
    ("2trade", False), ("trade\u00b2", False), ("ªtrade", False), ("trade\u0661", False),
])
def test_word_boundaries_are_unicode_word_characters(text, found):
    assert ("trade" in _evidence(f"the {text} x").get("trade", set())) is found


def test_case_folding_follows_the_regex_it_replaces(tricky_tax):
    # re.IGNORECASE sees 'İ' as i and ſ as s, but the surface is no known term: the span is taken, no hit
    assert _hits("İmport duty", tricky_tax) == {}
    assert _hits("Import duty", tricky_tax) == {0: {"import duty": 1.0}}
    assert _hits("DÉTENTE", tricky_tax) == {0: {"détente": 1.0}}
    assert _hits("ıcing", tricky_tax) == {0: {"ıcing": 1.0}}
    assert _hits("Icing trade", tricky_tax) == {0: {"trade": 1.0}}   # re equates i and ı: matched, no known surface
    assert _hits("x_y", tricky_tax) == {0: {"x_y": 1.0}}


def test_empty_pattern_matches_advance_like_finditer(empty_pattern_tax):
    assert _hits("a , b", empty_pattern_tax) == {0: {"": 1.0, ",": 1.0}}


def test_taxonomy_pickles(tricky_tax):
    import pickle
    text = "The People’s Republic, NEW YORK and U.S. currency; a trade-war"
    for tax in (TAX, tricky_tax):
        assert _hits(text, pickle.loads(pickle.dumps(tax))) == _hits(text, tax)


def test_separator_class_is_exactly_whitespace_and_the_hyphens():
    import sys
    chars = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    expected = {c for c in chars if (c.isspace() and c != " ") or c in "-‐‑–"}
    assert set(_topics_module._OTHER_SEP.findall(chars)) == expected


@pytest.mark.parametrize("which", ["TAX", "tricky"])
def test_folding_equals_ignorecase_matching(which, tricky_tax):
    """For every character of every key: the characters re.IGNORECASE equates with it = those folded to it."""
    import sys
    tax = TAX if which == "TAX" else tricky_tax
    chars = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    folded = _topics_module._fold(chars, tax.fold)
    assert len(folded) == len(chars)
    assert all(not a.isascii() for a, _ in tax.fold)          # ASCII text needs no pairs
    for key_char in set("".join(tax.literal)) - {" ", "'"}:
        target = _topics_module._fold(key_char, tax.fold)
        expected = set(re.findall(re.escape(key_char), chars, re.I))
        assert {c for c, f in zip(chars, folded) if f == target} == expected, key_char


# A reference: the single regular expression load_taxonomy used to compile (literal trie | capitals trie |
# patterns, one finditer). The automaton-based matcher must find exactly the same hits.

def _reference_match(text: str, tax, rx) -> dict[int, dict[str, float]]:
    evidence: dict[int, dict[str, float]] = {}
    norm = _topics_module._norm
    if not text:
        return evidence
    for m in rx.finditer(text):
        if m.lastgroup == "lit":
            surface = m.group().lower()
            hits = tax.literal.get(surface)
            if hits is None:
                hits = tax.literal.get(norm(surface), ())
        elif m.lastgroup == "cs":
            hits = tax.case_sensitive.get(m.group().replace("’", "'"), ())
        else:
            ti, w = tax.patterns[m.lastgroup]
            hits = ((ti, w, norm(m.group())),)
        for ti, w, term in hits:
            terms = evidence.setdefault(ti, {})
            terms[term] = max(terms.get(term, 0.0), w)
    return evidence


def _reference_regex(tax) -> re.Pattern:
    trie = _topics_module._trie_regex
    parts = [f"(?P<lit>{trie(tax.literal)})", f"(?P<cs>(?-i:{trie(tax.case_sensitive)}))"]
    if tax.matcher is not None:
        parts.append(tax.matcher.pattern[len(r"(?<!\w)(?:"):-len(r")(?!\w)")])
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.I)


@pytest.mark.parametrize("which", ["TAX", "tricky", "empty_pattern"])
def test_matcher_agrees_with_the_single_regex_it_replaced(which, tricky_tax, empty_pattern_tax):
    import random
    tax = {"TAX": TAX, "tricky": tricky_tax, "empty_pattern": empty_pattern_tax}[which]
    rx = _reference_regex(tax)
    keys = sorted(tax.literal) + sorted(tax.case_sensitive) + ["US dollars", "u.s. dollar", "currencies", "New York"]
    junk = [" ", "  ", "-", " - ", "\n", "–", "‐", "\u00a0", "’", "'", ".", ",", ";", "(", "_", "é", "İ", "ı", "ſ",
            "\u212a", "x", "s", "ed", "ing", "2", "—", "“", "ß", "µ", "Σ", "\u0307"]
    rnd = random.Random(4)

    def mutate(key: str) -> str:
        out = []
        for ch in key:
            r = rnd.random()
            if ch == " " and r < 0.5:
                ch = rnd.choice(["-", " - ", "\n", "–", "  ", "_", "’", "\u2009"])
            elif ch == "'" and r < 0.5:
                ch = "’"
            elif ch in "iks" and r < 0.1:
                ch = rnd.choice({"i": "İıI", "k": "\u212aK", "s": "ſS"}[ch])
            elif r < 0.2:
                ch = ch.upper() if rnd.random() < 0.7 else ch.lower()
            out.append(ch)
        return "".join(out)

    texts = list(seed_article().paragraphs)
    for _ in range(3000):
        parts = [mutate(rnd.choice(keys)) if rnd.random() < 0.6 else "".join(rnd.choices(junk, k=rnd.randint(0, 3)))
                 for _ in range(rnd.randint(1, 10))]
        texts.append(("" if rnd.random() < 0.5 else " ").join(parts))
    for text in texts:
        assert _hits(text, tax) == _reference_match(text, tax, rx), text
