"""JSON Feed 1.0 and 1.1 items as entries, with our own `_feedwright` record."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from feedwright import attribution
from feedwright.model import (
    Agent,
    AgentKind,
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Role,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.text import clean_line
from feedwright.sources._common import Parts, decode_or_fail, noted, stated_size
from feedwright.sources.base import SourceError
from feedwright.sources.feed.common import Counter, FeedInfo, FeedReader, add_media, first_words
from feedwright.sources.htmlbody import absolute, media_kind_for

_AGENT_KINDS = frozenset(k.value for k in AgentKind)


class JsonFeedReader(FeedReader):
    """A JSON Feed document's items."""

    def read(self) -> tuple[Entry, ...]:
        decoded = decode_or_fail(self.retrieved)
        text = decoded.text.lstrip("\ufeff")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(self.retrieved.location, f"not JSON: {exc.msg}", exc.lineno) from None
        if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
            "https://jsonfeed.org/version/"
        ):
            raise SourceError(self.retrieved.location, "not a JSON Feed: no jsonfeed.org version")
        items = document.get("items")
        if not isinstance(items, list):
            raise SourceError(self.retrieved.location, "JSON Feed without an 'items' list")
        feed_authors = _json_agents(document.get("authors") or document.get("author"))
        info = FeedInfo(
            title=clean_line(str(document.get("title") or self.retrieved.location)),
            url=absolute(_str(document.get("feed_url")) or _str(document.get("home_page_url")),
                         None),
            authors=feed_authors,
            language=_str(document.get("language")),
        )
        entries = tuple(self._item(item, info, n) for n, item in enumerate(items, start=1))
        return noted(entries, decoded)

    def _item(self, item: Any, info: FeedInfo, number: int) -> Entry:
        where = f"item {number}"
        if not isinstance(item, dict):
            raise SourceError(self.retrieved.location, f"{where} is not an object")
        own_url = absolute(_str(item.get("url")), self.base_url)
        base_url = own_url or self.base_url
        # JSON Feed 1.1: external_url is the page the item is about (a linkblog's link). With no
        # url of its own, that page is the item's link; beside one, the model has no place for
        # a second link, so it is left out, and the provenance says so.
        external = absolute(_str(item.get("external_url")), self.base_url)
        url = own_url or external
        warnings = (
            [f"{where}: external_url {external!r} left out (the item has a url of its own)"]
            if own_url and external and external != own_url
            else []
        )
        counter = Counter()
        blocks, media = self.body(
            _str(item.get("content_html")), _str(item.get("content_text")), base_url, counter
        )
        title = clean_line(_str(item.get("title")) or "") or first_words(
            _str(item.get("summary")) or next((b.text for b in blocks if b.text), "")
        )
        if not title:
            raise SourceError(self.retrieved.location, f"{where} has no title and no text")
        authors = _json_agents(item.get("authors") or item.get("author")) or info.authors
        credits = [Credit(a, Role.AUTHOR, raw=a.name) for a in authors]
        record_value = item.get(attribution.JSON_KEY)
        record = attribution.from_json(record_value) if record_value is not None else None
        image = absolute(_str(item.get("image")), base_url)
        # the lead image shown above the body, unless our record says what the body shows
        if image and record is None and not any(m.url == image for m in media):
            media.insert(0, Media(counter(), MediaKind.IMAGE, image))
            blocks.insert(0, Block(BlockKind.FIGURE, media_id=media[0].id))
        for attachment in item.get("attachments") or []:
            if isinstance(attachment, dict) and _str(attachment.get("url")):
                att_url = absolute(_str(attachment.get("url")), base_url)
                mime = _str(attachment.get("mime_type"))
                media = add_media(
                    media,
                    Media(
                        counter(),
                        media_kind_for(att_url, mime),
                        att_url,
                        mime,
                        stated_size(attachment.get("size_in_bytes")),
                        caption=_str(attachment.get("title")),
                    ),
                )
        parts = Parts(
            title=title,
            id=_str(item.get("id"))
            or (str(item["id"]) if isinstance(item.get("id"), int) else None),
            url=url,
            summary=_str(item.get("summary")),
            blocks=blocks,
            media=media,
            credits=credits,
            published=self.date(_str(item.get("date_published")), "json-feed:date_published"),
            updated=self.date(_str(item.get("date_modified")), "json-feed:date_modified"),
            categories=[clean_line(t) for t in item.get("tags") or [] if isinstance(t, str)],
            language=_str(item.get("language")) or info.language,
            warnings=warnings,
        )
        if record is not None and isinstance(record_value, dict):
            record = _with_earlier_dates(record, record_value, parts)
        return self.finish(parts, info, record, base_url)


def _with_earlier_dates(
    record: attribution.Record, value: dict[str, Any], parts: Parts
) -> attribution.Record:
    """A `_feedwright` object written before the record held its dates (published_source,
    updated_source and ..._day_only beside the native dates): the native dates, with the
    sources it names, so feeds written by earlier versions keep their dates."""
    if (
        record.published
        or record.updated
        or not {"published_source", "updated_source"} & set(value)
    ):
        return record

    def earlier(name: str, stamp: Timestamp | None) -> Timestamp | None:
        source = value.get(f"{name}_source")
        if stamp is None or not isinstance(source, str) or not source:
            return stamp
        return Timestamp(stamp.value, source, value.get(f"{name}_day_only") is True)

    return replace(
        record,
        published=earlier("published", parts.published),
        updated=earlier("updated", parts.updated),
    )


# --- helpers ------------------------------------------------------------------------------------


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _json_agents(value: Any) -> list[Agent]:
    items = value if isinstance(value, list) else [value] if value else []
    agents = []
    for item in items:
        if isinstance(item, dict) and _str(item.get("name")):
            name = clean_line(str(item["name"]))
            kind = _str(item.get("kind"))
            agents.append(
                Agent(
                    name,
                    AgentKind(kind)
                    if kind is not None and kind in _AGENT_KINDS
                    else credit_rules.agent_kind(name),
                    absolute(_str(item.get("url")), None),
                    _str(item.get("email")),
                )
            )
        elif isinstance(item, str) and item.strip():
            agents.append(Agent(clean_line(item), credit_rules.agent_kind(item)))
    return agents
