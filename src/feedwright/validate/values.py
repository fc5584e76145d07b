"""Checks of single values shared by the format checkers: URLs, e-mail, MIME types, languages,
media:credit roles. Each returns None when the value is good, or (rule id, what to fix)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from urllib.parse import urljoin, urlsplit

Problem = tuple[str, str]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
# Characters RFC 3986 never allows unescaped (non-ASCII is allowed: IRIs, RFC 3987).
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)*[^\W_](?:[\w-]{0,61}[^\W_])?\.?"  # names, IDN too
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # IPv4
    r"|\[[0-9A-Fa-f:.]+\]",  # IPv6 literal
)
# The shape nearly every good link has; matching it settles the question without urlsplit
# (the validator checks a few URLs per entry, so this is most of its URL time).
_PLAIN_HTTP_URL = re.compile(
    r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
    r"[A-Za-z0-9])?(?:[/?#][^\x00-\x20\x7f<>\"{}|\\^`%]*)?"
)
_HIERARCHICAL = frozenset({"http", "https", "ftp", "ftps", "ws", "wss"})
_ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data"})


def check_url(value: str, base: str | None = None) -> Problem | None:
    """A link a reader will follow: absolute (after xml:base, if any) and well-formed."""
    text = value.strip()
    if _PLAIN_HTTP_URL.fullmatch(text) is not None:
        return None
    if not text:
        return ("url-wellformed", "URL is empty")
    syntax = _syntax_problem(text)
    if syntax is not None:
        return ("url-wellformed", f"URL {text!r} {syntax}")
    scheme = _scheme_of(text)
    if scheme is None and base and _scheme_of(base.strip()):
        text = urljoin(base.strip(), text)
        scheme = _scheme_of(text)
    if scheme is None:
        return ("url-absolute", f"URL {text!r} is relative; write the absolute URL")
    if scheme.lower() in _ACTIVE_SCHEMES:
        return ("url-wellformed", f"URL {text!r} is a {scheme}: URL, not a link")
    if scheme.lower() in _HIERARCHICAL:
        return _authority_problem(text)
    return None


def _scheme_of(text: str) -> str | None:
    head, sep, _ = text.partition(":")
    return head if sep and _SCHEME.fullmatch(head) else None


def _syntax_problem(text: str) -> str | None:
    if _BAD_URL_CHARS.search(text):
        return "holds spaces or characters that must be percent-encoded"
    if _BAD_PERCENT.search(text):
        return "holds a % that does not start a %XX escape"
    return None


def _authority_problem(text: str) -> Problem | None:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range or not a number
    except ValueError as exc:
        return ("url-wellformed", f"URL {text!r} is malformed ({exc})")
    host = parts.hostname
    if not host or _HOST.fullmatch(host if ":" not in host else f"[{host}]") is None:
        return ("url-wellformed", f"URL {text!r} has no valid host name")
    return None


def check_id(value: str) -> Problem | None:
    """An Atom id: an absolute IRI (RFC 4287 4.2.6), e.g. https:, tag: or urn:."""
    text = value.strip()
    if _scheme_of(text) is None or _syntax_problem(text) is not None:
        return ("atom-id-absolute",
                f"id {text!r} is not an absolute IRI; use the entry's URL or a tag: URI")
    return None


def is_http_url(value: str) -> bool:
    scheme = _scheme_of(value.strip())
    return scheme is not None and scheme.lower() in ("http", "https") and check_url(value) is None


_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,}"
)
# RSS 2.0: "geo@herald.com (George Matesky)".
_RSS_PERSON = re.compile(r"(?P<email>\S+)(?:\s+\((?P<name>[^()]*)\))?")


def check_email(value: str) -> Problem | None:
    if _EMAIL.fullmatch(value.strip()) is None:
        return ("email-syntax", f"e-mail address {value!r} is malformed")
    return None


def check_rss_person(value: str) -> Problem | None:
    """author, managingEditor, webMaster: an e-mail address, then optionally (Name)."""
    match = _RSS_PERSON.fullmatch(value.strip())
    if match is None or _EMAIL.fullmatch(match["email"]) is None:
        return ("email-syntax",
                f"{value!r} is not 'address (Name)'; RSS wants an e-mail address here, "
                "put names without one in dc:creator")
    return None


# RFC 6838 section 4.2 names, and the registered top-level types.
_MIME = re.compile(
    r"(?P<type>[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126})/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
    r"(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|\"[^\"]*\"))*"
)
_TOP_LEVEL = frozenset({"application", "audio", "example", "font", "haptics", "image", "message",
                        "model", "multipart", "text", "video"})


def mime_problem(value: str) -> str | None:
    """What is wrong with a MIME type, or None."""
    match = _MIME.fullmatch(value.strip())
    if match is None:
        return f"{value!r} is not a MIME type such as image/jpeg"
    if match["type"].lower() not in _TOP_LEVEL:
        return f"{value!r} has top-level type {match['type']!r}, which is not registered"
    return None


def check_mime(value: str) -> Problem | None:
    problem = mime_problem(value)
    return None if problem is None else ("mime-type", f"MIME type {problem}")


# BCP 47 (RFC 5646) langtag, well-formedness only; the primary subtag is then looked up.
_LANGTAG = re.compile(
    r"(?P<lang>[A-Za-z]{2,3})(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
)


@cache
def _language_codes() -> frozenset[str]:
    text = resources.files("feedwright.validate").joinpath("schemas/iso639.txt").read_text("utf-8")
    return frozenset(line for line in text.split() if not line.startswith("#") and line)


def check_language(value: str) -> Problem | None:
    text = value.strip()
    match = _LANGTAG.fullmatch(text)
    if match is None:
        return ("language-code",
                f"language {value!r} is not a language tag such as 'en' or 'en-NZ'")
    primary = match["lang"].lower()
    # qaa-qtz is ISO 639-2's range for local use.
    local_use = len(primary) == 3 and "qaa" <= primary <= "qtz"
    if primary not in _language_codes() and not local_use:
        return ("language-code", f"language {value!r}: {primary!r} is not an ISO 639 language code")
    return None


# The Media RSS role vocabulary for scheme urn:ebu (the default scheme): the roles the Media
# RSS 1.5.1 specification lists, and the EBU role codes newsrooms use for attribution.
MEDIA_CREDIT_ROLES = frozenset({
    # Media RSS 1.5.1 examples
    "actor", "anchor person", "author", "choreographer", "composer", "conductor", "director",
    "editor", "graphic designer", "grip", "illustrator", "lyricist", "music arranger",
    "music group", "musician", "orchestra", "performer", "photographer", "producer", "reporter",
    "vocalist",
    # EBU role codes used for news and picture credits
    "camera operator", "videographer", "cameraman", "commentator", "contributor",
    "copyright holder", "rights holder", "designer", "distributor", "editor in chief",
    "interviewer", "interviewee", "journalist", "narrator", "news reader", "presenter",
    "provider", "publisher", "researcher", "scriptwriter", "sound engineer", "translator",
    "writer", "animator", "artist", "cartographer", "correspondent", "creator",
    "executive producer", "lighting", "make-up artist", "production manager", "speaker", "subject",
})
EBU_SCHEME = "urn:ebu"


def check_credit_role(role: str | None, scheme: str | None) -> Problem | None:
    if scheme not in (None, "", EBU_SCHEME):
        return None  # another scheme's vocabulary is not ours to judge
    if role is None:
        return None  # Media RSS: role is optional
    if " ".join(role.lower().split()) not in MEDIA_CREDIT_ROLES:
        return ("media-credit-role",
                f"media:credit role {role!r} is not in the urn:ebu vocabulary; use a role such "
                "as author, photographer, camera operator, distributor, or give another scheme")
    return None
