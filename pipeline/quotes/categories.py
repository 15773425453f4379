"""Speaker categories (data/quotes/categories.txt): official, politician, diplomat, military, academic and
think tank, business, media, civil society, international organisation, public, or unknown."""
from __future__ import annotations

import re

from pipeline.quotes.lexicon import QuoteLexicon

UNKNOWN = "unknown"


def categorize(role: str, affiliation: str, entity_type: str, lexicon: QuoteLexicon) -> str:
    """The speaker category from data/quotes/categories.txt (official, politician, diplomat, military,
    academic and think tank, business, media, civil society, international organisation, public), or unknown."""
    # the affiliation decides first (a company's vice president is business, a ministry's is official),
    # then the role, then the entity type
    for field in (affiliation, role):
        words = re.sub(r"[^\w]+", " ", field.lower()).split()
        if not words:
            continue
        # a plural finds its singular too ("candidates" -> "candidate")
        text = " " + " ".join(words) + " " + " ".join(w[:-1] for w in words if len(w) > 3 and w[-1] == "s") + " "
        for category, words in lexicon.categories:
            if any(not w.startswith("type:") and f" {w} " in text for w in words):
                return category
    for category, words in lexicon.categories:
        if entity_type and f"type:{entity_type.lower()}" in words:
            return category
    return UNKNOWN
