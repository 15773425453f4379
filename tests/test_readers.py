"""Input edge: formats, encodings, metadata, and every kind of bad input."""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from pipeline.readers import InputNotFoundError, discover, read_inputs

BODY = "Ministers from both countries met on Monday to discuss a new “trade” agreement."


def read(paths, *, max_article_bytes=10_000_000, max_collection_bytes=10_000_000):
    return read_inputs(discover([Path(p) for p in paths]), max_article_bytes=max_article_bytes,
                       max_collection_bytes=max_collection_bytes)


@pytest.mark.parametrize("name, data", [
    ("utf8.txt", f"Title\n\n{BODY}\n".encode("utf-8")),
    ("utf8-bom.txt", codecs.BOM_UTF8 + f"Title\n\n{BODY}\n".encode("utf-8")),
    ("utf16-le.txt", f"\ufeffTitle\n\n{BODY}\n".encode("utf-16-le")),
    ("utf16-be.txt", f"\ufeffTitle\n\n{BODY}\n".encode("utf-16-be")),
    ("cp1252.txt", f"Title\n\n{BODY}\n".encode("cp1252")),
    ("crlf.txt", f"Title\r\n\r\n{BODY}\r\n".encode("utf-8")),
])
def test_encodings_are_read_exactly(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    result = read([tmp_path])
    assert result.skipped == []
    [doc] = result.documents
    assert doc.text.strip() == f"Title\n\n{BODY}"   # curly quotes kept, line ends normalised, BOM gone


def test_nfc_normalisation(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nCafe\u0301 talks.", encoding="utf-8")
    [doc] = read([tmp_path]).documents
    assert "Caf\u00e9 talks." in doc.text


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("noise.txt", bytes(range(256)) * 8, "not UTF-8"),
    ("nul.md", b"Title\x00\x00\x00\x01\x02 body", "binary"),
    ("blank.txt", b"\n\n   \n", "no article text"),
    ("notext.csv", b"id,title\n1,Hello\n", "no `text` column"),
    ("bad-utf16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "invalid"),
])
def test_bad_files_are_skipped_with_reason(tmp_path, name, data, reason):
    (tmp_path / "good.txt").write_text(f"Good\n\n{BODY}", encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    result = read([tmp_path])
    assert [d.source_path for d in result.documents] == ["good.txt"]
    [(path, why)] = result.skipped
    assert path.endswith(name)
    assert reason in why


def test_oversize_file_is_skipped(tmp_path):
    (tmp_path / "big.txt").write_text("Big\n\n" + "word " * 100, encoding="utf-8")
    result = read([tmp_path], max_article_bytes=100)
    assert result.documents == []
    assert "limit" in result.skipped[0][1]


def test_jsonl_broken_line_skips_only_that_line(tmp_path):
    lines = [json.dumps({"id": "r1", "title": "One", "text": BODY, "date": "2024-05-16", "outlet": "Wire"}),
             '{"id": "r2", "text": "broken',
             json.dumps({"id": "r3", "text": "Another article about trade between the two nations."}),
             json.dumps({"id": "r4", "title": "no text"})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read([tmp_path])
    assert [d.doc_id for d in result.documents] == ["r1", "r3"]
    first = result.documents[0]
    assert (first.title, first.published, first.outlet) == ("One", "2024-05-16", "Wire")
    assert [(p.split(":")[-1], r) for p, r in result.skipped] == [
        ("line 2", "invalid JSON (Unterminated string starting at)"), ("line 4", "no `text`")]


def test_csv_records(tmp_path):
    (tmp_path / "c.csv").write_text('id,title,published,url,text\nx1,Hello,2024-02-03,http://e.x/1,"A body, with commas."\n',
                                   encoding="utf-8")
    [doc] = read([tmp_path]).documents
    assert (doc.doc_id, doc.title, doc.published, doc.url, doc.text) == (
        "x1", "Hello", "2024-02-03", "http://e.x/1", "A body, with commas.")


def test_front_matter_and_sidecar(tmp_path):
    (tmp_path / "a.md").write_text(f"---\ndate: 2024-05-16\noutlet: Daily\nurl: http://d.x/a\n---\nTitle\n\n{BODY}",
                                   encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Title B\n\n{BODY} Again.", encoding="utf-8")
    (tmp_path / "b.meta.json").write_text(json.dumps({"published": "May 1, 2023", "outlet": "Weekly"}),
                                          encoding="utf-8")
    docs = {d.doc_id: d for d in read([tmp_path]).documents}
    assert (docs["a"].published, docs["a"].outlet, docs["a"].url) == ("2024-05-16", "Daily", "http://d.x/a")
    assert docs["a"].text.startswith("Title")
    assert (docs["b"].published, docs["b"].outlet) == ("2023-05-01", "Weekly")


def test_html_through_trafilatura(tmp_path):
    para = ("The two governments signed a broad agreement on energy cooperation on Monday, "
            "officials in both capitals said, describing it as a milestone in relations. ")
    html = f"""<html><head><title>Energy pact signed | Example Site</title>
    <meta property="og:site_name" content="Example Site"><meta name="date" content="2024-05-16"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Energy pact signed</h1><p>{para * 2}</p><p>{para}</p></article>
    <footer>© 2024 Example Site. All rights reserved.</footer></body></html>"""
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    [doc] = read([tmp_path]).documents
    assert doc.title == "Energy pact signed"
    assert doc.published == "2024-05-16"
    assert doc.outlet == "Example Site"
    assert "signed a broad agreement" in doc.text
    assert "Home" not in doc.text and "©" not in doc.text


def test_missing_input_raises(tmp_path):
    with pytest.raises(InputNotFoundError):
        discover([tmp_path / "nope"])


def test_repeated_ids_are_made_unique(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text("A\n\nFirst body text here.", encoding="utf-8")
    (tmp_path / "y" / "a.txt").write_text("A\n\nSecond body text here.", encoding="utf-8")
    docs = read([tmp_path]).documents
    assert [(d.doc_id, d.source_path) for d in docs] == [("a", "x/a.txt"), ("a-2", "y/a.txt")]
