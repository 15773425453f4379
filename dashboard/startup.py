"""Getting to readable tables: build them when missing or stale, explain when there is nothing.

Paths (relative to the project root unless absolute) can be overridden by environment variables:
``DYAD_INPUT`` (articles folder, default ``seeds``), ``DYAD_DATA`` (tables folder, default
``data/processed``); ``DYAD_NO_BUILD=1`` never builds (read whatever tables are there).

Nothing on the way ends the page with Streamlit's "This app has encountered an error": a build
that fails (with any exception, including a native-code panic raised as a ``BaseException``) or
a staleness check that fails leaves the last good tables on screen under a warning saying why and
when they were built. A failed build is remembered for ``RETRY_FAILED_BUILD_AFTER`` seconds per
(articles folder, tables folder, state of the articles), so clicking around the page does not
start it again each time; a new or changed article starts a new attempt at once.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException, StopException

from dashboard.safe_text import clip, code_span, one_line, plain_markdown
from dashboard.tables import REBUILD_COMMAND, tables_present, tables_written_at

ROOT = Path(__file__).resolve().parent.parent
FORMATS = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
STALENESS_TTL = 5  # seconds a staleness check is reused (it hashes every input)
RETRY_FAILED_BUILD_AFTER = 300.0  # seconds before a failed build is tried again with unchanged inputs
MAX_REASON_CHARS = 300
log = logging.getLogger("dyad.dashboard")
_BUILD_LOCK = threading.Lock()

# Never caught: the user (or Streamlit, to rerun or stop the script) wants the script to end.
CONTROL_FLOW = (KeyboardInterrupt, SystemExit, GeneratorExit, StopException, RerunException)


@dataclass(frozen=True)
class BuildOutcome:
    state: str  # "built", "empty" (no article could be read) or "failed"
    reason: str = ""  # why it failed, one line of plain text


@dataclass(frozen=True)
class _Failure:
    outcome: BuildOutcome
    inputs_state: str
    at: float  # time.monotonic() of the attempt


_FAILURES: dict[tuple[str, str], _Failure] = {}  # (inputs, out) -> the last failed attempt


def _path(env: str, default: str) -> Path:
    p = Path(os.environ.get(env) or default)
    return p if p.is_absolute() else ROOT / p


def paths() -> tuple[Path, Path]:
    """(articles folder, tables folder): the pipeline's defaults unless overridden."""
    from pipeline.build import DEFAULT_INPUT, DEFAULT_OUT
    return _path("DYAD_INPUT", str(DEFAULT_INPUT)), _path("DYAD_DATA", str(DEFAULT_OUT))


def has_articles(inputs: Path) -> bool:
    try:
        if inputs.is_file():
            return inputs.suffix.lower() in FORMATS
        if not inputs.is_dir():
            return False
    except OSError:  # e.g. no permission on a parent folder: nothing can be read from it
        log.warning("cannot look into %s", inputs, exc_info=True)
        return False
    for _root, _dirs, files in os.walk(inputs):
        if any(f.lower().endswith(FORMATS) and not f.startswith(".") for f in files):
            return True
    return False


def describe(exc: BaseException) -> str:
    """An exception as one line of plain text for the user: its class and message, cut."""
    text = one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    short, was_cut = clip(text, MAX_REASON_CHARS)
    return short + "…" if was_cut else short


def inputs_state(inputs: Path) -> str:
    """A cheap fingerprint of the articles (paths, sizes, mtimes): a change retries a failed build."""
    h = hashlib.sha256()

    def note_error(exc: OSError) -> None:
        h.update(f"error:{exc.filename}:{exc.errno};".encode())

    try:
        found = [inputs] if inputs.is_file() else []
    except OSError as exc:
        note_error(exc)
        found = []
    if not found:
        for root, dirs, files in os.walk(inputs, onerror=note_error):
            dirs.sort()
            found.extend(Path(root) / f for f in sorted(files))
    for p in found:
        try:
            s = p.stat()
            h.update(f"{p}:{s.st_size}:{s.st_mtime_ns};".encode())
        except OSError as exc:
            note_error(exc)
    return h.hexdigest()


def _check_staleness(inputs: Path, out: Path) -> tuple[bool | None, str]:
    """(True/False, "") when the staleness could be told; (None, why not) when checking failed."""
    try:
        from pipeline.build import tables_are_stale
        return bool(tables_are_stale([inputs], out)), ""
    except CONTROL_FLOW:
        raise
    except BaseException as exc:  # noqa: BLE001 - e.g. a PermissionError while hashing an input: logged, shown
        log.exception("could not check whether the tables in %s are up to date", out)
        return None, describe(exc)


@st.cache_data(ttl=STALENESS_TTL, show_spinner=False)
def _staleness(inputs: str, out: str) -> tuple[bool | None, str]:
    return _check_staleness(Path(inputs), Path(out))


def empty_page(inputs: Path) -> None:
    st.title("Dyad")
    st.subheader("No articles yet")
    st.markdown(
        f"Put English news articles in **{code_span(inputs)}** (sub-folders are read too), then reload this page: "
        "the tables are built automatically.\n\n"
        "Formats read:\n"
        "- **.txt / .md**: plain text or Markdown, one article per file (title on the first line)\n"
        "- **.html / .htm**: saved web pages (the article text is extracted)\n"
        "- **.jsonl**: one article per line, with `text` and optional `title`, `published`, `outlet`, `url`\n"
        "- **.csv**: one article per row, same columns as .jsonl\n\n"
        f"To build by hand: `{REBUILD_COMMAND}`"
    )


def unreadable_page(message: str) -> None:
    """The tables cannot be read; ``message`` is plain text (paths, exception messages)."""
    st.title("Dyad")
    st.error(f"The tables could not be read. {plain_markdown(message)}")
    st.markdown("Rebuild them from the articles with:")
    st.code(REBUILD_COMMAND, language="bash")


def build_failed_page(reason: str) -> None:
    """No tables, and building them failed; ``reason`` is plain text."""
    st.title("Dyad")
    st.error(f"The tables could not be built: {plain_markdown(reason)}")
    st.markdown("The server log has the details. To build them by hand:")
    st.code(REBUILD_COMMAND, language="bash")


def _built_on(out: Path) -> str:
    when = tables_written_at(out)
    return when.strftime("%Y-%m-%d %H:%M") if when else "an unknown date"


def _old_tables_warning(outcome: BuildOutcome, inputs: Path, out: Path) -> None:
    """Say that the tables on screen are the last good ones, and why no newer ones are there."""
    if outcome.state == "empty":
        why = f"No article in {plain_markdown(inputs)} could be read, so the tables were not rebuilt"
    else:
        why = f"The tables could not be rebuilt: {plain_markdown(outcome.reason)}"
    st.warning(f"{why}; showing the tables built on {_built_on(out)}.", icon=":material/history:")


def _build_locked(inputs: Path, out: Path) -> BuildOutcome:
    """Build with a visible status box; whatever the build raises becomes a ``BuildOutcome``."""
    slot = st.empty()
    with slot.status("Building the tables from the articles…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading articles…")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            frac = done / total if total else 1.0
            bar.progress(min(max(frac, 0.0), 1.0), text=f"{done:,} of {total:,} articles")

        try:
            outcome, report = _run_build(inputs, out, progress)
        except CONTROL_FLOW:
            raise
        except BaseException as exc:  # noqa: BLE001 - a panic in native code too; logged in full, shown short
            log.exception("building the tables from %s into %s failed", inputs, out)
            outcome, report = BuildOutcome("failed", describe(exc)), None
        if outcome.state != "built":
            status.update(label="The tables were not rebuilt.", state="error", expanded=False)
        else:
            skipped = len(getattr(report, "skipped", []) or [])
            built = getattr(report, "built", "?")
            status.update(label=f"Built tables from {built} article{'' if built == 1 else 's'}"
                                f"{f', skipped {skipped}' if skipped else ''} in {time.monotonic() - started:.1f} s.",
                          state="complete", expanded=False)
    if outcome.state != "built":
        slot.empty()  # the page says what happened, the same way on every later rerun
    return outcome


def _run_build(inputs: Path, out: Path, progress) -> tuple[BuildOutcome, object]:
    from pipeline import build as pb

    try:
        report = pb.build_corpus([inputs], out, progress=progress)
    except pb.NoArticlesError:
        log.warning("no article in %s could be read", inputs)
        return BuildOutcome("empty"), None
    _staleness.clear()
    return BuildOutcome("built"), report


def _recent_failure(key: tuple[str, str], state: str) -> BuildOutcome | None:
    failure = _FAILURES.get(key)
    if failure is None or failure.inputs_state != state:
        return None
    if time.monotonic() - failure.at >= RETRY_FAILED_BUILD_AFTER:
        return None
    return failure.outcome


def _build(inputs: Path, out: Path) -> BuildOutcome:
    """Build the tables, one build at a time; a recent failure with the same articles is recalled instead."""
    key = (str(inputs), str(out))
    with _BUILD_LOCK:
        state = inputs_state(inputs)
        recalled = _recent_failure(key, state)
        if recalled is not None:
            return recalled
        # another session may have built them while this one waited
        if tables_present(out) and _check_staleness(inputs, out)[0] is False:
            return BuildOutcome("built")
        outcome = _build_locked(inputs, out)
        if outcome.state == "built":
            _FAILURES.pop(key, None)
        else:
            _FAILURES[key] = _Failure(outcome, state, time.monotonic())
        return outcome


def forget_failed_builds() -> None:
    """Retry every build at the next chance (tests; a process restart does the same)."""
    _FAILURES.clear()


def _up_to_date(inputs: Path, out: Path) -> bool:
    """Build stale or missing tables; False when a page was rendered instead (nothing to show).

    With tables on disk, a failed check or build shows them under a warning.
    """
    present = tables_present(out)
    stale, why_unknown = _staleness(str(inputs), str(out))
    if stale is None and present:
        st.warning(f"Could not check whether the tables are up to date ({plain_markdown(why_unknown)}); "
                   f"showing the tables built on {_built_on(out)}.", icon=":material/history:")
        return True
    if stale is False or not has_articles(inputs):
        return True  # no articles: the tables there (if any) are all there is
    outcome = _build(inputs, out)
    if outcome.state == "built":
        return True
    if tables_present(out):
        _old_tables_warning(outcome, inputs, out)
        return True
    if outcome.state == "empty":
        empty_page(inputs)
    else:
        build_failed_page(outcome.reason)
    return False


def _ensure_tables(inputs: Path, out: Path) -> Path | None:
    if os.environ.get("DYAD_NO_BUILD") != "1" and not _up_to_date(inputs, out):
        return None
    if not tables_present(out):
        if not has_articles(inputs):
            empty_page(inputs)
        else:
            unreadable_page(f"No tables were found in {out}.")
        return None
    return out


def ensure_tables() -> Path | None:
    """Return the tables folder once readable tables are there; otherwise render a page and return None.

    Raises only Streamlit's (and the interpreter's) control flow: anything else going wrong on the
    way is logged and shown as a sentence.
    """
    try:
        return _ensure_tables(*paths())
    except CONTROL_FLOW:
        raise
    except BaseException as exc:  # noqa: BLE001 - the page says why, the log keeps the traceback
        log.exception("getting the tables ready failed")
        unreadable_page(describe(exc))
        return None
