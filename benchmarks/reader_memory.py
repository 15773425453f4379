"""Peak memory of reading one large JSONL collection: the streamed reader vs. the old approach.

    .venv/bin/python benchmarks/reader_memory.py [--mb 50] [--max-record-kb 50] [--format jsonl|csv]

Generates a collection of about ``--mb`` MB (records of 1 KB to ``--max-record-kb`` KB of text,
some non-ASCII) in a temporary folder, then reads it in fresh subprocesses, one per approach:

* ``new``: ``read_inputs`` (records streamed from the file one at a time);
* ``old``: what readers.py did before issue 13 (the file's bytes, then its decoded text, then its
  split lines, all in memory at once, then the records), rebuilt here since that code is gone.

For each it prints the peak RSS increase over the process after its imports (``ru_maxrss``), the
documents' own text (``sys.getsizeof`` of every kept text), and the excess: peak increase minus
that text, in MB, as a multiple of the largest record's text and of the file size; then the same
from tracemalloc (Python allocations only, so without allocator slack), where "transient" is the
peak minus what is still held at the end (documents with their ids and metadata). The streamed
reader's excess stays a few records, whatever the file's size; the old one's grows with the file.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("talks trade minister agreement officials said the and of on border summit energy “deal” "
         "ministers capital envoy cooperation naïve café exports tariffs").split()


def generate(path: Path, mb: float, max_record_kb: int, fmt: str, seed: int = 13) -> None:
    rng = random.Random(seed)
    target = int(mb * 1_000_000)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f) if fmt == "csv" else None
        if writer:
            writer.writerow(["id", "title", "date", "text"])
        n = 0
        while written < target:
            size = rng.randint(1_000, max_record_kb * 1_000)
            words = []
            length = 0
            while length < size:
                word = rng.choice(WORDS)
                words.append(word)
                length += len(word) + 1
            text = " ".join(words)
            text = text[: size // 2] + ".\n\n" + text[size // 2:] + "."
            record = {"id": f"r{n}", "title": f"Record {n}", "date": "2024-05-16", "text": text}
            if writer:
                out = io.StringIO()
                csv.writer(out).writerow(record.values())
                line = out.getvalue()
            else:
                line = json.dumps(record, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1


def _old_read(path: Path) -> list[str]:
    """The reader before issue 13, for a JSONL file: everything at once."""
    from pipeline.decoding import decode_bytes, normalise_text

    data = path.read_bytes()
    text = decode_bytes(data)
    texts = []
    if path.suffix == ".csv":
        rows = csv.DictReader(io.StringIO(text))
        return [normalise_text(row["text"]) for row in rows]
    for line in text.split("\n"):
        if line.strip():
            texts.append(normalise_text(json.loads(line)["text"]))
    return texts


def _new_read(path: Path) -> list:
    from pipeline.readers import discover, read_inputs

    result = read_inputs(discover([path]), max_article_bytes=10_000_000, max_collection_bytes=1 << 31)
    return result.documents     # kept whole (ids, metadata): what a build holds


def _text(doc) -> str:
    return doc if isinstance(doc, str) else doc.text


def child(approach: str, path: Path, trace: bool) -> None:
    """One measurement in this (fresh) process; prints a JSON line."""
    import pipeline.readers  # noqa: F401  (imports before the baseline)

    read = _new_read if approach == "new" else _old_read
    if trace:
        import tracemalloc
        tracemalloc.start()
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    texts = read(path)
    seconds = time.perf_counter() - t0
    transient = None
    if trace:
        retained_b, peak_b = tracemalloc.get_traced_memory()
        peak_increase, transient = peak_b, peak_b - retained_b
    else:
        peak_increase = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_kb) * 1024
    text_bytes = sum(sys.getsizeof(_text(t)) for t in texts)
    print(json.dumps({"approach": approach, "trace": trace, "seconds": seconds, "documents": len(texts),
                      "peak_increase": peak_increase, "transient": transient, "text_bytes": text_bytes,
                      "largest": max(sys.getsizeof(_text(t)) for t in texts)}))


def measure(approach: str, path: Path, trace: bool) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", approach, str(path)] + (["--trace"] if trace else []),
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--max-record-kb", type=int, default=50)
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.child, Path(args.path), args.trace)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"collection.{args.format}"
        generate(path, args.mb, args.max_record_kb, args.format)
        size = path.stat().st_size
        print(f"{args.format} file: {size / 1e6:.1f} MB")
        print(f"{'approach':<10}{'measure':<12}{'docs':>7}{'text MB':>9}{'largest KB':>11}{'peak+ MB':>10}"
              f"{'excess MB':>11}{'× largest':>11}{'× file':>8}{'transient × largest':>21}{'s':>7}")
        for trace in (False, True):
            for approach in ("old", "new"):
                m = measure(approach, path, trace)
                excess = m["peak_increase"] - m["text_bytes"]
                transient = f"{m['transient'] / m['largest']:.1f}" if trace else "-"
                print(f"{approach:<10}{'tracemalloc' if trace else 'RSS':<12}{m['documents']:>7}"
                      f"{m['text_bytes'] / 1e6:>9.1f}{m['largest'] / 1e3:>11.1f}{m['peak_increase'] / 1e6:>10.1f}"
                      f"{excess / 1e6:>11.2f}{excess / m['largest']:>11.1f}{excess / size:>8.2f}{transient:>21}"
                      f"{m['seconds']:>7.2f}")


if __name__ == "__main__":
    main()
