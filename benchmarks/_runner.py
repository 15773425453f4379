"""Subprocess side of the benchmarks: one measured job per process, so timings and peak memory are clean.

    python benchmarks/_runner.py build   --root DIR --json FILE --input PATH ... --out DIR [--workers N]
                                         [--keyword-engine E] [--executor dask --scheduler ADDR] [--force]
    python benchmarks/_runner.py yake    --root DIR --json FILE --input PATH ...
    python benchmarks/_runner.py cluster --root DIR --workers 2     (prints the scheduler address, runs until stdin closes)

``build`` does what ``python -m pipeline build`` does (the same build_corpus call as pipeline.cli),
with light timers around the build's functions and the per-article stage functions (wrapped in this
process only; pipeline code is not edited). ``yake`` reads the same inputs with the pipeline's
readers and runs ``yake.KeywordExtractor()`` with its default settings over each article's text.
``--root`` is the project folder (or a snapshot of it) whose ``pipeline`` package is imported.
"""
from __future__ import annotations

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402


class Timers:
    """Exclusive time per bucket: a wrapped call's time minus the wrapped calls nested in it."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[float] = []
        self.missing: list[str] = []

    def _enter(self):
        self._stack.append(0.0)
        return time.perf_counter()

    def _exit(self, name: str, t0: float) -> None:
        elapsed = time.perf_counter() - t0
        nested = self._stack.pop()
        self.seconds[name] += elapsed - nested
        self.calls[name] += 1
        if self._stack:
            self._stack[-1] += elapsed

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            t0 = self._enter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._exit(name, t0)
        timed.__wrapped__ = fn
        return timed

    def wrap_iter(self, name: str, fn):
        """A generator function whose every step (next()) is timed."""
        def timed(*args, **kwargs):
            it = iter(fn(*args, **kwargs))
            while True:
                t0 = self._enter()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    self._exit(name, t0)
                yield item
        return timed

    def patch(self, owner, attr: str, name: str, *, generator: bool = False) -> None:
        fn = getattr(owner, attr, None)
        if fn is None:
            self.missing.append(f"{getattr(owner, '__name__', owner)}.{attr}")
            return
        setattr(owner, attr, (self.wrap_iter if generator else self.wrap)(name, fn))


# bucket names, in the order the build runs them
STAGE_BUCKETS = [
    ("structure", "per-article: structure"),
    ("topics", "per-article: topics"),
    ("entities", "per-article: entities"),
    ("quotes", "per-article: quotes"),
    ("keywords", "per-article: keywords"),
]


def install_timers(timers: Timers) -> None:
    import pipeline.build as build
    import pipeline.entities as entities
    import pipeline.keywords as keywords
    import pipeline.process as process
    import pipeline.quotes as quotes
    import pipeline.tables as tables
    import pipeline.topics as topics

    timers.patch(build, "build_corpus", "orchestration: other")
    timers.patch(build, "load_resources", "load reference data")
    timers.patch(build, "discover", "inputs: discover")
    timers.patch(build, "input_hashes", "inputs: hash files (up-to-date check)")
    timers.patch(build, "_read_manifest", "inputs: read manifest")
    timers.patch(build, "read_inputs", "inputs: read + decode")
    timers.patch(build, "_text_key", "cache: keys + duplicate hashing")
    timers.patch(build, "_doc_key", "cache: keys + duplicate hashing")
    timers.patch(build.ArticleCache, "get", "cache: read (unpickle)")
    timers.patch(build.ArticleCache, "put", "cache: write (pickle)")
    timers.patch(build, "_dumps", "cache: write (pickle)")   # the pickling happens before put
    timers.patch(build.ArticleCache, "prune", "cache: prune")
    timers.patch(build, "run_articles", "per-article: scheduling / workers", generator=True)
    if hasattr(build, "process_document"):
        timers.patch(build, "process_document", "per-article: record assembly")
    else:   # imported inside the functions that use it: wrap it where it is defined
        timers.patch(process, "process_document", "per-article: record assembly")
    timers.patch(process, "parse_structure", "per-article: structure")
    timers.patch(topics, "label_topics", "per-article: topics")
    timers.patch(entities, "extract_entities", "per-article: entities")
    timers.patch(quotes, "extract_quotes", "per-article: quotes")
    timers.patch(keywords, "article_keywords", "per-article: keywords")
    timers.patch(build, "corpus_tables", "corpus stages (merge, tallies, corpus keywords)")
    timers.patch(tables, "table_columns", "tables: rows to columns, Arrow tables")
    timers.patch(tables, "to_arrow", "tables: rows to columns, Arrow tables")
    timers.patch(tables.TableWriter, "add", "tables: CSV rows as results arrive")
    timers.patch(tables, "_write_csv", "tables: write Parquet + CSV")
    timers.patch(tables, "_write_parquet", "tables: write Parquet + CSV")
    timers.patch(tables.TableWriter, "finish", "tables: manifest + swap in")


def _root(path: str) -> Path:
    root = Path(path).resolve()
    sys.path.insert(0, str(root))
    return root


def cmd_build(args) -> dict:
    _root(args.root)
    timers = Timers()
    import pipeline.cli  # noqa: F401  (the CLI's imports, so the import cost matches the command's)
    from pipeline.build import build_corpus
    from pipeline.keywords import KeywordSettings
    t_imported = time.perf_counter()
    read_chars = {}
    if not args.no_timers:
        # Importing the stage modules to wrap them costs what the up-to-date path avoids: rebuilds
        # are measured with --no-timers.
        install_timers(timers)
        import pipeline.build as build
        real_read = build.read_inputs

        def read_and_count(*a, **k):
            result = real_read(*a, **k)
            read_chars["chars"] = sum(len(d.text) for d in result.documents)
            read_chars["docs"] = len(result.documents)
            return result

        build.read_inputs = read_and_count
    settings = KeywordSettings(engine=args.keyword_engine) if args.keyword_engine else None
    t0 = time.perf_counter()
    report = build_corpus([Path(p) for p in args.input], Path(args.out), workers=max(1, args.workers),
                          keyword_settings=settings, force=args.force, executor=args.executor,
                          scheduler=args.scheduler)
    t1 = time.perf_counter()
    return {
        "kind": "build", "import_s": t_imported - T_START, "build_s": t1 - t0, "report_s": report.seconds,
        "built": report.built, "cached": report.cached, "up_to_date": report.up_to_date,
        "processed": report.processed,
        "rows": report.rows, "duplicates": len(report.duplicates), "skipped": len(report.skipped),
        "docs_read": read_chars.get("docs"), "chars": read_chars.get("chars"),
        "timers": dict(timers.seconds), "calls": dict(timers.calls), "timers_missing": timers.missing,
    }


def cmd_yake(args) -> dict:
    _root(args.root)
    t0 = time.perf_counter()
    from pipeline.readers import discover, read_inputs
    from pipeline.resources import DATA_DIR
    from pipeline.structure import read_limits
    max_article_bytes, max_collection_bytes = read_limits(DATA_DIR / "structure.toml")
    t1 = time.perf_counter()
    docs = read_inputs(discover([Path(p) for p in args.input]), max_article_bytes=max_article_bytes,
                       max_collection_bytes=max_collection_bytes).documents
    texts = [d.text for d in docs]
    t2 = time.perf_counter()
    import yake
    t3 = time.perf_counter()
    extractor = yake.KeywordExtractor()            # the package's default settings
    n_keywords = 0
    for text in texts:
        n_keywords += len(extractor.extract_keywords(text))
    t4 = time.perf_counter()
    return {"kind": "yake", "import_s": (t1 - t0) + (t3 - t2), "read_s": t2 - t1, "extract_s": t4 - t3,
            "work_s": (t2 - t1) + (t4 - t3), "docs": len(texts), "chars": sum(map(len, texts)),
            "keywords": n_keywords, "yake_version": getattr(yake, "__version__", "?")}


def cmd_cluster(args) -> None:
    # As if started with `python -c ...` in the project folder: the folder is on sys.path, and the
    # spawned worker processes inherit it (pipeline.distributed's uploaded zip alone is not enough
    # with upload_file(load=False): the zip is saved on the workers but never put on their sys.path).
    _root(args.root)
    from distributed import LocalCluster

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        print(json.dumps({"scheduler": cluster.scheduler_address}), flush=True)
        sys.stdin.read()      # until the benchmark closes our stdin


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--root", required=True)
    b.add_argument("--json", required=True)
    b.add_argument("--input", nargs="+", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--workers", type=int, default=1)
    b.add_argument("--keyword-engine", default=None)
    b.add_argument("--executor", default="local")
    b.add_argument("--scheduler", default=None)
    b.add_argument("--force", action="store_true")
    b.add_argument("--no-timers", action="store_true", help="no stage timers: exactly the CLI's imports")
    y = sub.add_parser("yake")
    y.add_argument("--root", required=True)
    y.add_argument("--json", required=True)
    y.add_argument("--input", nargs="+", required=True)
    c = sub.add_parser("cluster")
    c.add_argument("--workers", type=int, default=2)
    c.add_argument("--root", default=".")
    args = ap.parse_args(argv)
    if args.cmd == "cluster":
        cmd_cluster(args)
        return 0
    result = cmd_build(args) if args.cmd == "build" else cmd_yake(args)
    result["runner_s"] = time.perf_counter() - T_START
    Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    status = main()
    gc.freeze()     # exit as `python -m pipeline` does (pipeline/__main__.py): no last collector pass
    sys.exit(status)
