"""Stage 6, emit and validate: each document a feed is published as, emitted from the feed and
validated before anything may be written; and what tells a build its documents are already right.

A big document is validated in a worker process (`Checking`) while this one makes the next:
validating the three documents of 10,000 entries was a third of a cold build's work after
reading, all on one core. The report is the same wherever it is made; publish waits for every
report before it records or publishes anything. Entries the build keeps are finished and written
in every format by the worker that read them (`prepare`), and the documents made around them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from feedwright import __version__
from feedwright.config import FeedConfig
from feedwright.ledger import EntryRow
from feedwright.model import Feed, Paging
from feedwright.pipeline.gather import Prepared, Read
from feedwright.pipeline.workers import as_a_worker, workers_context

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from feedwright.emit import Written
    from feedwright.validate import ContentChecks, Issue, Report

#: The fewest entries in a document that send its validation to a worker process: below it,
#: handing the bytes over and a worker's first import of the validator (~0.3 s) cost more than
#: validating here.
CHECK_FROM: Final = 1000


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
    #: Gives the report when it is being made in a worker (Checking); `report` is None till then.
    pending: Callable[[], Report] | None = None

    @property
    def deferred(self) -> Deferred | None:
        """The worker's check, while its report is owed, when render left starting it to
        whoever writes the bytes (they may be read from the file written)."""
        return self.pending if isinstance(self.pending, Deferred) else None

    def errors(self) -> list[str]:
        """What keeps the document from being published, one line each naming the file (waiting
        for its report when a worker is still making it)."""
        name = self.document.name
        if self.emit_error is not None:
            return [f"{name}: cannot emit: {self.emit_error}"]
        if self.pending is not None:
            try:
                self.report = self.pending()
            except RuntimeError as exc:  # the worker failed (killed, say): which document
                raise RuntimeError(f"{name}: {exc}") from None
            self.pending = None
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


class Checking:
    """Validation of big documents in up to `workers` processes (1: all in this one), started
    at the first document big enough to be worth it, or `ready` of them on entering (when the
    caller knows big documents are coming). A document's bytes go to the worker in a file it
    checks as a file, so it never holds the whole document: the build's staged copy
    (`submit_file`), else an unnamed file (`hand_over`); they are dropped here once handed
    over (a process pool would hold them until the report came back: two ~90 MB documents
    beside the one being emitted). A worker that ends without its report (killed) is replaced:
    a document it read from the staged copy is checked here from that file; one handed over
    in an unnamed file is gone with it, and waiting for its report is an error."""

    def __init__(self, workers: int = 1, least: int | None = None, ready: int = 0) -> None:
        self._workers = workers
        self._least = CHECK_FROM if least is None else least
        self._started: list[_Checker] = []
        self._ready = min(ready, workers) if workers > 1 else 0

    def takes(self, fmt: str, entries: int, parsed: bool = False) -> bool:
        """Whether this document is validated in a worker: one of at least `least` entries
        (default CHECK_FROM), unless it is a JSON Feed whose object the emitter made (`parsed`:
        checked here, in a fifth of the time of parsing it)."""
        return (self._workers > 1 and fmt in ("rss", "atom", "json") and entries >= self._least
                and not (fmt == "json" and parsed))

    def submit(self, data: bytes, fmt: str) -> Callable[[], Report]:
        """Start validating the document in a worker; gives what waits for its report. Raises
        OSError, nothing started, when there is no room to hand it over (hand_over)."""
        return self._checker().check(lambda conn: hand_over(conn, fmt, data))

    def submit_file(self, path: str, size: int, fmt: str) -> Callable[[], Report]:
        """Start validating the document in a worker from a file holding its `size` bytes
        (the build's staged copy): nothing is copied, the worker reads the file. Should the
        worker end without its report (killed), the file is checked here instead."""
        return self._checker().check(lambda conn: send_file(conn, fmt, path, size),
                                     redo=lambda: check_file(path, size, fmt))

    def later(self, data: bytes, fmt: str) -> Deferred:
        """The document's check in a worker, started once the build says where its bytes are."""
        return Deferred(self, data, fmt)

    def _checker(self) -> _Checker:
        for lost in [c for c in self._started if c.lost]:  # a new worker takes its place
            lost.stop()
            self._started.remove(lost)
        idle = [c for c in self._started if c.busy is None]
        if idle:
            return idle[0]
        if len(self._started) < self._workers:
            self._started.append(_Checker())
            return self._started[-1]
        # every worker busy: the oldest task's report is fetched and kept for its caller, and
        # that worker (or, had it ended, a new one in its place) takes the next
        min(self._started, key=lambda c: c.since).finish()
        return self._checker()

    def __enter__(self) -> Checking:
        # `ready` workers started now, not at the first big document: each imports the
        # validator (~0.3 s) while this process still arranges and emits, so the first
        # document's bytes are not held up in a pipe nobody reads yet.
        self._started = [_Checker() for _ in range(self._ready)]
        return self

    def __exit__(self, *exc: object) -> None:
        for checker in self._started:
            checker.stop()
        self._started = []


class _Checker:
    """One worker process validating one document at a time, and the report it owes."""

    _tasks = 0  # submission order, so the oldest busy worker is the one waited for

    def __init__(self) -> None:
        # from the fork server (else spawned): it holds none of the build's locks
        context: Any = workers_context()  # BaseContext's stubs lack Process
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=serve_checks, args=(theirs,), daemon=True)
        self._process.start()
        theirs.close()
        self.busy: _Task | None = None
        self.since = 0
        self.lost = False  # the worker ended (killed): it takes no more documents

    def check(self, send: Callable[[Connection], None],
              redo: Callable[[], Report] | None = None) -> Callable[[], Report]:
        """Hand the worker a document (`send`); gives what waits for its report. `redo`: how
        to check the document here if the worker ends without its report."""
        task = _Task(redo=redo)
        try:
            send(self._conn)
        except OSError:  # it has ended: nothing started (the caller checks it elsewhere)
            self.lost = True
            raise
        self.busy = task
        _Checker._tasks += 1
        self.since = _Checker._tasks
        return lambda: task.report if task.report is not None else self.finish()

    def finish(self) -> Report:
        """Wait for the busy task's report (kept on the task for whoever asks later)."""
        task = self.busy
        assert task is not None
        try:
            answer = self._conn.recv()
        except (EOFError, OSError):  # OSError: it died with the document unread (reset)
            self.lost, self.busy = True, None
            task.report = self._redo(task)
            return task.report
        if isinstance(answer, str):
            raise RuntimeError(f"validation failed in a worker: {answer}")
        report: Report = answer
        task.report, self.busy = report, None
        return report

    @staticmethod
    def _redo(task: _Task) -> Report:
        """The report of a worker that ended without it (killed: by the kernel's OOM killer, by
        hand), made here while the document is still on this machine for it: one lost worker
        costs the build time, not its documents."""
        if task.redo is not None:
            with contextlib.suppress(OSError):  # the file is gone after all
                return task.redo()
        # nothing left to check it from (its bytes were handed over in a memfd, now gone)
        raise RuntimeError("a validation worker ended without its report")

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._conn.close()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


@dataclass
class _Task:
    report: Report | None = None
    redo: Callable[[], Report] | None = None  # checks the document here (_Checker._redo)


class Deferred:
    """A document's validation in a worker (Checking), started when the build knows where its
    bytes are: from the file it staged them in (`staged`: a 90 MB document is then written
    once, not a second time for the hand-over), else from the bytes (`start`, before they are
    written to another machine); from the bytes, at the latest, when its report is asked for.
    Calling it gives the report. Holds the bytes until it starts."""

    def __init__(self, checking: Checking, data: bytes, fmt: str) -> None:
        self._checking = checking
        self._data: bytes | None = data
        self._fmt = fmt
        self._size = len(data)
        self._report: Callable[[], Report] | None = None
        self.in_worker = False  # started in a worker (False: not yet, or checked here)
        self.read_from: str | None = None  # the file its worker reads (None: an unnamed one)

    def staged(self, path: str | None) -> None:
        """The bytes are in the file at `path` on this machine (None: in none; started from
        the bytes)."""
        if path is None:
            self.start()
        elif self._report is None:
            with contextlib.suppress(OSError):  # it cannot be opened after all: from the bytes
                self._report = self._checking.submit_file(path, self._size, self._fmt)
                self._data, self.in_worker, self.read_from = None, True, path

    def start(self) -> None:
        """Started from the bytes, unless it has started already."""
        if self._report is not None:
            return
        data, self._data = self._data, None
        assert data is not None
        try:
            self._report = self._checking.submit(data, self._fmt)
            self.in_worker = True
        except OSError:  # no room to hand it over: checked here
            from feedwright.validate import validate_document

            report = validate_document(data, self._fmt)
            self._report = lambda: report

    def __call__(self) -> Report:
        self.start()
        assert self._report is not None
        return self._report()


def hand_over(conn: Connection, fmt: str, data: bytes) -> None:
    """Send a document to `serve_checks`: its format and size, then an unnamed file holding its
    bytes (a memfd, where Linux has them; else a temporary file), whose descriptor goes down the
    socket. The bytes cross no pipe: sent down one, 90 MB took the build ~0.15 s of writes (and
    once the worker read them as they came, waits for its parser), and the worker as much again
    to take them; written to a memfd, 0.03 s. The worker reads them as a file: streamed, in
    bounded memory (~50 MB), a JSON Feed read again from its start should it have to be parsed
    whole (a JSON Feed of 10,000 items parsed whole from its bytes: ~320 MB). Raises OSError,
    nothing sent, when there is no room for the file."""
    with _unnamed_file(fmt) as file:
        file.write(data)
        file.flush()
        _send_descriptor(conn, fmt, file.fileno(), len(data))


def send_file(conn: Connection, fmt: str, path: str, size: int) -> None:
    """Send `serve_checks` a document already in a file (its first `size` bytes): opened for
    reading here, its descriptor down the socket, as hand_over sends an unnamed file's."""
    import os

    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        _send_descriptor(conn, fmt, fd, size)
    finally:
        os.close(fd)


def check_file(path: str, size: int, fmt: str) -> Report:
    """The report on the document in the first `size` bytes of the file, made here."""
    from feedwright.validate import validate_document

    with open(path, "rb") as file:
        return validate_document(file, fmt, size=size)


def _send_descriptor(conn: Connection, fmt: str, fd: int, size: int) -> None:
    from multiprocessing import reduction

    conn.send((fmt, size))
    reduction.send_handle(conn, fd, 0)  # (the pid is for Windows only)


def _unnamed_file(fmt: str) -> BinaryIO:
    import os
    import tempfile

    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create(f"feedwright-{fmt}", os.MFD_CLOEXEC), "wb")
    return tempfile.TemporaryFile()


def serve_checks(conn: Connection) -> None:
    """A validation worker: a document as `hand_over` sends it; the report (or why validating
    failed) out, until told to stop. Each document gets its own ContentChecks: a worker sees
    one at a time."""
    as_a_worker()  # first: (a document is not worth finishing for a build that is gone)
    import os
    from multiprocessing import reduction

    from feedwright.validate import validate_document

    while (task := _next(conn)) is not None:
        fmt, size = task
        try:
            with os.fdopen(reduction.recv_handle(conn), "rb") as file:
                file.seek(0)  # (the build's writing left the shared offset at the end)
                answer: Report | str = validate_document(file, fmt, size=size)
        except Exception as exc:  # a validator bug: the build reports it, never hangs on it
            answer = f"{type(exc).__name__}: {exc}"
        try:
            conn.send(answer)
        except OSError:  # the build is gone (interrupted, killed): nobody wants the report
            return


def _next(conn: Connection) -> tuple[str, int] | None:
    """The next document's format and size; None when told to stop or the build is gone
    (killed: its end of the pipe closed), so the worker ends quietly either way."""
    try:
        task: tuple[str, int] | None = conn.recv()
    except (EOFError, OSError):
        return None
    return task


def render(feed: Feed, targets: Sequence[Document], checking: Checking | None = None,
           written: Mapping[str, Written] | None = None) -> Iterator[Rendered]:
    """Each document in turn, emitted and validated (a companion is only made), or left to
    `checking` to validate while the next is emitted (its Rendered then `pending`, and
    `deferred` till its worker starts: publish starts it from the file it stages). One at a
    time: the caller drops a document's bytes before it asks for the next. `written`: each
    format's entries written already (emit.Written); feed.entries then need hold only those
    the page shows."""
    from feedwright.emit import EmitError, Shared, emit_document

    # The formats carry the same html: each is checked once here. Made (and the validator
    # imported, 0.13 s) at the first document checked here: a build whose big documents all
    # go to workers does not wait for that import between reading and its first document.
    content: ContentChecks | None = None
    shared = Shared()  # and the same attribution records: each is made once
    for target in targets:
        if target.fmt in (PAGE, STYLESHEET):
            yield Rendered(target, companion(feed, target, targets), None)
            continue
        try:
            made = written.get(target.fmt) if written is not None else None
            emitted = emit_document(dataclasses.replace(
                feed, self_url=target.self_url, hubs=target.hubs, stylesheet=target.stylesheet,
                paging=target.paging), target.fmt, shared, made)
        except EmitError as exc:
            yield Rendered(target, None, None, str(exc))
            continue
        count = len(made.entries) if made is not None else len(feed.entries)
        if checking is not None and checking.takes(target.fmt, count,
                                                   emitted.document is not None):
            yield Rendered(target, emitted.data, None,
                           pending=checking.later(emitted.data, target.fmt))
        else:
            from feedwright.validate import ContentChecks, validate_document

            content = content or ContentChecks()
            # a JSON Feed's object is checked as the emitter made it, not parsed from its bytes
            yield Rendered(target, emitted.data, validate_document(
                emitted.data, target.fmt, content=content, document=emitted.document))
        del emitted, made  # before the next format's are gathered


@dataclass(frozen=True)
class Preparing:
    """What writing an entry where it is read takes (`prepare`): the build's id scheme (as
    identify.IdScheme's fields: identify is not imported by a build that reads nothing) and
    moment (a new entry is first seen then), the feed's content mode and formats."""

    authority: str
    feed: str | None
    first_seen: datetime
    content: str
    formats: tuple[str, ...]


def prepare(spec: Preparing, key: str, position: int, count: int, read: Read) -> Prepared | None:
    """The entry just read (gather.Prepare), finished as identify and assemble will finish it
    if it is new (the id minted at first sight, dated by this moment when it states no date)
    and written in each format; None when a format refuses it (the build emits it itself, and
    says why). Runs in the reading workers."""
    from feedwright.emit import entry_parts
    from feedwright.pipeline.assemble import finish
    from feedwright.pipeline.identify import IdScheme, mint_id, sort_key

    entry = read.entry
    assert entry is not None  # gather prepares only the entries it keeps (reduce_entries)
    ids = IdScheme(spec.authority, spec.feed)
    row = EntryRow(mint_id(ids, key, position, count, read, set()), key, position, read.url,
                   read.digest, spec.first_seen, None, sort_key(read.stated or spec.first_seen),
                   read.record, read.dup_keys)
    finished = finish(row, spec.content, entry_of=lambda _record: entry)
    try:
        parts = entry_parts(finished, spec.formats)
    except ValueError:  # EmitError among them
        return None
    return Prepared(row.id, spec.first_seen, finished.updated or finished.published, parts)


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
