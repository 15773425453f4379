"""Bytes to text: BOM-aware decoding with a cp1252 fallback, NFC, '\n' line ends.

Whatever the input, the text that leaves here holds no control characters (other than '\n' and
'\t') and no lone surrogates: both would reach the tables (a NUL in articles.csv) or make the
UTF-8 encoding of a later stage fail.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from typing import BinaryIO


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we read."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),   # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SCAN_CHUNK = 1 << 16    # bytes per read when a stream's encoding is checked: memory stays flat

# C0/C1 control characters other than line and page breaks and tabs: they never occur in real
# text, so more than a few of them means binary data.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Line breaks in other forms: CR, CRLF, vertical tab (Word's manual line break), form feed (page
# break), NEL. All become '\n'.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85]")
# What is left of the controls after that is removed: it has no meaning in an article.
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Lone surrogates come from JSON escapes ("\ud800") and surrogate-escaped file names.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Any of the three above: one scan tells whether a text needs them at all.
_TO_FIX = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# The bytes other than C0 controls (but tab and line breaks) and DEL: deleting them counts those.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b <= 0x08 or 0x0e <= b <= 0x1f or b == 0x7f))
_C1_IN_UTF8 = re.compile(b"\xc2[\x80-\x9f]")

# Characters that show nothing and mean nothing at the edge of a line or field: zero-width space,
# joiners, word joiner and invisible operators, BOM, soft hyphen, grapheme joiner, Mongolian vowel
# separator, direction marks.
_ZERO_WIDTH = "\u00ad\u034f\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff"
# Also invisible, but kept at edges since they shape the character beside them (variation
# selectors, emoji tag sequences, direction embeddings), and blank "filler" letters.
_OTHER_INVISIBLE = ("\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u202a-\u202e\u2066-\u206f\u2800\u3164"
                    "\ufe00-\ufe0f\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                    "\U000e0000-\U000e0fff")
_HSPACE = "\t \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"   # whitespace but '\n'
_VISIBLE = re.compile(f"[^\\s\x00-\x1f\x7f-\x9f{_ZERO_WIDTH}{_OTHER_INVISIBLE}]")
_ANY_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH}]")
# Edge runs: the look-behind starts a trailing run only at its first character, so a long run of
# spaces is scanned once, not once per character.
_LINE_EDGE = re.compile(f"(?m)^[{_HSPACE}{_ZERO_WIDTH}]++|(?<![{_HSPACE}{_ZERO_WIDTH}])[{_HSPACE}{_ZERO_WIDTH}]++$")
_FIELD_EDGE = re.compile(f"^[\\s{_ZERO_WIDTH}]++|(?<![\\s{_ZERO_WIDTH}])[\\s{_ZERO_WIDTH}]++$")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    return len(_CONTROLS.findall(text)) > max(2, len(text) // 200)


def has_visible_text(text: str) -> bool:
    """Whether the text shows anything: a file of zero-width characters is no article."""
    return _VISIBLE.search(text) is not None


def _drop_zero_width(match: re.Match) -> str:
    return _ANY_ZERO_WIDTH.sub("", match.group())


def normalise_text(text: str) -> str:
    """'\n' line ends and NFC; no control characters but '\n' and '\t'; lone surrogates become
    U+FFFD; UTF-8 that was once decoded as Latin-1 or cp1252 repaired ("PeÃ±a" -> "Peña", ftfy).
    Quote marks and everything else kept as written."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)   # "A" + U+0303 is "Ã": mojibake in decomposed form too
    if _MOJIBAKE_HINT.search(text):    # first: a cp1252 quote mark's last byte reads as a C1 control
        text = _fix_mojibake(text)
    if _TO_FIX.search(text):       # one scan; most texts need none of the three passes
        text = _LINE_BREAKS.sub("\n", text)
        text = _STRAY_CONTROLS.sub("", text)
        text = _SURROGATES.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


# The first character of most UTF-8 sequences read as Latin-1/cp1252 ("Ã±", "â€œ", "Â½"); rare in
# real text, so the repair (ftfy, which changes only what it recognises as such) runs on few articles.
_MOJIBAKE_HINT = re.compile("[ÂÃâ]")


def _fix_mojibake(text: str) -> str:
    import ftfy     # only for the few texts that need it
    return ftfy.fix_encoding(text)


def trim_zero_width(text: str) -> str:
    """Zero-width characters at the edges of lines removed (whitespace kept), so that no title or
    paragraph is invisible or starts with one; inside a line they are kept (a joiner in an emoji)."""
    if not text.isascii() and _ANY_ZERO_WIDTH.search(text):
        text = _LINE_EDGE.sub(_drop_zero_width, text)
    return text


def clean_field(value: str) -> str:
    """A one-line metadata value (title, outlet, url, date, id): normalised, whitespace runs made
    one space, invisible characters gone from its edges; "" when nothing visible is left."""
    value = " ".join(normalise_text(value).split())
    value = _FIELD_EDGE.sub("", value)
    return value if has_visible_text(value) else ""


def _bom_codec(head: bytes) -> str | None:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return None


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes: UTF-8/16/32 with a BOM, else UTF-8, else cp1252.

    Raises UndecodableError for binary data. The result is normalised (normalise_text); quote
    marks are kept exactly as written. Strict decoding: no decoder here yields a surrogate.
    """
    codec = _bom_codec(data[:4])
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"invalid {codec} text: {exc.reason}") from exc
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                # Legacy single-byte text from Windows tools; strict so truly random bytes fail.
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise UndecodableError("not UTF-8, UTF-16 or cp1252 text") from exc
    if _looks_binary(text):
        raise UndecodableError("binary data, not text")
    return normalise_text(text)


def stream_encoding(f: BinaryIO) -> str:
    """The codec a whole binary stream decodes with — the choice decode_bytes makes for the same
    bytes — found by reading it once in small chunks, so a large collection file is never in
    memory whole. Leaves the stream at its start. Raises UndecodableError as decode_bytes does."""
    codec = _bom_codec(f.read(4))
    f.seek(0)
    for candidate in (codec,) if codec else ("utf-8", "cp1252"):
        try:
            binary = _scan(f, candidate)
        except UnicodeDecodeError as exc:
            if codec:
                raise UndecodableError(f"invalid {codec} text: {exc.reason}") from exc
            continue
        finally:
            f.seek(0)
        if binary:
            raise UndecodableError("binary data, not text")
        return candidate
    raise UndecodableError("not UTF-8, UTF-16 or cp1252 text")


def _scan(f: BinaryIO, codec: str) -> bool:
    """Decode the stream strictly, chunk by chunk (raises UnicodeDecodeError); whether the text
    looks binary by _looks_binary's measure, taken over the whole text."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    n_chars = n_controls = 0
    nul = False
    while True:
        chunk = f.read(_SCAN_CHUNK)
        text = decoder.decode(chunk, final=not chunk)
        n_chars += len(text)
        n_controls += _count_controls(chunk, text, codec)
        nul = nul or "\x00" in text
        if not chunk:
            return nul or n_controls > max(2, n_chars // 200)


def _count_controls(chunk: bytes, text: str, codec: str) -> int:
    """_CONTROLS in the text; counted in the bytes where the encoding allows (several times faster):
    in UTF-8 and cp1252 a C0 control is its own byte, and cp1252 has no C1 controls."""
    if codec not in ("utf-8", "cp1252"):
        return len(_CONTROLS.findall(text))
    n = len(chunk.translate(None, _NOT_CONTROL_BYTES))
    if codec == "utf-8" and b"\xc2" in chunk:
        n += len(_C1_IN_UTF8.findall(chunk))
    return n
