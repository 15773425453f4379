"""`python -m pipeline eval GOLD_DIR [--out DIR]`: build a gold set's articles and score the tables.

Two kinds of gold set (formats in docs/quotes.md, "Evaluation"):

* quotes:    GOLD_DIR/texts/*.txt + GOLD_DIR/gold.jsonl, one attribution per line
             ({"doc", "kind": direct|indirect, "content", "quoted"?, "source"?, "reference"?, ...}).
* countries: GOLD_DIR/articles.jsonl + GOLD_DIR/gold.jsonl ({"id", "places": [ISO3 or Reuters names]}).

The scoring functions are pure (tables as lists of dicts + gold lines in, numbers out), so they are tested
on tiny hand-made tables. Definitions:

* a predicted quote matches a gold one when the overlap of their word multisets divided by the longer
  word count is >= 0.3 (lenient) or >= 0.8 (strict); pairs are taken one to one, best overlap first;
* "direct": predicted quotes of kind direct against the words inside the gold quotation marks
  (``quoted``, else ``content``); "all": every predicted quote against every gold attribution's content;
* speaker accuracy: over matched pairs whose gold speaker is a name, right when one of the gold
  speaker's surnames (last word of each run of capitalised words, titles dropped) is among the
  predicted speaker's words;
* countries: recall = gold countries the article mentions at all; precision = countries mentioned at
  least twice that are gold; dyad accuracy over articles with exactly two gold countries.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

LENIENT, STRICT = 0.3, 0.8
_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[A-Z][\w'’\-]*\.?")
# words that precede a name without being one, and words that are no name at all
_SPEAKER_TITLES = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "president", "prime", "minister",
                   "former", "secretary", "senator", "the", "a", "an"}
_NOT_NAMES = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "these", "those"}
# countries that changed code: a gold place matches either
_SUCCESSORS = {"SUN": {"RUS"}, "RUS": {"SUN"}, "YUG": {"SRB"}, "SRB": {"YUG"}, "DDR": {"DEU"}}


# --------------------------------------------------------------------------- shared helpers

def words(text: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def overlap(a: list[str], b: list[str]) -> float:
    """Shared words (as multisets) over the longer of the two."""
    if not a or not b:
        return 0.0
    return sum((Counter(a) & Counter(b)).values()) / max(len(a), len(b))


def gold_surnames(phrase: str | None) -> list[str]:
    """Candidate surnames in a gold speaker phrase: the last word of each run of capitalised words
    (runs broken by commas or by other words), titles dropped; pronouns give none."""
    phrase = phrase or ""
    out: list[str] = []
    run: list[re.Match] = []

    def flush():
        names = [m.group().rstrip(".") for m in run if m.group().rstrip(".").lower() not in _SPEAKER_TITLES]
        if names and names[0].lower() not in _NOT_NAMES:
            last = words(re.sub(r"(?:'s|’s)$", "", names[-1]))
            if last:
                out.append(last[-1])

    for m in _NAME_WORD.finditer(phrase):
        if run:
            between = phrase[run[-1].end():m.start()]
            if len(between) > 2 or "," in between:
                flush()
                run = []
        run.append(m)
    if run:
        flush()
    return out


def pair_up(gold: list[list[str]], pred: list[list[str]], threshold: float) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, best overlap first, at or above the threshold."""
    scored = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            ov = overlap(g, p)
            if ov >= threshold:
                scored.append((ov, i, j))
    scored.sort(reverse=True)    # ties: later gold and predicted items first (as the reference scorer does)
    gi, pj, pairs = set(), set(), []
    for _, i, j in scored:
        if i not in gi and j not in pj:
            gi.add(i)
            pj.add(j)
            pairs.append((i, j))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _id_map(articles: list[dict]) -> dict[str, str]:
    """Gold document id -> article_id: the article id itself, or its source file's stem."""
    ids: dict[str, str] = {}
    for a in articles:
        ids[a["article_id"]] = a["article_id"]
        stem = Path(a.get("source_path") or "").stem
        if stem:
            ids.setdefault(stem, a["article_id"])
    return ids


# --------------------------------------------------------------------------- quotes

def score_quotes(gold: list[dict], articles: list[dict], quotes: list[dict]) -> dict:
    """Precision/recall/F1 and speaker accuracy for direct and all quotes, lenient and strict."""
    ids = _id_map(articles)
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    pred_by_article: dict[str, list[dict]] = defaultdict(list)
    for q in quotes:
        pred_by_article[q["article_id"]].append(q)
    result: dict = {"articles": len(gold_by_doc),
                    "articles_missing_from_output": sum(1 for d in gold_by_doc if d not in ids)}
    for scope in ("direct", "all"):
        for label, threshold in (("lenient", LENIENT), ("strict", STRICT)):
            tp = n_pred = n_gold = right = judged = 0
            for doc, golds in gold_by_doc.items():
                g = [x for x in golds if scope == "all" or x.get("kind") == "direct"]
                p = [x for x in pred_by_article.get(ids.get(doc, ""), []) if scope == "all" or x.get("kind") == "direct"]
                gw = [words((x.get("quoted") or x.get("content")) if scope == "direct" else x.get("content")) for x in g]
                pw = [words(x.get("text")) for x in p]
                pairs = pair_up(gw, pw, threshold)
                tp += len(pairs)
                n_pred += len(p)
                n_gold += len(g)
                for i, j in pairs:
                    want = gold_surnames(g[i].get("reference")) or gold_surnames(g[i].get("source"))
                    if want:
                        judged += 1
                        right += any(w in set(words(p[j].get("speaker"))) for w in want)
            res = _prf(tp, n_pred, n_gold)
            res.update(gold=n_gold, predicted=n_pred, matched=tp,
                       speaker_accuracy=round(right / judged, 3) if judged else None)
            result[f"{scope}_{label}"] = res
    return result


# --------------------------------------------------------------------------- countries

def place_codes(data_dir: Path) -> dict[str, str]:
    """Normalised country name or alias (and ISO3) -> ISO3, from the entity catalog's country files."""
    codes: dict[str, str] = {}
    for name in ("countries.csv", "countries_extra.csv"):
        path = Path(data_dir) / "entities" / name
        if not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                iso = (row.get("entity_id") or "").strip().upper()
                if not iso:
                    continue
                codes.setdefault(_norm_place(iso), iso)
                for alias in [row.get("name") or ""] + (row.get("aliases") or "").split("|"):
                    if alias.strip():
                        codes.setdefault(_norm_place(alias), iso)
    return codes


def _norm_place(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def score_countries(gold: list[dict], articles: list[dict], entities: list[dict], mentions: list[dict],
                    codes: dict[str, str]) -> dict:
    """Country recall / precision (mentioned twice or more) / dyad accuracy; ``places`` may be ISO3 codes
    or Reuters names ("south-africa"), looked up in ``codes`` (see :func:`place_codes`)."""
    ids = _id_map(articles)
    country_of = {e["entity_id"]: (e.get("country") or "").upper() for e in entities
                  if (e.get("type") or "").lower() == "country"}
    counts: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        iso = country_of.get(m["entity_id"])
        if iso:
            counts[m["article_id"]][iso] += 1
    dyads = {a["article_id"]: (a.get("dyad") or "").upper() for a in articles}
    hit = n_gold = ok = n_pred = dy_ok = dy_n = missing = unknown = 0
    for g in gold:
        art = ids.get(g["id"])
        if art is None:
            missing += 1
        want = []
        for place in g.get("places", []):
            iso = place.upper() if re.fullmatch(r"[A-Z]{3}", place) else codes.get(_norm_place(place))
            if iso is None:
                unknown += 1
                continue
            want.append({iso} | _SUCCESSORS.get(iso, set()))
        got = counts.get(art, Counter())
        for alts in want:
            n_gold += 1
            hit += any(a in got for a in alts)
        gold_codes = set().union(*want) if want else set()
        strong = [c for c, n in got.items() if n >= 2]
        n_pred += len(strong)
        ok += sum(c in gold_codes for c in strong)
        if len(want) == 2:
            dy_n += 1
            pair = set(re.split(r"[^A-Z]+", dyads.get(art, ""))) - {""}
            dy_ok += len(pair) == 2 and all(pair & alts for alts in want)
    return {"articles": len(gold), "articles_missing_from_output": missing, "unknown_places": unknown,
            "recall": round(hit / n_gold, 3) if n_gold else None,
            "precision_2plus": round(ok / n_pred, 3) if n_pred else None,
            "dyad_accuracy": round(dy_ok / dy_n, 3) if dy_n else None, "dyad_articles": dy_n}


# --------------------------------------------------------------------------- driver

def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_table(out: Path, name: str) -> list[dict]:
    path = Path(out) / f"{name}.csv"
    if not path.exists():
        return []
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def gold_kind(gold_dir: Path) -> str:
    gold_dir = Path(gold_dir)
    if (gold_dir / "texts").is_dir():
        return "quotes"
    if (gold_dir / "articles.jsonl").exists():
        return "countries"
    raise FileNotFoundError(f"{gold_dir}: expected texts/ (quotes gold set) or articles.jsonl (countries gold set)")


def score_tables(gold_dir: Path, out: Path, *, data_dir: Path | None = None) -> dict:
    """Score already-built tables in ``out`` against the gold set in ``gold_dir``."""
    gold_dir = Path(gold_dir)
    kind = gold_kind(gold_dir)
    gold = read_jsonl(gold_dir / "gold.jsonl")
    articles = read_table(out, "articles")
    if kind == "quotes":
        res = score_quotes(gold, articles, read_table(out, "quotes"))
    else:
        from pipeline.build import DATA_DIR
        res = score_countries(gold, articles, read_table(out, "entities"), read_table(out, "mentions"),
                              place_codes(data_dir or DATA_DIR))
    return {"gold_set": kind, **res}


def evaluate(gold_dir: Path, out: Path | None = None, *, workers: int = 1) -> dict:
    """Build the gold set's articles with the pipeline (into ``out`` or a temporary folder) and score them."""
    from pipeline.build import build_corpus

    gold_dir = Path(gold_dir)
    kind = gold_kind(gold_dir)
    inputs = [gold_dir / "texts"] if kind == "quotes" else [gold_dir / "articles.jsonl"]
    if out is None:
        with tempfile.TemporaryDirectory(prefix="dyad-eval-") as tmp:
            build_corpus(inputs, Path(tmp), workers=workers, force=True)
            return score_tables(gold_dir, Path(tmp))
    build_corpus(inputs, Path(out), workers=workers, force=True)
    return score_tables(gold_dir, Path(out))


def format_report(res: dict) -> str:
    lines = [f"gold set: {res.get('gold_set', '?')}; articles: {res.get('articles')}; "
             f"missing from output: {res.get('articles_missing_from_output')}"]
    if res.get("gold_set") == "quotes":
        lines.append(f"{'':16} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6} {'speaker':>8}")
        for key in ("direct_lenient", "direct_strict", "all_lenient", "all_strict"):
            r = res[key]
            sp = "-" if r["speaker_accuracy"] is None else f"{r['speaker_accuracy']:.3f}"
            lines.append(f"{key:16} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                         f"{r['gold']:6d} {r['predicted']:6d} {sp:>8}")
    else:
        for key in ("recall", "precision_2plus", "dyad_accuracy", "dyad_articles", "unknown_places"):
            lines.append(f"{key:16} {res.get(key)}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold_dir", type=Path, metavar="GOLD_DIR",
                        help="gold set: texts/ + gold.jsonl (quotes) or articles.jsonl + gold.jsonl (countries)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="keep the built tables here (default: a temporary folder)")
    parser.add_argument("--tables", type=Path, default=None, metavar="DIR",
                        help="score tables already built in DIR instead of building")
    parser.add_argument("--workers", type=int, default=1, help="parallel worker processes for the build")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def run(args: argparse.Namespace) -> int:
    """The `eval` subcommand, given parsed arguments (see :func:`add_arguments`)."""
    try:
        if args.tables is not None:
            res = score_tables(args.gold_dir, args.tables)
        else:
            res = evaluate(args.gold_dir, args.out, workers=max(1, args.workers))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(res, indent=2) if args.json else format_report(res))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline eval", description="Score the pipeline on a gold set.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
