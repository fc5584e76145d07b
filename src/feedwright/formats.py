"""The three output formats and the XML namespaces feeds use, each named once.

Emitters, the feed reader and the validator all take these names from here, so a format or a
namespace cannot be spelled two ways.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from feedwright.model import Role

#: The output formats, in the order documents are written and listed.
FORMATS: Final = ("rss", "atom", "json")

MEDIA_TYPES: Final = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}

#: The project namespace that carries the whole attribution record in RSS and Atom.
NS_FW: Final = "https://feedwright.dev/ns/attribution/1.0"

NS_ATOM: Final = "http://www.w3.org/2005/Atom"
NS_CONTENT: Final = "http://purl.org/rss/1.0/modules/content/"
NS_DC: Final = "http://purl.org/dc/elements/1.1/"
NS_DCTERMS: Final = "http://purl.org/dc/terms/"
NS_MEDIA: Final = "http://search.yahoo.com/mrss/"
NS_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_RSS1: Final = "http://purl.org/rss/1.0/"
NS_XHTML: Final = "http://www.w3.org/1999/xhtml"
NS_XML: Final = "http://www.w3.org/XML/1998/namespace"
NS_HISTORY: Final = "http://purl.org/syndication/history/1.0"  # RFC 5005 archives
NS_TOMBSTONES: Final = "http://purl.org/atompub/tombstones/1.0"  # RFC 6721 deletions

#: media:credit roles from the EBU role codes (scheme urn:ebu), exactly as the W3C validator's
#: list spells them (lower case; a picture agency is a "distribution company"). Roles with no
#: EBU code are written in the project's own scheme rather than forced into a wrong one.
EBU_ROLES: Final[dict[Role, str]] = {
    Role.AUTHOR: "author",
    Role.REPORTER: "reporter",
    Role.EDITOR: "editor",
    Role.PHOTOGRAPHER: "photographer",
    Role.VIDEOGRAPHER: "camera operator",
    Role.ILLUSTRATOR: "illustrator",
    Role.PUBLISHER: "publishing company",
    Role.DISTRIBUTOR: "distribution company",
}
EBU_SCHEME: Final = "urn:ebu"


def qname(namespace: str, name: str) -> str:
    """lxml's `{namespace}name`."""
    return f"{{{namespace}}}{name}"


def rfc3339(value: datetime) -> str:
    """RFC 3339 with the source's own offset kept (never converted to the build machine's)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")
