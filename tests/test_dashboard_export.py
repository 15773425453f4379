"""CSV / ZIP export: exact bytes, CSV-injection escaping, and table loading edge cases."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard.export import csv_bytes, escape_cell, zip_bytes  # noqa: E402
from dashboard.filters import Filters, apply_filters  # noqa: E402
from dashboard.tables import TablesError, load_corpus, pipeline_columns  # noqa: E402
from dashboard_fixtures import write_fixture  # noqa: E402


@pytest.mark.parametrize("cell, expected", [
    ("=1+2", "'=1+2"),
    ('=HYPERLINK("http://x","y")', "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+SUM(A1:A2)", "'+SUM(A1:A2)"),
    ("-2+3", "'-2+3"),
    ("-1 dollar", "'-1 dollar"),
    ("@cmd", "'@cmd"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("=", "'="),
    ("-", "'-"),
    # plain numbers stay numbers
    ("-3", "-3"), ("+1.5", "+1.5"), ("-2e3", "-2e3"), ("-.5", "-.5"), ("+7.", "+7."),
    # not at the start, or harmless
    ("a=b", "a=b"), ("", ""), ("100", "100"), (" =1", " =1"), ("'=1", "'=1"),
])
def test_escape_cell(cell, expected):
    assert escape_cell(cell) == expected


def test_csv_exact_bytes_with_injection_cases():
    df = pd.DataFrame({
        "name": ["=1+2", "-3", "plain, with comma", '"quoted"', "\tx", "@a", "line\nbreak", "+44 20", "ünïcode"],
        "n": [1, -2, 3, 4, 5, 6, 7, 8, 9],
        "score": [0.5, -1.25, 0.0, 1e-3, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    expected = (
        "name,n,score\n"
        "'=1+2,1,0.5\n"
        "-3,-2,-1.25\n"
        '"plain, with comma",3,0.0\n'
        '"""quoted""",4,0.001\n'
        "'\tx,5,2.0\n"
        "'@a,6,3.0\n"
        '"line\nbreak",7,4.0\n'
        "'+44 20,8,5.0\n"
        "ünïcode,9,6.0\n"
    ).encode("utf-8")
    assert csv_bytes(df) == expected


def test_quotes_csv_of_fixture_is_exact(tmp_path):
    c = load_corpus(write_fixture(tmp_path))
    s = apply_filters(c, Filters(side=("CHN",)))
    cols = pipeline_columns("quotes")
    assert cols[:11] == ["article_id", "paragraph_id", "quote_id", "speaker", "speaker_entity_id", "cue", "channel",
                         "kind", "text", "char_start", "char_end"]
    assert csv_bytes(s.quotes, "quotes") == (
        ",".join(cols) + "\n"
        'a2,0,a2-q0,Lu Wenqing,person:lu-wenqing,said,TASS,direct,'
        '"\'=HYPERLINK(""http://evil.example"",""click"") is what Xi Jinping wants",17,83'
        + "," * (len(cols) - 11) + "\n"  # the later columns (speaker_country, ...) are empty in the fixture
    ).encode("utf-8")
    # keywords: "-1 dollar" is text, not a number; negative scores would stay numbers
    kw = csv_bytes(c.keywords, "keywords").decode()
    assert "corpus,,,'-1 dollar,0.02,2\n" in kw
    assert kw.splitlines()[0] == ",".join(pipeline_columns("keywords"))


def test_export_drops_internal_columns_and_keeps_pipeline_order(tmp_path):
    c = load_corpus(write_fixture(tmp_path))
    for table in ("articles", "sections", "paragraphs", "entities", "mentions", "quotes", "speakers", "keywords"):
        header = csv_bytes(c.table(table), table).decode().splitlines()[0]
        assert header == ",".join(pipeline_columns(table))


def test_empty_table_gives_header_only():
    df = pd.DataFrame({c: [] for c in pipeline_columns("quotes")})
    assert csv_bytes(df, "quotes") == (",".join(pipeline_columns("quotes")) + "\n").encode()


def test_zip_holds_every_table_and_is_deterministic(tmp_path):
    c = load_corpus(write_fixture(tmp_path))
    s = apply_filters(c, Filters(entity=("Artem Loginov",)))
    tables = {t: s.table(t) for t in ("articles", "quotes", "mentions")}
    data = zip_bytes(tables)
    assert data == zip_bytes(tables)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["articles.csv", "quotes.csv", "mentions.csv"]
        assert zf.read("quotes.csv") == csv_bytes(s.quotes, "quotes")


def test_no_live_formula_in_any_exported_cell(tmp_path):
    import csv
    c = load_corpus(write_fixture(tmp_path))
    for table in ("articles", "sections", "paragraphs", "entities", "mentions", "quotes", "speakers", "keywords"):
        rows = list(csv.reader(io.StringIO(csv_bytes(c.table(table), table).decode())))
        for row in rows[1:]:
            for cell in row:
                assert not (cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not cell.lstrip("+-").replace(".", "", 1).isdigit()), (table, cell)


def test_unreadable_tables_raise_a_clear_error(tmp_path):
    write_fixture(tmp_path)
    (tmp_path / "quotes.parquet").write_bytes(b"not parquet")
    (tmp_path / "quotes.csv").write_bytes(b"\x00\x01garbage")
    with pytest.raises(TablesError, match="quotes"):
        load_corpus(tmp_path)


def test_csv_fallback_when_parquet_is_broken(tmp_path):
    write_fixture(tmp_path)
    (tmp_path / "quotes.parquet").write_bytes(b"not parquet")
    c = load_corpus(tmp_path)
    assert sorted(c.quotes["quote_id"].astype(str)) == ["a1-q0", "a2-q0", "a2-q1"]
    assert c.quotes["char_start"].dtype.kind == "i"


def test_missing_column_is_reported(tmp_path):
    write_fixture(tmp_path)
    df = pd.read_parquet(tmp_path / "speakers.parquet").drop(columns=["category"])
    df.to_parquet(tmp_path / "speakers.parquet")
    (tmp_path / "speakers.csv").unlink()
    with pytest.raises(TablesError, match="category"):
        load_corpus(tmp_path)
