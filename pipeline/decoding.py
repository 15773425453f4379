"""Bytes to text: BOM-aware decoding with a cp1252 fallback, NFC, '\n' line ends."""
from __future__ import annotations

import codecs
import re
import unicodedata


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we read."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),   # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0/C1 control characters other than line and page breaks and tabs: they never occur in real
# text, so more than a few of them means binary data.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    return len(_CONTROLS.findall(text)) > max(2, len(text) // 200)


def normalise_text(text: str) -> str:
    """'\n' line ends and NFC; quote marks and everything else kept as written."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes: UTF-8/16/32 with a BOM, else UTF-8, else cp1252.

    Raises UndecodableError for binary data. The result is NFC-normalised with '\n' line ends;
    quote marks are kept exactly as written.
    """
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UndecodableError(f"invalid {codec} text: {exc.reason}") from exc
            break
    if text is None:
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
