"""The output edge: every table as Parquet and CSV, plus manifest.json, swapped in atomically."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from pipeline.records import TABLES, columns


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


_DTYPES = {int: "int64", float: "float64", str: "string", "int": "int64", "float": "float64", "str": "string"}


def to_frame(name: str, rows: list) -> pd.DataFrame:
    """A table's rows as a DataFrame with the record's columns and dtypes (also when empty)."""
    record = TABLES[name]
    cols = columns(record)
    frame = pd.DataFrame([[getattr(r, c) for c in cols] for r in rows], columns=cols)
    dtypes = {f.name: _DTYPES[f.type] for f in fields(record)}
    frame = frame.astype(dtypes)
    return frame


def write_frame(frame: pd.DataFrame, folder: Path, name: str) -> None:
    frame.to_parquet(folder / f"{name}.parquet", index=False, engine="pyarrow")
    frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")


def write_tables(tables: TableSet, out: Path, *, manifest: dict, carry: list[str] = ()) -> None:
    """Write into a temporary folder beside ``out``, then swap it in; on any failure ``out`` is untouched.

    ``carry`` names entries of the old ``out`` (the article cache) moved into the new one.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        tmp.chmod(0o755)   # mkdtemp makes it private; the tables are ordinary shared files
        for name in TABLES:
            write_frame(to_frame(name, getattr(tables, name)), tmp, name)
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
