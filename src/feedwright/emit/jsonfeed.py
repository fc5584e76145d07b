"""JSON Feed 1.1: plain json, keys in a fixed order so the same model gives the same bytes."""

from __future__ import annotations

import orjson

from feedwright import attribution
from feedwright.emit.common import (
    GENERATOR,
    Shared,
    Written,
    authors_of,
    contributors_of,
    enclosures,
    entry_label,
    joined,
    media_with_url,
    shown_date,
    sources_of,
    updated_of,
)
from feedwright.emit.history import extend_json
from feedwright.formats import rfc3339
from feedwright.model import Agent, Entry, Feed, MediaKind
from feedwright.syntax import as_uri

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
        item["url"] = as_uri(entry.url)  # JSON Feed urls are URIs, as our validator holds
    item["title"] = entry.title
    item["content_html"] = entry.content_html or ""
    if entry.summary:
        item["summary"] = entry.summary
    media = media_with_url(entry)
    image = next((m for m in media if m.kind is MediaKind.IMAGE), None)
    if image is not None:
        item["image"] = as_uri(image.url or "")
    published = shown_date(entry)
    if published is not None:
        item["date_published"] = rfc3339(published.value)
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
                ("url", as_uri(e.url)),
                ("mime_type", e.mime_type),
                ("title", e.media.caption),
                ("size_in_bytes", e.length),
            )
            if v is not None
        }
        for e in enclosures(entry)
    ]
    if attachments:
        item["attachments"] = attachments
    item["_feedwright"] = _record(entry)
    return item


def _record(entry: Entry) -> dict[str, object]:
    """The attribution record, then the contributors and sources that JSON Feed has no field
    for: conveniences for its clients, derived from the credits, so never read back."""
    record = attribution.to_json(entry)
    for key, agents in (("contributors", contributors_of(entry)), ("sources", sources_of(entry))):
        if agents:
            record[key] = [attribution.agent_json(a) for a in agents]
    return record


def emit_json(feed: Feed, shared: Shared | None = None, written: Written | None = None) -> bytes:
    """The JSON Feed document; with `written`, around those items (feed.entries then unused).
    `shared` is taken for the emitters' one signature; JSON Feed shares nothing with the XML
    formats."""
    if written is None:
        return encode(feed_document(feed))
    shell = encode(feed_document(feed, written))
    # "items" is the document's last key (feed_document), so its empty list ends the bytes
    assert shell.endswith(_NO_ITEMS), "feed_document must put the items last"
    items = (b"," + item if n else item for n, item in enumerate(written.entries))
    return joined(shell[:-len(_NO_ITEMS)] + b'"items":[', items, _NO_ITEMS[len(b'"items":['):])


_NO_ITEMS = b'"items":[]}\n'


def entry_bytes(entry: Entry) -> bytes:
    """One item of the document, as it stands among the others (Written holds these)."""
    return orjson.dumps(_item(entry))


def encode(document: object) -> bytes:
    """Compact UTF-8 JSON and a newline: the bytes json.dumps(ensure_ascii=False,
    separators=(",", ":")) gave, six times faster through orjson (tests/test_json_encoding.py
    compares the two). Feed readers parse it; a person can pretty-print it with jq."""
    return orjson.dumps(document) + b"\n"


def feed_document(feed: Feed, written: Written | None = None) -> dict[str, object]:
    """The JSON Feed document as plain values, keys in the fixed order they are written (with
    `written`, dated by those entries, and its items left empty)."""
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
    updated = updated_of(feed, written)
    if updated is not None:
        extension["updated"] = rfc3339(updated.value)
    extend_json(document, extension, feed)
    document["_feedwright"] = extension
    document["items"] = [_item(e) for e in feed.entries] if written is None else []
    return document
