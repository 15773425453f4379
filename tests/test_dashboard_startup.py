"""A failed rebuild or staleness check leaves the last good tables on screen (issue 13, items 4 and 6).

The real ``pipeline.build`` is used, with ``build_corpus`` (or ``tables_are_stale``) replaced by a
function that raises; the fixture's tables have no fingerprint in their manifest, so they are stale.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner import StopException
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pipeline.build  # noqa: E402
from dashboard import startup  # noqa: E402
from dashboard.safe_text import WORD_JOINER  # noqa: E402
from dashboard_fixtures import write_fixture  # noqa: E402

APP = str(ROOT / "streamlit_app.py")
EVIL = "[Log in again](https://evil.example/login)"


class NativePanic(BaseException):
    """Like pyo3's PanicException: a BaseException, not an Exception."""


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """(articles folder with one article, tables folder) selected through DYAD_INPUT / DYAD_DATA."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text("A title\n\nSome text about talks.\n", encoding="utf-8")
    monkeypatch.setenv("DYAD_INPUT", str(articles))
    monkeypatch.setenv("DYAD_DATA", str(tmp_path / "tables"))
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)
    startup.forget_failed_builds()
    yield articles, tmp_path / "tables"
    startup.forget_failed_builds()


def failing_build(monkeypatch, exc: BaseException) -> list:
    calls = []

    def build_corpus(inputs, out, **kwargs):
        calls.append(out)
        raise exc

    monkeypatch.setattr(pipeline.build, "build_corpus", build_corpus)
    return calls


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def unescaped(value: str) -> str:
    """Markdown as the reader sees it: escapes resolved, autolink-breaking word joiners left out."""
    return re.sub(r"\\(.)", r"\1", value).replace(WORD_JOINER, "")


def warnings(at: AppTest) -> list[str]:
    return [unescaped(w.value) for w in at.warning]


def articles_card(at: AppTest) -> str:
    return at.container(key="card_articles").markdown[0].value.split("## ")[1]


def assert_no_crash(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Building the tables" in s.label for s in at.status)


def test_failed_rebuild_shows_the_last_good_tables(folders, monkeypatch):
    articles, tables = folders
    write_fixture(tables)
    calls = failing_build(monkeypatch, NativePanic(f"called `Option::unwrap()` on a `None` value {EVIL}"))
    at = app().run()
    assert_no_crash(at)
    assert not at.error
    day = startup.tables_written_at(tables).strftime("%Y-%m-%d")
    assert any(w.startswith(f"The tables could not be rebuilt: NativePanic: called `Option::unwrap()` on a "
                            f"`None` value {EVIL}; showing the tables built on {day}") for w in warnings(at)), \
        warnings(at)
    assert all("evil.example" not in w.value for w in at.warning)  # the reason is plain text
    assert articles_card(at) == "3"
    assert len(calls) == 1

    # clicking around (reruns, another tab) does not start the failed build again
    at.run()
    assert_no_crash(at)
    app().run()
    assert len(calls) == 1
    assert any("could not be rebuilt" in w for w in warnings(at))

    # a new article does
    (articles / "two.txt").write_text("Another title\n\nMore text.\n", encoding="utf-8")
    at.run()
    assert_no_crash(at)
    assert len(calls) == 2
    assert articles_card(at) == "3"


def test_failed_build_is_tried_again_after_a_while(folders, monkeypatch):
    _, tables = folders
    write_fixture(tables)
    calls = failing_build(monkeypatch, PermissionError(13, "Permission denied", str(tables / "articles.parquet")))
    at = app().run()
    assert len(calls) == 1
    assert any("could not be rebuilt: PermissionError: [Errno 13] Permission denied" in w for w in warnings(at))
    monkeypatch.setattr(startup, "RETRY_FAILED_BUILD_AFTER", 0.0)
    at.run()
    assert_no_crash(at)
    assert len(calls) == 2


def test_failed_build_without_tables_says_why(folders, monkeypatch):
    failing_build(monkeypatch, NativePanic(EVIL))
    at = app().run()
    assert_no_crash(at)
    errors = [e.value for e in at.error]
    assert [unescaped(e) for e in errors] == [f"The tables could not be built: NativePanic: {EVIL}"]
    assert "evil.example" not in errors[0]
    assert any("python -m pipeline build" in c.value for c in at.code)


def test_no_readable_article_keeps_the_last_good_tables(folders, monkeypatch):
    articles, tables = folders
    write_fixture(tables)
    failing_build(monkeypatch, pipeline.build.NoArticlesError("nothing readable"))
    at = app().run()
    assert_no_crash(at)
    assert any(w.startswith(f"No article in {articles} could be read, so the tables were not rebuilt; "
                            "showing the tables built on") for w in warnings(at)), warnings(at)
    assert articles_card(at) == "3"


def test_failed_staleness_check_shows_the_tables(folders, monkeypatch):
    _, tables = folders
    write_fixture(tables)
    calls = failing_build(monkeypatch, AssertionError("must not build"))

    def tables_are_stale(inputs, out):
        raise PermissionError(13, "Permission denied", f"/srv/{EVIL}")

    monkeypatch.setattr(pipeline.build, "tables_are_stale", tables_are_stale)
    at = app().run()
    assert_no_crash(at)
    assert not at.error
    assert any(w.startswith("Could not check whether the tables are up to date (PermissionError: [Errno 13] "
                            f"Permission denied: '/srv/{EVIL}'); showing the tables built on")
               for w in warnings(at)), warnings(at)
    assert all("evil.example" not in w.value for w in at.warning)
    assert articles_card(at) == "3"
    assert calls == []


def test_stopping_the_script_during_a_build_is_not_a_failed_build(folders, monkeypatch):
    _, tables = folders
    write_fixture(tables)
    calls = failing_build(monkeypatch, StopException())
    at = app().run()
    assert not at.exception
    assert not any("could not be rebuilt" in w for w in warnings(at))
    assert startup._FAILURES == {}
    at.run()
    assert len(calls) == 2  # not remembered as a failure: the next run builds


def test_interrupts_are_not_swallowed(monkeypatch, tmp_path):
    def tables_are_stale(inputs, out):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.build, "tables_are_stale", tables_are_stale)
    with pytest.raises(KeyboardInterrupt):
        startup._check_staleness(tmp_path, tmp_path)


def test_inputs_state_follows_the_articles(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    first = startup.inputs_state(tmp_path)
    assert startup.inputs_state(tmp_path) == first
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("two")
    assert startup.inputs_state(tmp_path) != first
    assert startup.inputs_state(tmp_path / "missing") != startup.inputs_state(tmp_path)


def test_describe_is_one_short_line():
    assert startup.describe(NativePanic()) == "NativePanic"
    assert startup.describe(ValueError("a\nb")) == "ValueError: a b"
    long = startup.describe(RuntimeError("x" * 5000))
    assert len(long) == startup.MAX_REASON_CHARS + 1 and long.endswith("…")
