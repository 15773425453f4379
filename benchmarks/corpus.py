"""Generated benchmark corpora: real paragraphs from the evaluation articles, recombined.

    .venv/bin/python benchmarks/corpus.py 10000 [--seed 1] [--out .bench/corpus]

The eval texts stay where they are (``../shared/eval``); only the generated JSONL files are
written, under the git-ignored scratch folder ``.bench/``. How an article is made (see
docs/performance.md):

1. The pool. Every eval article is read directly (no pipeline code, so a half-landed stage cannot
   break the generator): a ``quotes-dev/texts/*.txt`` file gives its first line as the title and
   its blank-line separated blocks as paragraphs (short lines without final punctuation -- credits,
   headings -- are dropped); a ``countries-dev/articles.jsonl`` record gives its ``title`` and its
   ``text``, which is one block of wire copy, cut into paragraphs of three sentences.
2. Article ``i`` of seed ``s`` uses its own ``random.Random("dyad-bench:s:i")``, so the corpus of
   10,000 articles is the first 10,000 of the 100,000 one and every file is byte-for-byte
   reproducible. A real article is drawn as the length template (its character count is the
   target, so lengths follow the real distribution); two or three donor articles are drawn, and
   their paragraphs are interleaved in their original order until the target length is reached
   (at least two paragraphs, at most 40). Title, date and outlet come from the first donor; the
   id is ``gen-NNNNNNN``. A text that repeats an earlier generated text is drawn again.
3. Records are written as JSONL (``id``, ``title``, ``date``, ``outlet``, ``text`` with paragraphs
   separated by blank lines) to ``.bench/corpus/generated-N-seedS-POOLHASH.jsonl`` and reused while
   the pool and generator version are unchanged.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
DEFAULT_SOURCES = (EVAL_DIR / "quotes-dev" / "texts", EVAL_DIR / "countries-dev" / "articles.jsonl")
SCRATCH = ROOT / ".bench"
GENERATOR_VERSION = "1"
MAX_PARAGRAPHS = 40
SENTENCES_PER_WIRE_PARAGRAPH = 3

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'(]?[A-Z0-9])")
_FINAL_PUNCT = re.compile(r"[.!?:;\"”’')\]]\s*$")


@dataclass(frozen=True)
class PoolArticle:
    title: str
    date: str
    outlet: str
    paragraphs: tuple[str, ...]
    chars: int           # length of the original text: the length template


def _clean(block: str) -> str:
    return " ".join(block.split())


def _txt_article(path: Path) -> PoolArticle | None:
    text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [_clean(b) for b in re.split(r"\n\s*\n", text) if b.strip()]
    if not blocks:
        return None
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = lines[0]
    if blocks and blocks[0].startswith(title):
        blocks[0] = blocks[0][len(title):].strip()
    paragraphs = tuple(b for b in blocks if b and (len(b) >= 80 or _FINAL_PUNCT.search(b)))
    m = re.match(r"([a-z0-9-]+)_(\d{4}-\d{2}-\d{2})_", path.name)
    outlet, date = (m.group(1), m.group(2)) if m else ("", "")
    return PoolArticle(title.rstrip("."), date, outlet, paragraphs, len(text)) if paragraphs else None


def _wire_paragraphs(text: str) -> tuple[str, ...]:
    out = []
    for block in re.split(r"\n\s*\n", text):
        sentences = [s for s in _SENTENCE_END.split(_clean(block)) if s]
        for i in range(0, len(sentences), SENTENCES_PER_WIRE_PARAGRAPH):
            out.append(" ".join(sentences[i:i + SENTENCES_PER_WIRE_PARAGRAPH]))
    return tuple(p for p in out if p)


def load_pool(sources=DEFAULT_SOURCES) -> list[PoolArticle]:
    """The eval articles as (title, date, outlet, paragraphs), in a stable order."""
    pool: list[PoolArticle] = []
    for src in map(Path, sources):
        if not src.exists():
            raise FileNotFoundError(f"benchmark source not found: {src}")
        files = sorted(src.rglob("*")) if src.is_dir() else [src]
        for path in files:
            if path.suffix == ".txt":
                art = _txt_article(path)
                if art:
                    pool.append(art)
            elif path.suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    text = rec.get("text") or ""
                    paragraphs = _wire_paragraphs(text)
                    if paragraphs:
                        pool.append(PoolArticle(_clean(rec.get("title") or "").title(), "",
                                                "Reuters", paragraphs, len(text)))
    if not pool:
        raise ValueError("no articles in the benchmark sources")
    return pool


def pool_hash(pool: list[PoolArticle]) -> str:
    h = hashlib.sha256(GENERATOR_VERSION.encode())
    for art in pool:
        h.update(json.dumps([art.title, art.date, art.outlet, art.paragraphs, art.chars]).encode())
    return h.hexdigest()[:10]


def make_article(pool: list[PoolArticle], seed: int, key: str, *, attempt: int = 0) -> dict:
    """One generated record; a pure function of (pool, seed, key, attempt)."""
    rng = random.Random(f"dyad-bench:{seed}:{key}:{attempt}")
    target = rng.choice(pool).chars
    donors = [rng.choice(pool) for _ in range(rng.choice((2, 3)))]
    cursors = [0] * len(donors)
    paragraphs: list[str] = []
    length = 0
    while len(paragraphs) < MAX_PARAGRAPHS and (length < target or len(paragraphs) < 2):
        live = [d for d in range(len(donors)) if cursors[d] < len(donors[d].paragraphs)]
        if not live:
            donors.append(rng.choice(pool))
            cursors.append(0)
            continue
        d = rng.choice(live)
        p = donors[d].paragraphs[cursors[d]]
        cursors[d] += 1
        paragraphs.append(p)
        length += len(p) + 2
    first = donors[0]
    date = first.date or f"{rng.randint(2015, 2024):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"id": f"gen-{key}", "title": first.title, "date": date, "outlet": first.outlet or "Generated",
            "text": "\n\n".join(paragraphs)}


def generate_records(n: int, *, seed: int = 1, pool: list[PoolArticle] | None = None):
    """Yield ``n`` records; article i is the same for every n (the 10k corpus is a prefix of the 100k one)."""
    pool = pool if pool is not None else load_pool()
    seen: set[bytes] = set()
    for i in range(n):
        attempt = 0
        while True:
            rec = make_article(pool, seed, f"{i:07d}", attempt=attempt)
            h = hashlib.sha256(" ".join(rec["text"].split()).encode()).digest()
            if h not in seen:
                seen.add(h)
                break
            attempt += 1
        yield rec


def _write_jsonl(path: Path, records) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def corpus_path(n: int, *, seed: int = 1, out_dir: Path = SCRATCH / "corpus", sources=DEFAULT_SOURCES) -> Path:
    """The generated corpus of ``n`` articles, written once and reused while the pool is unchanged."""
    pool = load_pool(sources)
    path = Path(out_dir) / f"generated-{n}-seed{seed}-{pool_hash(pool)}.jsonl"
    if not path.exists():
        _write_jsonl(path, generate_records(n, seed=seed, pool=pool))
    return path


def extra_article_path(*, seed: int = 1, out_dir: Path = SCRATCH / "corpus", sources=DEFAULT_SOURCES) -> Path:
    """A one-article JSONL file (not in any generated corpus) for the "add one article" rebuild."""
    pool = load_pool(sources)
    path = Path(out_dir) / f"extra-seed{seed}-{pool_hash(pool)}.jsonl"
    if not path.exists():
        _write_jsonl(path, [make_article(pool, seed, "extra")])
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="+", help="corpus sizes (articles)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=SCRATCH / "corpus")
    args = ap.parse_args(argv)
    for n in args.n:
        path = corpus_path(n, seed=args.seed, out_dir=args.out)
        print(f"{n} articles: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
