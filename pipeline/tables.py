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
from pipeline.outdir import remove_tree, swap_in
from pipeline.records import TABLES


# Tables with rows from each article, in input order, written as the articles arrive; the others are
# computed over the corpus. The quotes table has a row per article's quote too, but is written at the end:
# what other articles say of a speaker fills its gaps (pipeline.quotes.carry_over_corpus).
ARTICLE_TABLES = ("articles", "sections", "paragraphs", "mentions", "keywords")
CORPUS_TABLES = ("entities", "speakers", "quotes")


_ARROW_TYPES = {"int": "int64", "float": "float64", "str": "string"}
_MAX_CHUNK_BYTES = 1 << 30     # a string array's int32 offsets address at most 2 GiB


class ColumnBuilder:
    """One column as Arrow buffers, filled batch by batch while the results arrive: strings as
    UTF-8 bytes with int32 offsets, a new chunk before a chunk would pass _MAX_CHUNK_BYTES (at least
    one value per chunk, however long); numbers as a typed array. Turning them into Arrow arrays at
    the end is then only wrapping the buffers, and the text is kept as bytes rather than as Python
    strings meanwhile. (Not ``pyarrow.array``: that call probes for pandas objects and so imports
    pandas, ~0.25 s, a tenth of a small corpus's build.)"""

    def __init__(self, arrow_type: str):
        self.arrow_type = arrow_type
        self.length = 0
        if arrow_type == "string":
            self._chunks: list[tuple[array.array, bytes]] = []    # the full chunks: (offsets, data)
            self._offsets = array.array("i", [0])                  # the open chunk
            self._parts: list[bytes] = []
        else:
            self._numbers = array.array("q" if arrow_type == "int64" else "d")

    def extend(self, values: list) -> None:
        self.length += len(values)
        if self.arrow_type != "string":
            self._numbers.extend(values)
            return
        encoded = [v.encode("utf-8") for v in values]
        while encoded:
            # the byte offset after each value, counted from the start of the open chunk
            ends = list(itertools.accumulate(map(len, encoded), initial=self._offsets[-1]))[1:]
            fit = bisect.bisect_right(ends, _MAX_CHUNK_BYTES)
            if fit == 0 and len(self._offsets) > 1:
                self._close_chunk()          # the next value starts a chunk of its own
                continue
            fit = max(fit, 1)
            self._offsets.extend(ends[:fit])
            self._parts.append(b"".join(encoded[:fit]))
            encoded = encoded[fit:]
            if encoded:
                self._close_chunk()

    def _close_chunk(self) -> None:
        self._chunks.append((self._offsets, b"".join(self._parts)))
        self._offsets, self._parts = array.array("i", [0]), []

    def to_arrow(self, head: ColumnBuilder | None = None):
        """The column as a pyarrow Array (numbers) or ChunkedArray (text), ``head``'s values first."""
        import pyarrow as pa

        if self.arrow_type != "string":
            type_ = pa.int64() if self.arrow_type == "int64" else pa.float64()
            numbers = head._numbers + self._numbers if head is not None else self._numbers
            return pa.Array.from_buffers(type_, len(numbers), [None, pa.py_buffer(numbers)])
        buffers = list(self._chunks)
        if len(self._offsets) > 1 or not buffers:     # the open chunk (an empty column: one empty chunk)
            buffers.append((self._offsets, b"".join(self._parts)))
        chunks = [pa.Array.from_buffers(pa.string(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
                  for offsets, data in buffers]
        if head is not None:
            (first,) = head.to_arrow().chunks    # a few rows (the corpus keywords): one chunk
            chunks[0] = pa.concat_arrays([first, chunks[0]])
        return pa.chunked_array(chunks, type=pa.string())


def column_builders(name: str, columns: dict[str, list] | None = None) -> dict[str, ColumnBuilder]:
    """A builder for each of a table's columns, in the record's field order, holding ``columns``."""
    builders = {f.name: ColumnBuilder(_ARROW_TYPES[f.type]) for f in fields(TABLES[name])}
    for column, values in (columns or {}).items():
        builders[column].extend(values)
    return builders


def table_columns(name: str, rows: list) -> dict[str, list]:
    """A table's rows as one Python list per column, in the record's field order."""
    names = [f.name for f in fields(TABLES[name])]
    if not rows or len(names) == 1:   # attrgetter of one name gives values, not tuples
        return {n: [getattr(r, n) for r in rows] for n in names}
    # one C-level pass per row (attrgetter), then a transpose: much faster than a getattr per cell
    return dict(zip(names, map(list, zip(*map(operator.attrgetter(*names), rows)))))


def _row_count(builders: dict[str, ColumnBuilder]) -> int:
    return next(iter(builders.values())).length


def to_arrow(builders: dict[str, ColumnBuilder], head: dict[str, ColumnBuilder] | None = None):
    """A table's columns as a pyarrow Table with the record's columns and types (also when empty),
    the rows in ``head`` first."""
    import pyarrow as pa

    return pa.Table.from_arrays([b.to_arrow(head[c] if head else None) for c, b in builders.items()],
                                schema=pa.schema([(c, b.arrow_type) for c, b in builders.items()]))


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
    _write_parquet(folder / f"{name}.parquet", column_builders(name, columns))


def _write_csv(path: Path, name: str, columns: dict[str, list], *, tail: Path | None = None) -> None:
    """The header, the rows in ``columns``, then the rows of ``tail``: a CSV file of further rows,
    written as they arrived (its header line is skipped)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(csv_rows(name, columns))
    if tail is not None:
        with open(path, "ab") as f, open(tail, "rb") as rest:
            rest.readline()
            shutil.copyfileobj(rest, f)


def _write_parquet(path: Path, builders: dict[str, ColumnBuilder], head: dict[str, ColumnBuilder] | None = None) -> None:
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(builders, head), path)


class TableWriter:
    """Writes one build's tables into a temporary folder beside ``out``, then swaps it in
    (pipeline.outdir.swap_in: a crash at any step leaves whole folders, which the next build sorts out).

    ``add`` takes each kept article's result in input order; ``finish`` writes the corpus tables,
    the Parquet files and the manifest, and swaps the folder in. Until then ``out`` is untouched,
    and ``abort`` (on any failure) removes the temporary folder.
    """

    def __init__(self, out: Path, *, batch_rows: int = 128):
        self.out = out
        # Rows of a table turned into columns and CSV at a time. What is left in the last batch is
        # done after the last article, when a parallel build has nothing else to run: 128 rows
        # left 2.5 ms of it for the 235 evaluation articles (512: 8.6 ms), the same in all.
        self.batch_rows = batch_rows
        out.parent.mkdir(parents=True, exist_ok=True)
        # the name pipeline.outdir recognises as a build's temporary folder (recover, lies_in_output)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
        self._files = {}
        try:
            self.folder.chmod(0o755)   # mkdtemp makes it private; the tables are ordinary shared files
            self._columns = {name: column_builders(name) for name in ARTICLE_TABLES}
            self._pending: dict[str, list] = {name: [] for name in ARTICLE_TABLES}
            for name in ARTICLE_TABLES:   # the CSV file, written as the rows arrive (see finish)
                self._files[name] = open(self._part(name), "w", encoding="utf-8", newline="")
            self._csv = {name: csv.writer(f, lineterminator="\n") for name, f in self._files.items()}
            for name, writer in self._csv.items():
                writer.writerow(self._columns[name])
        except BaseException:
            self.abort()
            raise

    def _part(self, name: str) -> Path:
        return self.folder / f".{name}.csv.part"

    def add(self, result) -> None:
        """One article's rows (an ArticleResult)."""
        for name, rows in (("articles", (result.article,)), ("sections", result.sections),
                           ("paragraphs", result.paragraphs), ("mentions", result.mentions),
                           ("keywords", result.keywords)):
            pending = self._pending[name]
            pending.extend(rows)
            if len(pending) >= self.batch_rows:
                self._flush(name)

    def _flush(self, name: str) -> None:
        rows = self._pending[name]
        if rows:
            columns = table_columns(name, rows)
            for column, values in columns.items():
                self._columns[name][column].extend(values)   # a ColumnBuilder
            self._csv[name].writerows(csv_rows(name, columns))
            self._pending[name] = []

    def finish(self, *, entities: list, speakers: list, quotes: list, corpus_keywords: list, manifest: dict,
               carry: list[str] = ()) -> dict[str, int]:
        """Write every table and the manifest (its "rows" entry set to the row counts, which this
        returns), then swap the folder in. ``quotes`` are all articles' quote rows in input order;
        ``corpus_keywords`` come first in the keywords table. ``carry`` names entries of the old ``out``
        (the article cache) moved into the new one."""
        try:
            for name in ARTICLE_TABLES:
                self._flush(name)
                self._files.pop(name).close()
            rows = {}
            for name in TABLES:
                if name in CORPUS_TABLES:
                    table_rows = {"entities": entities, "speakers": speakers, "quotes": quotes}[name]
                    write_table(self.folder, name, table_rows)
                    rows[name] = len(table_rows)
                    continue
                head_rows = corpus_keywords if name == "keywords" else []
                head = table_columns(name, head_rows)
                if head_rows:   # they come first: the rows that arrived are copied after them
                    _write_csv(self.folder / f"{name}.csv", name, head, tail=self._part(name))
                    self._part(name).unlink()
                else:
                    os.replace(self._part(name), self.folder / f"{name}.csv")
                arrived = self._columns.pop(name)
                _write_parquet(self.folder / f"{name}.parquet", arrived, column_builders(name, head) if head_rows else None)
                rows[name] = len(head_rows) + _row_count(arrived)
            with open(self.folder / "manifest.json", "w", encoding="utf-8", newline="\n") as f:
                json.dump({**manifest, "rows": rows}, f, indent=2, ensure_ascii=False, sort_keys=False)
                f.write("\n")
        except BaseException:
            self.abort()
            raise
        swap_in(self.folder, self.out, carry=carry)
        return rows

    def abort(self) -> None:
        """Close the part files and remove the temporary folder: ``out`` stays as it was."""
        for f in self._files.values():
            f.close()
        self._files.clear()
        if self.folder.exists():
            remove_tree(self.folder)
