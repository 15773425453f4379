"""The output edge: every table as Parquet and CSV, plus manifest.json, swapped in atomically.

Written with pyarrow and the csv module directly: the build never needs pandas (importing it
would cost more than writing a small corpus's tables). CSV text cells that a spreadsheet would run
as a formula get a leading apostrophe (pipeline.csv_safety); the Parquet files keep the exact text.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

from pipeline.csv_safety import escape_cell
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


def to_arrow(name: str, rows: list):
    """A table's rows as a pyarrow Table with the record's columns and types (also when empty)."""
    import pyarrow as pa

    record = TABLES[name]
    schema = pa.schema([(f.name, _ARROW_TYPES[f.type]) for f in fields(record)])
    columns = {f.name: [getattr(r, f.name) for r in rows] for f in fields(record)}
    return pa.table(columns, schema=schema)


def write_table(table, folder: Path, name: str) -> None:
    """``folder/NAME.parquet`` and ``folder/NAME.csv`` (UTF-8, header row, '\\n' line ends)."""
    import pyarrow.parquet as pq

    pq.write_table(table, folder / f"{name}.parquet")
    columns = []
    for c in table.column_names:
        values = table.column(c).to_pylist()
        if table.schema.field(c).type == "string":
            values = [escape_cell(v) for v in values]   # no live formula when opened in a spreadsheet
        columns.append(values)
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(zip(*columns))


def write_tables(tables: TableSet, out: Path, *, manifest: dict, carry: list[str] = ()) -> None:
    """Write into a temporary folder beside ``out``, then swap it in; on any failure ``out`` is untouched.

    ``carry`` names entries of the old ``out`` (the article cache) moved into the new one.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        tmp.chmod(0o755)   # mkdtemp makes it private; the tables are ordinary shared files
        for name in TABLES:
            write_table(to_arrow(name, getattr(tables, name)), tmp, name)
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
