"""Getting to readable tables: build them when missing or stale, explain when there is nothing.

Paths (relative to the project root unless absolute) can be overridden by environment variables:
``DYAD_INPUT`` (articles folder, default ``seeds``), ``DYAD_DATA`` (tables folder, default
``data/processed``); ``DYAD_NO_BUILD=1`` never builds (read whatever tables are there).
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import streamlit as st

from dashboard.tables import REBUILD_COMMAND, tables_present

ROOT = Path(__file__).resolve().parent.parent
FORMATS = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
log = logging.getLogger("dyad.dashboard")
_BUILD_LOCK = threading.Lock()


def _path(env: str, default: str) -> Path:
    p = Path(os.environ.get(env) or default)
    return p if p.is_absolute() else ROOT / p


def paths() -> tuple[Path, Path]:
    """(articles folder, tables folder): the pipeline's defaults unless overridden."""
    from pipeline.build import DEFAULT_INPUT, DEFAULT_OUT
    return _path("DYAD_INPUT", str(DEFAULT_INPUT)), _path("DYAD_DATA", str(DEFAULT_OUT))


def has_articles(inputs: Path) -> bool:
    if inputs.is_file():
        return inputs.suffix.lower() in FORMATS
    if not inputs.is_dir():
        return False
    for _root, _dirs, files in os.walk(inputs):
        if any(f.lower().endswith(FORMATS) and not f.startswith(".") for f in files):
            return True
    return False


@st.cache_data(ttl=5, show_spinner=False)
def _stale(inputs: str, out: str) -> bool:
    from pipeline.build import tables_are_stale
    return bool(tables_are_stale([Path(inputs)], Path(out)))


def empty_page(inputs: Path) -> None:
    st.title("Dyad")
    st.subheader("No articles yet")
    st.markdown(
        f"Put English news articles in **`{inputs}`** (sub-folders are read too), then reload this page: "
        "the tables are built automatically.\n\n"
        "Formats read:\n"
        "- **.txt / .md**: plain text or Markdown, one article per file (title on the first line)\n"
        "- **.html / .htm**: saved web pages (the article text is extracted)\n"
        "- **.jsonl**: one article per line, with `text` and optional `title`, `published`, `outlet`, `url`\n"
        "- **.csv**: one article per row, same columns as .jsonl\n\n"
        f"To build by hand: `{REBUILD_COMMAND}`"
    )


def unreadable_page(message: str) -> None:
    st.title("Dyad")
    st.error(f"The tables could not be read. {message}")
    st.markdown("Rebuild them from the articles with:")
    st.code(REBUILD_COMMAND, language="bash")


def _build(inputs: Path, out: Path) -> str:
    """Build the tables with a visible status box; returns 'built', 'empty' or 'failed'."""
    from pipeline import build as pb

    with _BUILD_LOCK:
        # another session may have built them while this one waited
        if tables_present(out) and not pb.tables_are_stale([inputs], out):
            return "built"
        return _build_locked(pb, inputs, out)


def _build_locked(pb, inputs: Path, out: Path) -> str:
    with st.status("Building the tables from the articles…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading articles…")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            frac = done / total if total else 1.0
            bar.progress(min(max(frac, 0.0), 1.0), text=f"{done:,} of {total:,} articles")

        try:
            report = pb.build_corpus([inputs], out, progress=progress)
        except pb.NoArticlesError:
            status.update(label="No article could be read.", state="error", expanded=False)
            return "empty"
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged in full
            log.exception("building the tables failed")
            status.update(label="Building the tables failed.", state="error", expanded=True)
            st.error(f"{exc.__class__.__name__}: {exc}")
            st.code(REBUILD_COMMAND, language="bash")
            return "failed"
        skipped = len(getattr(report, "skipped", []) or [])
        built = getattr(report, "built", "?")
        status.update(label=f"Built tables from {built} article{'' if built == 1 else 's'}"
                            f"{f', skipped {skipped}' if skipped else ''} in {time.monotonic() - started:.1f} s.",
                      state="complete", expanded=False)
    _stale.clear()
    return "built"


def ensure_tables() -> Path | None:
    """Return the tables folder once readable tables are there; otherwise render a page and return None."""
    inputs, out = paths()
    no_build = os.environ.get("DYAD_NO_BUILD") == "1"
    if not no_build and _stale(str(inputs), str(out)):
        if not has_articles(inputs):
            if not tables_present(out):
                empty_page(inputs)
                return None
        else:
            result = _build(inputs, out)
            if result == "empty" and not tables_present(out):
                empty_page(inputs)
                return None
            if result == "failed" and not tables_present(out):
                return None
    if not tables_present(out):
        if not has_articles(inputs):
            empty_page(inputs)
        else:
            unreadable_page(f"No tables were found in {out}.")
        return None
    return out
