"""Real-browser test: Debian's Chromium, driven by Playwright, against the running app.

Skips when /usr/bin/chromium is absent, unless DYAD_REQUIRE_BROWSER=1 (CI), where it fails.
Playwright never downloads a browser here: it launches /usr/bin/chromium.
"""
from __future__ import annotations

import csv
import io
import socket
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard_fixtures import FORMULA_QUOTE, HOSTILE, write_fixture, write_hostile, write_many  # noqa: E402
from label_check import CHECK_JS  # noqa: E402
from browser_setup import CHROMIUM, CHROMIUM_ARGS, need_browser  # noqa: E402
from servers import streamlit_server  # noqa: E402



@contextmanager
def app_server(tables: Path, articles: Path):
    env = {"DYAD_DATA": str(tables), "DYAD_INPUT": str(articles), "DYAD_NO_BUILD": "1"}
    with streamlit_server(ROOT / "streamlit_app.py", env, log=tables.parent / "streamlit.log") as url:
        yield url


def non_loopback_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def launch(p):
    return p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def test_entity_filter_then_quotes_csv(tmp_path):
    need_browser()
    from playwright.sync_api import sync_playwright

    tables = write_fixture(tmp_path / "tables")
    with app_server(tables, tmp_path / "articles") as url, sync_playwright() as p:
        browser = launch(p)
        try:
            # .streamlit/config.toml binds to loopback only
            other = non_loopback_address()
            if other:
                port = int(url.rsplit(":", 1)[1])
                with pytest.raises(OSError), socket.create_connection((other, port), timeout=2):
                    pass
            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            page.goto(url + "/?view=voices", wait_until="domcontentloaded")
            page.get_by_role("button", name="Download quotes.csv").wait_for(timeout=60_000)
            page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0

            # unfiltered: the formula quote is there, made inert
            with page.expect_download(timeout=30_000) as dl:
                page.get_by_role("button", name="Download quotes.csv").click()
            assert dl.value.suggested_filename == "quotes.csv"
            rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
            assert sorted(r["quote_id"] for r in rows) == ["a1-q0", "a2-q0", "a2-q1"]
            assert [r["text"] for r in rows if r["quote_id"] == "a2-q0"] == ["'" + FORMULA_QUOTE]

            # apply the entity filter through the sidebar's filter popover
            page.locator('section[data-testid="stSidebar"] [data-testid="stPopover"] button').first.click()
            box = page.locator('[data-testid="stPopoverBody"] [data-testid="stMultiSelect"]').first
            box.click()
            page.keyboard.type("Artem Loginov")
            page.get_by_role("option", name="Artem Loginov · person").click()
            page.keyboard.press("Escape")
            page.wait_for_url("**entity=Artem+Loginov**", timeout=30_000)
            page.keyboard.press("Escape")   # the popover closes too
            page.locator('[data-testid="stPopoverBody"]').wait_for(state="hidden", timeout=30_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
            page.get_by_role("button", name="Download quotes.csv").wait_for(timeout=30_000)
            time.sleep(0.5)

            with page.expect_download(timeout=30_000) as dl:
                page.get_by_role("button", name="Download quotes.csv").click()
            data = Path(dl.value.path()).read_text(encoding="utf-8")
            rows = list(csv.DictReader(io.StringIO(data)))
            assert [(r["quote_id"], r["speaker"]) for r in rows] == [("a1-q0", "Artem Loginov")]
            assert data.splitlines()[0].startswith("article_id,paragraph_id,quote_id,speaker")

            # the same view reopened from the shared URL
            page2 = context.new_page()
            page2.goto(url + "/?view=voices&entity=Artem+Loginov", wait_until="domcontentloaded")
            page2.get_by_role("button", name="Download quotes.csv").wait_for(timeout=60_000)
            with page2.expect_download(timeout=30_000) as dl:
                page2.get_by_role("button", name="Download quotes.csv").click()
            rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
            assert [r["quote_id"] for r in rows] == ["a1-q0"]
            assert page2.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()


LOGIN_LINK = "[Session expired - click to log in](https://evil.example/login) :smile: $x^2$ www.evil.example"
EVIL_LINKS = 'a[href*="evil.example"]'


def _settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    time.sleep(0.5)


def _shown(locator) -> list[str]:
    """The text as the reader sees it (the invisible word joiners that break autolinks left out)."""
    return [t.replace("\u2060", "") for t in locator.all_inner_texts()]


def test_text_from_url_and_articles_stays_text(tmp_path):
    """Issue 13, 17-19: no link, tag, formula or icon from the URL or an article is rendered."""
    need_browser()
    from playwright.sync_api import sync_playwright

    tables = write_hostile(tmp_path / "tables")
    with app_server(tables, tmp_path / "articles") as url, sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1200})

            def no_markup() -> None:
                assert page.locator(EVIL_LINKS).count() == 0
                assert page.locator(".katex, .js-plotly-plot a, .js-plotly-plot tspan[style*=red]").count() == 0
                assert page.locator('[data-testid="stException"]').count() == 0

            # 17: Markdown in a query value: the sidebar warning and the filter summary show it as text
            page.goto(f"{url}/?entity={quote(LOGIN_LINK)}", wait_until="domcontentloaded")
            alert = page.locator('section[data-testid="stSidebar"] [data-testid="stAlert"]').first
            alert.wait_for(timeout=60_000)
            _settled(page)
            no_markup()
            assert f"“{LOGIN_LINK}”" in _shown(alert)[0]
            assert "😄" not in page.locator('section[data-testid="stSidebar"]').inner_text()

            page.goto(f"{url}/?view=keywords&q={quote('[x](https://evil.example/)')}", wait_until="domcontentloaded")
            page.get_by_text("No sentence in this selection holds").wait_for(timeout=60_000)
            _settled(page)
            no_markup()

            # an entity whose name is markup, chosen from the URL: listed in the sidebar as text
            page.goto(f"{url}/?entity={quote(HOSTILE['entity'])}", wait_until="domcontentloaded")
            # one mention each: the entities chart is a sentence naming them, as text
            said = page.locator(".st-key-sum_ov_entities")
            said.wait_for(timeout=60_000)
            _settled(page)
            no_markup()
            summary = _shown(page.locator('section[data-testid="stSidebar"] [data-testid="stMarkdownContainer"]'))
            assert any(HOSTILE["entity"] in t for t in summary), summary
            assert HOSTILE["entity"] in _shown(said)[0]

            # 18: article text in chart ticks, legends and hover labels is text
            page.goto(f"{url}/?view=topics", wait_until="domcontentloaded")
            page.locator(".js-plotly-plot .trace.bars path").first.wait_for(timeout=60_000)
            _settled(page)
            no_markup()
            svg_text = page.locator(".js-plotly-plot").first.text_content()
            # long labels are shortened in the chart (the full text is on hover), never interpreted
            assert HOSTILE["title"][:27] + "…" in svg_text and HOSTILE["topic"][:27] + "…" in svg_text
            bars = page.locator(".js-plotly-plot").first.locator(".trace.bars path")
            hovers = []
            for i in range(bars.count()):
                bars.nth(i).hover(force=True)
                time.sleep(0.3)
                hovers.append(page.locator(".js-plotly-plot").first.locator(".hoverlayer").text_content())
                no_markup()
            assert any(HOSTILE["title"] in h for h in hovers), hovers
            page.goto(f"{url}/?view=voices", wait_until="domcontentloaded")
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.locator(".trace.bars path").first.wait_for(timeout=60_000)
            _settled(page)
            no_markup()
            hovers = []
            bars = chart.locator(".trace.bars path")
            for i in range(bars.count()):
                bars.nth(i).hover(force=True)
                time.sleep(0.3)
                hovers.append(chart.locator(".hoverlayer").text_content())
                no_markup()
            assert any(HOSTILE["speaker"] in h and HOSTILE["category"] in h for h in hovers), hovers

            # option labels in the filter lists are text too
            page.locator('section[data-testid="stSidebar"] [data-testid="stPopover"] button').first.click()
            page.locator('[data-testid="stPopoverBody"] [data-testid="stMultiSelect"]').first.click()
            options = page.get_by_role("option").all_inner_texts()
            assert any(HOSTILE["speaker"] in o for o in options), options
            no_markup()
            page.keyboard.press("Escape")

            # 19: a 50,000-character value is cut to 200 characters, with a note
            started = time.monotonic()
            page.goto(f"{url}/?entity={'y' * 50_000}", wait_until="domcontentloaded")
            page.get_by_text("only its first 200 are used").wait_for(timeout=60_000)
            page.wait_for_url(lambda u: len(u) < len(url) + 300, timeout=30_000)  # the URL holds the cut value
            _settled(page)
            assert time.monotonic() - started < 20
        finally:
            browser.close()


# --------------------------------------------------------------------------- readable charts (issue 15, 3 and 8)

SCREENSHOTS = ROOT / "tests" / "screenshots"  # git-ignored: a full-page picture of every view, to look at
VIEWS = {  # view -> charts it must draw on the generated corpus
    "overview": 3, "pair": 8, "entities": 3, "voices": 4, "keywords": 1, "topics": 2, "reader": 0,
}
NARROW = ("overview", "pair", "entities", "voices")  # also checked at 800 px

SETTLED_JS = """(charts) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const drawn = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
      .filter(el => el.querySelector('.main-svg')).length;
  return drawn >= charts;
}"""


def _open_view(page, url: str, query: str, charts: int, width: int, shot: Path) -> dict:
    """Open the view, let every chart draw, take a full-page screenshot, run the layout checks."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{url}/?{query}", wait_until="domcontentloaded")
    page.wait_for_function(SETTLED_JS, arg=charts, timeout=90_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # the page scrolls inside Streamlit's main area: make the window as tall as the page for the picture;
    # tables and charts below the fold lay out only once shown, so grow until the height holds
    measure = "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    height = 0
    for _ in range(5):
        now = int(page.evaluate(measure))
        if now <= height:
            break
        height = now
        page.set_viewport_size({"width": width, "height": max(900, height + 40)})
        time.sleep(1.5)  # plotly redraws once its margins are worked out
        page.wait_for_function(SETTLED_JS, arg=charts, timeout=30_000)
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    return page.evaluate(CHECK_JS)


def test_charts_are_readable_in_every_view(tmp_path):
    """No label outside its chart, no axis title on tick labels, no legend on the plot or the axes,
    one colour per legend label across every view, at 1280 px and at 800 px; a screenshot of each."""
    need_browser()
    from playwright.sync_api import sync_playwright

    tables = write_many(tmp_path / "tables")
    problems: list[str] = []
    colours: dict[str, dict[str, list[str]]] = {}
    with app_server(tables, tmp_path / "articles") as url, sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            runs = [(1280, view) for view in VIEWS] + [(800, view) for view in NARROW]
            for width, view in runs:
                query = f"view={view}" + ("&read=a000003" if view == "reader" else "")
                result = _open_view(page, url, query, VIEWS[view], width, SCREENSHOTS / f"{view}-{width}.png")
                where = f"{view} @ {width}px"
                assert len(result["charts"]) >= VIEWS[view], (where, result["charts"])
                assert all(c["width"] > 300 for c in result["charts"]), (where, result["charts"])
                problems += [f"{where}: {pr}" for pr in result["problems"]]
                for entry in result["legend"]:
                    colours.setdefault(entry["label"], {}).setdefault(entry["colour"], []).append(
                        f"{where}: {entry['chart']}")
            # the pair of the link stays on the pair view and names both countries
            result = _open_view(page, url, "view=pair&dyad=CHN-RUS", VIEWS["pair"], 1280,
                                SCREENSHOTS / "pair-CHN-RUS-1280.png")
            assert "view=pair" in page.url and "dyad=CHN-RUS" in page.url
            named = [c["chart"] for c in result["charts"] if "China" in c["text"] and "Russia" in c["text"]]
            assert len(named) >= 2, [c["chart"] for c in result["charts"]]
            problems += [f"pair CHN-RUS: {pr}" for pr in result["problems"]]
            # the pair's quotes, with each speaker's country
            with page.expect_download(timeout=30_000) as dl:
                page.get_by_role("button", name="Download quotes-CHN-RUS.csv (with speaker_country)").click()
            rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
            assert rows and {"quote_id", "speaker", "speaker_country"} <= set(rows[0])
            assert {r["speaker_country"] for r in rows} >= {"CHN", "RUS"}
            assert {r["article_id"] for r in rows} <= {f"a{i:06d}" for i in range(24)}
        finally:
            browser.close()
    assert not problems, "\n".join(map(str, problems))
    twice = {label: by for label, by in colours.items() if len(by) > 1}
    assert not twice, twice
    assert {"China", "Russia", "official", "person"} <= set(colours)  # the legends were seen
