"""Text from the URL and from articles, made plain for the places that would interpret it (no Streamlit).

Streamlit renders Markdown in every message, caption, header, metric and widget label: links,
autolinked URLs, emphasis, headings, lists, HTML entities, ``$…$`` LaTeX, ``:red[…]`` colours
and ``:material/…:`` icons. Plotly renders a subset of HTML in every label, tick, legend entry and
hover text (``<a href>``, ``<b>``, ``<br>``, ``<span style>``) and decodes ``&lt;``-style entities.
A title, an entity name or a query value must show as the characters it holds, so:

* ``plain_markdown`` escapes it for any Streamlit Markdown context;
* ``code_span`` puts it in an inline code span (for paths and commands: nothing inside is interpreted);
* ``plain_label`` escapes it for plotly labels;
* ``clip`` cuts an overly long value (a 50,000-character query value keeps the browser busy).
"""
from __future__ import annotations

import html
import re
import string

# CommonMark: every ASCII punctuation character can be backslash-escaped, and the backslash then
# disappears. Escaping all of them (not only today's Markdown syntax) also covers entities (``&``),
# LaTeX (``$``) and Streamlit's directives and icons (``:red[…]``, ``:material/…:``).
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# Streamlit's GFM autolinks are also found in the text *after* escapes are resolved
# (``https\:\/\/x\.y`` is still linked, tested in Chromium): an invisible word joiner after the
# ``http``/``https``/``www`` of a would-be link and after an ``@`` keeps those from forming.
WORD_JOINER = "\u2060"
_AUTOLINK_START = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
# a line break would start a new block (heading, list, table, code): labels stay on one line
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")
_BACKTICK_RUNS = re.compile(r"`+")

MAX_VALUE_CHARS = 200  # longest query value used (a name or a term is far shorter)


def one_line(text: object) -> str:
    """``text`` as a string with its line breaks (and the blanks around them) turned into one space."""
    return _LINE_BREAKS.sub(" ", str(text))


def plain_markdown(text: object) -> str:
    """``text`` escaped so that Streamlit's Markdown shows exactly its characters, on one line.

    No link, emphasis, heading, list, tag, entity or formula can form; would-be autolinks carry
    an invisible word joiner (``WORD_JOINER``), the only character added.
    """
    text = _AUTOLINK_START.sub(lambda m: m.group() + WORD_JOINER, one_line(text))
    return _PUNCTUATION.sub(r"\\\1", text)


def code_span(text: object) -> str:
    """``text`` as an inline code span whose fence is longer than any backtick run inside it."""
    text = one_line(text)
    fence = "`" * (max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0) + 1)
    # CommonMark strips one space from each end when both are there: pad so the text keeps its own
    pad = " " if text[:1] == "`" or text[-1:] == "`" or (text[:1] == text[-1:] == " ") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain_label(text: object) -> str:
    """``text`` for a plotly label or hover text: ``<`` and ``&`` escaped, so no tag or entity forms.

    plotly.js decodes ``&lt;`` ``&gt;`` ``&amp;`` (and numeric entities) back to the characters,
    so the label reads as written. Quotes need no escaping: no tag can open.
    """
    return html.escape(str(text), quote=False)


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> tuple[str, bool]:
    """(``text`` cut to ``limit`` characters, whether it was cut)."""
    return (text[:limit], True) if len(text) > limit else (text, False)


__all__ = ["MAX_VALUE_CHARS", "WORD_JOINER", "clip", "code_span", "one_line", "plain_label", "plain_markdown"]
