"""What the three emitters share: who counts as author, which media and credits go where, and the
attribution record that travels in the project namespace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from lxml import etree

from feedwright import NAMESPACE, __version__
from feedwright.errors import FeedwrightError
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

NS_DC = "http://purl.org/dc/elements/1.1/"
NS_MEDIA = "http://search.yahoo.com/mrss/"
NS_ATOM = "http://www.w3.org/2005/Atom"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NSMAP = {"dc": NS_DC, "media": NS_MEDIA, "fw": NAMESPACE}

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


def rfc3339(value: datetime) -> str:
    """RFC 3339 with the source's own offset kept (never converted to the build machine's)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.isoformat(timespec="seconds")
    return text


def media_credit_roles(credit: Credit) -> Iterator[tuple[str, str, str]]:
    """(role, scheme, name) rows for media:credit: the credit, then whom it was on behalf of."""
    yield (*_role_and_scheme(credit.role), credit.agent.name)
    if credit.on_behalf_of is not None:
        yield (*_role_and_scheme(Role.DISTRIBUTOR), credit.on_behalf_of.name)


def _role_and_scheme(role: Role) -> tuple[str, str]:
    if role in EBU_ROLES:
        return EBU_ROLES[role], EBU_SCHEME
    return role.value, NAMESPACE


# --- the attribution record, in the project namespace -------------------------------------------


def _fw(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _agent_attrs(agent: Agent) -> dict[str, str]:
    attrs = {"kind": agent.kind.value}
    if agent.url:
        attrs["url"] = agent.url
    if agent.email:
        attrs["email"] = agent.email
    return attrs


def attribution_element(entry: Entry) -> etree._Element:
    """`<fw:attribution>`: every credit (with its raw text), captions of media that have no url,
    rights, dateline and where each date came from. A field a format cannot carry natively goes
    here, never silently away."""
    root = etree.Element(_fw("attribution"), nsmap={"fw": NAMESPACE})
    for credit in entry.credits:
        el = etree.SubElement(root, _fw("credit"), role=credit.role.value, target=credit.target)
        name = etree.SubElement(el, _fw("agent"), _agent_attrs(credit.agent))
        name.text = credit.agent.name
        if credit.on_behalf_of is not None:
            behalf = etree.SubElement(el, _fw("onBehalfOf"), _agent_attrs(credit.on_behalf_of))
            behalf.text = credit.on_behalf_of.name
        if credit.raw:
            etree.SubElement(el, _fw("raw")).text = credit.raw
    for media in entry.media:
        attrs = {"id": media.id, "kind": media.kind.value}
        if media.url:
            attrs["url"] = media.url
        el = etree.SubElement(root, _fw("media"), attrs)
        if media.caption:
            etree.SubElement(el, _fw("caption")).text = media.caption
    if entry.rights is not None:
        attrs = {}
        if entry.rights.license_url:
            attrs["license"] = entry.rights.license_url
        el = etree.SubElement(root, _fw("rights"), attrs)
        if entry.rights.holder is not None:
            etree.SubElement(
                el, _fw("holder"), _agent_attrs(entry.rights.holder)
            ).text = entry.rights.holder.name
        if entry.rights.notice:
            etree.SubElement(el, _fw("notice")).text = entry.rights.notice
    if entry.dateline:
        etree.SubElement(root, _fw("dateline")).text = entry.dateline
    for field_name, stamp in (("published", entry.published), ("updated", entry.updated)):
        if stamp is not None:
            attrs = {"source": stamp.source}
            if stamp.day_only:
                attrs["dayOnly"] = "true"
            etree.SubElement(root, _fw(field_name), attrs).text = rfc3339(stamp.value)
    return root


def attribution_object(entry: Entry) -> dict[str, object]:
    """The same record for JSON Feed's `_feedwright` extension object."""

    def agent(a: Agent) -> dict[str, object]:
        out: dict[str, object] = {"name": a.name, "kind": a.kind.value}
        if a.url:
            out["url"] = a.url
        if a.email:
            out["email"] = a.email
        return out

    record: dict[str, object] = {"about": NAMESPACE}
    credits = []
    for credit in entry.credits:
        item: dict[str, object] = {
            "role": credit.role.value,
            "target": credit.target,
            "agent": agent(credit.agent),
        }
        if credit.on_behalf_of is not None:
            item["on_behalf_of"] = agent(credit.on_behalf_of)
        if credit.raw:
            item["raw"] = credit.raw
        credits.append(item)
    record["credits"] = credits
    if entry.media:
        record["media"] = [
            {
                k: v
                for k, v in (
                    ("id", m.id),
                    ("kind", m.kind.value),
                    ("url", m.url),
                    ("caption", m.caption),
                )
                if v
            }
            for m in entry.media
        ]
    if entry.rights is not None:
        rights: dict[str, object] = {}
        if entry.rights.notice:
            rights["notice"] = entry.rights.notice
        if entry.rights.holder is not None:
            rights["holder"] = agent(entry.rights.holder)
        if entry.rights.license_url:
            rights["license"] = entry.rights.license_url
        record["rights"] = rights
    contributors = contributors_of(entry)
    if contributors:
        record["contributors"] = [agent(a) for a in contributors]
    sources = sources_of(entry)
    if sources:
        record["sources"] = [agent(a) for a in sources]
    if entry.dateline:
        record["dateline"] = entry.dateline
    for field_name, stamp in (("published", entry.published), ("updated", entry.updated)):
        if stamp is not None:
            record[f"{field_name}_source"] = stamp.source
            if stamp.day_only:
                record[f"{field_name}_day_only"] = True
    return record
