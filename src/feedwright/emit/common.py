"""What the three emitters share: who counts as author, which media and credits go where, and
how roles and dates are written. The attribution record itself is feedwright.attribution's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from feedwright import __version__
from feedwright.errors import FeedwrightError
from feedwright.formats import NS_FW
from feedwright.model import (
    AUTHOR_ROLES,
    ENTRY_TARGET,
    Agent,
    Credit,
    Entry,
    Feed,
    Media,
    Role,
    Timestamp,
)

GENERATOR = "feedwright"
GENERATOR_URI = "https://feedwright.dev/"
GENERATOR_VERSION = __version__


#: media:credit roles from the EBU role codes (scheme urn:ebu); roles with no EBU code are
#: written in the project's own scheme rather than forced into a wrong one.
EBU_ROLES: dict[Role, str] = {
    Role.AUTHOR: "author",
    Role.REPORTER: "reporter",
    Role.EDITOR: "editor",
    Role.PHOTOGRAPHER: "photographer",
    Role.VIDEOGRAPHER: "camera operator",
    Role.ILLUSTRATOR: "illustrator",
    Role.PUBLISHER: "publisher",
    Role.DISTRIBUTOR: "distributor",
}
EBU_SCHEME = "urn:ebu"


class EmitError(FeedwrightError, ValueError):
    """The model cannot be written in this format (names the entry and what is missing)."""


def entry_label(entry: Entry) -> str:
    return f"entry {entry.id or entry.title!r}"


def authors_of(entry: Entry) -> tuple[Agent, ...]:
    """The entry's own authors; the feed-level author covers entries without one."""
    return entry.authors


def contributors_of(entry: Entry) -> tuple[Agent, ...]:
    """Everyone credited on the entry itself who is not an author (editors, wire sources...)."""
    authors = {a.name for a in entry.authors}
    seen: dict[str, Agent] = {}
    for credit in entry.credits:
        if (
            credit.target == ENTRY_TARGET
            and credit.role not in AUTHOR_ROLES
            and credit.role is not Role.SOURCE
            and credit.agent.name not in authors
        ):
            seen.setdefault(credit.agent.name, credit.agent)
    return tuple(seen.values())


def sources_of(entry: Entry) -> tuple[Agent, ...]:
    """Originating outlets and wires credited on the entry (dc:source, Atom source)."""
    seen: dict[str, Agent] = {}
    for credit in entry.credits:
        if credit.target == ENTRY_TARGET and credit.role is Role.SOURCE:
            seen.setdefault(credit.agent.name, credit.agent)
    return tuple(seen.values())


def media_with_url(entry: Entry) -> tuple[Media, ...]:
    return tuple(m for m in entry.media if m.url)


def enclosures(entry: Entry) -> tuple[Media, ...]:
    """Media fit to be enclosures: url, type and length all known. Readers download enclosures,
    and both formats want the type and length up front; the rest still travel in media:content."""
    return tuple(m for m in media_with_url(entry) if m.mime_type and m.size is not None)


def entry_date(entry: Entry) -> Timestamp | None:
    """The date a format's single required date should carry: updated, else published."""
    return entry.updated or entry.published


def require_updated(entry: Entry) -> datetime:
    stamp = entry_date(entry)
    if stamp is None:
        raise EmitError(
            f"{entry_label(entry)} has no date; Atom requires one. Build it with a ledger "
            "(feedwright build) so its first-seen time is recorded, or give the source a date line."
        )
    return stamp.value


def feed_updated(feed: Feed) -> datetime:
    stamp = feed.updated
    if stamp is None:
        raise EmitError(f"feed {feed.id!r} has no dated entries, so it has no updated time")
    return stamp.value


def whole_seconds(value: datetime) -> datetime:
    """Feed dates carry seconds; finer parts only make equal dates print differently."""
    return value.replace(microsecond=0)


def media_credit_roles(credit: Credit) -> Iterator[tuple[str, str, str]]:
    """(role, scheme, name) rows for media:credit: the credit, then whom it was on behalf of."""
    yield (*_role_and_scheme(credit.role), credit.agent.name)
    if credit.on_behalf_of is not None:
        yield (*_role_and_scheme(Role.DISTRIBUTOR), credit.on_behalf_of.name)


def _role_and_scheme(role: Role) -> tuple[str, str]:
    if role in EBU_ROLES:
        return EBU_ROLES[role], EBU_SCHEME
    return role.value, NS_FW
