"""Dyad's pipeline benchmark (`make bench`): throughput, peak memory, stage shares and the checked ratios.

    .venv/bin/python benchmarks/run_all.py                      # real articles + generated 10k (~10 min on 2 cores)
    .venv/bin/python benchmarks/run_all.py --sizes 10000 100000 # also the 100k corpus (long: see docs/performance.md)
    .venv/bin/python benchmarks/run_all.py --skip-large         # real articles only (~2 min)
    .venv/bin/python benchmarks/run_all.py --quick              # development: 1 repeat, no dask, 1k generated

1. Real articles: the 235 eval articles (``../shared/eval/quotes-dev/texts`` and
   ``../shared/eval/countries-dev/articles.jsonl``). The YAKE baseline, a 1-worker and a 2-worker
   full build and a 1-worker build with ``--keyword-engine yake`` run ``--repeat`` times,
   interleaved (the fastest of each is kept); then a build on a dask LocalCluster (2 worker processes on
   127.0.0.1, started in the project snapshot), a byte-for-byte comparison of the three outputs,
   an unchanged rebuild and a rebuild with one new article.
2. A generated corpus of ``--scaling-size`` articles (1,000) built with 1 and with 2 workers,
   interleaved: the parallel speed-up where each process's fixed start-up and end weigh less.
3. Generated corpora (benchmarks/corpus.py): full build with all cores, unchanged rebuild, one new article.

All builds run from a snapshot of ``pipeline/`` and ``data/`` taken at the start (``.bench/snapshot``),
so code that other people change during the run cannot mix into one measurement. Results are
printed and saved as JSON under ``.bench/results/``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus as corpus_mod  # noqa: E402
from benchmarks import pipeline_build as pb  # noqa: E402

SCRATCH = ROOT / ".bench"
REAL_INPUTS = list(corpus_mod.DEFAULT_SOURCES)
MEMORY_LIMIT_MB = 400


def snapshot(root: Path, target: Path) -> Path:
    """Copy pipeline/ and data/ (without built tables and caches) so every build in this run sees the
    same code, and compile its bytecode as `make` does for the project (where PYTHONDONTWRITEBYTECODE
    is set, every build process would otherwise compile the sources, ~45 ms each)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "processed", ".cache")
    shutil.copytree(root / "pipeline", target / "pipeline", ignore=ignore)
    shutil.copytree(root / "data", target / "data", ignore=ignore)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "pipeline")], check=True)
    return target


def git_state(root: Path) -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30).stdout.strip()
        except Exception:
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted": git("status", "--porcelain", "--", "pipeline", "data").splitlines()}


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().split("\n")[0].split()
        info["memory_gb"] = round(int(mem[1]) / 2**20, 1)
    except OSError:
        pass
    return info


# --------------------------------------------------------------------------- printing

def _fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def print_throughput(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(f"  {'run':44s} {'articles':>8s} {'wall s':>8s} {'build s':>8s} {'art/s':>8s} {'chars/s':>10s} "
          f"{'cpu s':>7s} {'peak MB':>8s} {'tree MB':>8s}")
    for r in rows:
        d = r["data"]
        n = d.get("built") or d.get("docs") or 0
        chars = d.get("chars") or 0
        inner = d.get("build_s") or d.get("work_s") or r["wall_s"]
        print(f"  {r['name']:44s} {n:8d} {r['wall_s']:8.2f} {inner:8.2f} {n / r['wall_s']:8.1f} "
              f"{(chars / r['wall_s'] if chars else 0):10.0f} {r['cpu_s']:7.2f} {r['maxrss_mb']:8.0f} "
              f"{r['tree_rss_mb']:8.0f}")


def print_stage_shares(run: dict, title: str) -> None:
    timers = run["data"].get("timers", {})
    build_s = run["data"]["build_s"]
    startup = run["wall_s"] - build_s
    print(f"\n{title}")
    print(f"  {'step':52s} {'seconds':>8s} {'% build':>8s} {'% wall':>7s}")
    print(f"  {'python start-up + imports (outside build_corpus)':52s} {startup:8.2f} {'':>8s} "
          f"{100 * startup / run['wall_s']:6.1f}%")
    for name, sec in sorted(timers.items(), key=lambda kv: -kv[1]):
        if sec < 0.0005:
            continue
        print(f"  {name:52s} {sec:8.2f} {100 * sec / build_s:7.1f}% {100 * sec / run['wall_s']:6.1f}%")
    if run["data"].get("timers_missing"):
        print("  (not timed, function not found: " + ", ".join(run["data"]["timers_missing"]) + ")")


def print_ratios(rows: list[dict]) -> None:
    print("\nRatios (measured in this run; each measure's minimum over the repeats; 'wall' = whole command incl. "
          "interpreter start-up and imports, 'in-process' = inside build_corpus / the YAKE loop, "
          "'cpu' = user+system CPU)")
    print(f"  {'ratio':60s} {'limit':>6s} {'wall':>7s} {'in-proc':>8s} {'cpu':>7s}  verdict")
    for r in rows:
        limit = r.get("limit")
        verdicts = []
        if limit is not None:
            for key in ("wall", "inner"):
                if r.get(key) is not None:
                    verdicts.append(f"{'wall' if key == 'wall' else 'in-proc'} {'ok' if r[key] <= limit else 'OVER'}")
        note = f"  ({r['note']})" if r.get("note") else ""
        print(f"  {r['ratio']:60s} {_fmt(limit, 2):>6s} {_fmt(r.get('wall')):>7s} {_fmt(r.get('inner')):>8s} "
              f"{_fmt(r.get('cpu')):>7s}  {', '.join(verdicts)}{note}")


def print_identity(ident: dict, res: dict) -> None:
    print(f"\nTables byte for byte ({', '.join(ident['compared'])}; {ident['files']} files): "
          + ("IDENTICAL" if ident["identical"] else "DIFFERENT"))
    for f, how in ident["differing"].items():
        if isinstance(how, dict):
            for pair, desc in how.items():
                print(f"  {f} ({pair}): {desc}")
        else:
            print(f"  {f}: {how}")
    print(f"  1-worker builds identical run to run: {res.get('run_to_run_1w_identical')}; "
          f"2-worker builds run to run: {res.get('run_to_run_2w_identical')}")


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000],
                    help="generated corpus sizes (default: 10000; add 100000 for the large run)")
    ap.add_argument("--skip-large", action="store_true", help="no generated corpora, real articles only")
    ap.add_argument("--quick", action="store_true",
                    help="development run: 1 repeat, no dask, no yake-engine build, generated size 1000")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each timed real-article build (fastest kept)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="workers for the generated-corpus builds (default: all cores)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    ap.add_argument("--no-snapshot", action="store_true", help="build from the live tree instead of a snapshot")
    ap.add_argument("--no-dask", action="store_true", help="skip the dask LocalCluster build")
    ap.add_argument("--scaling-size", type=int, default=1000,
                    help="generated corpus for 1-worker and 2-worker builds side by side (default 1000; 0: none)")
    args = ap.parse_args(argv)
    if args.quick:
        args.repeat = 1
        args.no_dask = True
        if args.sizes == [10000]:
            args.sizes = [1000]
    sizes = [] if args.skip_large else args.sizes

    started = dt.datetime.now()
    t0 = time.perf_counter()
    root = ROOT if args.no_snapshot else snapshot(ROOT, SCRATCH / "snapshot")
    info = {"started": started.isoformat(timespec="seconds"), "machine": machine(), "git": git_state(ROOT),
            "args": vars(args), "snapshot": str(root), "load_at_start": os.getloadavg()}
    print(f"Dyad benchmark {info['started']} — {info['machine'].get('cpu', '?')}, {info['machine']['cores']} cores, "
          f"Python {info['machine']['python']}; commit {info['git']['commit']}"
          f" (+{len(info['git']['uncommitted'])} uncommitted files in pipeline/ data/); load {info['load_at_start'][0]:.1f}")
    extra = corpus_mod.extra_article_path(seed=args.seed)

    print(f"\n[1] Real articles ({', '.join(str(p) for p in REAL_INPUTS)})")
    real = pb.real_suite(root=root, inputs=REAL_INPUTS, scratch=SCRATCH, extra=extra, repeat=args.repeat,
                         dask=not args.no_dask, yake_engine_build=not args.quick)
    results = {"info": info, "real": real, "generated": []}

    scaling = None
    if args.scaling_size and not args.skip_large:
        n = args.scaling_size
        print(f"\n[2] 1 worker and 2 workers on a generated corpus of {n} articles")
        scaling = pb.scaling_suite(n, root=root, corpus=corpus_mod.corpus_path(n, seed=args.seed),
                                   scratch=SCRATCH, repeat=args.repeat)
        results["scaling"] = scaling

    for n in sizes:
        print(f"\n[3] Generated corpus of {n} articles")
        t = time.perf_counter()
        path = corpus_mod.corpus_path(n, seed=args.seed)
        print(f"  corpus {path.name} ({path.stat().st_size / 1e6:.1f} MB, ready in {time.perf_counter() - t:.1f} s)")
        results["generated"].append(pb.generated_suite(n, root=root, corpus=path, extra=extra, scratch=SCRATCH,
                                                       workers=args.workers))

    # ------------------------------------------------------------------ report
    best = real["best"]
    print("\n" + "=" * 100)
    print_throughput("Throughput — real articles (best of the repeats; art/s and chars/s over the whole command)",
                     list(best.values()))
    for g in results["generated"]:
        print_throughput(f"Throughput — generated {g['n']} articles ({g['workers']} workers)",
                         [g["full"], g["unchanged rebuild"], g["add one article"]])
    print_stage_shares(best["1 worker"], "Stage shares — real articles, 1-worker full build")
    for g in results["generated"]:
        print_stage_shares(g["full"], f"Stage shares — generated {g['n']}, {g['workers']} workers "
                                      "(main process; per-article stages run in the workers)")
    print_ratios(real["ratios"])
    if scaling is not None:   # not checked: each process's fixed start-up and end weigh less there
        print(f"  generated {scaling['n']}: {'2 workers / 1 worker':58s} {scaling['ratio']:.3f}")
        for row in scaling["diagnostics"]:
            value = row["wall"] if row["wall"] is not None else row["cpu"]
            print(f"  generated {scaling['n']}: {row['ratio']:58s} {value:.3f}")
    for g in results["generated"]:
        for k, v in g["ratios"].items():
            print(f"  generated {g['n']}: {k:58s} {v:.3f}")
    print_identity(real["identical"], real)
    peak = best["1 worker"]["maxrss_mb"]
    print(f"\nPeak memory, 1-worker build of the real articles: {peak:.0f} MB "
          f"({'under' if peak < MEMORY_LIMIT_MB else 'OVER'} the {MEMORY_LIMIT_MB} MB limit)")
    add = best["add one article"]["data"]
    print(f"Adding one article: processed {add.get('processed')}, taken from the cache {add.get('cached')} "
          f"({'ok' if add.get('processed') == 1 else 'UNEXPECTED'})")
    reb = best["unchanged rebuild"]["data"]
    print(f"Unchanged rebuild took the up-to-date path: {reb.get('up_to_date')} "
          f"(all {best['unchanged rebuild'].get('repeats', 1)} rebuilds: {real.get('unchanged_rebuilds_up_to_date')})")
    for g in results["generated"]:
        a = g["add one article"]["data"]
        print(f"generated {g['n']}: unchanged rebuild up to date {g['unchanged rebuild']['data'].get('up_to_date')}; "
              f"one new article → processed {a.get('processed')}, cached {a.get('cached')}")

    results["seconds"] = time.perf_counter() - t0
    out = SCRATCH / "results" / f"bench-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"\nTotal {results['seconds'] / 60:.1f} min; results saved to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
