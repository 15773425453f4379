"""The output edge: every table as Parquet and CSV, plus manifest.json, swapped in atomically.

Written with pyarrow and the csv module directly: the build never needs pandas (importing it
would cost more than writing a small corpus's tables). CSV text cells that a spreadsheet would run
as a formula get a leading apostrophe (pipeline.csv_safety); the Parquet files keep the exact text.

A build writes through a TableWriter: the per-article tables' rows become columns and CSV text
while the results arrive (in a parallel build, while the other processes are still working), and
only the corpus tables, the Parquet files and the manifest are left for the end.
"""
from __future__ import annotations

import array
import bisect
import csv
import itertools
import json
import operator
import os
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path

from pipeline.csv_safety import TRIGGERS, escape_cell
from pipeline.records import TABLES


# Tables with rows from each article, in input order; the others are computed over the corpus.
ARTICLE_TABLES = ("articles", "sections", "paragraphs", "mentions", "quotes", "keywords")
CORPUS_TABLES = ("entities", "speakers")


_ARROW_TYPES = {"int": "int64", "float": "float64", "str": "string"}
_MAX_CHUNK_BYTES = 1 << 30     # a string array's int32 offsets address at most 2 GiB


def _string_column(values: list[str]):
    """UTF-8 strings as Arrow arrays (one chunk per GiB of text), from their buffers."""
    import pyarrow as pa

    encoded = [v.encode("utf-8") for v in values]
    ends = list(itertools.accumulate(map(len, encoded)))   # byte offset after each value
    chunks, start, base = [], 0, 0
    while True:
        # the values that fit in this chunk (at least one, however long)
        end = max(start + 1, bisect.bisect_right(ends, base + _MAX_CHUNK_BYTES, lo=start)) if encoded else 0
        offsets = array.array("i", [0, *(e - base for e in ends[start:end])])
        chunks.append(pa.Array.from_buffers(pa.string(), end - start, [
            None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded[start:end]))]))
        if end >= len(encoded):
            return pa.chunked_array(chunks, type=pa.string())
        start, base = end, ends[end - 1]


def _column(values: list, arrow_type: str):
    """One column as Arrow data, built from buffers rather than with ``pyarrow.array``: that call
    probes for pandas objects and so imports pandas (~0.25 s, a tenth of a small corpus's build)."""
    import pyarrow as pa

    if arrow_type == "string":
        return _string_column(values)
    typecode, type_ = ("q", pa.int64()) if arrow_type == "int64" else ("d", pa.float64())
    return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(array.array(typecode, values))])


def table_columns(name: str, rows: list) -> dict[str, list]:
    """A table's rows as one Python list per column, in the record's field order."""
    names = [f.name for f in fields(TABLES[name])]
    if not rows or len(names) == 1:   # attrgetter of one name gives values, not tuples
        return {n: [getattr(r, n) for r in rows] for n in names}
    # one C-level pass per row (attrgetter), then a transpose: much faster than a getattr per cell
    return dict(zip(names, map(list, zip(*map(operator.attrgetter(*names), rows)))))


def to_arrow(name: str, columns: dict[str, list]):
    """A table's columns as a pyarrow Table with the record's columns and types (also when empty)."""
    import pyarrow as pa

    types = [(f.name, _ARROW_TYPES[f.type]) for f in fields(TABLES[name])]
    return pa.Table.from_arrays([_column(columns[c], t) for c, t in types], schema=pa.schema(types))


def csv_rows(name: str, columns: dict[str, list]):
    """A table's rows as CSV cells: text that a spreadsheet would run as a formula made inert, and
    floats written as the Parquet file holds them (an int score 1 as 1.0)."""
    cells = []
    for f in fields(TABLES[name]):
        values = columns[f.name]
        if f.type == "str":
            values = [escape_cell(v) if v[:1] in TRIGGERS else v for v in values]
        elif f.type == "float":
            values = list(map(float, values))
        cells.append(values)
    return zip(*cells)


def write_table(folder: Path, name: str, rows: list) -> None:
    """``folder/NAME.parquet`` and ``folder/NAME.csv`` (UTF-8, header row, '\\n' line ends)."""
    columns = table_columns(name, rows)
    _write_csv(folder / f"{name}.csv", name, columns)
    _write_parquet(folder / f"{name}.parquet", name, columns)


def _write_csv(path: Path, name: str, columns: dict[str, list], *, tail: Path | None = None) -> None:
    """The header, the rows in ``columns``, then ``tail``: CSV text of further rows, written as they arrived."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(csv_rows(name, columns))
        if tail is not None:
            with open(tail, encoding="utf-8", newline="") as rest:
                shutil.copyfileobj(rest, f)


def _write_parquet(path: Path, name: str, columns: dict[str, list]) -> None:
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(name, columns), path)


class TableWriter:
    """Writes one build's tables into a temporary folder beside ``out``, then swaps it in.

    ``add`` takes each kept article's result in input order; ``finish`` writes the corpus tables,
    the Parquet files and the manifest, and swaps the folder in. Until then ``out`` is untouched,
    and ``abort`` (on any failure) removes the temporary folder.
    """

    def __init__(self, out: Path, *, batch_rows: int = 512):
        self.out = out
        self.batch_rows = batch_rows      # rows of a table turned into columns and CSV at a time
        out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        self._files = {}
        try:
            self.folder.chmod(0o755)   # mkdtemp makes it private; the tables are ordinary shared files
            self._columns = {name: {f.name: [] for f in fields(TABLES[name])} for name in ARTICLE_TABLES}
            self._pending: dict[str, list] = {name: [] for name in ARTICLE_TABLES}
            for name in ARTICLE_TABLES:   # each article's rows, without the header (see finish)
                self._files[name] = open(self._part(name), "w", encoding="utf-8", newline="")
            self._csv = {name: csv.writer(f, lineterminator="\n") for name, f in self._files.items()}
        except BaseException:
            self.abort()
            raise

    def _part(self, name: str) -> Path:
        return self.folder / f".{name}.csv.part"

    def add(self, result) -> None:
        """One article's rows (an ArticleResult)."""
        for name, rows in (("articles", (result.article,)), ("sections", result.sections),
                           ("paragraphs", result.paragraphs), ("mentions", result.mentions),
                           ("quotes", result.quotes), ("keywords", result.keywords)):
            pending = self._pending[name]
            pending.extend(rows)
            if len(pending) >= self.batch_rows:
                self._flush(name)

    def _flush(self, name: str) -> None:
        rows = self._pending[name]
        if rows:
            columns = table_columns(name, rows)
            for column, values in columns.items():
                self._columns[name][column].extend(values)
            self._csv[name].writerows(csv_rows(name, columns))
            self._pending[name] = []

    def finish(self, *, entities: list, speakers: list, corpus_keywords: list, manifest: dict,
               carry: list[str] = ()) -> dict[str, int]:
        """Write every table and the manifest (its "rows" entry set to the row counts, which this
        returns), then swap the folder in. ``corpus_keywords`` come first in the keywords table.
        ``carry`` names entries of the old ``out`` (the article cache) moved into the new one."""
        try:
            for name in ARTICLE_TABLES:
                self._flush(name)
                self._files.pop(name).close()
            rows = {}
            for name in TABLES:
                if name in CORPUS_TABLES:
                    table_rows = entities if name == "entities" else speakers
                    write_table(self.folder, name, table_rows)
                    rows[name] = len(table_rows)
                    continue
                head = table_columns(name, corpus_keywords if name == "keywords" else [])
                arrived = self._columns.pop(name)
                _write_csv(self.folder / f"{name}.csv", name, head, tail=self._part(name))
                self._part(name).unlink()
                columns = {c: head[c] + values if head[c] else values for c, values in arrived.items()}
                _write_parquet(self.folder / f"{name}.parquet", name, columns)
                rows[name] = len(next(iter(columns.values())))
            with open(self.folder / "manifest.json", "w", encoding="utf-8", newline="\n") as f:
                json.dump({**manifest, "rows": rows}, f, indent=2, ensure_ascii=False, sort_keys=False)
                f.write("\n")
        except BaseException:
            self.abort()
            raise
        _swap_in(self.folder, self.out, carry)
        return rows

    def abort(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


def _swap_in(folder: Path, out: Path, carry: list[str]) -> None:
    for entry in carry:
        if (out / entry).exists():
            os.replace(out / entry, folder / entry)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(folder, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
