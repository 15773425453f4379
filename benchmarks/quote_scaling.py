"""How the text stages scale with the length of one paragraph (issue 13, item 15).

    .venv/bin/python benchmarks/quote_scaling.py [--base-kb 256] [--stages quotes,entities,topics,keywords]
                                                 [--shapes NAME,...] [--max-seconds 60]

For each paragraph shape below, one article made of a single paragraph of 1×, 2×, 4× and 8× the base
size (default 256 KB, so 8× is 2 MB) goes through each stage; printed: seconds per size and each
size's time divided by the 1× time. A linear stage gives ratios near 1, 2, 4, 8 (a quadratic one
4, 16, 64). The sizes of one shape are measured one after the other in the same run; each time is
the process's CPU time (so other load on the machine counts less), the best of ``--repeat`` runs
(default 1), with the garbage collector set as a build sets it (pipeline.build._fewer_collections)
and collected before each run. A shape stops growing once one size takes longer than
``--max-seconds``. The quote stage is timed alone (the entity stage runs first, untimed, as in
the pipeline). The texts are generated here (invented sentences), not read from any corpus.
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import entities as entity_stage  # noqa: E402
from pipeline import keywords as keyword_stage  # noqa: E402
from pipeline import quotes as quote_stage  # noqa: E402
from pipeline import topics as topic_stage  # noqa: E402
from pipeline.records import ArticleText  # noqa: E402
from pipeline.resources import load_resources  # noqa: E402

_WORDS = ("talks", "trade", "minister", "border", "market", "season", "river", "harbor", "council",
          "engine", "garden", "signal", "ledger", "window", "rail", "summit", "grain", "tariff")


def _repeat(unit: str):
    return lambda n_bytes: unit * max(1, n_bytes // len(unit.encode("utf-8")))


def _numbered(unit: str, n_bytes: int) -> str:
    out, size, i = [], 0, 0
    while size < n_bytes:
        out.append(unit.format(i))
        size += len(out[-1])
        i += 1
    return "".join(out)


def _random_words(n_bytes: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out, size = [], 0
    while size < n_bytes:
        w = rnd.choice(_WORDS)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)


# name -> (what it stresses, generator of about n bytes)
SHAPES = {
    "short_quotes": ("6,000 short quotes per 174 KB (the issue's case)", _repeat('"Short words here," she said. ')),
    "named_quotes": ("curly quotes with a named speaker", _repeat("“Talks will go on,” Anna Petrova said. ")),
    "many_marks": ("quote marks of every kind, mostly scare quotes",
                   _repeat("a \"b\" c “d” e «f» g ''h'' i ‘j’ k ")),
    "unbalanced": ("opening marks never closed", _repeat('"Open words and more, she said ')),
    "stray_close": ("closing marks never opened, no sentence break", _repeat("words run on,” she said, ")),
    "reports": ("reported speech, one endless sentence",
                _repeat("he said that the talks went well, she said that they did not, ")),
    "long_sentence": ("one sentence: commas, verbs, relative clauses",
                      _repeat("and the minister, who said the talks went on, told the council that ")),
    "according": ("according to …, one endless sentence", _repeat("according to the council the talks went on, ")),
    "short_sentences": ("many short sentences", _repeat("The council met. He said it. ")),
    "word_run": ("random words, no punctuation at all", _random_words),
    "organisations": ("organisations the entity stage discovers",
                      lambda n: _numbered("The Council of Harbour{} Affairs said it would act. ", n)),
    "titled_names": ("titled names, each new", lambda n: _numbered("President Wang Lei{} told the Daily Courier that "
                                                                   "talks went on. ", n)),
}
STAGES = ("quotes", "entities", "topics", "keywords")


def article(text: str) -> ArticleText:
    return ArticleText("bench", "Title", "", (text,), (0,), ("",))


def run_stage(stage: str, art: ArticleText, resources) -> float:
    found = entity_stage.extract_entities(art, catalog=resources.catalog) if stage == "quotes" else None
    gc.collect()
    t0 = time.process_time()
    if stage == "quotes":
        quote_stage.extract_quotes(art, entities=found, lexicon=resources.lexicon)
    elif stage == "entities":
        entity_stage.extract_entities(art, catalog=resources.catalog)
    elif stage == "topics":
        topic_stage.label_topics(art, taxonomy=resources.taxonomy)
    elif stage == "keywords":
        keyword_stage.article_keywords(art, settings=resources.keyword_settings,
                                       lexicon=resources.keyword_lexicon)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-kb", type=int, default=256)
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--factors", default="1,2,4,8")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=60.0)
    args = ap.parse_args(argv)
    stages = [s for s in args.stages.split(",") if s]
    shapes = [s for s in args.shapes.split(",") if s]
    factors = [int(f) for f in args.factors.split(",")]
    for name in stages + shapes:
        if name not in STAGES and name not in SHAPES:
            ap.error(f"unknown stage or shape: {name}")
    resources = load_resources()
    gc.set_threshold(20_000, 10, 10)       # as a build runs the stages
    base = args.base_kb * 1024
    print(f"one paragraph of {', '.join(f'{f}×' for f in factors)} {args.base_kb} KB; "
          f"seconds (time / time at {factors[0]}×)")
    for stage in stages:
        print(f"\n{stage}")
        for name in shapes:
            what, make = SHAPES[name]
            cells, first = [], None
            for f in factors:
                text = make(base * f)
                art = article(text)
                try:
                    dt = min(run_stage(stage, art, resources) for _ in range(max(1, args.repeat)))
                except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException; report it
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    cells.append(f"{f}×: {type(exc).__name__}")
                    break
                first = dt if first is None else first
                cells.append(f"{f}×: {dt:7.3f}s ({dt / first if first else 0:5.1f})")
                if dt > args.max_seconds:
                    cells.append("(stopped)")
                    break
            print(f"  {name:16s} " + "  ".join(cells) + f"   [{what}]", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
