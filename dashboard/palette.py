"""One colour per label, the same on every chart (pure: no Streamlit, no plotly).

* Countries are coloured by ISO alpha-3 code (``country("CHN")``), whatever name the chart shows.
* Speaker categories, entity types, topics and the pair view's groups (``third countries``,
  ``unknown``) have fixed colours in ``FIXED``.
* Any other value gets a colour from ``QUALITATIVE`` chosen by a stable hash of its text
  (sha1, not Python's salted ``hash``), so it is the same in every process and every session.

A label means one thing wherever it appears: ``other`` (a category and an entity type) and
``unknown`` (a speaker's country and category) have one colour each, and ``colour(label)`` never
depends on which chart asks. Country colours are looked up by code; a country's name is shown only
as the label of its code, so a legend entry "China" always has ``country("CHN")``.
"""
from __future__ import annotations

import hashlib

# Neutral greys for "no information" labels, used by every kind of chart.
UNKNOWN = "#a3a3a3"
OTHER = "#c7b9a6"
THIRD = "#7f7f7f"  # the pair view's "third countries"

COUNTRY = {
    "CHN": "#d62728", "RUS": "#1f77b4", "USA": "#17324d", "UKR": "#e3b505", "IND": "#ff7f0e",
    "DEU": "#5d4037", "GBR": "#7b4173", "FRA": "#4fa3d9", "JPN": "#e377c2", "KOR": "#17becf",
    "PRK": "#843c39", "IRN": "#2ca02c", "ISR": "#5254a3", "TWN": "#ad494a", "TUR": "#bd9e39",
    "PAK": "#637939", "BRA": "#31a354", "KAZ": "#9c9ede", "BLR": "#ce6dbd", "SAU": "#8ca252",
    "MEX": "#e6550d", "CAN": "#b5179e", "SYR": "#8c6d31", "IRQ": "#6b6ecf", "AFG": "#74c476",
    "LBY": "#d6616b", "VNM": "#fd8d3c", "AUS": "#3182bd", "ITA": "#9467bd", "EGY": "#bcbd22",
}

CATEGORY = {  # data/quotes/categories.txt ("other": tables of earlier pipelines)
    "official": "#4c78a8", "politician": "#e45756", "diplomat": "#72b7b2", "military": "#6b4c2a",
    "academic and think tank": "#f58518", "business": "#54a24b", "media": "#b279a2", "civil society": "#eeca3b",
    "international organisation": "#9d755d", "public": "#ff9da6", "other": OTHER, "unknown": UNKNOWN,
}

ENTITY_TYPE = {
    "country": "#1f77b4", "person": "#ff7f0e", "organization": "#2ca02c", "place": "#9467bd",
    "other": OTHER,
}

TOPIC = {  # data/topics.toml
    "diplomacy": "#4e79a7", "trade": "#f28e2b", "energy": "#e15759", "finance": "#76b7b2",
    "technology": "#59a14f", "agriculture": "#edc948", "security": "#b07aa1", "multilateral": "#ff9da7",
    "conflict": "#9c755f", "people": "#17becf", "regional": "#8cd17d", "environment": "#2f6e3b",
    "health": "#d4a6c8",
}

GROUP = {"third countries": THIRD, "unknown": UNKNOWN}

# Colours for values outside the fixed tables: d3's category20b/20c and Tableau 20, without greys
# and without any colour of the fixed tables (so a hashed label never looks like a fixed one).
_CANDIDATES = (
    "#393b79", "#5254a3", "#6b6ecf", "#9c9ede", "#637939", "#8ca252", "#b5cf6b", "#cedb9c", "#8c6d31",
    "#bd9e39", "#e7ba52", "#e7cb94", "#843c39", "#ad494a", "#d6616b", "#e7969c", "#7b4173", "#a55194",
    "#ce6dbd", "#de9ed6", "#3182bd", "#6baed6", "#9ecae1", "#e6550d", "#fd8d3c", "#fdae6b", "#31a354",
    "#74c476", "#a1d99b", "#756bb1", "#9e9ac8", "#a0cbe8", "#ffbe7d", "#b6992d", "#f1ce63", "#499894",
    "#86bcb6", "#ff9d9a", "#d37295", "#fabfd2", "#9d7660", "#d7b5a6",
)


def _merge(*tables: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in tables:
        for label, colour in table.items():
            if out.setdefault(label, colour) != colour:
                raise ValueError(f"{label!r} has two colours")  # a label means one colour everywhere
    return out


FIXED = _merge(CATEGORY, ENTITY_TYPE, TOPIC, GROUP)
_TAKEN = {c.lower() for c in (*FIXED.values(), *COUNTRY.values())}
QUALITATIVE = tuple(c for c in _CANDIDATES if c.lower() not in _TAKEN)


def hashed(label: str) -> str:
    """A colour from ``QUALITATIVE`` picked by a stable hash of ``label``."""
    digest = hashlib.sha1(str(label).encode("utf-8")).digest()
    return QUALITATIVE[int.from_bytes(digest[:4], "big") % len(QUALITATIVE)]


def colour(label: str) -> str:
    """The colour of a category, entity type, topic or group label (fixed, else hashed)."""
    return FIXED.get(label) or hashed(label)


def country(code: str) -> str:
    """The colour of a country, by ISO alpha-3 code; ``unknown`` / ``third countries`` as in ``colour``."""
    return COUNTRY.get(code) or FIXED.get(code) or hashed(code)


__all__ = ["CATEGORY", "COUNTRY", "ENTITY_TYPE", "FIXED", "GROUP", "QUALITATIVE", "TOPIC", "colour", "country",
           "hashed"]
