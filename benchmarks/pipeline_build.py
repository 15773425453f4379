"""Build measurements: every build (and the YAKE baseline) runs in a fresh subprocess (benchmarks/_runner.py).

Per run: wall time of the whole command (interpreter start to exit), the time inside build_corpus,
CPU time (user + system, the build and its worker processes), peak resident memory of the largest
single process (``ru_maxrss`` from ``os.wait4``), the peak of the whole process tree's summed RSS
(psutil, sampled every 250 ms), and the runner's timers (seconds per stage / orchestration step).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).resolve().parent / "_runner.py"
TABLE_SUFFIXES = (".parquet", ".csv")


@dataclass
class Run:
    name: str
    wall_s: float
    cpu_s: float
    maxrss_mb: float          # largest single process (build or one of its workers)
    tree_rss_mb: float        # peak sum over the process tree (sampled)
    load_before: float
    data: dict = field(default_factory=dict)   # the runner's JSON
    tables: dict = field(default_factory=dict)  # table file -> sha256 (builds)

    @property
    def inner_s(self) -> float:
        """Time of the work itself: build_corpus for a build, read + extract for the YAKE baseline."""
        return self.data.get("build_s") or self.data.get("work_s") or self.wall_s

    def summary(self) -> dict:
        return {"name": self.name, "wall_s": self.wall_s, "cpu_s": self.cpu_s, "maxrss_mb": self.maxrss_mb,
                "tree_rss_mb": self.tree_rss_mb, "load_before": self.load_before, "data": self.data,
                "tables": self.tables}


class BenchError(RuntimeError):
    pass


# A sample lists every process on the machine to find the build's children (about 1 ms of CPU).
# Every 50 ms that took 2 % of a core from a build that has both cores busy (2 workers) and
# nothing from a 1-worker build, which has a core to spare: the measurement itself moved the
# 2-worker/1-worker ratio. The tree total is a diagnostic; peak MB (ru_maxrss) is exact anyway.
TREE_SAMPLE_SECONDS = 0.25


def _tree_sampler(pid: int, stop: threading.Event, peak: list[float]) -> None:
    try:
        import psutil
        proc = psutil.Process(pid)
    except Exception:
        return
    while not stop.is_set():
        try:
            total = proc.memory_info().rss
            for child in proc.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except Exception:
                    pass
            peak[0] = max(peak[0], total)
        except Exception:
            pass
        stop.wait(TREE_SAMPLE_SECONDS)


def run_measured(name: str, args: list[str], *, cwd: Path) -> Run:
    """Run ``_runner.py ARGS --json F`` in a fresh process; measure it; return its JSON result."""
    with tempfile.TemporaryDirectory(prefix="dyad-bench-") as tmp:
        json_path = Path(tmp) / "result.json"
        log_path = Path(tmp) / "log.txt"
        cmd = [sys.executable, str(RUNNER), *args, "--json", str(json_path)]
        load = os.getloadavg()[0]
        with open(log_path, "wb") as log:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            stop, peak = threading.Event(), [0.0]
            sampler = threading.Thread(target=_tree_sampler, args=(proc.pid, stop, peak), daemon=True)
            sampler.start()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            stop.set()
            sampler.join()
        if proc.returncode != 0 or not json_path.exists():
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise BenchError(f"{name} failed (exit {proc.returncode}):\n{tail}")
        data = json.loads(json_path.read_text(encoding="utf-8"))
    return Run(name=name, wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime, maxrss_mb=usage.ru_maxrss / 1024,
               tree_rss_mb=peak[0] / 2**20, load_before=load, data=data)


def table_hashes(out: Path) -> dict[str, str]:
    """sha256 of every table file (Parquet and CSV) and the manifest of a build's output folder."""
    hashes = {}
    for path in sorted(out.iterdir()):
        if path.is_file() and (path.suffix in TABLE_SUFFIXES or path.name == "manifest.json"):
            hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def build(name: str, *, root: Path, inputs: list[Path], out: Path, workers: int = 1, force: bool = False,
          engine: str | None = None, scheduler: str | None = None, timers: bool = True) -> Run:
    args = ["build", "--root", str(root), "--input", *map(str, inputs), "--out", str(out),
            "--workers", str(workers)]
    if force:
        args.append("--force")
    if not timers:
        args.append("--no-timers")
    if engine:
        args += ["--keyword-engine", engine]
    if scheduler:
        args += ["--executor", "dask", "--scheduler", scheduler]
    run = run_measured(name, args, cwd=root)
    run.tables = table_hashes(out)
    return run


def yake_alone(name: str, *, root: Path, inputs: list[Path]) -> Run:
    return run_measured(name, ["yake", "--root", str(root), "--input", *map(str, inputs)], cwd=root)


class LocalClusterProcess:
    """A dask LocalCluster (2 worker processes, loopback) in its own process, started in ``cwd``."""

    def __init__(self, *, cwd: Path, workers: int = 2, timeout: float = 120):
        self.proc = subprocess.Popen([sys.executable, str(RUNNER), "cluster", "--workers", str(workers),
                                      "--root", str(cwd)],
                                     cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        t0 = time.perf_counter()
        line = self.proc.stdout.readline()
        self.start_s = time.perf_counter() - t0
        if not line:
            self.close()
            raise BenchError("the LocalCluster did not start")
        self.address = json.loads(line)["scheduler"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=60)
            except Exception:
                self.proc.terminate()
                self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------- table comparison

def compare_tables(outs: dict[str, Path]) -> dict:
    """Byte-for-byte comparison of every table file across build outputs; a description of any difference."""
    names = list(outs)
    hashes = {n: table_hashes(outs[n]) for n in names}
    base = names[0]
    files = sorted(set().union(*(h.keys() for h in hashes.values())))
    differing = [f for f in files if len({hashes[n].get(f) for n in names}) > 1]
    result = {"identical": not differing, "compared": names, "files": len(files), "differing": {}}
    for f in differing:
        if not f.endswith(".csv"):
            result["differing"][f] = "differs (see the CSV of the same table)"
            continue
        for other in names[1:]:
            if hashes[other].get(f) != hashes[base].get(f):
                result["differing"].setdefault(f, {})[f"{base} vs {other}"] = describe_csv_diff(
                    outs[base] / f, outs[other] / f)
    return result


def describe_csv_diff(a: Path, b: Path) -> str:
    import numpy as np
    import pandas as pd

    fa, fb = pd.read_csv(a, keep_default_na=False), pd.read_csv(b, keep_default_na=False)
    if fa.shape != fb.shape or list(fa.columns) != list(fb.columns):
        return f"different shape/columns: {fa.shape} vs {fb.shape}"
    parts = []
    rows = np.zeros(len(fa), dtype=bool)
    for col in fa.columns:
        x, y = fa[col], fb[col]
        if pd.api.types.is_float_dtype(x) and pd.api.types.is_float_dtype(y):
            diff = (x - y).abs()
            neq = (diff > 0).to_numpy()
            if neq.any():
                rel = (diff / y.abs().where(y != 0, 1)).max()
                parts.append(f"{col}: {int(neq.sum())} values, max abs diff {diff.max():.3g}, max rel {rel:.3g}")
        else:
            neq = (x.astype(str) != y.astype(str)).to_numpy()
            if neq.any():
                parts.append(f"{col}: {int(neq.sum())} values differ")
        rows |= neq
    return f"{int(rows.sum())} of {len(fa)} rows differ -- " + "; ".join(parts) if parts else "same values, different bytes"


# --------------------------------------------------------------------------- suites

def _best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall_s)


def _best_summary(runs: list[Run]) -> dict:
    """The fastest run's summary, plus each measure's minimum over the repeats (used by the ratios)."""
    out = _best(runs).summary()
    out["min_wall_s"] = min(r.wall_s for r in runs)
    out["min_inner_s"] = min(r.inner_s for r in runs)
    out["min_cpu_s"] = min(r.cpu_s for r in runs)
    out["repeats"] = len(runs)
    return out


def real_suite(*, root: Path, inputs: list[Path], scratch: Path, extra: Path, repeat: int = 2,
               dask: bool = True, yake_engine_build: bool = True, log=print) -> dict:
    """The checked numbers, on the real articles: every ratio is measured in this one run."""
    out = scratch / "out"
    o1, o2, od, oy = out / "real-1w", out / "real-2w", out / "real-dask", out / "real-yake"
    kinds = ["yake alone", "1 worker", "2 workers"] + (["1 worker, --keyword-engine yake"] if yake_engine_build else [])
    runs: dict[str, list[Run]] = {k: [] for k in kinds}
    for i in range(repeat):           # interleaved, so drifting load hits every kind alike
        runs["yake alone"].append(_logged(log, yake_alone(f"yake alone #{i + 1}", root=root, inputs=inputs)))
        runs["1 worker"].append(_logged(log, build(f"build 1 worker #{i + 1}", root=root, inputs=inputs,
                                                   out=o1, workers=1, force=True)))
        runs["2 workers"].append(_logged(log, build(f"build 2 workers #{i + 1}", root=root, inputs=inputs,
                                                    out=o2, workers=2, force=True)))
        if yake_engine_build:
            runs["1 worker, --keyword-engine yake"].append(_logged(log, build(
                f"build 1 worker --keyword-engine yake #{i + 1}", root=root, inputs=inputs, out=oy, workers=1,
                force=True, engine="yake")))
    res: dict = {"runs": {k: [r.summary() for r in v] for k, v in runs.items()}}
    res["best"] = {k: _best_summary(runs[k]) for k in kinds}
    res["run_to_run_1w_identical"] = len({json.dumps(r.tables, sort_keys=True) for r in runs["1 worker"]}) == 1
    res["run_to_run_2w_identical"] = len({json.dumps(r.tables, sort_keys=True) for r in runs["2 workers"]}) == 1

    outs = {"1 worker": o1, "2 workers": o2}
    if dask:
        with LocalClusterProcess(cwd=root, workers=2) as cluster:
            res["dask_cluster_start_s"] = cluster.start_s
            res["best"]["dask LocalCluster 2 workers"] = _logged(log, build(
                "build dask LocalCluster(2 processes)", root=root, inputs=inputs, out=od, force=True,
                scheduler=cluster.address)).summary()
        outs["dask LocalCluster"] = od
    res["identical"] = compare_tables(outs)

    rebuilds = [_logged(log, build(f"unchanged rebuild (1 worker) #{i + 1}", root=root, inputs=inputs, out=o1,
                                   workers=1, timers=False)) for i in range(max(repeat, 3))]
    res["best"]["unchanged rebuild"] = _best_summary(rebuilds)
    res["unchanged_rebuilds_up_to_date"] = all(r.data.get("up_to_date") for r in rebuilds)
    add_one = _logged(log, build("rebuild + 1 new article (1 worker)", root=root, inputs=[*inputs, extra],
                                 out=o1, workers=1))
    res["best"]["add one article"] = add_one.summary()
    res["ratios"] = ratios(res["best"]) + parallel_diagnostics(runs["1 worker"], runs["2 workers"])
    return res


def parallel_diagnostics(one: list[Run], two: list[Run]) -> list[dict]:
    """Not checked, but they tell a slow 2-worker build's cause: the median of the ratios of the
    interleaved pairs (less moved by the machine's drift than the ratio of the minima), the
    2-worker build's CPU time over the 1-worker build's (above 1: work that only a parallel build
    does, or two busy cores running slower than one, as on a shared host), and the seconds that
    did not split over the two processes: with T1 = serial + parallel and T2 = serial + parallel / 2,
    serial = 2 T2 - T1 (start-up, imports and reference data in each process, the corpus stages
    and table files at the end, and whatever the CPU ratio adds)."""
    pairs = [b.wall_s / a.wall_s for a, b in zip(one, two)]
    cpu = [b.cpu_s / a.cpu_s for a, b in zip(one, two)]
    serial = [2 * b.wall_s - a.wall_s for a, b in zip(one, two)]
    return [{"ratio": "2 workers / 1 worker, median of interleaved pairs", "limit": None,
             "wall": statistics.median(pairs), "inner": None},
            {"ratio": "2 workers / 1 worker, CPU time (median of pairs)", "limit": None,
             "wall": None, "inner": None, "cpu": statistics.median(cpu)},
            {"ratio": "seconds that did not split: 2 T2 - T1 (median of pairs)", "limit": None,
             "wall": statistics.median(serial), "inner": None}]


def scaling_suite(n: int, *, root: Path, corpus: Path, scratch: Path, repeat: int = 2, log=print) -> dict:
    """1-worker and 2-worker full builds of a generated corpus, interleaved: the same ratio as on
    the real articles, on a corpus where each process's fixed start-up and end weigh less."""
    one: list[Run] = []
    two: list[Run] = []
    for i in range(repeat):
        one.append(_logged(log, build(f"generated {n}: full build, 1 worker #{i + 1}", root=root, inputs=[corpus],
                                      out=scratch / "out" / f"scaling-{n}-1w", workers=1, force=True)))
        two.append(_logged(log, build(f"generated {n}: full build, 2 workers #{i + 1}", root=root, inputs=[corpus],
                                      out=scratch / "out" / f"scaling-{n}-2w", workers=2, force=True)))
    for workers in (1, 2):
        shutil.rmtree(scratch / "out" / f"scaling-{n}-{workers}w", ignore_errors=True)
    return {"n": n, "1 worker": _best_summary(one), "2 workers": _best_summary(two),
            "ratio": min(r.wall_s for r in two) / min(r.wall_s for r in one),    # of the minima, as checked
            "diagnostics": parallel_diagnostics(one, two)}


def generated_suite(n: int, *, root: Path, corpus: Path, extra: Path, scratch: Path, workers: int,
                    log=print) -> dict:
    out = scratch / "out" / f"gen-{n}"
    full = _logged(log, build(f"generated {n}: full build, {workers} workers", root=root, inputs=[corpus],
                              out=out, workers=workers, force=True))
    again = _logged(log, build(f"generated {n}: unchanged rebuild", root=root, inputs=[corpus], out=out,
                               workers=workers, timers=False))
    add = _logged(log, build(f"generated {n}: rebuild + 1 new article", root=root, inputs=[corpus, extra],
                             out=out, workers=workers))
    shutil.rmtree(out / ".cache", ignore_errors=True)   # the cache of 100k articles is large; tables stay
    return {"n": n, "workers": workers, "full": full.summary(), "unchanged rebuild": again.summary(),
            "add one article": add.summary(),
            "ratios": {"unchanged rebuild / full build (wall)": again.wall_s / full.wall_s,
                       "unchanged rebuild / full build (in build_corpus)": again.inner_s / full.inner_s,
                       "add one article / full build (wall)": add.wall_s / full.wall_s}}


def _logged(log, run: Run) -> Run:
    d = run.data
    extra = ""
    if d.get("kind") == "build":
        extra = (f"built {d.get('built')}, processed {d.get('processed')}, cached {d.get('cached')}"
                 + (", up to date" if d.get("up_to_date") else ""))
    log(f"  {run.name:45s} wall {run.wall_s:7.2f} s  inner {run.inner_s:7.2f} s  cpu {run.cpu_s:7.2f} s  "
        f"peak {run.maxrss_mb:6.0f} MB (tree {run.tree_rss_mb:6.0f} MB)  load {run.load_before:.1f}  {extra}")
    return run


# --------------------------------------------------------------------------- ratios

def ratios(best: dict) -> list[dict]:
    """Each checked ratio as wall-clock (whole command), in-process (the work itself) and CPU where meaningful."""
    y, b1, b2 = best["yake alone"], best["1 worker"], best["2 workers"]

    def inner(r):
        return r.get("min_inner_s") or r["data"].get("build_s") or r["data"].get("work_s")

    def wall(r):
        return r.get("min_wall_s") or r["wall_s"]

    def cpu(r):
        return r.get("min_cpu_s") or r["cpu_s"]

    out = []

    def add(name, limit, num, den, with_cpu=True):
        # each measure's minimum over the repeats: the least disturbed by other users' load
        row = {"ratio": name, "limit": limit, "wall": wall(num) / wall(den), "inner": inner(num) / inner(den)}
        if with_cpu:
            row["cpu"] = cpu(num) / cpu(den)
        out.append(row)

    add("full build 1 worker (default engine) / yake alone", 0.6, b1, y)
    if "1 worker, --keyword-engine yake" in best:
        add("full build 1 worker (--keyword-engine yake) / yake alone", 2.0, best["1 worker, --keyword-engine yake"], y)
    add("2 workers / 1 worker", 0.55, b2, b1, with_cpu=False)
    if "dask LocalCluster 2 workers" in best:
        add("dask LocalCluster (2 processes) / 1 worker", None, best["dask LocalCluster 2 workers"], b1,
            with_cpu=False)
    add("unchanged rebuild / full build", 0.05, best["unchanged rebuild"], b1)
    add("rebuild with 1 new article / full build", None, best["add one article"], b1)
    t = b1["data"].get("timers", {})
    eq = t.get("per-article: entities", 0.0) + t.get("per-article: quotes", 0.0)
    ex = y["data"]["extract_s"]   # the fastest YAKE run's loop; the 1-worker timers from the fastest build
    out.append({"ratio": "entities + quotes stages / yake alone (extraction only)", "limit": 0.2,
                "wall": None, "inner": eq / ex, "note": f"{eq:.2f} s / {ex:.2f} s"})
    return out
