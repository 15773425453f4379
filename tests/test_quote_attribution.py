"""Who said a direct quote: one row per class of attribution the quote stage resolves (invented sentences).

Each row runs the entity stage and the quote stage on a small invented article and checks the speaker
of the direct quote holding ``fragment``.
"""
from __future__ import annotations

import pytest

from pipeline import entities as entity_stage
from pipeline import quotes as quote_stage
from pipeline.records import ArticleText
from pipeline.resources import load_resources


@pytest.fixture(scope="module")
def res():
    return load_resources()


def speaker_of(res, paragraphs: tuple[str, ...], fragment: str) -> str:
    art = ArticleText("t", "Title", "", tuple(paragraphs), tuple(0 for _ in paragraphs), ("",))
    found = entity_stage.extract_entities(art, catalog=res.catalog)
    rows = quote_stage.extract_quotes(art, entities=found, lexicon=res.lexicon)
    hits = [r for r in rows if r.kind == "direct" and fragment in r.text]
    assert hits, f"no direct quote holding {fragment!r}: {[r.text for r in rows]}"
    return hits[0].speaker


CASES = [
    # a straight mark closing a quote opened with a curly one: the attribution after it is read
    (("“We are not done yet,\" said Jane Roe, a harbour pilot. \"The ice will break soon.”",),
     "not done yet", "Jane Roe"),
    # a time or place phrase after the verb is no inverted subject: the name before the verb is
    (("“We will look at the figures again,” Ivan Petrov, the city's treasurer, said on Tuesday.",),
     "figures again", "Ivan Petrov"),
    (("“Nobody asked us,” Marta Lind, a ferry captain, said of the new timetable.",),
     "Nobody asked us", "Marta Lind"),
    # an adverbial phrase before a role-phrase subject is not walked back to
    (("Sooner or later, the harbour master told reporters, “the ice will break and the boats will sail.”",),
     "boats will sail", "the harbour master"),
    # an inverted subject opened by "one" / "another"
    (("“The vote was rushed and nobody read the plan,” said one council member.",),
     "vote was rushed", "one council member"),
    # an inverted role phrase with the name in apposition
    (("“We never agreed to any of it,” said the union's chief negotiator, Ivan Petrov, on Monday.",),
     "never agreed", "Ivan Petrov"),
    # a name that only modifies the role is not the speaker
    (("Jane Roe has led the ferry company since 2019.",
      "“She will not back down on the timetable,” said one Roe adviser."),
     "back down", "one Roe adviser"),
    # quoted words inside a sentence with no reporting verb belong to its subject
    (("Ivan Petrov thanked the volunteers for “keeping the harbour open through the worst winter in years.”",),
     "keeping the harbour open", "Ivan Petrov"),
    # ... also when the subject carries an appositive and a participle introduces the quote
    (("Marta Lind, the ferry captain who sailed through the storm, wrote to the council on Friday, "
      "telling them, “the boats are safe and the crews are well rested.”",),
     "boats are safe", "Marta Lind"),
]


@pytest.mark.parametrize("paragraphs,fragment,expected", CASES)
def test_speaker(res, paragraphs, fragment, expected):
    assert speaker_of(res, paragraphs, fragment) == expected
