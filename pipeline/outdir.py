"""The output folder's safety: which folder a build may replace, one build into it at a time, a
swap a crash cannot split, and the recovery of what a killed build left behind.

Everything here is about ``out`` and its siblings in ``out.parent``:

- ``out`` itself: the tables, ``manifest.json`` and the article cache ``.cache/``;
- ``.NAME.tmp-PID-XXXX``: a build's new tables while they are written (pipeline.tables);
- ``.NAME.old-PID-XXXX``: the previous tables while they are retired (only when the atomic
  exchange is not available);
- ``.NAME.lock``: held by the build into ``out`` (flock, released when the process dies).

A build refuses an ``out`` it could destroy user files in (check_output_folder), then takes the
lock (output_lock), undoes a killed build's leftovers (recover), builds, and swaps the new tables
in (swap_in). Only folders matching the debris names, in ``out``'s own parent, are ever removed,
and only under the lock.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

log = logging.getLogger("dyad.build")

MANIFEST = "manifest.json"
MANIFEST_KEYS = ("fingerprint", "pipeline_version")   # what tells our manifest from any other JSON file
TABLE_SUFFIXES = (".parquet", ".csv")


class OutputFolderError(ValueError):
    """``--out`` names a folder the build could destroy someone's files in: refused, nothing touched."""


# --------------------------------------------------------------------------- which folder may be replaced

def check_output_folder(out: Path, inputs: Iterable[Path], *, table_names: Iterable[str],
                        keep: Iterable[str] = ()) -> Path:
    """``out`` resolved (symlinks followed), once it is known to be safe to replace: not an input,
    not above or inside one, not a file, and either missing, empty, or a folder of Dyad tables
    holding nothing a build did not write. ``keep`` names entries a build keeps in ``out`` (the
    article cache), which may also be all there is (a first build killed half-way).
    Raises OutputFolderError otherwise."""
    real = Path(out).expanduser().resolve()
    for given in inputs:
        _refuse_overlap(real, Path(given).expanduser().resolve(), shown=out, given=given)
    if real.exists() and not real.is_dir():
        raise OutputFolderError(f"--out {out} is an existing file, not a folder: choose a folder for the tables")
    if real.is_dir():
        _refuse_foreign_contents(real, shown=out, table_names=set(table_names), keep=set(keep))
    return real


def _refuse_overlap(out: Path, source: Path, *, shown: Path, given: Path) -> None:
    """The swap replaces ``out`` as a whole: an input at, above or below it would be deleted or read back."""
    if out == source:
        raise OutputFolderError(f"--out {shown} is the input {given}: the build would replace it; "
                                "choose another output folder")
    if source.is_relative_to(out):
        raise OutputFolderError(f"--out {shown} contains the input {given}: the build would delete it; "
                                "choose another output folder")
    if out.is_relative_to(source):
        raise OutputFolderError(f"--out {shown} lies inside the input {given}: its tables would be read "
                                "back as articles; choose an output folder outside the inputs")


def _refuse_foreign_contents(out: Path, *, shown: Path, table_names: set[str], keep: set[str]) -> None:
    entries = {p.name for p in out.iterdir()}
    if not entries or entries <= keep:
        return
    manifest = read_manifest(out)
    if manifest is None:
        raise OutputFolderError(f"--out {shown} is a non-empty folder without Dyad tables (no manifest.json "
                                "of ours): the build would delete what it holds; choose an empty or new folder")
    names = table_names | set(manifest.get("rows", {}) if isinstance(manifest.get("rows"), dict) else ())
    ours = {MANIFEST} | keep | {name + suffix for name in names for suffix in TABLE_SUFFIXES}
    foreign = sorted(entries - ours)
    if foreign:
        listed = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise OutputFolderError(f"--out {shown} holds Dyad tables and also files a build did not write "
                                f"({listed}): the build would delete them; move them elsewhere first")


def read_manifest(out: Path) -> dict | None:
    """The manifest of the tables in ``out``: None when there is none, or it is not one of ours."""
    path = out / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s): taken as no manifest", path, exc)
        return None
    if not isinstance(manifest, dict) or not all(key in manifest for key in MANIFEST_KEYS):
        log.info("%s is not a Dyad manifest (no %s): taken as no manifest", path, " or ".join(MANIFEST_KEYS))
        return None
    return manifest


# --------------------------------------------------------------------------- one build at a time

def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path, *, on_wait: Callable[[], None] | None = None) -> Iterator[int]:
    """Hold ``out``'s lock (yields its file descriptor); wait as long as another build holds it.

    flock: the kernel releases it when the holder dies, however it dies. The lock file is removed
    by its holder before the release, so none is left behind; a waiter that then gets the lock of
    the removed file sees it is no longer the one at the path and tries again. ``on_wait`` is called
    once, when the lock is held by another build.
    """
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    waited = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            waited = _flock(fd, path, waited=waited, on_wait=on_wait)
            if _is_file_at(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)     # locked a lock file its holder had just removed: lock the new one
    try:
        yield fd
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _flock(fd: int, path: Path, *, waited: bool, on_wait: Callable[[], None] | None) -> bool:
    """Lock ``fd`` (the file at ``path``), waiting if need be; whether this build has waited (so
    ``on_wait`` runs once)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return waited
    except BlockingIOError:
        if not waited and on_wait is not None:
            on_wait()
        log.info("%s is held by another build: waiting", path)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return True


def _is_file_at(fd: int, path: Path) -> bool:
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino)


# --------------------------------------------------------------------------- leftovers of killed builds

def debris_pattern(out: Path) -> re.Pattern:
    """The names of a build's temporary folders beside ``out`` (also those of earlier versions,
    which had no process id in the name). No dots after the prefix: the debris of an output folder
    named ``NAME.tmp-X`` is not taken for NAME's."""
    return re.compile(rf"\.{re.escape(out.name)}\.(tmp|old)-[A-Za-z0-9_-]+")


def debris(out: Path) -> list[Path]:
    """The temporary folders of builds into ``out`` that are still there, oldest first."""
    if not out.parent.is_dir():
        return []
    pattern = debris_pattern(out)
    found = [p for p in out.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def output_detector(out: Path) -> Callable[[Path], bool]:
    """A test of whether a file (followed through symlinks) lies inside ``out`` (resolved) or a
    build's temporary folder beside it: tables, not articles. Each folder is resolved once, and
    only a file that is a symlink itself costs a resolve of its own (a large corpus is many files
    in few folders)."""
    pattern = debris_pattern(out)
    folders: dict[Path, Path] = {}

    def lies_in_output(path: Path) -> bool:
        if path.is_symlink():
            real = path.resolve()
        else:
            folder = folders.get(path.parent)
            if folder is None:
                folder = folders[path.parent] = path.parent.resolve()
            real = folder / path.name
        try:
            parts = real.relative_to(out.parent).parts
        except ValueError:
            return False
        return len(parts) > 1 and (parts[0] == out.name or pattern.fullmatch(parts[0]) is not None)

    return lies_in_output


def recover(out: Path, *, keep: Iterable[str] = ()) -> None:
    """Undo what builds killed half-way left behind; call it holding ``out``'s lock.

    Killed between the two renames of a swap (no atomic exchange), ``out`` is missing and the
    previous tables are in ``.NAME.old-*``: they are put back. The entries named in ``keep`` (the
    article cache) may have been moved into a temporary folder just before: moved back when ``out``
    has none. Then every temporary folder of an earlier build is removed.
    """
    leftovers = debris(out)
    if not out.exists():
        retired = [p for p in leftovers if p.name.startswith(f".{out.name}.old-")]
        if retired:
            previous = _tables_in(retired[-1], out.name)
            _rename(previous, out)
            log.warning("restored %s from %s: a build was killed while swapping new tables in", out, previous)
            leftovers = debris(out)
    for folder in leftovers:
        for entry in keep:
            _move_back(folder, out, entry)
        log.warning("removing %s, left by a build that did not finish", folder)
        remove_tree(folder)


def _tables_in(retired: Path, name: str) -> Path:
    """Where the tables are in a retired folder: the folder itself, or ``NAME`` in it (earlier versions)."""
    nested = retired / name
    return nested if nested.is_dir() and not (retired / MANIFEST).exists() else retired


def _move_back(folder: Path, out: Path, entry: str) -> None:
    for source in (folder / entry, folder / out.name / entry):
        if source.is_dir() and not (out / entry).exists():
            out.mkdir(parents=True, exist_ok=True)
            _rename(source, out / entry)
            log.warning("moved %s back into %s", source, out)
            return


def remove_tree(folder: Path) -> int:
    """Remove a folder of ours; every error is logged, and their number returned (the rest goes on)."""
    errors = []

    def note(function, path, exc) -> None:
        errors.append(path)
        log.warning("could not remove %s (%s: %s)", path, function.__name__,
                    exc[1] if isinstance(exc, tuple) else exc)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=note)
    else:
        shutil.rmtree(folder, onerror=note)
    if errors:
        log.warning("%d entries of %s could not be removed", len(errors), folder)
    return len(errors)


# --------------------------------------------------------------------------- the swap

def swap_in(folder: Path, out: Path, *, carry: Iterable[str] = ()) -> None:
    """Put the finished tables in ``folder`` in the place of ``out``, with ``carry``'s entries of
    the old ``out`` (the article cache) moved into them.

    Each step is one rename, so a crash leaves whole folders only, and recover() knows which:
    1. each ``carry`` entry moves from ``out`` into ``folder`` (a crash here: recover moves it back);
    2. ``folder`` and ``out`` are exchanged atomically (renameat2 RENAME_EXCHANGE, Linux), so ``out``
       is never missing; where that is not available, ``out`` is renamed to ``.NAME.old-*`` and
       ``folder`` to ``out`` (a crash in between: recover puts the old tables back);
    3. the old tables are removed (a crash here: recover removes what is left).
    """
    for entry in carry:
        if (out / entry).exists():
            _rename(out / entry, folder / entry)
    if out.exists() and _exchange(folder, out):
        remove_tree(folder)        # the old tables, now
        return
    retired = None
    if out.exists():
        retired = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
        _rename(out, retired)
    _rename(folder, out)
    if retired is not None:
        remove_tree(retired)


def _rename(source: Path, target: Path) -> None:
    """One step of a swap or a recovery (the crash tests stop a build here)."""
    os.rename(source, target)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_EXCHANGE_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders in one atomic step; False when the system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _EXCHANGE_UNSUPPORTED:
        log.info("atomic exchange not supported here (%s): swapping with two renames", os.strerror(code))
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _renameat2():
    """libc's renameat2 (Linux, glibc 2.28 or later), or None."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function
