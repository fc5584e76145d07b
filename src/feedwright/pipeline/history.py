"""Between assemble and render, a feed's full history: which document holds each entry, and
which removed entries are announced.

Archived feeds (RFC 5005, `archive = true`): the subscription document holds the newest entries,
archive documents the older ones. Pages are assigned once, in the feed's order oldest first, and
kept in the ledger, so a full archive never changes: a new entry joins the subscription document,
and when that holds `limit + archive_page_size` entries its oldest `archive_page_size` become one
new archive. An edit of an archived entry re-renders only the archive that holds it.

Deletions (RFC 6721): an entry the feed loses (its source gone past the grace period) is recorded
with the time of the build that removed it, and announced by a tombstone in the subscription
document for `tombstone_days`. The time comes from the ledger, so later builds print the same.

Pure: ledger rows in, page assignments, deletion rows and the documents to render out.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING, overload

from feedwright.config import FeedConfig, archived_page
from feedwright.ledger import Changes, DeletionRow, EntryRow
from feedwright.model import Entry, Feed, Paging, Timestamp, Tombstone
from feedwright.pipeline.gather import Prepared, Spool, Spot
from feedwright.pipeline.render import (
    PAGE,
    STYLESHEET,
    Checking,
    Document,
    Rendered,
    documents,
    render,
)

if TYPE_CHECKING:  # assemble (and serialise, merge, identify) only when rendering: a no-op
    # build uses none of them
    from feedwright.emit import Written
    from feedwright.pipeline.assemble import EntryOf, RecordSource

#: The subscription document's page: entries with no archive page.
SUBSCRIPTION = 0


@dataclass(frozen=True)
class Planned:
    """One document to publish: which page of the feed it shows, and the digest of the settings
    it is rendered with (what the ledger's outputs are compared against)."""

    document: Document
    page: int  # SUBSCRIPTION, or the archive page (1 is the oldest)
    settings: str


def shown_deletions(deletions: Iterable[DeletionRow], now: datetime,
                    keep: timedelta) -> tuple[DeletionRow, ...]:
    """The deletions still announced at `now`: newest first, ties by id."""
    shown = [d for d in deletions if now - d.deleted_at < keep]
    return tuple(sorted(sorted(shown, key=lambda d: d.id), key=lambda d: d.deleted_at,
                        reverse=True))


def deletion_changes(old: Mapping[str, EntryRow], changes: Changes,
                     deletions: Mapping[str, DeletionRow], now: datetime,
                     unseen: Collection[str] = ()
                     ) -> tuple[tuple[DeletionRow, ...], tuple[str, ...]]:
    """Entries this build removes are recorded as deleted now (but `unseen` ones, whose ids
    readers never had); entries that are back are not."""
    put = tuple(DeletionRow(i, old[i].source, old[i].url, now) for i in changes.drop_entries
                if i in old and i not in unseen)
    back = tuple(sorted({r.id for r in changes.put_entries if r.id in deletions}))
    return put, back


def removed_patterns(patterns: Iterable[str], sources: Iterable[str],
                     deletions: Mapping[str, DeletionRow]) -> list[str]:
    """The patterns (of those that match no file now) that matched sources the ledger remembers,
    present, missing or deleted: their files were removed, which is a deletion, not a typo."""
    known = [*sources, *(d.source for d in deletions.values())]
    return [p for p in patterns if any(fnmatch.fnmatchcase(k, p) for k in known)]


def assign_pages(rows: Iterable[EntryRow], pages: Mapping[str, int], limit: int,
                 page_size: int, after: int = 0) -> dict[str, int]:
    """The new archive pages: while the subscription document would hold `limit + page_size`
    entries or more, its oldest `page_size` (feed order: published, ties by id) become the next
    page, numbered after every page in `pages` and after `after` (pages published before, now
    empty). Gives id -> page for the entries newly archived."""
    from feedwright.pipeline.assemble import order

    unpaged = order((r for r in rows if r.id not in pages), None)[::-1]  # oldest first
    page = page_count(pages, after)
    new: dict[str, int] = {}
    while len(unpaged) >= limit + page_size:
        page += 1
        new.update((r.id, page) for r in unpaged[:page_size])
        unpaged = unpaged[page_size:]
    return new


def plan(config: FeedConfig, page_count: int, settings: str,
         shown: Sequence[DeletionRow]) -> list[Planned]:
    """Every document of the feed: the subscription documents, then each archive's, oldest
    first. The subscription documents' settings also cover the deletions they announce."""
    announced = hashlib.sha256(f"{settings}{[(d.id, d.deleted_at) for d in shown]!r}"
                               .encode()).hexdigest()
    out = [Planned(dataclasses.replace(d, paging=links(config, SUBSCRIPTION, page_count, d.fmt))
                   if d.fmt in config.formats else d, SUBSCRIPTION, announced)
           for d in documents(config)]
    stylesheet = config.file_name(STYLESHEET) if config.stylesheet else None
    for page in range(1, page_count + 1):
        # Archives name the stylesheet but no hub: hubs are told of the subscription document.
        out += [Planned(Document(fmt, name := config.archive_file_name(fmt, page),
                                 config.url_of(name), stylesheet=stylesheet,
                                 paging=links(config, page, page_count, fmt)), page, settings)
                for fmt in config.formats]
    return out


def pages_to_render(planned: Sequence[Planned], folder: PurePath, changes: Changes,
                    pages: Mapping[str, int], old_pages: Mapping[str, int],
                    current: Iterable[PurePath], same_shown: bool = False,
                    leads: Mapping[str, str] | None = None,
                    old_leads: Mapping[str, str] | None = None) -> set[int]:
    """The pages whose documents change: a page (the subscription document's too) when one of
    its entries was put or dropped, unless the subscription document shows the same rows as
    before (`same_shown`: shows_same_entries); a new archive, and the subscription document its
    entries left; and any page with a document not on disk as recorded (`current`: those that
    are; a change of the deletions announced shows there, as a change of the settings digest).
    A copy of an article another source holds too is shown as that article, where its lead
    stands (`leads` now, `old_leads` before this build: duplicate_leads), so a copy put or
    dropped changes the page of the lead's."""
    leads, old_leads = leads or {}, old_leads or {}
    touched = {pages.get(leads.get(r.id, r.id), SUBSCRIPTION) for r in changes.put_entries}
    touched.update(old_pages.get(old_leads.get(i, i), SUBSCRIPTION)
                   for i in changes.drop_entries)
    if same_shown:
        touched.discard(SUBSCRIPTION)
    touched.update(page for _id, page in changes.put_pages)
    if changes.put_pages:
        touched.add(SUBSCRIPTION)
    fine = {os.path.abspath(p) for p in current}
    touched.update(p.page for p in planned
                   if os.path.abspath(folder / p.document.name) not in fine)
    return touched


@dataclass(frozen=True)
class Arranged:
    """What one build publishes of a feed's history: its changes with the pages and deletions
    added, every document, the pages to render and the documents it leaves alone."""

    changes: Changes
    pages: dict[str, int]  # entry id -> archive page, this build's assignments included
    planned: list[Planned]
    wanted: dict[PurePath, str]  # every document's path -> the settings digest it needs
    chosen: set[int]  # the pages to render
    untouched: list[str]  # the documents of the other pages
    shown: tuple[DeletionRow, ...]  # the deletions the subscription document announces
    last_deletion: datetime | None


def shows_same_entries(config: FeedConfig, before: Iterable[EntryRow],
                       after: Iterable[EntryRow]) -> bool:
    """Whether a feed without archives, cut at a limit, shows exactly the same rows (ids,
    records, dates: all a document is rendered from) before and after this build, given both
    one row per article (collapse_duplicates). Then an entry that changed past the limit changes
    no document: a one-change build of 10,000 sources publishing 50 renders nothing."""
    if config.archive or not config.limit:
        return False
    from feedwright.pipeline.assemble import order

    return order(before, config.limit) == order(after, config.limit)


def arrange(config: FeedConfig, rows: Sequence[EntryRow], changes: Changes,
            old_pages: Mapping[str, int], deletions: Mapping[str, DeletionRow], now: datetime,
            settings: str, folder: PurePath,
            current: Callable[[Mapping[PurePath, str]], Iterable[PurePath]],
            same_shown: bool = False, published: int = 0,
            leads: Mapping[str, str] | None = None,
            old_leads: Mapping[str, str] | None = None) -> Arranged:
    """Assign new archive pages, record deletions, plan every document and choose the pages to
    render. `current` tells which documents are on disk as recorded; `same_shown`, that the
    subscription document shows the same rows as before (shows_same_entries); `published`,
    the archive pages published before (published_pages): a page emptied by deletions stays
    planned, rewritten without them, and its number is never given to another."""
    dropped = set(changes.drop_entries)
    pages = {i: p for i, p in old_pages.items() if i not in dropped}
    if config.archive:
        assert config.limit is not None  # config: an archived feed has a limit
        new_pages = assign_pages(rows, pages, config.limit, config.archive_page_size,
                                 after=published)
        pages.update(new_pages)
        changes = dataclasses.replace(changes, put_pages=tuple(sorted(new_pages.items())))
    known = {i: d for i, d in deletions.items() if i not in changes.drop_deletions}
    known.update((d.id, d) for d in changes.put_deletions)
    shown = shown_deletions(known.values(), now, config.tombstone_time)
    planned = plan(config, page_count(pages, published), settings, shown)
    wanted = wanted_documents(folder, planned)
    chosen = pages_to_render(planned, folder, changes, pages, old_pages, current(wanted),
                             same_shown, leads, old_leads)
    untouched = [str(folder / p.document.name) for p in planned if p.page not in chosen]
    # Archives this build leaves alone stay recorded as published (see Ledger.apply).
    changes = dataclasses.replace(changes, keep_outputs=tuple(os.path.abspath(p)
                                                               for p in untouched))
    return Arranged(changes, pages, planned, wanted, chosen, untouched, shown,
                    max((d.deleted_at for d in known.values()), default=None))


def page_count(pages: Mapping[str, int], published: int = 0) -> int:
    """The archive pages there are: those entries stand on, and every page published before
    (published_pages), emptied or not."""
    return max(max(pages.values(), default=0), published)


def published_pages(config: FeedConfig, recorded: Iterable[str]) -> int:
    """The highest archive page of the feed's documents the ledger records as published (paths):
    pages are counted from these, not from the entries left on them, so a page that deletions
    emptied is still planned (and rewritten empty, not left on the server with what was
    deleted), and no later page takes its number (a reader who cached it would never look)."""
    if not config.archive:
        return 0
    documents = {config.file_name(fmt) for fmt in config.formats}
    found = (archived_page(PurePath(path).name) for path in recorded)
    return max((page[1] for page in found if page and page[0] in documents), default=0)


def wanted_documents(folder: PurePath, planned: Sequence[Planned]) -> dict[PurePath, str]:
    """Each document's path -> the settings it must have been rendered with."""
    return {folder / p.document.name: p.settings for p in planned}


def render_pages(base: Feed, config: FeedConfig, rows: Iterable[EntryRow],
                 arranged: Arranged, records: RecordSource | None = None,
                 entry_of: EntryOf | None = None,
                 checking: Checking | None = None,
                 prepared: Mapping[str, Prepared] | None = None,
                 spool: Spool | None = None) -> Iterator[Rendered]:
    """Each document of the chosen pages, emitted and validated (subscription first, then
    archives oldest first): entries ordered newest first, with the page's archive links and, in
    the subscription document, the tombstones. One page's entries are finished at a time, their
    records fetched from `records` if they were loaded without, each entry given by
    `entry_of` its record (default: serialise.entry_from_json); big documents validated by
    `checking`'s workers. Entries written where they were read (`prepared`, by record; their
    bytes in `spool`) are spliced in as written."""
    from feedwright.pipeline.assemble import finish, order, with_records
    from feedwright.serialise import entry_from_json

    entry_of = entry_of or entry_from_json
    by_page: dict[int, list[EntryRow]] = {p: [] for p in arranged.chosen}
    for row in rows:
        page = arranged.pages.get(row.id, SUBSCRIPTION)
        if page in by_page:
            by_page[page].append(row)
    tombstones = tuple(Tombstone(d.id, d.deleted_at, d.url) for d in arranged.shown)
    limit = None if config.archive else config.limit
    for page in sorted(arranged.chosen):
        ordered = order(by_page.pop(page), limit)
        targets = [p.document for p in arranged.planned if p.page == page]
        done = (written_entries(ordered, config, records, entry_of, prepared, spool,
                                shows_page=any(t.fmt == PAGE for t in targets))
                if prepared else None)
        written: Mapping[str, Written] | None = None
        if done is not None:
            entries, written = done
        else:
            entries = tuple(finish(r, config.content, entry_of=entry_of)
                            for r in with_records(ordered, records))
        feed = dataclasses.replace(base, entries=entries, last_deletion=arranged.last_deletion,
                                   deleted=tombstones if page == SUBSCRIPTION else ())
        yield from render(feed, targets, checking, written)
        del feed, entries, ordered, written


def written_entries(rows: Sequence[EntryRow], config: FeedConfig, records: RecordSource | None,
                    entry_of: EntryOf, prepared: Mapping[str, Prepared],
                    spool: Spool | None = None, *, shows_page: bool = True,
                    ) -> tuple[tuple[Entry, ...], Mapping[str, Written]] | None:
    """The rows (in the document's order) written in each format: as the reading workers wrote
    them where identify gave them what was assumed (render.prepare: the id, a first sight now,
    no change), else finished and written here; and the entries the page shows (none when
    these documents have no page: an archive's). Each format's
    bytes are read from `spool` only when its document asks for them. None when one cannot be
    written: the caller then emits the documents whole, so the error reads as ever."""
    from feedwright.emit import entry_parts
    from feedwright.emit.page import PAGE_ENTRIES
    from feedwright.pipeline.assemble import finish, with_records

    ready = [p if (p := prepared.get(r.record)) is not None and p.id == r.id
             and p.first_seen == r.first_seen and r.updated_at is None else None for r in rows]
    shown = min(PAGE_ENTRIES, len(rows)) if shows_page else 0
    wanted = [i for i, p in enumerate(ready) if p is None or i < shown]
    # Each entry is finished, written and dropped in turn (the page's few kept): a build that
    # writes 10,000 entries here (one source changed in a feed of all its entries) held every
    # one of them at once, ~450 MB beyond their bytes.
    loaded = dict(zip(wanted, with_records([rows[i] for i in wanted], records), strict=True))
    page: list[Entry] = []
    # the rows written here: their bytes in the spool (~25 KB an entry), else in memory
    made: dict[int, Sequence[bytes] | Sequence[Spot]] = {}
    newest: Timestamp | None = None
    for i, done in enumerate(ready):
        row = loaded.pop(i, None)
        entry = finish(row, config.content, entry_of=entry_of) if row is not None else None
        if i < shown:
            assert entry is not None  # the page's entries are all wanted
            page.append(entry)
        if done is None:
            assert entry is not None
            try:
                parts = entry_parts(entry, config.formats)
            except ValueError:  # EmitError among them
                return None
            made[i] = spool.writer().put(parts) if spool is not None else parts
            stamp = entry.updated or entry.published
        else:
            stamp = done.stamp
        if stamp is not None and (newest is None or stamp.value > newest.value):
            newest = stamp  # the first of the newest, as Feed.updated takes it
    return tuple(page), _Writing(config.formats, ready, made, newest, spool)


class _Parts(Sequence[bytes]):
    """One format's entries, each read (from the spool) when the emitter comes to it: the
    document is then the one copy of its ~90 MB in memory, not the parts and the document."""

    def __init__(self, part: Callable[[int, Prepared | None], bytes],
                 ready: Sequence[Prepared | None]) -> None:
        self._part, self._ready = part, ready

    def __len__(self) -> int:
        return len(self._ready)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._part(index, self._ready[index])


class _Writing(Mapping[str, "Written"]):
    """Each format's Written, its bytes gathered (from the spool) when it is asked for: one
    format's ~90 MB in memory at a time, not three."""

    def __init__(self, formats: Sequence[str], ready: Sequence[Prepared | None],
                 made: Mapping[int, Sequence[bytes] | Sequence[Spot]],
                 newest: Timestamp | None, spool: Spool | None) -> None:
        self._formats, self._ready, self._made = list(formats), ready, made
        self._newest, self._spool = newest, spool

    def __getitem__(self, fmt: str) -> Written:
        from feedwright.emit import Written

        k = self._formats.index(fmt)

        def part(i: int, done: Prepared | None) -> bytes:
            if done is None:
                got = self._made[i][k]
                if isinstance(got, bytes):
                    return got
                assert self._spool is not None, "spooled parts need their spool"
                return self._spool.get(got)
            if done.spots:
                assert self._spool is not None, "spooled parts need their spool"
                return self._spool.get(done.spots[k])
            return done.parts[k]

        return Written(_Parts(part, self._ready), self._newest)

    def __iter__(self) -> Iterator[str]:
        return iter(self._formats)

    def __len__(self) -> int:
        return len(self._formats)


def links(config: FeedConfig, page: int, page_count: int, fmt: str) -> Paging | None:
    """Where a page sits among the documents of one format: the subscription document links to
    the newest archive; each archive to the older one, the newer one if there is one yet, and
    the subscription document. The newest archive gets no next-archive: the page after it does
    not exist yet, and adding the link later would change a full archive."""
    if not config.archive:
        return None

    def url(n: int) -> str | None:
        if n == SUBSCRIPTION:
            return config.self_url(fmt)
        return config.url_of(config.archive_file_name(fmt, n)) if 0 < n <= page_count else None

    if page == SUBSCRIPTION:  # (no archive yet: no link, where url(0) is the document itself)
        return Paging(prev_archive=url(page_count) if page_count else None)
    return Paging(archive=True, current=url(SUBSCRIPTION),
                  prev_archive=url(page - 1) if page > 1 else None, next_archive=url(page + 1))
