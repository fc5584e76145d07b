"""The small interface between retrievers and readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from feedwright.errors import FeedwrightError

if TYPE_CHECKING:
    # Only named in annotations: the credit rules compile many patterns, which a command that
    # reads nothing should not pay for.
    from feedwright.model import Entry
    from feedwright.normalise.credits import CreditPattern


@dataclass(frozen=True)
class Retrieved:
    """What a retriever hands a reader: bytes plus the facts needed to read and to re-fetch."""

    location: str  # path or url, as the user named it
    data: bytes
    media_type: str | None = None
    base_url: str | None = None  # to resolve relative links against
    charset: str | None = None  # declared by the transport, if any
    etag: str | None = None
    last_modified: datetime | None = None
    not_modified: bool = False  # a conditional fetch found nothing new; data is empty


@dataclass(frozen=True)
class ReaderOptions:
    """Per-feed reading options (from feeds/NAME.toml); patterns extend the defaults."""

    timezone: str = "UTC"
    chrome: tuple[str, ...] = ()  # extra page-chrome lines to drop (exact text, any case)
    credit_patterns: tuple[CreditPattern, ...] = ()  # tried before the default patterns
    base_url: str | None = None  # for sources that have no url of their own

    @property
    def all_credit_patterns(self) -> tuple[CreditPattern, ...]:
        """The feed's own patterns, then the defaults: the one list every reader tries."""
        from feedwright.normalise.credits import DEFAULT_CREDIT_PATTERNS  # only when reading

        return self.credit_patterns + DEFAULT_CREDIT_PATTERNS


class SourceError(FeedwrightError):
    """A source that cannot be read: names the location, the place (line) and the reason."""

    def __init__(self, location: str, reason: str, line: int | None = None) -> None:
        self.location = location
        self.reason = reason
        self.line = line
        place = f"{location}:{line}" if line is not None else location
        super().__init__(f"{place}: {reason}")


class PartlyRead(SourceError):
    """Records of a many-record source (a JSON export) that could not be read, each its own
    SourceError with its line, and the entries the other records gave. It is a SourceError
    like any other (the source failed); only export --keep-going publishes the entries."""

    def __init__(self, failures: Sequence[SourceError], entries: tuple[Entry, ...]) -> None:
        first = failures[0]
        more = f" (and {len(failures) - 1} more records)" if len(failures) > 1 else ""
        super().__init__(first.location, first.reason + more, first.line)
        self.failures = tuple(failures)
        self.entries = entries

    def messages(self) -> list[str]:
        return [str(f) for f in self.failures]
