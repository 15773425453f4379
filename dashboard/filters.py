"""Pure, vectorised filters over a ``Corpus`` (no Streamlit).

Semantics (values within one filter are OR-ed, different filters are AND-ed):

* article-level: ``dyad``, ``outlet``, ``article`` (article_id) and the date range keep articles,
  and everything inside them.
* ``topic`` keeps the paragraphs labelled with one of the topics (and the quotes, mentions in them,
  the sections holding them).
* ``entity`` (entity names) keeps the paragraphs that mention the entity, the mentions in those
  paragraphs (so the entities mentioned with it), and the quotes *by* the entity or *mentioning* it
  (a mention inside the quote's span). A quote spanning paragraphs is kept or dropped whole.
* ``side`` (speaker's country, ISO alpha-3 or ``unknown``), ``basis`` (how that country is known: said in
  the article, guessed from its setting, not known) and ``category`` (speaker category)
  keep the quotes whose speaker matches, and the speakers; they do not narrow the other tables.

Articles, sections and keywords follow: with a paragraph-scoping filter (topic/entity) an article
is kept when it keeps a paragraph or a quote. Corpus-level keywords describe the whole corpus and
are kept only when no filter is active.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from dashboard.safe_text import MAX_VALUE_CHARS, clip
from dashboard.tables import Corpus, TableFrames

MULTI_KEYS = ("entity", "topic", "dyad", "outlet", "side", "basis", "category", "article")
DATE_KEYS = ("from", "to")
MAX_QUERY_VALUES = 50  # values used per query parameter (more is never a real selection)


@dataclass(frozen=True)
class QueryCut:
    """A query parameter that was cut: ``kept`` is the (first) value as used now."""

    key: str
    kept: str
    note: str  # plain text for the user


def bounded_query(params: Mapping[str, Iterable[str]]) -> tuple[dict[str, list[str]], list[QueryCut]]:
    """The query values cut to ``MAX_VALUE_CHARS`` characters and ``MAX_QUERY_VALUES`` per parameter.

    A 50,000-character value (or thousands of values) is echoed into widgets, warnings and the URL
    on every rerun and keeps the browser busy (30 s reported); no name, term or id is that long,
    so the rest is dropped and a note says so.
    """
    out: dict[str, list[str]] = {}
    cuts: list[QueryCut] = []
    for key, values in params.items():
        values = [str(v) for v in values]
        if len(values) > MAX_QUERY_VALUES:
            cuts.append(QueryCut(key, "", f"The link holds {len(values):,} values for “{key}”; "
                                          f"only the first {MAX_QUERY_VALUES} are used."))
            values = values[:MAX_QUERY_VALUES]
        kept = []
        for v in values:
            short, was_cut = clip(v)
            if was_cut:
                cuts.append(QueryCut(key, short, f"A “{key}” value in the link is {len(v):,} characters long; "
                                                 f"only its first {MAX_VALUE_CHARS} are used."))
            kept.append(short)
        out[key] = kept
    return out, cuts


@dataclass(frozen=True)
class Filters:
    entity: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    dyad: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    side: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()     # how the speaker's country is known (dashboard.tables.side_basis)
    category: tuple[str, ...] = ()
    article: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def to_query(self) -> dict[str, list[str]]:
        """Query-string form: repeated parameters, empty filters left out."""
        q = {k: list(getattr(self, k)) for k in MULTI_KEYS if getattr(self, k)}
        if self.date_from:
            q["from"] = [self.date_from.isoformat()]
        if self.date_to:
            q["to"] = [self.date_to.isoformat()]
        return q

    @classmethod
    def from_query(cls, params: Mapping[str, Iterable[str] | str]) -> "Filters":
        def values(key: str) -> tuple[str, ...]:
            v = params.get(key, ())
            if isinstance(v, str):
                v = [v]
            seen: dict[str, None] = {}
            for x in v:
                x = str(x).strip()
                if x:
                    seen.setdefault(x, None)
            return tuple(seen)

        def day(key: str) -> date | None:
            for v in values(key):
                try:
                    return date.fromisoformat(v[:10])
                except ValueError:
                    return None
            return None

        return cls(**{k: values(k) for k in MULTI_KEYS}, date_from=day("from"), date_to=day("to"))


@dataclass
class Selection(TableFrames):
    """The filtered rows of every table (internal ``_`` columns kept)."""

    unknown: dict[str, list[str]] = field(default_factory=dict)  # filter values that match nothing
    whole_articles: bool = True  # mentions/paragraphs hold whole articles (no topic/entity filter)


def entity_ids_for(corpus: Corpus, names: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Entity row keys (``_eid``) for names (exact, then case-insensitive); and unknown names."""
    ents = corpus.entities
    names = list(names)
    if not names:
        return np.zeros(0, dtype=np.int64), []
    ent_names = ents["name"].astype(object).astype(str)
    lower = ent_names.str.casefold()
    eids, unknown = [], []
    for n in names:
        hit = ents["_eid"].to_numpy()[(ent_names == n).to_numpy()]
        if len(hit) == 0:
            hit = ents["_eid"].to_numpy()[(lower == n.casefold()).to_numpy()]
        if len(hit) == 0:
            hit = ents["_eid"].to_numpy()[(ents["entity_id"].astype(object) == n).to_numpy()]
        if len(hit) == 0:
            unknown.append(n)
        eids.extend(hit.tolist())
    return np.unique(np.asarray(eids, dtype=np.int64)), unknown


def _mask_from_keys(n: int, keys: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    keys = keys[keys >= 0]
    mask[keys] = True
    return mask


def _take(mask: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """mask[keys] with -1 keys mapped to False."""
    if len(mask) == 0:
        return np.zeros(len(keys), dtype=bool)
    out = mask[np.clip(keys, 0, None)]
    return out & (keys >= 0)


def _rows(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``df[mask]``, without a copy when every row is kept."""
    return df if bool(mask.all()) else df[mask]


def _isin(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    return series.isin(list(values)).to_numpy(dtype=bool)


def article_mask(corpus: Corpus, f: Filters) -> np.ndarray:
    a = corpus.articles
    mask = np.ones(len(a), dtype=bool)
    if f.dyad:
        mask &= _isin(a["dyad"], f.dyad)
    if f.outlet:
        mask &= _isin(a["outlet"], f.outlet)
    if f.article:
        mask &= _isin(a["article_id"], f.article)
    if f.date_from is not None or f.date_to is not None:
        d = a["_date"]
        ok = d.notna().to_numpy()
        if f.date_from is not None:
            ok &= (d >= pd.Timestamp(f.date_from)).to_numpy()
        if f.date_to is not None:
            ok &= (d < pd.Timestamp(f.date_to) + pd.Timedelta(days=1)).to_numpy()
        mask &= ok
    return mask


def apply_filters(corpus: Corpus, f: Filters) -> Selection:
    c = corpus
    n_art, n_par = len(c.articles), len(c.paragraphs)
    unknown: dict[str, list[str]] = {}

    art = article_mask(c, f)
    par = _take(art, c.paragraphs["_aid"].to_numpy())
    m_pkey = c.mentions["_pkey"].to_numpy()
    q_pkey = c.quotes["_pkey"].to_numpy()
    q_aid = c.quotes["_aid"].to_numpy()
    quo = _take(art, q_aid)

    if f.topic:
        pt = c.paragraph_topics
        topic_par = _mask_from_keys(n_par, pt["_pkey"].to_numpy()[_isin(pt["topic"], f.topic)])
        par &= topic_par
        quo &= _take(topic_par, q_pkey)

    eids = np.zeros(0, dtype=np.int64)
    if f.entity:
        eids, missing = entity_ids_for(c, f.entity)
        if missing:
            unknown["entity"] = missing
        m_hit = np.isin(c.mentions["_eid"].to_numpy(), eids)
        par &= _mask_from_keys(n_par, m_pkey[m_hit])
        qm = c.quote_mentions
        q_keys = np.concatenate([
            c.quotes["_qkey"].to_numpy()[np.isin(c.quotes["_spk_eid"].to_numpy(), eids)],
            qm["_qkey"].to_numpy()[np.isin(qm["_eid"].to_numpy(), eids)],
        ])
        n_q = int(c.quotes["_qkey"].max()) + 1 if len(c.quotes) else 0
        quo &= _take(_mask_from_keys(n_q, q_keys), c.quotes["_qkey"].to_numpy())

    if f.side:
        quo &= _isin(c.quotes["_side"], f.side)
    if f.basis:
        quo &= _isin(c.quotes["_basis"], f.basis)
    if f.category:
        quo &= _isin(c.quotes["_category"], f.category)

    if f.topic or f.entity:
        keep_art = _mask_from_keys(n_art, np.concatenate([
            c.paragraphs["_aid"].to_numpy()[par], q_aid[quo]]))
        art &= keep_art

    paragraphs = _rows(c.paragraphs, par)
    mentions = _rows(c.mentions, _take(par, m_pkey))
    quotes = _rows(c.quotes, quo)

    s_aid = c.sections["_aid"].to_numpy()
    if f.topic or f.entity:
        sec_keys = np.concatenate([paragraphs["_skey"].to_numpy(),
                                   c.paragraphs["_skey"].to_numpy()[np.clip(quotes["_pkey"].to_numpy(), 0, None)]
                                   if n_par else np.zeros(0, np.int64)])
        sec = _mask_from_keys(len(c.sections), sec_keys)
    else:
        sec = _take(art, s_aid)
    sections = _rows(c.sections, sec)

    k = c.keywords
    k_aid, k_skey = k["_aid"].to_numpy(), k["_skey"].to_numpy()
    is_corpus = (k["level"] == "corpus").to_numpy(dtype=bool)
    is_section = (k["level"] == "section").to_numpy(dtype=bool)
    kw = np.where(is_corpus, not f.active, np.where(is_section, _take(sec, k_skey), _take(art, k_aid)))
    keywords = _rows(k, kw.astype(bool))

    if f.active:
        ent_keys = np.concatenate([mentions["_eid"].to_numpy(), quotes["_spk_eid"].to_numpy()])
        entities = c.entities[_mask_from_keys(len(c.entities), ent_keys)]
    else:
        entities = c.entities

    speakers = select_speakers(c, quotes, filtered=f.active)
    return Selection(articles=_rows(c.articles, art), sections=sections, paragraphs=paragraphs, entities=entities,
                     mentions=mentions, quotes=quotes, speakers=speakers, keywords=keywords, unknown=unknown,
                     whole_articles=not (f.topic or f.entity))


def select_speakers(c: Corpus, quotes: pd.DataFrame, *, filtered: bool) -> pd.DataFrame:
    """The speakers rows of the speakers quoted in ``quotes`` (all of them when unfiltered)."""
    sp = c.speakers
    if not filtered:
        return sp
    ids = {str(x) for x in quotes["speaker_entity_id"].dropna().unique()} - {""}
    names = {str(x) for x in quotes["speaker"].dropna().unique()} - {""}
    sp_ids = sp["entity_id"].astype(object).astype(str)
    mask = sp_ids.isin(ids) | ((sp_ids == "") & sp["name"].astype(object).isin(names))
    return sp[mask.to_numpy()]

