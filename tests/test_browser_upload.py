"""Real-browser test of "Add articles" (issue 15, items 2 and 8): Debian's Chromium, driven by
Playwright, uploads an invented article through the sidebar's file input; the page rebuilds the
tables and shows the article, its date from its file name, and its speaker under
``?view=voices&entity=…``.

Skips when /usr/bin/chromium is absent, unless DYAD_REQUIRE_BROWSER=1 (CI), where it fails.
Playwright never downloads a browser here: it launches /usr/bin/chromium.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from urllib.parse import quote


ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_setup import CHROMIUM, CHROMIUM_ARGS, need_browser  # noqa: E402
from servers import streamlit_server  # noqa: E402

SIDEBAR = 'section[data-testid="stSidebar"]'

HARBOUR = """Harbour plans in Vellmar

The mayor of Vellmar said on Monday that the old harbour would reopen in spring after repairs.
"""
FERRY_NAME = "ferry_2023-05-06_talks.txt"
FERRY_ID = "ferry_2023-05-06_talks"
FERRY_TITLE = "Norway and Sweden agree on ferry link"
SPEAKER = "Ingrid Halvorsen"
FERRY = f"""{FERRY_TITLE}

Norway and Sweden agreed on Friday to open a ferry link between Bergen and Gothenburg next year.

“This ferry will bring our two countries closer than any bridge could,” said {SPEAKER}, the Norwegian transport minister, after the talks in Oslo.
"""


def _settled(page) -> None:
    """Wait until the script run is over (Streamlit's running indicator is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_upload_an_article_then_read_it_and_find_its_speaker(tmp_path):
    need_browser()
    from playwright.sync_api import expect, sync_playwright

    from pipeline.build import build_corpus

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    tables = tmp_path / "tables"
    build_corpus([articles], tables)
    upload = tmp_path / "from-the-user" / FERRY_NAME
    upload.parent.mkdir()
    upload.write_text(FERRY, encoding="utf-8")

    env = {"DYAD_DATA": str(tables), "DYAD_INPUT": str(articles), "DYAD_NO_BUILD": ""}
    with streamlit_server(ROOT / "streamlit_app.py", env, log=tmp_path / "streamlit.log") as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="domcontentloaded")
            sidebar = page.locator(SIDEBAR)
            expect(sidebar.get_by_text(f"1 article from {articles}")).to_be_visible(timeout=60_000)

            # the uploader sits in the sidebar's "Add articles" popover (mounted when opened)
            sidebar.locator('[data-testid="stPopover"] button', has_text="Add articles").click()
            page.locator('[data-testid="stPopoverBody"] input[type="file"]').set_input_files(str(upload))
            expect(sidebar.get_by_text(f"2 articles from {articles}")).to_be_visible(timeout=120_000)
            expect(sidebar.get_by_text(f"{FERRY_NAME}: added as uploads/{FERRY_NAME}")).to_be_visible()
            assert (articles / "uploads" / FERRY_NAME).read_text(encoding="utf-8") == FERRY
            assert page.locator('[data-testid="stException"]').count() == 0

            # the article, with its date taken from its file name
            page.goto(f"{url}/?view=reader&read={FERRY_ID}", wait_until="domcontentloaded")
            reader = page.locator(".dyad-reader")
            expect(reader.locator("h2")).to_have_text(FERRY_TITLE, timeout=60_000)
            expect(reader.locator(".meta")).to_contain_text("2023-05-06")

            # its speaker, from a shared URL
            page.goto(f"{url}/?view=voices&entity={quote(SPEAKER)}", wait_until="domcontentloaded")
            button = page.get_by_role("button", name="Download quotes.csv")
            button.wait_for(timeout=60_000)
            _settled(page)
            with page.expect_download(timeout=30_000) as download:
                button.click()
            rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
            assert {(r["article_id"], r["speaker"]) for r in rows} == {(FERRY_ID, SPEAKER)}
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
