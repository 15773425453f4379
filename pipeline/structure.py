"""Structure stage: find an article's title, standfirst, credits, sections and paragraphs.

Pure function of a SourceDocument; the rules come from ``data/structure.toml``.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.dates import parse_date
from pipeline.records import SourceDocument

_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙■□►▶*]|[-–—](?=\s))\s*")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
# A sentence ends in . ! ? … : or ; possibly followed by closing quotes or brackets.
_FINAL_PUNCT = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_DATE_LABEL = re.compile(r"^(?:published|posted|updated|date|first published)\s*(?:on|at)?\s*[:：]?\s*", re.I)
_WS = re.compile(r"\s+")
# Labels whose credit names the outlet the text was taken from.
_OUTLET_LABELS = {"source", "sources", "excerpts", "excerpt"}
_SIGNOFF_REACH = 300   # characters from the end of the last paragraph searched for a wire sign-off
# Records carry their title in a field: one without it has none, and its text is all body.
_TITLE_FROM_FIELD = {"jsonl", "csv"}


@dataclass(frozen=True)
class StructureRules:
    credit_line: re.Pattern
    byline: re.Pattern
    boilerplate: re.Pattern
    signoff: re.Pattern
    boilerplate_max_words: int
    footer_short_words: int
    heading_max_words: int
    heading_max_chars: int
    standfirst_max_words: int


def read_limits(path: Path) -> tuple[int, int]:
    """The largest article file and collection file (JSONL/CSV) read, in bytes ([limits] in
    structure.toml: what the readers need, apart from the parsing rules below)."""
    with open(path, "rb") as f:
        limits = tomllib.load(f)["limits"]
    return int(limits["max_article_file_bytes"]), int(limits["max_collection_file_bytes"])


def load_structure_rules(path: Path) -> StructureRules:
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    labels = sorted(cfg["credits"]["labels"], key=len, reverse=True)
    label_alt = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in labels)
    max_credit = int(cfg["credits"]["max_chars"])
    return StructureRules(
        credit_line=re.compile(rf"^\(?\s*(?P<label>{label_alt})\s*[:：|]\s*(?P<who>.{{1,{max_credit}}}?)\s*\)?$", re.I),
        byline=re.compile(cfg["credits"]["byline"]),
        boilerplate=re.compile("|".join(f"(?:{p})" for p in cfg["boilerplate"]["patterns"]), re.I),
        signoff=re.compile("|".join(f"(?:{p})" for p in cfg["signoff"]["patterns"])),
        boilerplate_max_words=int(cfg["boilerplate"]["max_words"]),
        footer_short_words=int(cfg["footer"]["short_line_words"]),
        heading_max_words=int(cfg["headings"]["max_words"]),
        heading_max_chars=int(cfg["headings"]["max_chars"]),
        standfirst_max_words=int(cfg["standfirst"]["max_words"]),
    )


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    standfirst: str
    credits: tuple[str, ...]
    paragraphs: tuple[str, ...]
    paragraph_sections: tuple[int, ...]
    headings: tuple[str, ...]          # headings[section_id]; "" for an untitled lead
    published: str
    outlet: str
    url: str
    content_hash: str
    boilerplate_removed: tuple[str, ...]


@dataclass
class _Unit:
    text: str
    bullet: bool = False
    md_heading: bool = False
    kind: str = "content"   # content | credit | boilerplate | date


_LINE_END_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")


def _units(text: str, *, markdown: bool) -> list[_Unit]:
    """Split text into line units; a hard-wrapped block of long lines becomes one unit."""
    units: list[_Unit] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        hard_wrapped = (
            len(lines) > 1
            and all(len(ln) >= 40 for ln in lines[:-1])
            and not any(_BULLET.match(ln) or (markdown and _MD_HEADING.match(ln)) for ln in lines)
            and not _one_paragraph_per_line(lines)
        )
        if hard_wrapped:
            lines = [" ".join(lines)]
        elif len(lines) > 1:
            lines = _paragraph_lines(lines)
        for line in lines:
            md = _MD_HEADING.match(line) if markdown else None
            if md:
                units.append(_Unit(md.group(1), md_heading=True))
                continue
            bullet = _BULLET.match(line)
            if bullet and bullet.end() < len(line):
                units.append(_Unit(line[bullet.end():].strip(), bullet=True))
            else:
                units.append(_Unit(line))
    return units


def _one_paragraph_per_line(lines: list[str]) -> bool:
    """Lines that each end a sentence are paragraphs written one per line (an export with single line
    breaks), not a paragraph hard-wrapped at a fixed width, whose lines mostly end mid-sentence."""
    ends = sum(1 for ln in lines[:-1] if _LINE_END_SENTENCE.search(ln))
    return ends * 2 > len(lines) - 1


def _paragraph_lines(lines: list[str]) -> list[str]:
    """Lines written one paragraph per line; a short line that closes the quotation the line before left
    open joins it ("“Everybody believes it.\nJane Roe.”" is one paragraph: the quote and its signature). A
    longer line, or one opening with a mark, is the quote's next paragraph (news leaves a quotation open
    at the end of each of its paragraphs but the last)."""
    out: list[str] = []
    for ln in lines:
        if out and _leaves_quote_open(out[-1]) and len(ln) < _SIGNATURE_MAX and ln[:1] not in "\"“" \
                and _closes_quote(ln):
            out[-1] += " " + ln
        else:
            out.append(ln)
    return out


_SIGNATURE_MAX = 60     # the longest line read as the signature closing a quote ("Jane Roe, a harbour pilot.”")


def _leaves_quote_open(line: str) -> bool:
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


def _closes_quote(line: str) -> bool:
    return line.count('"') % 2 == 1 or line.count("”") > line.count("“")


def _is_sentence(text: str) -> bool:
    return bool(_FINAL_PUNCT.search(text))


def _n_words(text: str) -> int:
    return len(text.split())


def _normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _credit(unit: _Unit, rules: StructureRules) -> re.Match | None:
    m = rules.credit_line.match(unit.text)
    if m and (_n_words(m.group("who")) <= 8 or not _is_sentence(m.group("who"))):
        return m
    return None


def _is_heading(unit: _Unit, rules: StructureRules) -> bool:
    if unit.md_heading:
        return True
    t = unit.text
    return (
        not unit.bullet
        and not _is_sentence(t)
        and _n_words(t) <= rules.heading_max_words
        and len(t) <= rules.heading_max_chars
        and (t[0].isupper() or t[0].isdigit())
    )


def _strip_signoff(paragraphs: list[str], sections: list[int], rules: StructureRules) -> tuple[str, ...]:
    """Remove wire sign-offs ("REUTER", "(Reporting by …)") from the end of the last paragraph, in place."""
    removed: list[str] = []
    while paragraphs:
        last = paragraphs[-1]
        m = rules.signoff.search(last, max(0, len(last) - _SIGNOFF_REACH))   # sign-offs are short
        if not m or m.start() == m.end():
            break
        removed.append(m.group().strip())
        paragraphs[-1] = paragraphs[-1][:m.start()].rstrip()
        if not paragraphs[-1]:
            paragraphs.pop()
            sections.pop()
    return tuple(removed)


def parse_structure(doc: SourceDocument, *, rules: StructureRules) -> ParsedArticle:
    units = _units(doc.text, markdown=doc.format == "md")
    title = _normalise(doc.title)
    if title and units and _normalise(units[0].text).casefold() == title.casefold():
        units = units[1:]
    elif not title and len(units) > 1 and doc.format not in _TITLE_FROM_FIELD:
        # The first line is the title only when text follows it: a one-line article is all body.
        title = units.pop(0).text

    credits: list[str] = []
    outlet = doc.outlet
    published = doc.published
    for unit in units:
        m = _credit(unit, rules)
        if m or rules.byline.match(unit.text):
            unit.kind = "credit"
            credits.append(_normalise(unit.text).strip("()"))
            if m and not outlet and m.group("label").lower() in _OUTLET_LABELS:
                outlet = _normalise(m.group("who"))
        elif _n_words(unit.text) <= rules.boilerplate_max_words and rules.boilerplate.search(unit.text):
            unit.kind = "boilerplate"

    # The site footer: the trailing run of short non-sentence lines, when it holds boilerplate.
    run_start = len(units)
    for i in range(len(units) - 1, -1, -1):
        u = units[i]
        short_line = _n_words(u.text) <= rules.footer_short_words and not _is_sentence(u.text)
        if u.kind in ("credit", "boilerplate") or short_line or u.bullet:
            run_start = i
        else:
            break
    if any(u.kind == "boilerplate" for u in units[run_start:]):
        for u in units[run_start:]:
            if u.kind == "content":
                u.kind = "boilerplate"

    content = [u for u in units if u.kind == "content"]
    # Date lines in the header ("May 16, 2024", "Published: 2024-05-16") are metadata.
    for u in content[:3]:
        if _n_words(u.text) <= 8:
            iso = parse_date(_DATE_LABEL.sub("", u.text))
            if iso:
                u.kind = "date"
                published = published or iso
    content = [u for u in content if u.kind == "content"]

    standfirst = ""
    if (len(content) > 1 and not content[0].md_heading and not content[0].bullet
            and not _is_sentence(content[0].text) and _n_words(content[0].text) <= rules.standfirst_max_words
            and not _is_heading(content[1], rules)):
        standfirst = content.pop(0).text

    headings: list[str] = []
    paragraphs: list[str] = []
    paragraph_sections: list[int] = []
    pending: list[str] = []          # headings waiting for their first paragraph
    is_heading = [_is_heading(u, rules) for u in content]
    last_text = max((i for i, h in enumerate(is_heading) if not h), default=-1)
    for i, u in enumerate(content):
        # A heading needs text under it; heading-like lines after the last paragraph are text.
        if is_heading[i] and i < last_text:
            pending.append(u.text)
            continue
        if pending or not headings:
            headings.append(" — ".join(pending))
            pending = []
        paragraphs.append(u.text)
        paragraph_sections.append(len(headings) - 1)

    signoffs = _strip_signoff(paragraphs, paragraph_sections, rules)
    removed = tuple(u.text for u in units if u.kind == "boilerplate") + signoffs
    digest = hashlib.sha256("\n".join([title, standfirst, *paragraphs]).encode("utf-8")).hexdigest()
    return ParsedArticle(
        title=title,
        standfirst=standfirst,
        credits=tuple(credits),
        paragraphs=tuple(paragraphs),
        paragraph_sections=tuple(paragraph_sections),
        headings=tuple(headings),
        published=published,
        outlet=outlet,
        url=doc.url,
        content_hash=digest,
        boilerplate_removed=removed,
    )
