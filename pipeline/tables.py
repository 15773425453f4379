"""The output edge: every table as Parquet and CSV, plus manifest.json, swapped in atomically.

Written with pyarrow and the csv module directly: the build never needs pandas (importing it
would cost more than writing a small corpus's tables). CSV text cells that a spreadsheet would run
as a formula get a leading apostrophe (pipeline.csv_safety); the Parquet files keep the exact text.
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
from dataclasses import dataclass, fields
from pathlib import Path

from pipeline.csv_safety import TRIGGERS, escape_cell
from pipeline.records import TABLES


@dataclass
class TableSet:
    articles: list
    sections: list
    paragraphs: list
    entities: list
    mentions: list
    quotes: list
    speakers: list
    keywords: list

    def row_counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in TABLES}


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


def write_table(folder: Path, name: str, rows: list) -> None:
    """``folder/NAME.parquet`` and ``folder/NAME.csv`` (UTF-8, header row, '\\n' line ends)."""
    import pyarrow.parquet as pq

    columns = table_columns(name, rows)
    pq.write_table(to_arrow(name, columns), folder / f"{name}.parquet")
    for f in fields(TABLES[name]):
        if f.type == "str":     # no live formula when opened in a spreadsheet
            columns[f.name] = [escape_cell(v) if v[:1] in TRIGGERS else v for v in columns[f.name]]
        elif f.type == "float":  # written as the Parquet file holds it (an int score 1 as 1.0)
            columns[f.name] = list(map(float, columns[f.name]))
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(zip(*columns.values()))


def write_tables(tables: TableSet, out: Path, *, manifest: dict, carry: list[str] = ()) -> None:
    """Write into a temporary folder beside ``out``, then swap it in; on any failure ``out`` is untouched.

    ``carry`` names entries of the old ``out`` (the article cache) moved into the new one.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        tmp.chmod(0o755)   # mkdtemp makes it private; the tables are ordinary shared files
        for name in TABLES:
            write_table(tmp, name, getattr(tables, name))
        with open(tmp / "manifest.json", "w", encoding="utf-8", newline="\n") as f:
            json.dump(manifest, f, indent=2, ensure_ascii=False, sort_keys=False)
            f.write("\n")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for entry in carry:
        if (out / entry).exists():
            os.replace(out / entry, tmp / entry)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
