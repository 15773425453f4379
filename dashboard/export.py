"""CSV and ZIP export of filtered tables, with exact, documented bytes (no Streamlit).

Format: UTF-8 without BOM, comma separated, ``\\n`` line ends, a header row with the pipeline's
column names in pipeline order, fields quoted only when needed (RFC 4180 style, ``"`` doubled).

CSV injection (OWASP): a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, unless the whole cell is a plain number (``-3``, ``+1.5``,
``-2e3``). Numeric columns are written as numbers and never prefixed.
"""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from dashboard.tables import pipeline_columns
from pipeline.csv_safety import TRIGGERS, escape_cell  # one rule for every CSV Dyad writes

# Fixed timestamp so the ZIP bytes depend only on the data.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s
            continue
        s = s.astype(object).where(s.notna(), "").astype(str)
        risky = s.str[:1].isin(TRIGGERS).to_numpy(dtype=bool)
        if risky.any():
            idx = np.flatnonzero(risky)
            values = s.to_numpy(dtype=object).copy()
            for i in idx:
                values[i] = escape_cell(values[i])
            s = pd.Series(values, index=s.index, dtype=object)
        out[col] = s
    return pd.DataFrame(out, index=df.index)


def csv_bytes(df: pd.DataFrame, table: str | None = None) -> bytes:
    """The CSV bytes of ``df`` (only the pipeline columns of ``table`` when given)."""
    if table is not None:
        df = df[pipeline_columns(table)]
    else:
        df = df[[c for c in df.columns if not str(c).startswith("_")]]
    buf = io.StringIO()
    escape_frame(df).to_csv(buf, index=False, lineterminator="\n", encoding="utf-8")
    return buf.getvalue().encode("utf-8")


def zip_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """A ZIP holding ``NAME.csv`` for every table, in the given order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, df in tables.items():
            info = zipfile.ZipInfo(f"{name}.csv", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, csv_bytes(df, name))
    return buf.getvalue()
