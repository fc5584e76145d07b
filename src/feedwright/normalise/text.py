"""Text hygiene: decoding unknown bytes, and the characters XML cannot carry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from feedwright.errors import FeedwrightError

# XML 1.0 allows only these characters; anything else makes a feed ill-formed.
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


#: The Latin-1 characters _XML_FORBIDDEN matches, as bytes.
_LATIN1_XML_FORBIDDEN = bytes(c for c in range(256) if _XML_FORBIDDEN.match(chr(c)))

# Bytes that are not control characters (tab, newlines, form feed and escape count as text).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


class DecodeError(FeedwrightError, ValueError):
    """The bytes are not text in any encoding we can recognise."""


def strip_xml_forbidden(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def clean_text(text: str) -> str:
    """A whole document's characters: NFC, and nothing XML forbids. Line breaks are kept."""
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        return _without_xml_forbidden(unicodedata.normalize("NFC", text))
    # Text in Latin-1 (ASCII, a © or an é) is NFC already (it holds no combining mark), and its
    # forbidden characters are control bytes: bytes.translate deletes them at memory speed, where
    # the regex and the normalisation step through every character.
    return latin.translate(None, _LATIN1_XML_FORBIDDEN).decode("latin-1")


def _without_xml_forbidden(text: str) -> str:
    """_XML_FORBIDDEN's characters deleted from any text. Text that encodes as UTF-8 holds no
    surrogate, and in UTF-8 a control character is its own byte (every byte of a longer
    character is >= 0x80): without U+FFFE and U+FFFF, the forbidden characters are control
    bytes, which bytes.translate deletes several times faster than the regex steps through the
    text; text that has none (most) is given back as it is."""
    if "\ufffe" in text or "\uffff" in text:  # one-character searches: at memory speed
        return _XML_FORBIDDEN.sub("", text)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _XML_FORBIDDEN.sub("", text)
    kept = data.translate(None, _LATIN1_XML_FORBIDDEN)  # control bytes: the same below 0x80
    return text if len(kept) == len(data) else kept.decode("utf-8")


def fold_spaces(line: str) -> str:
    """Runs of white space (any width: tabs, no-break and em spaces...) folded to one space, ends
    trimmed."""
    return " ".join(line.split())


def clean_line(text: str) -> str:
    """One line of prose: NFC, forbidden characters gone, runs of spaces folded, ends trimmed."""
    return fold_spaces(clean_text(text))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes: an image or archive, not an article. (Text
    in UTF-16 or UTF-32 holds NULs too: decode tells it by its byte-order mark first.)"""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return bool(sample) and controls / len(sample) > 0.3


#: Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Latin text in a single-byte code page has its accented letters one or two at a time among
# ASCII ones ("café", "ação"); Cyrillic, Greek or CJK bytes read as cp1252 give runs of them.
_HIGH_RUN = re.compile(r"[^\x00-\x7f]{3,}")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None  # for provenance warnings: how the encoding was chosen, when it was not
    # UTF-8 or the declared charset


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode article bytes: a byte-order mark, a declared charset, UTF-8, then windows-1252
    when the bytes read as Latin text, and only then the charset detector, which guesses badly
    on short text (it reads a Latin-1 "café" as Cyrillic). Says which, unless UTF-8 or declared.

    Raises DecodeError for binary data, so a caller can name the file and the reason.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            bom_note = f"decoded as {encoding.upper()}, which its byte-order mark names"
            note = None if encoding == "utf-8" else bom_note
            return Decoded(text, encoding, note)
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    if declared:
        try:
            return Decoded(data.decode(declared), declared.lower(), None)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8", None)
    except UnicodeDecodeError:
        pass
    undeclared = f"declared {declared!r} does not fit" if declared else "no charset declared"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""  # one of the five bytes cp1252 leaves undefined: not Windows Latin text
    if text and not _HIGH_RUN.search(text):
        return Decoded(text, "cp1252", f"not UTF-8 and {undeclared}: decoded as windows-1252 "
                                       "(Latin-1), in which its bytes read as Latin text")
    # Imported only for text that is neither UTF-8 nor Windows Latin: with the logging it brings,
    # it was ~40% of importing the text reader, which a one-change cron build pays for.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("the text is in no encoding that could be recognised")
    return Decoded(str(best), best.encoding, f"not UTF-8 and {undeclared}: decoded as "
                                             f"{best.encoding}, the charset detector's guess")
