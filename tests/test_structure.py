"""Structure stage: title, standfirst, credits, headings, boilerplate — text in, structure out."""
from __future__ import annotations

import pytest

from pipeline.records import SourceDocument
from pipeline.resources import DATA_DIR
from pipeline.structure import load_structure_rules, parse_structure

RULES = load_structure_rules(DATA_DIR / "structure.toml")


def parse(text: str, fmt: str = "txt", **meta):
    return parse_structure(SourceDocument(doc_id="a", source_path="a.txt", text=text, format=fmt, **meta),
                           rules=RULES)


BODY1 = "Ministers from both countries met on Monday to discuss a new trade agreement."
BODY2 = "The talks ended with a joint statement, officials said after the meeting."
BODY3 = "Analysts expect the agreement to be signed once the autumn session closes."


@pytest.mark.parametrize("text, expected", [
    pytest.param(
        f"Leaders meet in Hanoi\n\nA new chapter for old partners\n\n{BODY1}\n\n{BODY2}",
        {"title": "Leaders meet in Hanoi", "standfirst": "A new chapter for old partners",
         "paragraphs": (BODY1, BODY2), "headings": ("",)},
        id="title-and-standfirst"),
    pytest.param(
        f"Leaders meet in Hanoi\n\n{BODY1}\n\n{BODY2}",
        {"standfirst": "", "paragraphs": (BODY1, BODY2)},
        id="second-line-is-a-sentence-not-a-standfirst"),
    pytest.param(
        f"Leaders meet\n\nPhoto: Xinhua\n\n{BODY1}\n\nSource: Reuters\n\n{BODY2}",
        {"credits": ("Photo: Xinhua", "Source: Reuters"), "outlet": "Reuters", "paragraphs": (BODY1, BODY2)},
        id="credit-lines-are-metadata"),
    pytest.param(
        f"Leaders meet\n\n(Photo: AFP)\n\nBy Jane Doe and John Roe\n\n{BODY1}",
        {"credits": ("Photo: AFP", "By Jane Doe and John Roe"), "paragraphs": (BODY1,)},
        id="bracketed-credit-and-byline"),
    pytest.param(
        f"Leaders meet\n\nSource: the ministry said the agreement will be signed next week by both sides.\n\n{BODY1}",
        {"credits": (), "paragraphs": ("Source: the ministry said the agreement will be signed next week by both "
                                       "sides.", BODY1)},
        id="long-sentence-after-a-label-is-body"),
    pytest.param(
        f"Leaders meet\n\n{BODY1}\n\nTrade first\n\n{BODY2}\n\nWhat comes next\n\n{BODY3}",
        {"headings": ("", "Trade first", "What comes next"), "paragraphs": (BODY1, BODY2, BODY3),
         "sections": (0, 1, 2)},
        id="short-lines-between-paragraphs-are-headings"),
    pytest.param(
        f"Leaders meet\n\n{BODY1}\n\nIt was agreed.\n\n{BODY2}",
        {"headings": ("",), "paragraphs": (BODY1, "It was agreed.", BODY2)},
        id="short-sentence-is-not-a-heading"),
    pytest.param(
        f"# Leaders meet\n\n{BODY1}\n\n## Trade first.\n\n{BODY2}",
        {"fmt": "md", "title": "Leaders meet", "headings": ("", "Trade first."), "paragraphs": (BODY1, BODY2)},
        id="markdown-heading"),
    pytest.param(
        "Leaders meet\n\nMinisters from both countries met on Monday to discuss a\n"
        "new trade agreement that both sides have sought for years.\n\n" + BODY2,
        {"paragraphs": ("Ministers from both countries met on Monday to discuss a new trade agreement that both "
                        "sides have sought for years.", BODY2)},
        id="hard-wrapped-lines-are-one-paragraph"),
    pytest.param(
        f"Ministers of both countries meet again in Hanoi to talk trade\n{BODY1}\n{BODY2}\n{BODY3}",
        {"title": "Ministers of both countries meet again in Hanoi to talk trade", "paragraphs": (BODY1, BODY2, BODY3)},
        id="one-paragraph-per-line-with-single-line-breaks"),
    pytest.param(
        f"Ministers of both countries meet again in Hanoi to talk trade\n{BODY1}\n"
        "\"Nobody wins a trade war, and everybody knows it by now.\nJane Roe.\"\n" + BODY2,
        {"paragraphs": (BODY1, "\"Nobody wins a trade war, and everybody knows it by now. Jane Roe.\"", BODY2)},
        id="a-line-leaving-a-quotation-open-joins-the-next"),
    pytest.param(
        f"Ministers of both countries meet again in Hanoi to talk trade\n{BODY1}\n"
        "\"Nobody wins a trade war, and everybody knows it by now.\n"
        "\"We will sign when both sides gain from it,\" the minister said.\n" + BODY2,
        {"paragraphs": (BODY1, "\"Nobody wins a trade war, and everybody knows it by now.",
                        "\"We will sign when both sides gain from it,\" the minister said.", BODY2)},
        id="a-quote-over-two-paragraphs-stays-two-paragraphs"),
    pytest.param(
        f"Leaders meet\n\nMay 16, 2024\n\n{BODY1}",
        {"published": "2024-05-16", "paragraphs": (BODY1,), "standfirst": ""},
        id="date-line-is-metadata"),
    pytest.param(
        f"Leaders meet\n\n{BODY1}\n\n{BODY2}\n\n• Example News Pvt. Ltd.\n\n• 12 Main Road, Springfield\n\n"
        "• +1 555-0100, 555-0101\n\n• [email protected]\n\n© 2024 Example News | Website by example.com\n\n"
        "About Us\n\nOur Team",
        {"paragraphs": (BODY1, BODY2), "headings": ("",), "removed": 7},
        id="site-footer-goes-whole"),
    pytest.param(
        f"Leaders meet\n\n{BODY1}\n\nCopyright 2024 Example Media. All rights reserved.\n\n{BODY2}\n\n"
        "Contact: desk@example.com",
        {"paragraphs": (BODY1, BODY2), "removed": 2},
        id="copyright-and-contact-lines"),
    pytest.param(
        f"Leaders meet\n\n{BODY1}\n\nShare this article\n\n{BODY2}\n\nRelated stories",
        {"paragraphs": (BODY1, BODY2), "removed": 2},
        id="share-and-related-links"),
    pytest.param(
        f"Leaders meet\n\n{BODY1}\n\n• Tariffs on steel will fall.\n\n• Quotas on rice will go.\n\n{BODY2}",
        {"paragraphs": (BODY1, "Tariffs on steel will fall.", "Quotas on rice will go.", BODY2)},
        id="bullet-list-in-the-body-stays"),
    pytest.param(
        "Leaders meet\n\n“It’s a ‘new path’,” she said. The minister's view was clear enough to everyone.",
        {"paragraphs": ("“It’s a ‘new path’,” she said. The minister's view was clear enough to everyone.",)},
        id="curly-quotes-kept"),
    pytest.param(
        "Leaders meet\n\nCafe\u0301 owners in Hanoi welcomed the trade talks on Monday.",
        {"paragraphs": ("Café owners in Hanoi welcomed the trade talks on Monday.",)},
        id="nfc-already-normalised-by-reader-text-kept"),
])
def test_structure_cases(text, expected):
    from pipeline.decoding import decode_bytes
    parsed = parse(decode_bytes(text.encode("utf-8")), fmt=expected.get("fmt", "txt"))
    if "title" in expected:
        assert parsed.title == expected["title"]
    if "standfirst" in expected:
        assert parsed.standfirst == expected["standfirst"]
    if "credits" in expected:
        assert parsed.credits == expected["credits"]
    if "outlet" in expected:
        assert parsed.outlet == expected["outlet"]
    if "paragraphs" in expected:
        assert parsed.paragraphs == expected["paragraphs"]
    if "headings" in expected:
        assert parsed.headings == expected["headings"]
    if "sections" in expected:
        assert parsed.paragraph_sections == expected["sections"]
    if "published" in expected:
        assert parsed.published == expected["published"]
    if "removed" in expected:
        assert len(parsed.boilerplate_removed) == expected["removed"]


def test_metadata_title_is_not_repeated_as_a_paragraph():
    parsed = parse(f"Leaders meet\n\n{BODY1}", fmt="jsonl", title="Leaders meet", published="2024-01-02")
    assert parsed.title == "Leaders meet"
    assert parsed.paragraphs == (BODY1,)
    assert parsed.published == "2024-01-02"


def test_metadata_title_with_body_only_text():
    parsed = parse(BODY1, fmt="jsonl", title="Trade talks")
    assert parsed.title == "Trade talks"
    assert parsed.paragraphs == (BODY1,)


def test_content_hash_ignores_footer():
    a = parse(f"Leaders meet\n\n{BODY1}\n\n© 2024 Site A")
    b = parse(f"Leaders meet\n\n{BODY1}\n\n© 2023 Another Site | Website by x.com")
    assert a.content_hash == b.content_hash


def test_short_last_line_is_text_unless_it_is_furniture():
    parsed = parse(f"Leaders meet\n\n{BODY1}\n\nEditorial Board")
    assert parsed.paragraphs == (BODY1,)
    assert "Editorial Board" in parsed.boilerplate_removed
    parsed = parse(f"Leaders meet\n\n{BODY1}\n\nTalks resume in May")
    assert parsed.paragraphs == (BODY1, "Talks resume in May")
    assert parsed.headings == ("",)


@pytest.mark.parametrize("last, kept, removed", [
    ("The deal was done, officials said. REUTER &#3;", "The deal was done, officials said.", ("REUTER &#3;",)),
    ("Exports rose 5 pct in May, the ministry said. (Reporting by Jane Doe; Editing by Bob Roe)",
     "Exports rose 5 pct in May, the ministry said.", ("(Reporting by Jane Doe; Editing by Bob Roe)",)),
    ("The news was first reported by Xinhua and TASS.", "The news was first reported by Xinhua and TASS.", ()),
    ("Officials from the REUTER group declined to comment.", "Officials from the REUTER group declined to comment.",
     ()),
])
def test_wire_signoff_is_removed_from_the_last_paragraph(last, kept, removed):
    parsed = parse(f"Leaders meet\n\n{BODY1}\n\n{last}")
    assert parsed.paragraphs == (BODY1, kept)
    assert parsed.boilerplate_removed == removed


def test_long_paragraph_with_an_address_is_body():
    long = ("Officials said the embassy would answer questions sent to consular@example.org within a week, "
            "and that the new visa rules, agreed during the talks on Monday, take effect next month for "
            "students, workers and tourists alike.")
    parsed = parse(f"Leaders meet\n\n{BODY1}\n\n{long}\n\n{BODY2}")
    assert parsed.paragraphs == (BODY1, long, BODY2)
    assert parsed.boilerplate_removed == ()


# issue 13, item 11: a title comes from a title field or a title line, never the whole body

@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_record_without_title_field_has_no_title(fmt):
    parsed = parse(BODY1, fmt=fmt)
    assert (parsed.title, parsed.paragraphs) == ("", (BODY1,))
    parsed = parse(f"{BODY1}\n\n{BODY2}", fmt=fmt)
    assert (parsed.title, parsed.paragraphs) == ("", (BODY1, BODY2))


def test_record_text_starting_with_a_short_line_keeps_it_in_the_body():
    parsed = parse(f"Leaders meet in Hanoi\n\n{BODY1}\n\n{BODY2}", fmt="jsonl")
    assert parsed.title == ""
    assert "Leaders meet in Hanoi" in (parsed.standfirst, *parsed.headings, *parsed.paragraphs)
    assert parsed.paragraphs[-2:] == (BODY1, BODY2)


@pytest.mark.parametrize("fmt, text", [("txt", BODY1), ("md", BODY1), ("txt", "Leaders meet in Hanoi"),
                                       ("md", "# Leaders meet in Hanoi")])
def test_one_line_article_is_all_body(fmt, text):
    parsed = parse(text, fmt=fmt)
    assert parsed.title == ""
    assert parsed.paragraphs == (text.lstrip("# "),)


def test_first_line_is_still_the_title_when_text_follows():
    parsed = parse(f"Leaders meet in Hanoi\n\n{BODY1}")
    assert (parsed.title, parsed.paragraphs) == ("Leaders meet in Hanoi", (BODY1,))
