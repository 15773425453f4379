"""The input edge: find article files, read them into SourceDocuments, report what was skipped.

Formats: .txt/.md (one article; optional front matter or NAME.meta.json sidecar), .html/.htm
(main text and metadata through trafilatura), .jsonl and .csv (one article per record).

Nothing read here aborts a build: a path, file or record that cannot be read is skipped with its
reason and everything else is kept. JSONL and CSV collections are streamed record by record, so
reading one holds little more than the documents it yields, whatever the file's size.
"""
from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.dates import date_in_file_name, parse_date
from pipeline.decoding import (clean_field, decode_bytes, has_visible_text, normalise_text, stream_encoding,
                               trim_zero_width)
from pipeline.records import SourceDocument

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
COLLECTION_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUPPORTED_SUFFIXES = {**ARTICLE_SUFFIXES, **COLLECTION_SUFFIXES}
SIDECAR_SUFFIX = ".meta.json"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_META_KEYS = {"date": "published", "published": "published", "outlet": "outlet", "source": "outlet",
              "site": "outlet", "sitename": "outlet", "url": "url", "link": "url", "title": "title"}
# Where a nested JSON metadata value ({"name": "Reuters"}, {"href": "…"}) keeps its scalar.
_NESTED_KEYS = ("name", "value", "text", "title", "url", "href", "@value", "#text")
_NESTED_DEPTH = 3
# Shown in place of what a path string cannot carry into the manifest and the summary: lone
# surrogates (undecodable bytes in a file name) and control characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class InputFile:
    path: Path          # as found on disk
    relative: str       # relative to the input it was found under (posix form)
    root: str = ""      # that input, as an absolute path (so "seeds" and "/abs/seeds" are one input)


@dataclass
class ReadResult:
    documents: list[SourceDocument] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)


class Discovered(list):
    """discover()'s answer: the files to read, a list as before, and in ``skipped`` the paths found
    that must not be opened (a FIFO would block the reader, a file without read permission would
    abort the hashing of inputs), each with its reason. read_inputs reports them as skipped, so a
    caller that passes this list on loses none of them."""

    def __init__(self, files: Iterable[InputFile] = (), skipped: Iterable[tuple[str, str]] = ()):
        super().__init__(files)
        self.skipped: list[tuple[str, str]] = list(skipped)


class InputNotFoundError(FileNotFoundError):
    pass


# --------------------------------------------------------------------------- discovery

def _shown(path: Path | str) -> str:
    """A path as text that can be printed and written as UTF-8 (the manifest)."""
    return _UNPRINTABLE.sub("\ufffd", str(path))


def _is_article_name(name: str) -> bool:
    lower = name.lower()
    return (not lower.startswith(".") and not lower.endswith(SIDECAR_SUFFIX)
            and os.path.splitext(lower)[1] in SUPPORTED_SUFFIXES)


def _os_reason(exc: OSError, *, link: bool = False) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if link and exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "broken symbolic link (its target does not exist)"
    return f"cannot read: {exc.strerror or exc}"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "a special file"


def _unreadable(path: Path, mode: int) -> str:
    """Why a file found cannot be read ("" when it can). Only a regular file is opened: opening a
    FIFO waits for a writer. Opening one is the only test of read permission that also holds
    for root and for access control lists."""
    if not stat.S_ISREG(mode):
        return f"not a regular file ({_kind(mode)})"
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return _os_reason(exc)
    return ""


def discover(inputs: list[Path]) -> Discovered:
    """Every supported file under the inputs (folders read recursively), in a stable order.

    Raises InputNotFoundError when an input path does not exist. An explicit file is returned
    whatever its suffix (read_inputs says why it cannot read one); what cannot be opened at all
    (broken or looping links, FIFOs, unreadable files and folders) is in ``.skipped``.
    """
    found = Discovered()
    for root in map(Path, inputs):
        try:
            os.lstat(root)
        except (FileNotFoundError, NotADirectoryError):
            raise InputNotFoundError(f"input path does not exist: {root}") from None
        except OSError as exc:
            found.skipped.append((_shown(root), _os_reason(exc)))
            continue
        try:
            mode = root.stat().st_mode
        except OSError as exc:        # the path is a link whose target cannot be reached
            found.skipped.append((_shown(root), _os_reason(exc, link=True)))
            continue
        if stat.S_ISDIR(mode):
            files, skipped = _walk(root)
            found.extend(files)
            found.skipped.extend(skipped)
        elif problem := _unreadable(root, mode):
            found.skipped.append((_shown(root), problem))
        else:
            found.append(InputFile(root, _shown(root.name), _shown(root.resolve())))
    return found


def _walk(root: Path) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """The article files under a folder, sorted by path, and what could not be read there."""
    files: list[InputFile] = []
    skipped: list[tuple[str, str]] = []
    top = _shown(root.resolve())
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as exc:
            skipped.append((_shown(folder), f"folder not read: {exc.strerror or exc}"))
            continue
        for entry in entries:
            path = folder / entry.name
            kind, reason = _classify(entry, path)
            if kind == "folder":
                pending.append(path)
            elif kind == "article":
                files.append(InputFile(path, _shown(path.relative_to(root).as_posix()), top))
            elif reason:
                skipped.append((_shown(path), reason))
    files.sort(key=lambda f: f.path)
    skipped.sort()
    return files, skipped


def _classify(entry: os.DirEntry, path: Path) -> tuple[str, str]:
    """What a folder entry is: ("folder", ""), ("article", ""), ("", reason) for one reported as
    skipped, ("", "") for one that is no article (hidden, a sidecar, another file type).

    Links to files are read like the files; links to folders are not followed (as Path.rglob
    does: a link back up the tree would never end) but reported, as are broken links.
    """
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder", ""
        link = entry.is_symlink()
    except OSError as exc:
        return "", _os_reason(exc)
    if entry.name.startswith("."):
        return "", ""
    try:
        mode = entry.stat().st_mode        # the link's target, for a link
    except OSError as exc:
        return "", _os_reason(exc, link=link) if link or _is_article_name(entry.name) else ""
    if link and stat.S_ISDIR(mode):
        return "", "symbolic link to a folder, not followed"
    if not _is_article_name(entry.name):
        return "", ""
    problem = _unreadable(path, mode)
    return ("", problem) if problem else ("article", "")


# --------------------------------------------------------------------------- metadata

def _scalar(value: object, depth: int = 0) -> str:
    """A metadata value as text. JSON may nest one (``{"name": "Reuters"}``, ``["2024-05-16"]``):
    the first scalar inside is what the field names. Never a Python repr; "" for true/false,
    null, NaN and what holds no scalar."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if depth >= _NESTED_DEPTH:
        return ""
    if isinstance(value, list):
        items: Iterable = value
    elif isinstance(value, dict):
        items = (value[k] for k in _NESTED_KEYS if k in value)
    else:
        return ""
    for item in items:
        text = _scalar(item, depth + 1)
        if clean_field(text):
            return text
    return ""


def _meta_fields(meta: dict) -> dict[str, str]:
    """Title, outlet, url and date (as an ISO date) from metadata keys and their synonyms, each
    cleaned to one visible line; the first key of a field with a value wins."""
    out: dict[str, str] = {}
    for key, value in meta.items():
        target = _META_KEYS.get(str(key).strip().lower())
        if target and target not in out:
            text = clean_field(_scalar(value))
            if text:
                out[target] = text
    if "published" in out:
        out["published"] = parse_date(out["published"])
    return out


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip()] = value.strip().strip("'\"")
    return _meta_fields(meta), text[m.end():]


def _sidecar(path: Path, max_bytes: int) -> tuple[dict[str, str], tuple[str, str] | None]:
    """The metadata of NAME.meta.json beside an article, and why it was not read (or None): a
    broken sidecar does not cost the article, but is reported."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        try:
            if not candidate.is_file():
                continue
            if candidate.stat().st_size > max_bytes:
                raise ValueError(f"larger than the {max_bytes:,}-byte limit")
            meta = json.loads(decode_bytes(candidate.read_bytes()))
        except (OSError, ValueError, RecursionError) as exc:
            return {}, (_shown(candidate), f"metadata not read: {_reason(exc)}")
        if not isinstance(meta, dict):
            return {}, (_shown(candidate), "metadata not read: not a JSON object")
        return _meta_fields(meta), None
    return {}, None


# --------------------------------------------------------------------------- one-article files

def _body(text: str) -> str:
    """The (normalised) article text with zero-width characters trimmed from its lines, or
    ValueError when it shows nothing."""
    if not text or text.isspace():
        raise ValueError("no article text")
    if not has_visible_text(text):
        raise ValueError("no visible text")
    return trim_zero_width(text)


def _read_html(text: str) -> tuple[str, dict[str, str]]:
    import trafilatura   # imported here: only HTML inputs pay for it

    doc = trafilatura.bare_extraction(text, include_comments=False, include_tables=False, with_metadata=True)
    if doc is None:
        return "", {}
    body = normalise_text(doc.text or "")     # character references may spell controls
    # trafilatura gives one line per block; blank lines make them paragraphs for the structure stage.
    body = "\n\n".join(line for line in body.split("\n") if line.strip())
    meta = _meta_fields({"title": doc.title, "date": doc.date, "sitename": doc.sitename, "url": doc.url})
    return body, meta


def _article(file: InputFile, fmt: str, data: bytes, *, max_bytes: int,
             skipped: list[tuple[str, str]]) -> SourceDocument:
    text = decode_bytes(data)
    meta, problem = _sidecar(file.path, max_bytes)
    if problem:
        skipped.append(problem)
    if fmt == "html":
        text, html_meta = _read_html(text)
        meta = {**html_meta, **meta}
    else:
        front, text = _front_matter(text)
        meta = {**meta, **front}
    published, date_source = _article_date(meta, file.path.name)
    return SourceDocument(doc_id=clean_field(Path(file.relative).stem) or "article", source_path=file.relative,
                          text=_body(text), format=fmt, title=meta.get("title", ""),
                          published=published, outlet=meta.get("outlet", ""),
                          url=meta.get("url", ""), date_source=date_source)


def _article_date(meta: dict[str, str], file_name: str) -> tuple[str, str]:
    """(ISO date, where it came from) for a one-article file: its metadata's date, else a date in
    its file name (pipeline.dates.date_in_file_name), else ("", ""), which leaves the structure
    stage to find a date line in the text."""
    if meta.get("published"):
        return meta["published"], "metadata"
    from_name = date_in_file_name(file_name)
    return (from_name, "file_name") if from_name else ("", "")


# --------------------------------------------------------------------------- collections

def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {list: "a list", dict: "an object", int: "a number", float: "a number"}.get(type(value), "not text")


def _record(file: InputFile, fmt: str, record: dict, where: str) -> SourceDocument:
    """One JSONL/CSV record as a document. Its title comes from its `title` field only (the
    structure stage takes no title from a record's text), its date from its own fields only: the
    collection's file name is not the date of each record in it."""
    text = record.get("text")
    if text is None or (isinstance(text, str) and (not text or text.isspace())):
        raise ValueError("no `text`")
    if not isinstance(text, str):
        raise ValueError(f"`text` is {_json_type(text)}, not text")
    text = _body(normalise_text(text))
    meta = _meta_fields(record)
    record_id = clean_field(_scalar(record.get("id")))    # `0` is an id; true/false and objects are not
    return SourceDocument(doc_id=record_id or f"{clean_field(Path(file.relative).stem)}-{where}",
                          source_path=file.relative, text=text, format=fmt,
                          title=meta.get("title", ""), published=meta.get("published", ""),
                          outlet=meta.get("outlet", ""), url=meta.get("url", ""),
                          date_source="metadata" if meta.get("published") else "")


def _json_error(line: str) -> str:
    """What is wrong with a line, said as for the line without its '\n' (an unterminated string,
    not an invalid control character)."""
    try:
        json.loads(line.rstrip("\n"))
    except json.JSONDecodeError as exc:
        return exc.msg
    return "invalid line end"


def _jsonl_records(lines: Iterable[str]) -> Iterator[tuple[dict | None, str, str]]:
    """(record, where, error) for each non-blank line."""
    for n, line in enumerate(lines, start=1):
        if not line or line.isspace():      # not strip(): a long line would be copied
            continue
        where = f"line {n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            yield None, where, f"invalid JSON ({_json_error(line)})"
            continue
        except ValueError:                  # an integer of more than 4,300 digits
            yield None, where, "invalid JSON (a number too long to read)"
            continue
        except RecursionError:
            yield None, where, "invalid JSON (nested too deeply)"
            continue
        del line                            # the record holds the text now: do not keep both
        if not isinstance(record, dict):
            yield None, where, "not a JSON object"
            continue
        yield record, where, ""


def _csv_records(lines: Iterable[str]) -> Iterator[tuple[dict | None, str, str]]:
    """(record, where, error) for each non-empty row, keyed by the lower-cased header (as
    csv.DictReader does: a later column of the same name wins, blank rows are not counted)."""
    reader = csv.reader(lines)
    names = [name.strip().lower() for name in next(reader, None) or []]
    if "text" not in names:
        raise ValueError("CSV has no `text` column")
    n = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            n += 1
            yield None, f"row {n}", f"malformed CSV ({exc})"
            continue
        if row:
            n += 1
            yield dict(zip(names, row)), f"row {n}", ""


def _read_collection(file: InputFile, fmt: str, result: ReadResult) -> None:
    """Stream a JSONL/CSV file into result: records one by one, from a text wrapper over the
    binary file (the encoding is found first by a pass in small chunks). A bad record is skipped
    with its reason; an error that stops the file keeps the records read before it."""
    shown = _shown(file.path)
    kept, where = 0, ""
    with file.path.open("rb") as raw:
        codec = stream_encoding(raw)
        # JSONL: universal newlines, as decode_bytes gives ('\r' and '\r\n' end lines too);
        # CSV: the csv module's own newline handling (line breaks inside quoted fields).
        with io.TextIOWrapper(raw, encoding=codec, errors="strict", newline=None if fmt == "jsonl" else "") as text:
            records = _jsonl_records(text) if fmt == "jsonl" else _csv_records(text)
            try:
                for record, where, error in records:
                    if not error:
                        try:
                            result.documents.append(_record(file, fmt, record, where))
                            kept += 1
                            continue
                        except ValueError as exc:
                            error = str(exc)
                    result.skipped.append((f"{shown}:{where}", error))
            except (OSError, ValueError) as exc:
                if not kept:
                    raise
                raise ValueError(f"stopped after {where}: {_reason(exc)} ({kept:,} records before it kept)") from exc
    if not kept:
        raise ValueError("no readable records")


# --------------------------------------------------------------------------- reading

def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return _os_reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"undecodable text ({exc.reason})"
    return str(exc) or type(exc).__name__


def _unsupported(path: Path) -> str:
    read = ", ".join(SUPPORTED_SUFFIXES)
    if path.name.lower().endswith(SIDECAR_SUFFIX):
        return f"a sidecar metadata file (read with its article, not on its own); read: {read}"
    if not path.suffix:
        return f"unsupported file type (no suffix); read: {read}"
    return f"unsupported file type {path.suffix.lower()}; read: {read}"


def _read_file(file: InputFile, result: ReadResult, *, max_article_bytes: int, max_collection_bytes: int) -> None:
    fmt = SUPPORTED_SUFFIXES.get(file.path.suffix.lower())
    if fmt is None:
        raise ValueError(_unsupported(file.path))
    collection = fmt in ("jsonl", "csv")
    limit = max_collection_bytes if collection else max_article_bytes
    st = file.path.stat()
    if not stat.S_ISREG(st.st_mode):        # checked before opening: a FIFO would block
        raise ValueError(f"not a regular file ({_kind(st.st_mode)})")
    if st.st_size == 0:
        raise ValueError("empty file")
    if st.st_size > limit:
        raise ValueError(f"larger than the {limit:,}-byte limit for {fmt} files")
    if collection:
        _read_collection(file, fmt, result)
    else:
        result.documents.append(_article(file, fmt, file.path.read_bytes(), max_bytes=max_article_bytes,
                                         skipped=result.skipped))


def read_inputs(files: list[InputFile], *, max_article_bytes: int, max_collection_bytes: int) -> ReadResult:
    """Read every file; a bad file (or a bad record) is skipped with its reason, the rest kept.
    What discover() found but could not open (``files.skipped``) is reported first."""
    result = ReadResult(skipped=list(getattr(files, "skipped", ())))
    for file in files:
        try:
            _read_file(file, result, max_article_bytes=max_article_bytes, max_collection_bytes=max_collection_bytes)
        except (OSError, ValueError, csv.Error) as exc:
            result.skipped.append((_shown(file.path), _reason(exc)))
    result.documents = _unique_ids(result.documents)
    return result


def _unique_ids(docs: list[SourceDocument]) -> list[SourceDocument]:
    """Make ids unique. The first document (in input order) with an id keeps it; a later one gets
    the first ``ID-n`` (n = 2, 3, …) that is neither given already nor any document's own id, so a
    renamed document never takes the id another one brings (a/x, b/x, c/x-2 → x, x-3, x-2)."""
    own = {doc.doc_id for doc in docs}
    given: set[str] = set()
    next_n: dict[str, int] = {}
    out = []
    for doc in docs:
        if doc.doc_id not in given:
            given.add(doc.doc_id)
            out.append(doc)
            continue
        n = next_n.get(doc.doc_id, 2)
        while f"{doc.doc_id}-{n}" in given or f"{doc.doc_id}-{n}" in own:
            n += 1
        next_n[doc.doc_id] = n + 1
        given.add(f"{doc.doc_id}-{n}")
        out.append(replace(doc, doc_id=f"{doc.doc_id}-{n}"))
    return out
