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
    out = clean_unit("China, Russia have found ‘new path for major countries’")
    assert out.endswith(".") and "’" not in out and "‘" not in out
    assert clean_unit("President Putin’s first foreign visit.") == "President Putin , first foreign visit."
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
