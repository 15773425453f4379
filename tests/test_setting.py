"""The article's setting from place weights and the other speakers' stated sides (invented counts)."""
from __future__ import annotations

from collections import Counter

import pytest

from pipeline.quotes.setting import stated_voices, story_setting
from pipeline.records import QuoteRow

NAMES = {"FRA": "France", "USA": "United States", "KEN": "Kenya", "UGA": "Uganda"}


def setting(weights, voices):
    return story_setting(weights, {c: w for c, w in weights.items()}, Counter(voices), name_of=NAMES.get)


@pytest.mark.parametrize("weights,voices,expected", [
    # no place, no voice
    ({}, {}, None),
    # one dominant place
    ({"FRA": 9, "USA": 3}, {}, ("FRA", "setting: France (9 mentions)")),
    # a tie between places: the first named (and each holds half)
    ({"KEN": 3, "UGA": 3}, {}, ("KEN", "setting: Kenya (3 mentions)")),
    # places spread thin (none holds 40 %): no setting
    ({"FRA": 3, "USA": 3, "KEN": 3}, {}, None),
    # the stated voices are all from elsewhere: they decide
    ({"FRA": 9, "USA": 3}, {"USA": 3}, ("USA", "setting: United States (3 of 3 speakers)")),
    # one stated voice from the place keeps the place
    ({"FRA": 9, "USA": 3}, {"USA": 3, "FRA": 1}, ("FRA", "setting: France (9 mentions)")),
    # no dominant place: the voices' majority, if any
    ({"FRA": 3, "USA": 3, "KEN": 3}, {"UGA": 2, "KEN": 1}, ("UGA", "setting: Uganda (2 of 3 speakers)")),
    ({"FRA": 3, "USA": 3, "KEN": 3}, {"UGA": 2, "KEN": 2}, None),       # a tie is no majority
    ({"FRA": 3, "USA": 3, "KEN": 3}, {"UGA": 1}, None),                 # one voice is too few
    ({"FRA": 3, "USA": 3, "KEN": 3}, {"UGA": 2, "KEN": 1, "FRA": 2}, None),   # two of five: under half
    # a lone voice from elsewhere does not overrule the place
    ({"FRA": 9}, {"USA": 1}, ("FRA", "setting: France (9 mentions)")),
])
def test_story_setting(weights, voices, expected):
    assert setting(weights, voices) == expected


def test_stated_voices_count_speakers_not_quotes_and_skip_guesses():
    def q(speaker, country, evidence, eid=""):
        return QuoteRow("a", 0, "q", speaker, eid, "said", "", "direct", "…", 0, 1,
                        speaker_country=country, country_evidence=evidence)
    quotes = [q("Tom Hale", "USA", "Sen. Tom Hale", "p1"), q("Hale", "USA", "Sen. Tom Hale", "p1"),
              q("Ann Poe", "USA", "(R-Ohio)"), q("Ali Noor", "AFG", "an Afghan commander"),
              q("Luis Vega", "FRA", "setting: France (9 mentions)"), q("a UN envoy", "", "UN envoy")]
    assert stated_voices(quotes) == Counter({"USA": 2, "AFG": 1})
