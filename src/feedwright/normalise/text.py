"""Text hygiene: decoding unknown bytes, and the characters XML cannot carry."""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

# XML 1.0 allows only these characters; anything else makes a feed ill-formed.
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def strip_xml_forbidden(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def clean_line(text: str) -> str:
    """One line of prose: NFC, forbidden characters gone, runs of spaces folded, ends trimmed."""
    return _SPACES.sub(" ", strip_xml_forbidden(unicodedata.normalize("NFC", text))).strip()


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes: an image or archive, not an article."""
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
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
