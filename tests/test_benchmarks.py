"""Smoke test of the benchmark corpus generator (no timing assertions)."""
from __future__ import annotations

import json

from benchmarks import corpus


def _sources(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    for k in range(3):
        paras = [f"Paragraph {j} of article {k} says that the talks went on for a long time." for j in range(6)]
        (texts / f"outlet_2016-0{k + 1}-01_story-{k}.txt").write_text(
            f"Title of story {k}\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    wire = tmp_path / "wire.jsonl"
    with open(wire, "w", encoding="utf-8") as f:
        for k in range(2):
            text = " ".join(f"Wire sentence {j} of item {k} is here." for j in range(7))
            f.write(json.dumps({"id": f"w{k}", "title": f"WIRE ITEM {k}", "text": text}) + "\n")
    return (texts, wire)


def test_pool_reads_txt_paragraphs_and_splits_wire_copy(tmp_path):
    pool = corpus.load_pool(_sources(tmp_path))
    assert len(pool) == 5
    txt = pool[0]
    assert txt.title == "Title of story 0" and txt.date == "2016-01-01" and txt.outlet == "outlet"
    assert len(txt.paragraphs) == 6
    wire = [a for a in pool if a.outlet == "Reuters"]
    assert [len(a.paragraphs) for a in wire] == [3, 3]          # 7 sentences → 3 + 3 + 1
    assert wire[0].paragraphs[0].count("Wire sentence") == 3


def test_generator_is_deterministic_prefix_stable_and_unique(tmp_path):
    pool = corpus.load_pool(_sources(tmp_path))
    small = list(corpus.generate_records(20, seed=7, pool=pool))
    large = list(corpus.generate_records(40, seed=7, pool=pool))
    assert large[:20] == small
    assert list(corpus.generate_records(20, seed=7, pool=pool)) == small
    assert list(corpus.generate_records(20, seed=8, pool=pool)) != small
    assert len({r["text"] for r in large}) == 40
    assert len({r["id"] for r in large}) == 40
    every = {p for a in pool for p in a.paragraphs}
    for rec in large:
        paras = rec["text"].split("\n\n")
        assert len(paras) >= 2
        assert set(paras) <= every                      # only real paragraphs, recombined
        assert rec["title"] and rec["date"]


def test_corpus_file_is_written_once_and_reused(tmp_path):
    sources = _sources(tmp_path)
    out = tmp_path / "bench"
    path = corpus.corpus_path(15, seed=3, out_dir=out, sources=sources)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 15 and all(json.loads(line)["text"] for line in lines)
    mtime = path.stat().st_mtime_ns
    assert corpus.corpus_path(15, seed=3, out_dir=out, sources=sources) == path
    assert path.stat().st_mtime_ns == mtime
    extra = corpus.extra_article_path(seed=3, out_dir=out, sources=sources)
    rec = json.loads(extra.read_text(encoding="utf-8"))
    assert rec["text"] not in {json.loads(line)["text"] for line in lines}


def test_parallel_diagnostics_pair_each_round_and_take_the_median():
    from benchmarks.pipeline_build import Run, parallel_diagnostics

    def run(wall, cpu):
        return Run("r", wall_s=wall, cpu_s=cpu, maxrss_mb=0, tree_rss_mb=0, load_before=0)

    one = [run(3.0, 3.0), run(2.0, 2.0), run(4.0, 4.0)]
    two = [run(1.8, 3.3), run(1.1, 2.0), run(2.0, 4.0)]      # pairs: 0.60, 0.55, 0.50; CPU 1.1, 1.0, 1.0
    pairs, cpu, serial = parallel_diagnostics(one, two)
    assert round(pairs["wall"], 3) == 0.55 and pairs["limit"] is None
    assert cpu["cpu"] == 1.0
    assert round(serial["wall"], 3) == 0.2        # 2 T2 - T1: 0.6, 0.2, 0.0
