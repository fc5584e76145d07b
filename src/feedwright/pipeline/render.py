"""Stage 6, emit and validate: each document a feed is published as, emitted from the feed and
validated before anything may be written; and what tells a build its documents are already right.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from feedwright import __version__
from feedwright.config import FeedConfig
from feedwright.model import Feed, Paging

if TYPE_CHECKING:
    from feedwright.validate import Issue, Report


#: Companions published beside a feed's documents: no feed format, no schema to validate.
PAGE = "page"  # the HTML page people read (emit.page)
STYLESHEET = "stylesheet"  # the XSL stylesheet the RSS and Atom documents name


@dataclass(frozen=True)
class Document:
    """One file a feed is published as: a feed format (rss, atom, json) or a companion (PAGE,
    STYLESHEET); its file name; and, for a format, where it is published, what it names and, in
    an archived feed, its links to the others."""

    fmt: str
    name: str
    self_url: str | None = None
    hubs: tuple[str, ...] = ()  # WebSub hubs the document names
    stylesheet: str | None = None  # href of the XSL stylesheet (RSS and Atom use it)
    paging: Paging | None = None


#: Warnings for a feed someone else wrote (the W3C validator accepts such documents), but never
#: in ours: content is sanitised before it is emitted, so one of these means the sanitiser let
#: active content through, and the document must not be published.
REFUSED_IN_OUR_OUTPUT: Final = frozenset({"html-script", "html-event-handler",
                                          "html-javascript-url"})


def blocking_issues(report: Report) -> list[Issue]:
    """What keeps a document we emitted from being published: its errors, and the warnings our
    own output must never raise."""
    return [i for i in report.issues
            if i.severity == "error" or i.rule in REFUSED_IN_OUR_OUTPUT]


@dataclass
class Rendered:
    document: Document
    data: bytes | None  # None: it cannot be emitted (emit_error says why)
    report: Report | None  # the validation report of data; None: a file no schema covers
    emit_error: str | None = None

    def errors(self) -> list[str]:
        """What keeps the document from being published, one line each naming the file."""
        name = self.document.name
        if self.emit_error is not None:
            return [f"{name}: cannot emit: {self.emit_error}"]
        if self.report is None:
            return []
        lines = []
        for issue in blocking_issues(self.report):
            line = f":{issue.line}" if getattr(issue, "line", None) else ""
            lines.append(f"{name}{line}: {issue.rule}: {issue.message}")
        return lines


def documents(config: FeedConfig) -> list[Document]:
    """What a build publishes for the feed (config.outputs): each format's document, then the
    page and the stylesheet when they are on."""
    stylesheet = config.file_name(STYLESHEET) if config.stylesheet else None
    return [Document(output, config.file_name(output), config.self_url(output), config.hubs,
                     stylesheet) if output in config.formats
            else Document(output, config.file_name(output)) for output in config.outputs]


def render(feed: Feed, targets: Sequence[Document]) -> Iterator[Rendered]:
    """Each document in turn, emitted and validated (a companion is only made). One at a time:
    the caller drops a document before it asks for the next."""
    from feedwright.emit import EmitError, Shared, emit_document
    from feedwright.validate import ContentChecks, validate_document

    content = ContentChecks()  # the formats carry the same html: each is checked once
    shared = Shared()  # and the same attribution records: each is made once
    for target in targets:
        if target.fmt in (PAGE, STYLESHEET):
            yield Rendered(target, companion(feed, target, targets), None)
            continue
        try:
            emitted = emit_document(dataclasses.replace(
                feed, self_url=target.self_url, hubs=target.hubs, stylesheet=target.stylesheet,
                paging=target.paging), target.fmt, shared)
        except EmitError as exc:
            yield Rendered(target, None, None, str(exc))
            continue
        # a JSON Feed's object is checked as the emitter made it, not parsed from its bytes
        yield Rendered(target, emitted.data, validate_document(
            emitted.data, target.fmt, content=content, document=emitted.document))
        del emitted


def companion(feed: Feed, target: Document, targets: Sequence[Document]) -> bytes:
    """The page people read (linking to the feed's documents) or the stylesheet browsers apply."""
    from feedwright.emit import MEDIA_TYPES
    from feedwright.emit.page import emit_page, stylesheet

    if target.fmt == STYLESHEET:
        return stylesheet()
    links = {t.fmt: (MEDIA_TYPES[t.fmt], t.name) for t in targets if t.fmt in MEDIA_TYPES}
    return emit_page(feed, links)


def render_settings(config: FeedConfig) -> str:
    """A digest of everything besides the entries that shapes the documents: feed metadata,
    formats, limit, content mode, self urls, archiving, and the feedwright version."""
    shape = (__version__, config.feed(), config.formats, config.limit, config.content,
             [(fmt, config.file_name(fmt), config.self_url(fmt)) for fmt in config.formats],
             config.hubs, [(output, config.file_name(output)) for output in config.outputs],
             config.archive, config.archive_page_size)
    return hashlib.sha256(repr(shape).encode("utf-8")).hexdigest()
