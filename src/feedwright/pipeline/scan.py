"""Stage 1, scan: the sources a feed names now, each file stat()ed once (a url is taken as is)."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG

from feedwright.config import FeedConfig, archived_document, is_url_source
from feedwright.publish import lock_path_for
from feedwright.sources.retrieve import shown_name, utf8_name


@dataclass(slots=True)
class Found:
    """A source file the globs match, stat()ed once: before reading, so a later edit shows; or a
    url the feed names (size and mtime -1: it is fetched, not stat()ed). Read-only by
    convention, not frozen (a frozen dataclass costs ~6x as much to create, once per source in
    every cron run)."""

    path: str
    size: int
    mtime_ns: int
    problem: str | None = None  # a known source that is no longer a file: why (see replaced)


def scan(config: FeedConfig, misses: list[str] | None = None,
         unnamed: list[str] | None = None) -> dict[str, Found]:
    """Source key (path relative to the TOML file, posix, or the url) -> source, for every glob
    match and every url. What glob.glob(recursive=True) matches, found in one os.scandir pass per
    folder the pattern reaches (each file stat()ed once, no Path objects). Patterns that match
    no file are appended to misses; files whose names are not UTF-8 (which no entry or ledger
    row can hold) to unnamed, as a report can print them, and left out."""
    found: dict[str, Found] = {}
    folder = str(config.folder)
    for pattern in config.sources:
        if is_url_source(pattern):
            found.setdefault(pattern, Found(pattern, -1, -1))
            continue
        hits: dict[str, Found] = {}  # this pattern's own, so a miss shows beside overlaps
        parts = _walkable(pattern)
        if parts is None:
            _scan_glob(pattern, folder, hits)
        else:
            prefix, rest = parts
            relative = os.path.normpath(prefix) if prefix else ""
            # Names from scandir hold no separator and are never . or ..: joined to the
            # normalised folder they are normalised keys already.
            _scan_walk(os.path.join(folder, prefix) if prefix else folder,
                       os.path.join(folder, ""), "" if relative == "." else relative, rest, hits)
        if not hits and misses is not None:
            misses.append(pattern)
        for key, hit in hits.items():
            if utf8_name(key):
                found.setdefault(key, hit)
            elif unnamed is not None and shown_name(key) not in unnamed:
                unnamed.append(shown_name(key))
    return {key: found[key] for key in sorted(found)}


def own_files(config: FeedConfig, output: str | None, ledger: str | None
              ) -> Callable[[str], bool]:
    """Whether a source key names a file the feed's build writes itself: its documents, page,
    stylesheet and archive pages in `output` (its local folder; None when it is remote), and
    `ledger` (a SQLite file), with its journals and lock; or the feed's TOML file. A glob
    reaching them (`../**`, or `../site/**/*.html` over the site the feed is published into)
    read the feed's own output back as sources: one more entry, or a failed source, on every
    build."""
    names = {config.file_name(name) for name in config.outputs}
    documents = {config.file_name(fmt) for fmt in config.formats} if config.archive else set()
    paths = {os.path.join(output, name) for name in names} if output else set()
    paths.add(str(config.path))  # (its own definition is no article either)
    if ledger:
        paths |= {ledger, *(ledger + end for end in ("-wal", "-shm", "-journal")),
                  str(lock_path_for(Path(ledger)))}
    paths = {os.path.abspath(path) for path in paths}
    basenames = {os.path.basename(path) for path in paths}
    folder = os.path.abspath(config.folder)
    pages_folder = os.path.abspath(output) if output else None

    def own(key: str) -> bool:
        name = key.rpartition("/")[2]
        page = pages_folder is not None and archived_document(name) in documents
        if name not in basenames and not page:
            return False
        path = os.path.normpath(os.path.join(folder, key))
        return path in paths or (page and os.path.dirname(path) == pages_folder)

    return own


def replaced(config: FeedConfig, known: Iterable[str], found: Mapping[str, Found],
             ) -> dict[str, Found]:
    """Known sources that the globs no longer match because they are not files any more: a
    folder, a link to nothing, a device. Such a source is a failure to report, its entries kept,
    not a deletion (a source that is simply gone is)."""
    odd = {}
    for key in known:
        if key in found or is_url_source(key):
            continue
        path = os.path.join(config.folder, key)
        try:
            st = os.lstat(path)
        except OSError:
            continue  # gone: a deletion, which the grace period handles
        if S_ISDIR(st.st_mode):
            problem = "is a folder now, not a file"
        elif S_ISLNK(st.st_mode):
            try:
                os.stat(path)
                problem = "is a link to something that is not a file"
            except OSError:
                problem = f"is a link to {os.readlink(path)!r}, which does not exist"
        elif S_ISREG(st.st_mode):
            continue  # a file again, only no longer matched: the globs changed
        else:
            problem = "is not a regular file"
        odd[key] = Found(path, -1, -1, problem)
    return odd


_MAGIC = re.compile(r"[*?[]")


def _walkable(pattern: str) -> tuple[str, list[str | re.Pattern[str] | None]] | None:
    """The pattern as (literal folder, then per level: a compiled name pattern, a literal name or
    None for `**`); None when it is not a plain folder/**/name pattern (then glob it)."""
    pieces = pattern.replace(os.sep, "/").split("/")
    n = 0
    while n < len(pieces) - 1 and not _MAGIC.search(pieces[n]):
        n += 1
    rest: list[str | re.Pattern[str] | None] = []
    for piece in pieces[n:]:
        if piece == "**":
            rest.append(None)
        elif not piece or piece in (".", "..") or "**" in piece:
            return None
        elif _MAGIC.search(piece):
            if piece.startswith("."):
                return None  # glob's rules for hidden names: leave them to glob
            rest.append(re.compile(fnmatch.translate(piece)))
        else:
            rest.append(piece)
    if not rest or rest[-1] is None or not _MAGIC.search(pattern):
        return None
    return "/".join(pieces[:n]), rest


def _scan_walk(directory: str, base: str, relative: str,
               rest: Sequence[str | re.Pattern[str] | None], found: dict[str, Found],
               parent: int | None = None, above: frozenset[tuple[int, int]] = frozenset(),
               ) -> None:
    """Match `rest` in `directory` (a path, or a name in the open folder `parent`). The folder
    is opened once and its files are stat()ed by name within it: the kernel then walks one name
    per file, not every part of `feeds/../../text/000/article.txt` (a quarter of the stat()
    calls' cost for 10,000 sources). Links to folders are followed, as glob follows them, but
    not into a folder the walk is already in (`above`: a link to `..` made `**` recurse until
    Python's stack ran out)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY, dir_fd=parent)
    except OSError:
        return  # gone, not a folder, or not ours to read: nothing in it this run
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) in above:
            return  # a loop: its files are found where the walk first came in
        try:
            with os.scandir(fd) as listing:
                entries = list(listing)
        except OSError:
            return  # as if it were empty
        _match(fd, entries, base, relative, rest, found, above | {(st.st_dev, st.st_ino)})
    finally:
        os.close(fd)


def _match(fd: int, entries: list[os.DirEntry[str]], base: str, relative: str,
           rest: Sequence[str | re.Pattern[str] | None], found: dict[str, Found],
           above: frozenset[tuple[int, int]]) -> None:
    # Each folder is listed once (`**` matches its own folder with the entries it lists for
    # the folders below), and the per-file work is kept to a name test, one stat() and the
    # Found: a cron no-op does this for every source it has.
    step = rest[0]
    if step is None:  # `**`: this folder, then every folder below it that is not hidden
        _match(fd, entries, base, relative, rest[1:], found, above)
        for entry in entries:
            if not entry.name.startswith(".") and _is_dir(entry):
                _scan_walk(entry.name, base, _join(relative, entry.name), rest, found, fd,
                           above)
        return
    if isinstance(step, str):
        named = [entry for entry in entries if entry.name == step]
    else:
        match = step.match
        named = [entry for entry in entries
                 if not entry.name.startswith(".") and match(entry.name)]
    if len(rest) > 1:
        for entry in named:
            if _is_dir(entry):
                _scan_walk(entry.name, base, _join(relative, entry.name), rest[1:], found, fd,
                           above)
        return
    head = _join(relative, "")  # the keys of this folder's files: head + name
    where = "" if head.startswith("/") else base  # an absolute key is its own path
    for entry in named:
        key = head + entry.name
        if key in found:
            continue
        try:
            st = entry.stat()  # by name within the open folder (fstatat)
        except OSError:
            continue  # gone (or a dangling link): it is simply not there this run
        if S_ISREG(st.st_mode):
            found[key] = Found(where + key, st.st_size, st.st_mtime_ns)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _join(relative: str, name: str) -> str:
    if not relative or relative.endswith("/"):
        return relative + name
    return f"{relative}/{name}"


def _scan_glob(pattern: str, folder: str, found: dict[str, Found]) -> None:
    import glob  # only for patterns the walk does not cover: not on a cron run's usual path

    for match in glob.glob(pattern, root_dir=folder, recursive=True):
        key = os.path.normpath(match).replace(os.sep, "/")
        if key in found:
            continue
        path = os.path.join(folder, key)
        try:
            st = os.stat(path)
        except OSError:
            continue  # gone between glob and stat: it is simply not there this run
        if S_ISREG(st.st_mode):
            found[key] = Found(path, st.st_size, st.st_mtime_ns)
