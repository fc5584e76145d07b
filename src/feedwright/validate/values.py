"""Checks of single values shared by the format checkers: URLs, e-mail, MIME types, languages,
media:credit roles. Each returns None when the value is good, or (rule id, what to fix)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from feedwright.formats import EBU_SCHEME
from feedwright.syntax import (
    BAD_PERCENT,
    BAD_URL_CHARS,
    HOST,
    LANGTAG,
    is_local_use_language,
    language_codes,
)

Problem = tuple[str, str]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
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
    if BAD_URL_CHARS.search(text):
        return "holds spaces or characters that must be percent-encoded"
    if BAD_PERCENT.search(text):
        return "holds a % that does not start a %XX escape"
    return None


def _authority_problem(text: str) -> Problem | None:
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        return ("url-wellformed", f"URL {text!r} is malformed ({exc})")
    try:
        parts.port  # noqa: B018 -- raises ValueError for a port out of range or not a number
    except ValueError as exc:
        return ("url-host", f"URL {text!r} has a port that cannot be used ({exc})")
    host = parts.hostname
    if not host:
        return ("url-wellformed", f"URL {text!r} has no host name")
    if HOST.fullmatch(host if ":" not in host else f"[{host}]") is None:
        # The W3C validator takes any URI characters as a host: an opinion, so a warning.
        return ("url-host", f"URL {text!r} has no valid host name")
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


def mime_problem(value: str, rule: str = "mime-type") -> Problem | None:
    """What is wrong with a MIME type (under `rule` when it is malformed), or None. An
    unregistered top-level type is a warning: the W3C validator accepts any token/token."""
    match = _MIME.fullmatch(value.strip())
    if match is None:
        return (rule, f"MIME type {value!r} is not a MIME type such as image/jpeg")
    if match["type"].lower() not in _TOP_LEVEL:
        return ("mime-type-unregistered", f"MIME type {value!r} has top-level type "
                f"{match['type']!r}, which is not registered")
    return None


def check_mime(value: str) -> Problem | None:
    return mime_problem(value)


def check_language(value: str) -> Problem | None:
    text = value.strip()
    match = LANGTAG.fullmatch(text)
    if match is None:
        return ("language-code",
                f"language {value!r} is not a language tag such as 'en' or 'en-NZ'")
    primary = match["lang"].lower()
    if primary not in language_codes() and not is_local_use_language(primary):
        return ("language-code", f"language {value!r}: {primary!r} is not an ISO 639 language code")
    return None


# The EBU role codes the W3C Feed Validation Service accepts for media:credit with scheme
# urn:ebu (or no scheme, which means urn:ebu), exactly as its media.py lists them: lower case,
# matched as written. Its source is the authority here, because a role it rejects is an error
# (InvalidCreditRole) wherever a feed is checked.
MEDIA_CREDIT_ROLES = frozenset({
    "actor", "adaptor", "anchor person", "animal trainer", "animator", "announcer", "armourer",
    "art director", "artist/performer", "assistant camera", "assistant chief lighting technician",
    "assistant director", "assistant producer", "assistant visual editor", "author",
    "broadcast assistant", "broadcast journalist", "camera operator", "carpenter", "casting",
    "causeur", "chief lighting technician", "choir", "choreographer", "clapper loader",
    "commentary or commentator", "commissioning broadcaster", "composer", "computer programmer",
    "conductor", "consultant", "continuity checker", "correspondent", "costume designer",
    "dancer", "dialogue coach", "director", "director of photography", "distribution company",
    "draughtsman", "dresser", "dubber", "editor/producer", "editor", "ensemble",
    "executive producer", "expert", "fight director", "floor manager", "focus puller",
    "foley artist", "foley editor", "foley mixer", "graphic assistant", "graphic designer",
    "greensman", "grip", "hairdresser", "illustrator", "interviewed guest", "interviewer",
    "key character", "key grip", "key talents", "leadman", "librettist", "lighting director",
    "lighting technician", "location manager", "lyricist", "make up artist", "manufacturer",
    "matte artist", "music arranger", "music group", "musician", "news reader", "orchestra",
    "participant", "photographer", "post", "producer", "production assistant",
    "production company", "production department", "production manager",
    "production secretary", "programme production researcher", "property manager",
    "publishing company", "puppeteer", "pyrotechnician", "reporter", "rigger", "runner",
    "scenario", "scenic operative", "script supervisor", "second assistant camera",
    "second assistant director", "second unit director", "set designer", "set dresser",
    "sign language", "singer", "sound designer", "sound mixer", "sound recordist",
    "special effects", "stunts", "subtitles", "technical director", "term", "translation",
    "transportation manager", "treatment/programme proposal", "vision mixer", "visual editor",
    "visual effects", "wardrobe", "witness",
    # listed by the validator as "awaiting confirmation", and accepted
    "artist", "performer", "treatment", "treatment proposal", "programme proposal",
})


def check_credit_role(role: str | None, scheme: str | None) -> Problem | None:
    """media:credit: an EBU role under urn:ebu; any lower-case role under a scheme URI of its
    own. The W3C validator checks the same three things and calls each an error."""
    scheme_given = scheme not in (None, "")
    if scheme_given and scheme != EBU_SCHEME:
        problem = check_uri(scheme or "")
        if problem is not None:
            return ("media-credit-role", f"media:credit scheme {scheme!r} is not a URI "
                    f"({problem[1]}); give a full URI such as https://example.org/roles")
    if not role:
        return None  # Media RSS: role is optional
    if not scheme_given or scheme == EBU_SCHEME:
        if role not in MEDIA_CREDIT_ROLES:
            return ("media-credit-role",
                    f"media:credit role {role!r} is not an EBU role code (scheme urn:ebu); use "
                    "one such as author, photographer, camera operator, distribution company, "
                    "in lower case, or give a scheme URI of your own")
    elif role != role.lower():
        return ("media-credit-role", f"media:credit role {role!r} must be in lower case")
    return None


# --- URIs where a URI (not an IRI) is required, and values that must be bare ----------------

# RFC 2396 characters, as the W3C validator checks full URIs in RSS and Media RSS: ASCII only.
_URI_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[0-9A-Za-z;/?:@&=+$.\-_!~*'()%,#\[\]]+")


def check_uri(value: str) -> Problem | None:
    """A value where the format requires a URI: absolute, and only characters RFC 2396 allows,
    so an IRI's non-ASCII characters must be percent-encoded (W3C: InvalidUriChar, UriNotIri)."""
    if _URI_CHARS.fullmatch(value) is not None:
        return None
    bad = next((c for c in value if ord(c) > 127), None)
    if bad is not None and _scheme_of(value) is not None:
        return ("uri-iri", f"{value!r} holds {bad!r}: a URI is required here, not an IRI; "
                "percent-encode it (and write the host in punycode)")
    return ("url-wellformed", f"{value!r} is not a URI: it holds spaces or characters a URI "
            "cannot hold, or has no scheme")


def check_bare(value: str, what: str) -> Problem | None:
    """Text around which whitespace is legal but a known trap: the W3C validator trims element
    text, but several clients keep the space and break the link or the date. An opinion."""
    if value != value.strip():
        return ("value-whitespace", f"{what} {value.strip()!r} has whitespace around it; "
                "some readers keep it, write the value alone")
    return None


def check_url_attribute(value: str, base: str | None = None) -> Problem | None:
    """A URL in an attribute: attribute values are not trimmed, so a space is part of the URL
    (W3C: InvalidUriChar)."""
    if value != value.strip():
        return ("url-wellformed", f"URL {value!r} has whitespace around it; in an attribute "
                "the space is part of the URL")
    return check_url(value, base)


# The W3C validator's test for an RSS enclosure url (httpURL): http or https, a host name with
# a dot (or an IPv4 address), an optional port.
_ENCLOSURE_URL = re.compile(r"https?://(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.|(?:[A-Z0-9-]+\.)+)"
                            r"[A-Z0-9][-A-Z0-9]*(?::\d+)?(?:/|$)", re.IGNORECASE)


def check_enclosure_url(value: str) -> Problem | None:
    """An RSS enclosure url: a link a podcast client can download (W3C: InvalidURLAttribute)."""
    problem = check_url_attribute(value)
    if (problem is None or problem[0] == "url-host") and _ENCLOSURE_URL.match(value) is None:
        return ("url-wellformed", f"enclosure url {value!r} is not an http(s) URL with a host "
                "name such as example.org")
    return problem


# --- integers and sizes in attributes ---------------------------------------------------------

_INTEGER = re.compile(r"\s*([+-]?)(\d+)\s*")  # what int() takes, as the W3C validator reads it
_FLOAT = re.compile(r"\d+\.?\d*")  # the W3C validator's test, a prefix match


def is_whole_number(value: str, minimum: int = 0) -> bool:
    """Whether the text is a whole number (as int() reads it) of at least `minimum` (0 or 1).
    One of thousands of digits is still one, and at least 1 unless all its digits are 0:
    int() refuses over 4,300 digits (their conversion takes quadratic time)."""
    match = _INTEGER.fullmatch(value)
    if match is None:
        return False
    try:
        return int(value) >= minimum
    except ValueError:  # too long for int(): read by its digits
        pass
    zero = not match[2].strip("0")
    return (zero and minimum <= 0) if match[1] == "-" else (minimum <= 0 or not zero)


def check_integer(value: str, what: str, minimum: int) -> Problem | None:
    """A whole-number attribute (Media RSS width, height, fileSize; channels): at least minimum."""
    if not is_whole_number(value, minimum):
        kind = "a positive integer" if minimum > 0 else "a whole number, 0 or more"
        return ("media-integer", f"{what} {value!r} is not {kind}")
    return None


def check_float(value: str, what: str) -> Problem | None:
    """A decimal attribute (Media RSS duration, bitrate, framerate, samplingrate)."""
    if _FLOAT.match(value) is None:
        return ("media-integer", f"{what} {value!r} is not a number such as 12 or 12.5")
    return None


# The W3C validator's test for an RSS textInput name (a prefix match, as it has it).
_FORM_NAME = re.compile(r"[a-zA-z][a-zA-z0-9:._]*")


def check_form_name(value: str) -> Problem | None:
    if _FORM_NAME.match(value) is None:
        return ("rss-textinput", f"textInput name {value!r} is not a form field name; start "
                "with a letter, then letters, digits, ':', '.' or '_'")
    return None
