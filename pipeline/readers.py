"""The input edge: find article files, read them into SourceDocuments, report what was skipped.

Formats: .txt/.md (one article; optional front matter or NAME.meta.json sidecar), .html/.htm
(main text and metadata through trafilatura), .jsonl and .csv (one article per record).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from pipeline.dates import parse_date
from pipeline.decoding import UndecodableError, decode_bytes, normalise_text
from pipeline.records import SourceDocument

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
COLLECTION_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUPPORTED_SUFFIXES = {**ARTICLE_SUFFIXES, **COLLECTION_SUFFIXES}
SIDECAR_SUFFIX = ".meta.json"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_META_KEYS = {"date": "published", "published": "published", "outlet": "outlet", "source": "outlet",
              "site": "outlet", "sitename": "outlet", "url": "url", "link": "url", "title": "title"}

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


class InputNotFoundError(FileNotFoundError):
    pass


def discover(inputs: list[Path]) -> list[InputFile]:
    """Every supported file under the inputs (folders read recursively), in a stable order."""
    found: list[InputFile] = []
    for root in inputs:
        if not root.exists():
            raise InputNotFoundError(f"input path does not exist: {root}")
        if root.is_file():
            found.append(InputFile(root, root.name, str(root.resolve())))
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.name.lower()
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(InputFile(path, path.relative_to(root).as_posix(), str(root.resolve())))
    return found


def _meta_fields(meta: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in meta.items():
        target = _META_KEYS.get(str(key).strip().lower())
        if target and value not in (None, "") and target not in out:
            out[target] = str(value).strip()
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


def _sidecar(path: Path) -> dict[str, str]:
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            try:
                meta = json.loads(decode_bytes(candidate.read_bytes()))
            except (OSError, UndecodableError, json.JSONDecodeError):
                return {}
            return _meta_fields(meta) if isinstance(meta, dict) else {}
    return {}


def _read_html(text: str) -> tuple[str, dict[str, str]]:
    import trafilatura   # imported here: only HTML inputs pay for it

    doc = trafilatura.bare_extraction(text, include_comments=False, include_tables=False, with_metadata=True)
    if doc is None:
        return "", {}
    body = doc.text or ""
    # trafilatura gives one line per block; blank lines make them paragraphs for the structure stage.
    body = "\n\n".join(line for line in body.split("\n") if line.strip())
    meta = _meta_fields({"title": doc.title, "date": doc.date, "sitename": doc.sitename, "url": doc.url})
    return body, meta


def _article(file: InputFile, fmt: str, data: bytes) -> SourceDocument:
    text = decode_bytes(data)
    meta = _sidecar(file.path)
    if fmt == "html":
        text, html_meta = _read_html(text)
        meta = {**html_meta, **meta}
    else:
        front, text = _front_matter(text)
        meta = {**meta, **front}
    if not text.strip():
        raise ValueError("no article text")
    return SourceDocument(doc_id=Path(file.relative).stem, source_path=file.relative, text=text, format=fmt,
                          title=meta.get("title", ""), published=meta.get("published", ""),
                          outlet=meta.get("outlet", ""), url=meta.get("url", ""))


def _record(file: InputFile, fmt: str, record: dict, where: str) -> SourceDocument:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: no `text`")
    meta = _meta_fields({k: v for k, v in record.items() if k != "text"})
    record_id = str(record.get("id") or "").strip()
    return SourceDocument(doc_id=record_id or f"{Path(file.relative).stem}-{where}",
                          source_path=file.relative, text=normalise_text(text), format=fmt,
                          title=meta.get("title", ""), published=meta.get("published", ""),
                          outlet=meta.get("outlet", ""), url=meta.get("url", ""))


def _records(file: InputFile, fmt: str, data: bytes) -> Iterator[tuple[dict | None, str, str]]:
    """(record, where, error) for each record of a JSONL/CSV file."""
    text = decode_bytes(data)
    if fmt == "jsonl":
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield None, f"line {n}", f"invalid JSON ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield None, f"line {n}", "not a JSON object"
                continue
            yield record, f"line {n}", ""
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ValueError("CSV has no `text` column")
    for n, row in enumerate(reader, start=2):
        yield {str(k).strip().lower(): v for k, v in row.items() if k is not None}, f"row {n}", ""


def read_inputs(files: list[InputFile], *, max_article_bytes: int, max_collection_bytes: int) -> ReadResult:
    """Read every file; a bad file (or a bad record) is skipped with its reason, the rest kept."""
    result = ReadResult()
    for file in files:
        suffix = file.path.suffix.lower()
        fmt = SUPPORTED_SUFFIXES[suffix]
        limit = max_collection_bytes if suffix in COLLECTION_SUFFIXES else max_article_bytes
        shown = str(file.path)
        try:
            size = file.path.stat().st_size
            if size == 0:
                raise ValueError("empty file")
            if size > limit:
                raise ValueError(f"larger than the {limit:,}-byte limit for {fmt} files")
            data = file.path.read_bytes()
            if fmt in ("jsonl", "csv"):
                n_before = len(result.documents)
                for record, where, error in _records(file, fmt, data):
                    if error:
                        result.skipped.append((f"{shown}:{where}", error))
                        continue
                    try:
                        result.documents.append(_record(file, fmt, record, where))
                    except (ValueError, UndecodableError) as exc:
                        result.skipped.append((f"{shown}:{where}", str(exc).removeprefix(f"{where}: ")))
                if len(result.documents) == n_before:
                    raise ValueError("no readable records")
            else:
                result.documents.append(_article(file, fmt, data))
        except (OSError, ValueError, UndecodableError) as exc:
            result.skipped.append((shown, str(exc)))
    result.documents = _unique_ids(result.documents)
    return result


def _unique_ids(docs: list[SourceDocument]) -> list[SourceDocument]:
    """Make ids unique in input order: a repeated id gets -2, -3, …"""
    seen: dict[str, int] = {}
    out = []
    for doc in docs:
        n = seen.get(doc.doc_id, 0) + 1
        seen[doc.doc_id] = n
        out.append(doc if n == 1 else replace(doc, doc_id=f"{doc.doc_id}-{n}"))
    return out
