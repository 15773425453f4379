"""Pipeline-shaped synthetic tables: for benchmarks (10k/100k articles) and tests.

``generate(n_articles)`` returns one DataFrame per table with exactly the pipeline's columns;
``write_tables`` writes them the way the pipeline does (one Parquet + one CSV per table, plus
manifest.json). Offsets are consistent: every mention and quote span indexes into its paragraph.
"""
from __future__ import annotations

import json
import random
from dataclasses import MISSING, fields
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.tables import TABLE_NAMES, pipeline_columns, quoted_word_counts
from pipeline.records import TABLES

COUNTRIES = [("CHN", "China"), ("RUS", "Russia"), ("USA", "United States"), ("UKR", "Ukraine"),
             ("IND", "India"), ("DEU", "Germany")]
PEOPLE = [
    ("person:xi-jinping", "Xi Jinping", "CHN", "official", "President", "Government of China"),
    ("person:vladimir-putin", "Vladimir Putin", "RUS", "official", "President", "Kremlin"),
    ("person:artem-loginov", "Artem Loginov", "RUS", "academic and think tank", "Director",
     "Moscow State University"),
    ("person:lu-wenqing", "Lu Wenqing", "CHN", "academic and think tank", "Professor",
     "China Foreign Affairs University"),
    ("person:pavel-sorokin", "Pavel Sorokin", "RUS", "business", "Vice President", "Volga Export Agency"),
    ("person:wang-yi", "Wang Yi", "CHN", "official", "Foreign Minister", "Ministry of Foreign Affairs"),
    ("person:sergei-lavrov", "Sergei Lavrov", "RUS", "official", "Foreign Minister", "Foreign Ministry"),
    ("person:gao-ming", "Gao Ming", "CHN", "academic and think tank", "Scholar", "East China Normal University"),
    # invented speakers from third countries and of unknown country (the pair view's other groups)
    ("person:maren-okafor", "Maren Okafor", "USA", "media", "Correspondent", "The Daily Ledger"),
    ("person:ravi-menon-das", "Ravi Menon-Das", "IND", "academic and think tank", "Senior Fellow",
     "Centre for Policy Futures"),
    ("person:tomas-rainer", "Tomas Rainer", "", "unknown", "Consultant", ""),
]
ORGS = [("org:brics", "BRICS", ""), ("org:sco", "Shanghai Cooperation Organization", ""),
        ("org:un", "United Nations", ""), ("org:global-times", "Global Times", "CHN"),
        ("org:tass", "TASS", "RUS")]
PLACES = [("place:beijing", "Beijing", "CHN"), ("place:moscow", "Moscow", "RUS"), ("place:harbin", "Harbin", "CHN")]
TOPICS = ["diplomacy", "trade", "energy", "security", "technology", "culture"]
OUTLETS = ["Global Times", "TASS", "Xinhua", "RT", "China Daily"]
FILLER = ("relations cooperation partnership trade energy security summit talks market growth "
          "investment technology region strategic bilateral visit development policy").split()
CUES = ["said", "told", "noted", "added", "according to"]


def _extra_people(n: int) -> list[tuple]:
    out = []
    for i in range(n):
        code = COUNTRIES[i % 2][0]
        out.append((f"person:expert-{i}", f"Expert {i:03d}", code,
                    ["official", "academic and think tank", "business", "media", "politician"][i % 5],
                    "Analyst", f"Institute {i % 17}"))
    return out


def generate(n_articles: int, *, seed: int = 7, extra_people: int = 60) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed)
    people = PEOPLE + _extra_people(extra_people)
    country_of = {p[0]: p[2] for p in people}  # quotes.speaker_country (empty: not known)
    ents = ([(c, n, "country", c, "", "catalog", "") for c, n in COUNTRIES]
            + [(pid, n, "person", c, role, "catalog", aff) for pid, n, c, _, role, aff in people]
            + [(oid, n, "organization", c, "", "catalog", "") for oid, n, c in ORGS]
            + [(pid, n, "place", c, "", "catalog", "") for pid, n, c in PLACES])
    mentionable = [(e[0], e[1]) for e in ents]
    rows = {t: [] for t in TABLE_NAMES}
    start = date(2023, 1, 1)
    for ai in range(n_articles):
        aid = f"a{ai:06d}"
        n_sec = rng.randint(1, 3)
        n_par = rng.randint(6, 14)
        outlet = OUTLETS[ai % len(OUTLETS)]
        published = (start + timedelta(days=rng.randint(0, 700))).isoformat() if ai % 10 else ""
        total_words = 0
        sec_of = sorted(rng.randrange(n_sec) for _ in range(n_par))
        sec_of[0] = 0
        sec_topics = [rng.choice(TOPICS) for _ in range(n_sec)]
        for s in range(n_sec):
            rows["sections"].append((aid, s, "" if s == 0 else f"On {sec_topics[s]}", s,
                                     sec_of.count(s), sec_topics[s]))
        qn = 0
        for pi in range(n_par):
            parts: list[str] = []
            pos = 0
            ments = []
            for _ in range(rng.randint(1, 4)):
                words = " ".join(rng.choice(FILLER) for _ in range(rng.randint(4, 12)))
                parts.append(words + " ")
                pos += len(words) + 1
                eid, name = rng.choice(mentionable)
                ments.append((aid, pi, eid, name, pos, pos + len(name)))
                parts.append(name + " ")
                pos += len(name) + 1
            if rng.random() < 0.35:
                pid, pname = rng.choice(people)[:2]
                qwords = " ".join(rng.choice(FILLER) for _ in range(rng.randint(8, 20)))
                if rng.random() < 0.3:
                    eid, name = rng.choice(mentionable)
                    qwords = f"{qwords} {name}"
                    qstart = pos + 1
                    ments.append((aid, pi, eid, name, qstart + len(qwords) - len(name), qstart + len(qwords)))
                qtext_start = pos + 1
                parts.append(f"“{qwords}”, {pname} said.")
                cue = rng.choice(CUES)
                rows["quotes"].append((aid, pi, f"{aid}-q{qn}", pname, pid, cue, outlet,
                                       "direct" if qn % 3 else "indirect", qwords,
                                       qtext_start, qtext_start + len(qwords), country_of[pid]))
                ments.append((aid, pi, pid, pname, qtext_start + len(qwords) + 3,
                              qtext_start + len(qwords) + 3 + len(pname)))
                qn += 1
            text = "".join(parts).strip()
            total_words += len(text.split())
            topics = ";".join(sorted({sec_topics[sec_of[pi]], rng.choice(TOPICS)}))
            rows["paragraphs"].append((aid, pi, sec_of[pi], text, topics, ""))
            rows["mentions"].extend(ments)
        title = (f"Article {ai}: delegations review {sec_topics[0]} cooperation and the outlook for next year"
                 if ai % 7 == 3 else f"Article {ai}: {sec_topics[0]} talks")
        dyad = "CHN-IND" if ai % 9 == 5 else "CHN-USA" if ai % 11 == 6 else "CHN-RUS" if ai % 4 else "RUS-USA"
        rows["articles"].append((aid, f"seed/{aid}.txt", title, "", outlet, "", published, "", dyad, total_words,
                                 n_par, f"{ai:064x}"))
        for r in range(3):
            rows["keywords"].append(("article", aid, "", rng.choice(FILLER) + " " + rng.choice(FILLER),
                                     round(rng.random() / 10, 4), r + 1))
        rows["keywords"].append(("section", aid, "0", rng.choice(FILLER), 0.05, 1))
    for r, w in enumerate(FILLER[:10]):
        rows["keywords"].append(("corpus", "", "", w, round(0.01 * (r + 1), 4), r + 1))
    rows["entities"] = ents
    tables = {t: _frame(t, rows[t]) for t in TABLE_NAMES if t != "speakers"}
    tables["speakers"] = speakers_from(tables["quotes"], people)
    return tables


def _defaults(table: str) -> dict:
    """Each column's default (the record field's, else "" or 0): for columns the rows leave out."""
    out = {}
    for f in fields(TABLES[table]):
        out[f.name] = f.default if f.default is not MISSING else (0 if str(f.type) in ("int", "float") else "")
    return out


def _frame(table: str, rows: list[tuple]) -> pd.DataFrame:
    """Rows giving the table's first columns; the columns after them get their defaults."""
    cols = pipeline_columns(table)
    width = len(rows[0]) if rows else len(cols)
    df = pd.DataFrame(rows, columns=cols[:width])
    return complete(df, table)


def complete(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` with every pipeline column of ``table`` (missing ones filled with their defaults), in order."""
    defaults = _defaults(table)
    cols = pipeline_columns(table)
    return df.assign(**{c: defaults[c] for c in cols if c not in df.columns})[cols]


def speakers_from(quotes: pd.DataFrame, people: list[tuple]) -> pd.DataFrame:
    info = {p[0]: p for p in people}
    out = []
    if len(quotes):
        q = quotes.assign(words=quoted_word_counts(quotes["text"]))
        for (name, eid), g in q.groupby(["speaker", "speaker_entity_id"], sort=True):
            p = info.get(eid, (eid, name, "", "unknown", "", ""))
            out.append((name, eid, p[4], p[5], p[2], p[3], int((g["kind"] == "direct").sum()),
                        int((g["kind"] == "indirect").sum()), int(g["words"].sum()), int(g["article_id"].nunique())))
    return _frame("speakers", out)


def write_tables(tables: dict[str, pd.DataFrame], out: Path, *, csv: bool = True) -> None:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLE_NAMES:
        df = complete(tables.get(name, pd.DataFrame(columns=pipeline_columns(name))), name)
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), out / f"{name}.parquet")
        if csv:
            df.to_csv(out / f"{name}.csv", index=False)
    (out / "manifest.json").write_text(json.dumps({
        "tables": {n: len(tables.get(n, ())) for n in TABLE_NAMES}, "source": "dashboard.synthetic"}))
