"""Reference data every stage needs, loaded once per process from the project's data/ folder.

Loading parses the catalog, lexicons and taxonomy and builds their matchers (about 0.1 s in every
build process). The loaded data is also kept pickled under DATA/.cache/reference/, keyed by
everything it is made from (the files, the loading code, the keyword settings, Python and the
matcher library), so the next process unpickles it in about a fifth of that time: like
``__pycache__`` for the reference data.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import __version__, keywords
from pipeline.atomic import write_bytes_atomic
from pipeline.structure import StructureRules, load_structure_rules

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Built tables live under data/processed/; they are outputs, not reference data. Hidden entries
# (the compiled cache below, editors' swap files) are not reference data either.
_NOT_REFERENCE = {"processed"}
COMPILED_DIR = Path(".cache") / "reference"
_COMPILED_KEPT = 8      # entries of the compiled cache kept per data folder (about 1 MB each)


@dataclass(frozen=True)
class Resources:
    structure_rules: StructureRules
    catalog: object
    lexicon: object
    taxonomy: object
    keyword_settings: keywords.KeywordSettings
    keyword_lexicon: keywords.KeywordLexicon


def reference_files(data_dir: Path) -> list[Path]:
    """The files under ``data_dir`` that stages read (not walking into built tables and caches:
    data/processed/ holds one cached result per article)."""
    found = []
    for folder, subfolders, names in os.walk(data_dir):
        top = folder == str(data_dir)
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and not (top and d in _NOT_REFERENCE)]
        found.extend(Path(folder, name) for name in names if not name.startswith("."))
    return sorted(found)


def _signature(paths: list[Path]) -> tuple:
    out = []
    for p in paths:
        st = p.stat()
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=16)
def _files_digest(root: Path, signature: tuple) -> bytes:
    """Names and contents of the files in ``signature`` (re-read only when a file's size or
    modification time changes)."""
    h = hashlib.sha256()
    for name, _, _ in signature:
        path = Path(name)
        h.update(path.relative_to(root).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.digest()


def reference_digest(data_dir: Path, keyword_settings: keywords.KeywordSettings | None = None) -> bytes:
    """The reference data as it is on disk now, with the keyword lists of ``keyword_settings.data_dir``
    when the settings name a folder of their own."""
    digest = _files_digest(data_dir, _signature(reference_files(data_dir)))
    if keyword_settings is not None and keyword_settings.data_dir:
        folder = Path(keyword_settings.data_dir)
        lists = [folder / name for name in keywords.lexicon_file_names(keyword_settings.language)]
        digest += _files_digest(folder, _signature([p for p in lists if p.is_file()]))
    return digest


_PACKAGE = Path(__file__).resolve().parent
# The pipeline's own source as this process imported it. Taken once: a long-running process (the
# dashboard) whose files are edited on disk keeps running the code it loaded, and must not label
# results of that code with the new files' fingerprint.
_CODE_DIGEST = _files_digest(_PACKAGE, _signature(sorted(_PACKAGE.rglob("*.py"))))


def data_fingerprint(data_dir: Path, keyword_settings: keywords.KeywordSettings) -> str:
    """What the per-article results depend on besides the article: the pipeline's version and its
    own source code (so an edited stage never serves stale cached rows), the reference data, and the
    keyword settings."""
    h = hashlib.sha256(__version__.encode())
    h.update(repr(keyword_settings).encode())
    h.update(_CODE_DIGEST)
    h.update(reference_digest(data_dir, keyword_settings))
    return h.hexdigest()


def load_resources(data_dir: Path = DATA_DIR,
                   keyword_settings: keywords.KeywordSettings = keywords.KeywordSettings()) -> Resources:
    """The reference data, loaded once per process and again whenever its files change (users
    edit the catalog, lexicons and taxonomy while the dashboard runs)."""
    return _load_resources(data_dir, keyword_settings, reference_digest(data_dir, keyword_settings))


@lru_cache(maxsize=4)
def _load_resources(data_dir: Path, keyword_settings: keywords.KeywordSettings, digest: bytes) -> Resources:
    compiled = data_dir / COMPILED_DIR / f"{_compiled_key(keyword_settings, digest)}.pkl"
    resources = _read_compiled(compiled)
    if resources is None:
        resources = _parse_reference_data(data_dir, keyword_settings)
        _write_compiled(compiled, resources)
    return resources


def _compiled_key(keyword_settings: keywords.KeywordSettings, digest: bytes) -> str:
    """Everything the loaded reference data depends on. Besides the project's files: YAKE's stopword
    list, and the matcher library whose automata are pickled (an upgrade changes its file)."""
    import ahocorasick

    h = hashlib.sha256(_CODE_DIGEST)
    h.update(digest)
    h.update(repr(keyword_settings).encode())
    h.update(sys.version.encode())
    for library_file in (Path(ahocorasick.__file__), keywords.yake_stopwords_path(keyword_settings.language)):
        st = library_file.stat()
        h.update(f"{library_file}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _read_compiled(path: Path) -> Resources | None:
    try:
        with open(path, "rb") as f:
            resources = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            IndexError):   # missing, damaged or from an incompatible library: parse the files again
        return None
    return resources if isinstance(resources, Resources) else None


def _write_compiled(path: Path, resources: Resources) -> None:
    try:
        write_bytes_atomic(path, pickle.dumps(resources, protocol=pickle.HIGHEST_PROTOCOL))
        entries = sorted(path.parent.glob("*.pkl"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[_COMPILED_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:   # a read-only data folder, or another process pruning: the next one parses again
        pass


def _parse_reference_data(data_dir: Path, keyword_settings: keywords.KeywordSettings) -> Resources:
    from pipeline import entities, quotes, topics   # heavy (matchers, lexicons): only when building

    lexicon = quotes.load_lexicon(data_dir)     # shared: the catalog holds the same object
    return Resources(
        structure_rules=load_structure_rules(data_dir / "structure.toml"),
        catalog=entities.load_catalog(data_dir, words=lexicon),
        lexicon=lexicon,
        taxonomy=topics.load_taxonomy(data_dir),
        keyword_settings=keyword_settings,
        keyword_lexicon=keywords.load_keyword_lexicon(Path(keyword_settings.data_dir or data_dir),
                                                      keyword_settings.language),
    )
