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
  least twice that are gold; dyad accuracy over articles with exactly two gold countries;
* sides (``--sides FILE``, quotes gold sets): over the annotated direct quotes that a predicted direct
  quote matches (the lenient direct pairing above), right when the predicted speaker's country equals
  the annotated ISO3 code (none == none); see :func:`score_sides`.
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
# a US politician's party and state after the name ("Sen. Jane Roe (D-Ore.)", "Gov. Ivan Petrov (R)", "Sen. Ann
# Poe (Tex.)"): the surname rule reads the tag as the last word of the name, so a speaker named without
# it is judged wrong. Reported beside the measure (speaker_accuracy_by_name), which stays as defined.
_GOLD_PARTY_TAG = re.compile(r"\s*\((?:[RDI](?:-[A-Z][\w.]{0,10})?|[A-Z][a-z]{1,4}\.)\)")
# countries that changed code: a gold place matches either
_SUCCESSORS = {"SUN": {"RUS"}, "RUS": {"SUN"}, "YUG": {"SRB"}, "SRB": {"YUG"}, "DDR": {"DEU"}, "DEU": {"DDR"}}


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

def _scope_pairs(golds: list[dict], preds: list[dict], scope: str,
                 threshold: float) -> tuple[list[dict], list[dict], list[tuple[int, int]]]:
    """One document's gold and predicted items in ``scope`` ("direct": gold of kind direct, scored on
    ``quoted`` else ``content``, against predicted direct quotes; "all": everything on ``content``) and
    their one-to-one pairs (indices into the two returned lists)."""
    g = [x for x in golds if scope == "all" or x.get("kind") == "direct"]
    p = [x for x in preds if scope == "all" or x.get("kind") == "direct"]
    gw = [words((x.get("quoted") or x.get("content")) if scope == "direct" else x.get("content")) for x in g]
    pw = [words(x.get("text")) for x in p]
    return g, p, pair_up(gw, pw, threshold)


def _by_article(gold: list[dict], quotes: list[dict]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Gold items by document and predicted quotes by article, in their order."""
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    pred_by_article: dict[str, list[dict]] = defaultdict(list)
    for q in quotes:
        pred_by_article[q["article_id"]].append(q)
    return gold_by_doc, pred_by_article


def score_quotes(gold: list[dict], articles: list[dict], quotes: list[dict]) -> dict:
    """Precision/recall/F1 and speaker accuracy for direct and all quotes, lenient and strict."""
    ids = _id_map(articles)
    gold_by_doc, pred_by_article = _by_article(gold, quotes)
    result: dict = {"articles": len(gold_by_doc),
                    "articles_missing_from_output": sum(1 for d in gold_by_doc if d not in ids)}
    for scope in ("direct", "all"):
        for label, threshold in (("lenient", LENIENT), ("strict", STRICT)):
            tp = n_pred = n_gold = right = judged = 0
            tagged = tagged_right = tagged_right_by_name = 0
            for doc, golds in gold_by_doc.items():
                g, p, pairs = _scope_pairs(golds, pred_by_article.get(ids.get(doc, ""), []), scope, threshold)
                tp += len(pairs)
                n_pred += len(p)
                n_gold += len(g)
                for i, j in pairs:
                    gold_phrase = g[i].get("reference") or g[i].get("source")
                    want = gold_surnames(g[i].get("reference")) or gold_surnames(g[i].get("source"))
                    if want:
                        judged += 1
                        said = set(words(p[j].get("speaker")))
                        right += any(w in said for w in want)
                        if _GOLD_PARTY_TAG.search(gold_phrase or ""):
                            tagged += 1
                            by_name = gold_surnames(_GOLD_PARTY_TAG.sub("", gold_phrase))
                            tagged_right_by_name += any(w in said for w in by_name)
                            tagged_right += any(w in said for w in want)
            res = _prf(tp, n_pred, n_gold)
            res.update(gold=n_gold, predicted=n_pred, matched=tp,
                       speaker_accuracy=round(right / judged, 3) if judged else None,
                       party_tag_judged=tagged, party_tag_right=tagged_right,
                       party_tag_right_by_name=tagged_right_by_name,
                       speaker_accuracy_by_name=round((right - tagged_right + tagged_right_by_name) / judged, 3)
                       if judged else None)
            result[f"{scope}_{label}"] = res
    return result


# --------------------------------------------------------------------------- sides

def _code(value) -> str | None:
    """An ISO3 code upper-cased, or None for empty / null / "none"."""
    value = "" if value is None else str(value).strip().upper()
    return None if value in ("", "NONE", "NULL") else value


def speaker_country_lookup(quotes: list[dict], speakers: list[dict], entities: list[dict]):
    """A function quote row -> predicted speaker country (ISO3 or None).

    The quotes table's own ``speaker_country`` column wins when the table has it (empty = none);
    otherwise the country of ``speaker_entity_id`` in the speakers table, else in the entities table;
    a quote with no speaker id takes the speakers-table row of the same name (as the speaker tally joins
    them), or the entities-table person of that name."""
    if quotes and "speaker_country" in quotes[0]:
        return lambda q: _code(q.get("speaker_country"))
    by_id: dict[str, str] = {}
    by_name: dict[str, str | None] = {}
    for e in entities:
        c = _code(e.get("country"))
        if e.get("entity_id") and c:
            by_id.setdefault(e["entity_id"], c)
        if (e.get("type") or "").lower() == "person" and e.get("name") and c:
            by_name.setdefault(e["name"].lower(), c)
    for r in speakers:              # the speakers table first: it is what the build reports per speaker
        c = _code(r.get("country"))
        if c and r.get("entity_id"):
            by_id[r["entity_id"]] = c
        if c and r.get("name"):
            by_name[r["name"].lower()] = c

    def country(q: dict) -> str | None:
        sid = (q.get("speaker_entity_id") or "").strip()
        if sid:
            return by_id.get(sid)
        return by_name.get((q.get("speaker") or "").strip().lower())
    return country


def score_sides(gold: list[dict], articles: list[dict], quotes: list[dict], sides: list[dict], *,
                speakers: list[dict] = (), entities: list[dict] = ()) -> dict:
    """Side accuracy of the speakers of annotated direct quotes.

    ``sides``: ``{"doc", "line", "country"}`` records, ``line`` the 1-based line of the quote in the gold
    file (a gold item's ``_line``, else its position + 1 in ``gold``), ``country`` an ISO3 code or null.
    Gold and predicted direct quotes are paired as in :func:`score_quotes` (lenient, one to one); over
    the annotated quotes so matched, the side is right when the predicted speaker's country (see
    :func:`speaker_country_lookup`) equals the annotation — a country that changed code matches either
    (SUN/RUS …) — and a null annotation is right only when no country is predicted. Reports the accuracy
    overall, for non-USA codes, for USA and for null annotations, and coverage: the share of matched
    annotated quotes with any predicted country."""
    country_of = speaker_country_lookup(quotes, list(speakers), list(entities))
    ids = _id_map(articles)
    line_of = {id(g): g.get("_line", i + 1) for i, g in enumerate(gold)}
    gold_by_doc, pred_by_article = _by_article(gold, quotes)
    want: dict[tuple[str, int], str | None] = {}
    for r in sides:
        want[(r["doc"], int(r["line"]))] = _code(r.get("country"))
    direct_lines = {(g["doc"], line_of[id(g)]) for g in gold if g.get("kind") == "direct"}
    invalid = sum(1 for k in want if k not in direct_lines)
    groups = {name: [0, 0] for name in ("all", "non_usa", "usa", "none")}    # [matched, right]
    covered = 0
    by_country: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])         # annotated, matched, right
    confusion: Counter = Counter()
    for (doc, line), code in want.items():
        by_country[code or "none"][0] += 1
    for doc, golds in gold_by_doc.items():
        if not any((doc, line_of[id(g)]) in want for g in golds):
            continue
        g, p, pairs = _scope_pairs(golds, pred_by_article.get(ids.get(doc, ""), []), "direct", LENIENT)
        for i, j in pairs:
            key = (doc, line_of[id(g[i])])
            if key not in want:
                continue
            code, got = want[key], country_of(p[j])
            ok = got == code or (code is not None and got in _SUCCESSORS.get(code, set()))
            covered += got is not None
            group = "none" if code is None else "usa" if code == "USA" else "non_usa"
            for name in ("all", group):
                groups[name][0] += 1
                groups[name][1] += ok
            by_country[code or "none"][1] += 1
            by_country[code or "none"][2] += ok
            if not ok:
                confusion[f"{code or 'none'}->{got or 'none'}"] += 1

    def acc(name: str):
        m, r = groups[name]
        return round(r / m, 3) if m else None
    matched = groups["all"][0]
    return {"annotated": len(want), "invalid": invalid, "matched": matched,
            "side_accuracy": acc("all"), "non_usa_accuracy": acc("non_usa"), "non_usa_matched": groups["non_usa"][0],
            "usa_accuracy": acc("usa"), "usa_matched": groups["usa"][0],
            "none_accuracy": acc("none"), "none_matched": groups["none"][0],
            "coverage": round(covered / matched, 3) if matched else None,
            "by_country": {c: {"annotated": a, "matched": m, "right": r}
                           for c, (a, m, r) in sorted(by_country.items(), key=lambda kv: -kv[1][0])},
            "top_errors": dict(confusion.most_common(10))}


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


def read_gold(path: Path) -> list[dict]:
    """Gold lines as dicts, each with ``_line``, its 1-based line number in the file (blank lines counted)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                item = json.loads(line)
                item["_line"] = n
                out.append(item)
    return out


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


def score_tables(gold_dir: Path, out: Path, *, data_dir: Path | None = None, sides: Path | None = None) -> dict:
    """Score already-built tables in ``out`` against the gold set in ``gold_dir``; with ``sides`` (a JSONL
    file of ``{"doc", "line", "country"}``, quotes gold sets only) also the speakers' side accuracy."""
    gold_dir = Path(gold_dir)
    kind = gold_kind(gold_dir)
    gold = read_gold(gold_dir / "gold.jsonl")
    articles = read_table(out, "articles")
    if sides is not None and kind != "quotes":
        raise ValueError("--sides needs a quotes gold set (texts/ + gold.jsonl)")
    if kind == "quotes":
        quotes = read_table(out, "quotes")
        res = score_quotes(gold, articles, quotes)
        if sides is not None:
            res["sides"] = score_sides(gold, articles, quotes, read_jsonl(Path(sides)),
                                       speakers=read_table(out, "speakers"), entities=read_table(out, "entities"))
    else:
        from pipeline.build import DATA_DIR
        res = score_countries(gold, articles, read_table(out, "entities"), read_table(out, "mentions"),
                              place_codes(data_dir or DATA_DIR))
    return {"gold_set": kind, **res}


def evaluate(gold_dir: Path, out: Path | None = None, *, workers: int = 1, sides: Path | None = None) -> dict:
    """Build the gold set's articles with the pipeline (into ``out`` or a temporary folder) and score them."""
    from pipeline.build import build_corpus

    gold_dir = Path(gold_dir)
    kind = gold_kind(gold_dir)
    if sides is not None and kind != "quotes":
        raise ValueError("--sides needs a quotes gold set (texts/ + gold.jsonl)")
    inputs = [gold_dir / "texts"] if kind == "quotes" else [gold_dir / "articles.jsonl"]
    if out is None:
        with tempfile.TemporaryDirectory(prefix="dyad-eval-") as tmp:
            build_corpus(inputs, Path(tmp), workers=workers, force=True)
            return score_tables(gold_dir, Path(tmp), sides=sides)
    build_corpus(inputs, Path(out), workers=workers, force=True)
    return score_tables(gold_dir, Path(out), sides=sides)


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
        r = res["direct_lenient"]
        if r.get("party_tag_judged"):
            lines.append(f"speakers with a party tag (\"Sen. X (D-Ore.)\", direct lenient): {r['party_tag_judged']}; "
                         f"right by the tag {r['party_tag_right']}, by the name {r['party_tag_right_by_name']}; "
                         f"speaker accuracy with them judged by the name {r['speaker_accuracy_by_name']:.3f}")
        sd = res.get("sides")
        if sd is not None:
            def f(v):
                return "-" if v is None else f"{v:.3f}"
            lines.append(f"sides (direct lenient): side accuracy {f(sd['side_accuracy'])} over {sd['matched']} matched "
                         f"of {sd['annotated']} annotated quotes; non-USA {f(sd['non_usa_accuracy'])} "
                         f"({sd['non_usa_matched']}), USA {f(sd['usa_accuracy'])} ({sd['usa_matched']}), "
                         f"none {f(sd['none_accuracy'])} ({sd['none_matched']}); coverage {f(sd['coverage'])}"
                         + (f"; {sd['invalid']} annotations name no direct gold quote" if sd["invalid"] else ""))
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
    parser.add_argument("--sides", type=Path, default=None, metavar="FILE",
                        help="speaker sides of direct quotes (JSONL {doc, line, country}): also print side accuracy")


def _sides_problem(gold_dir: Path, sides: Path) -> str | None:
    """Why a ``--sides`` file cannot be used with ``gold_dir`` (checked before any build), else None."""
    if gold_kind(gold_dir) != "quotes":
        return "--sides needs a quotes gold set (texts/ + gold.jsonl)"
    if not sides.is_file():
        return f"{sides}: no such sides file"
    try:
        records = read_jsonl(sides)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"{sides}: not JSON lines ({exc})"
    for n, r in enumerate(records, 1):
        if not isinstance(r, dict) or "doc" not in r or not str(r.get("line", "")).isdigit():
            return f"{sides}: record {n} needs \"doc\" and an integer \"line\""
    return None


def run(args: argparse.Namespace) -> int:
    """The `eval` subcommand, given parsed arguments (see :func:`add_arguments`)."""
    sides = getattr(args, "sides", None)
    try:
        if sides is not None:
            problem = _sides_problem(args.gold_dir, Path(sides))
            if problem:
                print(f"error: {problem}", file=sys.stderr)
                return 2
        if args.tables is not None:
            res = score_tables(args.gold_dir, args.tables, sides=sides)
        else:
            res = evaluate(args.gold_dir, args.out, workers=max(1, args.workers), sides=sides)
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
