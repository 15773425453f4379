"""Property tests of the text stages (issue 13): whatever the paragraphs of an article (any unicode,
quotation marks of every kind, stray and unbalanced marks, long words, empty-ish paragraphs), the
per-article function raises nothing, every offset points at its text, and ids are unique.

The texts are generated (invented sentences and fragments, no corpus text).
"""
from __future__ import annotations

import os
import re
from collections import Counter
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline.quotes.extract as quote_extract
import pipeline.quotes.phrases as quote_phrases
import pipeline.quotes.reported as quote_reported
import pipeline.quotes.stretches as quote_stretches
from pipeline import entities as entity_stage
from pipeline import keywords as keyword_stage
from pipeline import topics as topic_stage
from pipeline.process import process_document
from pipeline.quotes.marks import find_spans, sentence_ends
from pipeline.quotes.names import cap_runs, first_cap_run
from pipeline.records import ArticleText, EntityResult, SourceDocument
from pipeline.resources import load_resources
from quote_checks import spans_text

# STAGE_PROPERTY_EXAMPLES=2000 for a longer search than the suite's
SETTINGS = settings(max_examples=int(os.environ.get("STAGE_PROPERTY_EXAMPLES", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

MARKS = ["“", "”", '"', "'", "‘", "’", "«", "»", "''", "„", "‟"]
FRAGMENTS = [
    "Anna Petrova", "Mr. Ivan Sidorov", "the minister", "Chinese President Wang Lei", "Petrova", "she", "he",
    "they", "officials", "said", "told the Berlin Daily", "says", "added", "noted that", "said that", "saying",
    "according to", "according to the Harbour Wire", "According to the ministry,", "pointed out", "called it", "in an interview with",
    "on Monday", "that", "the talks were useful", "we will win", "and", "which", "of Riverton University", "the phrase",
    "on the Ledger Channel's", "Morning Harbour Hour", "U.S.", "Dr.", "Jr.", "2024", "(", ")", "[", "]", ",", ".", ":", ";", "?", "!", " —",
    " – ", "-", "=", "<tweet a=\"x\">", "</tweet>", "RIVERTON (Wire Service) -", "\u00a0", "\u200b", "  ", "é", "İ", "ß",
]
# long words, including ones without any break
LONG_WORDS = st.builds(lambda c, n: c * n, st.sampled_from(["a", "Ö", "x-", "中", "'"]), st.integers(30, 400))
PIECE = st.one_of(st.sampled_from(MARKS), st.sampled_from(FRAGMENTS), st.text(max_size=12), LONG_WORDS)
PARAGRAPH = st.one_of(
    st.lists(PIECE, max_size=30).flatmap(
        lambda pieces: st.sampled_from([" ", "", "  "]).map(lambda sep: sep.join(pieces))),
    st.sampled_from(["", " ", "\u200b", "“", "”", '"', "''", ".", "“ ”"]),
    st.text(max_size=80),
)
PARAGRAPHS = st.lists(PARAGRAPH, min_size=1, max_size=6)


@pytest.fixture(scope="module")
def resources():
    return load_resources()


def article(paragraphs: list[str]) -> ArticleText:
    return ArticleText("a1", "Talks go on", "", tuple(paragraphs), tuple(0 for _ in paragraphs), ("",))


def check_result(result) -> None:
    """What every processed article must satisfy."""
    paragraphs = {p.paragraph_id: p.text for p in result.paragraphs}
    assert sorted(paragraphs) == list(range(len(result.paragraphs)))
    section_ids = {s.section_id for s in result.sections}
    assert all(p.section_id in section_ids for p in result.paragraphs)
    for m in result.mentions:
        assert paragraphs[m.paragraph_id][m.char_start:m.char_end] == m.surface, m
    keys = [(m.paragraph_id, m.char_start, m.char_end, m.entity_id) for m in result.mentions]
    assert len(set(keys)) == len(keys)
    entity_ids = {e.entity_id for e in result.entities}
    assert {m.entity_id for m in result.mentions} <= entity_ids
    check_quotes(result.quotes, paragraphs)
    levels = Counter((k.level, k.section_id) for k in result.keywords)
    for (level, section), n in levels.items():
        assert sorted(k.rank for k in result.keywords if (k.level, k.section_id) == (level, section)) == \
            list(range(1, n + 1))


def check_quotes(quotes, paragraphs: dict[int, str]) -> None:
    for q in quotes:
        assert 0 <= q.char_start < q.char_end <= len(paragraphs[q.paragraph_id]), q
        assert spans_text(paragraphs[q.paragraph_id], q), q
        assert q.kind in ("direct", "indirect")
    keys = [(q.quote_id, q.paragraph_id) for q in quotes]
    assert len(set(keys)) == len(keys), keys
    by_id: dict[str, list] = {}
    for q in quotes:
        by_id.setdefault(q.quote_id, []).append(q)
    for rows in by_id.values():             # a quote over several paragraphs: one speaker, in order
        assert len({(r.speaker, r.kind) for r in rows}) == 1
        assert [r.paragraph_id for r in rows] == sorted(r.paragraph_id for r in rows)


@SETTINGS
@given(paragraphs=PARAGRAPHS, sep=st.sampled_from(["\n\n", "\n", "\n\n\n"]))
def test_process_document_never_raises_and_offsets_point_at_their_text(resources, paragraphs, sep):
    doc = SourceDocument("a1", "a1.txt", "Talks go on\n\n" + sep.join(paragraphs), "txt")
    check_result(process_document(doc, resources=resources))


@SETTINGS
@given(paragraphs=PARAGRAPHS)
def test_stages_on_raw_paragraphs(resources, paragraphs):
    """The stages on paragraphs exactly as generated (the structure stage would tidy them first)."""
    art = article(paragraphs)
    found = entity_stage.extract_entities(art, catalog=resources.catalog)
    for m in found.mentions:
        assert paragraphs[m.paragraph_id][m.char_start:m.char_end] == m.surface
    # the quote stage proper: extract_quotes would hide an exception behind its per-paragraph fallback
    rows = quote_extract.extract(art, found, resources.lexicon)
    check_quotes(rows, dict(enumerate(paragraphs)))
    topics = topic_stage.label_topics(art, taxonomy=resources.taxonomy)
    assert len(topics.paragraph_topics) == len(paragraphs)
    keyword_stage.article_keywords(art, settings=resources.keyword_settings, lexicon=resources.keyword_lexicon)


@SETTINGS
@given(paragraphs=PARAGRAPHS)
def test_quote_stage_long_stretch_paths_give_the_plain_result(resources, paragraphs):
    """Over stretches longer than LONG_STRETCH the quote stage bisects lists made once per paragraph
    instead of reading the stretch; forcing that path everywhere must change nothing."""
    art = article(paragraphs)
    found = entity_stage.extract_entities(art, catalog=resources.catalog)
    plain = quote_extract.extract(art, found, resources.lexicon)
    with long_stretch(0):
        indexed = quote_extract.extract(art, found, resources.lexicon)
    assert indexed == plain


@contextmanager
def long_stretch(value: int):
    # every quote module that reads the limit holds its own binding of it
    modules = [m for m in (quote_stretches, quote_phrases, quote_reported, quote_extract) if hasattr(m, "LONG_STRETCH")]
    old = quote_stretches.LONG_STRETCH
    for m in modules:
        m.LONG_STRETCH = value
    try:
        yield
    finally:
        for m in modules:
            m.LONG_STRETCH = old


@SETTINGS
@given(PARAGRAPH)
def test_quote_spans_are_ordered_and_disjoint(par):
    """The quote stage bisects span lists: they must be in reading order and not overlap."""
    spans = find_spans(par)
    for s in spans:
        assert s.open <= s.start < s.end <= s.close <= len(par)
    for a, b in zip(spans, spans[1:]):
        assert a.close <= b.open


# the sentence-end regex before its lookbehind was added (issue 13): same matches, read once
_PLAIN_SENT_END = re.compile(r"[.!?]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9\u00C0-\u024F])|[.!?]+[\"”’'»)\]]*\s*$")
_SENTENCE_TEXT = st.lists(st.sampled_from(["a", "A", "Mr", "U.S", ".", "..", "!", "?", "!?", " ", "  ", "”", ")",
                                           "'", "\n", "B", "é", "9"]), max_size=40).map("".join)


@SETTINGS
@given(_SENTENCE_TEXT)
def test_sentence_end_regex_matches_like_the_plain_one(text):
    from pipeline.quotes.marks import _SENT_END

    assert [m.span() for m in _SENT_END.finditer(text)] == [m.span() for m in _PLAIN_SENT_END.finditer(text)]
    sentence_ends(text, {"Mr"})


_NAME_TEXT = st.lists(st.sampled_from(["Anna", "Petrova", "de", "la", "Mr.", "U.S.", "Lee's", " ", "  ", "\u00a0",
                                       "x", ".", "Ö", "van", "Dr", ",", "Jr."]), max_size=25).map("".join)


@SETTINGS
@given(_NAME_TEXT, st.integers(0, 30), st.integers(0, 40))
def test_first_cap_run_is_cap_runs_first(text, lo, hi):
    hi = min(hi, len(text))
    runs = cap_runs(text, lo, hi)
    first = first_cap_run(text, lo, hi)
    assert first == (runs[0] if runs else None)
    at = first_cap_run(text, lo, hi, at_lo=True)
    assert at == (runs[0] if runs and runs[0][0].start == lo else None)


@SETTINGS
@given(st.text(st.sampled_from("ab ,:;—–-according to X\n"), max_size=60).map(lambda t: t + st_end(t)))
def test_colon_intro_search_from_its_start_is_the_plain_search(frag):
    if not frag.rstrip().endswith((":", "—", "–")):
        return
    plain = quote_phrases._COLON_INTRO.search(frag)
    fast = quote_phrases._colon_intro(frag)
    assert (plain.span(), plain.span(1)) == (fast.span(), fast.span(1)) if plain else fast is None


def st_end(text: str) -> str:
    return ":" if len(text) % 3 == 0 else (" —" if len(text) % 3 == 1 else "—")


def test_quote_helpers_equal_their_plain_forms():
    text = "  one two, three   four. five  "
    for lo in range(len(text)):
        for hi in range(lo, len(text) + 1):
            for n in range(4):
                assert quote_stretches._more_words_than(text, lo, hi, n) == (len(text[lo:hi].split()) > n)
            assert quote_stretches._blank(text, lo, hi) == (not text[lo:hi].strip())


def test_entity_result_defaults_are_accepted(resources):
    rows = quote_extract.extract(article(["“We will win,” she said."]), EntityResult(), resources.lexicon)
    assert [r.text for r in rows] == ["We will win,"]


_HASH_SEED_SCRIPT = r"""
import json
from dataclasses import asdict
from pipeline.process import process_document
from pipeline.records import SourceDocument
from pipeline.resources import load_resources

texts = [
    "Grain talks go on\n\n“We will reopen the harbour in May,” Anna Petrova, the head of the River Council, said on "
    "Monday.\n\nIvan Sidorov told the Berlin Daily that the tariffs would stay, according to officials in Moscow and "
    "Beijing.\n\nShe said the council would meet again. “Not before the autumn,” he added.",
    "Border trade\n\nThe ministers of China and Russia met in the mountain town, where the summit on border trade "
    "opened. According to the ministry, customs officers will share a ledger.\n\n“The pass will be open,” said Wang "
    "Lei, a spokesperson.",
]
res = load_resources()
out = []
for i, text in enumerate(texts):
    r = process_document(SourceDocument(f"a{i}", f"a{i}.txt", text, "txt"), resources=res)
    out.append({k: [repr(sorted(asdict(x).items())) for x in getattr(r, k)]
                for k in ("sections", "paragraphs", "entities", "mentions", "quotes", "keywords")})
    out[-1]["article"] = repr(sorted(asdict(r.article).items()))
print(json.dumps(out))
"""


def test_stage_outputs_are_identical_in_processes_with_different_hash_seeds(tmp_path):
    """No stage lets Python's string hashing (PYTHONHASHSEED) decide an order or a sum."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    script = tmp_path / "stages_run.py"
    script.write_text(_HASH_SEED_SCRIPT, encoding="utf-8")
    outputs = []
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                              cwd=root, timeout=120, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0][0]["quotes"] and outputs[0][0]["mentions"] and outputs[0][1]["keywords"]
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
