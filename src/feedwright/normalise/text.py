"""Text hygiene: decoding unknown bytes, and the characters XML cannot carry."""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

from feedwright.errors import FeedwrightError

# XML 1.0 allows only these characters; anything else makes a feed ill-formed.
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# Bytes that are not control characters (tab, newlines, form feed and escape count as text).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


class DecodeError(FeedwrightError, ValueError):
    """The bytes are not text in any encoding we can recognise."""


def strip_xml_forbidden(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def clean_text(text: str) -> str:
    """A whole document's characters: NFC, and nothing XML forbids. Line breaks are kept."""
    if not text.isascii():  # ASCII text is NFC already: skip the normalisation pass
        text = unicodedata.normalize("NFC", text)
    return _XML_FORBIDDEN.sub("", text)


def fold_spaces(line: str) -> str:
    """Runs of white space (any width: tabs, no-break and em spaces...) folded to one space, ends
    trimmed."""
    return " ".join(line.split())


def clean_line(text: str) -> str:
    """One line of prose: NFC, forbidden characters gone, runs of spaces folded, ends trimmed."""
    return fold_spaces(clean_text(text))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes: an image or archive, not an article."""
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return bool(sample) and controls / len(sample) > 0.3


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode article bytes: a declared charset or BOM first, then UTF-8, then detection.

    Raises DecodeError for binary data, so a caller can name the file and the reason.
    """
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("the text is in no encoding that could be recognised")
    return str(best)
