"""The syntax of values that several parts of feedwright check the same way: the characters and
hosts of links, language tags, the URI form of an IRI, and a url shown without its password.

One definition serves the feed configuration (which refuses a bad link or language when the file
is loaded), the emitters (which write URIs where a format requires them) and the validator (which
reports the same values in any feed). Standard library only, so that loading a configuration
does not load the validator.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Characters RFC 3986 never allows unescaped (non-ASCII is allowed: IRIs, RFC 3987).
BAD_URL_CHARS: Final = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")
BAD_PERCENT: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")
HOST: Final = re.compile(
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)*[^\W_](?:[\w-]{0,61}[^\W_])?\.?"  # names, IDN too
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # IPv4
    r"|\[[0-9A-Fa-f:.]+\]",  # IPv6 literal
)

# BCP 47 (RFC 5646) langtag, well-formedness only; the primary subtag is then looked up.
LANGTAG: Final = re.compile(
    r"(?P<lang>[A-Za-z]{2,3})(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
)


@cache
def language_codes() -> frozenset[str]:
    """ISO 639 language codes, from the list shipped with the validator's schemas. Read beside
    this file, not through importlib.resources: every build loads a configuration, and that
    import (with zipfile and tempfile) was ~5 ms of a cron run that reads nothing."""
    text = (Path(__file__).parent / "validate" / "schemas" / "iso639.txt").read_text("utf-8")
    return frozenset(line for line in text.split() if not line.startswith("#") and line)


def is_local_use_language(primary: str) -> bool:
    """ISO 639-2's private range qaa-qtz: codes no list holds, yet valid."""
    return len(primary) == 3 and "qaa" <= primary <= "qtz"


_URI_SAFE: Final = ";/?:@&=+$,-_.!~*'()#[]%"
#: What wellformed_url escapes: BAD_URL_CHARS, and a % that starts no %XX escape.
_UNESCAPED: Final = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]|%(?![0-9A-Fa-f]{2})")
_TAB_OR_NEWLINE: Final = re.compile(r"[\t\n\r]")


def wellformed_url(url: str) -> str:
    """The url with what RFC 3986 never allows unescaped percent-encoded, the one fix every
    reader applies to the links it reads (`my story.html` -> `my%20story.html`, as a browser
    follows it): tabs and newlines dropped (the WHATWG URL parser drops them), then spaces,
    control characters, the ASCII characters BAD_URL_CHARS names and a % that starts no %XX
    escape encoded as %XX. An escape already there stays as it is (nothing is encoded twice),
    and so does non-ASCII (an IRI: as_uri writes its URI form where a format requires one). A
    url that holds none of these, any valid one, comes back unchanged."""
    if BAD_URL_CHARS.search(url) is None and BAD_PERCENT.search(url) is None:
        return url
    return _UNESCAPED.sub(lambda m: f"%{ord(m.group()):02X}", _TAB_OR_NEWLINE.sub("", url))


def as_uri(url: str) -> str:
    """The URI form of an IRI, for the places a format requires a URI (RSS, Media RSS and JSON
    Feed urls; the W3C validator rejects non-ASCII there): the host in punycode, everything else
    percent-encoded as UTF-8 (RFC 3987's mapping). Readers resolve both forms to the same
    resource; an ASCII url comes back unchanged."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    host = parts.hostname or ""
    if host and not host.isascii():
        try:
            netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
        except UnicodeError:
            netloc = quote(netloc, safe=_URI_SAFE)
    return urlunsplit((parts.scheme, quote(netloc, safe=_URI_SAFE),
                       *(quote(part, safe=_URI_SAFE) for part in parts[2:])))


def idna_host_problem(url: str) -> bool:
    """Whether the url's host is international and IDNA cannot encode it (no URI form)."""
    host = urlsplit(url).hostname or ""
    if host.isascii():
        return False
    try:
        host.encode("idna")
    except UnicodeError:
        return True
    return False


def redact(url: str) -> str:
    """The url without its password (in the authority or as a `password=` parameter), for
    messages and logs: a state database's url, a remote output's."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if parts.password is None and all(k != "password" for k, _ in query):
        return url
    if parts.password is not None:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    if any(k == "password" for k, _ in query):
        query = [(k, "***" if k == "password" else v) for k, v in query]
        parts = parts._replace(query=urlencode(query, safe="*/"))
    # Not urlunsplit: it drops the empty authority of postgresql:///db?host=/run/postgresql.
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query
                                                             else "")
