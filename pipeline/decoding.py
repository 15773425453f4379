"""Bytes to text: BOM-aware decoding with a cp1252 fallback, NFC, '\n' line ends."""
from __future__ import annotations

import codecs
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

# Control characters that never occur in real text; many of them means binary data.
_TEXT_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS)
    return controls > max(2, len(text) // 200)


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
    if text.startswith("\ufeff"):
        text = text[1:]
    if _looks_binary(text):
        raise UndecodableError("binary data, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
