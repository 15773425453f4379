"""Reference data: what counts as reference data, its fingerprint, and the compiled copy that
spares each new process the parsing."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline import resources
from pipeline.build import build_corpus
from pipeline.keywords import KeywordSettings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of data/ (without built tables or caches), and no in-process copy loaded."""
    folder = tmp_path / "data"
    shutil.copytree(resources.DATA_DIR, folder, ignore=shutil.ignore_patterns("processed", ".cache"))
    resources._load_resources.cache_clear()
    yield folder
    resources._load_resources.cache_clear()


def compiled_copies(data: Path) -> list[Path]:
    return sorted((data / resources.COMPILED_DIR).glob("*.pkl"))


def as_a_new_process(monkeypatch) -> list[int]:
    """Forget the loaded data, as a new process would, and count the times the files are parsed."""
    resources._load_resources.cache_clear()
    parsed = []
    parse = resources._parse_reference_data
    monkeypatch.setattr(resources, "_parse_reference_data", lambda *a, **k: parsed.append(1) or parse(*a, **k))
    return parsed


def test_a_new_process_unpickles_the_compiled_copy_and_builds_the_same_tables(data, tmp_path, monkeypatch):
    build_corpus([SEEDS], tmp_path / "parsed", workers=1, data_dir=data)
    assert len(compiled_copies(data)) == 1
    parsed = as_a_new_process(monkeypatch)
    build_corpus([SEEDS], tmp_path / "unpickled", workers=1, data_dir=data)
    assert parsed == []
    written = sorted(p for p in (tmp_path / "parsed").iterdir() if p.is_file())    # tables, manifest
    assert len(written) == 17
    for table in written:
        assert table.read_bytes() == (tmp_path / "unpickled" / table.name).read_bytes(), table.name


def test_an_edited_file_is_parsed_again_in_a_new_process(data, monkeypatch):
    resources.load_resources(data)
    (data / "keywords_exclude.txt").write_text("bilateral trade\n", encoding="utf-8")
    parsed = as_a_new_process(monkeypatch)
    lexicon = resources.load_resources(data).keyword_lexicon
    assert parsed == [1]
    assert "bilateral trade" in lexicon.exclude
    assert len(compiled_copies(data)) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05\x95garbage"])
def test_a_damaged_compiled_copy_is_parsed_again_and_replaced(data, monkeypatch, damage):
    resources.load_resources(data)
    [copy] = compiled_copies(data)
    copy.write_bytes(damage)
    parsed = as_a_new_process(monkeypatch)
    assert resources.load_resources(data).catalog is not None
    assert parsed == [1]
    assert copy.read_bytes() != damage


def test_a_data_folder_that_cannot_be_written_still_loads(data, monkeypatch):
    def refuse(path, payload):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(resources, "write_bytes_atomic", refuse)
    assert resources.load_resources(data).lexicon is not None
    assert compiled_copies(data) == []


def test_old_compiled_copies_are_pruned(data):
    folder = data / resources.COMPILED_DIR
    folder.mkdir(parents=True)
    for i in range(resources._COMPILED_KEPT + 3):
        old = folder / f"old{i:02}.pkl"
        old.write_bytes(b"x")
        os.utime(old, ns=(10**18 + i, 10**18 + i))
    resources.load_resources(data)
    kept = compiled_copies(data)
    assert len(kept) == resources._COMPILED_KEPT
    assert not (folder / "old00.pkl").exists()
    assert any(not p.name.startswith("old") for p in kept)    # the one just written


@pytest.mark.parametrize("path, counts", [
    ("entities/people_extra.csv", True),
    ("notes.txt", True),
    ("processed/articles.csv", False),           # built tables
    ("processed/.cache/ab/abc.pkl", False),      # the article cache
    (".cache/reference/x.pkl", False),           # the compiled copy itself
    ("entities/.people.csv.swp", False),         # an editor's swap file
    ("quotes/.backup/titles.txt", False),
])
def test_what_counts_as_reference_data(data, path, counts):
    before = resources.reference_digest(data)
    target = data / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("x\n", encoding="utf-8")
    assert (target in resources.reference_files(data)) is counts
    assert (resources.reference_digest(data) != before) is counts


def test_a_separate_keyword_folder_is_part_of_the_fingerprint(data, tmp_path):
    lists = tmp_path / "keyword_lists"
    lists.mkdir()
    (lists / "keywords_exclude.txt").write_text("trade\n", encoding="utf-8")
    settings = KeywordSettings(data_dir=str(lists))
    before = resources.data_fingerprint(data, settings)
    (lists / "keywords_exclude.txt").write_text("trade\ntalks\n", encoding="utf-8")
    assert resources.data_fingerprint(data, settings) != before
    assert "talks" in resources.load_resources(data, settings).keyword_lexicon.exclude
