"""Reference data every stage needs, loaded once per process from the project's data/ folder."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import __version__, keywords
from pipeline.structure import StructureRules, load_structure_rules

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Built tables live under data/processed/; they are outputs, not reference data.
_NOT_REFERENCE = {"processed"}


@dataclass(frozen=True)
class Resources:
    structure_rules: StructureRules
    catalog: object
    lexicon: object
    taxonomy: object
    keyword_settings: keywords.KeywordSettings
    keyword_lexicon: keywords.KeywordLexicon


def reference_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*")
                  if p.is_file() and p.relative_to(data_dir).parts[0] not in _NOT_REFERENCE)


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


def reference_digest(data_dir: Path) -> bytes:
    """The reference data as it is on disk now."""
    return _files_digest(data_dir, _signature(reference_files(data_dir)))


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
    h.update(reference_digest(data_dir))
    return h.hexdigest()


def load_resources(data_dir: Path = DATA_DIR,
                   keyword_settings: keywords.KeywordSettings = keywords.KeywordSettings()) -> Resources:
    """The reference data, loaded once per process and again whenever its files change (users
    edit the catalog, lexicons and taxonomy while the dashboard runs)."""
    return _load_resources(data_dir, keyword_settings, reference_digest(data_dir))


@lru_cache(maxsize=4)
def _load_resources(data_dir: Path, keyword_settings: keywords.KeywordSettings, digest: bytes) -> Resources:
    from pipeline import entities, quotes, topics   # heavy (matchers, lexicons): only when building

    return Resources(
        structure_rules=load_structure_rules(data_dir / "structure.toml"),
        catalog=entities.load_catalog(data_dir),
        lexicon=quotes.load_lexicon(data_dir),
        taxonomy=topics.load_taxonomy(data_dir),
        keyword_settings=keyword_settings,
        keyword_lexicon=keywords.load_keyword_lexicon(Path(keyword_settings.data_dir or data_dir),
                                                      keyword_settings.language),
    )
