"""Nothing lost, nothing aborted (issue 13): the output folder a build may replace, a swap a crash
cannot split, one build into a folder at a time, a pool that dies with its build, one article's
failure skipping that article only, and the report of what was left out.

Every article here is invented for the test.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import outdir
from pipeline.build import WORKER_DIED, NoArticlesError, OutputFolderError, build_corpus, tables_are_stale
from pipeline.cli import _summary, main

ROOT = Path(__file__).resolve().parent.parent
TABLE_FILES = [f"{t}.{ext}" for t in ("articles", "sections", "paragraphs", "entities", "mentions", "quotes",
                                      "speakers", "keywords") for ext in ("csv", "parquet")]
CITIES = ["Hanoi", "Lima", "Oslo", "Nairobi", "Quito", "Riga", "Dakar", "Manila", "Tbilisi", "Accra"]


def write_articles(folder: Path, n: int, *, prefix: str = "story") -> list[Path]:
    """``n`` short distinct invented articles, one .txt file each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        a, b = CITIES[i % len(CITIES)], CITIES[(i * 3 + 1) % len(CITIES)]
        path = folder / f"{prefix}-{i:03d}.txt"
        path.write_text(f"Ferry talks {prefix} {i} in {a}\n\n"
                        f"Harbour officials from {a} and {b} met on Tuesday for round {i} of ferry talks.\n\n"
                        f"\"We settled {i + 3} of the timetable questions,\" the port director said in {b}.",
                        encoding="utf-8")
        paths.append(path)
    return paths


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (hidden ones too) with its bytes: what "nothing touched" compares."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLE_FILES + ["manifest.json"]}


def cache_entries(out: Path) -> list[Path]:
    return sorted((out / ".cache").rglob("*.pkl"))


def siblings(out: Path) -> list[str]:
    """What lies beside ``out`` apart from the inputs: debris and lock files are hidden names."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))


def cli_build(src: Path, out: Path) -> str:
    """``python -m pipeline build`` of ``src`` into ``out`` (one worker); its summary."""
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--input", str(src), "--out", str(out),
                           "--workers", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --------------------------------------------------------------------------- 1. which --out is refused

def repro_folder(base: Path) -> Path:
    """The issue's example: an input folder with an article and a file that is not one."""
    src = base / "x" / "in"
    src.mkdir(parents=True)
    (src / "a.txt").write_text("Trade envoys\n\nVietnam and Peru met.", encoding="utf-8")
    (src / "notes.doc").write_text("keep\n", encoding="utf-8")
    return src


@pytest.mark.parametrize("where", ["the input", "above the input", "inside the input"])
def test_out_at_above_or_inside_an_input_is_refused_and_nothing_is_touched(tmp_path, capsys, where):
    src = repro_folder(tmp_path)
    out = {"the input": src, "above the input": src.parent, "inside the input": src / "tables"}[where]
    before = tree(tmp_path)
    assert main(["build", "--input", str(src), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out") and len(err.strip().splitlines()) == 1
    assert {"the input": "is the input", "above the input": "contains the input",
            "inside the input": "lies inside the input"}[where] in err
    assert tree(tmp_path) == before


def test_the_issue_repro_exits_2_and_deletes_nothing(tmp_path):
    src = repro_folder(tmp_path)
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--input", "x/in", "--out", "x/in"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stderr
    assert "is the input" in done.stderr
    assert sorted(p.name for p in src.iterdir()) == ["a.txt", "notes.doc"]


def test_an_out_reaching_an_input_through_a_symlink_is_refused(tmp_path):
    src = repro_folder(tmp_path)
    (tmp_path / "link").symlink_to(src.parent, target_is_directory=True)
    before = tree(src)
    with pytest.raises(OutputFolderError, match="contains the input"):
        build_corpus([src], tmp_path / "link", workers=1)
    with pytest.raises(OutputFolderError, match="lies inside the input"):
        build_corpus([tmp_path / "link"], src / "tables", workers=1)
    assert tree(src) == before


def test_an_existing_file_as_out_is_refused(tmp_path):
    src = repro_folder(tmp_path)
    target = tmp_path / "report.txt"
    target.write_text("a user's file\n", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="existing file"):
        build_corpus([src], target, workers=1)
    assert target.read_text(encoding="utf-8") == "a user's file\n"


@pytest.mark.parametrize("contents", [
    {"holiday.jpg": b"\xff\xd8 not really"},
    {"manifest.json": b'{"title": "someone else\'s manifest"}', "data.csv": b"a,b\n"},
    {"manifest.json": b"[1, 2]"},
    {"sub/notes.txt": b"nested"},
])
def test_a_non_empty_folder_without_dyad_tables_is_refused(tmp_path, capsys, contents):
    src = repro_folder(tmp_path)
    out = tmp_path / "mine"
    for name, data in contents.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    before = tree(tmp_path)
    assert issubclass(OutputFolderError, ValueError)
    assert main(["build", "--input", str(src), "--out", str(out), "--workers", "1"]) == 2
    assert "non-empty folder without Dyad tables" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_dyad_tables_with_a_users_file_among_them_are_refused(tmp_path):
    src = repro_folder(tmp_path)
    out = tmp_path / "tables"
    build_corpus([src], out, workers=1)
    (out / "my-notes.md").write_text("mine\n", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(OutputFolderError, match="my-notes.md"):
        build_corpus([src], out, workers=1, force=True)
    assert tree(tmp_path) == before


def test_empty_folders_dyad_tables_and_a_lone_cache_are_accepted(tmp_path):
    src = repro_folder(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_corpus([src], empty, workers=1).built == 1
    assert build_corpus([src], empty, workers=1, force=True).built == 1       # our own tables
    lone_cache = tmp_path / "first-build-killed"
    (lone_cache / ".cache" / "ab").mkdir(parents=True)
    assert build_corpus([src], lone_cache, workers=1).built == 1


# --------------------------------------------------------------------------- 2. the swap and recovery

class SimulatedCrash(BaseException):
    """Stands for the process being killed: nothing catches it, nothing cleans up after it."""


def crash_at_step(monkeypatch, step: int, *, exchange: bool) -> list[str]:
    """Make the swap stop at its ``step``-th operation (1: moving the cache into the new tables,
    then the exchange or the two renames, then removing the old tables); the steps it ran."""
    done: list[str] = []
    real_rename, real_exchange, real_remove = outdir._rename, outdir._exchange, outdir.remove_tree

    def operation(name, function):
        def run(*args):
            if len(done) + 1 == step:
                raise SimulatedCrash(name)
            done.append(name)
            return function(*args)
        return run

    monkeypatch.setattr(outdir, "_rename", operation("rename", real_rename))
    monkeypatch.setattr(outdir, "_exchange", operation("exchange", real_exchange) if exchange else lambda a, b: False)
    monkeypatch.setattr(outdir, "remove_tree", operation("remove", real_remove))
    return done


@pytest.mark.parametrize("exchange, step", [(True, 1), (True, 2), (True, 3),
                                            (False, 1), (False, 2), (False, 3), (False, 4)])
def test_a_build_killed_at_any_step_of_the_swap_is_recovered_by_the_next(tmp_path, monkeypatch, exchange, step):
    src = tmp_path / "in"
    write_articles(src, 6)
    out = tmp_path / "out"
    first = build_corpus([src], out, workers=1)
    old = snapshot(out)
    write_articles(src, 1, prefix="late")
    crash_at_step(monkeypatch, step, exchange=exchange)
    with pytest.raises(SimulatedCrash):
        build_corpus([src], out, workers=1)
    if exchange:
        assert (out / "manifest.json").is_file()       # the exchange never leaves the tables missing
    monkeypatch.undo()

    again = build_corpus([src], out, workers=1)
    assert siblings(out) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    build_corpus([src], tmp_path / "fresh", workers=1)
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert again.built == first.built + 1
    # the whole cache survived, the new article's entry too (stored before the swap): nothing is processed again
    assert again.processed == 0 and (again.up_to_date or again.cached == again.built)
    assert len(cache_entries(out)) == again.built
    assert old != snapshot(out)


def test_the_exchange_keeps_the_tables_in_place_at_every_step(tmp_path, monkeypatch):
    if outdir._renameat2() is None:
        pytest.skip("no renameat2 here: the two-rename swap and its recovery are tested above")
    src = tmp_path / "in"
    write_articles(src, 3)
    out = tmp_path / "out"
    build_corpus([src], out, workers=1)
    write_articles(src, 1, prefix="late")
    seen = []
    real_rename, real_exchange = outdir._rename, outdir._exchange

    def watched(function):
        def run(*args):
            result = function(*args)
            seen.append((function.__name__, (out / "manifest.json").is_file()))
            return result
        return run

    monkeypatch.setattr(outdir, "_rename", watched(real_rename))
    monkeypatch.setattr(outdir, "_exchange", watched(real_exchange))
    build_corpus([src], out, workers=1)
    assert seen == [("_rename", True), ("_exchange", True)]


def test_debris_of_killed_builds_is_removed_and_its_cache_kept(tmp_path):
    src = tmp_path / "in"
    write_articles(src, 3)
    out = tmp_path / "out"
    first = build_corpus([src], out, workers=1)
    # a build killed while writing, and one from an earlier version (no process id in the name)
    (tmp_path / ".out.tmp-99999-abcd" / "articles.csv.part").parent.mkdir()
    (tmp_path / ".out.tmp-99999-abcd" / "articles.csv.part").write_text("half", encoding="utf-8")
    (tmp_path / ".out.old-k2j3_x8" / "out").mkdir(parents=True)
    # what is not ours stays: another output folder's debris, and a user's hidden folder
    (tmp_path / ".out.tmp.tmp-1-zz").mkdir()
    (tmp_path / ".outer").mkdir()
    again = build_corpus([src], out, workers=1)
    assert again.up_to_date and again.built == first.built
    assert siblings(out) == [".out.tmp.tmp-1-zz", ".outer"]


def test_tables_whose_swap_was_cut_between_two_renames_are_put_back(tmp_path):
    # as an earlier version left them: the old tables nested in .NAME.old-*, the output folder missing
    src = tmp_path / "in"
    write_articles(src, 3)
    out = tmp_path / "out"
    build_corpus([src], out, workers=1)
    before = snapshot(out)
    retired = tmp_path / ".out.old-q1w2e3"
    retired.mkdir()
    out.rename(retired / "out")
    again = build_corpus([src], out, workers=1)
    assert again.up_to_date and snapshot(out) == before and siblings(out) == []


SLOW_BUILD = """
import sys, time
import pipeline.process as process
real = process.process_document
def slow(doc, **kwargs):
    time.sleep(0.25)
    return real(doc, **kwargs)
process.process_document = slow
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_pool_dies_with_a_build_killed_by_sigkill(tmp_path):
    psutil = pytest.importorskip("psutil")
    src = tmp_path / "in"
    write_articles(src, 60)
    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, "build", "--input", str(src), "--out", str(out),
                              "--workers", "3"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        children = []
        while time.monotonic() < deadline and (len(children) < 2 or len(list(out.rglob("*.pkl"))) < 2):
            assert build.poll() is None, build.stderr.read().decode()
            children = psutil.Process(build.pid).children(recursive=True)
            time.sleep(0.05)
        assert len(children) >= 2, "the pool did not start"
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        build.stderr.close()
    gone, alive = psutil.wait_procs(children, timeout=5)
    alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"pool processes outlived their build: {alive}"
    # the lock died with them, and the next build takes what the killed one cached (run as a
    # command too: the cache's fingerprint covers the code, which this process read at its start)
    again = cli_build(src, out)
    processed, cached = map(int, re.search(r"\((\d+) processed, (\d+) from cache\)", again).groups())
    assert "Built 60 articles" in again and cached >= 2 and processed == 60 - cached
    assert siblings(out) == []


# --------------------------------------------------------------------------- 3. one build at a time

def test_a_second_build_into_the_same_out_waits_for_the_first(tmp_path):
    src = tmp_path / "in"
    write_articles(src, 2)
    out = tmp_path / "out"
    waiting = threading.Event()
    reports = []
    with outdir.output_lock(out.resolve()):         # stands for a build in progress
        second = threading.Thread(target=lambda: reports.append(
            build_corpus([src], out, workers=1, on_wait=waiting.set)))
        second.start()
        assert waiting.wait(30)
        time.sleep(0.3)
        assert second.is_alive() and not out.exists()
    second.join(60)
    assert reports and reports[0].built == 2
    assert siblings(out) == []      # the lock file goes with its holder


def test_the_cli_says_once_that_it_waits(tmp_path):
    src = tmp_path / "in"
    write_articles(src, 2)
    out = tmp_path / "out"
    with outdir.output_lock(out.resolve()):
        build = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--input", str(src), "--out", str(out),
                                  "--workers", "1"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        first_line = build.stderr.readline()
        assert first_line == f"waiting for another build into {out}…\n"
        assert build.poll() is None
    stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == 0, stderr
    assert "waiting" not in stderr and "Built 2 articles" in stdout


def test_two_builds_into_one_out_at_once_keep_a_whole_cache(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    write_articles(one, 12, prefix="east")
    write_articles(two, 9, prefix="west")
    out = tmp_path / "out"
    builds = [subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--input", str(src), "--out", str(out),
                                "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for src in (one, two)]
    for build in builds:
        stdout, stderr = build.communicate(timeout=180)
        assert build.returncode == 0, stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    last = one if manifest["rows"]["articles"] == 12 else two
    assert len(cache_entries(out)) == manifest["rows"]["articles"]
    assert "up to date" in cli_build(last, out)
    assert siblings(out) == []


# --------------------------------------------------------------------------- 4. one article's failure

class FakePanic(BaseException):
    """What a native extension raises (yake-rust's PanicException is a BaseException too)."""


def failing_stage(monkeypatch, marker: str, exc: BaseException) -> None:
    """Make the per-article function raise ``exc`` on articles whose text holds ``marker``."""
    import pipeline.process

    real = pipeline.process.process_document

    def stage(doc, **kwargs):
        if marker in doc.text:
            raise exc
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline.process, "process_document", stage)


def with_broken_articles(src: Path) -> None:
    write_articles(src, 20)
    for name in ("story-000.txt", "story-011.txt"):      # one at the front (a pool's), one further on
        path = src / name
        path.write_text(path.read_text(encoding="utf-8") + "\n\nThe tide tables were unreadable.", encoding="utf-8")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_failing_with_any_exception_is_skipped_with_its_reason(tmp_path, monkeypatch, capsys, workers):
    src = tmp_path / "in"
    with_broken_articles(src)
    out = tmp_path / "out"
    failing_stage(monkeypatch, "tide tables", FakePanic("called `unwrap()` on an `Err` value"))
    report = build_corpus([src], out, workers=workers)
    reason = "FakePanic: called `unwrap()` on an `Err` value"
    assert report.failed == [("story-000.txt", "story-000", reason), ("story-011.txt", "story-011", reason)]
    assert report.built == 18 and report.processed == 20
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == [list(f) for f in report.failed]
    assert len(cache_entries(out)) == 18                        # nothing cached for a failed article
    summary = _summary(report, out)
    assert "failed articles: 2" in summary
    assert f"  failed story-011.txt (article story-011): {reason}" in summary
    monkeypatch.undo()
    retried = build_corpus([src], out, workers=1, force=True)   # the stage fixed: they are built
    assert retried.failed == [] and retried.built == 20


def test_failed_articles_give_the_same_tables_with_one_or_two_workers(tmp_path, monkeypatch):
    src = tmp_path / "in"
    with_broken_articles(src)
    failing_stage(monkeypatch, "tide tables", ValueError("no tide"))
    build_corpus([src], tmp_path / "one", workers=1)
    build_corpus([src], tmp_path / "two", workers=2, force=True)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_an_interrupt_is_not_an_article_failure(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write_articles(src, 3)
    out = tmp_path / "out"
    build_corpus([src], out, workers=1)
    before = snapshot(out)
    write_articles(src, 1, prefix="late")
    failing_stage(monkeypatch, "Ferry talks late 0", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        build_corpus([src], out, workers=1)
    assert snapshot(out) == before and siblings(out) == []


def test_a_run_on_article_that_made_the_keyword_engine_panic_is_built(tmp_path):
    # yake-rust panicked (PanicException, a BaseException) on one very long run of words; the
    # keyword stage now cuts such runs for it, and any panic left would skip only that article
    # (test_an_article_failing_with_any_exception_is_skipped_with_its_reason).
    src = tmp_path / "in"
    write_articles(src, 2)
    words = " ".join(f"tern{i % 4000}" for i in range(70_000))
    (src / "run-on.txt").write_text(f"Run on\n\n{words}", encoding="utf-8")
    out = tmp_path / "out"
    report = build_corpus([src], out, workers=1)
    assert report.failed == [] and report.built == 3
    keywords = (out / "keywords.csv").read_text(encoding="utf-8")
    assert ",run-on," in keywords


CRASHING_STAGE = "The harbour pilot vanished overnight."


def test_a_pool_process_that_dies_costs_only_its_article(tmp_path, monkeypatch):
    import pipeline.process

    src = tmp_path / "in"
    write_articles(src, 16)
    # first in input order, so a pool process takes it (this process takes articles further on)
    (src / "story-000.txt").write_text(f"Ferry talks crash\n\n{CRASHING_STAGE}", encoding="utf-8")
    real, here = pipeline.process.process_document, os.getpid()

    def stage(doc, **kwargs):
        if CRASHING_STAGE in doc.text:
            if os.getpid() != here:
                os._exit(70)            # a crash in native code: the process is gone
            raise RuntimeError("would crash")
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline.process, "process_document", stage)
    report = build_corpus([src], tmp_path / "out", workers=2)
    assert report.built == 15
    assert report.failed in ([("story-000.txt", "story-000", WORKER_DIED)],
                             [("story-000.txt", "story-000", "RuntimeError: would crash")])
    assert len(cache_entries(tmp_path / "out")) == 15
    build_corpus([src], tmp_path / "one", workers=1)
    assert all((tmp_path / "out" / f).read_bytes() == (tmp_path / "one" / f).read_bytes() for f in TABLE_FILES)


def test_a_pool_process_that_dies_once_loses_no_article(tmp_path, monkeypatch):
    # killed from outside (the OOM killer, say): the articles of the lost chunks are run again
    import pipeline.process

    src = tmp_path / "in"
    write_articles(src, 16)
    killed_once = tmp_path / "killed-once"
    real, here = pipeline.process.process_document, os.getpid()

    def stage(doc, **kwargs):
        if os.getpid() != here and not killed_once.exists():
            killed_once.touch()
            os._exit(137)
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline.process, "process_document", stage)
    report = build_corpus([src], tmp_path / "out", workers=2)
    assert killed_once.exists() and report.failed == [] and report.built == 16
    build_corpus([src], tmp_path / "one", workers=1)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "one")


# --------------------------------------------------------------------------- 10. tables are not articles

def test_files_inside_the_output_folder_are_not_read_as_articles(tmp_path):
    src = tmp_path / "in"
    write_articles(src, 3)
    out = tmp_path / "out"
    first = build_corpus([src], out, workers=1)
    # paragraphs.csv has a `text` column: read as a collection, each paragraph would be an article
    (src / "paragraphs.csv").symlink_to(out / "paragraphs.csv")
    again = build_corpus([src], out, workers=1, force=True)
    assert again.built == first.built
    assert [(Path(p).name, r.split(":")[0]) for p, r in again.skipped] == [
        ("paragraphs.csv", f"inside the output folder {out}")]
    assert not tables_are_stale([src], out) and build_corpus([src], out, workers=1).up_to_date


def test_the_output_detector_knows_debris_from_articles(tmp_path):
    out = (tmp_path / "tables").resolve()
    lies_in_output = outdir.output_detector(out)
    for inside in ("tables/articles.csv", ".tables.tmp-12-ab/paragraphs.csv", ".tables.old-k2j3_x8/tables/a.csv"):
        assert lies_in_output(tmp_path / inside), inside
    for outside in ("in/tables/a.txt", "tables.csv", ".tables.tmp.tmp-1-a/a.csv", ".tables.lock", "in/.tables.tmp-1/a"):
        assert not lies_in_output(tmp_path / outside), outside


# --------------------------------------------------------------------------- 13. nothing built

def test_nothing_built_lists_the_skipped_inputs_before_the_error(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["build", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1",
                 "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("  skipped ") and err[0].endswith("empty.txt: empty file")
    assert err[-1].startswith("error: no article could be built") and err[-1].endswith("see the skipped inputs above")
    with pytest.raises(NoArticlesError) as raised:
        build_corpus([tmp_path / "in"], tmp_path / "out", workers=1)
    assert [Path(p).name for p, _ in raised.value.report.skipped] == ["empty.txt"]
    assert not (tmp_path / "out").exists() and siblings(tmp_path / "out") == []


def test_nothing_built_from_failed_articles_lists_them(tmp_path, monkeypatch, capsys):
    src = tmp_path / "in"
    write_articles(src, 2)
    failing_stage(monkeypatch, "Ferry talks", FakePanic("boom"))
    assert main(["build", "--input", str(src), "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "  failed story-001.txt (article story-001): FakePanic: boom" in err
    assert err.strip().splitlines()[-1].endswith("see the skipped inputs above")


def test_nothing_to_read_does_not_point_at_a_list_that_is_not_there(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.doc").write_text("not an article format\n", encoding="utf-8")
    assert main(["build", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "see the skipped inputs above" not in err[0]
    assert "no .txt, .md, .html, .htm, .jsonl or .csv file" in err[0]


def test_a_file_that_cannot_be_hashed_is_skipped_not_fatal(tmp_path, monkeypatch):
    # A file removed or locked between discovery and hashing, or an unreadable sidecar: the
    # readers skip it with the reason; the build goes on with the rest.
    import pipeline.build as pb

    src = tmp_path / "in"
    write_articles(src, 3)
    (src / "story-001.meta.json").write_text('{"outlet": "Harbour Weekly"}', encoding="utf-8")
    real_hash = pb._file_hash

    def locked(path):
        if path.name in ("story-000.txt", "story-001.meta.json"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path)

    monkeypatch.setattr(pb, "_file_hash", locked)
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == "story-000.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = build_corpus([src], tmp_path / "out", workers=1)
    assert report.built == 2
    assert [reason for path, reason in report.skipped if path.endswith("story-000.txt")]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["path"]: e["sha256"] for e in manifest["inputs"]}["story-000.txt"].startswith("unreadable:")
