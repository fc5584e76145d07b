"""The Markdown reader: one file with YAML (`---`) or TOML (`+++`) front matter, one entry.

Front matter goes through the same record mapping as JSON exports (title, date, authors, tags,
image with credit, canonical url, ...). The body is CommonMark, parsed by markdown-it-py and
rendered to html, then read into blocks like any html body, so raw `<figure>` markup with credit
spans works, and an image standing alone in a paragraph becomes a figure whose title attribute
(or an emphasised line right under it) is its caption with the credit cut off.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from typing import Any

import yaml
from markdown_it import MarkdownIt

from feedwright.model import Block, BlockKind, Entry, Media
from feedwright.normalise import credits as credit_rules
from feedwright.sources import READER_REVISIONS
from feedwright.sources._common import (
    assemble,
    check_size,
    decode_or_fail,
    noted,
    provenance,
    zone_or_fail,
)
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.htmlbody import BodyReader, parse_fragment
from feedwright.sources.record import URL_KEYS, RecordMapper, RecordProblem, unknown_keys

EXTRACTOR = f"feedwright.markdown/{READER_REVISIONS['markdown']}+markdown-it-py"
MAX_MARKDOWN_BYTES = 10 * 1024 * 1024

_FRONT_MATTER = re.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P<body>.*?)\r?\n(?P=fence)[ \t]*(?:\r?\n|\Z)", re.S
)
#: Hugo, Jekyll and Eleventy spellings on top of the shared mapping.
_ALIASES = {
    "canonicalURL": "canonical_url",
    "canonicalUrl": "canonical_url",
    "permalink": "url",
    "lastmod": "updated",
    "publishDate": "published",
    "pubdate": "published",
    "featured_image": "image",
    "cover": "image",
}


class _NoDates(yaml.SafeLoader):
    """YAML without implicit timestamps: `date: 2025-03-12 06:04` would lose its zone (PyYAML
    makes naive datetimes), so dates stay text and our parser keeps time, zone and day-only."""


_NoDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    check_size(retrieved, MAX_MARKDOWN_BYTES, "a Markdown file")
    decoded = decode_or_fail(retrieved)
    text = decoded.text
    default_zone = zone_or_fail(retrieved, options)
    front, body, body_line = split_front_matter(text, retrieved.location)
    counter = _Counter()
    patterns = options.all_credit_patterns
    mapper = RecordMapper(
        source="front-matter",
        default_zone=default_zone,
        base_url=retrieved.base_url or _canonical(front) or options.base_url,
        strict=True,
        patterns=patterns,
        next_media_id=counter,
    )
    record = {_ALIASES.get(k, k): v for k, v in front.items()}
    try:
        fields = mapper.map(record)
    except RecordProblem as exc:
        raise SourceError(retrieved.location, f"front matter: {exc}", 1) from None
    base_url = retrieved.base_url or fields.url or options.base_url
    blocks, media = render_body(body, base_url, patterns, counter)
    title = fields.title
    if not title:
        title, blocks = _title_from_heading(blocks)
    if not title:
        raise SourceError(
            retrieved.location, "no title: none in the front matter and no heading", body_line
        )
    warnings = list(fields.warnings)
    ignored = [k for k in unknown_keys(record) if k not in ("draft", "slug", "layout", "type")]
    if ignored:
        warnings.append(f"front matter keys not used: {', '.join(ignored)}")
    parts = fields.to_parts(title, blocks, media, warnings)
    prov = provenance(retrieved, "markdown", EXTRACTOR)
    return noted((assemble(parts, prov, base_url, options),), decoded)


def _canonical(front: dict[str, Any]) -> str | None:
    """The page's own address, so the front matter's relative image urls resolve against it."""
    for key in ("canonicalURL", "canonicalUrl", *URL_KEYS, "permalink"):
        value = front.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"m{self.count}"


def split_front_matter(text: str, location: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line number where the body starts)."""
    text = text.lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if match is None:
        if text.startswith(("---\n", "+++\n", "---\r\n", "+++\r\n")):
            raise SourceError(location, "front matter is not closed", 1)
        return {}, text, 1
    source = match.group("body")
    try:
        data = (
            tomllib.loads(source)
            if match.group("fence") == "+++"
            else yaml.load(source, Loader=_NoDates)  # a SafeLoader subclass: no arbitrary objects
        )
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(location, f"front matter is not TOML: {exc}", 2) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise SourceError(
            location,
            f"front matter is not YAML: {getattr(exc, 'problem', None) or exc}",
            line + 2 if isinstance(line, int) else 1,
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(location, "front matter must be a mapping of keys to values", 2)
    body_line = text[: match.end()].count("\n") + 1
    return data, text[match.end() :], body_line


def render_body(
    body: str,
    base_url: str | None,
    patterns: tuple[credit_rules.CreditPattern, ...],
    next_media_id: Callable[[], str],
) -> tuple[list[Block], list[Media]]:
    # CommonMark with tables and strikethrough; raw html allowed because the sanitiser runs on
    # the rendered content and newsroom Markdown carries <figure> markup with credit spans.
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    html = md.render(body)
    root = parse_fragment(_caption_lines(html))
    return BodyReader(base_url, patterns, next_media_id).read(root)


_IMAGE_PARAGRAPH = re.compile(
    r"<p>(?P<img><img [^>]*>)\s*(?:</p>\s*<p>)?<em>(?P<caption>(?:(?!</?p>).)+)</em></p>", re.S
)


def _caption_lines(html: str) -> str:
    """`![alt](src)` followed by an emphasised line is a picture and its caption: make it a
    figure so the caption and its credit stay together."""
    return _IMAGE_PARAGRAPH.sub(
        r"<figure>\g<img><figcaption>\g<caption></figcaption></figure>", html
    )


def _title_from_heading(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """No title in the front matter: the first heading is the title (and leaves the body)."""
    for index, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING:
            return block.text, blocks[:index] + blocks[index + 1 :]
        if block.kind is not BlockKind.FIGURE:
            break
    return None, blocks
