"""Stage 6, emit and validate: each document a feed is published as, emitted from the feed and
validated before anything may be written; and what tells a build its documents are already right.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedwright import __version__
from feedwright.config import FeedConfig
from feedwright.model import Feed, Paging

if TYPE_CHECKING:
    from feedwright.validate import Report


@dataclass(frozen=True)
class Document:
    """One document of a feed: its format, its file name, where it is published and, in an
    archived feed, its links to the others."""

    fmt: str
    name: str
    self_url: str | None
    paging: Paging | None = None


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
        for issue in self.report.errors:
            line = f":{issue.line}" if getattr(issue, "line", None) else ""
            lines.append(f"{name}{line}: {issue.rule}: {issue.message}")
        return lines


def documents(config: FeedConfig) -> list[Document]:
    return [Document(fmt, config.file_name(fmt), config.self_url(fmt)) for fmt in config.formats]


def render(feed: Feed, targets: Sequence[Document]) -> Iterator[Rendered]:
    """Each document in turn, emitted and validated. One at a time: the caller drops a document
    before it asks for the next."""
    from feedwright.emit import EmitError, emit
    from feedwright.validate import validate_document

    for target in targets:
        try:
            data = emit(dataclasses.replace(feed, self_url=target.self_url,
                                            paging=target.paging), target.fmt)
        except EmitError as exc:
            yield Rendered(target, None, None, str(exc))
            continue
        yield Rendered(target, data, validate_document(data, target.fmt))
        del data


def render_settings(config: FeedConfig) -> str:
    """A digest of everything besides the entries that shapes the documents: feed metadata,
    formats, limit, content mode, self urls, archiving, and the feedwright version."""
    shape = (__version__, config.feed(), config.formats, config.limit, config.content,
             [(fmt, config.file_name(fmt), config.self_url(fmt)) for fmt in config.formats],
             config.archive, config.archive_page_size)
    return hashlib.sha256(repr(shape).encode("utf-8")).hexdigest()
