"""The cron build: every feed of a folder, each through the pipeline, its ledger kept between runs.

One feed's build reads like the design's pipeline, one stage per module of feedwright.pipeline:

    scan -> gather -> identify -> assemble (merge, order) -> history -> render -> commit
    files   reuse or   ledger ids,   one entry per article,   archive   emit and  stage, record
            read       first seen    newest first, limit      pages,    validate  the ledger,
                                                              deletions           rename

An archived feed renders only the documents whose entries changed: the subscription document and
the archive that holds an edited entry (pipeline/history.py).

Two early stops keep a cron run cheap: no source read and the documents as last published (no
entry row is even loaded); or no entry changed and the documents as last published (nothing is
emitted). `export` (export.py) runs the same stages from identify on, with no ledger.

The clock is passed in; nothing here reads it, so tests and reruns are deterministic.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from feedwright.config import (
    STYLESHEET_NAME,
    ConfigError,
    FeedConfig,
    archived_document,
    find_feed_configs,
    load_feed_config,
)
from feedwright.errors import FeedwrightError
from feedwright.ledger import (
    Changes,
    FeedState,
    LedgerError,
    LedgerStore,
    SourceRow,
    is_database_url,
    open_ledger,
)
from feedwright.model import Progress
from feedwright.pipeline.commit import (
    Published,
    current_documents,
    documents_current,
    keep,
    publish,
    record_outputs,
)
from feedwright.pipeline.gather import (
    Gathered,
    ReadSource,
    Spool,
    changed_kind,
    gather,
    read_source,
)
from feedwright.pipeline.history import (
    SUBSCRIPTION,
    arrange,
    deletion_changes,
    page_count,
    plan,
    published_pages,
    removed_patterns,
    render_pages,
    shown_deletions,
    shows_same_entries,
    wanted_documents,
)
from feedwright.pipeline.render import (
    CHECK_FROM,
    STYLESHEET,
    Checking,
    Document,
    Preparing,
    prepare,
    render_settings,
)
from feedwright.pipeline.results import FeedResult, RunReport, SourceFailure
from feedwright.pipeline.scan import own_files, replaced, scan
from feedwright.pipeline.workers import start_workers_server
from feedwright.publish import (
    CannotWrite,
    LocalFolder,
    Locked,
    LockFailed,
    Sweep,
    Target,
    is_remote,
    local_folder,
    open_target,
    state_lock,
)
from feedwright.sources.retrieve import NOT_UTF8_NAME, SharedClient

if TYPE_CHECKING:
    from feedwright.websub import Notifier

__all__ = ["Clock", "FeedResult", "RunReport", "build_feed", "load_configs", "read_source",
           "run_build"]

Clock = Callable[[], datetime]

STATE_FILE_NAME = ".feedwright-state.sqlite"


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_feed(config: FeedConfig, ledger: LedgerStore, *, now: Clock,
               output_dir: Path | str | None = None, dry_run: bool = False,
               reader: ReadSource = read_source, progress: Progress | None = None,
               http: SharedClient | None = None, notifier: Notifier | None = None,
               shared: bool = False, jobs: int = 1) -> FeedResult:
    """One feed: its sources against its ledger rows, its documents published if anything
    changed (or only checked, with dry_run); then its WebSub hubs told which changed. `shared`:
    other workers build other feeds into the same folders at the same time (a PostgreSQL
    ledger), so only this feed's own leftover temporary files are this build's to remove, and
    those of workers that are gone (the shared stylesheet's: publish.Sweep). With jobs above 1,
    sources are read in that many processes (reader must then be picklable)."""
    with Spool() as spool:  # the entries written where they are read wait here, on disk
        return _build_feed(config, ledger, now=now, output_dir=output_dir, dry_run=dry_run,
                           reader=reader, progress=progress, http=http, notifier=notifier,
                           shared=shared, jobs=jobs, spool=spool)


def _build_feed(config: FeedConfig, ledger: LedgerStore, *, now: Clock,
                output_dir: Path | str | None, dry_run: bool, reader: ReadSource,
                progress: Progress | None, http: SharedClient | None,
                notifier: Notifier | None, shared: bool, jobs: int,
                spool: Spool) -> FeedResult:
    result = FeedResult(config.name, str(config.path), dry_run=dry_run)
    try:  # a folder, or a remote one through fsspec (publish.open_target)
        target = open_target(output_dir or config.output_dir, ledger.worker if shared else "")
    except CannotWrite as exc:
        result.errors.append(str(exc))
        return result
    folder = target.folder
    # Whole seconds in UTC: what the ledger stores is exactly what this run emits.
    moment = now().astimezone(UTC).replace(microsecond=0)
    settings = render_settings(config)
    # The source rows first: a build that reads no source and finds its documents as it left
    # them needs no entry row (~10 KB of record each) at all.
    sources = ledger.load_sources(config.name)
    old_pages = ledger.load_pages(config.name) if config.archive else {}
    recorded = ledger.outputs(config.name)  # the documents as last published
    archived = published_pages(config, recorded)
    deletions = ledger.load_deletions(config.name)
    wanted = wanted_documents(folder, plan(config, page_count(old_pages, archived),
                                           settings, shown_deletions(deletions.values(), moment,
                                                                     config.tombstone_time)))
    sweep = Sweep(frozenset(p.name for p in wanted if p.name != STYLESHEET_NAME),
                  ledger.live_workers) if shared else None  # asked when it sweeps
    misses: list[str] = []
    unnamed: list[str] = []
    own = own_files(config, str(folder) if isinstance(target, LocalFolder) else None,
                    None if is_database_url(ledger.location) or ledger.location == ":memory:"
                    else ledger.location)
    found = {key: source for key, source in scan(config, misses, unnamed).items()
             if not own(key)}
    found = dict(sorted({**found, **replaced(config, sources, found)}.items()))
    # A pattern whose files were all removed is a deletion (announced by tombstones), not a
    # pattern that never matched.
    emptied = removed_patterns(misses, sources, deletions)
    misses = [p for p in misses if p not in emptied]
    # Entries worth keeping are written in each format where they are read (on every core),
    # as they will stand in the documents if they are new this build.
    preparing = Preparing(config.tag_authority, config.name, moment, config.content,
                          config.formats)
    gathered = gather(config, FeedState(sources, {}), found, reader, progress, http, jobs,
                      partial(prepare, preparing), spool)
    result.failures = [SourceFailure(g.key, g.error or "") for g in gathered
                       if g.status == "failed"]
    result.failures += [SourceFailure(p, "the pattern matches no file") for p in misses]
    result.failures += [SourceFailure(p, NOT_UTF8_NAME) for p in unnamed]
    if (all(g.entries is None for g in gathered) and {g.key for g in gathered}.issuperset(sources)
            and documents_current(recorded, wanted, target)):
        # No source was read and none is gone, so every entry row stays as it is (rows without
        # duplicate keys never stand beside recorded documents: ledger schema 5); the documents
        # on disk are the ones this feed last published (and announce the same deletions), so
        # a no-op cron run stops here.
        result.unchanged = ledger.count_entries(config.name)
        changes = Changes(put_sources=_changed_sources(gathered, sources))
        return _with(result, keep(list(wanted), target, dry_run=dry_run, sweep=sweep,
                                  record=lambda: ledger.apply(config.name, changes)))

    # Records (~10 KB each) only of the sources read this time and of those gone: identify
    # compares the first and names the entries of the others; the rest are fetched for the
    # pages that render (an archived feed renders one in a hundred). (identify and assemble
    # are imported only now: a no-op build never needs them.)
    from feedwright.pipeline.assemble import (
        collapse_duplicates,
        duplicate_leads,
        entries_as_read,
        prepared_as_read,
    )
    from feedwright.pipeline.identify import IdScheme, identify, with_heirs_records

    present = {g.key for g in gathered}
    entries = ledger.load_entries(config.name, {g.key for g in gathered if g.entries is not None}
                                  | {k for k in sources if k not in present})
    if any(r.dup_keys is None for r in entries.values()):
        entries = ledger.load_entries(config.name)  # old rows get their keys from their records
    # a url feed answered by a page of another kind keeps its entries (their records say)
    checked = changed_kind(gathered, sources, entries.values())
    result.failures += [SourceFailure(got.key, got.error or "")
                        for got, was in zip(checked, gathered, strict=True) if got is not was]
    gathered = checked
    state = FeedState(sources, entries)
    del entries
    records = partial(ledger.load_records, config.name)
    merged = with_heirs_records(identify(state, gathered, moment, grace=config.deleted_grace,
                                         ids=IdScheme(config.tag_authority, config.name)),
                                records)
    put_deletions, back = deletion_changes(state.entries, merged.changes, deletions, moment,
                                           merged.heirs)
    changes = dataclasses.replace(merged.changes, put_deletions=put_deletions,
                                  drop_deletions=back)
    # The entries just read (when kept) are emitted as they are, not loaded from their records.
    entry_of = entries_as_read(r for g in gathered for r in g.entries or ())
    prepared = prepared_as_read(r for g in gathered for r in g.entries or ())
    # The rows last published, when a limit may leave this build's changes unshown.
    before = (collapse_duplicates(state.entries.values(), records)
              if config.limit and not config.archive else [])
    # which copies of an article stood for which, before and now (history.pages_to_render)
    old_leads = duplicate_leads(state.entries.values()) if config.archive else {}
    leads = duplicate_leads(merged.live) if config.archive else {}
    del gathered, state  # the reduced entries live on in merged's rows only
    result.added, result.updated, result.removed = merged.added, merged.updated, merged.removed
    result.unchanged = len(merged.live) - merged.added - merged.updated
    result.in_grace = merged.in_grace
    if not merged.live and misses:
        result.errors.append(f"{config.path}: nothing to publish: sources "
                             f"{', '.join(map(repr, misses))} match no file")
        return result
    if not changes.touches_documents and documents_current(recorded, wanted, target):
        # No entry changed and the documents are as last published: they would be emitted byte
        # for byte again.
        return _with(result, keep(list(wanted), target, dry_run=dry_run, sweep=sweep,
                                  record=lambda: ledger.apply(config.name, changes)))

    rows = collapse_duplicates(merged.live, records)
    merged.live = []
    # Big documents are validated on the other cores (render.Checking): the workers for RSS and
    # Atom start now, to be ready when the first document is.
    big = jobs > 1 and largest_document(config, len(rows)) >= CHECK_FROM
    if big:
        start_workers_server()  # before the pages' records are loaded (Checking forks from it)
    ready = sum(fmt in ("rss", "atom") for fmt in config.formats) if big else 0
    with Checking(jobs, ready=ready) as checking:
        same_shown = shows_same_entries(config, before, rows)
        del before
        arranged = arrange(config, rows, changes, old_pages, deletions, moment, settings, folder,
                           current=lambda wanted: current_documents(recorded, wanted, target),
                           same_shown=same_shown, published=archived, leads=leads,
                           old_leads=old_leads)
        changes = arranged.changes
        rendered = render_pages(config.feed(), config, rows, arranged, records, entry_of,
                                checking, prepared, spool)
        published = publish(rendered, target, dry_run=dry_run, sweep=sweep,
                            record=lambda: ledger.applying(config.name, changes))
    published.kept += [target.shown(PurePath(p).name) for p in arranged.untouched]
    _with(result, published)
    if not dry_run and not result.errors:
        record_outputs(ledger, config.name, arranged.wanted, target)
    if notifier is not None and config.hubs:  # WebSub, once the documents are public
        targets = [p.document for p in arranged.planned if p.page == SUBSCRIPTION]
        result.hubs = notifier.publish(config.hubs, changed_topics(targets, target, result.written))
    return result


def largest_document(config: FeedConfig, entries: int) -> int:
    """The most entries one document of the feed holds when it has `entries` in all: its limit
    (with an archive page's worth more in an archived feed's subscription document) or all."""
    if not config.limit:
        return entries
    return min(entries, config.limit + (config.archive_page_size if config.archive else 0))


def changed_topics(targets: Sequence[Document], target: Target,
                   written: Sequence[str]) -> list[str]:
    """The self urls of the feed documents this build rewrote (not the page or stylesheet)."""
    return [t.self_url for t in targets if t.self_url and target.shown(t.name) in written]


def _changed_sources(gathered: Sequence[Gathered],
                     old: Mapping[str, SourceRow]) -> tuple[SourceRow, ...]:
    return tuple(g.row for g in gathered if g.row is not (o := old.get(g.key)) and g.row != o)


def _with(result: FeedResult, published: Published) -> FeedResult:
    result.written, result.kept = published.written, published.kept
    result.errors += published.errors
    return result


# --- a whole run: configs, locks, ledgers ----------------------------------------------------


def default_state_path(output_dir: Path) -> Path:
    """Beside the output folder, never inside it: the ledger is not for publishing."""
    return output_dir.parent / STATE_FILE_NAME


def load_configs(config_dir: Path, names: Sequence[str]) -> tuple[list[FeedConfig], list[str]]:
    try:
        paths = find_feed_configs(config_dir, names)
    except ConfigError as exc:
        return [], [str(exc)]
    configs, errors = [], []
    for path in paths:
        try:
            configs.append(load_feed_config(path))
        except ConfigError as exc:
            errors.append(str(exc))
    if not paths:
        errors.append(f"{config_dir}: no feeds (*.toml) to build")
    return configs, errors


def clashes(configs: Sequence[FeedConfig], out: Path | str | None) -> dict[Path, str]:
    """The feeds (by TOML path) that would publish a document under the name of an earlier
    feed's in the same folder, and why: both would be written on every build, each over the
    other's. A document's name, or an archived feed's archive page's (news-archive-3.rss.xml
    and a feed named news-archive-3), counts; the shared stylesheet is one file by design."""
    owners: dict[tuple[str, str], FeedConfig] = {}  # (folder, file name) -> its feed
    archived: dict[tuple[str, str], FeedConfig] = {}  # (folder, a document name) -> its pages'
    pages: dict[tuple[str, str], str] = {}  # (folder, the name a page is of) -> the page's name
    refused: dict[Path, str] = {}
    for config in configs:
        folder = str(out or config.output_dir)
        if not is_remote(folder):
            folder = str(local_folder(folder).resolve())
        names = [config.file_name(output) for output in config.outputs if output != STYLESHEET]
        bases = [config.file_name(fmt) for fmt in config.formats] if config.archive else []
        clash = next(itertools.chain(
            ((name, owners[folder, name]) for name in names if (folder, name) in owners),
            ((name, archived[folder, of]) for name in names
             if (of := archived_document(name)) and (folder, of) in archived),
            ((pages[folder, base], owners[folder, pages[folder, base]]) for base in bases
             if (folder, base) in pages)), None)
        if clash is not None:
            name, owner = clash
            refused[config.path] = (f"{config.path}: {name} in {folder} would be written by "
                                    f"this feed and by {owner.path}; give one of them other "
                                    "file names ([output])")
            continue
        for name in names:
            owners[folder, name] = config
            if of := archived_document(name):
                pages[folder, of] = name
        archived.update(dict.fromkeys(((folder, base) for base in bases), config))
    return refused


def state_of(config: FeedConfig, out: Path | str | None, state: str | Path | None) -> str:
    """The ledger a feed's build uses: --state, else the feed's `state`, else the SQLite file
    beside its output folder (beside its TOML file when that folder is remote). A file is named
    by its resolved path, so one file is one group."""
    chosen = state if state is not None else config.state
    if isinstance(chosen, str) and is_database_url(chosen):
        return chosen
    output = out or config.output_dir
    default = (config.path.parent / STATE_FILE_NAME if is_remote(output)
               else default_state_path(local_folder(output)))
    return str(Path(chosen or default).resolve())


def ledger_in_output(config: FeedConfig, out: Path | str | None, ledger: str) -> str | None:
    """Why a SQLite ledger inside the folder the feed publishes cannot be: it would be served
    with the documents, every entry's record in it (and a sweep of the folder is not for it)."""
    output = out or config.output_dir
    if is_database_url(ledger) or is_remote(output):
        return None
    folder = local_folder(output).resolve()
    if not Path(ledger).is_relative_to(folder):
        return None
    return (f"{config.path}: the ledger {ledger} is inside the output folder {folder}, which is "
            "published: put it beside the folder, where the default one is")


def run_build(config_dir: Path, names: Sequence[str] = (), *, out: Path | str | None = None,
              state: str | Path | None = None, dry_run: bool = False, wait: bool = False,
              now: Clock = utc_now, reader: ReadSource = read_source,
              progress: Progress | None = None,
              on_feed: Callable[[FeedResult], None] | None = None,
              notifier: Notifier | None = None, jobs: int = 1) -> RunReport:
    """Build the named feeds (default: all in config_dir). Holds every state lock it needs: a
    SQLite ledger's file lock for the whole run; a PostgreSQL ledger's per feed, skipping a feed
    another worker holds. Feeds that name WebSub hubs notify them through notifier (default:
    websub's own client). jobs: processes reading sources (the output is the same whatever the
    number)."""
    configs, errors = load_configs(config_dir, names)
    # every feed of the folder counts, built now or not: `build b` must not write over a's
    refused = clashes(load_configs(config_dir, ())[0] if names else configs, out)
    errors += [refused[c.path] for c in configs if c.path in refused]
    configs = [c for c in configs if c.path not in refused]
    report = RunReport(config_errors=errors)
    groups: dict[str, list[FeedConfig]] = defaultdict(list)
    for config in configs:
        ledger = state_of(config, out, state)
        if (published := ledger_in_output(config, out, ledger)) is not None:
            report.config_errors.append(published)
            continue
        groups[ledger].append(config)
    with ExitStack() as closing:
        if notifier is None and not dry_run and any(c.hubs for c in configs):
            from feedwright.websub import Notifier, default_client

            notifier = Notifier(closing.enter_context(default_client()))
        try:
            _build_groups(groups, report, out=out, dry_run=dry_run, wait=wait, now=now,
                          reader=reader, progress=progress, on_feed=on_feed, notifier=notifier,
                          jobs=jobs)
        except Locked as exc:
            report.locked = str(exc)
        except LockFailed as exc:  # nothing was built: the state's folder cannot be written
            report.config_errors.append(str(exc))
    return report


def _build_groups(groups: Mapping[str, list[FeedConfig]], report: RunReport, *,
                  out: Path | str | None, dry_run: bool, wait: bool, now: Clock,
                  reader: ReadSource,
                  progress: Progress | None,
                  on_feed: Callable[[FeedResult], None] | None,
                  notifier: Notifier | None, jobs: int) -> None:
    # A dry run where no SQLite ledger is yet reads an empty one in memory: it writes no file,
    # not even the ledger's or its lock's.
    fresh = {state for state in groups if dry_run and not is_database_url(state)
             and not Path(state).exists()}
    with ExitStack() as stack:
        http = stack.enter_context(SharedClient())  # one http client for every url source
        for state in sorted(groups):  # one order for all builds: no lock deadlocks
            if not is_database_url(state) and state not in fresh:  # a database claims feeds
                stack.enter_context(state_lock(Path(state), wait=wait))
        for state in sorted(groups):
            try:
                ledger = stack.enter_context(open_ledger(":memory:" if state in fresh
                                                         else state))
            except LedgerError as exc:
                report.config_errors.append(str(exc))
                continue
            for done, config in enumerate(groups[state]):
                try:
                    with ledger.claim(config.name) as mine:
                        if not mine:
                            result = FeedResult(config.name, str(config.path), dry_run=dry_run,
                                                skipped="another worker is building it")
                        else:
                            result = build_feed(config, ledger, now=now, output_dir=out,
                                                dry_run=dry_run, reader=reader,
                                                progress=progress, http=http,
                                                notifier=None if dry_run else notifier,
                                                shared=ledger.dialect.shared,
                                                jobs=jobs)
                except LedgerError as exc:  # the ledger itself failed: its server went away
                    left = [c.name for c in groups[state][done:]]
                    report.config_errors.append(f"{exc}; not built: {', '.join(left)}")
                    break
                except Exception as exc:  # one feed's failure or bug must not stop the others
                    result = FeedResult(config.name, str(config.path), dry_run=dry_run)
                    # our own errors' messages say what and where; a bug's needs its name
                    why = exc if isinstance(exc, FeedwrightError) else \
                        f"{type(exc).__name__}: {exc}"
                    result.errors.append(f"build failed: {why}")
                report.feeds.append(result)
                if on_feed:
                    on_feed(result)
