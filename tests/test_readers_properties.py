"""Property tests of the input edge: whatever the bytes or text of a file, reading never raises,
and every document it yields is visible, clean text with a unique id."""
from __future__ import annotations

import codecs
import csv
import io
import json
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.decoding import has_visible_text
from pipeline.readers import _unique_ids, discover, read_inputs
from pipeline.records import SourceDocument

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# every code point, lone surrogates and controls included
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=200)
# text that looks like an article often enough to yield documents, with anything mixed in
ARTICLE_TEXT = st.lists(st.one_of(st.sampled_from(["Title", "Leaders meet.", "\n", "\n\n", " ", "\r\n", "\t",
                                                   "\u200b", "\ufeff", "\x00", "\x85", "\u2028", "é", "“q”"]),
                                  ANY_TEXT), max_size=12).map("".join)
DATE_LIKE = st.builds("{} {} {} {}:{}:{} {}".format, st.integers(-1, 10**22), st.sampled_from(["Jan", "May", "x"]),
                      st.integers(-1, 10**22), st.integers(0, 10**22), st.integers(0, 99), st.integers(0, 10**22),
                      st.sampled_from(["", "+0100", "-99999999999999999999", "GMT"]))
JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT | DATE_LIKE,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                              st.sampled_from(["name", "value", "text", "x"]), inner, max_size=3),
                          max_leaves=6)
FIELDS = ["id", "title", "date", "published", "outlet", "source", "url", "text"]
RECORD = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUE, max_size=6).flatmap(
    lambda r: st.one_of(st.just(r), ARTICLE_TEXT.map(lambda t: {**r, "text": t})))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "utf-8-surrogatepass"])


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-surrogatepass":
        return text.encode("utf-8", "surrogatepass")      # not UTF-8 when it holds surrogates
    return text.encode(encoding, "replace")


def read_files(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return read_inputs(discover([Path(tmp)]), max_article_bytes=1_000_000, max_collection_bytes=1_000_000)


def check(result) -> None:
    """What every read must give, whatever the input."""
    ids = [doc.doc_id for doc in result.documents]
    assert len(set(ids)) == len(ids), ids
    for doc in result.documents:
        assert doc.text and has_visible_text(doc.text), repr(doc.text)
        for value in (doc.doc_id, doc.source_path, doc.text, doc.title, doc.published, doc.outlet, doc.url):
            value.encode("utf-8")                        # no lone surrogate
            assert not [c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"], repr(value)
        for value in (doc.doc_id, doc.title, doc.published, doc.outlet, doc.url):
            assert "\n" not in value and value == value.strip()
        assert "{" not in doc.outlet or "{" in json.dumps(doc.outlet)    # never a Python repr of a dict
    for path, reason in result.skipped:
        (path + reason).encode("utf-8")
        assert reason


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.jsonl", "a.csv"]))
def test_any_bytes_in_any_format(data, name):
    check(read_files({name: data}))


@SETTINGS
@given(ARTICLE_TEXT, ENCODINGS, st.sampled_from(["a.txt", "a.md"]))
def test_any_text_in_an_article_file(text, encoding, name):
    result = read_files({name: encode(text, encoding)})
    check(result)
    assert len(result.documents) + len(result.skipped) >= 1      # read, or skipped with a reason


@SETTINGS
@given(st.lists(RECORD, max_size=6), ENCODINGS, st.booleans())
def test_any_records_in_jsonl(records, encoding, ascii_escapes):
    # ensure_ascii writes lone surrogates as raw escapes ("\ud800"); without it they are encoded
    lines = [json.dumps(r, ensure_ascii=ascii_escapes) for r in records]
    result = read_files({"c.jsonl": encode("\n".join(lines) + "\n", encoding)})
    check(result)
    if encoding.startswith("utf-8") and ascii_escapes:
        assert len(result.documents) + len(result.skipped) >= len(records) or not records


@SETTINGS
@given(st.lists(st.lists(ARTICLE_TEXT, min_size=1, max_size=4), max_size=5),
       st.lists(st.sampled_from(FIELDS + ["Text", " TITLE ", "other"]), min_size=1, max_size=4), ENCODINGS)
def test_any_rows_in_csv(rows, header, encoding):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    check(read_files({"c.csv": encode(out.getvalue(), encoding)}))


NAME = st.text(st.sampled_from("ax-2_3"), min_size=1, max_size=4)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["p", "q", "r/s"]), NAME), max_size=12, unique=True))
def test_ids_are_unique_for_any_file_names(names):
    files = {f"{folder}/{name}.txt": f"T\n\nBody of {folder}/{name}.".encode() for folder, name in names}
    result = read_files(files)
    check(result)
    assert len(result.documents) == len(names)


@SETTINGS
@given(st.lists(st.one_of(NAME, st.text(max_size=6)), max_size=30))
def test_unique_ids_keep_every_own_id_for_its_first_document(ids):
    docs = [SourceDocument(doc_id=i, source_path=f"{n}", text="x", format="txt") for n, i in enumerate(ids)]
    out = _unique_ids(docs)
    new = [d.doc_id for d in out]
    assert len(set(new)) == len(new)
    assert [d.source_path for d in out] == [d.source_path for d in docs]
    for n, (old, doc) in enumerate(zip(ids, out)):
        if old not in ids[:n]:
            assert doc.doc_id == old                           # the first with an id keeps it
        else:
            assert doc.doc_id.startswith(f"{old}-") and doc.doc_id not in ids
