"""Scoring functions of pipeline.evaluate on tiny hand-made tables."""
from __future__ import annotations

import json

import pytest

from pipeline.evaluate import (format_report, gold_surnames, main, overlap, pair_up, score_countries, score_quotes,
                               score_sides, score_tables, speaker_country_lookup, words)


def test_overlap_is_multiset_over_longer():
    assert overlap(words("a b c d"), words("a b")) == 0.5
    assert overlap(words("a a b"), words("a b b")) == pytest.approx(2 / 3)
    assert overlap([], words("a")) == 0.0


@pytest.mark.parametrize("phrase,expected", [
    ("Mr. Varga", ["varga"]),
    ("Ilse Brannigan, press secretary for Varga", ["brannigan", "varga"]),
    ("Senator Lena H. Halvorsen, Republican of Ohio", ["halvorsen", "republican", "ohio"]),
    ("he", []),
    ("the executive", []),
    ("President Varga’s spokesman", ["varga"]),
])
def test_gold_surnames(phrase, expected):
    assert gold_surnames(phrase) == expected


def test_pair_up_one_to_one_best_first():
    gold = [words("we will win the vote"), words("trade is up")]
    pred = [words("we will win the vote"), words("we will win"), words("nothing at all")]
    assert sorted(pair_up(gold, pred, 0.3)) == [(0, 0)]


ARTICLES = [{"article_id": "a1", "source_path": "sub/doc-one.txt", "dyad": "CHN-RUS"}]
GOLD = [
    {"doc": "doc-one", "kind": "direct", "content": "“We will win the vote,” Petrova said", "quoted": "We will win the vote",
     "source": "Anna Petrova"},
    {"doc": "doc-one", "kind": "direct", "content": "“Trade is up this year,” he said", "quoted": "Trade is up this year",
     "source": "he"},
    {"doc": "doc-one", "kind": "indirect", "content": "the deal would be signed soon", "source": "Mr. Ivanov"},
]


def quote(text, speaker, kind="direct"):
    return {"article_id": "a1", "text": text, "speaker": speaker, "kind": kind}


def test_score_quotes_direct_and_all():
    preds = [
        quote("We will win the vote", "Anna Petrova"),          # matches gold 0, speaker right
        quote("Trade is up", "Ivan Ivanov"),                     # 3/5 words: lenient only; gold speaker is a pronoun
        quote("A scare quote", "Nobody"),                        # false positive
        quote("the deal would be signed soon", "Ivanov", "indirect"),
    ]
    res = score_quotes(GOLD, ARTICLES, preds)
    assert res["articles_missing_from_output"] == 0
    dl, ds = res["direct_lenient"], res["direct_strict"]
    assert (dl["gold"], dl["predicted"], dl["matched"]) == (2, 3, 2)
    assert dl["precision"] == pytest.approx(0.667, abs=1e-3) and dl["recall"] == 1.0
    assert dl["speaker_accuracy"] == 1.0            # only the named gold speaker is judged
    assert (ds["matched"], ds["recall"]) == (1, 0.5)
    al = res["all_lenient"]
    assert (al["gold"], al["predicted"]) == (3, 4)
    assert al["speaker_accuracy"] == 1.0


def test_score_quotes_wrong_speaker_and_missing_article():
    res = score_quotes(GOLD + [{"doc": "other", "kind": "direct", "content": "x", "quoted": "x"}], ARTICLES,
                       [quote("We will win the vote", "Tomas Lindqvist")])
    assert res["articles_missing_from_output"] == 1
    assert res["direct_lenient"]["speaker_accuracy"] == 0.0


def test_party_tags_are_reported_beside_the_speaker_measure():
    # the surname rule reads "(D-Ore.)" as the name's last word; the report counts such speakers both ways
    gold = [{"doc": "doc-one", "kind": "direct", "content": "x", "quoted": "Ferries will run all winter",
             "source": "Sen. Anna Petrova (D-Ore.)"},
            {"doc": "doc-one", "kind": "direct", "content": "x", "quoted": "The harbour stays open",
             "source": "Gov. Ivan Ivanov (R)"}]
    res = score_quotes(gold, ARTICLES, [quote("Ferries will run all winter", "Anna Petrova"),
                                        quote("The harbour stays open", "R")])
    dl = res["direct_lenient"]
    assert dl["speaker_accuracy"] == 0.5
    assert (dl["party_tag_judged"], dl["party_tag_right"], dl["party_tag_right_by_name"]) == (2, 1, 1)
    assert dl["speaker_accuracy_by_name"] == 0.5
    report = format_report({"gold_set": "quotes", **res})
    assert "speakers with a party tag" in report and "right by the tag 1, by the name 1" in report


def test_score_countries_reuters_names_and_iso3():
    codes = {"china": "CHN", "ussr": "SUN", "southafrica": "ZAF"}
    gold = [{"id": "doc-one", "places": ["china", "ussr"]}, {"id": "missing", "places": ["ZAF"]}]
    entities = [{"entity_id": "CHN", "type": "country", "country": "CHN"},
                {"entity_id": "RUS", "type": "country", "country": "RUS"},
                {"entity_id": "USA", "type": "country", "country": "USA"}]
    mentions = [{"article_id": "a1", "entity_id": e} for e in ("CHN", "CHN", "RUS", "RUS", "USA", "USA")]
    articles = [dict(ARTICLES[0], dyad="CHN-RUS")]
    res = score_countries(gold, articles, entities, mentions, codes)
    assert res["articles_missing_from_output"] == 1
    assert res["recall"] == pytest.approx(2 / 3, abs=1e-3)       # ZAF of the missing article not found
    assert res["precision_2plus"] == pytest.approx(2 / 3, abs=1e-3)  # USA mentioned twice, not gold
    assert (res["dyad_accuracy"], res["dyad_articles"]) == (1.0, 1)   # SUN accepts RUS


def test_score_tables_reads_csv(tmp_path):
    gold_dir = tmp_path / "gold"
    (gold_dir / "texts").mkdir(parents=True)
    (gold_dir / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in GOLD), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.csv").write_text("article_id,source_path\na1,doc-one.txt\n", encoding="utf-8")
    (out / "quotes.csv").write_text("article_id,speaker,kind,text\na1,Anna Petrova,direct,We will win the vote\n",
                                    encoding="utf-8")
    res = score_tables(gold_dir, out)
    assert res["gold_set"] == "quotes"
    assert res["direct_lenient"]["matched"] == 1
    assert "direct_lenient" in format_report(res)


# --------------------------------------------------------------------------- sides (invented quotes)

SIDE_GOLD = [
    {"doc": "doc-one", "kind": "direct", "quoted": "Our ports stay open to every ship", "source": "Minister Lindqvist"},
    {"doc": "doc-one", "kind": "indirect", "content": "the talks would resume in spring", "source": "an aide"},
    {"doc": "doc-one", "kind": "direct", "quoted": "We expect a fair tariff on grain", "source": "Senator Hale"},
    {"doc": "doc-one", "kind": "direct", "quoted": "The agency will inspect the site next week", "source": "the agency chief"},
    {"doc": "doc-one", "kind": "direct", "quoted": "Nobody asked the farmers what they want", "source": "a farmer"},
    {"doc": "doc-one", "kind": "direct", "quoted": "This quote was never found by anyone", "source": "Ms. Varga"},
]
# line numbers are 1-based positions in the gold file: 1, 3, 4, 5, 6 are direct; 6 is annotated but unmatched
SIDES = [{"doc": "doc-one", "line": 1, "country": "SWE"}, {"doc": "doc-one", "line": 3, "country": "USA"},
         {"doc": "doc-one", "line": 4, "country": None}, {"doc": "doc-one", "line": 5, "country": "NOR"},
         {"doc": "doc-one", "line": 6, "country": "HUN"}]
SIDE_ENTITIES = [{"entity_id": "person:erik-lindqvist", "name": "Erik Lindqvist", "type": "person", "country": "SWE"},
                 {"entity_id": "person:tom-hale", "name": "Tom Hale", "type": "person", "country": ""},
                 {"entity_id": "org:agency", "name": "The Agency", "type": "organization", "country": ""}]
SIDE_SPEAKERS = [{"name": "Tom Hale", "entity_id": "person:tom-hale", "country": "USA"}]


def side_quote(text, speaker="", entity="", **extra):
    return {"article_id": "a1", "kind": "direct", "text": text, "speaker": speaker, "speaker_entity_id": entity, **extra}


def test_score_sides_matches_like_direct_scoring_and_groups_by_side():
    preds = [
        side_quote("Our ports stay open to every ship", "Erik Lindqvist", "person:erik-lindqvist"),  # SWE from entities
        side_quote("We expect a fair tariff", "Tom Hale", "person:tom-hale"),             # USA from the speakers table
        side_quote("The agency will inspect the site", "The Agency", "org:agency"),       # no country: none == none
        side_quote("Nobody asked the farmers what they want", "Erik Lindqvist", "person:erik-lindqvist"),  # SWE != NOR
        side_quote("the talks would resume in spring", "Tom Hale", "person:tom-hale"),    # pairs with no direct gold
    ]
    res = score_sides(SIDE_GOLD, ARTICLES, preds, SIDES, speakers=SIDE_SPEAKERS, entities=SIDE_ENTITIES)
    assert (res["annotated"], res["matched"], res["invalid"]) == (5, 4, 0)
    assert res["side_accuracy"] == 0.75
    assert (res["non_usa_accuracy"], res["non_usa_matched"]) == (0.5, 2)
    assert (res["usa_accuracy"], res["none_accuracy"]) == (1.0, 1.0)
    assert res["coverage"] == 0.75                     # 3 of the 4 matched quotes have a predicted country
    assert res["top_errors"] == {"NOR->SWE": 1}
    assert res["by_country"]["HUN"] == {"annotated": 1, "matched": 0, "right": 0}


def test_score_sides_none_annotation_wrong_when_a_country_is_predicted_and_successor_codes():
    gold = [{"doc": "doc-one", "kind": "direct", "quoted": "The council will vote on the plan"},
            {"doc": "doc-one", "kind": "direct", "quoted": "Our army never crossed that river"}]
    sides = [{"doc": "doc-one", "line": 1, "country": None}, {"doc": "doc-one", "line": 2, "country": "RUS"}]
    preds = [side_quote("The council will vote on the plan", speaker_country="FRA"),
             side_quote("Our army never crossed that river", speaker_country="sun")]   # old code, any case
    res = score_sides(gold, ARTICLES, preds, sides)
    assert (res["matched"], res["side_accuracy"]) == (2, 0.5)
    assert res["top_errors"] == {"none->FRA": 1}
    # the guideline annotates a historical state by its successor and accepts the old code either way
    sides = [{"doc": "doc-one", "line": 1, "country": "DEU"}, {"doc": "doc-one", "line": 2, "country": "DDR"}]
    preds = [side_quote("The council will vote on the plan", speaker_country="DDR"),
             side_quote("Our army never crossed that river", speaker_country="DEU")]
    assert score_sides(gold, ARTICLES, preds, sides)["side_accuracy"] == 1.0


def test_speaker_country_column_wins_over_the_speaker_tables():
    preds = [side_quote("x", "Tom Hale", "person:tom-hale", speaker_country="")]
    country = speaker_country_lookup(preds, SIDE_SPEAKERS, SIDE_ENTITIES)
    assert country(preds[0]) is None                    # the column is authoritative, empty = no country
    no_column = [side_quote("x", "Tom Hale", "")]      # no id: the speakers-table row of that name
    assert speaker_country_lookup(no_column, SIDE_SPEAKERS, SIDE_ENTITIES)(no_column[0]) == "USA"
    assert speaker_country_lookup(no_column, [], SIDE_ENTITIES)(side_quote("x", "Erik Lindqvist")) == "SWE"
    assert speaker_country_lookup(no_column, [], SIDE_ENTITIES)(side_quote("x", "Somebody Else")) is None


def test_score_sides_flags_annotations_that_name_no_direct_gold_quote():
    sides = [{"doc": "doc-one", "line": 2, "country": "USA"}, {"doc": "other", "line": 1, "country": "USA"}]
    res = score_sides(SIDE_GOLD, ARTICLES, [], sides)
    assert (res["invalid"], res["matched"], res["side_accuracy"], res["coverage"]) == (2, 0, None, None)


def _side_files(tmp_path):
    gold_dir = tmp_path / "gold"
    (gold_dir / "texts").mkdir(parents=True)
    lines = [json.dumps(g) for g in SIDE_GOLD]
    lines.insert(1, "")                                 # a blank line still counts in the line numbers
    (gold_dir / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sides = tmp_path / "sides.jsonl"
    shifted = [dict(r, line=r["line"] + (r["line"] > 1)) for r in SIDES]
    sides.write_text("".join(json.dumps(r) + "\n" for r in shifted), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.csv").write_text("article_id,source_path\na1,doc-one.txt\n", encoding="utf-8")
    (out / "quotes.csv").write_text(
        "article_id,speaker,speaker_entity_id,kind,text\n"
        "a1,Erik Lindqvist,person:erik-lindqvist,direct,Our ports stay open to every ship\n"
        "a1,Tom Hale,person:tom-hale,direct,We expect a fair tariff on grain\n", encoding="utf-8")
    (out / "speakers.csv").write_text("name,entity_id,country\nTom Hale,person:tom-hale,USA\n", encoding="utf-8")
    (out / "entities.csv").write_text("entity_id,name,type,country\nperson:erik-lindqvist,Erik Lindqvist,person,SWE\n",
                                      encoding="utf-8")
    return gold_dir, out, sides


def test_score_tables_and_cli_report_sides(tmp_path, capsys):
    gold_dir, out, sides = _side_files(tmp_path)
    res = score_tables(gold_dir, out, sides=sides)
    sd = res["sides"]
    assert (sd["annotated"], sd["matched"], sd["invalid"], sd["side_accuracy"], sd["coverage"]) == (5, 2, 0, 1.0, 1.0)
    assert "side accuracy 1.000 over 2 matched of 5 annotated" in format_report(res)
    assert "sides" not in score_tables(gold_dir, out)
    assert main([str(gold_dir), "--tables", str(out), "--sides", str(sides)]) == 0
    assert "non-USA 1.000 (1)" in capsys.readouterr().out


def test_cli_rejects_unusable_sides_files(tmp_path, capsys):
    gold_dir, out, sides = _side_files(tmp_path)
    assert main([str(gold_dir), "--tables", str(out), "--sides", str(tmp_path / "missing.jsonl")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "doc-one"}\n', encoding="utf-8")
    assert main([str(gold_dir), "--tables", str(out), "--sides", str(bad)]) == 2
    countries = tmp_path / "countries"
    countries.mkdir()
    (countries / "articles.jsonl").write_text("", encoding="utf-8")
    assert main([str(countries), "--tables", str(out), "--sides", str(sides)]) == 2
    assert "quotes gold set" in capsys.readouterr().err


def test_sides_tune_file_format():
    """tests/data/sides-tune.jsonl holds only ids and codes: doc, 1-based gold line, ISO3 code or null."""
    import re
    from pathlib import Path
    path = Path(__file__).parent / "data" / "sides-tune.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 400
    assert len({(r["doc"], r["line"]) for r in records}) == len(records)
    for r in records:
        assert set(r) == {"doc", "line", "country"}
        assert isinstance(r["line"], int) and r["line"] >= 1
        assert r["country"] is None or re.fullmatch(r"[A-Z]{3}", r["country"])
