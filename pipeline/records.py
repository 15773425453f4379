"""Typed records passed between stages and written as table rows.

Every table the pipeline writes has one dataclass here; its field order is the column order.
Character offsets (``char_start``/``char_end``) always index into ``ParagraphRow.text`` of the
same (article_id, paragraph_id).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


# --------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class SourceDocument:
    """One article as read from disk, before any structure is found (the IO edge's output)."""

    doc_id: str            # record id (jsonl/csv) or file stem; made unique by the reader
    source_path: str       # relative to the input it was found under
    text: str              # decoded, NFC-normalised, '\n' line ends
    format: str            # txt | md | html | jsonl | csv
    title: str = ""        # from metadata, when the format carries one (html, jsonl, csv, front matter)
    published: str = ""    # ISO date (YYYY-MM-DD) or empty
    outlet: str = ""
    url: str = ""
    # where ``published`` came from: "metadata" (front matter, sidecar, HTML, record fields) or
    # "file_name"; "" when the reader found no date (the structure stage may find one in the text).
    # Counted in the manifest; not a column.
    date_source: str = ""


@dataclass(frozen=True)
class ArticleText:
    """What the extraction stages see of one article: its clean text, paragraph by paragraph.

    ``paragraphs[i]`` is the text of paragraph_id ``i``; ``paragraph_sections[i]`` its section_id.
    """

    article_id: str
    title: str
    standfirst: str
    paragraphs: tuple[str, ...]
    paragraph_sections: tuple[int, ...]
    headings: tuple[str, ...]          # headings[section_id]; "" for an untitled section
    published: str = ""                # ISO date or empty
    outlet: str = ""


# --------------------------------------------------------------------------- table rows

@dataclass
class ArticleRow:
    article_id: str
    source_path: str
    title: str
    standfirst: str
    outlet: str
    credits: str            # credit lines joined by " | " (e.g. "Photo: Xinhua | Excerpts: Global Times")
    published: str          # ISO date or empty
    url: str
    dyad: str               # "AAA-BBB", alphabetical ISO alpha-3; empty when < 2 countries matter
    n_words: int
    n_paragraphs: int
    content_hash: str       # sha256 of the normalised text


@dataclass
class SectionRow:
    article_id: str
    section_id: int
    heading: str            # empty for an untitled lead / a topic section
    position: int           # 0-based order in the article
    n_paragraphs: int
    topic: str              # dominant topic id, empty when none


@dataclass
class ParagraphRow:
    article_id: str
    paragraph_id: int
    section_id: int
    text: str
    topics: str = ""            # topic ids joined by ";"
    topic_evidence: str = ""    # "topic:term|term;topic:term" — the terms that triggered each topic


@dataclass
class EntityRow:
    entity_id: str          # ISO alpha-3 for countries; "person:slug", "org:slug", "place:slug" otherwise
    name: str
    type: str               # country | person | organization | place | other
    country: str            # ISO alpha-3 (a country's own code for countries), or empty
    role: str = ""
    source: str = "catalog"  # catalog | discovered
    affiliation: str = ""


@dataclass
class MentionRow:
    article_id: str
    paragraph_id: int
    entity_id: str
    surface: str
    char_start: int
    char_end: int


# How quotes.country_evidence (and speaker_description) mark a value the article does not state itself;
# the pipeline writes them, the dashboard reads them.
# what stands in a quote row's text for the attribution between its parts ("We will, … Soon."; the row's
# offsets span them all)
PIECE_JOINER = " … "
SETTING_PREFIX = "setting: "           # a side guessed from the setting (pipeline/quotes/setting.py)
CORPUS_PREFIX = "other articles: "     # a side or description other articles of the corpus state


@dataclass
class QuoteRow:
    article_id: str
    paragraph_id: int
    quote_id: str           # shared by the rows of a quote that spans paragraphs
    speaker: str            # canonical name; empty only when truly unknown
    speaker_entity_id: str
    cue: str                # reporting verb, or "according to"
    channel: str            # outlet the words were given to / taken from
    kind: str               # direct | indirect
    text: str
    char_start: int
    char_end: int
    speaker_country: str = ""   # ISO alpha-3 of the speaker's side, from the article (pipeline/quotes/profile.py)
    country_evidence: str = ""  # the phrase that gave speaker_country
    speaker_description: str = ""  # how the article introduces the speaker ("Jane Roe, a Republican strategist")
    speaker_category: str = ""     # the category that description gives (pipeline/quotes/categories.py), or unknown


@dataclass
class SpeakerRow:
    name: str
    entity_id: str
    role: str
    affiliation: str
    country: str
    category: str           # official | academic and think tank | business | media | other
    direct_quotes: int
    indirect_quotes: int
    words_quoted: int
    articles: int
    country_evidence: str = ""  # the phrase that gave country (catalog name, or the commonest in-article phrase)
    country_articles: int = 0   # articles whose quotes give the speaker that country
    role_evidence: str = ""     # the phrase that gave role (the entity's role and affiliation as found)


@dataclass
class KeywordRow:
    level: str              # corpus | article | section
    article_id: str         # empty at corpus level
    section_id: str         # empty unless section level (kept as text so it can be empty)
    keyword: str
    score: float            # YAKE's (lower is better); corpus level: see docs/data-dictionary.md
    rank: int               # 1 = best


# --------------------------------------------------------------------------- per-article result

@dataclass(frozen=True)
class PassFailure:
    """A pass of a stage that raised on one article and was replaced by its fallback (the article is kept):
    logged with the article id and listed in manifest.json's ``pass_failures``."""
    pass_name: str          # "quotes.extract", "quotes.profile"
    reason: str             # "ExceptionType: message", short


def pass_failure(pass_name: str, exc: BaseException, *, max_chars: int = 300) -> PassFailure:
    message = " ".join(str(exc).split())
    reason = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return PassFailure(pass_name, reason if len(reason) <= max_chars else reason[:max_chars - 1] + "…")


@dataclass
class ArticleResult:
    """Everything the per-article pure function produces for one article."""

    article: ArticleRow
    sections: list[SectionRow] = field(default_factory=list)
    paragraphs: list[ParagraphRow] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)   # entities this article mentions
    mentions: list[MentionRow] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    keywords: list[KeywordRow] = field(default_factory=list)  # article and section level
    boilerplate_removed: list[str] = field(default_factory=list)
    pass_failures: list[PassFailure] = field(default_factory=list)


def columns(record_type) -> list[str]:
    """Column names of a table, in order, from its record dataclass."""
    return [f.name for f in fields(record_type)]


TABLES = {
    "articles": ArticleRow,
    "sections": SectionRow,
    "paragraphs": ParagraphRow,
    "entities": EntityRow,
    "mentions": MentionRow,
    "quotes": QuoteRow,
    "speakers": SpeakerRow,
    "keywords": KeywordRow,
}


@dataclass
class EntityResult:
    """The entity stage's output for one article."""

    entities: list[EntityRow] = field(default_factory=list)  # catalog + discovered entities it mentions
    mentions: list[MentionRow] = field(default_factory=list)
    dyad: str = ""
    # article-scoped references resolved to entities: surface as written ("Maslov",
    # "the Chinese president", "President Xi") -> entity_id. The quote stage uses it for speakers.
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class TopicResult:
    """The topic stage's output for one article (may re-section an article that has no headings)."""

    paragraph_topics: list[str] = field(default_factory=list)     # per paragraph: "id;id"
    paragraph_evidence: list[str] = field(default_factory=list)   # per paragraph: "id:term|term;id:term"
    paragraph_sections: list[int] = field(default_factory=list)   # per paragraph: final section_id
    headings: list[str] = field(default_factory=list)             # per final section
    section_topics: list[str] = field(default_factory=list)       # per final section: dominant topic id
