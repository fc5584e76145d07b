"""Entry identity: canonical URLs where there are any, RFC 4151 tag URIs where there are not."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

_AUTHORITY = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
    r"|[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)"
    r",(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
)


def is_tag_authority(authority: str) -> bool:
    """`example.org,2026` or `me@example.org,2026-11`: a tagging entity of RFC 4151, a domain
    name or e-mail address and a date that exists (a month 01-12, a day of that month)."""
    m = _AUTHORITY.fullmatch(authority)
    if m is None:
        return False
    year, month, day = int(m["year"]), int(m["month"] or 1), int(m["day"] or 1)
    try:
        date(year, month, day)
    except ValueError:  # 2026-13, 2026-02-30, year 0000
        return False
    return True


def tag_uri(authority: str, specific: str) -> str:
    """A tag: URI (RFC 4151) minted from an authority and a source-specific name.

    The specific part keeps its readable characters and percent-encodes the rest, so the same
    name always gives the same id.
    """
    if not is_tag_authority(authority):
        raise ValueError(f"not a tag authority (want 'host,YYYY'): {authority!r}")
    return f"tag:{authority}:{quote(specific, safe='/-._~:')}"


_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


def is_absolute_iri(value: str) -> bool:
    """`https://...`, `tag:...`, `urn:...`: usable as an Atom id as it stands."""
    return bool(_ABSOLUTE_IRI.match(value))


def entry_id(
    own_id: str | None, url: str | None, *, authority: str, source: str, position: str = ""
) -> str:
    """The id an entry is published under, minted the same way by export and build.

    The source's own id when it is an absolute IRI (a feed entry's guid or Atom id); a tag: URI
    made from it when it is not (an RSS guid like `sbn-548213` cannot be an Atom id, and two
    feeds may use the same one); else the canonical url; else a tag: URI from the source's name
    and, for sources holding several entries, the entry's position.
    """
    if own_id:
        return own_id if is_absolute_iri(own_id) else tag_uri(authority, f"{source}/{own_id}")
    if url:
        return url
    return tag_uri(authority, source + position)
