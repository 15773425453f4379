"""A quote pass that raises falls back, and is logged with the article id and listed in manifest.json."""
from __future__ import annotations

import json
import logging

import pytest

import pipeline.quotes as quote_stage
import pipeline.quotes.profile as profile_module
from pipeline.build import build_corpus
from pipeline.cli import _summary
from pipeline.records import ArticleText, EntityResult
from pipeline.resources import load_resources

TEXT = ("Talks on the river treaty resumed in Vienna on Monday.\n\n"
        "“We are close to a deal,” said Ana Lind, a Swedish negotiator.\n\n"
        "“Nothing is agreed yet,” Lind added.\n")


@pytest.fixture(scope="module")
def res():
    return load_resources()


def _article(*paragraphs: str) -> ArticleText:
    return ArticleText("a-1", "T", "", tuple(paragraphs), tuple(0 for _ in paragraphs), ("",))


def test_extraction_failure_falls_back_to_paragraphs_and_is_reported(res, monkeypatch, caplog):
    real = quote_stage._extract

    def fails_on_the_whole_article(article, entities, lexicon):
        if sum(1 for p in article.paragraphs if p) > 1:
            raise ValueError("injected")
        return real(article, entities, lexicon)

    monkeypatch.setattr(quote_stage, "_extract", fails_on_the_whole_article)
    failures = []
    with caplog.at_level(logging.ERROR, logger="dyad.quotes"):
        rows = quote_stage.extract_quotes(_article("“One,” said Ana Lind.", "“Two,” said Tom Hale."),
                                          entities=EntityResult(), lexicon=res.lexicon, failures=failures)
    assert [r.text for r in rows] == ["One,", "Two,"]
    assert [r.quote_id for r in rows] == ["a-1:q1", "a-1:q2"]
    assert [(f.pass_name, f.reason) for f in failures] == [("quotes.extract", "ValueError: injected")]
    assert "a-1" in caplog.text


def test_a_paragraph_that_fails_again_is_reported_on_its_own(res, monkeypatch):
    def always_fails(article, entities, lexicon):
        raise KeyError("x")

    monkeypatch.setattr(quote_stage, "_extract", always_fails)
    failures = []
    rows = quote_stage.extract_quotes(_article("“One,” said Ana Lind.", ""), entities=EntityResult(),
                                      lexicon=res.lexicon, failures=failures)
    assert rows == []
    assert [f.pass_name for f in failures] == ["quotes.extract", "quotes.extract paragraph 0",
                                               "quotes.extract paragraph 1"]


def _profile_fails(*args, **kwargs):
    raise RuntimeError("profile broke")


def test_build_lists_pass_failures_in_the_manifest_and_summary(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "talks.txt").write_text("River treaty talks\n\n" + TEXT, encoding="utf-8")
    monkeypatch.setattr(profile_module, "_side", _profile_fails)
    out = tmp_path / "out"
    report = build_corpus([src], out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(f["pass"], f["reason"]) for f in manifest["pass_failures"]] == [
        ("quotes.profile", "RuntimeError: profile broke")]
    assert report.built == 1 and report.pass_failures == 1 and not report.failed    # the article is kept
    assert "passes that failed and fell back" in _summary(report, out)


def test_a_clean_build_lists_no_pass_failure(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "talks.txt").write_text("River treaty talks\n\n" + TEXT, encoding="utf-8")
    report = build_corpus([src], tmp_path / "out", workers=1)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pass_failures"] == [] and report.pass_failures == 0
    assert "passes that failed" not in _summary(report, tmp_path / "out")
