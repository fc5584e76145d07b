"""JSON Feed 1.1: plain json, keys in a fixed order so the same model gives the same bytes."""

from __future__ import annotations

import json

from feedwright.emit.common import (
    GENERATOR,
    attribution_object,
    authors_of,
    entry_label,
    media_with_url,
    rfc3339,
)
from feedwright.model import Agent, Entry, Feed, MediaKind

VERSION = "https://jsonfeed.org/version/1.1"


def _author(agent: Agent) -> dict[str, str]:
    out = {"name": agent.name}
    if agent.url:
        out["url"] = agent.url
    return out


def _item(entry: Entry) -> dict[str, object]:
    if not entry.id:
        raise ValueError(f"{entry_label(entry)} has no id; mint ids before emitting")
    item: dict[str, object] = {"id": entry.id}
    if entry.url:
        item["url"] = entry.url
    item["title"] = entry.title
    item["content_html"] = entry.content_html or ""
    if entry.summary:
        item["summary"] = entry.summary
    media = media_with_url(entry)
    image = next((m for m in media if m.kind is MediaKind.IMAGE), None)
    if image is not None:
        item["image"] = image.url
    if entry.published is not None:
        item["date_published"] = rfc3339(entry.published.value)
    if entry.updated is not None:
        item["date_modified"] = rfc3339(entry.updated.value)
    authors = authors_of(entry)
    if authors:
        item["authors"] = [_author(a) for a in authors]
    if entry.categories:
        item["tags"] = list(entry.categories)
    if entry.language:
        item["language"] = entry.language
    attachments = [
        {
            k: v
            for k, v in (
                ("url", m.url),
                ("mime_type", m.mime_type),
                ("title", m.caption),
                ("size_in_bytes", m.size),
            )
            if v is not None
        }
        for m in media
        if m.mime_type  # JSON Feed requires a MIME type on every attachment
    ]
    if attachments:
        item["attachments"] = attachments
    item["_feedwright"] = attribution_object(entry)
    return item


def emit_json(feed: Feed) -> bytes:
    document: dict[str, object] = {"version": VERSION, "title": feed.title}
    document["home_page_url"] = feed.link
    if feed.self_url:
        document["feed_url"] = feed.self_url
    if feed.description:
        document["description"] = feed.description
    if feed.icon:
        document["icon"] = feed.icon
    if feed.authors:
        document["authors"] = [_author(a) for a in feed.authors]
    if feed.language:
        document["language"] = feed.language
    if feed.hubs:
        document["hubs"] = [{"type": "WebSub", "url": hub} for hub in feed.hubs]
    extension: dict[str, object] = {"generator": GENERATOR, "id": feed.id}
    if feed.rights is not None and feed.rights.notice:
        extension["rights"] = feed.rights.notice
    if feed.updated is not None:
        extension["updated"] = rfc3339(feed.updated.value)
    document["_feedwright"] = extension
    document["items"] = [_item(e) for e in feed.entries]
    # Compact: json's C encoder only runs without indent, and indenting made writing JSON Feed
    # several times slower. Feed readers parse it; a person can pretty-print it with jq.
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
