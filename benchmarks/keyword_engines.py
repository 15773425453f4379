"""Compare the two keyword engines behind pipeline.keywords on real articles.

    .venv/bin/python benchmarks/keyword_engines.py [--top 10] [--repeat 1] [INPUT ...]

Default inputs: /work/shared/eval/quotes-dev/texts/*.txt and
/work/shared/eval/countries-dev/articles.jsonl (field ``text``), 235 articles. Each article goes
through the pipeline's readers and structure stage, then through ``article_keywords``'s
article-level wrapper (``pipeline.keywords.extract``) once per engine with otherwise identical
settings. Printed:

  * top-N overlap per article = |top-N(yake) ∩ top-N(yake-rust)| / N (case-folded), its mean,
    median and the share of articles with full agreement;
  * wall time of each engine over all articles, measured in the same run, and their ratio;
  * the same two numbers for the raw engines with their own default settings (no wrapper);
  * both engines' keywords for the seed article(s) in seeds/;
  * with --profile: a cProfile of the keyword + topic stages (article_keywords + label_topics)
    over the same articles with the default settings, to show that YAKE is all they cost.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.keywords import KeywordSettings, _engine, _units_text, article_keywords, extract  # noqa: E402
from pipeline.records import ArticleText  # noqa: E402

DEFAULT_INPUTS = [Path("/work/shared/eval/quotes-dev/texts"), Path("/work/shared/eval/countries-dev/articles.jsonl")]


def load_articles(inputs: list[Path]) -> list[ArticleText]:
    from pipeline.readers import discover, read_inputs
    from pipeline.structure import load_structure_rules, parse_structure, read_limits

    rules = load_structure_rules(ROOT / "data" / "structure.toml")
    max_article_bytes, max_collection_bytes = read_limits(ROOT / "data" / "structure.toml")
    docs = read_inputs(discover(inputs), max_article_bytes=max_article_bytes,
                       max_collection_bytes=max_collection_bytes).documents
    out = []
    for doc in docs:
        p = parse_structure(doc, rules=rules)
        out.append(ArticleText(doc.doc_id, p.title, p.standfirst, tuple(p.paragraphs),
                               tuple(p.paragraph_sections), tuple(p.headings), p.published, p.outlet))
    return out


def units(a: ArticleText) -> list[str]:
    out = [a.title, a.standfirst]
    last = -1
    for para, sec in zip(a.paragraphs, a.paragraph_sections):
        if sec != last and sec < len(a.headings):
            out.append(a.headings[sec])
            last = sec
        out.append(para)
    return out


def run(articles, settings, top, repeat):
    best = None
    result = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = [[(r.keyword, r.score) for r in article_keywords(a, settings=settings)] for a in articles]
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return result, best


def run_raw(articles, engine, top, repeat):
    """The engines as shipped: yake.KeywordExtractor() / yake_rust.Yake(language='en') defaults."""
    import yake
    import yake_rust

    texts = [_units_text(units(a)) for a in articles]
    if engine == "yake":
        ex = yake.KeywordExtractor(lan="en", n=3, top=top)
        fn = ex.extract_keywords
    else:
        ex = yake_rust.Yake(language="en", ngrams=3)
        fn = lambda t: ex.get_n_best(t, n=top)  # noqa: E731
    best = None
    result = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = [fn(t) for t in texts]
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return result, best


def overlaps(a_lists, b_lists, top):
    out = []
    for a, b in zip(a_lists, b_lists):
        ka = {k.casefold() for k, _ in a[:top]}
        kb = {k.casefold() for k, _ in b[:top]}
        denom = min(top, max(len(ka), len(kb))) or 1
        out.append(len(ka & kb) / denom)
    return out


def report(name, ov, t_py, t_rs):
    print(f"{name}: top-N overlap mean {statistics.mean(ov):.3f}, median {statistics.median(ov):.3f}, "
          f"full agreement {sum(o == 1.0 for o in ov) / len(ov):.1%}; "
          f"time yake {t_py:.2f}s, yake-rust {t_rs:.2f}s, ratio {t_py / t_rs:.1f}x")


def profile(articles) -> int:
    import cProfile
    import pstats

    from pipeline.keywords import article_keywords
    from pipeline.topics import label_topics, load_taxonomy

    t0 = time.perf_counter()
    taxonomy = load_taxonomy(ROOT / "data")
    print(f"load_taxonomy (once per process): {time.perf_counter() - t0:.3f}s")
    settings = KeywordSettings()
    article_keywords(articles[0], settings=settings)           # engine built outside the profile

    def stages():
        for a in articles:
            label_topics(a, taxonomy=taxonomy)
            article_keywords(a, settings=settings)

    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.runcall(stages)
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    total = stats.total_tt
    engine = sum(tt for (file, _, name), (_, _, tt, _, _) in stats.stats.items()
                 if "get_n_best" in name or "/yake/" in file or "segtok" in file)
    topics = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.stats.items() if name == "label_topics")
    print(f"keyword + topic stages, {len(articles)} articles, engine {settings.engine}: {wall:.2f}s wall "
          f"(profiled {total:.2f}s); YAKE engine {engine:.2f}s = {engine / total:.0%}; "
          f"label_topics {topics:.2f}s = {topics / total:.0%}")
    stats.sort_stats("tottime").print_stats(12)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", type=Path)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1, help="time the best of this many runs")
    ap.add_argument("--profile", action="store_true", help="profile the keyword + topic stages and stop")
    args = ap.parse_args(argv)
    articles = load_articles(args.inputs or DEFAULT_INPUTS)
    print(f"{len(articles)} articles")
    if args.profile:
        return profile(articles)
    # article level only (section_top_n=0): the same lines article_keywords feeds YAKE
    s_py = KeywordSettings(engine="yake", top_n=args.top, section_top_n=0)
    s_rs = KeywordSettings(engine="yake-rust", top_n=args.top, section_top_n=0)
    _engine(s_py), _engine(s_rs)                      # build both before timing
    extract(["warm up the engines."], settings=s_py)
    extract(["warm up the engines."], settings=s_rs)
    py, t_py = run(articles, s_py, args.top, args.repeat)
    rs, t_rs = run(articles, s_rs, args.top, args.repeat)
    report("wrapper (pipeline settings)", overlaps(py, rs, args.top), t_py, t_rs)
    raw_py, r_py = run_raw(articles, "yake", args.top, args.repeat)
    raw_rs, r_rs = run_raw(articles, "yake-rust", args.top, args.repeat)
    report("raw engines (their defaults)", overlaps(raw_py, raw_rs, args.top), r_py, r_rs)

    seeds = load_articles([ROOT / "seeds"]) if (ROOT / "seeds").is_dir() else []
    for a in seeds:
        print(f"\nseed {a.article_id}:")
        for name, s in (("yake", s_py), ("yake-rust", s_rs)):
            kws = article_keywords(a, settings=s)
            print(f"  {name:9s} " + "; ".join(f"{r.keyword} ({r.score:.4f})" for r in kws))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
