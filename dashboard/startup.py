"""Getting to readable tables: build them when missing or stale, explain when there is nothing.

Paths (relative to the project root unless absolute) can be overridden by environment variables:
``DYAD_INPUT`` (articles folder or file, default ``seeds``; several separated by ``os.pathsep``, as
``python -m pipeline serve --input A B`` sets it), ``DYAD_DATA`` (tables folder, default
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

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
    # the build's BuildReport when there is one ("built", or "empty" with what was skipped and why)
    report: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class _Failure:
    outcome: BuildOutcome
    inputs_state: str
    at: float  # time.monotonic() of the attempt


_FAILURES: dict[tuple[str, str], _Failure] = {}  # (inputs, out) -> the last failed attempt


def _path(env: str, default: str) -> Path:
    p = Path(os.environ.get(env) or default)
    return p if p.is_absolute() else ROOT / p


def input_paths() -> list[Path]:
    """The articles folders (or files) the tables are built from: ``DYAD_INPUT``, several separated
    by ``os.pathsep`` (``serve --input A B``), else the pipeline's default (``seeds/``)."""
    from pipeline.build import DEFAULT_INPUT
    given = [part for part in (os.environ.get("DYAD_INPUT") or "").split(os.pathsep) if part]
    found = [Path(part) if Path(part).is_absolute() else ROOT / part for part in given]
    return found or [DEFAULT_INPUT]


def paths() -> tuple[Path, Path]:
    """(first articles folder, tables folder): the pipeline's defaults unless overridden."""
    from pipeline.build import DEFAULT_OUT
    return input_paths()[0], _path("DYAD_DATA", str(DEFAULT_OUT))


def corpus_paths() -> tuple[list[Path], Path]:
    """(every articles folder or file, tables folder)."""
    return input_paths(), paths()[1]


def _as_list(inputs: Path | Iterable[Path]) -> list[Path]:
    """One input or several, as a list (the pages and checks take either)."""
    return [inputs] if isinstance(inputs, (str, Path)) else [Path(p) for p in inputs]


def _shown_inputs(inputs: Path | Iterable[Path]) -> str:
    return ", ".join(str(p) for p in _as_list(inputs))


def has_articles(inputs: Path | Iterable[Path]) -> bool:
    """Whether any input is, or holds, a file of a format the readers read."""
    return any(_has_articles(Path(p)) for p in _as_list(inputs))


def _has_articles(inputs: Path) -> bool:
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


def inputs_state(inputs: Path | Iterable[Path]) -> str:
    """A cheap fingerprint of the articles (paths, sizes, mtimes): a change retries a failed build."""
    h = hashlib.sha256()
    for one in _as_list(inputs):
        _note_state(h, Path(one))
    return h.hexdigest()


def _note_state(h, inputs: Path) -> None:
    """Add the paths, sizes and mtimes under one input to ``h``."""

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


def _check_staleness(inputs: Path | Iterable[Path], out: Path) -> tuple[bool | None, str]:
    """(True/False, "") when the staleness could be told; (None, why not) when checking failed."""
    try:
        from pipeline.build import tables_are_stale
        return bool(tables_are_stale(_as_list(inputs), out)), ""
    except CONTROL_FLOW:
        raise
    except BaseException as exc:  # noqa: BLE001 - e.g. a PermissionError while hashing an input: logged, shown
        log.exception("could not check whether the tables in %s are up to date", out)
        return None, describe(exc)


@st.cache_data(ttl=STALENESS_TTL, show_spinner=False)
def _staleness(inputs: str, out: str) -> tuple[bool | None, str]:
    """Cached per (os.pathsep-joined inputs, tables folder)."""
    return _check_staleness([Path(p) for p in inputs.split(os.pathsep)], Path(out))


def _key(inputs: list[Path]) -> str:
    return os.pathsep.join(str(p) for p in inputs)


def empty_page(inputs: Path | Iterable[Path]) -> None:
    folders = ", ".join(f"**{code_span(p)}**" for p in _as_list(inputs))
    st.title("Dyad")
    st.subheader("No articles yet")
    st.markdown(
        f"Put English news articles in {folders} (sub-folders are read too), or add them with "
        "**Add articles** in the sidebar, then reload this page: the tables are built automatically.\n\n"
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


def _old_tables_warning(outcome: BuildOutcome, inputs: list[Path], out: Path) -> None:
    """Say that the tables on screen are the last good ones, and why no newer ones are there."""
    if outcome.state == "empty":
        why = f"No article in {plain_markdown(_shown_inputs(inputs))} could be read, so the tables were not rebuilt"
    else:
        why = f"The tables could not be rebuilt: {plain_markdown(outcome.reason)}"
    st.warning(f"{why}; showing the tables built on {_built_on(out)}.", icon=":material/history:")


def _build_locked(inputs: list[Path], out: Path) -> BuildOutcome:
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
            log.exception("building the tables from %s into %s failed", _shown_inputs(inputs), out)
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


def _run_build(inputs: list[Path], out: Path, progress) -> tuple[BuildOutcome, object]:
    from pipeline import build as pb

    try:
        report = pb.build_corpus(list(inputs), out, progress=progress)
    except pb.NoArticlesError as exc:
        log.warning("no article in %s could be read", _shown_inputs(inputs))
        return BuildOutcome("empty", report=getattr(exc, "report", None)), None
    _staleness.clear()
    return BuildOutcome("built", report=report), report


def _recent_failure(key: tuple[str, str], state: str) -> BuildOutcome | None:
    failure = _FAILURES.get(key)
    if failure is None or failure.inputs_state != state:
        return None
    if time.monotonic() - failure.at >= RETRY_FAILED_BUILD_AFTER:
        return None
    return failure.outcome


def _build(inputs: list[Path], out: Path) -> BuildOutcome:
    """Build the tables, one build at a time; a recent failure with the same articles is recalled instead."""
    key = (_key(inputs), str(out))
    with _BUILD_LOCK:
        state = inputs_state(inputs)
        recalled = _recent_failure(key, state)
        if recalled is not None:
            return recalled
        # another session may have built them while this one waited
        if tables_present(out) and _check_staleness(inputs, out)[0] is False:
            return BuildOutcome("built")
        return _build_and_remember(inputs, out, key, state)


def _build_and_remember(inputs: list[Path], out: Path, key: tuple[str, str], state: str) -> BuildOutcome:
    """Build (the caller holds _BUILD_LOCK); a failure is remembered for the page's later runs."""
    outcome = _build_locked(inputs, out)
    if outcome.state == "built":
        _FAILURES.pop(key, None)
    else:
        _FAILURES[key] = _Failure(outcome, state, time.monotonic())
    return outcome


def rebuild(inputs: list[Path], out: Path) -> BuildOutcome:
    """Build now, with a status box and progress bar where the caller is (articles were just added):
    no recalled failure, and the report comes with the outcome. A failure is remembered as by the
    page's own builds, so the next run shows the last good tables under a warning."""
    inputs = _as_list(inputs)
    key = (_key(inputs), str(out))
    with _BUILD_LOCK:
        return _build_and_remember(inputs, out, key, inputs_state(inputs))


def forget_failed_builds() -> None:
    """Retry every build at the next chance (tests; a process restart does the same)."""
    _FAILURES.clear()


def _up_to_date(inputs: list[Path], out: Path) -> bool:
    """Build stale or missing tables; False when a page was rendered instead (nothing to show).

    With tables on disk, a failed check or build shows them under a warning.
    """
    present = tables_present(out)
    stale, why_unknown = _staleness(_key(inputs), str(out))
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


def _ensure_tables(inputs: list[Path], out: Path) -> Path | None:
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
        return _ensure_tables(*corpus_paths())
    except CONTROL_FLOW:
        raise
    except BaseException as exc:  # noqa: BLE001 - the page says why, the log keeps the traceback
        log.exception("getting the tables ready failed")
        unreadable_page(describe(exc))
        return None
