"""An article's setting: the side given to a speaker the article says nothing about.

Most voices in a story are from where it happens (a city official in a story set in Lyon, a shop owner in one
set in Ohio). Where it happens is named in the lead, and by the story's cities and regions more than by
country names, which are as often what the story is about ("the mayor criticised China"): the profile pass
weighs each country by its mentions (``place_weights``). Two things overrule those places:

* a story whose places are spread over several countries — none holds ``DOMINANT_SHARE`` of the weight (a
  plane crash with passengers from six countries) — has no single setting: its unplaced friends and
  colleagues are of no stated country;
* the story's other speakers: when the speakers whose side the article states mostly come from one country
  and none from the place (Washington officials on a war abroad, a capital's reaction to a disaster
  elsewhere), an unplaced speaker is more likely one of them than a local.

Pure functions on counts; the evidence phrase starts with ``SETTING_PREFIX`` so that later stages and the
dashboard can tell a guess from a stated side.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from pipeline.records import SETTING_PREFIX, QuoteRow

# the least share of the place weight that makes one country the story's setting
DOMINANT_SHARE = 0.4
# the other speakers decide when at least this many of them, and at least half, are of one country (and
# no other country has as many)
MIN_VOICES = 2


def stated_voices(quotes: Iterable[QuoteRow]) -> Counter[str]:
    """Speakers per country among those whose side the article states (not a setting guess): each speaker
    (entity id, else name or phrase) counted once."""
    seen: set[str] = set()
    voices: Counter[str] = Counter()
    for q in quotes:
        if not q.speaker_country or q.country_evidence.startswith(SETTING_PREFIX):
            continue
        key = q.speaker_entity_id or q.speaker
        if key not in seen:
            seen.add(key)
            voices[q.speaker_country] += 1
    return voices


def _voice_majority(voices: Counter[str]) -> tuple[str, int, int] | None:
    """(country, its speakers, all speakers) when one country has at least ``MIN_VOICES`` and at least half
    of the speakers with a stated side, and more than any other country."""
    ranked = voices.most_common(2)
    if not ranked:
        return None
    code, k = ranked[0]
    n = sum(voices.values())
    if k < MIN_VOICES or 2 * k < n or (len(ranked) > 1 and ranked[1][1] == k):
        return None
    return code, k, n


def _dominant_place(weights: dict[str, int]) -> str | None:
    """The country with the most place weight (the first named on a tie) when it holds at least
    ``DOMINANT_SHARE`` of it."""
    if not weights:
        return None
    code = max(weights, key=weights.get)
    return code if weights[code] >= DOMINANT_SHARE * sum(weights.values()) else None


def story_setting(weights: dict[str, int], mentions: dict[str, int], voices: Counter[str], *,
                  name_of: Callable[[str], str]) -> tuple[str, str] | None:
    """(country, evidence) for a speaker the article places nowhere, else None.

    ``weights``: place weight per country in the order first named; ``mentions``: their plain counts;
    ``voices``: ``stated_voices`` of the article; ``name_of``: a country code's name for the evidence."""
    place = _dominant_place(weights)
    majority = _voice_majority(voices)
    if place is not None and (voices[place] or majority is None):
        return place, f"{SETTING_PREFIX}{name_of(place)} ({mentions.get(place, 0)} mentions)"
    if majority is not None:
        code, k, n = majority
        return code, f"{SETTING_PREFIX}{name_of(code)} ({k} of {n} speakers)"
    return None
