"""One documented mapping from loosely-typed records to entry parts.

Used for JSON and NDJSON exports, for the JSON-LD inside HTML pages and for Markdown front
matter, so the three agree on what `author`, `image` or `datePublished` mean. Keys are
schema.org's (NewsArticle, ImageObject, Person, Organization) or the entry model's own names;
the first key of each row that is present wins.

| entry part  | keys |
|-------------|------|
| title       | title, headline, name |
| id          | id, guid (only where the reader allows a source id: JSON exports) |
| url         | url, canonical_url, canonical, canonicalURL, link, mainEntityOfPage |
| summary     | summary, description, standfirst, abstract, excerpt |
| body        | content_html, body_html, html (html) / content_text, articleBody, body, text |
| published   | published, date_published, datePublished, date, pubDate, dateCreated |
| updated     | updated, date_modified, dateModified, modified, lastmod |
| authors     | authors, author, creator, byline: a name, `By A and B`, {name, url, email, @type} |
|             |   (a name, in an object too, read as a byline: `By A, AP Auto Writer`)          |
| credits     | contributor, editor, publisher (schema.org); credits: [{name, role, raw, ...}] |
| media       | media, image, images, video, associatedMedia: a url or {url / contentUrl / src, |
|             |   caption, alt, creditText / credit, author / creator, copyrightHolder, ...} |
| categories  | categories, tags, keywords, articleSection, section: a list or `a, b` |
| rights      | rights ({notice, holder, license_url} or text), copyrightNotice, copyrightHolder, |
|             |   license |
| language    | language, inLanguage, lang |
| dateline    | dateline |

Strict records (JSON exports) raise SourceError on a value of the wrong shape; lenient ones
(JSON-LD found in the wild) turn it into a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from feedwright.errors import FeedwrightError
from feedwright.model import (
    AUTHOR_ROLES,
    ENTRY_TARGET,
    Agent,
    AgentKind,
    Block,
    BlockKind,
    Credit,
    Media,
    MediaKind,
    Rights,
    Role,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.credits import DEFAULT_CREDIT_PATTERNS, CreditPattern
from feedwright.normalise.dates import timestamp_from_value
from feedwright.normalise.text import clean_line
from feedwright.sources._common import Parts, stated_size
from feedwright.sources.htmlbody import absolute, credits_from_credit_text, media_kind_for

_AGENT_KINDS = frozenset(k.value for k in AgentKind)
TITLE_KEYS = ("title", "headline", "name")
ID_KEYS = ("id", "guid")
URL_KEYS = ("url", "canonical_url", "canonical", "canonicalURL", "link", "mainEntityOfPage")
SUMMARY_KEYS = ("summary", "description", "standfirst", "abstract", "excerpt")
HTML_KEYS = ("content_html", "body_html", "html")
TEXT_KEYS = ("content_text", "articleBody", "body", "text")
PUBLISHED_KEYS = ("published", "date_published", "datePublished", "date", "pubDate", "dateCreated")
UPDATED_KEYS = ("updated", "date_modified", "dateModified", "modified", "lastmod")
AUTHOR_KEYS = ("authors", "author", "creator", "byline")
ROLE_KEYS = {"contributor": Role.CONTRIBUTOR, "editor": Role.EDITOR, "publisher": Role.PUBLISHER}
MEDIA_KEYS = ("media", "image", "images", "video", "associatedMedia")
CATEGORY_KEYS = ("categories", "tags", "keywords", "articleSection", "section")
LANGUAGE_KEYS = ("language", "inLanguage", "lang")
RIGHTS_KEYS = ("rights", "copyrightNotice", "copyrightHolder", "copyrightYear", "license")

KNOWN_KEYS = frozenset(
    (
        *TITLE_KEYS,
        *ID_KEYS,
        *URL_KEYS,
        *SUMMARY_KEYS,
        *HTML_KEYS,
        *TEXT_KEYS,
        *PUBLISHED_KEYS,
        *UPDATED_KEYS,
        *AUTHOR_KEYS,
        *ROLE_KEYS,
        "credits",
        *MEDIA_KEYS,
        *CATEGORY_KEYS,
        *LANGUAGE_KEYS,
        *RIGHTS_KEYS,
        "dateline",
        "@context",
        "@type",
        "@id",
    )
)


class RecordProblem(FeedwrightError, ValueError):
    """A value that does not fit the mapping; strict readers turn it into a SourceError."""


@dataclass
class RecordFields:
    title: str | None = None
    id: str | None = None
    url: str | None = None
    summary: str | None = None
    body_html: str | None = None
    body_text: str | None = None
    published: Timestamp | None = None
    updated: Timestamp | None = None
    credits: list[Credit] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    rights: Rights | None = None
    language: str | None = None
    dateline: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_parts(
        self, title: str, blocks: list[Block], body_media: list[Media], warnings: list[str]
    ) -> Parts:
        """The entry's parts: the record's fields around a body read from it. The record's own
        media (a lead image, `image`, `associatedMedia`) lead the body as figures, unless the
        body already shows them."""
        shown = {b.media_id for b in blocks if b.media_id}
        lead = [
            Block(BlockKind.FIGURE, m.caption or "", media_id=m.id)
            for m in self.media
            if m.id not in shown
        ]
        return Parts(
            title=title,
            id=self.id,
            url=self.url,
            summary=self.summary,
            blocks=lead + blocks,
            media=[*self.media, *body_media],
            credits=self.credits,
            published=self.published,
            updated=self.updated,
            categories=self.categories,
            rights=self.rights,
            language=self.language,
            dateline=self.dateline,
            warnings=warnings,
        )


@dataclass
class RecordMapper:
    """Maps one record. `source` prefixes where each date came from (`json-ld`, `json`, ...)."""

    source: str
    default_zone: tzinfo
    base_url: str | None = None
    strict: bool = True
    allow_id: bool = False
    patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS
    next_media_id: Callable[[], str] = field(default=lambda: "m1")
    _fields: RecordFields = field(default_factory=RecordFields)

    def map(self, record: dict[str, Any]) -> RecordFields:
        self._fields = fields = RecordFields()
        fields.title = self._string(record, TITLE_KEYS)
        if self.allow_id:
            fields.id = self._string(record, ID_KEYS)
        fields.url = absolute(self._url(record), self.base_url)
        fields.summary = self._string(record, SUMMARY_KEYS)
        fields.body_html = self._string(record, HTML_KEYS, clean=False)
        fields.body_text = self._string(record, TEXT_KEYS, clean=False)
        fields.published = self._date(record, PUBLISHED_KEYS)
        fields.updated = self._date(record, UPDATED_KEYS)
        for key in AUTHOR_KEYS:
            if key in record:
                fields.credits.extend(
                    self._agent_credits(record[key], key, Role.AUTHOR, bylines=True)
                )
                break
        for key, role in ROLE_KEYS.items():
            if key in record:
                fields.credits.extend(self._agent_credits(record[key], key, role))
        if "credits" in record:
            fields.credits.extend(self._model_credits(record["credits"]))
        for key in MEDIA_KEYS:
            if key in record:
                fields.media.extend(self._media_list(record[key], key))
        for key in CATEGORY_KEYS:
            if key in record:
                fields.categories.extend(self._terms(record[key], key))
        fields.rights = self._rights(record)
        fields.language = self._string(record, LANGUAGE_KEYS)
        fields.dateline = self._string(record, ("dateline",))
        return fields

    # --- problems -------------------------------------------------------------------------------

    def problem(self, message: str) -> None:
        if self.strict:
            raise RecordProblem(message)
        self._fields.warnings.append(message)

    # --- scalars --------------------------------------------------------------------------------

    def _string(
        self, record: dict[str, Any], keys: Iterable[str], clean: bool = True
    ) -> str | None:
        for key in keys:
            if key not in record or record[key] is None:
                continue
            value = record[key]
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                value = value[0]  # JSON-LD often repeats a headline or language as a list
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                self.problem(f"{key!r} must be text, got {_shape(value)}")
                continue
            text = clean_line(value) if clean else value
            if text.strip():
                return text
        return None

    def _url(self, record: dict[str, Any]) -> str | None:
        for key in URL_KEYS:
            value = record.get(key)
            if isinstance(value, dict):  # mainEntityOfPage: {"@type": "WebPage", "@id": url}
                value = value.get("@id") or value.get("url")
            if value is None:
                continue
            if not isinstance(value, str):
                self.problem(f"{key!r} must be a url, got {_shape(value)}")
                continue
            if value.strip():
                return value.strip()
        return None

    def _date(self, record: dict[str, Any], keys: Iterable[str]) -> Timestamp | None:
        for key in keys:
            if key not in record or record[key] in (None, ""):
                continue
            stamp = timestamp_from_value(record[key], self.default_zone, f"{self.source}:{key}")
            if stamp is None:
                self.problem(f"{key!r} is not a date with a year, month and day: {record[key]!r}")
                continue
            return stamp
        return None

    def _terms(self, value: Any, key: str) -> list[str]:
        if isinstance(value, str):
            return [t for t in (clean_line(p) for p in value.split(",")) if t]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [t for t in (clean_line(v) for v in value) if t]
        self.problem(f"{key!r} must be text or a list of text, got {_shape(value)}")
        return []

    # --- agents and credits ---------------------------------------------------------------------

    def _agents(self, value: Any, key: str) -> list[tuple[Agent, str]]:
        """Agents with the raw text each came from."""
        return [(agent, raw) for agent, raw, _ in self._named(value, key, bylines=False)]

    def _named(self, value: Any, key: str, bylines: bool) -> list[tuple[Agent, str, Role | None]]:
        """Agents, the raw text each came from, and the role a byline states for it. With
        `bylines` (who wrote or shot it), a name is read as every reader reads a byline
        (`By TOM KRISHER, AP Auto Writer`: the person, and AP as a source), in an object's
        name too; otherwise a name stays as written unless it lists several."""
        if value is None:
            return []
        if isinstance(value, list):
            return [a for item in value for a in self._named(item, key, bylines)]
        if isinstance(value, str):
            text = clean_line(value)
            if not text:
                return []
            byline = credit_rules.parse_author(text)
            if byline and (bylines or len(byline) > 1):
                return [(c.agent, text, c.role) for c in byline]
            return [(Agent(text, credit_rules.agent_kind(text)), text, None)]
        if isinstance(value, dict):
            name = value.get("name")
            if isinstance(name, list) and name:
                name = name[0]
            if not isinstance(name, str) or not clean_line(name):
                self.problem(f"{key!r} has an entry without a name: {_brief(value)}")
                return []
            return _named_object(value, clean_line(name), self.base_url, bylines)
        self.problem(
            f"{key!r} must be a name, an object with a name, or a list; got {_shape(value)}"
        )
        return []

    def _agent_credits(
        self,
        value: Any,
        key: str,
        role: Role,
        target: str = ENTRY_TARGET,
        bylines: bool = False,
    ) -> list[Credit]:
        """Credits in `role`; with `bylines`, what a byline states stays: a reporter is one
        where an author was asked for, and the wire after the comma is a source credit."""
        credits = []
        for agent, raw, stated in self._named(value, key, bylines):
            kept = stated is Role.SOURCE or (stated in AUTHOR_ROLES and role is Role.AUTHOR)
            given = stated if bylines and kept and stated is not None else role
            credits.append(Credit(agent, given, target, raw))
        return credits

    def _model_credits(self, value: Any) -> list[Credit]:
        """`credits`: [{name, role, raw?, on_behalf_of?, target?, kind?, url?}] in our own terms."""
        if not isinstance(value, list):
            self.problem(f"'credits' must be a list of objects, got {_shape(value)}")
            return []
        credits: list[Credit] = []
        for item in value:
            if not isinstance(item, dict):
                self.problem(f"'credits' holds {_shape(item)}, not an object")
                continue
            agent_value = item.get("agent", item)
            agents = self._agents(agent_value, "credits")
            role = _role(item.get("role"))
            if role is None:
                self.problem(f"'credits' entry has an unknown role: {item.get('role')!r}")
                continue
            behalf = (
                self._agents(item["on_behalf_of"], "credits") if item.get("on_behalf_of") else []
            )
            for agent, raw in agents:
                credits.append(
                    Credit(
                        agent,
                        role,
                        target=str(item.get("target") or "entry"),
                        raw=str(item.get("raw") or raw),
                        on_behalf_of=behalf[0][0] if behalf else None,
                    )
                )
        return credits

    # --- media ----------------------------------------------------------------------------------

    def _media_list(self, value: Any, key: str) -> list[Media]:
        items = value if isinstance(value, list) else [value]
        if not self.strict and items and all(isinstance(i, str) for i in items):
            items = items[:1]  # JSON-LD lists crops of one picture (1x1, 4x3, 16x9): keep one
        media = [m for item in items if (m := self._media(item, key)) is not None]
        return media

    def _media(self, value: Any, key: str) -> Media | None:
        default_kind = MediaKind.VIDEO if key == "video" else MediaKind.UNKNOWN
        if isinstance(value, str):
            url = absolute(value, self.base_url)
            if url is None:
                return None
            kind = media_kind_for(url)
            kind = kind if kind is not MediaKind.UNKNOWN else default_kind
            if key in ("image", "images") and kind is MediaKind.UNKNOWN:
                kind = MediaKind.IMAGE
            return Media(self.next_media_id(), kind, url)
        if not isinstance(value, dict):
            self.problem(f"{key!r} must be a url or an object, got {_shape(value)}")
            return None
        url = absolute(
            _first_str(value, ("url", "contentUrl", "src", "href", "embedUrl")), self.base_url
        )
        media_id = _first_str(value, ("id",)) if "kind" in value else None
        media_id = media_id or self.next_media_id()
        mime = _first_str(value, ("mime_type", "encodingFormat", "type", "mimeType"))
        kind = _media_kind(value, url, mime, key)
        caption = _first_str(value, ("caption", "description"))
        credits: list[Credit] = []
        credit_text = _first_str(value, ("creditText", "credit"))
        if credit_text:
            credits.extend(credits_from_credit_text(credit_text, media_id, patterns=self.patterns))
        if caption and not credit_text:
            found = credit_rules.split_caption_credit(clean_line(caption), media_id, self.patterns)
            if found is not None:
                caption, credits = found.caption, list(found.credits)
        for agent_key in ("author", "creator"):
            credits.extend(
                self._agent_credits(
                    value.get(agent_key), agent_key, _photo_role(kind), media_id, bylines=True
                )
            )
        for agent, raw in self._agents(value.get("copyrightHolder"), "copyrightHolder"):
            credits.append(Credit(agent, Role.COPYRIGHT_HOLDER, media_id, raw))
        if "credits" in value:
            credits.extend(
                Credit(c.agent, c.role, media_id, c.raw, c.on_behalf_of)
                for c in self._model_credits(value["credits"])
            )
        if url is None and not caption and not credits:
            self.problem(f"{key!r} has an entry with no url, caption or credit: {_brief(value)}")
            return None
        return Media(
            id=media_id,
            kind=kind,
            url=url,
            mime_type=mime if mime and "/" in mime else None,
            size=stated_size(value.get("size")),
            caption=clean_line(caption) if caption else None,
            alt=_first_str(value, ("alt", "alternativeHeadline")),
            credits=tuple(dict.fromkeys(credits)),
        )

    # --- rights ---------------------------------------------------------------------------------

    def _rights(self, record: dict[str, Any]) -> Rights | None:
        rights = record.get("rights")
        if isinstance(rights, dict):
            holders = self._agents(rights.get("holder"), "rights")
            return Rights(
                notice=_opt_str(rights.get("notice")),
                holder=holders[0][0] if holders else None,
                license_url=_opt_str(rights.get("license_url")),
            )
        notice = rights if isinstance(rights, str) else self._string(record, ("copyrightNotice",))
        if rights is not None and not isinstance(rights, str | dict):
            self.problem(f"'rights' must be text or an object, got {_shape(rights)}")
        holder_agents = self._agents(record.get("copyrightHolder"), "copyrightHolder")
        holder = holder_agents[0][0] if holder_agents else None
        if notice and holder is None:
            parsed = credit_rules.parse_copyright(notice)
            holder = parsed[1] if parsed else None
        license_value = record.get("license")
        if isinstance(license_value, dict):
            license_value = license_value.get("@id") or license_value.get("url")
        license_url = (
            absolute(license_value, self.base_url) if isinstance(license_value, str) else None
        )
        if notice is None and holder is None and license_url is None:
            return None
        return Rights(
            notice=clean_line(notice) if notice else None, holder=holder, license_url=license_url
        )


def unknown_keys(record: dict[str, Any]) -> list[str]:
    return sorted(k for k in record if k not in KNOWN_KEYS)


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return type(value).__name__


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _first_str(value: dict[str, Any], keys: Iterable[str]) -> str | None:
    for key in keys:
        item = value.get(key)
        if isinstance(item, str) and item.strip():
            return item.strip()
    return None


def _opt_str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _opt_url(value: dict[str, Any], base_url: str | None) -> str | None:
    url = value.get("url") or value.get("uri") or value.get("sameAs")
    if isinstance(url, list):
        url = next((u for u in url if isinstance(u, str)), None)
    return absolute(url, base_url) if isinstance(url, str) else None


def _named_object(
    value: dict[str, Any], name: str, base_url: str | None, bylines: bool
) -> list[tuple[Agent, str, Role | None]]:
    """A {name, @type, url, email} object: one agent, or (with `bylines`, when its name is a
    byline and it is no organisation's) the byline's, its one person keeping the object's type,
    url and e-mail."""
    url, email = _opt_url(value, base_url), _opt_str(value.get("email"))
    declared = _declared_kind(value)
    byline = None
    if bylines and declared is not AgentKind.ORGANIZATION:
        byline = credit_rules.parse_author(name)
    if not byline or [(c.agent.name, c.role) for c in byline] == [(name, Role.AUTHOR)]:
        kind = declared or credit_rules.agent_kind(name)
        return [(Agent(name, kind, url, email), name, None)]
    people = [c for c in byline if c.role is not Role.SOURCE]
    named: list[tuple[Agent, str, Role | None]] = []
    for credit in byline:
        agent = credit.agent
        if credit.role is not Role.SOURCE and len(people) == 1:
            agent = Agent(agent.name, declared or agent.kind, url, email)
        named.append((agent, name, credit.role))
    return named


def _declared_kind(value: dict[str, Any]) -> AgentKind | None:
    """The kind an object states: our own `kind` exactly ("unknown" too, never a guess from the
    name), or a schema.org @type."""
    own = value.get("kind")
    if isinstance(own, str) and own.lower() in _AGENT_KINDS:
        return AgentKind(own.lower())
    declared = value.get("@type") or own
    if isinstance(declared, list):
        declared = declared[0] if declared else None
    if isinstance(declared, str):
        lowered = declared.lower()
        if lowered == "person":
            return AgentKind.PERSON
        if lowered in ("organization", "organisation", "newsmediaorganization", "corporation"):
            return AgentKind.ORGANIZATION
    return None


def _role(value: Any) -> Role | None:
    if value is None:
        return Role.CONTRIBUTOR
    try:
        return Role(str(value).lower())
    except ValueError:
        return None


def _media_kind(value: dict[str, Any], url: str | None, mime: str | None, key: str) -> MediaKind:
    declared = value.get("@type") or value.get("kind")
    if isinstance(declared, str):
        lowered = declared.lower()
        for kind in MediaKind:
            if lowered in (kind.value, f"{kind.value}object"):
                return kind
    kind = media_kind_for(url, mime)
    if kind is MediaKind.UNKNOWN and key in ("image", "images"):
        return MediaKind.IMAGE
    if kind is MediaKind.UNKNOWN and key == "video":
        return MediaKind.VIDEO
    return kind


def _photo_role(kind: MediaKind) -> Role:
    return Role.VIDEOGRAPHER if kind is MediaKind.VIDEO else Role.PHOTOGRAPHER

