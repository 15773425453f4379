"""Load the pipeline's tables into a ``Corpus`` with precomputed integer keys.

Pure (no Streamlit). Every table keeps its pipeline columns in pipeline order; the columns this
module adds for fast filtering start with ``_`` and are dropped on export:

* ``_aid``  -- row index of the article in ``articles`` (all tables; -1 for corpus-level keywords)
* ``_pkey`` -- row index of the paragraph in ``paragraphs`` (paragraphs, mentions, quotes; -1 if none)
* ``_skey`` -- row index of the section in ``sections`` (sections, paragraphs, keywords; -1 if none)
* ``_eid``  -- row index of the entity in ``entities`` (entities, mentions; -1 if unknown)
* quotes: ``_qkey`` (one per quote_id), ``_spk_eid``, ``_side``, ``_category``, ``_words``
* articles: ``_date`` (datetime64, NaT when undated)

Strings are held as Arrow-backed pandas columns (compact), low-cardinality ones as categoricals.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.records import CORPUS_PREFIX, PIECE_JOINER, SETTING_PREFIX, TABLES

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
STR = pd.ArrowDtype(pa.string())
UNKNOWN = "unknown"
REBUILD_COMMAND = "python -m pipeline build"

# Columns turned into categoricals (few distinct values, used as filter / group keys).
_CATEGORICAL = {
    "articles": ("outlet", "dyad"),
    "sections": ("topic",),
    "entities": ("type", "country", "source"),
    "mentions": ("entity_id",),
    "quotes": ("speaker", "speaker_entity_id", "cue", "channel", "kind"),
    "speakers": ("country", "category"),
    "keywords": ("level",),
}

# Columns that tables written by an earlier pipeline lack: filled with "" (0 for numbers) when
# absent, so those tables stay readable. ``quotes.speaker_country`` (ISO alpha-3 of the speaker's
# side, from the article) is used, where set, instead of joining the speakers/entities tables.
OPTIONAL_COLUMNS = {
    "quotes": ("speaker_country", "country_evidence", "speaker_description", "speaker_category"),
    "speakers": ("country_evidence", "country_articles", "role_evidence"),
}


class TablesError(Exception):
    """The tables are missing or unreadable; the message says which and how to rebuild."""


def pipeline_columns(table: str) -> list[str]:
    return [f.name for f in fields(TABLES[table])]


def _field_types(table: str) -> dict[str, str]:
    return {f.name: str(f.type) for f in fields(TABLES[table])}


@dataclass
class TableFrames:
    """One DataFrame per pipeline table (the corpus, or a filtered selection of it)."""

    articles: pd.DataFrame
    sections: pd.DataFrame
    paragraphs: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    quotes: pd.DataFrame
    speakers: pd.DataFrame
    keywords: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


@dataclass
class Corpus(TableFrames):
    # paragraph-topic pairs: columns _pkey, topic (one row per topic a paragraph carries)
    paragraph_topics: pd.DataFrame
    # quote-entity pairs: _qkey, _eid for every mention that lies inside a quote's span
    quote_mentions: pd.DataFrame
    token: str = ""

    @property
    def has_dates(self) -> bool:
        return bool(self.articles["_date"].notna().any())

    @property
    def is_empty(self) -> bool:
        return len(self.articles) == 0


# --------------------------------------------------------------------------- reading

def table_token(out: Path) -> str:
    """A cheap fingerprint of the tables on disk (names, sizes, mtimes): the cache key."""
    h = hashlib.sha256(str(Path(out).resolve()).encode())
    for name in (*TABLE_NAMES, "manifest"):
        for suffix in (".parquet", ".csv", ".json"):
            p = out / f"{name}{suffix}"
            try:
                st = p.stat()
            except OSError:
                continue
            h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def _coerce(df: pd.DataFrame, table: str) -> pd.DataFrame:
    types = _field_types(table)
    optional = OPTIONAL_COLUMNS.get(table, ())
    absent = [c for c in optional if c not in df.columns]
    if absent:
        df = df.assign(**{c: "" for c in absent})
    missing = [c for c in types if c not in df.columns]
    if missing:
        raise TablesError(f"{table} table lacks column(s) {', '.join(missing)}")
    out = {}
    cats = _CATEGORICAL.get(table, ())
    for name, typ in types.items():
        col = df[name]
        if typ == "int":
            out[name] = pd.to_numeric(col, errors="coerce").fillna(0).astype("int64").to_numpy()
        elif typ == "float":
            out[name] = pd.to_numeric(col, errors="coerce").astype("float64").to_numpy()
        else:
            if not isinstance(col.dtype, pd.ArrowDtype) or col.dtype != STR:
                col = col.astype(object).where(col.notna(), "").astype(str).astype(STR)
            else:
                col = col.fillna("")
            if name in cats:
                col = col.astype(object).astype("category")
            out[name] = col.reset_index(drop=True) if isinstance(col, pd.Series) else col
    for name in optional:
        if name not in out:
            col = df[name]
            out[name] = col.astype(object).where(col.notna(), "").astype(str).astype(STR).reset_index(drop=True)
    return pd.DataFrame(out)


def _types_mapper(t: pa.DataType):
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return STR
    return None


def read_table(out: Path, table: str) -> pd.DataFrame:
    """One table with its pipeline columns and types; Parquet first, CSV as fallback."""
    pq_path, csv_path = out / f"{table}.parquet", out / f"{table}.csv"
    errors = []
    if pq_path.exists():
        try:
            at = pq.read_table(pq_path).combine_chunks()  # one chunk: fast masks and takes
            return _coerce(at.to_pandas(types_mapper=_types_mapper), table)
        except TablesError:
            raise
        except Exception as exc:  # noqa: BLE001 - any reader failure means "unreadable"
            errors.append(f"{pq_path.name}: {exc.__class__.__name__}: {exc}")
    if csv_path.exists():
        try:
            df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
            return _coerce(df, table)
        except TablesError:
            raise
        except Exception as exc:  # noqa: BLE001
            errors.append(f"{csv_path.name}: {exc.__class__.__name__}: {exc}")
    if errors:
        raise TablesError(f"The {table} table could not be read ({'; '.join(errors)}).")
    raise TablesError(f"The {table} table is missing ({pq_path}).")


def tables_present(out: Path) -> bool:
    return all((out / f"{t}.parquet").exists() or (out / f"{t}.csv").exists() for t in TABLE_NAMES)


def tables_written_at(out: Path) -> datetime | None:
    """When the tables in ``out`` were written (the manifest is written last), or None if unknown."""
    for name in ("manifest.json", "articles.parquet", "articles.csv"):
        try:
            return datetime.fromtimestamp((Path(out) / name).stat().st_mtime)
        except OSError:
            continue
    return None


# --------------------------------------------------------------------------- keys

def distinct_pairs(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """Mask of the first occurrence of each (major, minor) int pair (hash-based, O(n))."""
    if len(major) == 0:
        return np.zeros(0, dtype=bool)
    width = int(max(minor.max(), 0)) + 1
    return ~pd.Series(major.astype(np.int64) * width + minor.astype(np.int64)).duplicated().to_numpy()


def _arrow(series: pd.Series) -> pa.ChunkedArray | pa.Array:
    """A string column as Arrow (zero-copy for Arrow-backed columns)."""
    if isinstance(series.dtype, pd.ArrowDtype):
        return series.array.__arrow_array__()
    return pa.array(series.astype(object).where(series.notna(), "").astype(str), type=pa.string())


def _string_index(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Position in ``keys`` of every value (first occurrence); -1 where absent. Vectorised."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = pd.Series(values.cat.categories.astype(str), dtype=STR)
        pos = _string_index(cats, keys)
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, pos[np.clip(codes, 0, None)] if len(pos) else -1, -1).astype(np.int64)
    key_arr = _arrow(keys.astype(object).astype(str).astype(STR) if not isinstance(keys.dtype, pd.ArrowDtype) else keys)
    if isinstance(key_arr, pa.ChunkedArray):
        key_arr = key_arr.combine_chunks()
    idx = pc.index_in(_arrow(values), value_set=key_arr)
    return np.asarray(pc.fill_null(idx, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _pair_index(values_major: np.ndarray, values_minor: np.ndarray,
                keys_major: np.ndarray, keys_minor: np.ndarray) -> np.ndarray:
    """Row in keys of every (major, minor) int pair; -1 where absent (majors are >= 0 row keys)."""
    if len(values_major) == 0:
        return np.zeros(0, dtype=np.int64)
    width = int(max(values_minor.max(initial=0), keys_minor.max(initial=0))) + 1
    kk = keys_major.astype(np.int64) * width + keys_minor.astype(np.int64)
    vv = values_major.astype(np.int64) * width + values_minor.astype(np.int64)
    order = np.argsort(kk, kind="stable")
    sk = kk[order]
    pos = np.searchsorted(sk, vv)
    pos_c = np.clip(pos, 0, max(len(sk) - 1, 0))
    found = (len(sk) > 0) & (sk[pos_c] == vv) & (values_major >= 0) & (values_minor >= 0)
    return np.where(found, order[pos_c] if len(sk) else -1, -1).astype(np.int64)


def _str_or_empty(series: pd.Series) -> np.ndarray:
    return series.astype(object).fillna("").astype(str).to_numpy()


def build_corpus_frame(raw: dict[str, pd.DataFrame], token: str = "") -> Corpus:
    """Add the integer keys and derived columns to freshly read tables."""
    a = raw["articles"].copy()
    s = raw["sections"].copy()
    p = raw["paragraphs"].copy()
    e = raw["entities"].drop_duplicates("entity_id").reset_index(drop=True)
    m = raw["mentions"].copy()
    q = raw["quotes"].copy()
    sp = raw["speakers"].copy()
    k = raw["keywords"].copy()

    a = a.drop_duplicates("article_id").reset_index(drop=True)
    a["_aid"] = np.arange(len(a), dtype=np.int64)
    a["_date"] = pd.to_datetime(a["published"].astype(object).replace("", None), errors="coerce",
                                format="ISO8601")

    for df in (s, p, m, q):
        df["_aid"] = _string_index(df["article_id"], a["article_id"])
    s["_skey"] = np.arange(len(s), dtype=np.int64)
    p["_pkey"] = np.arange(len(p), dtype=np.int64)
    p["_skey"] = _pair_index(p["_aid"].to_numpy(), p["section_id"].to_numpy(), s["_aid"].to_numpy(),
                             s["section_id"].to_numpy())
    par_aid, par_pid = p["_aid"].to_numpy(), p["paragraph_id"].to_numpy()
    m["_pkey"] = _pair_index(m["_aid"].to_numpy(), m["paragraph_id"].to_numpy(), par_aid, par_pid)
    q["_pkey"] = _pair_index(q["_aid"].to_numpy(), q["paragraph_id"].to_numpy(), par_aid, par_pid)
    e["_eid"] = np.arange(len(e), dtype=np.int64)
    m["_eid"] = _string_index(m["entity_id"], e["entity_id"])
    # first mention of its entity in its article: counts articles per entity with a bincount
    m["_first"] = distinct_pairs(m["_eid"].to_numpy(), m["_aid"].to_numpy())

    # keywords: corpus rows have no article; section ids are text
    k["_aid"] = _string_index(k["article_id"], a["article_id"])
    if len(k):
        sec_id = pd.to_numeric(k["section_id"].astype(object).replace("", None), errors="coerce")
        k["_skey"] = _pair_index(k["_aid"].to_numpy(), sec_id.fillna(-1).astype("int64").to_numpy(),
                                 s["_aid"].to_numpy(), s["section_id"].to_numpy())
    else:
        k["_skey"] = np.zeros(0, dtype=np.int64)

    # quotes: quote groups, speaker attributes
    q["_qkey"] = pd.factorize(q["article_id"].astype(str) + "\x1f" + q["quote_id"].astype(str))[0].astype(np.int64)
    q["_spk_eid"] = _string_index(q["speaker_entity_id"], e["entity_id"])
    q["_words"] = quoted_word_counts(q["text"]) if len(q) else np.zeros(0, np.int64)
    side, category = _speaker_attributes(q, sp, e)
    q["_side"] = pd.Categorical(side)
    q["_category"] = pd.Categorical(category)
    q["_basis"] = pd.Categorical(side_basis(side, _str_or_empty(q["country_evidence"])))

    paragraph_topics = _paragraph_topics(p)
    quote_mentions = _quote_mentions(q, m)
    return Corpus(articles=a, sections=s, paragraphs=p, entities=e, mentions=m, quotes=q, speakers=sp,
                  keywords=k, paragraph_topics=paragraph_topics, quote_mentions=quote_mentions, token=token)


SIDE_STATED, SIDE_CORPUS, SIDE_GUESSED, SIDE_NOT_KNOWN = ("said in the article", "said in other articles",
                                                          "guessed from the setting", "not known")
SIDE_BASES = (SIDE_STATED, SIDE_CORPUS, SIDE_GUESSED, SIDE_NOT_KNOWN)


def quoted_word_counts(text: pd.Series) -> np.ndarray:
    """Words of each quote's text: its whitespace tokens, less the " … " that stands for the attribution
    inside a quote split by it (pipeline.records.PIECE_JOINER; an ellipsis glued to a word stays a word)."""
    tokens = text.str.split()
    counts = tokens.list.len() if isinstance(tokens.dtype, pd.ArrowDtype) else tokens.str.len()
    return (counts - text.str.count(re.escape(PIECE_JOINER))).astype("float64").fillna(0).astype("int64").to_numpy()


def side_basis(side: np.ndarray, evidence: np.ndarray) -> np.ndarray:
    """How each quote's speaker country is known: from what the article (or the catalog) says of the
    speaker, from what other articles of the corpus say (``other articles:`` evidence), guessed from the
    article's setting (``setting:`` evidence), or not known."""
    side = np.asarray(side, dtype=object)
    evidence = np.asarray(evidence, dtype=str)
    guessed = np.char.startswith(evidence, SETTING_PREFIX)
    corpus = np.char.startswith(evidence, CORPUS_PREFIX)
    return np.where(side == UNKNOWN, SIDE_NOT_KNOWN,
                    np.where(guessed, SIDE_GUESSED, np.where(corpus, SIDE_CORPUS, SIDE_STATED)))


def _speaker_attributes(q: pd.DataFrame, sp: pd.DataFrame, e: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each quote's speaker country (``side``) and category; ``unknown`` when not known.

    The country is the quote's own ``speaker_country`` when the pipeline wrote one; else the
    speakers table's country (by speaker entity id, then by name); else the speaker entity's country.
    The category is the speakers table's; else the quote's own ``speaker_category``.
    """
    n = len(q)
    side = np.full(n, "", dtype=object)
    cat = np.full(n, "", dtype=object)
    if n == 0:
        return side, cat
    spk_eid = _str_or_empty(q["speaker_entity_id"])
    spk_name = _str_or_empty(q["speaker"])
    if len(sp):
        by_id = sp[sp["entity_id"].astype(str) != ""].drop_duplicates("entity_id")
        id_country = dict(zip(by_id["entity_id"].astype(str), _str_or_empty(by_id["country"])))
        id_cat = dict(zip(by_id["entity_id"].astype(str), _str_or_empty(by_id["category"])))
        by_name = sp.drop_duplicates("name")
        name_country = dict(zip(by_name["name"].astype(str), _str_or_empty(by_name["country"])))
        name_cat = dict(zip(by_name["name"].astype(str), _str_or_empty(by_name["category"])))
        keys = pd.Series(spk_eid)
        names = pd.Series(spk_name)
        side = keys.map(id_country).fillna(names.map(name_country)).fillna("").to_numpy(dtype=object)
        cat = keys.map(id_cat).fillna(names.map(name_cat)).fillna("").to_numpy(dtype=object)
    if len(e):
        ent_country = dict(zip(e["entity_id"].astype(str), _str_or_empty(e["country"])))
        fallback = pd.Series(spk_eid).map(ent_country).fillna("").to_numpy(dtype=object)
        side = np.where(side == "", fallback, side)
    if "speaker_country" in q.columns:
        own = _str_or_empty(q["speaker_country"])
        side = np.where(own != "", own, side)
    if "speaker_category" in q.columns:
        # unnamed speakers ("a senior official") have no speakers-table row: their quote's own category
        own = _str_or_empty(q["speaker_category"])
        cat = np.where((cat == "") | (cat == UNKNOWN), own, cat)
    side = np.where(side == "", UNKNOWN, side)
    cat = np.where(cat == "", UNKNOWN, cat)
    return side, cat


def _paragraph_topics(p: pd.DataFrame) -> pd.DataFrame:
    if len(p) == 0:
        return pd.DataFrame({"_pkey": np.zeros(0, np.int64), "topic": pd.Categorical([]),
                             "_aid": np.zeros(0, np.int64)})
    arr = _arrow(p["topics"])
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    parts = pc.split_pattern(pc.fill_null(arr, ""), ";")
    flat = pc.list_flatten(parts)
    parents = pc.list_parent_indices(parts)
    df = pd.DataFrame({"_pkey": np.asarray(parents, dtype=np.int64),
                       "topic": pc.utf8_trim_whitespace(flat).to_pandas()})
    df = df[(df["topic"] != "").to_numpy(dtype=bool)]
    df["topic"] = df["topic"].astype(object).astype("category")
    df = df.drop_duplicates().reset_index(drop=True)
    df["_aid"] = p["_aid"].to_numpy()[df["_pkey"].to_numpy()]
    return df


def _quote_mentions(q: pd.DataFrame, m: pd.DataFrame) -> pd.DataFrame:
    """(quote, entity) pairs for mentions lying inside a quote's character span."""
    empty = pd.DataFrame({"_qkey": np.zeros(0, np.int64), "_eid": np.zeros(0, np.int64)})
    if len(q) == 0 or len(m) == 0:
        return empty
    qq = pd.DataFrame({"_pkey": q["_pkey"].to_numpy(), "_qkey": q["_qkey"].to_numpy(),
                       "qs": q["char_start"].to_numpy(), "qe": q["char_end"].to_numpy()})
    mm = pd.DataFrame({"_pkey": m["_pkey"].to_numpy(), "_eid": m["_eid"].to_numpy(),
                       "ms": m["char_start"].to_numpy(), "me": m["char_end"].to_numpy()})
    qq = qq[qq["_pkey"] >= 0]
    mm = mm[(mm["_pkey"] >= 0) & (mm["_eid"] >= 0) & mm["_pkey"].isin(qq["_pkey"])]
    j = mm.merge(qq, on="_pkey")
    j = j[(j["ms"] >= j["qs"]) & (j["me"] <= j["qe"])]
    return j[["_qkey", "_eid"]].drop_duplicates().reset_index(drop=True)


def load_corpus(out: Path) -> Corpus:
    """Read every table under ``out``; raise ``TablesError`` with a readable message on failure."""
    out = Path(out)
    raw = {t: read_table(out, t) for t in TABLE_NAMES}
    try:
        return build_corpus_frame(raw, token=table_token(out))
    except TablesError:
        raise
    except Exception as exc:  # noqa: BLE001 - inconsistent tables are "unreadable" to the user
        raise TablesError(f"The tables are inconsistent ({exc.__class__.__name__}: {exc}).") from exc


def empty_corpus() -> Corpus:
    raw = {t: _coerce(pd.DataFrame({c: [] for c in pipeline_columns(t)}), t) for t in TABLE_NAMES}
    return build_corpus_frame(raw)


def public(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """The pipeline columns only, in pipeline order."""
    return df[pipeline_columns(table)]
