"""Dashboard benchmark: prints ratios and timings measured in one run.

1. Warm start to first full render in headless Chromium (Debian's /usr/bin/chromium, driven by
   Playwright), Dyad's default view vs. a Streamlit app with one plotly chart and one table
   (benchmarks/dashboard_baseline_app.py). Both servers run side by side and are warmed first;
   each sample opens a new page and stops when the script has finished and every chart and table
   is drawn. Reports the ratio of medians (target: <= 1.2).
2. A filter change on a generated 10k-article corpus: the time from picking an entity in the
   sidebar to the finished re-render in the browser (target: < 1 s), and the server-side script
   time of that rerun (AppTest).
3. With --big N (e.g. 100000): loading the tables and applying filters at N articles in a fresh
   process (AppTest), with its peak memory (target: < 2 GB), and the filter change of 2. at N.

Usage:
    .venv/bin/python benchmarks/dashboard_bench.py [--articles 10000] [--big 100000] [--samples 7]
        [--tables DIR]   # tables for the warm-start comparison (default: build seeds/ into .bench/)
        [--no-browser]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from browser_setup import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (shared with the browser tests)
from servers import streamlit_server  # noqa: E402  (shared with the browser test)
BENCH = ROOT / ".bench"

# The page has finished its run and drawn every chart and table.
FULL_RENDER_JS = """([charts, tables]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const drawn = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
      .filter(el => el.querySelector('.main-svg')).length;
  const grids = document.querySelectorAll('[data-testid="stDataFrame"] canvas, [data-testid="stDataFrame"] table').length;
  return drawn >= charts && grids >= tables;
}"""


def corpus_dir(n: int) -> Path:
    out = BENCH / f"dashboard-{n}"
    if not (out / "manifest.json").exists():
        from dashboard.synthetic import generate, write_tables
        t = time.perf_counter()
        write_tables(generate(n), out, csv=n <= 20_000)
        print(f"  generated {n:,}-article corpus in {time.perf_counter() - t:.1f} s -> {out}", flush=True)
    return out


def seed_tables() -> Path:
    out = BENCH / "seed-tables"
    try:
        subprocess.run([sys.executable, "-m", "pipeline", "build", "--out", str(out), "--quiet"], cwd=ROOT,
                       check=True, timeout=600)
        return out
    except Exception as exc:  # noqa: BLE001
        print(f"  pipeline build failed ({exc}); using the test fixture", flush=True)
        sys.path.insert(0, str(ROOT / "tests"))
        from dashboard_fixtures import write_fixture
        return write_fixture(BENCH / "fixture-tables")


@contextmanager
def server(script: Path, tables: Path | None):
    env = {"DYAD_NO_BUILD": "1", **({"DYAD_DATA": str(tables)} if tables else {})}
    with streamlit_server(script, env, timeout=90) as url:
        yield url


def render_time(context, url: str, charts: int, tables: int) -> float:
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(FULL_RENDER_JS, arg=[charts, tables], polling="raf", timeout=120_000)
    dt = time.perf_counter() - t0
    page.close()
    return dt


def count_elements(context, url: str) -> tuple[int, int]:
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(FULL_RENDER_JS, arg=[1, 1], polling=100, timeout=120_000)
    page.wait_for_timeout(1000)
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    tables = page.locator('[data-testid="stDataFrame"]').count()
    page.close()
    return charts, tables


def warm_start(tables: Path, samples: int) -> dict:
    from playwright.sync_api import sync_playwright
    with server(ROOT / "benchmarks" / "dashboard_baseline_app.py", None) as base_url, \
            server(ROOT / "streamlit_app.py", tables) as dyad_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        ctx = browser.new_context()
        charts, n_tables = count_elements(ctx, dyad_url)          # also warms Dyad's caches
        count_elements(ctx, base_url)
        base, dyad = [], []
        for i in range(samples):
            order = [(base, base_url, 1, 1), (dyad, dyad_url, charts, n_tables)]
            for bucket, url, c, t in (order if i % 2 == 0 else order[::-1]):
                bucket.append(render_time(ctx, url, c, t))
        browser.close()
    b, d = statistics.median(base), statistics.median(dyad)
    return {"baseline_s": round(b, 3), "dyad_s": round(d, 3), "ratio": round(d / b, 3),
            # best-of-N: robust to load spikes from other processes on a shared machine
            "ratio_best": round(min(dyad) / min(base), 3), "dyad_charts": charts,
            "dyad_tables": n_tables, "baseline_samples": [round(x, 3) for x in base],
            "dyad_samples": [round(x, 3) for x in dyad]}


def filter_change_browser(tables: Path, entity: str, samples: int = 3) -> dict:
    from playwright.sync_api import sync_playwright
    times, phases = [], []
    with server(ROOT / "streamlit_app.py", tables) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        ctx = browser.new_context()
        for i in range(samples):
            page = ctx.new_page()
            page.goto(url)
            page.wait_for_function(FULL_RENDER_JS, arg=[3, 1], polling=100, timeout=300_000)
            page.locator('section[data-testid="stSidebar"] [data-testid="stPopover"] button').first.click()
            box = page.locator('[data-testid="stPopoverBody"] [data-testid="stMultiSelect"]').first
            box.click()
            page.keyboard.type(entity)
            option = page.get_by_role("option", name=f"{entity} · ").first
            option.wait_for()
            page.evaluate("""() => {
              const app = document.querySelector('[data-testid="stApp"]');
              window.__ran = false;
              new MutationObserver(() => {
                const s = app.getAttribute('data-test-script-state');
                if (s === 'running' && !window.__ran) { window.__ran = true; window.__t_run = performance.now(); }
                if (s === 'notRunning' && window.__ran) window.__t_done = performance.now();
              }).observe(app, {attributes: true});
            }""")
            js0 = page.evaluate("performance.now()")
            t0 = time.perf_counter()
            option.click()
            page.wait_for_function("() => window.__ran === true", polling="raf", timeout=60_000)
            page.wait_for_function(FULL_RENDER_JS, arg=[1, 1], polling="raf", timeout=60_000)
            times.append(time.perf_counter() - t0)
            phases.append(page.evaluate("([t0]) => [window.__t_run - t0, window.__t_done - t0]", [js0]))
            page.close()
        browser.close()
    return {"filter_rerender_s": [round(t, 3) for t in times], "median_s": round(statistics.median(times), 3),
            # ms after the click: script run started, script run finished (the rest is drawing)
            "run_started_finished_ms": [[round(a), round(b)] for a, b in phases]}


APPTEST_PROBE = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from streamlit.testing.v1 import AppTest
res = {}
t = time.perf_counter()
at = AppTest.from_file(os.path.join(sys.argv[1], "streamlit_app.py"), default_timeout=900)
at.run()
res["first_run_s"] = round(time.perf_counter() - t, 3)
assert not at.exception, [e.value for e in at.exception]
t = time.perf_counter(); at.run(); res["warm_rerun_s"] = round(time.perf_counter() - t, 3)
# each filter alone, from the unfiltered view (cleared again afterwards, not timed)
for name, value in [("entity", ["Artem Loginov"]), ("topic", ["energy"]), ("side", ["CHN"]),
                    ("dyad", ["RUS-USA"]), ("outlet", ["TASS"])]:
    t = time.perf_counter()
    at.multiselect(key="f_" + name).set_value(value).run()
    res[f"filter_{name}_s"] = round(time.perf_counter() - t, 3)
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    at.multiselect(key="f_" + name).set_value([]).run()
t = time.perf_counter()
at.multiselect(key="f_entity").set_value(["Artem Loginov"])
at.multiselect(key="f_topic").set_value(["energy"]).run()
res["filter_entity+topic_s"] = round(time.perf_counter() - t, 3)
for view in ["Country pair", "Entities", "Voices", "Keywords", "Topics and sections", "Reader"]:
    t = time.perf_counter()
    at.radio(key="view").set_value(view).run()
    res[f"view_{view.split()[0].lower()}_s"] = round(time.perf_counter() - t, 3)
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(res))
"""


def server_side(tables: Path) -> dict:
    env = {**os.environ, "DYAD_DATA": str(tables), "DYAD_NO_BUILD": "1"}
    out = subprocess.run([sys.executable, "-c", APPTEST_PROBE, str(ROOT)], env=env, capture_output=True, text=True,
                         timeout=3600)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=0, help="also measure at this many articles (e.g. 100000)")
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--tables", type=Path, default=None)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--only", choices=["warm", "filter", "server"], default=None)
    args = ap.parse_args()
    results: dict = {}
    browser = not args.no_browser and Path(CHROMIUM).exists()

    if browser and args.only in (None, "warm"):
        tables = args.tables or seed_tables()
        print(f"warm start: {tables}", flush=True)
        results["warm_start"] = warm_start(tables, args.samples)
        print(json.dumps(results["warm_start"]), flush=True)

    for n in [args.articles] + ([args.big] if args.big else []):
        corpus = corpus_dir(n)
        if args.only in (None, "server"):
            print(f"{n:,} articles, server side:", flush=True)
            results[f"server_{n}"] = server_side(corpus)
            print(json.dumps(results[f"server_{n}"]), flush=True)
        if browser and args.only in (None, "filter"):
            print(f"{n:,} articles, filter change in the browser:", flush=True)
            results[f"browser_{n}"] = filter_change_browser(corpus, "Artem Loginov")
            print(json.dumps(results[f"browser_{n}"]), flush=True)

    print("\nSummary")
    if "warm_start" in results:
        w = results["warm_start"]
        print(f"  warm start to full render: Dyad {w['dyad_s']:.3f} s vs baseline {w['baseline_s']:.3f} s "
              f"-> ratio {w['ratio']:.2f} of medians, {w['ratio_best']:.2f} best-of-{len(w['dyad_samples'])} "
              f"(target <= 1.2; {w['dyad_charts']} charts)")
    for key, r in results.items():
        if key.startswith("server_"):
            worst = max(v for k, v in r.items() if k.startswith("filter_"))
            print(f"  {key[7:]} articles: first load {r['first_run_s']:.2f} s, slowest filter rerun {worst:.3f} s "
                  f"(target < 1 s), peak RSS {r['peak_rss_mb']:.0f} MB (target < 2048)")
        if key.startswith("browser_"):
            print(f"  {key[8:]} articles: filter change to finished re-render in Chromium: {r['median_s']:.3f} s "
                  f"(target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
