"""Quotation marks and sentence ends in one paragraph: linear scans, no model."""
from __future__ import annotations

import re
from dataclasses import dataclass

# “ ” « » „ ‟ curly/guillemet marks know their side; " and '' (newspaper double apostrophe) do not.
MARK = re.compile(r"''|[\"“”«»„‟]")
OPENERS = {"“", "«", "„", "‟"}
CLOSERS = {"”", "»"}
_FAMILY = {"“": "curly", "”": "curly", "„": "curly", "‟": "curly", "«": "guillemet", "»": "guillemet"}
_CLOSER_OF = {"curly": "”", "guillemet": "»"}


@dataclass
class Span:
    """A quoted stretch of one paragraph. ``start``/``end`` bound the words inside the marks."""

    open: int        # index of the opening mark; == start when the span has no opening mark
    start: int
    end: int
    close: int       # index just after the closing mark; == end when unclosed
    opened: bool     # has an opening mark in this paragraph
    closed: bool     # has a closing mark in this paragraph


def find_spans(par: str) -> list[Span]:
    """Quoted stretches in reading order. A closing mark with no opening one before it is returned as a
    span starting at the paragraph start with ``opened=False`` (a continuation from an earlier paragraph
    whose reopening mark is missing); an opening mark never closed runs to the paragraph end."""
    spans: list[Span] = []
    cur: tuple[int, int] | None = None
    outer = ""        # the family of the open span's mark when it has a side: "curly" or "guillemet"
    nested = 0        # depth of quotes of the other family inside it
    straight = 0      # depth of straight-marked quotes inside it
    n = len(par)
    # where each side-knowing closing mark last occurs (found on first need): "a closer comes later"
    # without re-reading the rest of the paragraph at every mark
    last_closer: dict[str, int] = {}
    for m in MARK.finditer(par):
        mk, i, j = m.group(), m.start(), m.end()
        prev = par[i - 1] if i > 0 else " "
        nxt = par[j] if j < n else " "
        if cur is not None and outer:
            # A quote inside a quote: “… "the reform" …”, « … “…” … ». Marks of another kind than the
            # open span's are nested, as long as the span's own closing mark comes later.
            family = _FAMILY.get(mk, "")
            closer = _CLOSER_OF[outer]
            if closer not in last_closer:
                last_closer[closer] = par.rfind(closer)
            if family != outer and last_closer[closer] >= j:
                typo_close = False
                if not family:
                    # a straight mark inside “…”: glued to a word's start it opens an inner "…", glued
                    # after the end of a phrase it closes that inner one; with none open, a mark after
                    # ",.?!" that is followed by a space is the typo'd end of the span itself
                    # (“We are ready," she said. "And …”)
                    if prev.isspace() and nxt.isalnum():
                        straight += 1
                    elif not prev.isspace() and (nxt.isspace() or nxt in ",.;:!?"):
                        if straight:
                            straight -= 1
                        else:
                            typo_close = (prev in ",.?!" or prev.isalpha()) and nxt.isspace()
                elif mk in OPENERS:
                    nested += 1
                elif nested:
                    nested -= 1
                if not typo_close:
                    continue
        if cur is not None and not outer and mk == '"':
            # Straight marks inside a straight quote: one glued after "(", "[", "{", "=" or "," to
            # the next word opens a quote inside it (a formula's =HYPERLINK("url","text"), a
            # parenthesis ("yes")); the next mark glued to a word closes that inner one.
            if prev in "([{=," and not nxt.isspace() and nxt not in ",.;:!?)":
                nested += 1
                continue
            if nested and not prev.isspace():
                nested -= 1
                continue
        if mk in OPENERS:
            side = "open"
            # a typo'd closing mark: an opener glued to the end of the open quote's last word (“best in the world“ and)
            if cur is not None and not prev.isspace() and (nxt.isspace() or nxt in ",.;:!?") and i > cur[1]:
                side = "close"
        elif mk in CLOSERS:
            side = "close"
            if cur is None and mk == "”" and prev.isspace() and nxt.isalnum():
                side = "open"       # a closing mark typed for an opening one: glued to the word it opens (let reporters ”see …”)
        else:
            if cur is None:
                # an ambiguous mark opens when it is not glued to the end of a word
                if nxt.isspace() and prev.isspace():
                    continue          # a lone mark between spaces is noise
                if nxt.isspace() and not prev.isspace():
                    side = "close"
                else:
                    side = "open"
            else:
                side = "close"
                # glued to the next word after a space: a new opening, the previous close is missing
                if prev.isspace() and (nxt.isalnum()) and not par[cur[1]:i].strip() == "":
                    side = "reopen"
        if side == "open":
            if cur is not None:
                end = i
                while end > cur[1] and par[end - 1].isspace():
                    end -= 1
                spans.append(Span(cur[0], cur[1], end, end, True, False))
            cur = (i, j)
            outer, nested, straight = (_FAMILY.get(mk, "") if mk in OPENERS else ""), 0, 0
        elif side == "reopen":
            end = i
            while end > cur[1] and par[end - 1].isspace():
                end -= 1
            spans.append(Span(cur[0], cur[1], end, end, True, False))
            cur = (i, j)
            outer, nested, straight = "", 0, 0
        else:
            if cur is not None:
                spans.append(Span(cur[0], cur[1], i, j, True, True))
                cur = None
                outer, nested, straight = "", 0, 0
            elif not spans and par[:i].strip():
                # stray closing mark: a continuation whose opening mark is missing (or a typo)
                spans.append(Span(0, 0, i, j, False, True))
    if cur is not None:
        end = n
        while end > cur[1] and par[end - 1].isspace():
            end -= 1
        spans.append(Span(cur[0], cur[1], end, end, True, False))
    # trim whitespace inside the marks
    for s in spans:
        while s.start < s.end and par[s.start].isspace():
            s.start += 1
        while s.end > s.start and par[s.end - 1].isspace():
            s.end -= 1
    return [s for s in spans if s.end > s.start]


# Each alternative starts at the first mark of a run of [.!?] (the lookbehind: the mark before it is
# none): a start inside the run sees the same run end and the same text after it, so it matches
# exactly when the run's first mark does; without the lookbehind a long run of marks that ends no
# sentence was re-read from each of them. (The lookbehind follows the first mark so that the regex
# engine still jumps from mark to mark.)
_SENT_END = re.compile(r"[.!?](?<![.!?]{2})[.!?]*[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9\u00C0-\u024F])"
                       r"|[.!?](?<![.!?]{2})[.!?]*[\"”’'»)\]]*\s*$")


def sentence_ends(text: str, abbreviations: set[str]) -> list[int]:
    """Offsets just after each sentence-ending punctuation run (abbreviations and initials skipped)."""
    out = []
    text_end = len(text.rstrip())
    for m in _SENT_END.finditer(text):
        i = m.start()
        if text[i] == ".":
            k = i
            while k > 0 and (text[k - 1].isalnum() or text[k - 1] in ".-"):
                k -= 1
            word = text[k:i]
            acronym = "." in word and len(word) <= 6 and word.replace(".", "").isupper()
            if (word in abbreviations or (len(word) == 1 and word.isupper()) or acronym) and m.end() < text_end:
                continue
        out.append(m.end())
    return out
