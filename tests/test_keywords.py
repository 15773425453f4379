"""Keyword stage: the validated YAKE wrapper, its two engines, de-duplication, the three levels."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import keywords as kw
from pipeline.keywords import CorpusKeywords, KeywordSettings, article_keywords, clean_unit, corpus_keywords, deduplicate, extract
from pipeline.records import ArticleText, KeywordRow

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_91ac481c97c523e0.txt"
ENGINES = ["yake", "yake-rust"]


def seed_article() -> ArticleText:
    """The seed as the structure stage sees it, built here so these tests depend on this stage only:
    title = first block, standfirst = second, short unpunctuated lines are headings, credit lines
    dropped, everything from the closing credit ("Excerpts: ...") on is page furniture."""
    blocks = [b.strip() for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    title, standfirst, rest = blocks[0], blocks[1], blocks[2:]
    headings, paragraphs, sections = [""], [], []
    for b in rest:
        if b.startswith("Excerpts:"):
            break
        if b.startswith("Photo:"):
            continue
        if len(b.split()) <= 8 and b[-1] not in ".!?”\"":
            headings.append(b)
            continue
        paragraphs.append(b)
        sections.append(len(headings) - 1)
    return ArticleText("seed", title, standfirst, tuple(paragraphs), tuple(sections), tuple(headings))


def article(paragraphs, *, title="", headings=("",), sections=None, outlet="") -> ArticleText:
    sections = sections if sections is not None else (0,) * len(paragraphs)
    return ArticleText("a1", title, "", tuple(paragraphs), tuple(sections), tuple(headings), "", outlet)


# --------------------------------------------------------------------------- settings

@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("method", kw.DEDUP_METHODS)
def test_valid_settings_are_accepted(engine, method):
    s = KeywordSettings(engine=engine, dedup_method=method, dedup_threshold=0.8, max_ngram=2, top_n=5,
                        window_size=2, language="en")
    assert s.engine == engine and s.dedup_method == method


@pytest.mark.parametrize("field, value", [
    ("language", "xx"), ("language", "noLang"), ("language", ""), ("language", "EN"), ("language", 3),
    ("max_ngram", 0), ("max_ngram", 7), ("max_ngram", 2.5), ("max_ngram", True),
    ("top_n", 0), ("top_n", -1), ("top_n", "10"),
    ("section_top_n", -1),
    ("dedup_threshold", 0), ("dedup_threshold", 1.5), ("dedup_threshold", -0.1), ("dedup_threshold", "0.5"),
    ("dedup_threshold", True),
    ("dedup_method", "levenshtein"), ("dedup_method", ""),
    ("window_size", 0), ("window_size", 11),
    ("engine", "spacy"), ("engine", "yake_rust"),
    ("data_dir", "/nonexistent/dyad-data"),
])
def test_bad_settings_raise_a_clear_error(field, value):
    with pytest.raises(ValueError, match=f"KeywordSettings.{field}"):
        KeywordSettings(**{field: value})


def test_unknown_language_is_a_value_error_not_a_rust_panic():
    # yake_rust.Yake(language="xx") raises pyo3's PanicException (a BaseException, not Exception);
    # the settings must refuse the code before the engine is ever built.
    with pytest.raises(ValueError, match="language"):
        KeywordSettings(language="xx", engine="yake-rust")


def test_every_accepted_language_works_in_both_engines():
    import yake
    import yake_rust

    lists = Path(yake.__file__).parent / "core" / "StopwordsList"
    for code in kw.LANGUAGES:
        assert (lists / f"stopwords_{code}.txt").is_file(), code
        yake_rust.Yake(language=code)   # would raise PanicException for an unsupported code


def test_engine_gets_the_yake_07_parameter_names():
    s = KeywordSettings(engine="yake", window_size=3, max_ngram=2)
    engine = kw._engine(s, kw._lexicon(s.language, s.data_dir).stopwords)
    # yake 0.7 reads window_size / dedup_lim and silently ignores windowsSize / dedupLim
    assert engine._py.config["window_size"] == 3
    assert engine._py.config["n"] == 2
    assert engine._py.config["dedup_lim"] < 1.0


# --------------------------------------------------------------------------- clean input

def test_clean_unit_makes_a_sentence_and_normalises_quotes():
    out = clean_unit("Kenya, Ethiopia have opened ‘a green corridor for farmers’")
    assert out.endswith(".") and "’" not in out and "‘" not in out
    assert clean_unit("President Mwangi’s first trip abroad.") == "President Mwangi , first trip abroad."
    assert clean_unit("It doesn’t mean that.") == "It doesn't mean that."


@pytest.mark.parametrize("text, expected", [
    ("Putin's visit", "Putin , visit ."),
    ("PUTIN'S VISIT", "PUTIN , VISIT ."),
    ("the allies' plan", "the allies , plan ."),
    ("'Not now,' she said", '"Not now," she said .'),
    ("rock 'n' roll", 'rock "n" roll .'),
    ("don't", "don't ."),
    ("O'Brien said", "O'Brien said ."),
    ("it’s `twas", "it , `twas ."),          # an apostrophe-s reads as a possessive
    ("’Tis the talks’", '"Tis the talks" .'),
    ("'s", '"s .'),
    ("'", '" .'),
])
def test_clean_unit_quote_marks(text, expected):
    assert clean_unit(text) == expected


def test_quote_mark_patterns_match_their_lookbehind_first_forms():
    # The patterns look back after the quote mark (for speed); they must match exactly where the
    # plain forms in the comment beside them do.
    import random
    import re

    plain = {kw._APOS_IN_WORD: re.compile(r"(?<=\w)[’ʼ′`](?=\w)"),
             kw._POSSESSIVE: re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)", re.I),
             kw._QUOTE_TOKEN: re.compile(r"(?<!\w)'|'(?!\w)")}
    rng = random.Random(5)
    texts = ["".join(rng.choice("aS s'’ʼ′`\n\t.-é1_") for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    for fast, slow in plain.items():
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text


@pytest.mark.parametrize("engine", ENGINES)
def test_no_candidate_runs_across_lines_or_credits(engine):
    a = article(
        ["Photo: Xinhua",
         "Officials from both sides discussed the new grain corridor and the grain corridor tariffs.",
         "The grain corridor will open next spring, officials said."],
        title="Neighbours agree on grain corridor with major countries")
    rows = article_keywords(a, settings=KeywordSettings(engine=engine, top_n=20))
    words = " | ".join(r.keyword.lower() for r in rows)
    assert "xinhua" not in words and "photo" not in words
    assert "countries officials" not in words


def test_headline_case_title_is_recased_like_the_body():
    a = article(["Beijing and Washington resumed trade talks on Monday, hoping for a better trade deal.",
                 "The trade deal would cut tariffs on farm goods, negotiators said."],
                title="CHINA CALLS FOR BETTER TRADE DEAL WITH U.S.")
    rows = article_keywords(a, settings=KeywordSettings())
    assert not any(r.keyword.isupper() and len(r.keyword) > 4 for r in rows)


# --------------------------------------------------------------------------- de-duplication

NAME_VARIANTS = [("Putin", 0.010), ("China", 0.011), ("Vladimir Putin", 0.012), ("President Vladimir Putin", 0.013),
                 ("Russian President Vladimir", 0.014), ("china", 0.015), ("trade", 0.016),
                 ("trade deficit", 0.017), ("trade surplus", 0.018), ("China and Russia", 0.019)]
STOP = frozenset({"and", "of", "the"})


@pytest.mark.parametrize("method, threshold, expected", [
    ("tokens", 0.6, ["Putin", "China", "trade", "trade deficit", "trade surplus"]),
    # at 1.0 only containment merges: "Russian President Vladimir" shares 2 of 3 words
    ("tokens", 1.0, ["Putin", "China", "Russian President Vladimir", "trade", "trade deficit", "trade surplus"]),
    ("none", 0.6, ["Putin", "China", "Vladimir Putin", "President Vladimir Putin", "Russian President Vladimir",
                   "trade", "trade deficit", "trade surplus", "China and Russia"]),
])
def test_deduplication_merges_name_variants_and_case(method, threshold, expected):
    out = deduplicate(NAME_VARIANTS, method=method, threshold=threshold, top_n=20, stopwords=STOP)
    assert [k for k, _ in out] == expected


@pytest.mark.parametrize("method", ["seqm", "levs", "jaro"])
def test_string_methods_merge_close_spellings(method):
    out = deduplicate([("Putin", 0.1), ("Putin's", 0.2), ("trade", 0.3)], method=method, threshold=0.7, top_n=5)
    assert [k for k, _ in out] == ["Putin", "trade"]


def test_excluded_and_breaker_phrases_are_dropped():
    out = deduplicate([("Global Times", 0.1), ("Beijing on Thursday", 0.2), ("trade", 0.3)], method="tokens",
                      threshold=0.6, top_n=5, exclude=frozenset({"global times"}),
                      breakers=frozenset({"thursday"}))
    assert [k for k, _ in out] == ["trade"]


@pytest.mark.parametrize("engine", ENGINES)
def test_wrapper_merges_putin_variants_on_real_text(engine):
    text = [
        "Russian President Vladimir Putin arrived in Beijing. President Vladimir Putin met Chinese leaders.",
        "Vladimir Putin said the visit was a success. Putin praised the talks. Russian President Vladimir "
        "Putin will return next year.",
    ]
    out = [k for k, _ in extract(text, settings=KeywordSettings(engine=engine, top_n=10))]
    # the name variants (phrases of capitalised words naming him) collapse into one keyword
    names = [k for k in out if ("putin" in k.lower() or "vladimir" in k.lower())
             and all(w[0].isupper() for w in k.split())]
    assert len(names) == 1, out


@pytest.mark.parametrize("engine", ENGINES)
def test_output_is_deterministic(engine):
    s = KeywordSettings(engine=engine)
    a = seed_article()
    assert article_keywords(a, settings=s) == article_keywords(a, settings=s)


# --------------------------------------------------------------------------- levels and the seed

@pytest.mark.parametrize("engine", ENGINES)
def test_seed_article_keywords_are_clean(engine):
    rows = article_keywords(seed_article(), settings=KeywordSettings(engine=engine))
    top = [r.keyword for r in rows if r.level == "article"]
    assert [r.rank for r in rows if r.level == "article"] == list(range(1, len(top) + 1))
    assert len(top) == 10
    noise = ("xinhua", "global times", "photo", "excerpts", "nepal", "appharu", "kathmandu", "putalisadak")
    assert not any(n in k.lower() for k in top for n in noise), top
    assert {"china", "russia"} & {k.lower() for k in top[:5]}, top
    keys = [k.casefold() for k in top]
    assert len(set(keys)) == len(keys)
    # no near-duplicates: no keyword is a name variant of another one
    cands = [kw._Cand(k, kw._lexicon("en", "").stopwords) for k in top]
    for i, a in enumerate(cands):
        for b in cands[i + 1:]:
            assert kw._sim_tokens(a, b) < 0.6, (a.kw, b.kw)


def test_every_section_gets_keywords_and_levels_are_well_formed():
    a = seed_article()
    rows = article_keywords(a, settings=KeywordSettings())
    assert {r.level for r in rows} == {"article", "section"}
    for r in rows:
        assert r.article_id == "seed"
        assert (r.section_id == "") == (r.level == "article")
    sections = {r.section_id for r in rows if r.level == "section"}
    assert sections == {str(s) for s in range(len(a.headings))}


def test_article_without_text_yields_nothing():
    assert article_keywords(article([]), settings=KeywordSettings()) == []


def test_corpus_keywords_combine_articles_and_case_variants():
    rows = [
        KeywordRow("article", "a", "", "Trade", 0.01, 1), KeywordRow("article", "a", "", "Putin", 0.02, 2),
        KeywordRow("article", "b", "", "trade", 0.02, 2), KeywordRow("article", "b", "", "Yen", 0.01, 1),
        KeywordRow("article", "c", "", "trade", 0.03, 3), KeywordRow("section", "c", "0", "ignored", 0.001, 1),
    ]
    out = corpus_keywords(rows, top_n=10)
    assert [r.keyword for r in out] == ["trade", "Yen", "Putin"]
    assert all(r.level == "corpus" and r.article_id == "" and r.section_id == "" for r in out)
    assert out[0].score == pytest.approx(1 / (1 + 1 / 2 + 1 / 3))
    assert [r.rank for r in out] == [1, 2, 3]
    assert corpus_keywords(rows, top_n=1)[0].keyword == "trade"
    # a build tallies them article by article as the results arrive: the same keywords and scores
    tally = CorpusKeywords()
    for article_id in "abc":
        tally.add([r for r in rows if r.article_id == article_id])
    assert tally.top(10) == out


# --------------------------------------------------------------------------- determinism (issue 13, item 12)

def test_corpus_scores_are_exact_and_do_not_depend_on_article_order():
    # ten articles rank "tariffs" 10th: 1/10 summed ten times in floats is 0.9999999999999999
    rows = [KeywordRow("article", f"a{i}", "", "tariffs", 0.5, 10) for i in range(10)]
    rows.append(KeywordRow("article", "b", "", "harbour", 0.01, 1))
    rows += [KeywordRow("article", f"c{i}", "", "grain", 0.3, 3) for i in range(5)]
    rows += [KeywordRow("article", f"d{i}", "", "grain", 0.1 + i / 7, 7) for i in range(3)]
    out = corpus_keywords(rows, top_n=10)
    assert [(r.keyword, r.score) for r in out][1:] == [("tariffs", 1.0), ("harbour", 1.0)]   # tie: more articles first
    import random
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert corpus_keywords(shuffled, top_n=10) == out
        tally = CorpusKeywords()
        for row in shuffled:
            tally.add([row])
        assert tally.top(10) == out


def test_exact_sums_round_like_fsum():
    import math
    import random

    rnd = random.Random(2)
    for _ in range(100):
        xs = [rnd.random() / rnd.randint(1, 1000) for _ in range(rnd.randint(1, 40))]
        assert kw._from_exact(sum(kw._exact(x) for x in xs)) == math.fsum(xs)
    for x in (5e-324, 1e308, 0.1, 1 / 3, 2.0 ** -1074, 123456.789):
        assert kw._from_exact(kw._exact(x)) == x


_DETERMINISM_SCRIPT = r"""
import json, sys
from pipeline.keywords import KeywordSettings, article_keywords, corpus_keywords
from pipeline.records import ArticleText

texts = [
    ["The river council met the harbour board on Monday to talk about grain tariffs and the new rail line.",
     "Grain traders said the tariffs would raise prices at the harbour before the winter season.",
     "The rail line will carry grain from the river valley to the harbour, the council said."],
    ["A summit on border trade opened in the mountain town, where ministers signed a customs ledger.",
     "Border guards and customs officers will share the ledger, and trade across the mountain pass will grow."],
    ["Engine makers asked the council for help as orders fell.", "The council promised a garden of new rules.",
     "Signal makers, window fitters and engine makers met the council again in the autumn."],
]
out = {}
for engine in ("yake", "yake-rust"):
    rows = []
    for i, paragraphs in enumerate(texts):
        art = ArticleText(f"a{i}", "Talks on trade", "", tuple(paragraphs), (0,) * len(paragraphs), ("",))
        rows += article_keywords(art, settings=KeywordSettings(engine=engine))
    rows += corpus_keywords(rows, top_n=20)
    out[engine] = [(r.level, r.article_id, r.section_id, r.keyword, repr(r.score), r.rank) for r in rows]
print(json.dumps(out))
"""


def test_keyword_scores_are_identical_in_processes_with_different_hash_seeds(tmp_path):
    """Identical inputs give identical bytes whatever Python's string hashing (PYTHONHASHSEED).

    The `yake` engine's scores are compared bit for bit, the yake-rust ones after the wrapper's
    rounding: yake-rust's own last digits change from call to call (see keywords._ENGINE_NOISE)."""
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "keywords_run.py"
    script.write_text(_DETERMINISM_SCRIPT, encoding="utf-8")
    outputs = []
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                              cwd=ROOT, timeout=120, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0]["yake"] and outputs[0]["yake-rust"]
    for other in outputs[1:]:
        assert other == outputs[0]


# --------------------------------------------------------------------------- over-long text (issue 13, item 4)

def test_a_500kb_run_of_words_still_gets_keywords():
    """yake-rust panicked (PanicException, a BaseException) on one sentence of some 200 KB."""
    import random

    rnd = random.Random(4)
    words = ["harbour", "grain", "tariff", "river", "council", "ledger", "summit", "engine"]
    for text in ("word " * 100_000, " ".join(rnd.choice(words) for _ in range(80_000))):
        rows = article_keywords(article([text], title="Grain talks"), settings=KeywordSettings())
        assert [r.rank for r in rows if r.level == "article"][:1] == [1]


def test_engine_text_leaves_ordinary_text_alone_and_cuts_long_stretches():
    prose = "\n".join(f"The council met on day {i}. Traders said the tariffs would stay." for i in range(800))
    assert len(prose) > kw.ENGINE_RUN_CHARS and kw.engine_text(prose) == prose
    run = "grain harbour " * 10_000
    cut = kw.engine_text(run)
    pieces = cut.split(kw.ENGINE_BREAK)
    assert len(pieces) > 1 and all(len(p) <= kw.ENGINE_RUN_CHARS for p in pieces)
    assert " ".join(p.strip() for p in pieces).split() == run.split()        # only spaces replaced
    token = "x" * (3 * kw.ENGINE_TOKEN_CHARS)
    assert max(len(t) for t in kw.engine_text(token * 2).split()) <= kw.ENGINE_TOKEN_CHARS


def test_an_engine_panic_becomes_an_ordinary_error():
    class PanicException(BaseException):
        pass

    class Panicking:
        def get_n_best(self, text, n):
            raise PanicException("called `Result::unwrap()` on an `Err` value")

    engine = kw._Engine(KeywordSettings(), frozenset())
    engine._rust = Panicking()
    with pytest.raises(RuntimeError, match="yake-rust failed"):
        engine.best("Grain talks went on.", 10)


# --------------------------------------------------------------------------- names (issue 15, item 6)
# Invented sentences and names only. A mention is given as (paragraph, surface, entity_id[, nth]):
# its character span is found in the paragraph.

from pipeline.keywords import NameSpan, fit_keywords_to_names  # noqa: E402
from pipeline.records import EntityResult, EntityRow, MentionRow  # noqa: E402

NAME_PARAS = [
    "Prime Minister Tavor Kellan met the envoy of the United Provinces on Monday. Kellan's aides said "
    "the General Accord on Fisheries and Shipping Lanes was discussed at the harbor.",
    "The U.P. delegation, led by Finance Minister Tavor Kellan, praised the harbor talks. The UP side "
    "and the Oskarian envoy signed a U.P.-Oskaria note near the harbor and the Harbor Council office.",
    "Critics of the United Provinces said the harbor fees were too high.",
]
NAME_MENTIONS = [
    (0, "Tavor Kellan", "person:tavor-kellan"), (0, "United Provinces", "UPV"), (0, "Kellan", "person:tavor-kellan"),
    (0, "General Accord on Fisheries and Shipping Lanes", "org:gafsl"),
    (1, "U.P.", "UPV"), (1, "Tavor Kellan", "person:tavor-kellan"), (1, "UP", "UPV"),
    (1, "the Oskarian envoy", "person:ilse-varo"), (1, "Oskarian", "OSK"), (1, "U.P.", "UPV", 1),
    (1, "Oskaria", "OSK", 1), (1, "Harbor Council", "org:harbor-council"),
    (2, "United Provinces", "UPV"),
]
NAME_CANON = {"person:tavor-kellan": "Tavor Kellan", "UPV": "United Provinces of Verel", "OSK": "Oskaria",
              "org:gafsl": "GAFSL", "person:ilse-varo": "Ilse Varo", "org:harbor-council": "Harbor Council"}
PERSONS = frozenset({"person:tavor-kellan", "person:ilse-varo"})


def _find(text: str, surface: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(surface, at + 1)
    return at


def name_spans(paras=NAME_PARAS, mentions=NAME_MENTIONS) -> list[list[NameSpan]]:
    spans: list[list[NameSpan]] = [[] for _ in paras]
    for p, surface, eid, *nth in mentions:
        start = _find(paras[p], surface, *nth)
        spans[p].append(NameSpan(start, start + len(surface), eid))
    return spans


def fit(keywords, **kwargs) -> list[str]:
    scored = [(k, 0.01 * (i + 1)) for i, k in enumerate(keywords)]
    kwargs.setdefault("names", NAME_CANON)
    out = fit_keywords_to_names(scored, NAME_PARAS, name_spans(), **kwargs)
    return [k for k, _ in out]


@pytest.mark.parametrize("keyword, persons, expected", [
    # a title and a cut name: the whole name; a person's title stands for the person
    ("Prime Minister Tavor", PERSONS, "Tavor Kellan"),
    ("Prime Minister Tavor", frozenset(), "Prime Minister Tavor Kellan"),
    ("Minister Tavor Kellan", PERSONS, "Tavor Kellan"),
    ("Finance Minister", PERSONS, "Tavor Kellan"),              # just before the name
    # a one-word fragment of a name is never a keyword: the name it is part of
    ("United", PERSONS, "United Provinces of Verel"),
    ("Provinces", PERSONS, "United Provinces of Verel"),
    ("Oskarian envoy", PERSONS, "Ilse Varo"),                  # cuts "the Oskarian envoy"
    # a keyword that IS a mention: the entity's canonical name, whatever the variant
    ("U.P.", PERSONS, "United Provinces of Verel"),
    ("UP", PERSONS, "United Provinces of Verel"),
    ("United Provinces", PERSONS, "United Provinces of Verel"),
    ("Kellan", PERSONS, "Tavor Kellan"),                       # "Kellan's": the possessive is no part of it
    ("Oskarian", PERSONS, "Oskaria"),                          # a name inside a longer mention is a name
    # no name cut: unchanged
    ("U.P.-Oskaria note", PERSONS, "U.P.-Oskaria note"),
    ("harbor fees", PERSONS, "harbor fees"),
    ("harbor", PERSONS, "harbor"),                             # 4 times free, once in "Harbor Council"
    ("shipping", PERSONS, "GAFSL"),                            # only ever inside the accord's name
    ("Verel", PERSONS, "Verel"),                               # in no paragraph (a title, say)
])
def test_keywords_are_fitted_to_whole_names(keyword, persons, expected):
    assert fit([keyword], persons=persons) == [expected]


LONG = "General Accord on Fisheries and Shipping Lanes"


@pytest.mark.parametrize("keyword, max_words, canonical, expected", [
    # the accord's name has 7 words: without a short canonical name a fragment is dropped unless a
    # name that long is allowed
    ("General Accord", 6, "", []),
    ("Accord on Fisheries", 6, "", []),
    ("Shipping Lanes", 6, "", []),
    ("Shipping Lanes", 6, LONG, []),          # canonical name too long as well
    ("General Accord", 7, "", [LONG]),
    ("General Accord", 6, "GAFSL", ["GAFSL"]),
    ("Accord on Fisheries", 3, "GAFSL", ["GAFSL"]),
    ("Kellan met", 6, "", ["Tavor Kellan met"]),  # starts inside "Tavor Kellan"
    ("aides said", 6, "", ["aides said"]),        # cuts no name
])
def test_fragments_of_long_names_are_dropped(keyword, max_words, canonical, expected):
    names = {k: v for k, v in NAME_CANON.items() if k != "org:gafsl"}
    if canonical:
        names["org:gafsl"] = canonical
    assert fit([keyword], max_words=max_words, names=names) == expected


def test_name_fitting_keeps_order_and_scores_and_deduplication_merges_the_variants():
    scored = [("UP", 0.1), ("harbor", 0.2), ("United", 0.3), ("General Accord", 0.4), ("United Provinces", 0.5),
              ("Prime Minister Tavor", 0.6), ("Kellan", 0.7)]
    out = fit_keywords_to_names(scored, NAME_PARAS, name_spans(), names=NAME_CANON, persons=PERSONS)
    assert out == [("United Provinces of Verel", 0.1), ("harbor", 0.2), ("United Provinces of Verel", 0.3),
                   ("GAFSL", 0.4), ("United Provinces of Verel", 0.5), ("Tavor Kellan", 0.6), ("Tavor Kellan", 0.7)]
    kept = deduplicate(out, method="tokens", threshold=0.6, top_n=10)
    assert kept == [("United Provinces of Verel", 0.1), ("harbor", 0.2), ("GAFSL", 0.4), ("Tavor Kellan", 0.6)]


def test_without_a_canonical_name_the_surface_is_kept_and_no_mentions_change_nothing():
    assert fit(["UP", "Prime Minister Tavor"], names={}) == ["UP", "Prime Minister Tavor Kellan"]
    scored = [("Prime Minister Tavor", 0.1), ("United", 0.2)]
    assert fit_keywords_to_names(scored, NAME_PARAS, [[] for _ in NAME_PARAS]) == scored


def test_an_outcome_is_taken_by_majority_of_the_occurrences():
    paras = ["Dorn Valley farmers met.", "Dorn Valley exports rose.", "Dorn said farmers in Dorn were calm."]
    mentions = [(0, "Dorn Valley", "place:dorn-valley"), (1, "Dorn Valley", "place:dorn-valley")]
    spans = name_spans(paras, mentions)
    canon = {"place:dorn-valley": "Dorn Valley"}
    # "Dorn": twice inside "Dorn Valley", twice free -> a tie goes to the first occurrence
    assert fit_keywords_to_names([("Dorn", 0.1)], paras, spans, names=canon) == [("Dorn Valley", 0.1)]
    paras[2] = paras[2] + " Dorn is old."
    assert fit_keywords_to_names([("Dorn", 0.1)], paras, spans, names=canon) == [("Dorn", 0.1)]


def _entity_result(paras, mentions, canon, persons) -> EntityResult:
    rows = []
    for p, surface, eid, *nth in mentions:
        start = _find(paras[p], surface, *nth)
        rows.append(MentionRow("a1", p, eid, surface, start, start + len(surface)))
    ents = [EntityRow(eid, name, "person" if eid in persons else "other", "") for eid, name in canon.items()]
    return EntityResult(entities=ents, mentions=rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_article_keywords_cut_no_names_at_any_level(engine):
    paras = [p + " " + p for p in NAME_PARAS]            # each sentence twice: names YAKE scores well
    mentions = [(p, s, e, (nth[0] if nth else 0)) for p, s, e, *nth in NAME_MENTIONS]
    doubled = []
    for p, s, e, nth in mentions:
        count = NAME_PARAS[p].count(s)
        doubled += [(p, s, e, nth), (p, s, e, nth + count)]
    ents = _entity_result(paras, doubled, NAME_CANON, PERSONS)
    a = article(paras, title="Harbor talks", headings=("", "Fees"), sections=(0, 0, 1))
    s = KeywordSettings(engine=engine, top_n=15, section_top_n=8)
    rows = article_keywords(a, settings=s, entities=ents)
    assert rows == article_keywords(a, settings=s, entities=ents)          # deterministic
    plain = article_keywords(a, settings=s)
    assert {r.level for r in rows} == {"article", "section"}
    names = [n.casefold().split() for n in ["Tavor Kellan", "United Provinces",
                                           "General Accord on Fisheries and Shipping Lanes", "the Oskarian envoy"]]
    for r in rows:
        w = r.keyword.casefold().split()
        for n in names:
            # (a common noun a description also uses, "envoy", is no fragment of it)
            if len(w) == 1 and not r.keyword[0].isupper():
                continue
            cut = len(w) < len(n) and (n[:len(w)] == w or n[-len(w):] == w or (len(w) == 1 and w[0] in n))
            assert not cut, (r.keyword, n)
    kws = [r.keyword for r in rows if r.level == "article"]
    assert "United Provinces of Verel" in kws and "Tavor Kellan" in kws
    # without the mentions YAKE's n-grams cut the accord's name
    assert any(r.keyword in ("General Accord", "Accord on Fisheries", "Shipping Lanes") for r in plain)
