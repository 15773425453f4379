"""Build orchestration: read inputs, run the per-article function (cached, in parallel), run the
corpus stages, write every table atomically.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import pickle
import threading
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from pipeline import __version__
from pipeline.atomic import write_bytes_atomic
from pipeline.keywords import CorpusKeywords, KeywordSettings
from pipeline.readers import InputFile, discover, read_inputs
from pipeline.records import ArticleResult, EntityRow, SourceDocument
from pipeline.resources import DATA_DIR, data_fingerprint, load_resources
from pipeline.structure import read_limits

# The stages, pandas and pyarrow are imported where they are used, so that the up-to-date check
# (a rebuild of an unchanged corpus) costs little more than hashing the inputs.

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_ROOT / "seeds"
DEFAULT_OUT = PROJECT_ROOT / "data" / "processed"
MANIFEST = "manifest.json"
CACHE_DIR = ".cache"
CORPUS_KEYWORDS = 50

Progress = Callable[[int, int], None]


class NoArticlesError(RuntimeError):
    """Nothing in the inputs could be built into an article."""


@dataclass
class BuildReport:
    built: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)      # (path, reason)
    duplicates: list[tuple[str, str]] = field(default_factory=list)   # (path, article_id it repeats)
    boilerplate_removed: int = 0
    cached: int = 0               # articles taken from the cache instead of processed
    processed: int = 0            # articles run through the per-article stages by this build
    up_to_date: bool = False      # nothing changed: the previous tables were kept as they are
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- helpers

def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_hashes(files: list[InputFile]) -> list[dict]:
    """Each input file (and its sidecar metadata) with its sha256: what the tables were built from."""
    out = []
    for f in files:
        out.append({"input": f.root, "path": f.relative, "sha256": _file_hash(f.path)})
        for side in (f.path.with_name(f.path.stem + ".meta.json"), f.path.with_name(f.path.name + ".meta.json")):
            if side.is_file():
                sidecar = Path(f.relative).with_name(side.name).as_posix()
                out.append({"input": f.root, "path": sidecar, "sha256": _file_hash(side)})
    return out


def _doc_key(doc: SourceDocument, fingerprint: str) -> str:
    h = hashlib.sha256(fingerprint.encode())
    for value in (doc.doc_id, doc.source_path, doc.format, doc.title, doc.published, doc.outlet, doc.url, doc.text):
        h.update(b"\x00" + value.encode("utf-8"))
    return h.hexdigest()


def _text_key(doc: SourceDocument) -> str:
    return hashlib.sha256(" ".join(doc.text.split()).encode("utf-8")).hexdigest()


def _read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def tables_are_stale(inputs: list[Path] | None = None, out: Path | None = None, *, data_dir: Path = DATA_DIR) -> bool:
    """True when the tables are missing, or were built from other inputs, data or pipeline version."""
    inputs = [Path(p) for p in (inputs or [DEFAULT_INPUT])]
    out = Path(out or DEFAULT_OUT)
    try:
        current = input_hashes(discover(inputs))
    except FileNotFoundError:
        return True
    return not _built_from(_read_manifest(out), out, data_fingerprint(data_dir, KeywordSettings()), current)


def _built_from(manifest: dict | None, out: Path, fingerprint: str, hashes: list[dict]) -> bool:
    """Whether the tables in ``out`` (per their manifest) were built from exactly these inputs and data."""
    return (manifest is not None and manifest.get("fingerprint") == fingerprint
            and manifest.get("inputs") == hashes
            and all((out / f"{name}.parquet").exists() for name in manifest.get("rows", {})))


# --------------------------------------------------------------------------- per-article work

_worker_resources = None


def _init_worker(data_dir: Path, settings: KeywordSettings) -> None:
    global _worker_resources
    _worker_resources = load_resources(data_dir, settings)
    gc.freeze()     # this process's long-lived objects: the collector need not scan them again


class _WorkerPool:
    """``workers - 1`` pool processes, started right away: they load the reference data while this
    process reads the inputs, so the first chunk finds them ready."""

    def __init__(self, workers: int, *, data_dir: Path, settings: KeywordSettings):
        self.executor = ProcessPoolExecutor(max_workers=workers - 1, initializer=_init_worker,
                                            initargs=(data_dir, settings))
        self._stopping: threading.Thread | None = None
        self.executor.submit(int)    # a pool forks its processes for its first task: this one

    def submit(self, fn, *args):
        return self.executor.submit(fn, *args)

    def stop_soon(self) -> None:
        """No more work: the processes exit in the background while this one writes the tables."""
        if self._stopping is None:
            self._stopping = threading.Thread(target=self.executor.shutdown, name="dyad-pool-stop", daemon=True)
            self._stopping.start()

    def close(self) -> None:
        """Wait until the processes have exited: also when the build failed (pending chunks are
        cancelled), and so that the executor's exit hook finds nothing left to wake at interpreter
        exit (it could write to a closed pipe: an "Exception ignored … Bad file descriptor")."""
        if self._stopping is not None:
            self._stopping.join()
        else:
            self.executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _worker_pool(workers: int, *, data_dir: Path, settings: KeywordSettings):
    """A _WorkerPool for ``workers`` > 1 (None for one worker), closed on the way out."""
    if workers <= 1:
        yield None
        return
    pool = _WorkerPool(workers, data_dir=data_dir, settings=settings)
    try:
        yield pool
    finally:
        pool.close()


def _dumps(result: ArticleResult) -> bytes:
    """A result as the cache stores it (and as pool workers hand it back)."""
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _process_chunk(items: list[tuple[SourceDocument, Path]]) -> list[bytes]:
    from pipeline.process import process_document
    # Pickled and written to the cache here, in the worker: the main process only unpickles, so the
    # serial part of a parallel build stays small.
    payloads = []
    for doc, cache_path in items:
        payload = _dumps(process_document(doc, resources=_worker_resources))
        write_bytes_atomic(cache_path, payload)
        payloads.append(payload)
    return payloads


def run_articles(docs: list[SourceDocument], keys: list[str], cache: ArticleCache, *, data_dir: Path,
                 settings: KeywordSettings, workers: int = 1, pool: _WorkerPool | None = None,
                 executor: str = "local", scheduler: str | None = None) -> Iterator[ArticleResult]:
    """Process documents and yield their results in input order, each stored in ``cache`` under its key.

    ``executor="local"``: in this process, and in ``pool``'s ``workers - 1`` processes if given
    (see _run_parallel).
    ``executor="dask"``: on the Dask cluster whose scheduler is at ``scheduler`` (pipeline.distributed).
    """
    if executor == "dask":
        from pipeline.distributed import run_on_dask
        _import_table_writer_meanwhile()
        results = run_on_dask(docs, resources=load_resources(data_dir, settings), scheduler=scheduler,
                              chunk_size=_chunk_size(len(docs), workers=8))
        for key, result in zip(keys, results):
            cache.put(key, _dumps(result))
            yield result
        return
    if executor != "local":
        raise ValueError(f"unknown executor {executor!r}: use 'local' or 'dask'")
    if pool is None or len(docs) < 2:
        resources = _reference_data(data_dir, settings)
        for key, doc in zip(keys, docs):
            yield _process_here(doc, key, cache, resources)
        return
    yield from _run_parallel(docs, keys, cache, pool=pool, workers=workers, data_dir=data_dir, settings=settings)


def _reference_data(data_dir: Path, settings: KeywordSettings):
    resources = load_resources(data_dir, settings)
    _freeze_long_lived()
    return resources


def _process_here(doc: SourceDocument, key: str, cache: ArticleCache, resources) -> ArticleResult:
    from pipeline.process import process_document
    result = process_document(doc, resources=resources)
    cache.put(key, _dumps(result))
    return result


def _run_parallel(docs: list[SourceDocument], keys: list[str], cache: ArticleCache, *,
                  pool: _WorkerPool, workers: int, data_dir: Path,
                  settings: KeywordSettings) -> Iterator[ArticleResult]:
    """``workers - 1`` pool processes take chunks from the front of the queue, and this process takes
    one article at a time in between instead of waiting: it would otherwise sit idle on a core the
    pool could use, and its own results need no trip through pickle. Chunks shrink towards the end
    of the queue so that no process is left with a long one while the others are done."""
    n = len(docs)
    children = workers - 1
    chunk = _chunk_size(n, workers=workers)
    results: list[ArticleResult | None] = [None] * n
    in_flight: list[tuple[int, object]] = []       # (first article index, future of its chunk)
    front = emitted = 0
    resources = None
    while emitted < n:
        while front < n and len(in_flight) < 2 * children:
            size = max(1, min(chunk, (n - front) // (2 * workers)))
            items = [(docs[i], cache.path(keys[i])) for i in range(front, min(n, front + size))]
            in_flight.append((front, pool.submit(_process_chunk, items)))
            front += len(items)
        if resources is None:
            # Only once the pool has work: its processes load their own reference data meanwhile
            # (forked before this one loaded it), and the writer's import must not delay this.
            resources = _reference_data(data_dir, settings)
            _import_table_writer_meanwhile()
        if front < n:
            results[front] = _process_here(docs[front], keys[front], cache, resources)
            front += 1
        elif in_flight and not any(f.done() for _, f in in_flight):
            wait([f for _, f in in_flight], return_when=FIRST_COMPLETED)
        for first, future in [job for job in in_flight if job[1].done()]:
            in_flight.remove((first, future))
            for offset, payload in enumerate(future.result()):
                cache.used.add(keys[first + offset])    # the worker stored it
                results[first + offset] = pickle.loads(payload)
        if front == n and not in_flight:
            pool.stop_soon()
        while emitted < n and results[emitted] is not None:
            yield results[emitted]
            results[emitted] = None
            emitted += 1


def _chunk_size(n_docs: int, *, workers: int) -> int:
    """Big enough to amortise task overhead, small enough that no worker idles long at the end
    (about 16 chunks a worker)."""
    return max(1, min(32, n_docs // (workers * 16) or 1))


class ArticleCache:
    """Per-article results keyed by content and pipeline fingerprint, kept in OUT/.cache/."""

    def __init__(self, root: Path):
        self.root = root
        self.used: set[str] = set()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pkl"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> ArticleResult | None:
        try:
            with open(self.path(key), "rb") as f:
                result = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        self.used.add(key)
        return result

    def put(self, key: str, payload: bytes) -> None:
        """Store a pickled ArticleResult."""
        write_bytes_atomic(self.path(key), payload)
        self.used.add(key)

    def prune(self) -> None:
        """Drop entries this build did not use, so the cache tracks the corpus."""
        if not self.root.is_dir():
            return
        for shard in self.root.iterdir():
            if shard.is_dir():
                for entry in shard.iterdir():
                    if entry.stem not in self.used:
                        entry.unlink()


# --------------------------------------------------------------------------- corpus stages

def merge_entity_rows(merged: dict[str, EntityRow], rows: list[EntityRow]) -> None:
    """Add one article's entity rows to ``merged`` (one row per entity id): a catalog row wins;
    discovered rows fill empty fields, in input order."""
    for row in rows:
        have = merged.get(row.entity_id)
        if have is None or (have.source != "catalog" and row.source == "catalog"):
            merged[row.entity_id] = replace(row)    # a copy: the fields below are filled in on it
        elif have.source == row.source:
            for name in ("country", "role", "affiliation"):
                if not getattr(have, name) and getattr(row, name):
                    setattr(have, name, getattr(row, name))


class CorpusParts:
    """What the corpus stages and the manifest need of each kept article, gathered in input order
    as the results arrive; the rest of a result is dropped once its rows are written. So a large
    corpus is not held in memory twice, and little is left to do once the last article is in."""

    def __init__(self):
        self.articles = 0
        self.entities: dict[str, EntityRow] = {}      # merged so far (merge_entity_rows)
        self.quotes: list = []
        self.keywords = CorpusKeywords()
        self.boilerplate_removed: list[dict] = []     # for the manifest

    def add(self, result: ArticleResult) -> None:
        self.articles += 1
        merge_entity_rows(self.entities, result.entities)
        self.quotes.extend(result.quotes)
        self.keywords.add(result.keywords)
        if result.boilerplate_removed:
            self.boilerplate_removed.append({"article_id": result.article.article_id,
                                             "lines": list(result.boilerplate_removed)})


# --------------------------------------------------------------------------- the build

_gc_tuning = threading.local()


def _fewer_collections(build):
    """Run ``build`` with the cyclic garbage collector tuned for batch work, then restore it.

    A build keeps a growing set of rows (the columns and corpus parts) while the per-article stages
    (above all the Python YAKE engine) create many short-lived reference cycles: with the default
    thresholds the collector keeps re-scanning what has grown, which cost 10-15 % of a
    ``--keyword-engine yake`` build.
    The reference data is frozen during the build (_freeze_long_lived) and unfrozen at the end,
    unless the caller had frozen objects of its own: those are left as they are.
    """
    @functools.wraps(build)
    def run(*args, **kwargs):
        thresholds = gc.get_threshold()
        owns_freeze = gc.get_freeze_count() == 0
        _gc_tuning.may_freeze = owns_freeze
        gc.set_threshold(20_000, 10, 10)
        try:
            return build(*args, **kwargs)
        finally:
            _gc_tuning.may_freeze = False
            gc.set_threshold(*thresholds)
            if owns_freeze:
                gc.unfreeze()
    return run


def _freeze_long_lived() -> None:
    """Reference data and modules live as long as the build: the collector can skip them."""
    if getattr(_gc_tuning, "may_freeze", False):
        gc.freeze()


@_fewer_collections
def build_corpus(inputs: list[Path] | None = None, out: Path | None = None, *, workers: int = 1,
                 data_dir: Path = DATA_DIR, keyword_settings: KeywordSettings | None = None,
                 progress: Progress | None = None, force: bool = False, executor: str = "local",
                 scheduler: str | None = None) -> BuildReport:
    """Build every table from the inputs into ``out``; the previous tables stay until the new ones are complete."""
    started = time.perf_counter()
    inputs = [Path(p) for p in (inputs or [DEFAULT_INPUT])]
    out = Path(out or DEFAULT_OUT)
    settings = keyword_settings or KeywordSettings()
    fingerprint = data_fingerprint(data_dir, settings)
    report = BuildReport()

    files = discover(inputs)   # raises InputNotFoundError before anything is touched
    hashes = input_hashes(files)
    previous = _read_manifest(out)
    if not force and _built_from(previous, out, fingerprint, hashes):
        report.built = previous["rows"].get("articles", 0)
        report.skipped = [tuple(s) for s in previous.get("skipped", [])]
        report.duplicates = [tuple(d) for d in previous.get("duplicates", [])]
        report.boilerplate_removed = sum(len(b["lines"]) for b in previous.get("boilerplate_removed", []))
        report.rows = dict(previous["rows"])
        report.up_to_date = True
        report.seconds = time.perf_counter() - started
        return report

    # Pool processes (a parallel build) start now and load the reference data while this one reads.
    with _worker_pool(workers if executor == "local" else 1, data_dir=data_dir, settings=settings) as pool:
        docs = _read_documents(files, data_dir=data_dir, report=report)
        cache = ArticleCache(out / CACHE_DIR)
        keys = [_doc_key(doc, fingerprint) for doc in docs]
        # Cached results are read one at a time as the tables take them (_InputOrder), not all at
        # once: adding one article to a large corpus would otherwise hold all of them in memory.
        cached = [False] * len(docs) if force else [cache.has(k) for k in keys]
        todo = [i for i, hit in enumerate(cached) if not hit]
        report.cached = len(docs) - len(todo)
        report.processed = len(todo)
        results: list[ArticleResult | None] = [None] * len(docs)

        def from_cache(i: int) -> ArticleResult:
            result = cache.get(keys[i])
            if result is None:     # damaged, or removed since: processed here after all
                report.cached -= 1
                report.processed += 1
                result = _process_here(docs[i], keys[i], cache, _reference_data(data_dir, settings))
            return result

        from pipeline.tables import TableWriter
        writer = TableWriter(out)
        try:
            in_order = _InputOrder(docs, results, writer, duplicates=report.duplicates, cached=cached,
                                   from_cache=from_cache)
            in_order.advance()       # the cached results at the front
            processed = run_articles([docs[i] for i in todo], [keys[i] for i in todo], cache, data_dir=data_dir,
                                     settings=settings, workers=workers, pool=pool, executor=executor,
                                     scheduler=scheduler)
            # the cached articles count as done from the start (a damaged one too, processed when due)
            with _Progress(len(docs), len(docs) - len(todo), progress) as ticker:
                for i, result in zip(todo, processed, strict=True):   # strict: run the generator to its end
                    results[i] = result
                    in_order.advance()
                    ticker.tick()
            corpus = in_order.corpus
            if not corpus.articles:
                raise NoArticlesError("no article could be built from " + ", ".join(str(p) for p in inputs))
            entities, speakers, top_keywords = corpus_tables(corpus, resources=load_resources(data_dir, settings))
            report.built = corpus.articles
            report.boilerplate_removed = sum(len(b["lines"]) for b in corpus.boilerplate_removed)
            manifest = _manifest(report, corpus, fingerprint=fingerprint, settings=settings, hashes=hashes)
        except BaseException:
            writer.abort()
            raise
        report.rows = writer.finish(entities=entities, speakers=speakers, corpus_keywords=top_keywords,
                                    manifest=manifest, carry=[CACHE_DIR])
    cache.prune()   # same path: the cache folder moved into the new output
    report.seconds = time.perf_counter() - started
    return report


def _read_documents(files: list[InputFile], *, data_dir: Path, report: BuildReport) -> list[SourceDocument]:
    """The documents in the input files; the same text twice is one article (the first), the
    others are reported as duplicates, and unreadable files as skipped."""
    max_article_bytes, max_collection_bytes = read_limits(data_dir / "structure.toml")
    read = read_inputs(files, max_article_bytes=max_article_bytes, max_collection_bytes=max_collection_bytes)
    report.skipped = list(read.skipped)
    docs: list[SourceDocument] = []
    first_of: dict[str, SourceDocument] = {}
    for doc in read.documents:
        key = _text_key(doc)
        if key in first_of:
            report.duplicates.append((f"{doc.source_path}", first_of[key].doc_id))
            continue
        first_of[key] = doc
        docs.append(doc)
    return docs


class _InputOrder:
    """Hands results to the table writer and the corpus parts in input order, each as soon as all
    before it are in (cached or processed), then lets go of it. A text that differs only in its
    furniture (another site's footer) is still the same article: the first is kept, the others
    are reported as duplicates."""

    def __init__(self, docs: list[SourceDocument], results: list[ArticleResult | None], writer, *,
                 duplicates: list[tuple[str, str]], cached: list[bool],
                 from_cache: Callable[[int], ArticleResult]):
        self.docs, self.results, self.writer, self.duplicates = docs, results, writer, duplicates
        self.cached, self.from_cache = cached, from_cache     # results not in ``results``: read when due
        self.corpus = CorpusParts()
        self._seen: dict[str, str] = {}     # content hash -> article id
        self._next = 0

    def advance(self) -> None:
        while self._next < len(self.docs):
            result = self.results[self._next]
            if result is None:
                if not self.cached[self._next]:
                    return               # still being processed
                result = self.from_cache(self._next)
            doc = self.docs[self._next]
            self.results[self._next] = _HANDED_ON
            self._next += 1
            h = result.article.content_hash
            if h in self._seen:
                self.duplicates.append((doc.source_path, self._seen[h]))
                continue
            self._seen[h] = result.article.article_id
            self.writer.add(result)
            self.corpus.add(result)


_HANDED_ON = object()    # a result's place once _InputOrder has passed it on


class _Progress:
    """The caller's progress callback and, for long builds in a terminal, a bar on stderr."""

    def __init__(self, total: int, done: int, callback: Progress | None):
        self.total, self.done, self.callback = total, done, callback
        self.bar = _progress_bar(total, done)

    def __enter__(self):
        if self.callback:
            self.callback(self.done, self.total)
        return self

    def tick(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        if self.callback:
            self.callback(self.done, self.total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _manifest(report: BuildReport, corpus: CorpusParts, *, fingerprint: str, settings: KeywordSettings,
              hashes: list[dict]) -> dict:
    return {
        "pipeline_version": __version__,
        "fingerprint": fingerprint,
        "keyword_settings": asdict(settings),
        "inputs": hashes,
        "rows": {},    # filled in by the writer
        "skipped": [list(s) for s in report.skipped],
        "duplicates": [list(d) for d in report.duplicates],
        "boilerplate_removed": corpus.boilerplate_removed,
    }


def corpus_tables(corpus: CorpusParts, *, resources):
    """Corpus stages over the kept articles: merged entities, speaker tallies, corpus keywords."""
    from pipeline import quotes as quote_stage

    entities = sorted(corpus.entities.values(), key=lambda e: e.entity_id)
    speakers = quote_stage.tally_speakers(corpus.quotes, entities, lexicon=resources.lexicon)
    return entities, speakers, corpus.keywords.top(CORPUS_KEYWORDS)


def _import_table_writer() -> None:
    """Import pyarrow and its Parquet writer (about 0.15 s), which pipeline.tables needs at the end."""
    import pyarrow  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def _import_table_writer_meanwhile() -> None:
    """Import the table writer in a thread while other processes do the per-article work.

    Started only once the pool has forked: a fork while the thread holds an import lock would
    leave that lock held in the child, and the import's share of the GIL would delay the fork.
    """
    threading.Thread(target=_import_table_writer, name="dyad-import-writer", daemon=True).start()


def _progress_bar(total: int, initial: int):
    """A tqdm bar on stderr for long builds in a terminal; None otherwise."""
    if total - initial < 20 or not os.isatty(2):
        return None
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit="article", desc="building", leave=False)
