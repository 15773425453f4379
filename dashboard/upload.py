"""Adding articles from the page: the sidebar's "Add articles" uploader, and the corpus caption.

Uploaded files are stored in ``uploads/`` under the corpus's first input folder, then the tables
are rebuilt incrementally (only the new articles are processed) and the page reruns on them.

Storing is the part that touches the disk on a stranger's say-so, so it is a pure function of
(files, folder, limits), ``store_uploads``, tested on hostile input: only a file's base name is
used, cut to safe characters; hidden names are refused; every target is checked to resolve inside
``uploads/``; a file already there is never replaced (the new one becomes ``name-2.txt``, or is
"already there" when the bytes are the same); zip files are unpacked member by member with the
same rules, refusing absolute paths, ``..``, links, nested zips, encrypted members, and more
members or bytes than ``UploadLimits`` allows (a zip bomb stops at the limit, not at the disk's
end). Nothing is written under its final name until it is complete: a build running meanwhile
never reads half a file.
"""
from __future__ import annotations

import filecmp
import io
import logging
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

import streamlit as st

from dashboard.safe_text import plain_markdown

UPLOADS = "uploads"
ARTICLE_TYPES = ("txt", "md", "html", "htm", "jsonl", "csv")
UPLOAD_TYPES = (*ARTICLE_TYPES, "zip")
_COLLECTIONS = ("jsonl", "csv")
MAX_NAME_BYTES = 150           # a stored name's UTF-8 length (file systems allow 255), before "-N"
MAX_SAME_NAME = 1000           # name-2 … name-1000, then the file is refused
_CHUNK = 1 << 20
# Anything but letters, digits (any script), "_", "-" and "." becomes "_": no separator, control,
# format (bidi override, zero-width) or shell character reaches a file name.
_UNSAFE_CHARS = re.compile(r"[^\w.\-]+")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}
_SKIPPED_ZIP_FOLDERS = ("__MACOSX/",)   # resource forks macOS adds to every zip it makes
log = logging.getLogger("dyad.dashboard")


@dataclass(frozen=True)
class UploadLimits:
    """How much one upload may bring. The per-file limits are the readers' (data/structure.toml
    ``read_limits``): a larger file would only be skipped by every build."""

    max_article_bytes: int
    max_collection_bytes: int
    max_zip_members: int = 2_000
    max_zip_bytes: int = 1 << 30      # all members of one zip together, unpacked

    @classmethod
    def from_structure_rules(cls) -> UploadLimits:
        from pipeline.resources import DATA_DIR
        from pipeline.structure import read_limits
        article, collection = read_limits(DATA_DIR / "structure.toml")
        return cls(max_article_bytes=article, max_collection_bytes=collection)

    def for_type(self, file_type: str) -> int:
        return self.max_collection_bytes if file_type in _COLLECTIONS else self.max_article_bytes


@dataclass(frozen=True)
class StoredFile:
    name: str        # as uploaded ("bundle.zip: notes/a.txt" for a zip member)
    path: Path       # where it is, under uploads/
    new: bool        # False: the same bytes were already there under that name


@dataclass(frozen=True)
class Rejected:
    name: str        # as uploaded
    reason: str      # one line of plain text


class _TooLarge(ValueError):
    """A file grew past its limit while it was being written."""


# --------------------------------------------------------------------------- names

def safe_file_name(name: str, *, types: Iterable[str] = UPLOAD_TYPES) -> tuple[str, str]:
    """(the name to store ``name`` under, "") or ("", why it is refused).

    Only the base name counts (after the last ``/`` or ``\\``); hidden names and other file types
    are refused; characters other than letters, digits, ``_ - .`` become ``_``; Windows device
    names (``CON.txt``) get a ``_``; the name is cut to MAX_NAME_BYTES keeping its suffix.
    """
    base = _printable(re.split(r"[/\\]", name)[-1]).strip()
    if not base or set(base) == {"."}:
        return "", "no file name"
    if base.startswith("."):
        return "", "hidden file (its name starts with a dot)"
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem.strip():
        return "", f"unsupported file type (no suffix); accepted: {_listed(types)}"
    if ext.lower() not in types:
        return "", f"unsupported file type .{_UNSAFE_CHARS.sub('_', ext.lower())[:20]}; accepted: {_listed(types)}"
    stem = _cut(_UNSAFE_CHARS.sub("_", stem).strip("._- "), MAX_NAME_BYTES - len(ext) - 2)
    first, dot, rest = stem.partition(".")
    if first.upper() in _WINDOWS_RESERVED:       # Windows reads "CON.tar.txt" as the device CON too
        stem = f"{first}_{dot}{rest}"
    return stem + "." + ext.lower(), ""


def _printable(text: str) -> str:
    """NFC text without control characters, lone surrogates or other unassigned code points."""
    text = unicodedata.normalize("NFC", text.encode("utf-8", "replace").decode("utf-8"))
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs", "Cn"))


def _cut(stem: str, max_bytes: int) -> str:
    """``stem`` cut to at most ``max_bytes`` of UTF-8, on a character boundary."""
    data = stem.encode("utf-8")[:max_bytes]
    return data.decode("utf-8", "ignore").rstrip("._- ") or "upload"


def _listed(types: Iterable[str]) -> str:
    return ", ".join(f".{t}" for t in types)


def _file_type(safe_name: str) -> str:
    return safe_name.rpartition(".")[2]


def uploads_folder(inputs: list[Path]) -> tuple[Path | None, str]:
    """(where uploads go, "") — ``uploads/`` under the first input that is a folder — or (None, why
    there is none: the inputs are files, or the folder is missing or unreadable)."""
    for given in map(Path, inputs):
        try:
            if given.is_dir():
                return given / UPLOADS, ""
            if not given.exists():
                return None, f"Articles cannot be added here: the folder {given} does not exist."
        except OSError as exc:
            return None, f"Articles cannot be added here: {given} cannot be read ({exc.strerror or exc})."
    files = ", ".join(str(p) for p in inputs)
    return None, (f"Articles cannot be added here: the corpus is the file {files}, not a folder "
                  "(serve a folder to add articles from the page).")


# --------------------------------------------------------------------------- storing

def store_uploads(files: list[tuple[str, bytes]], folder: Path, *,
                  limits: UploadLimits) -> list[StoredFile | Rejected]:
    """Store uploaded (name, bytes) pairs in ``folder`` (created if need be); one answer per file,
    and per member of a zip. Never writes outside ``folder``, never replaces a file."""
    try:
        root = _prepare(folder)
    except OSError as exc:
        reason = f"cannot write to {folder}: {exc.strerror or exc}"
        return [Rejected(name, reason) for name, _ in files]
    results: list[StoredFile | Rejected] = []
    for name, data in files:
        if name.lower().endswith(".zip"):
            results.extend(_store_zip(name, data, root, limits))
        else:
            results.append(_store_one(name, name, io.BytesIO(data), len(data), root, limits, types=UPLOAD_TYPES))
    return results


def _prepare(folder: Path) -> Path:
    """``folder`` resolved, created if missing; OSError when it is not a folder of its parent's
    (a link to elsewhere, a file)."""
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    real = folder.resolve()
    if folder.is_symlink() or real.parent != folder.parent.resolve() or not real.is_dir():
        raise OSError(f"{folder} is a link or not a folder; uploads are stored only in a real folder")
    return real


def _store_one(shown: str, name: str, source: BinaryIO, size: int | None, root: Path, limits: UploadLimits,
               *, types: Iterable[str]) -> StoredFile | Rejected:
    """Check one file's name and size, write it (up to its limit) and give it its place."""
    safe, why = safe_file_name(name, types=types)
    if why:
        return Rejected(shown, why)
    limit = limits.for_type(_file_type(safe))
    if size == 0:
        return Rejected(shown, "empty file")
    if size is not None and size > limit:
        return Rejected(shown, _too_large(limit, safe))
    try:
        tmp = _write_temporary(source, root, limit)
    except _TooLarge:
        return Rejected(shown, _too_large(limit, safe))
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        return Rejected(shown, f"not stored: {exc}")
    try:
        if tmp.stat().st_size == 0:
            return Rejected(shown, "empty file")
        path, new = _place(tmp, root, safe)
    except OSError as exc:
        return Rejected(shown, f"not stored: {exc.strerror or exc}")
    finally:
        tmp.unlink(missing_ok=True)
    return StoredFile(shown, path, new)


def _too_large(limit: int, safe: str) -> str:
    """As the readers say it (the build would skip the file with this reason)."""
    from pipeline.readers import SUPPORTED_SUFFIXES
    return f"larger than the {limit:,}-byte limit for {SUPPORTED_SUFFIXES['.' + _file_type(safe)]} files"


def _write_temporary(source: BinaryIO, root: Path, limit: int) -> Path:
    """Copy ``source`` into a hidden temporary file in ``root`` (readers skip hidden names);
    _TooLarge once more than ``limit`` bytes have come."""
    fd, name = tempfile.mkstemp(dir=root, prefix=".upload-", suffix=".part")
    tmp = Path(name)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise _TooLarge
                out.write(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _place(tmp: Path, root: Path, safe: str) -> tuple[Path, bool]:
    """Give ``tmp``'s content the name ``safe`` in ``root``, or ``stem-N.ext`` when that is taken by
    other bytes; (path, False) when a file with the same bytes already has one of those names."""
    stem, _, ext = safe.rpartition(".")
    for n in range(1, MAX_SAME_NAME + 1):
        candidate = root / (safe if n == 1 else f"{stem}-{n}.{ext}")
        if candidate.parent.resolve() != root:
            raise OSError(f"{candidate.name} would not be inside {root}")
        try:
            _link_or_copy(tmp, candidate)
        except FileExistsError:
            if _same_bytes(candidate, tmp):
                return candidate, False
            continue
        return candidate, True
    raise OSError(f"{MAX_SAME_NAME} files named like {safe} are there already")


def _link_or_copy(tmp: Path, target: Path) -> None:
    """Make ``target`` hold ``tmp``'s bytes, complete at once; FileExistsError if ``target`` exists
    (whatever it is: a file, a folder, a dangling link). A hard link is atomic; where the file
    system has none, the bytes are copied into a file created exclusively."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise
    except OSError:   # no hard links here (some network or FUSE file systems)
        pass
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as out, open(tmp, "rb") as src:
        shutil.copyfileobj(src, out, _CHUNK)


def _same_bytes(existing: Path, tmp: Path) -> bool:
    """Whether ``existing`` is a regular file (not a link) holding exactly ``tmp``'s bytes."""
    try:
        mode = existing.lstat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and filecmp.cmp(existing, tmp, shallow=False)


# --------------------------------------------------------------------------- zips

def _store_zip(name: str, data: bytes, root: Path, limits: UploadLimits) -> list[StoredFile | Rejected]:
    """Each member of an uploaded zip stored as if uploaded alone (its base name only), after the
    zip as a whole is checked against the member and unpacked-size limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [Rejected(name, f"not a readable zip file ({exc})")]
    with archive:
        members = [info for info in archive.infolist()
                   if not info.is_dir() and not info.filename.startswith(_SKIPPED_ZIP_FOLDERS)]
        if len(members) > limits.max_zip_members:
            return [Rejected(name, f"holds {len(members):,} files, more than the {limits.max_zip_members:,} "
                                   "one upload may hold")]
        declared = sum(info.file_size for info in members)
        if declared > limits.max_zip_bytes:
            return [Rejected(name, f"unpacks to {declared:,} bytes, more than the {limits.max_zip_bytes:,}-byte "
                                   "limit for one upload")]
        if not members:
            return [Rejected(name, "an empty zip file")]
        return _store_members(name, archive, members, root, limits)


def _store_members(name: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], root: Path,
                   limits: UploadLimits) -> list[StoredFile | Rejected]:
    results: list[StoredFile | Rejected] = []
    unpacked = 0
    for info in members:
        shown = f"{name}: {_printable(info.filename)}"
        why = _unsafe_member(info)
        if not why and unpacked + info.file_size > limits.max_zip_bytes:
            why = f"the zip's members together pass the {limits.max_zip_bytes:,}-byte limit for one upload"
        if why:
            results.append(Rejected(shown, why))
            continue
        try:
            with archive.open(info) as member:
                result = _store_one(shown, info.filename, member, info.file_size, root, limits, types=ARTICLE_TYPES)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            result = Rejected(shown, f"unreadable in the zip ({exc})")
        if isinstance(result, StoredFile):
            unpacked += result.path.stat().st_size
        results.append(result)
    return results


def _unsafe_member(info: zipfile.ZipInfo) -> str:
    """Why a zip member is refused before it is read ("" when it is not): the path it names, its
    kind (a link, a nested zip: zips are opened one level deep), or its encryption."""
    path = info.filename.replace("\\", "/")
    parts = [p for p in path.split("/") if p]
    if "\x00" in path:
        return "a NUL character in its name"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "an absolute path in the zip"
    if ".." in parts:
        return "a path out of the zip's folder (..)"
    if any(p.startswith(".") for p in parts[:-1]):
        return "inside a hidden folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    if info.flag_bits & 0x1:
        return "encrypted"
    if path.lower().endswith(".zip"):
        return "a zip inside a zip is not opened"
    return ""


# --------------------------------------------------------------------------- what the page says

def corpus_caption(inputs: list[Path], n_articles: int | None) -> str:
    """Plain text: which folder(s) the page shows, and how many articles."""
    where = ", ".join(str(p) for p in inputs)
    if n_articles is None:
        return f"Articles from {where}"
    return f"{n_articles:,} article{'' if n_articles == 1 else 's'} from {where}"


def outcome_notes(results: list[StoredFile | Rejected], *, root: Path, report=None,
                  build_failed: str = "") -> tuple[list[str], list[str]]:
    """(good news, problems) about each uploaded file, as lines of plain text. A stored file the
    build skipped or failed on gets the build's own reason (report.skipped / failed / duplicates,
    the entries for its path), as ``python -m pipeline build`` prints it; a collection with some
    bad records is added, and its bad records are listed. ``root``: the input folder holding
    ``uploads/``, as the build was given it."""
    good: list[str] = []
    problems: list[str] = []
    for result in results:
        if isinstance(result, Rejected):
            problems.append(f"{result.name}: not added: {result.reason}")
            continue
        where = _relative(result.path, root)
        if not result.new:
            good.append(f"{result.name}: already there ({where})")
            continue
        whole, parts = _build_says(result.path, where, root, report)
        if not whole:
            good.append(f"{result.name}: {'stored' if build_failed else 'added'} as {where}")
        problems.extend(f"{result.name} (stored as {where}): {line}" for line in whole + parts)
    if build_failed:
        problems.append(f"The files are stored, but the tables could not be rebuilt: {build_failed}")
    return good, problems


def _relative(path: Path, root: Path) -> str:
    """``path`` as the build names a file of the input ``root`` (its ``source_path``)."""
    try:
        return path.relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def _build_says(path: Path, relative: str, root: Path, report) -> tuple[list[str], list[str]]:
    """The build's reasons for leaving out the file at ``path``: (the whole file, some of its records).
    A failed or duplicate article is the whole of a one-article file, one record of a collection."""
    whole: list[str] = []
    parts: list[str] = []
    if report is None:
        return whole, parts
    names = {str(path), str(Path(root) / relative)}     # resolved, and as the build was given it
    for skipped, reason in getattr(report, "skipped", []) or []:
        if skipped in names:
            whole.append(f"skipped: {reason}")
        elif any(skipped.startswith(name + ":") for name in names):    # a record: PATH:line 3, PATH:row 2
            parts.append(f"{skipped.rpartition(':')[2]} skipped: {reason}")
    articles = parts if _file_type(path.name) in _COLLECTIONS else whole
    for failed_path, article_id, reason in getattr(report, "failed", []) or []:
        if failed_path == relative:
            articles.append(f"article {article_id} failed: {reason}")
    for duplicate, first in getattr(report, "duplicates", []) or []:
        if duplicate == relative:
            articles.append(f"same text as article {first}: not added again")
    return whole, parts


# --------------------------------------------------------------------------- the sidebar

UPLOADER_LABEL = "Add articles"
_ROUND = "_upload_round"     # part of the uploader's key: a new key empties it once its files are handled
_NOTES = "_upload_notes"     # (good news, problems) of the last upload, shown until the next one
MAX_NOTES_SHOWN = 30


def show_corpus_caption(inputs: list[Path], n_articles: int | None) -> None:
    """The sidebar's first line: which folder(s) and how many articles the page shows."""
    st.caption(plain_markdown(corpus_caption(inputs, n_articles)))


def add_articles(inputs: list[Path], out: Path) -> None:
    """The sidebar's "Add articles" uploader (call inside ``with st.sidebar``): files chosen are
    stored, the tables rebuilt with a progress bar in the sidebar, and the page reruns on them.

    The uploader sits in a popover, as the filters do: the browser mounts it only when opened,
    so it costs the page's first render nothing.
    """
    folder, why_not = uploads_folder(inputs)
    if not why_not and os.environ.get("DYAD_NO_BUILD") == "1":
        why_not = "Articles cannot be added here: this server does not build tables (DYAD_NO_BUILD=1)."
    upload_round = st.session_state.get(_ROUND, 0)
    with st.popover(UPLOADER_LABEL, icon=":material/upload_file:", width="stretch", disabled=bool(why_not),
                    help=plain_markdown(why_not) if why_not else None):
        files = st.file_uploader(UPLOADER_LABEL, type=list(UPLOAD_TYPES), accept_multiple_files=True,
                                 key=f"add_articles_{upload_round}", disabled=bool(why_not),
                                 label_visibility="collapsed")
        if folder is not None:
            st.caption(plain_markdown(f"Stored in {folder} (a file there is never replaced), then the tables "
                                      f"are rebuilt. Types: {_listed(UPLOAD_TYPES)}; a zip is unpacked."))
    if why_not:
        st.caption(plain_markdown(why_not))
    _show_notes(st.session_state.get(_NOTES))
    if files and folder is not None:
        st.session_state[_NOTES] = handle_uploads([(f.name, f.getvalue()) for f in files], inputs, out, folder)
        st.session_state[_ROUND] = upload_round + 1
        st.rerun()


def handle_uploads(files: list[tuple[str, bytes]], inputs: list[Path], out: Path, folder: Path, *,
                   limits: UploadLimits | None = None) -> tuple[list[str], list[str]]:
    """Store the files, rebuild the tables when something new was stored (a status box and a
    progress bar where this is called), and say what became of each file: (good news, problems).
    A failed build keeps the previous tables (dashboard.startup)."""
    results = store_uploads(files, folder, limits=limits or UploadLimits.from_structure_rules())
    for result in results:
        log.info("upload %s: %s", result.name, getattr(result, "reason", None) or getattr(result, "path", ""))
    root = folder.parent
    if not any(isinstance(r, StoredFile) and r.new for r in results):
        return outcome_notes(results, root=root)
    from dashboard import startup
    outcome = startup.rebuild(inputs, out)
    return outcome_notes(results, root=root, report=outcome.report,
                         build_failed=outcome.reason if outcome.state == "failed" else "")


def _show_notes(notes: tuple[list[str], list[str]] | None) -> None:
    """The last upload's notes, each line as plain text; long lists cut (the log has them all)."""
    if not notes:
        return
    good, problems = notes
    if good:
        st.success(_lines(good), icon=":material/check:")
    if problems:
        st.warning(_lines(problems), icon=":material/warning:")


def _lines(lines: list[str]) -> str:
    shown = [plain_markdown(line) for line in lines[:MAX_NOTES_SHOWN]]
    if len(lines) > MAX_NOTES_SHOWN:
        shown.append(f"… and {len(lines) - MAX_NOTES_SHOWN:,} more \\(the server log lists them\\)")
    return "  \n".join(shown)
