"""Adding articles from the page (issue 15, item 2): storing uploads safely, what the page says
about each file, and the sidebar's uploader driving a real rebuild (AppTest)."""
from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from dashboard import startup  # noqa: E402
from dashboard.upload import (MAX_NAME_BYTES, Rejected, StoredFile, UploadLimits, corpus_caption,  # noqa: E402
                              outcome_notes, safe_file_name, store_uploads, uploads_folder)

APP = str(ROOT / "streamlit_app.py")
LIMITS = UploadLimits(max_article_bytes=1_000, max_collection_bytes=5_000, max_zip_members=10, max_zip_bytes=20_000)
ARTICLE = "Harbour plans\n\nThe mayor of Vellmar, Ilse Brandauer, said the harbour would reopen in spring.\n"
OTHER = "Rail link opens\n\nA new rail link between Korvik and Tessel opened on Friday, officials said.\n"


def store(files, folder, limits=LIMITS):
    return store_uploads([(name, data.encode() if isinstance(data, str) else data) for name, data in files],
                         folder, limits=limits)


def zip_of(members: dict[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize("name, stored", [
    ("report.txt", "report.txt"),
    ("../../x.txt", "x.txt"),
    ("/etc/passwd.txt", "passwd.txt"),
    ("a\\b.txt", "b.txt"),
    ("C:\\Users\\me\\notes.md", "notes.md"),
    ("CON.txt", "CON_.txt"),
    ("lpt1.tar.txt", "lpt1_.tar.txt"),
    ("Café Zürich.HTML", "Café_Zürich.html"),
    ("Cafe\u0301.txt", "Café.txt"),                     # NFC
    ("новости_2021-05-01.jsonl", "новости_2021-05-01.jsonl"),
    ("evil\u202etxt.exe.txt", "evil_txt.exe.txt"),       # bidi override: not in a name
    ("a\x00b\nc.txt", "abc.txt"),
    ("$(rm -rf ~); x.csv", "rm_-rf_x.csv"),
    ("-rf.txt", "rf.txt"),
    ("...txt.txt", ""),                                  # hidden: refused below
    ("“quoted” name!.md", "quoted_name.md"),
    ("???.txt", "upload.txt"),
])
def test_safe_file_names(name, stored):
    safe, why = safe_file_name(name)
    assert safe == stored, why
    if safe:
        assert "/" not in safe and "\\" not in safe and not safe.startswith((".", "-"))


@pytest.mark.parametrize("name, reason", [
    (".hidden.txt", "hidden file"),
    ("sub/.bashrc.txt", "hidden file"),
    ("..", "no file name"),
    ("", "no file name"),
    ("notes", "unsupported file type (no suffix)"),
    ("/etc/passwd", "unsupported file type (no suffix)"),
    ("run.exe", "unsupported file type .exe"),
    ("page.php.", "unsupported file type"),
    ("x.meta.json", "unsupported file type .json"),
])
def test_refused_file_names(name, reason):
    safe, why = safe_file_name(name)
    assert safe == "" and reason in why


def test_very_long_names_are_cut_keeping_the_suffix():
    for name in ("x" * 1000 + ".txt", "é" * 400 + ".jsonl", "日本" * 200 + ".md"):
        safe, _ = safe_file_name(name)
        assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
        assert safe.rpartition(".")[2] == name.rpartition(".")[2]
        safe.encode("utf-8").decode("utf-8")    # cut on a character boundary


# --------------------------------------------------------------------------- storing files

@pytest.mark.parametrize("name", ["../../x.txt", "/etc/passwd.txt", "a\\b.txt", "../uploads/../../y.txt",
                                  "CON.txt", "名前.txt", "n" * 600 + ".txt"])
def test_hostile_names_stay_inside_the_folder(tmp_path, name):
    folder = tmp_path / "corpus" / "uploads"
    folder.parent.mkdir()
    [result] = store([(name, ARTICLE)], folder)
    assert isinstance(result, StoredFile) and result.new
    assert result.path.parent == folder.resolve()
    assert files_in(tmp_path) == ["corpus", "corpus/uploads", f"corpus/uploads/{result.path.name}"]
    assert result.path.read_text() == ARTICLE


def test_an_existing_file_is_never_replaced(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "talks.txt").write_text(OTHER)
    results = store([("talks.txt", ARTICLE), ("talks.txt", ARTICLE), ("talks.txt", OTHER),
                     ("dir/talks.txt", "Third\n\nYet another text about the bridge in Korvik.\n")], folder)
    assert [(r.path.name, r.new) for r in results] == [("talks-2.txt", True), ("talks-2.txt", False),
                                                       ("talks.txt", False), ("talks-3.txt", True)]
    assert (folder / "talks.txt").read_text() == OTHER
    assert (folder / "talks-2.txt").read_text() == ARTICLE


def test_a_link_or_folder_in_the_way_is_not_followed(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    (folder / "a.txt").symlink_to(outside)              # dangling: writing through it would create outside.txt
    (folder / "b.txt").mkdir()
    results = store([("a.txt", ARTICLE), ("b.txt", ARTICLE)], folder)
    assert [r.path.name for r in results] == ["a-2.txt", "b-2.txt"]
    assert not outside.exists()


def test_uploads_folder_that_is_a_link_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "uploads").symlink_to(elsewhere)
    [result] = store([("a.txt", ARTICLE)], tmp_path / "corpus" / "uploads")
    assert isinstance(result, Rejected) and "link" in result.reason
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("big.txt", b"x" * 1_001, "larger than the 1,000-byte limit for txt files"),
    ("big.htm", b"x" * 1_001, "larger than the 1,000-byte limit for html files"),
    ("big.jsonl", b"x" * 5_001, "larger than the 5,000-byte limit for jsonl files"),
    ("tool.exe", b"MZ", "unsupported file type .exe"),
])
def test_bad_files_are_refused_with_the_readers_reason(tmp_path, name, data, reason):
    [result] = store([(name, data)], tmp_path / "uploads")
    assert isinstance(result, Rejected) and reason in result.reason
    assert files_in(tmp_path / "uploads") == []       # nothing left, no temporary file either


def test_unwritable_folder_rejects_every_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus").chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        results = store([("a.txt", ARTICLE), ("b.txt", OTHER)], tmp_path / "corpus" / "uploads")
    finally:
        (tmp_path / "corpus").chmod(0o755)
    assert all(isinstance(r, Rejected) and "cannot write" in r.reason for r in results)


# --------------------------------------------------------------------------- zips

def test_zip_members_are_stored_by_base_name(tmp_path):
    data = zip_of({"news/a.txt": ARTICLE, "news/b.md": OTHER, "news/": b"", "__MACOSX/news/._a.txt": b"junk"})
    results = store([("bundle.zip", data)], tmp_path / "uploads")
    assert [(r.name, r.path.name) for r in results] == [("bundle.zip: news/a.txt", "a.txt"),
                                                        ("bundle.zip: news/b.md", "b.md")]
    assert files_in(tmp_path / "uploads") == ["a.txt", "b.md"]


def _zip_with_raw_names(members: dict[str, bytes], *, link: str = "") -> bytes:
    """A zip whose member names are written as given (zipfile.writestr would keep '../')."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name == link:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    return buf.getvalue()


@pytest.mark.parametrize("member, reason", [
    ("../../evil.txt", "(..)"),
    ("a/../../evil.txt", "(..)"),
    ("/etc/evil.txt", "absolute path"),
    ("C:/evil.txt", "absolute path"),
    ("..\\..\\evil.txt", "(..)"),
    (".git/evil.txt", "hidden folder"),
    (".evil.txt", "hidden file"),
    ("inner.zip", "a zip inside a zip"),
    ("run.sh", "unsupported file type .sh"),
])
def test_zip_slip_and_other_hostile_members_are_refused(tmp_path, member, reason):
    data = _zip_with_raw_names({member: ARTICLE.encode(), "ok.txt": OTHER.encode()})
    (tmp_path / "corpus").mkdir()
    results = store([("bundle.zip", data)], tmp_path / "corpus" / "uploads")
    bad = [r for r in results if isinstance(r, Rejected)]
    assert [r.name for r in bad] == [f"bundle.zip: {member}"] and reason in bad[0].reason, bad
    assert files_in(tmp_path) == ["corpus", "corpus/uploads", "corpus/uploads/ok.txt"]


def test_symlink_members_are_refused(tmp_path):
    data = _zip_with_raw_names({"link.txt": b"/etc/passwd", "ok.txt": OTHER.encode()}, link="link.txt")
    results = store([("bundle.zip", data)], tmp_path / "uploads")
    assert [(r.name, getattr(r, "reason", "")) for r in results if isinstance(r, Rejected)] == [
        ("bundle.zip: link.txt", "a symbolic link")]
    assert not (tmp_path / "uploads" / "link.txt").is_symlink()


def test_nested_zip_is_not_opened(tmp_path):
    inner = zip_of({"deep.txt": ARTICLE})
    results = store([("outer.zip", zip_of({"inner.zip": inner}))], tmp_path / "uploads")
    assert [(r.name, r.reason) for r in results] == [("outer.zip: inner.zip", "a zip inside a zip is not opened")]


def test_zip_bomb_member_stops_at_its_limit(tmp_path):
    bomb = zip_of({"zeros.txt": b"0" * 2_000_000, "ok.txt": OTHER})     # 2 MB of zeros: about 2 KB packed
    assert len(bomb) < 10_000
    results = store([("bomb.zip", bomb)], tmp_path / "uploads",
                    UploadLimits(max_article_bytes=1_000, max_collection_bytes=1_000, max_zip_bytes=10_000_000))
    assert [(r.name, getattr(r, "reason", "stored")) for r in results] == [
        ("bomb.zip: zeros.txt", "larger than the 1,000-byte limit for txt files"), ("bomb.zip: ok.txt", "stored")]
    assert files_in(tmp_path / "uploads") == ["ok.txt"]


def test_zip_over_the_total_or_member_count_is_refused_whole(tmp_path):
    many = zip_of({f"a{i}.txt": f"Title {i}\n\nText number {i}." for i in range(11)})
    [result] = store([("many.zip", many)], tmp_path / "uploads")
    assert "holds 11 files, more than the 10" in result.reason
    big = zip_of({f"a{i}.txt": "y" * 900 for i in range(5)})
    [result] = store([("big.zip", big)], tmp_path / "uploads",
                     UploadLimits(max_article_bytes=1_000, max_collection_bytes=1_000, max_zip_bytes=4_000))
    assert "unpacks to 4,500 bytes, more than the 4,000-byte limit" in result.reason
    assert files_in(tmp_path / "uploads") == []


def test_a_member_whose_header_lies_about_its_size_is_refused(tmp_path):
    data = bytearray(zip_of({"a.txt": ARTICLE}, compression=zipfile.ZIP_STORED))
    # shrink the declared size in the central directory: the reader then finds a bad CRC
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    [result] = store([("liar.zip", bytes(data))], tmp_path / "uploads")
    assert isinstance(result, Rejected), result
    assert files_in(tmp_path / "uploads") == []


def test_not_a_zip(tmp_path):
    [result] = store([("fake.zip", b"this is not a zip")], tmp_path / "uploads")
    assert result.name == "fake.zip" and "not a readable zip file" in result.reason


# --------------------------------------------------------------------------- what the page says

def test_uploads_folder_of_a_single_file_corpus(tmp_path):
    (tmp_path / "one.jsonl").write_text('{"text": "x"}\n')
    folder, why = uploads_folder([tmp_path / "one.jsonl"])
    assert folder is None and "is the file" in why and str(tmp_path / "one.jsonl") in why
    folder, why = uploads_folder([tmp_path / "missing"])
    assert folder is None and "does not exist" in why
    assert uploads_folder([tmp_path, tmp_path / "one.jsonl"]) == (tmp_path / "uploads", "")
    assert uploads_folder([tmp_path / "one.jsonl", tmp_path]) == (tmp_path / "uploads", "")   # the first folder


def test_corpus_caption():
    assert corpus_caption([Path("/a"), Path("/b")], 1) == "1 article from /a, /b"
    assert corpus_caption([Path("/a")], 1234) == "1,234 articles from /a"
    assert corpus_caption([Path("/a")], None) == "Articles from /a"


def test_notes_give_the_builds_reasons_for_the_stored_files(tmp_path):
    corpus = tmp_path / "corpus"
    up = corpus / "uploads"
    stored = [StoredFile("a.txt", up / "a.txt", True), StoredFile("b.jsonl", up / "b.jsonl", True),
              StoredFile("c.txt", up / "c.txt", True), StoredFile("d.txt", up / "d.txt", True),
              StoredFile("e.txt", up / "e.txt", False), Rejected("f.exe", "unsupported file type .exe")]
    report = SimpleNamespace(
        skipped=[(str(up / "a.txt"), "binary file"), (f"{up / 'b.jsonl'}:line 2", "invalid JSON"),
                 (str(corpus / "other.txt"), "empty file")],
        failed=[("uploads/c.txt", "c", "PanicException: boom")],
        duplicates=[("uploads/d.txt", "older")])
    good, problems = outcome_notes(stored, root=corpus, report=report)
    assert good == ["b.jsonl: added as uploads/b.jsonl", "e.txt: already there (uploads/e.txt)"]
    assert problems == [
        "a.txt (stored as uploads/a.txt): skipped: binary file",
        "b.jsonl (stored as uploads/b.jsonl): line 2 skipped: invalid JSON",
        "c.txt (stored as uploads/c.txt): article c failed: PanicException: boom",
        "d.txt (stored as uploads/d.txt): same text as article older: not added again",
        "f.exe: not added: unsupported file type .exe",
    ]


# --------------------------------------------------------------------------- the uploader on the page (AppTest)

@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """An articles folder with one invented article, built by the page itself."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("DYAD_INPUT", str(articles))
    monkeypatch.setenv("DYAD_DATA", str(tmp_path / "tables"))
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)
    startup.forget_failed_builds()
    yield articles
    startup.forget_failed_builds()


def sidebar_notes(at: AppTest) -> tuple[list[str], list[str]]:
    """(good news, problems) of the last upload, one line each, escapes resolved."""
    def lines(elements) -> list[str]:
        return [line.replace("\\", "").replace("\u2060", "") for e in elements for line in e.value.split("  \n")]
    return lines(at.sidebar.success), lines(at.sidebar.warning)


def test_uploading_from_the_sidebar_adds_the_article(corpus):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.sidebar.caption[0].value.replace("\\", "") == f"1 article from {corpus}"
    [uploader] = at.get("file_uploader")
    assert uploader.label == "Add articles" and uploader.accept_multiple_files
    assert sorted(uploader.allowed_type) == sorted([".txt", ".md", ".html", ".htm", ".jsonl", ".csv", ".zip"])

    uploader.set_value([("rail_2021-06-04.txt", OTHER.encode(), "text/plain"),
                        ("../../escape.txt", b"", "text/plain"),
                        ("junk.txt", bytes(range(256)) * 4, "text/plain")]).run()
    assert not at.exception
    good, problems = sidebar_notes(at)
    assert good == ["rail_2021-06-04.txt: added as uploads/rail_2021-06-04.txt"]
    assert problems[0] == "../../escape.txt: not added: empty file"
    assert problems[1].startswith("junk.txt (stored as uploads/junk.txt): skipped: ")
    assert at.sidebar.caption[0].value.replace("\\", "") == f"2 articles from {corpus}"
    assert sorted(p.name for p in (corpus / "uploads").iterdir()) == ["junk.txt", "rail_2021-06-04.txt"]
    [uploader] = at.get("file_uploader")
    assert not uploader.value                     # emptied: the same files are not handled twice

    # the same file again: already there, nothing rebuilt
    uploader.set_value(("rail_2021-06-04.txt", OTHER.encode(), "text/plain")).run()
    good, _ = sidebar_notes(at)
    assert good == ["rail_2021-06-04.txt: already there (uploads/rail_2021-06-04.txt)"]
    assert not at.status


def test_a_failed_rebuild_keeps_the_tables_and_says_why(corpus, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.sidebar.caption[0].value.replace("\\", "") == f"1 article from {corpus}"
    import pipeline.build

    def build_corpus(inputs, out, **kwargs):
        raise MemoryError("out of memory [click](https://evil.example)")

    monkeypatch.setattr(pipeline.build, "build_corpus", build_corpus)
    at.get("file_uploader")[0].set_value(("rail.txt", OTHER.encode(), "text/plain")).run()
    assert not at.exception
    good, problems = sidebar_notes(at)
    assert good == ["rail.txt: stored as uploads/rail.txt"]
    assert problems == ["The files are stored, but the tables could not be rebuilt: "
                        "MemoryError: out of memory [click](https://evil.example)"]
    assert all("](" not in w.value for w in at.sidebar.warning)     # escaped: no link can form
    assert at.sidebar.caption[0].value.replace("\\", "") == f"1 article from {corpus}"    # the old tables
    assert any("could not be rebuilt" in w.value for w in at.warning)


def test_uploader_is_disabled_with_a_reason_for_a_single_file_corpus(tmp_path, monkeypatch):
    one = tmp_path / "one.txt"
    one.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("DYAD_INPUT", str(one))
    monkeypatch.setenv("DYAD_DATA", str(tmp_path / "tables"))
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)
    startup.forget_failed_builds()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    [uploader] = at.get("file_uploader")
    assert uploader.disabled
    assert any("is the file" in c.value.replace("\\", "") for c in at.sidebar.caption)


def test_empty_folder_page_offers_the_uploader(tmp_path, monkeypatch):
    (tmp_path / "articles").mkdir()
    monkeypatch.setenv("DYAD_INPUT", str(tmp_path / "articles"))
    monkeypatch.setenv("DYAD_DATA", str(tmp_path / "tables"))
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)
    startup.forget_failed_builds()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert any("No articles yet" in s.value for s in at.subheader)
    at.get("file_uploader")[0].set_value(("harbour.md", ARTICLE.encode(), "text/markdown")).run()
    assert not at.exception
    assert at.sidebar.caption[0].value.replace("\\", "") == f"1 article from {tmp_path / 'articles'}"
    assert not any("No articles yet" in s.value for s in at.subheader)
