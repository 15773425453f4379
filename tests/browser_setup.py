"""Debian's Chromium for the real-browser tests and the dashboard benchmark: where it is, how it is
started (no background networking: this machine's closed network refuses it), and whether a test
may skip when it is missing (not in CI, where DYAD_REQUIRE_BROWSER=1 makes a skip a failure)."""
from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("DYAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRED = os.environ.get("DYAD_REQUIRE_BROWSER") == "1"


def need_browser() -> None:
    """Skip the calling test when Chromium or Playwright is missing; fail instead in CI."""
    import pytest

    if not CHROMIUM.exists():
        if REQUIRED:
            pytest.fail(f"DYAD_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if REQUIRED:
            pytest.fail("DYAD_REQUIRE_BROWSER=1 but the playwright package is missing")
        pytest.skip("playwright not installed")
