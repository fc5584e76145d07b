"""Media in RSS and Atom: Media RSS (`media:content`, `media:group`, `media:thumbnail` with their
descriptions, credits and copyright) and enclosures, as model media with credits."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from feedwright.formats import EBU_ROLES, NS_FW, NS_MEDIA, qname
from feedwright.model import Agent, AgentKind, Credit, Media, MediaKind, Role
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.credits import CreditPattern
from feedwright.sources._common import stated_size
from feedwright.sources.feed.common import Counter, add_media
from feedwright.sources.feed.xmltext import element_text, first_text
from feedwright.sources.htmlbody import absolute, credits_from_credit_text, media_kind_for

#: media:credit roles to ours: the EBU codes we write, and the free forms other feeds use.
MEDIA_ROLES: dict[str, Role] = {code: role for role, code in EBU_ROLES.items()} | {
    "cameraman": Role.VIDEOGRAPHER,
    "videographer": Role.VIDEOGRAPHER,
    "graphic designer": Role.ILLUSTRATOR,
    "artist": Role.ILLUSTRATOR,
    "publisher": Role.PUBLISHER,
    "distributor": Role.DISTRIBUTOR,
    "owner": Role.COPYRIGHT_HOLDER,
    "copyright holder": Role.COPYRIGHT_HOLDER,
    "producer": Role.CONTRIBUTOR,
}


#: The base url a relative url stated on an element resolves against (its xml:base in scope).
BaseOf = Callable[[etree._Element], str | None]


def media_rss(
    item: etree._Element,
    base_of: BaseOf,
    counter: Counter,
    media: list[Media],
    patterns: tuple[CreditPattern, ...],
) -> list[Media]:
    """The item's Media RSS added to the media already read from its body; each url resolved
    against `base_of` the element that states it."""
    contents = item.findall(qname(NS_MEDIA, "content")) + [
        c
        for g in item.findall(qname(NS_MEDIA, "group"))
        for c in g.findall(qname(NS_MEDIA, "content"))[:1]
    ]
    if not contents and not media:
        contents = item.findall(qname(NS_MEDIA, "thumbnail"))[:1]
    for element in contents:
        found = _media_content(element, item, base_of(element), counter, patterns)
        if found is not None:
            media = add_media(media, found)
    return media


def _media_content(
    element: etree._Element,
    item: etree._Element,
    base_url: str | None,
    counter: Counter,
    patterns: tuple[CreditPattern, ...],
) -> Media | None:
    url = absolute(element.get("url"), base_url)
    if url is None:
        return None
    media_id = counter()
    mime = element.get("type")
    kind = media_kind_for(url, mime)
    medium = element.get("medium")
    if medium in ("image", "video", "audio"):
        kind = MediaKind(medium)
    elif kind is MediaKind.UNKNOWN and element.tag == qname(NS_MEDIA, "thumbnail"):
        kind = MediaKind.IMAGE
    # media:* children of the content, else of its group, else of the item
    scopes = [element, element.getparent(), item]
    caption = first_text(scopes, qname(NS_MEDIA, "description")) or first_text(
        scopes, qname(NS_MEDIA, "title")
    )
    credits: list[Credit] = []
    for scope in scopes:
        if scope is None:
            continue
        found = scope.findall(qname(NS_MEDIA, "credit"))
        if found:
            credits = [c for e in found for c in _media_credit(e, media_id, kind, patterns)]
            break
    copyright_text = first_text(scopes, qname(NS_MEDIA, "copyright"))
    if copyright_text:
        parsed = credit_rules.parse_copyright(copyright_text)
        holder = parsed[1] if parsed else Agent(copyright_text, AgentKind.ORGANIZATION)
        if holder is not None:
            credits.append(Credit(holder, Role.COPYRIGHT_HOLDER, media_id, copyright_text))
    if caption and not credits:
        split = credit_rules.split_caption_credit(caption, media_id, patterns)
        if split is not None:
            caption, credits = split.caption, list(split.credits)
    return Media(
        id=media_id,
        kind=kind,
        url=url,
        mime_type=mime,
        size=stated_size(element.get("fileSize")),
        caption=caption or None,
        credits=tuple(credits),
    )


def _media_credit(
    element: etree._Element, media_id: str, kind: MediaKind, patterns: tuple[CreditPattern, ...]
) -> list[Credit]:
    name = element_text(element)
    if not name:
        return []
    role_text = (element.get("role") or "").strip().lower()
    scheme = element.get("scheme") or ""
    role: Role | None
    if scheme == NS_FW:
        try:
            role = Role(role_text)
        except ValueError:
            role = None
    else:
        role = MEDIA_ROLES.get(role_text)
    if role is None:
        default = Role.VIDEOGRAPHER if kind is MediaKind.VIDEO else Role.PHOTOGRAPHER
        return list(credits_from_credit_text(name, media_id, default, patterns))
    return list(credit_rules.credits_from_name(name, role, media_id, name))


def enclosure(element: etree._Element, base_url: str | None, counter: Counter) -> Media | None:
    """An RSS `<enclosure url=...>` or an Atom `<link rel="enclosure" href=...>`."""
    url = absolute(element.get("url") or element.get("href"), base_url)
    if url is None:
        return None
    mime = element.get("type")
    length = stated_size(element.get("length"))
    return Media(
        id=counter(),
        kind=media_kind_for(url, mime),
        url=url,
        mime_type=mime,
        size=length if length != 0 else None,  # RSS says 0 for "not known"
        caption=element.get("title") or None,
    )
