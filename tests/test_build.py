"""Whole builds: the seed end to end, bad inputs, atomic writes, determinism, cache, CLI exit codes."""
from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import tables as table_io
from pipeline.build import build_corpus
from pipeline.cli import _summary, main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TITLE = "Xi, Putin hold talks, sign joint statement on deepening ties"
TABLE_FILES = [f"{t}.{ext}" for t in ("articles", "sections", "paragraphs", "entities", "mentions", "quotes",
                                      "speakers", "keywords") for ext in ("csv", "parquet")]


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet")


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLE_FILES + ["manifest.json"]}


@pytest.fixture(scope="module")
def seed_tables(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "tables"
    build_corpus([SEEDS], out, workers=1)
    return out


def test_seed_article_structure(seed_tables):
    articles = table(seed_tables, "articles")
    assert articles["title"].tolist() == [SEED_TITLE]
    assert articles.loc[0, "standfirst"] == "China, Russia have found ‘new path for major countries’"
    assert "Global Times" in articles.loc[0, "credits"] and "Photo: Xinhua" in articles.loc[0, "credits"]
    sections = table(seed_tables, "sections")
    assert sections["heading"].tolist()[:1] == [""]
    assert {"More and more cooperation", "On international affairs"} <= set(sections["heading"])
    paragraphs = table(seed_tables, "paragraphs")
    text = "\n".join(paragraphs["text"])
    for furniture in ("Photo: Xinhua", "Excerpts", "Nepal", "[email protected]", "©", "Website by",
                      "Our Team", "Editorial Board", "01-4011122"):
        assert furniture not in text
    # the body stays whole: first and last paragraphs of the article are there
    assert paragraphs["text"].iloc[0].startswith("Chinese President Xi Jinping held large-group talks")
    assert paragraphs["text"].iloc[-1].endswith("stands ready to play a constructive role to this end.")
    assert articles.loc[0, "n_paragraphs"] == len(paragraphs) == 21
    assert paragraphs["paragraph_id"].dtype == "int64"


def test_seed_manifest_counts_the_footer(seed_tables):
    manifest = json.loads((seed_tables / "manifest.json").read_text(encoding="utf-8"))
    [removed] = manifest["boilerplate_removed"]
    assert "©2024 Nepal Page | Website by appharu.com" in removed["lines"]
    assert any(line.endswith("protected]") for line in removed["lines"])
    assert manifest["rows"]["articles"] == 1
    assert manifest["inputs"][0]["path"] == "000_91ac481c97c523e0.txt"


def make_mixed_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(next(SEEDS.glob("*.txt")), folder / "seed.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "legacy.txt").write_bytes("Caf\xe9 diplomacy\n\nThe minister said the “caf\xe9” talks went well.".encode(
        "cp1252"))
    (folder / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + "Wide talks\n\nTrade rose by a fifth last year.".encode(
        "utf-16-le"))
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "feed-1", "title": "Port deal", "text": "The port deal was signed in Gwadar."}) + "\n"
        + '{"id": "feed-2", "text": "unterminated\n'
        + json.dumps({"id": "feed-3", "title": "Rail link", "text": "A rail link will join the two capitals."})
        + "\n", encoding="utf-8")


def test_mixed_folder_keeps_every_readable_article(tmp_path):
    make_mixed_folder(tmp_path / "in")
    report = build_corpus([tmp_path / "in"], tmp_path / "out", workers=1)
    titles = set(table(tmp_path / "out", "articles")["title"])
    assert titles == {SEED_TITLE, "Café diplomacy", "Wide talks", "Port deal", "Rail link"}
    skipped = {Path(p.split(":")[0]).name + (":" + p.split(":")[1] if ":" in p else ""): r for p, r in report.skipped}
    assert set(skipped) == {"empty.txt", "noise.txt", "feed.jsonl:line 2"}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(p).name for p, _ in manifest["skipped"]} >= {"empty.txt", "noise.txt"}
    paragraphs = table(tmp_path / "out", "paragraphs")
    assert "The minister said the “café” talks went well." in set(paragraphs["text"])


def test_duplicate_text_is_one_article(tmp_path):
    src = next(SEEDS.glob("*.txt"))
    (tmp_path / "in").mkdir()
    shutil.copy(src, tmp_path / "in" / "a.txt")
    shutil.copy(src, tmp_path / "in" / "b.txt")
    report = build_corpus([tmp_path / "in"], tmp_path / "out", workers=1)
    assert report.built == 1
    assert report.duplicates == [("b.txt", "a")]


def test_two_builds_are_byte_identical(tmp_path):
    make_mixed_folder(tmp_path / "in")
    build_corpus([tmp_path / "in"], tmp_path / "one", workers=1)
    build_corpus([tmp_path / "in"], tmp_path / "two", workers=2, force=True)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_unchanged_rebuild_is_a_no_op_and_a_new_article_is_the_only_one_processed(tmp_path):
    make_mixed_folder(tmp_path / "in")
    out = tmp_path / "out"
    first = build_corpus([tmp_path / "in"], out, workers=1)
    assert first.cached == 0 and not first.up_to_date
    before = snapshot(out)
    again = build_corpus([tmp_path / "in"], out, workers=1)
    assert again.up_to_date and snapshot(out) == before
    (tmp_path / "in" / "new.txt").write_text("New talks\n\nThe envoys met again in Geneva on Friday.",
                                            encoding="utf-8")
    third = build_corpus([tmp_path / "in"], out, workers=1)
    assert not third.up_to_date
    assert third.built == first.built + 1
    assert third.cached == first.built and third.processed == 1


def test_a_repeated_article_counts_as_cached_not_as_processed(tmp_path):
    # The same article with another site's footer is one article, but both files are read, cached
    # and reported: adding a third article must still say 1 processed.
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(text + "\n\n© 2026 Another Site. All rights reserved.\n", encoding="utf-8")
    out = tmp_path / "out"
    first = build_corpus([tmp_path / "in"], out, workers=1)
    assert (first.built, first.processed, len(first.duplicates)) == (1, 2, 1)
    (tmp_path / "in" / "c.txt").write_text("New talks\n\nThe envoys met again in Geneva on Friday.", encoding="utf-8")
    again = build_corpus([tmp_path / "in"], out, workers=1)
    assert (again.built, again.cached, again.processed) == (2, 2, 1)
    summary = _summary(again, out)
    assert "(1 processed, 2 from cache)" in summary


def built_then_one_more_article(tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    """Tables built from a mixed folder, then a new article added to it: (folder, tables, their bytes)."""
    src = tmp_path / "in"
    make_mixed_folder(src)
    out = tmp_path / "out"
    build_corpus([src], out, workers=1)
    before = snapshot(out)
    (src / "new.txt").write_text("New talks\n\nThe envoys met again in Geneva on Friday.", encoding="utf-8")
    return src, out, before


@pytest.mark.parametrize("workers", [1, 2])
def test_failure_mid_write_leaves_previous_tables(tmp_path, monkeypatch, workers):
    src, out, before = built_then_one_more_article(tmp_path)
    calls = {"n": 0}
    real = table_io._write_parquet

    def failing(*args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full (injected)")
        real(*args)

    monkeypatch.setattr(table_io, "_write_parquet", failing)
    with pytest.raises(OSError, match="injected"):
        build_corpus([src], out, workers=workers)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]   # no temporary folder left behind


@pytest.mark.parametrize("workers", [1, 2])
def test_failure_while_articles_are_processed_leaves_previous_tables(tmp_path, monkeypatch, workers):
    # Tables are written while results arrive: a failure half-way (not one article's: those skip
    # the article, see test_build_safety.py) must not leave that behind either.
    src, out, before = built_then_one_more_article(tmp_path)
    real = table_io.TableWriter.add

    def failing(self, result):
        if "Geneva" in " ".join(p.text for p in result.paragraphs):
            raise OSError("disk full (injected)")
        real(self, result)

    monkeypatch.setattr(table_io.TableWriter, "add", failing)
    with pytest.raises(OSError, match="injected"):
        build_corpus([src], out, workers=workers)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


@pytest.mark.parametrize("batch_rows", [1, 7])
def test_tables_written_while_results_arrive_match_one_batch(tmp_path, monkeypatch, batch_rows):
    src = tmp_path / "in"
    make_mixed_folder(src)
    shutil.copytree(SEEDS, src / "seeds")
    build_corpus([src], tmp_path / "whole", workers=1)

    class SmallBatches(table_io.TableWriter):
        def __init__(self, out, **kwargs):
            super().__init__(out, batch_rows=batch_rows)

    monkeypatch.setattr(table_io, "TableWriter", SmallBatches)
    build_corpus([src], tmp_path / "batched", workers=1, force=True)
    assert snapshot(tmp_path / "batched") == snapshot(tmp_path / "whole")


def test_cli_missing_input_exits_nonzero_and_keeps_tables(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--input", str(SEEDS), "--out", str(out), "--workers", "1"]) == 0
    before = snapshot(out)
    assert main(["build", "--input", str(tmp_path / "missing"), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0]
    assert snapshot(out) == before


def test_cli_nothing_readable_exits_nonzero(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["build", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "no article could be built" in captured.err
    assert not (tmp_path / "out").exists()


def test_cli_summary_names_skipped_files(tmp_path):
    make_mixed_folder(tmp_path / "in")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "--input", str(tmp_path / "in"),
                           "--out", str(tmp_path / "out"), "--workers", "1"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    assert "Built 5 articles" in proc.stdout
    assert "empty.txt: empty file" in proc.stdout
    assert "noise.txt" in proc.stdout and "feed.jsonl:line 2" in proc.stdout
    assert "boilerplate lines removed: 8" in proc.stdout


# --------------------------------------------------------------------------- the seed, end to end

EXPERTS = {
    "Li Haidong": ("China Foreign Affairs University", "CHN"),
    "Cui Heng": ("China National Institute for SCO International Exchange and Judicial Cooperation", "CHN"),
    "Alexey Maslov": ("Institute of Asian and African Studies of Moscow State University", "RUS"),
    "Alexey Solodov": ("Russian Export Center", "RUS"),
}


def test_seed_speakers_and_quotes(seed_tables):
    speakers = table(seed_tables, "speakers").set_index("name")
    for name, (affiliation, country) in EXPERTS.items():
        assert (speakers.loc[name, "affiliation"], speakers.loc[name, "country"]) == (affiliation, country)
    quotes = table(seed_tables, "quotes")
    direct = quotes[quotes["kind"] == "direct"]
    assert direct["speaker"].value_counts().to_dict() == {
        "Alexey Maslov": 2, "Alexey Solodov": 2, "Li Haidong": 1, "Cui Heng": 1, "Vladimir Putin": 1}
    putin = direct[direct["speaker"] == "Vladimir Putin"].iloc[0]
    assert putin["channel"] == "TASS"
    maslov_pids = set(direct[direct["speaker"] == "Alexey Maslov"]["paragraph_id"])
    paragraphs = table(seed_tables, "paragraphs").set_index("paragraph_id")["text"]
    assert any(paragraphs[p].rstrip().endswith("he said.") for p in maslov_pids)
    xi = quotes[(quotes["speaker"] == "Xi Jinping")]
    assert len(xi) >= 3 and set(xi["kind"]) == {"indirect"}
    told = quotes[quotes["cue"] == "told"]
    assert set(told["channel"]) == {"Global Times"}
    for row in quotes.itertuples():
        assert paragraphs[row.paragraph_id][row.char_start:row.char_end] == row.text


def test_seed_entities_and_dyad(seed_tables):
    assert table(seed_tables, "articles")["dyad"].tolist() == ["CHN-RUS"]
    mentions = table(seed_tables, "mentions")
    xi = mentions[mentions["entity_id"] == "person:xi-jinping"]
    assert len(xi) >= 10 and {"Xi", "Xi Jinping"} <= set(xi["surface"])
    paragraphs = table(seed_tables, "paragraphs").set_index("paragraph_id")["text"]
    for row in mentions.itertuples():
        assert paragraphs[row.paragraph_id][row.char_start:row.char_end] == row.surface
    names = set(table(seed_tables, "entities")["name"])
    assert not {"Nepal", "Kathmandu", "Nepal Page"} & names


def test_seed_keywords_and_topics(seed_tables):
    keywords = table(seed_tables, "keywords")
    assert set(keywords["level"]) == {"corpus", "article", "section"}
    top5 = keywords[keywords["level"] == "article"].sort_values("rank")["keyword"].head(5).tolist()
    assert {"China", "Russia"} & set(top5)
    paragraphs = table(seed_tables, "paragraphs")
    assert (paragraphs["topics"] != "").mean() >= 0.8
    assert len({t for ts in paragraphs["topics"] for t in ts.split(";") if t}) >= 4
    sections = table(seed_tables, "sections")
    assert (sections["topic"] != "").all()
    with_keywords = set(keywords[keywords["level"] == "section"]["section_id"].astype(int))
    assert with_keywords == set(sections["section_id"])


def test_csv_tables_carry_no_live_formula(tmp_path):
    import csv as csv_module

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Trade sums\n\n=1+2 is how the minister began his speech on bilateral trade figures.\n\n"
        "“=HYPERLINK(\"http://x.example\")”, Anna Petrova said on Monday in Hanoi.\n\n"
        "-5 percent was the fall in exports, officials said.", encoding="utf-8")
    out = tmp_path / "out"
    build_corpus([tmp_path / "in"], out, workers=1)
    for name in ("paragraphs", "quotes", "keywords", "mentions", "entities", "sections", "articles", "speakers"):
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as f:
            for row in csv_module.DictReader(f):
                for value in row.values():
                    assert not value.startswith(("=", "+", "@", "\t", "\r")), (name, value)
                    assert not value.startswith("-") or value.lstrip("-").replace(".", "", 1).isdigit(), (name, value)
    exact = table(out, "paragraphs")["text"].tolist()
    assert exact[0].startswith("=1+2")           # Parquet keeps the exact text
    with open(out / "paragraphs.csv", newline="", encoding="utf-8") as f:
        assert next(csv_module.DictReader(f))["text"].startswith("'=1+2")
    quotes = table(out, "quotes")
    assert quotes[quotes["kind"] == "direct"]["text"].tolist() == ['=HYPERLINK("http://x.example")']
    with open(out / "quotes.csv", newline="", encoding="utf-8") as f:
        assert [r["text"] for r in csv_module.DictReader(f) if r["kind"] == "direct"] == [
            '\'=HYPERLINK("http://x.example")']


def test_relative_and_absolute_input_paths_are_the_same_input(tmp_path, monkeypatch):
    from pipeline.build import tables_are_stale

    make_mixed_folder(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    build_corpus([Path("in")], tmp_path / "out", workers=1)
    assert not tables_are_stale([tmp_path / "in"], tmp_path / "out")
    assert build_corpus([tmp_path / "in"], tmp_path / "out", workers=1).up_to_date
    (tmp_path / "in" / "new.txt").write_text("New\n\nThe envoys met again.", encoding="utf-8")
    assert tables_are_stale([Path("in")], tmp_path / "out")


def test_worker_processes_fill_the_cache(tmp_path):
    make_mixed_folder(tmp_path / "in")
    out = tmp_path / "out"
    first = build_corpus([tmp_path / "in"], out, workers=2)
    (tmp_path / "in" / "new.txt").write_text("New talks\n\nThe envoys met again in Geneva on Friday.",
                                            encoding="utf-8")
    again = build_corpus([tmp_path / "in"], out, workers=1)
    assert again.cached == first.built and again.built == first.built + 1
    assert len(list((out / ".cache").rglob("*.pkl"))) == again.built


@pytest.mark.parametrize("workers", [1, 2])
def test_a_damaged_cache_entry_is_processed_again(tmp_path, workers):
    # Cached results are read as the tables take them: one found damaged then is processed there.
    make_mixed_folder(tmp_path / "in")
    out = tmp_path / "out"
    first = build_corpus([tmp_path / "in"], out, workers=1)
    entries = sorted((out / ".cache").rglob("*.pkl"))
    entries[len(entries) // 2].write_bytes(b"not a pickle")
    (tmp_path / "in" / "new.txt").write_text("New talks\n\nThe envoys met again in Geneva on Friday.",
                                            encoding="utf-8")
    again = build_corpus([tmp_path / "in"], out, workers=workers)
    assert (again.built, again.processed, again.cached) == (first.built + 1, 2, first.built - 1)
    build_corpus([tmp_path / "in"], tmp_path / "fresh", workers=1)
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def make_feed(folder: Path, n: int) -> None:
    """``n`` short distinct articles in one JSONL file: enough to exercise chunked scheduling."""
    folder.mkdir(parents=True, exist_ok=True)
    capitals = ["Beijing", "Moscow", "New Delhi", "Washington", "Tokyo", "Brasília", "Pretoria", "Ankara"]
    records = []
    for i in range(n):
        a, b = capitals[i % len(capitals)], capitals[(i * 3 + 1) % len(capitals)]
        records.append({"id": f"feed-{i:03d}", "title": f"Talks number {i} in {a}",
                        "text": f"Envoys from {a} and {b} met for round {i} of trade talks.\n\n"
                                f"\"We agreed on {i + 2} points,\" the minister said in {b} on Friday."})
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_builds_match_the_single_process_build(tmp_path, workers):
    make_mixed_folder(tmp_path / "in")
    make_feed(tmp_path / "in" / "feed", 70)
    build_corpus([tmp_path / "in"], tmp_path / "one", workers=1)
    seen = []
    report = build_corpus([tmp_path / "in"], tmp_path / "many", workers=workers, force=True,
                          progress=lambda done, total: seen.append(done))
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "many")
    assert report.built == 75 and seen == list(range(76))     # one step per article, none twice
    assert len(list((tmp_path / "many" / ".cache").rglob("*.pkl"))) == 75


def test_a_build_never_imports_pandas(tmp_path):
    # pandas costs ~0.25 s to import, a tenth of a small corpus's build; the writer does not need it.
    code = ("import sys; from pathlib import Path; from pipeline.build import build_corpus; "
            f"build_corpus([Path({str(SEEDS)!r})], Path({str(tmp_path / 'out')!r}), workers=1); "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert table(tmp_path / "out", "articles")["title"].tolist() == [SEED_TITLE]


@pytest.mark.parametrize("batch", [1, 2, 3, 100])
def test_long_text_columns_are_split_into_the_same_chunks_however_they_arrive(monkeypatch, batch):
    # A string chunk's int32 offsets address at most 2 GiB: a new chunk starts before the limit,
    # with at least one value in each, whether the values came in one batch or in many.
    monkeypatch.setattr(table_io, "_MAX_CHUNK_BYTES", 8)
    values = ["ab", "cdefgh", "", "ééé", "x" * 20, "y", "zz"]
    column = table_io.ColumnBuilder("string")
    for start in range(0, len(values), batch):
        column.extend(values[start:start + batch])
    assert column.length == len(values)
    chunks = [["ab", "cdefgh", ""], ["ééé"], ["x" * 20], ["y", "zz"]]
    assert [chunk.to_pylist() for chunk in column.to_arrow().chunks] == chunks
    assert [chunk.to_pylist() for chunk in column.to_arrow().chunks] == chunks    # and again
    assert table_io.ColumnBuilder("string").to_arrow().to_pylist() == []


@pytest.mark.parametrize("arrow_type, head, rest", [
    ("string", ["corpus"], ["a", "b"]), ("int64", [1], [2, 3]), ("float64", [0.5], [1, 2.5])])
def test_a_column_head_comes_first(arrow_type, head, rest):
    # the corpus keywords head the keywords table, though they are known only at the end
    first, column = table_io.ColumnBuilder(arrow_type), table_io.ColumnBuilder(arrow_type)
    first.extend(head)
    column.extend(rest)
    assert column.to_arrow(first).to_pylist() == head + rest


def test_a_build_restores_the_garbage_collector(tmp_path):
    import gc

    before = gc.get_threshold()
    build_corpus([SEEDS], tmp_path / "out", workers=1, force=True)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    gc.freeze()                      # a caller's own frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        build_corpus([SEEDS], tmp_path / "out", workers=1, force=True)
        assert gc.get_freeze_count() == frozen and gc.get_threshold() == before
    finally:
        gc.unfreeze()


def test_csv_cells_match_the_parquet_types(tmp_path):
    from pipeline.records import KeywordRow

    rows = [KeywordRow("article", "a1", "", "=SUM(A1)", 1, 1), KeywordRow("article", "a1", "", "-3", 0.25, 2)]
    table_io.write_table(tmp_path, "keywords", rows)
    assert (tmp_path / "keywords.csv").read_bytes() == (
        b"level,article_id,section_id,keyword,score,rank\n"
        b"article,a1,,'=SUM(A1),1.0,1\n"
        b"article,a1,,-3,0.25,2\n")
    assert table(tmp_path, "keywords")["score"].tolist() == [1.0, 0.25]


def test_edited_reference_data_takes_effect_in_a_running_process(tmp_path):
    # The dashboard builds in a long-running process while users edit data/ (catalog, lexicons).
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("processed", ".cache"))
    out = tmp_path / "out"
    build_corpus([SEEDS], out, workers=1, data_dir=data)
    words = pd.read_parquet(out / "keywords.parquet")
    top = words[words["level"] == "article"].sort_values("rank")["keyword"].iloc[0]
    with open(data / "keywords_exclude.txt", "a", encoding="utf-8") as f:
        f.write(f"\n{top}\n")
    again = build_corpus([SEEDS], out, workers=1, data_dir=data)
    assert not again.up_to_date
    assert top not in set(pd.read_parquet(out / "keywords.parquet")["keyword"])
