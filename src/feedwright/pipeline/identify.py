"""Stage 3, identify: every entry read this build finds the ledger row it continues (its id,
first-seen time and last change) or gets a new id; sources gone longer than the grace period
lose their entries. Pure: state and clock in, the feed's live rows and the ledger changes out.

One recipe gives an entry without an id of its own its id, for build and export alike: the
source's own id, its canonical url, or a tag: URI (RFC 4151) from the feed's authority, the feed's
name and the source's path (IdScheme, source_name).
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from feedwright.config import is_url_source
from feedwright.ledger import NOT_LOADED, Changes, EntryRow, FeedState, SourceRow
from feedwright.model import Entry
from feedwright.normalise.ids import entry_id, tag_uri
from feedwright.normalise.merge import duplicate_keys
from feedwright.pipeline.gather import Gathered, Read
from feedwright.pipeline.results import GraceNote
from feedwright.serialise import entry_from_json


@dataclass(frozen=True)
class IdScheme:
    """Where minted ids live: tag:AUTHORITY:FEED/SOURCE-NAME[#N]."""

    authority: str  # e.g. example.org,2026
    feed: str | None = None  # the feed's name; None for an export without a feed file


@dataclass
class Merged:
    changes: Changes
    live: list[EntryRow]
    added: int
    updated: int
    removed: int
    in_grace: list[GraceNote] = field(default_factory=list)  # gone sources still shown
    # copies that took the id of a row that left: their own id (never shown) -> the id taken
    heirs: dict[str, str] = field(default_factory=dict)


def sort_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def identify(state: FeedState, gathered: Sequence[Gathered], now: datetime, *, ids: IdScheme,
             grace: timedelta) -> Merged:
    """Match, mint and retire (see the module's docstring); `now` is this build's one moment."""
    present = {g.key for g in gathered}
    by_source: dict[str, list[EntryRow]] = defaultdict(list)
    for row in state.entries.values():
        by_source[row.source].append(row)
    put_sources = [g.row for g in gathered if g.row != state.sources.get(g.key)]
    # Sources not read this time keep exactly the rows they had.
    live = {r.id: r for g in gathered if g.entries is None for r in by_source.get(g.key, ())}

    fresh = [(g.key, i, e) for g in gathered if g.entries is not None
             for i, e in enumerate(g.entries)]
    matched = match(state, fresh, present, claimed=set(live), ids=ids)
    counts = {g.key: len(g.entries) for g in gathered if g.entries is not None}
    taken = set(state.entries)  # every id the ledger knows, matched or not, stays unique
    put_entries: list[EntryRow] = []
    added = updated = 0
    for n, (key, i, entry) in enumerate(fresh):
        old = matched.get(n)
        if old is None:
            row = EntryRow(mint_id(ids, key, i, counts[key], entry, taken), key, i, entry.url,
                           entry.digest, now, None, sort_key(entry.stated or now), entry.record,
                           entry.dup_keys)
            taken.add(row.id)
            added += 1
        else:
            changed = entry.digest != old.content_hash
            updated += changed
            row = EntryRow(old.id, key, i, entry.url, entry.digest, old.first_seen,
                           now if changed else old.updated_at,
                           sort_key(entry.stated or old.first_seen), entry.record, entry.dup_keys)
        live[row.id] = row
        if row != state.entries.get(row.id):
            put_entries.append(row)

    in_grace: list[GraceNote] = []
    drop_sources = retire(state, present, by_source, live, put_sources, now, grace, in_grace)
    put_entries += fill_duplicate_keys(live)
    heirs = hand_over_ids(state, live)
    if heirs:
        put_entries = [r for r in put_entries if r.id not in heirs] + list(heirs.values())
    drop_entries = sorted(set(state.entries) - set(live))
    return Merged(
        changes=Changes(tuple(put_sources), tuple(drop_sources), tuple(put_entries),
                        tuple(drop_entries)),
        live=list(live.values()),
        added=added,
        updated=updated,
        removed=len(drop_entries) - len(heirs),  # an heir's own id was never shown
        in_grace=sorted(in_grace, key=lambda g: g.source),
        heirs={own: row.id for own, row in heirs.items()},
    )


def match(state: FeedState, fresh: Sequence[tuple[str, int, Read]], present: set[str], *,
          claimed: set[str], ids: IdScheme) -> dict[int, EntryRow]:
    """The old row each entry read this time continues (by its index in `fresh`), the first of:
    the row of its own id (what the source's id or canonical url mints, in the same source);
    the same place (source and position), unless in a source of several entries the row was
    minted from an identity of its own (its items' guids or urls: an upstream feed grows at
    the top, and every item would take the id of the one that stood there before); the same
    url; for a source that moved (a rename), an entry of a gone source with the same content.
    A row is continued once; `claimed` are taken already."""
    by_place = {(r.source, r.position): r for r in state.entries.values()}
    by_url: dict[str, list[EntryRow]] = defaultdict(list)  # several when sources duplicate
    for r in state.entries.values():
        if r.url:
            by_url[r.url].append(r)
    by_hash = {r.content_hash: r for r in sorted(state.entries.values(), key=lambda r: r.id,
                                                  reverse=True) if r.source not in present}
    several = _sources_of_several(state, fresh)
    matched: dict[int, EntryRow] = {}
    claimed = set(claimed)
    for way in ("own", "place", "url", "content"):
        for n, (key, i, entry) in enumerate(fresh):
            if n in matched:
                continue
            if way == "own":
                own = own_id(ids, key, entry)
                old = state.entries.get(own) if own else None
                old = old if old is not None and old.source == key else None
            elif way == "place":
                old = by_place.get((key, i))
                if old is not None and key in several and not _minted_by_place(ids, key, old):
                    old = None
            elif way == "url":
                old = next((r for r in by_url.get(entry.url or "", ()) if r.id not in claimed),
                           None)
            else:
                old = by_hash.get(entry.digest)
            if old is not None and old.id not in claimed:
                matched[n] = old
                claimed.add(old.id)
    return matched


def _sources_of_several(state: FeedState, fresh: Sequence[tuple[str, int, Read]]) -> set[str]:
    """The sources read this build that hold several entries, now or at the last build."""
    counts: dict[str, int] = defaultdict(int)
    for key, _i, _entry in fresh:
        counts[key] += 1
    before: dict[str, int] = defaultdict(int)
    for row in state.entries.values():
        if row.source in counts:
            before[row.source] += 1
    return {key for key, count in counts.items() if count > 1 or before[key] > 1}


def _minted_by_place(ids: IdScheme, key: str, row: EntryRow) -> bool:
    """Whether the row's id was minted from its source's name and position (its entry had no
    id or url of its own, or its own was taken), not from an identity of the entry's."""
    stem = tag_uri(ids.authority, _specific(ids, key))
    return row.id == stem or row.id.startswith((stem + "%23", stem + "~"))


def retire(state: FeedState, present: set[str], by_source: Mapping[str, list[EntryRow]],
           live: dict[str, EntryRow], put_sources: list[SourceRow], now: datetime,
           grace: timedelta, in_grace: list[GraceNote] | None = None) -> list[str]:
    """Sources that are gone: their unclaimed entries stay live for the grace period (the source
    marked missing since now, in put_sources; noted in in_grace), then go. Gives the sources to
    drop."""
    drop_sources: list[str] = []
    for key, old_source in state.sources.items():
        if key in present:
            continue
        left = [r for r in by_source.get(key, ()) if r.id not in live]
        since = old_source.missing_since or now
        if not left or now - since >= grace:
            drop_sources.append(key)
            continue
        live.update((r.id, r) for r in left)
        if in_grace is not None:
            titles = tuple(str(json.loads(r.record).get("title") or "")
                           for r in sorted(left, key=lambda r: r.position)[:3])
            in_grace.append(GraceNote(key, len(left), since + grace, titles))
        if old_source.missing_since is None:
            put_sources.append(dataclasses.replace(old_source, missing_since=now))
    return drop_sources


def hand_over_ids(state: FeedState, live: dict[str, EntryRow]) -> dict[str, EntryRow]:
    """The same article in two sources is published under the id the ledger minted first
    (assemble.collapse_duplicates). When that row leaves (its source gone past the grace
    period) while a copy stays, the copy continues it: it takes the row's id and first sight,
    in `live`, so readers are not sent the article again under the copy's id, beside a
    deletion of the one they have. Gives the rows that took an id, by the id they had (never
    published: it stood behind the one they take)."""
    leaving = sorted((r for r in state.entries.values() if r.id not in live and r.dup_keys),
                     key=lambda r: (r.first_seen, r.id))
    if not leaving:
        return {}
    by_key: dict[str, list[EntryRow]] = defaultdict(list)
    for row in live.values():
        for key in row.dup_keys or ():
            by_key[key].append(row)
    heirs: dict[str, EntryRow] = {}
    for gone in leaving:
        copies = {c.id: c for key in gone.dup_keys or () for c in by_key.get(key, ())
                  if c.id in live}
        if not copies or min((c.first_seen, c.id) for c in copies.values()) < (
                gone.first_seen, gone.id):
            continue  # no copy stays, or an older one led the article (its id is shown)
        heir = min(copies.values(), key=lambda c: (c.first_seen, c.id))
        continued = dataclasses.replace(heir, id=gone.id, first_seen=gone.first_seen)
        del live[heir.id]
        live[gone.id] = continued
        heirs[heir.id] = continued
        for key in heir.dup_keys or ():
            by_key[key] = [continued if c.id == heir.id else c for c in by_key[key]]
    return heirs


def with_heirs_records(merged: Merged, load: Callable[[list[str]], Mapping[str, str]]
                       ) -> Merged:
    """The rows that took another's id (hand_over_ids) with their own stored records, loaded
    by the ids they had, when they came without (their sources were not read this build)."""
    missing = {taken: own for own, taken in merged.heirs.items()}
    rows = [r for r in merged.changes.put_entries if r.id in missing and r.record == NOT_LOADED]
    if not rows:
        return merged
    found = load([missing[r.id] for r in rows])
    filled = {r.id: dataclasses.replace(r, record=found[missing[r.id]]) for r in rows}
    changes = dataclasses.replace(merged.changes, put_entries=tuple(
        filled.get(r.id, r) for r in merged.changes.put_entries))
    return dataclasses.replace(merged, changes=changes,
                               live=[filled.get(r.id, r) for r in merged.live])


def fill_duplicate_keys(live: dict[str, EntryRow]) -> list[EntryRow]:
    """Rows from a ledger older than duplicate keys get theirs once, from their stored record."""
    filled = []
    for row in list(live.values()):
        if row.dup_keys is None:
            live[row.id] = dataclasses.replace(
                row, dup_keys=duplicate_keys(entry_from_json(row.record)))
            filled.append(live[row.id])
    return filled


def feed_date(entry: Entry, first_seen: datetime) -> datetime:
    """What the feed orders an entry by: the date it was published, else last updated, as the
    source states them, else when the ledger first saw it."""
    stated = entry.published or entry.updated
    return stated.value if stated else first_seen


def mint_id(ids: IdScheme, key: str, position: int, count: int, entry: Read,
            taken: set[str]) -> str:
    """The source's own id, its canonical url, or a tag: URI from the source's path at first sight
    (normalise.ids.entry_id); a taken one gets a ~N suffix."""
    specific = _specific(ids, key)
    suffix = f"#{position + 1}" if count > 1 else ""
    candidate = entry_id(
        entry.id, entry.url, authority=ids.authority, source=specific, position=suffix
    )
    if candidate not in taken:
        return candidate
    specific += suffix
    candidate = tag_uri(ids.authority, specific)
    n = 2
    while candidate in taken:
        candidate = tag_uri(ids.authority, f"{specific}~{n}")
        n += 1
    return candidate


def own_id(ids: IdScheme, key: str, entry: Read) -> str | None:
    """The id the entry's own identity mints (its source's id, else its canonical url), which
    does not depend on where it stands in its source; None when it has neither."""
    if not (entry.id or entry.url):
        return None
    return entry_id(entry.id, entry.url, authority=ids.authority, source=_specific(ids, key))


def _specific(ids: IdScheme, key: str) -> str:
    name = source_name(key)
    return f"{ids.feed}/{name}" if ids.feed else name


def source_name(key: str) -> str:
    """A source's name in the ids minted from it: its key (the path relative to the feed file's
    folder, or the url) without ../ parts or the suffix: 'fixtures/peters'; a url's host and
    path: 'news.example/2026/story'."""
    if is_url_source(key):
        split = urlsplit(key)
        key = (split.netloc + split.path).rstrip("/")
    parts = [p for p in key.split("/") if p not in ("..", ".")]
    name = "/".join(parts)
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem and "/" not in suffix else name
