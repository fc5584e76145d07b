"""Stages 4 and 5, merge and order, then the feed: the same article from several sources becomes
one entry; entries go newest first by published, ties by id (the one order, for build and export
alike), cut at the limit; each is finished with its id and the dates only the ledger knows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TypeVar

from feedwright.ledger import NOT_LOADED, EntryRow
from feedwright.model import Entry, Feed, Timestamp
from feedwright.normalise.merge import group_duplicates, merge_group
from feedwright.pipeline.gather import Prepared, Read
from feedwright.pipeline.identify import feed_date, sort_key
from feedwright.serialise import entry_from_json, record_and_hash

#: Where a date came from when the ledger supplied it.
FIRST_SEEN = "ledger:first-seen"
CONTENT_CHANGED = "ledger:content-changed"

T = TypeVar("T")


def newest_first(items: Iterable[T], moment: Callable[[T], str],
                 id_of: Callable[[T], str]) -> list[T]:
    """The feed's one order: newest first by `moment` (UTC ISO text; "" for none sorts last),
    ties by id."""
    return sorted(sorted(items, key=id_of), key=moment, reverse=True)


def order(rows: Iterable[EntryRow], limit: int | None) -> list[EntryRow]:
    """Newest first by published, ties by id; then the limit."""
    ordered = newest_first(rows, attrgetter("sort_key"), attrgetter("id"))
    return ordered[:limit] if limit else ordered


def order_entries(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """Entries in the feed's order, by the dates they state (undated ones last)."""

    def moment(entry: Entry) -> str:
        stated = entry.published or entry.updated
        return sort_key(stated.value) if stated else ""

    return tuple(newest_first(entries, moment, lambda e: e.id or ""))


#: Gives the stored records of entries by id, for rows loaded without theirs (NOT_LOADED).
RecordSource = Callable[[Iterable[str]], Mapping[str, str]]


def with_records(rows: Sequence[EntryRow], load: RecordSource | None) -> list[EntryRow]:
    """The rows with their records, those loaded without one fetched in one go."""
    missing = [r.id for r in rows if r.record == NOT_LOADED]
    if not missing:
        return list(rows)
    if load is None:
        raise ValueError("entry rows without their records, and nothing to load them from")
    found = load(missing)
    return [dataclasses.replace(r, record=found[r.id]) if r.record == NOT_LOADED else r
            for r in rows]


def collapse_duplicates(rows: Iterable[EntryRow],
                        records: RecordSource | None = None) -> list[EntryRow]:
    """One row per article: rows whose duplicate keys meet (the same story from two sources)
    become one, under the id the ledger minted first (ties by id), so the id never depends on
    which source a build read first. Only rows with duplicates are read back (from `records`
    when they were loaded without)."""
    ordered = sorted(rows, key=attrgetter("first_seen", "id"))
    groups = group_duplicates([r.dup_keys or () for r in ordered])
    return [ordered[g[0]] if len(g) == 1
            else merged_row(with_records([ordered[i] for i in g], records)) for g in groups]


def duplicate_leads(rows: Iterable[EntryRow]) -> dict[str, str]:
    """Each row of an article that several sources hold -> the id the article is published
    under (collapse_duplicates' lead); a row alone is left out. From the stored keys alone."""
    ordered = sorted(rows, key=attrgetter("first_seen", "id"))
    leads: dict[str, str] = {}
    for group in group_duplicates([r.dup_keys or () for r in ordered]):
        leads.update((ordered[i].id, ordered[group[0]].id) for i in group[1:])
    return leads


def merged_row(rows: Sequence[EntryRow]) -> EntryRow:
    """The rows of one article as one, the first leading (normalise.merge.merge_group). It last
    changed when any of its rows changed, or when a row joined it that changed what readers
    see of it (a copy of the article in a second file, as it stands, changes nothing)."""
    lead = rows[0]
    entry = merge_group([entry_from_json(r.record) for r in rows])
    record, digest = record_and_hash(entry)
    changes = [r.updated_at for r in rows if r.updated_at is not None]
    if digest != lead.content_hash:
        changes += [r.first_seen for r in rows[1:] if r.first_seen > lead.first_seen]
    published = feed_date(entry, lead.first_seen)
    return EntryRow(lead.id, lead.source, lead.position, entry.url, digest, lead.first_seen,
                    max(changes, default=None), sort_key(published), record, lead.dup_keys)


#: The entry a stored record holds (entry_from_json, or the entry just read: entries_as_read).
EntryOf = Callable[[str], Entry]


def entries_as_read(reads: Iterable[Read]) -> EntryOf:
    """The entries this build read and kept, found by their records; any other record is loaded.
    A record is the entry without its id (which finish sets), so the two give the same
    documents (tests/test_build_jobs.py compares them byte for byte)."""
    kept = {r.record: r.entry for r in reads if r.entry is not None}

    def entry_of(record: str) -> Entry:
        entry = kept.get(record)
        return entry if entry is not None else entry_from_json(record)

    return entry_of


def prepared_as_read(reads: Iterable[Read]) -> dict[str, Prepared]:
    """The entries this build read and wrote where it read them, by their records."""
    return {r.record: r.prepared for r in reads if r.prepared is not None}


def finish(row: EntryRow, content: str, *, first_seen_dates: bool = True,
           entry_of: EntryOf = entry_from_json) -> Entry:
    """The entry as the feed shows it: its id, and the dates only the ledger knows (unless
    `first_seen_dates` is off: an export has no ledger to know them)."""
    entry = entry_of(row.record)
    published, updated = entry.published, entry.updated
    if first_seen_dates and published is None and updated is None:
        # Dated by first sight only when the source states no date at all: a first-seen
        # published after a stated updated would put the entry's dates out of order.
        published = Timestamp(row.first_seen, FIRST_SEEN)
    if first_seen_dates and updated is None and row.updated_at is not None:
        updated = Timestamp(row.updated_at, CONTENT_CHANGED)
    entry = dataclasses.replace(entry, id=row.id, published=published, updated=updated)
    return summary_only(entry) if content == "summary" else entry


def summary_only(entry: Entry) -> Entry:
    return dataclasses.replace(entry, summary=entry.lead_text(), content_html=None, blocks=())


def assemble(feed: Feed, rows: Iterable[EntryRow], *, limit: int | None, content: str,
             first_seen_dates: bool = True) -> Feed:
    """The feed's metadata with its entries: merged, ordered, limited and finished."""
    entries = tuple(finish(r, content, first_seen_dates=first_seen_dates)
                    for r in order(collapse_duplicates(rows), limit))
    return dataclasses.replace(feed, entries=entries)
