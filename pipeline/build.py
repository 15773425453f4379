"""Build orchestration: read inputs, run the per-article function (cached, in parallel), run the
corpus stages, write every table atomically.

Nothing lost, nothing aborted: the output folder is checked before anything is touched and held
by one build at a time (pipeline.outdir); one article's failure, of any kind, skips that article
with its reason (pipeline.process.ArticleFailure); a pool process that dies costs only the article
it was processing; the pool dies with the build.
"""
from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import logging
import os
import pickle
import signal
import sys
import threading
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from pipeline import __version__
from pipeline.atomic import write_bytes_atomic
from pipeline.keywords import CorpusKeywords, KeywordSettings
from pipeline.outdir import MANIFEST, OutputFolderError  # noqa: F401 - part of this module's interface
from pipeline.outdir import check_output_folder, output_detector, output_lock, read_manifest, recover
from pipeline.process import ArticleFailure
from pipeline.readers import InputFile, discover, read_inputs
from pipeline.records import TABLES, ArticleResult, EntityRow, SourceDocument
from pipeline.resources import DATA_DIR, data_fingerprint, load_resources
from pipeline.structure import read_limits

# The stages, pandas and pyarrow are imported where they are used, so that the up-to-date check
# (a rebuild of an unchanged corpus) costs little more than hashing the inputs.

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_ROOT / "seeds"
DEFAULT_OUT = PROJECT_ROOT / "data" / "processed"
CACHE_DIR = ".cache"
CORPUS_KEYWORDS = 50

WORKER_DIED = "worker process died while processing it"

Progress = Callable[[int, int], None]
log = logging.getLogger("dyad.build")


class NoArticlesError(RuntimeError):
    """Nothing in the inputs could be built into an article. ``report`` says why: the skipped
    inputs and the failed articles, with their reasons."""

    def __init__(self, message: str, *, report: BuildReport | None = None):
        super().__init__(message)
        self.report = report


class WorkerPoolError(RuntimeError):
    """The pool's processes die before they can take any work (not one article's fault)."""


@dataclass
class BuildReport:
    built: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)      # (path, reason)
    duplicates: list[tuple[str, str]] = field(default_factory=list)   # (path, article_id it repeats)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, article_id, reason)
    pass_failures: int = 0        # passes that raised on a kept article and fell back (manifest: pass_failures)
    boilerplate_removed: int = 0
    cached: int = 0               # articles taken from the cache instead of processed
    processed: int = 0            # articles run through the per-article stages by this build
    up_to_date: bool = False      # nothing changed: the previous tables were kept as they are
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    dates: dict[str, int] = field(default_factory=dict)    # where the built articles' dates came from


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
        out.append({"input": f.root, "path": f.relative, "sha256": _hash_or_reason(f.path)})
        for side in (f.path.with_name(f.path.stem + ".meta.json"), f.path.with_name(f.path.name + ".meta.json")):
            if side.is_file():
                sidecar = Path(f.relative).with_name(side.name).as_posix()
                out.append({"input": f.root, "path": sidecar, "sha256": _hash_or_reason(side)})
    return out


def _hash_or_reason(path: Path) -> str:
    """The file's sha256, or why it could not be read: a file locked or removed since discovery
    (or an unreadable sidecar) is then skipped by the readers with that reason, not the build's end."""
    try:
        return _file_hash(path)
    except OSError as exc:
        log.warning("could not hash %s: %s", path, exc)
        return f"unreadable: {exc.strerror or exc}"


def _doc_key(doc: SourceDocument, fingerprint: str) -> str:
    h = hashlib.sha256(fingerprint.encode())
    for value in (doc.doc_id, doc.source_path, doc.format, doc.title, doc.published, doc.outlet, doc.url, doc.text):
        h.update(b"\x00" + value.encode("utf-8"))
    return h.hexdigest()


def _text_key(doc: SourceDocument) -> str:
    return hashlib.sha256(" ".join(doc.text.split()).encode("utf-8")).hexdigest()


def tables_are_stale(inputs: list[Path] | None = None, out: Path | None = None, *, data_dir: Path = DATA_DIR) -> bool:
    """True when the tables are missing, or were built from other inputs, data or pipeline version."""
    inputs = [Path(p) for p in (inputs or [DEFAULT_INPUT])]
    out = Path(out or DEFAULT_OUT)
    try:
        files = discover(inputs)
    except FileNotFoundError:
        return True
    # the same files a build hashes (it skips any inside the output folder), else never up to date
    current = input_hashes(_drop_output_files(files, out.resolve(), BuildReport()))
    return not _built_from(read_manifest(out), out, data_fingerprint(data_dir, KeywordSettings()), current)


def _built_from(manifest: dict | None, out: Path, fingerprint: str, hashes: list[dict]) -> bool:
    """Whether the tables in ``out`` (per their manifest) were built from exactly these inputs and data."""
    return (manifest is not None and manifest.get("fingerprint") == fingerprint
            and manifest.get("inputs") == hashes
            and all((out / f"{name}.parquet").exists() for name in manifest.get("rows", {})))


# --------------------------------------------------------------------------- per-article work

_worker_resources = None
_PR_SET_PDEATHSIG = 1     # linux/prctl.h


def _init_worker(data_dir: Path, settings: KeywordSettings, parent_pid: int, parent_fds: tuple[int, ...]) -> None:
    """Set up a pool process: it dies with the build, lets go of the build's lock (``parent_fds``,
    inherited through fork: the lock must be released when the build ends, whatever its pool is
    doing), and loads the reference data."""
    _exit_with_parent(parent_pid)
    for fd in parent_fds:
        os.close(fd)
    global _worker_resources
    _worker_resources = load_resources(data_dir, settings)
    gc.freeze()     # this process's long-lived objects: the collector need not scan them again


def _exit_with_parent(parent_pid: int) -> None:
    """A pool process must not outlive its build, even one killed with SIGKILL (which runs no
    clean-up): on Linux the kernel kills it when the build's thread that forked it ends
    (PR_SET_PDEATHSIG); elsewhere a thread watches for the parent to change."""
    if not _kill_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="dyad-watch-parent", daemon=True).start()
    if os.getppid() != parent_pid:      # the parent died before the line above took effect
        os._exit(1)


def _kill_on_parent_death() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError) as exc:
        log.warning("prctl(PR_SET_PDEATHSIG) unavailable (%s): watching the parent instead", exc)
        return False


def _watch_parent(parent_pid: int) -> None:
    """Exit once the parent has gone (this process is then re-parented): the non-Linux fallback."""
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


class _WorkerPool:
    """``workers - 1`` pool processes, started right away: they load the reference data while this
    process reads the inputs, so the first chunk finds them ready. ``parent_fds`` are closed in
    them (the build's lock)."""

    def __init__(self, workers: int, *, data_dir: Path, settings: KeywordSettings, parent_fds: tuple[int, ...] = ()):
        self._start = functools.partial(ProcessPoolExecutor, max_workers=workers - 1, initializer=_init_worker,
                                        initargs=(data_dir, settings, os.getpid(), parent_fds))
        self.executor = self._start()
        self._stopping: threading.Thread | None = None
        self.executor.submit(int)    # a pool forks its processes for its first task: this one

    def submit(self, fn, *args) -> Future:
        """The task's future; a broken pool's refusal comes as the future's exception, like the
        failure of a task that was running when a process died."""
        try:
            return self.executor.submit(fn, *args)
        except BrokenProcessPool as exc:
            refused: Future = Future()
            refused.set_exception(exc)
            return refused

    def restart(self) -> None:
        """Fresh processes after one died: a broken pool takes no more work. Raises WorkerPoolError
        when the new ones die too before any work (then it is not an article's fault)."""
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()
        try:
            self.executor.submit(int).result()
        except BrokenProcessPool as exc:
            raise WorkerPoolError(f"the worker processes die as they start ({exc}); try --workers 1") from exc

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
def _worker_pool(workers: int, *, data_dir: Path, settings: KeywordSettings, parent_fds: tuple[int, ...] = ()):
    """A _WorkerPool for ``workers`` > 1 (None for one worker), closed on the way out."""
    if workers <= 1:
        yield None
        return
    pool = _WorkerPool(workers, data_dir=data_dir, settings=settings, parent_fds=parent_fds)
    try:
        yield pool
    finally:
        pool.close()


def _dumps(result: ArticleResult) -> bytes:
    """A result as the cache stores it (and as pool workers hand it back)."""
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _process_chunk(items: list[tuple[SourceDocument, Path]]) -> list[bytes | ArticleFailure]:
    """In a pool process: each article's pickled result, or its failure (which is not cached)."""
    from pipeline.process import process_or_failure
    # Pickled and written to the cache here, in the worker: the main process only unpickles, so the
    # serial part of a parallel build stays small.
    outcomes = []
    for doc, cache_path in items:
        outcome = process_or_failure(doc, resources=_worker_resources)
        if not isinstance(outcome, ArticleFailure):
            outcome = _dumps(outcome)
            write_bytes_atomic(cache_path, outcome)
        outcomes.append(outcome)
    return outcomes


def run_articles(docs: list[SourceDocument], keys: list[str], cache: ArticleCache, *, data_dir: Path,
                 settings: KeywordSettings, workers: int = 1, pool: _WorkerPool | None = None,
                 executor: str = "local", scheduler: str | None = None) -> Iterator[ArticleResult | ArticleFailure]:
    """Process documents and yield their results in input order, each stored in ``cache`` under its
    key; an article that failed yields its ArticleFailure (and nothing is cached for it).

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
            if not isinstance(result, ArticleFailure):
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


def _process_here(doc: SourceDocument, key: str, cache: ArticleCache, resources) -> ArticleResult | ArticleFailure:
    """In this process: the article's result, cached, or its failure."""
    from pipeline.process import process_or_failure
    outcome = process_or_failure(doc, resources=resources)
    if not isinstance(outcome, ArticleFailure):
        cache.put(key, _dumps(outcome))
    return outcome


def _run_parallel(docs: list[SourceDocument], keys: list[str], cache: ArticleCache, *,
                  pool: _WorkerPool, workers: int, data_dir: Path,
                  settings: KeywordSettings) -> Iterator[ArticleResult | ArticleFailure]:
    """``workers - 1`` pool processes take chunks from the front of the queue, and this process takes
    one article at a time in between instead of waiting: it would otherwise sit idle on a core the
    pool could use, and its own results need no trip through pickle. Chunks shrink towards the end
    of the queue so that no process is left with a long one while the others are done.

    When a pool process dies (a crash in native code: BrokenProcessPool), every chunk in flight is
    lost; their articles are run again one at a time in fresh processes (_rerun_alone), so the
    article that kills its process is the only one lost."""
    n = len(docs)
    children = workers - 1
    chunk = _chunk_size(n, workers=workers)
    results: list[ArticleResult | ArticleFailure | None] = [None] * n
    in_flight: list[tuple[int, int, Future]] = []       # (first article index, articles, future of the chunk)
    front = emitted = 0
    resources = None
    while emitted < n:
        while front < n and len(in_flight) < 2 * children:
            size = max(1, min(chunk, (n - front) // (2 * workers)))
            items = [(docs[i], cache.path(keys[i])) for i in range(front, min(n, front + size))]
            in_flight.append((front, len(items), pool.submit(_process_chunk, items)))
            front += len(items)
        if resources is None:
            # Only once the pool has work: its processes load their own reference data meanwhile
            # (forked before this one loaded it), and the writer's import must not delay this.
            resources = _reference_data(data_dir, settings)
            _import_table_writer_meanwhile()
        if front < n:
            results[front] = _process_here(docs[front], keys[front], cache, resources)
            front += 1
        elif in_flight and not any(f.done() for *_, f in in_flight):
            wait([f for *_, f in in_flight], return_when=FIRST_COMPLETED)
        lost = _collect([job for job in in_flight if job[2].done()], in_flight, results, keys, cache)
        if lost:
            # The pool is broken: the chunks still in flight fail too (at once), and it takes no more work.
            wait([f for *_, f in in_flight])
            lost += _collect(list(in_flight), in_flight, results, keys, cache)
            log.warning("a worker process died: %d articles are run again one at a time", len(lost))
            pool.restart()
            for i in sorted(lost):
                results[i] = _rerun_alone(pool, docs[i], keys[i], cache)
        if front == n and not in_flight:
            pool.stop_soon()
        while emitted < n and results[emitted] is not None:
            yield results[emitted]
            results[emitted] = None
            emitted += 1


def _collect(finished: list[tuple[int, int, Future]], in_flight: list, results: list, keys: list[str],
             cache: ArticleCache) -> list[int]:
    """Take finished chunks out of ``in_flight`` and their outcomes into ``results``; the indices of
    the articles of chunks lost with a dead process."""
    lost = []
    for job in finished:
        in_flight.remove(job)
        first, count, future = job
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            lost.extend(range(first, first + count))
            continue
        for i, outcome in enumerate(outcomes, start=first):
            results[i] = _unpickled(outcome, keys[i], cache)
    return lost


def _unpickled(outcome: bytes | ArticleFailure, key: str, cache: ArticleCache) -> ArticleResult | ArticleFailure:
    """A pool process's outcome as this process uses it (a result it also stored in the cache)."""
    if isinstance(outcome, ArticleFailure):
        return outcome
    cache.used.add(key)     # the worker stored it
    return pickle.loads(outcome)


def _rerun_alone(pool: _WorkerPool, doc: SourceDocument, key: str,
                 cache: ArticleCache) -> ArticleResult | ArticleFailure:
    """One article of a lost chunk, alone in a pool process: if that process dies too, this is the
    article that kills it, and it fails (the pool is restarted for the others)."""
    future = pool.submit(_process_chunk, [(doc, cache.path(key))])
    try:
        [outcome] = future.result()
    except BrokenProcessPool:
        pool.restart()
        return ArticleFailure(doc.source_path, doc.doc_id, WORKER_DIED)
    return _unpickled(outcome, key, cache)


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
        """The cached result; None when the entry is missing or damaged (the caller processes the
        article again and counts it as processed)."""
        try:
            with open(self.path(key), "rb") as f:
                result = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            log.warning("cache entry %s unreadable (%s: %s): the article is processed again",
                        self.path(key), type(exc).__name__, exc)
            return None
        self.used.add(key)
        return result

    def put(self, key: str, payload: bytes) -> None:
        """Store a pickled ArticleResult."""
        write_bytes_atomic(self.path(key), payload)
        self.used.add(key)

    def prune(self) -> None:
        """Drop entries this build did not use, so the cache tracks the corpus, and the partial
        files of writers killed half-way (``KEY.tmpPID``). Run under the output folder's lock: no
        other build is writing entries."""
        if not self.root.is_dir():
            return
        for shard in self.root.iterdir():
            if shard.is_dir():
                for entry in shard.iterdir():
                    if entry.suffix != ".pkl" or entry.stem not in self.used:
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


DATE_SOURCES = ("metadata", "file_name", "text", "none")


def _date_source(reader_source: str, published: str) -> str:
    """Where an article's date came from: the reader's answer (metadata, file name), else the text
    when the structure stage found a date line there, else none."""
    if reader_source:
        return reader_source
    return "text" if published else "none"


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
        self.pass_failures: list[dict] = []           # for the manifest
        self.dates = dict.fromkeys(DATE_SOURCES, 0)   # for the manifest

    def add(self, result: ArticleResult, *, date_source: str = "") -> None:
        """Take one kept article; ``date_source`` is its document's (where the reader found its date)."""
        self.articles += 1
        self.dates[_date_source(date_source, result.article.published)] += 1
        merge_entity_rows(self.entities, result.entities)
        self.quotes.extend(result.quotes)
        self.keywords.add(result.keywords)
        for f in result.pass_failures:
            self.pass_failures.append({"article_id": result.article.article_id, "pass": f.pass_name,
                                       "reason": f.reason})
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
                 scheduler: str | None = None, on_wait: Callable[[], None] | None = None) -> BuildReport:
    """Build every table from the inputs into ``out``; the previous tables stay until the new ones are complete.

    ``out`` must be a folder a build may replace, else OutputFolderError (a ValueError) is raised
    before anything is touched: not an input, not above or inside one, not a file, and not a
    non-empty folder other than Dyad tables (pipeline.outdir.check_output_folder). Builds into one
    ``out`` run one after the other: a second one waits for the first, and calls ``on_wait`` once
    when it has to. Each build first sorts out what a killed build left (pipeline.outdir.recover).
    """
    started = time.perf_counter()
    inputs = [Path(p) for p in (inputs or [DEFAULT_INPUT])]
    settings = keyword_settings or KeywordSettings()
    files = discover(inputs)   # raises InputNotFoundError before anything is touched
    out = check_output_folder(Path(out or DEFAULT_OUT), inputs, table_names=TABLES, keep=[CACHE_DIR])
    report = BuildReport()
    with output_lock(out, on_wait=on_wait) as lock_fd:
        # Everything from here on (the cache's writes and pruning, the swap) is this build's alone.
        recover(out, keep=[CACHE_DIR])
        files = _drop_output_files(files, out, report)
        fingerprint = data_fingerprint(data_dir, settings)
        hashes = input_hashes(files)
        previous = read_manifest(out)
        if not force and _built_from(previous, out, fingerprint, hashes):
            _report_previous(report, previous)
        else:
            _build(files, out, report, inputs=inputs, hashes=hashes, fingerprint=fingerprint, settings=settings,
                   data_dir=data_dir, workers=workers, progress=progress, force=force, executor=executor,
                   scheduler=scheduler, lock_fd=lock_fd)
    report.seconds = time.perf_counter() - started
    return report


def _drop_output_files(files: list[InputFile], out: Path, report: BuildReport) -> list[InputFile]:
    """The input files that are not tables: a file inside ``out`` or a build's temporary folder
    beside it (reached through a symlink, or left by an earlier version) is skipped with a reason,
    so no build reads the tables back as articles. In place: the list stays what discover()
    returned, with whatever it carries for read_inputs."""
    lies_in_output = output_detector(out)
    kept = []
    for file in files:
        if lies_in_output(file.path):
            report.skipped.append((str(file.path), f"inside the output folder {out}: tables, not articles"))
        else:
            kept.append(file)
    files[:] = kept
    return files


def _report_previous(report: BuildReport, previous: dict) -> None:
    """The report of an up-to-date build: the previous build's, read from its manifest."""
    report.built = previous["rows"].get("articles", 0)
    report.skipped = [tuple(s) for s in previous.get("skipped", [])]
    report.duplicates = [tuple(d) for d in previous.get("duplicates", [])]
    report.failed = [tuple(f) for f in previous.get("failed", [])]
    report.boilerplate_removed = sum(len(b["lines"]) for b in previous.get("boilerplate_removed", []))
    report.pass_failures = len(previous.get("pass_failures", []))
    report.rows = dict(previous["rows"])
    report.dates = dict(previous.get("dates", {}))
    report.up_to_date = True


def _build(files: list[InputFile], out: Path, report: BuildReport, *, inputs: list[Path], hashes: list[dict],
           fingerprint: str, settings: KeywordSettings, data_dir: Path, workers: int, progress: Progress | None,
           force: bool, executor: str, scheduler: str | None, lock_fd: int) -> None:
    """Process what the cache does not hold, write the tables, swap them in and prune the cache."""
    # Pool processes (a parallel build) start now and load the reference data while this one reads.
    with _worker_pool(workers if executor == "local" else 1, data_dir=data_dir, settings=settings,
                      parent_fds=(lock_fd,)) as pool:
        docs = _read_documents(files, data_dir=data_dir, report=report)
        cache = ArticleCache(out / CACHE_DIR)
        keys = [_doc_key(doc, fingerprint) for doc in docs]
        # Cached results are read one at a time as the tables take them (_InputOrder), not all at
        # once: adding one article to a large corpus would otherwise hold all of them in memory.
        cached = [False] * len(docs) if force else [cache.has(k) for k in keys]
        todo = [i for i, hit in enumerate(cached) if not hit]
        report.cached = len(docs) - len(todo)
        report.processed = len(todo)
        results: list[ArticleResult | ArticleFailure | None] = [None] * len(docs)

        def from_cache(i: int) -> ArticleResult | ArticleFailure:
            result = cache.get(keys[i])
            if result is None:     # damaged, or removed since: processed here after all
                report.cached -= 1
                report.processed += 1
                result = _process_here(docs[i], keys[i], cache, _reference_data(data_dir, settings))
            return result

        from pipeline.tables import TableWriter
        writer = TableWriter(out)
        try:
            in_order = _InputOrder(docs, results, writer, duplicates=report.duplicates, failed=report.failed,
                                   cached=cached, from_cache=from_cache)
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
                raise NoArticlesError("no article could be built from " + ", ".join(str(p) for p in inputs),
                                      report=report)
            entities, speakers, top_keywords = corpus_tables(corpus, resources=load_resources(data_dir, settings))
            report.built = corpus.articles
            report.dates = dict(corpus.dates)
            report.boilerplate_removed = sum(len(b["lines"]) for b in corpus.boilerplate_removed)
            report.pass_failures = len(corpus.pass_failures)
            manifest = _manifest(report, corpus, fingerprint=fingerprint, settings=settings, hashes=hashes)
        except BaseException:
            writer.abort()
            raise
        report.rows = writer.finish(entities=entities, speakers=speakers, quotes=corpus.quotes,
                                    corpus_keywords=top_keywords,
                                    manifest=manifest, carry=[CACHE_DIR])
    cache.prune()   # same path: the cache folder moved into the new output


def _read_documents(files: list[InputFile], *, data_dir: Path, report: BuildReport) -> list[SourceDocument]:
    """The documents in the input files; the same text twice is one article (the first), the
    others are reported as duplicates, and unreadable files as skipped."""
    max_article_bytes, max_collection_bytes = read_limits(data_dir / "structure.toml")
    read = read_inputs(files, max_article_bytes=max_article_bytes, max_collection_bytes=max_collection_bytes)
    report.skipped.extend(read.skipped)
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
    are reported as duplicates. An article that failed is reported in ``failed``, in input order."""

    def __init__(self, docs: list[SourceDocument], results: list[ArticleResult | ArticleFailure | None], writer, *,
                 duplicates: list[tuple[str, str]], failed: list[tuple[str, str, str]], cached: list[bool],
                 from_cache: Callable[[int], ArticleResult | ArticleFailure]):
        self.docs, self.results, self.writer, self.duplicates = docs, results, writer, duplicates
        self.failed = failed
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
            if isinstance(result, ArticleFailure):
                log.warning("article %s in %s skipped: %s", result.article_id, result.source_path, result.reason)
                self.failed.append((result.source_path, result.article_id, result.reason))
                continue
            h = result.article.content_hash
            if h in self._seen:
                self.duplicates.append((doc.source_path, self._seen[h]))
                continue
            self._seen[h] = result.article.article_id
            self.writer.add(result)
            self.corpus.add(result, date_source=doc.date_source)


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
        "failed": [list(f) for f in report.failed],
        "boilerplate_removed": corpus.boilerplate_removed,
        "pass_failures": corpus.pass_failures,
        "dates": dict(corpus.dates),
    }


def corpus_tables(corpus: CorpusParts, *, resources):
    """Corpus stages over the kept articles: merged entities, speaker tallies, corpus keywords."""
    from pipeline import quotes as quote_stage

    entities = sorted(corpus.entities.values(), key=lambda e: e.entity_id)
    speakers = quote_stage.tally_speakers(corpus.quotes, entities, lexicon=resources.lexicon)
    corpus.quotes = quote_stage.carry_over_corpus(corpus.quotes, speakers)
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
