"""What a build tells its caller: per feed, what changed, what failed and what was written; per
run, the exit code. Plain data, so the command line prints it and --json dumps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from feedwright.errors import EXIT_LOCKED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE

if TYPE_CHECKING:
    from feedwright.websub import Notice


@dataclass(frozen=True)
class SourceFailure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class GraceNote:
    """A source found gone whose entries stay published until the grace period ends."""

    source: str
    entries: int
    until: datetime
    titles: tuple[str, ...] = ()  # of the first few entries, to say which they are

    def __str__(self) -> str:
        named = ", ".join(map(repr, self.titles))
        if self.entries > len(self.titles):
            named += ", ..." if named else ""
        held = "its entry" if self.entries == 1 else f"its {self.entries} entries"
        held += f" ({named})" if named else ""
        stay = "stays" if self.entries == 1 else "stay"
        return (f"{self.source}: gone; {held} {stay} in the feed until "
                f"{self.until.astimezone(UTC).strftime('%Y-%m-%d %H:%M')} UTC (deleted_grace_days)")


@dataclass
class FeedResult:
    name: str
    config: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failures: list[SourceFailure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the feed was not published
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already held the same bytes
    in_grace: list[GraceNote] = field(default_factory=list)  # deleted, entries still shown
    dry_run: bool = False
    hubs: list[Notice] = field(default_factory=list)  # WebSub: reported, never a failure
    skipped: str | None = None  # why this run left the feed alone (another worker builds it)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def summary(self) -> str:
        if self.skipped:
            return f"{self.name}: skipped, {self.skipped}"
        head = f"{self.name}: {self.added} added, {self.updated} updated, {self.removed} removed, "
        head += f"{self.unchanged} unchanged, {len(self.failures)} failed"
        if self.errors and self.written:  # a rename failed after others were made
            return head + (f" - PARTLY PUBLISHED: {len(self.written)} written before the "
                           "error, the others kept; the next build publishes the rest")
        if self.errors:
            return head + " - NOT PUBLISHED, previous files kept"
        if self.dry_run:
            return head + f" (dry run: {len(self.written)} files would be written)"
        head += f"; {len(self.written)} written, {len(self.kept)} unchanged files"
        if self.hubs:
            failed = sum(not n.ok for n in self.hubs)
            head += f"; hubs: {len(self.hubs) - failed} notified, {failed} failed"
        return head

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "config": self.config, "ok": self.ok, "dry_run": self.dry_run,
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": [{"path": f.path, "reason": f.reason} for f in self.failures],
            "errors": self.errors, "written": self.written, "kept": self.kept,
            "hubs": [n.to_json() for n in self.hubs], "skipped": self.skipped,
            "in_grace": [{"path": g.source, "entries": g.entries, "titles": list(g.titles),
                          "until": g.until.astimezone(UTC).isoformat()} for g in self.in_grace],
        }


@dataclass
class RunReport:
    feeds: list[FeedResult] = field(default_factory=list)
    config_errors: list[str] = field(default_factory=list)
    locked: str | None = None

    @property
    def exit_code(self) -> int:
        if self.locked:
            return EXIT_LOCKED
        if self.config_errors:
            return EXIT_USAGE
        return EXIT_OK if all(f.ok for f in self.feeds) else EXIT_REJECTED

    def to_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "locked": self.locked,
                "config_errors": self.config_errors, "feeds": [f.to_json() for f in self.feeds]}
