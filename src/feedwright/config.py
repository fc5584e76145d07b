"""feeds/NAME.toml -> a typed, checked FeedConfig.

One feed per file. Every key is documented in docs/feeds.md. Unknown keys and wrong types are
errors that name the file, the key and the line, because a cron job that silently ignores a
misspelt ``titel`` publishes a feed nobody asked for.

tomllib gives no line numbers, so errors find the key's line by scanning the raw text.
"""

from __future__ import annotations

import io
import math
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedwright.errors import EXIT_USAGE, FeedwrightError
from feedwright.formats import FORMATS
from feedwright.ledger import is_database_url
from feedwright.model import Agent, AgentKind, Feed, Rights, Role
from feedwright.normalise.ids import is_tag_authority
from feedwright.publish import file_url_problem, is_remote, local_folder, remote_problem
from feedwright.syntax import (
    BAD_PERCENT,
    BAD_URL_CHARS,
    HOST,
    LANGTAG,
    as_uri,
    idna_host_problem,
    is_local_use_language,
    language_codes,
)

if TYPE_CHECKING:
    from feedwright.sources import ReaderOptions

CONTENT_MODES: Final = ("full", "summary")
DEFAULT_LIMIT: Final = 100
DEFAULT_GRACE_DAYS: Final = 7.0
DEFAULT_TOMBSTONE_DAYS: Final = 30.0
#: A hundred years: longer is "forever" to a feed, and far below timedelta's limit.
MAX_GRACE_DAYS: Final = 36500
#: File name templates per format; {name} is the feed's name (the TOML file's stem).
DEFAULT_FILE_NAMES: Final = {
    "rss": "{name}.rss.xml",
    "atom": "{name}.atom.xml",
    "json": "{name}.json",
}
#: The page people read ({name}.html) and the XSL stylesheet the RSS and Atom documents name:
#: published beside the documents. One stylesheet serves every feed in a folder.
DEFAULT_PAGE_NAME: Final = "{name}.html"
STYLESHEET_NAME: Final = "feedwright.xsl"
#: Relative to the TOML file's folder: the ``public/`` folder beside ``feeds/``.
DEFAULT_OUTPUT_DIR: Final = "../public"

_TOP_KEYS: Final = (
    "title", "link", "id", "tag_authority", "description", "language", "timezone", "authors",
    "rights", "icon", "sources", "formats", "output", "base_url", "limit", "content",
    "deleted_grace_days", "text", "sources_base_url", "hubs", "page", "stylesheet",
    "archive", "archive_page_size", "tombstone_days", "state",
)
_OUTPUT_KEYS: Final = ("dir", *FORMATS, "page")
_TEXT_KEYS: Final = ("chrome", "credit_patterns")
_AUTHOR_KEYS: Final = ("name", "url", "email", "kind")
_PATTERN_KEYS: Final = ("pattern", "role")
_NAME_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class ConfigError(FeedwrightError):
    """A feed definition that cannot be used. str() is "file:line: message"."""

    exit_code = EXIT_USAGE

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.message = message
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class CreditPatternConfig:
    pattern: str  # a regex with a named group "name" (and optionally "agency")
    role: str  # a Role value; "" takes it from the pattern's "label" group


@dataclass(frozen=True)
class FeedConfig:
    path: Path  # the TOML file
    name: str  # the TOML file's stem; names the output files and the ledger's rows
    title: str
    link: str
    id: str
    tag_authority: str  # RFC 4151 authority for entry ids minted from sources without a url
    sources: tuple[str, ...]  # glob patterns relative to the TOML file's folder, or http(s) urls
    description: str | None = None
    language: str | None = None
    timezone: str = "UTC"
    authors: tuple[Agent, ...] = ()
    rights: str | None = None
    icon: str | None = None
    formats: tuple[str, ...] = FORMATS
    # Absolute after loading; or an fsspec url (sftp://user@host/path, s3://bucket/path): a
    # remote folder (publish.open_target).
    output_dir: Path | str = Path("public")
    file_names: Mapping[str, str] = field(default_factory=dict)  # format -> file name
    base_url: str | None = None  # public url of output_dir, for self links
    limit: int | None = DEFAULT_LIMIT  # None: no limit
    content: str = "full"  # "full" | "summary"
    deleted_grace: timedelta = timedelta(days=DEFAULT_GRACE_DAYS)
    text_chrome: tuple[str, ...] = ()
    credit_patterns: tuple[CreditPatternConfig, ...] = ()
    sources_base_url: str | None = None  # resolves relative links in local source files
    hubs: tuple[str, ...] = ()  # WebSub hubs, told of every changed document
    page: bool = True  # publish file_name("page"): an HTML page of the newest entries
    stylesheet: bool = True  # publish STYLESHEET_NAME and name it in the RSS and Atom documents
    archive: bool = False  # RFC 5005 archived feed: older entries in archive documents
    archive_page_size: int = DEFAULT_LIMIT  # entries per archive document
    tombstone_time: timedelta = timedelta(days=DEFAULT_TOMBSTONE_DAYS)  # how long a deletion shows
    state: str | None = None  # the ledger: a postgresql:// url or an absolute SQLite path

    @property
    def folder(self) -> Path:
        return self.path.parent

    def feed(self) -> Feed:
        """Feed metadata with no entries and no self url (that is per format; see self_url)."""
        return Feed(
            id=self.id,
            title=self.title,
            link=self.link,
            description=self.description,
            language=self.language,
            authors=self.authors,
            rights=Rights(notice=self.rights) if self.rights else None,
            icon=self.icon,
        )

    def file_name(self, fmt: str) -> str:
        """The file name of a format's document, or of "page" or "stylesheet"."""
        return self.file_names[fmt]

    @property
    def outputs(self) -> tuple[str, ...]:
        """What a build publishes: each format's document, then the page and the stylesheet."""
        return (*self.formats, *(("page",) if self.page else ()),
                *(("stylesheet",) if self.stylesheet else ()))

    def self_url(self, fmt: str) -> str | None:
        return self.url_of(self.file_names[fmt])

    def archive_file_name(self, fmt: str, page: int) -> str:
        """Archive document `page` (1: the oldest): `news.atom.xml` -> `news-archive-1.atom.xml`
        (archived_document reads it back)."""
        stem, dot, rest = self.file_names[fmt].partition(".")
        return f"{stem}-archive-{page}{dot}{rest}"

    def url_of(self, file_name: str) -> str | None:
        """Where a document of this feed is published: base_url + its file name."""
        if self.base_url is None:
            return None
        return self.base_url.rstrip("/") + "/" + file_name

    def reader_options(self) -> ReaderOptions:
        from feedwright.normalise.credits import CreditPattern
        from feedwright.sources import ReaderOptions

        return ReaderOptions(
            timezone=self.timezone,
            chrome=self.text_chrome,
            credit_patterns=tuple(CreditPattern(p.pattern, p.role) for p in self.credit_patterns),
            base_url=self.sources_base_url,
        )


#: An archive page's file name, and the document's it is a page of (FeedConfig.archive_file_name).
_ARCHIVE_PAGE: Final = re.compile(r"(.+)-archive-([0-9]+)((?:\..*)?)")


def archived_page(name: str) -> tuple[str, int] | None:
    """The document an archive page's file name is a page of, and the page's number
    (news-archive-3.rss.xml: news.rss.xml, 3); None for the name of anything else."""
    page = _ARCHIVE_PAGE.fullmatch(name) if "-archive-" in name else None
    return (page[1] + page[3], int(page[2])) if page else None


def archived_document(name: str) -> str | None:
    """The document an archive page's file name is a page of (news-archive-3.rss.xml: news.rss.xml);
    None for the name of anything else."""
    page = archived_page(name)
    return page[0] if page else None


def load_feed_config(path: Path) -> FeedConfig:
    """Read and check one feed definition. Raises ConfigError naming the file, key and line."""
    try:
        # opened without blocking, and read only if it is a file: a pipe named *.toml would
        # hold the build (and the lock every later cron run waits on) until someone wrote to it
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ConfigError(path, "cannot read: it is not a regular file")
            # utf-8-sig: a BOM that Windows editors write is no TOML statement (the file reads
            # as it would without it; the lines keep their numbers)
            text = io.TextIOWrapper(handle, encoding="utf-8-sig").read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(path, exc) from exc
    return _Checker(path, text, data).config()


def is_url_source(source: str) -> bool:
    """A `sources` entry naming an http(s) page or feed, fetched as it is, not a glob of files."""
    return source.lower().startswith(("http://", "https://"))


def find_feed_configs(config_dir: Path, names: Sequence[str] = ()) -> list[Path]:
    """The TOML files to build: all of config_dir/*.toml, or only the named ones, sorted."""
    if names:
        paths = []
        for name in names:
            p = config_dir / (name if name.endswith(".toml") else f"{name}.toml")
            if not p.is_file():
                raise ConfigError(p, f"no feed named {name!r} in {config_dir}")
            paths.append(p)
        return paths
    if not config_dir.is_dir():
        raise ConfigError(config_dir, "config folder does not exist")
    return sorted(config_dir.glob("*.toml"))


def _decode_error(path: Path, exc: tomllib.TOMLDecodeError) -> ConfigError:
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column \d+\)$", msg)
    if m:
        return ConfigError(path, f"not valid TOML: {msg[: m.start()].strip()}", int(m.group(1)))
    return ConfigError(path, f"not valid TOML: {msg}")


def key_line(text: str, key_path: Sequence[str | int]) -> int | None:
    """The 1-based line where a key (path like ("output", "dir") or ("authors", 1, "name")) is set.

    Walks the raw text tracking [table] and [[array]] headers; falls back to the nearest parent
    key it can find. Good enough for error messages, which is all it is for.
    """
    names = [k for k in key_path if isinstance(k, str)]
    index = next((k for k in key_path if isinstance(k, int)), None)
    for depth in range(len(names), 0, -1):
        line = _find_key(text, names[:depth], index)
        if line is not None:
            return line
    return None


def _find_key(text: str, names: Sequence[str], index: int | None) -> int | None:
    header_re = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
    table: str = ""
    seen_arrays: dict[str, int] = {}
    target_table = ".".join(names[:-1])
    key = names[-1]
    key_re = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    dotted_re = re.compile(rf"^\s*{re.escape('.'.join(names))}\s*=")
    for number, raw in enumerate(text.splitlines(), start=1):
        m = header_re.match(raw)
        if m:
            table = m.group(2).replace('"', "").replace("'", "").replace(" ", "")
            if m.group(1):
                seen_arrays[table] = seen_arrays.get(table, -1) + 1
            if table == ".".join(names) and (
                index is None or seen_arrays.get(table, 0) == index
            ):
                return number
            continue
        in_target = table == target_table and (
            index is None or target_table not in seen_arrays or seen_arrays[table] == index
        )
        if in_target and key_re.match(raw):
            return number
        if table == "" and dotted_re.match(raw):
            return number
    return None


class _Checker:
    """Type-checks the decoded TOML, turning every problem into a ConfigError with a line."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path = path
        self.text = text
        self.data = data

    def error(self, key_path: Sequence[str | int], message: str) -> ConfigError:
        return ConfigError(self.path, message, key_line(self.text, key_path))

    def unknown_keys(self, table: Mapping[str, Any], allowed: Sequence[str],
                     prefix: Sequence[str | int] = ()) -> None:
        for key in table:
            if key not in allowed:
                import difflib  # for this message only

                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                dotted = ".".join(str(p) for p in prefix if isinstance(p, str))
                shown = f"{dotted}.{key}" if dotted else key
                raise self.error((*prefix, key), f"key {shown!r} is not known{hint}")

    def get(self, table: Mapping[str, Any], key_path: Sequence[str | int], kind: type,
            required: bool = False) -> Any:
        key = key_path[-1]
        assert isinstance(key, str)
        if key not in table:
            if required:
                raise self.error(key_path[:-1] or (key,), f"key {key!r} is required")
            return None
        value = table[key]
        # bool is an int in Python; TOML is not so forgiving, and neither are we.
        if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            want = {str: "a string", int: "an integer", list: "an array", dict: "a table",
                    float: "a number", bool: "true or false"}.get(kind, kind.__name__)
            raise self.error(key_path, f"key {_dotted(key_path)!r} must be {want}, "
                                       f"not {_toml_type(value)}")
        return value

    def string(self, table: Mapping[str, Any], key_path: Sequence[str | int],
               required: bool = False, check: Callable[[str], str | None] | None = None,
               ) -> str | None:
        value: str | None = self.get(table, key_path, str, required)
        if value is not None:
            if not value.strip():
                raise self.error(key_path, f"key {_dotted(key_path)!r} must not be empty")
            problem = control_character(value) or (check(value) if check else None)
            if problem:
                raise self.error(key_path, f"key {_dotted(key_path)!r} {problem}")
        return value

    def url(self, table: Mapping[str, Any], key_path: Sequence[str | int],
            required: bool = False) -> str | None:
        """An absolute http(s) link, in its ASCII form (as_uri)."""
        value = self.string(table, key_path, required, check=url_problem)
        return as_uri(value) if value is not None else None

    def strings(self, table: Mapping[str, Any], key_path: Sequence[str | int],
                ) -> tuple[str, ...] | None:
        value: list[Any] | None = self.get(table, key_path, list)
        if value is None:
            return None
        for item in value:
            if not isinstance(item, str):
                raise self.error(key_path, f"key {_dotted(key_path)!r} must be an array of "
                                           f"strings, and holds {_toml_type(item)}")
        return tuple(value)

    def config(self) -> FeedConfig:
        d = self.data
        self.unknown_keys(d, _TOP_KEYS)
        name = self.path.stem
        if not _NAME_RE.match(name):
            raise ConfigError(self.path, f"feed name {name!r} (the file name) must be letters, "
                                         "digits, '.', '_' or '-'")
        title = self.string(d, ("title",), required=True, check=None)
        link = self.url(d, ("link",), required=True)
        assert title is not None and link is not None
        feed_id = self.string(d, ("id",), check=_uri)
        authority = self.string(d, ("tag_authority",), check=authority_problem)
        if authority is None:
            if feed_id is None or not feed_id.startswith("tag:"):
                raise self.error(("id",), "needs 'tag_authority' (like \"example.org,2026\") "
                                          "or an 'id' that is a tag: URI to take it from")
            authority = feed_id[4:].split(":", 1)[0]
            if not is_tag_authority(authority):
                raise self.error(("id",), f"tag: URI has no valid authority: {authority!r}")
        if feed_id is None:
            feed_id = f"tag:{authority}:feed/{name}"
        timezone = self.string(d, ("timezone",), check=_zone) or "UTC"
        sources = self.strings(d, ("sources",))
        if not sources:
            raise self.error(("sources",), "key 'sources' is required: an array of glob "
                                           "patterns relative to this file, or http(s) urls")
        for source in sources:
            problem = url_problem(source) if is_url_source(source) else None
            if problem:
                raise self.error(("sources",), f"a url in 'sources' {problem}")
        formats = self.strings(d, ("formats",))
        if formats is not None:
            for f in formats:
                if f not in FORMATS:
                    raise self.error(("formats",), f"format {f!r} is not one of "
                                                   f"{', '.join(FORMATS)}")
            if not formats:
                raise self.error(("formats",), "key 'formats' must name at least one format")
            formats = tuple(f for f in FORMATS if f in formats)
        limit = self.get(d, ("limit",), int)
        if limit is not None and limit < 0:
            raise self.error(("limit",), "key 'limit' must be 0 (no limit) or more")
        content = self.string(d, ("content",)) or "full"
        if content not in CONTENT_MODES:
            raise self.error(("content",), "key 'content' must be \"full\" or \"summary\"")
        grace = self._days("deleted_grace_days", DEFAULT_GRACE_DAYS)
        archive, page_size, tombstone_time = self._history(limit)
        page = self.flag(d, ("page",))
        stylesheet = self.flag(d, ("stylesheet",))
        output_dir, file_names = self._output(name, formats or FORMATS, page, stylesheet)
        if archive:
            self._no_name_of_an_archive_page(file_names, formats or FORMATS)
        chrome, patterns = self._text()
        base_url = self.url(d, ("base_url",))
        if base_url is not None and (urlsplit(base_url).query or urlsplit(base_url).fragment
                                     or base_url.endswith(("?", "#"))):
            # documents' urls are base_url + "/" + a file name: after a ? or # they would name
            # the folder's page, not the documents (self links, WebSub topics)
            raise self.error(("base_url",), "key 'base_url' must be the folder's url without "
                                            f"a query or fragment, not {base_url!r}")
        return FeedConfig(
            path=self.path,
            name=name,
            title=title,
            link=link,
            id=feed_id,
            tag_authority=authority,
            sources=sources,
            description=self.string(d, ("description",)),
            language=self.string(d, ("language",), check=language_problem),
            timezone=timezone,
            authors=self._authors(),
            rights=self.string(d, ("rights",)),
            icon=self.url(d, ("icon",)),
            formats=formats or FORMATS,
            output_dir=output_dir,
            file_names=file_names,
            base_url=base_url,
            limit=DEFAULT_LIMIT if limit is None else (limit or None),
            content=content,
            deleted_grace=grace,
            text_chrome=chrome,
            credit_patterns=patterns,
            sources_base_url=self.url(d, ("sources_base_url",)),
            hubs=self._hubs(base_url),
            page=page,
            stylesheet=stylesheet,
            archive=archive,
            archive_page_size=page_size,
            tombstone_time=tombstone_time,
            state=self._state(),
        )

    def _history(self, limit: int | None) -> tuple[bool, int, timedelta]:
        """archive, archive_page_size and tombstone_days: full history (docs/feeds.md)."""
        d = self.data
        archive = d.get("archive", False)
        if not isinstance(archive, bool):
            raise self.error(("archive",), "key 'archive' must be true or false, "
                                           f"not {_toml_type(archive)}")
        page_size = self.get(d, ("archive_page_size",), int)
        if page_size is not None and page_size < 1:
            raise self.error(("archive_page_size",), "key 'archive_page_size' must be 1 or more")
        if page_size is not None and not archive:
            raise self.error(("archive_page_size",), "key 'archive_page_size' needs "
                                                     "'archive = true'")
        if archive and limit == 0:
            raise self.error(("limit",), "an archived feed needs a 'limit' of 1 or more: the "
                                         "size of its subscription document")
        if archive and "base_url" not in d:
            raise self.error(("archive",), "an archived feed needs 'base_url': its documents "
                                           "link to each other by url")
        size = page_size or (limit if limit else DEFAULT_LIMIT)
        return archive, size, self._days("tombstone_days", DEFAULT_TOMBSTONE_DAYS)

    def _no_name_of_an_archive_page(self, names: Mapping[str, str],
                                    formats: Sequence[str]) -> None:
        """An archived feed's archive pages of news.xml are news-archive-N.xml: no other output
        of the feed may be named so, or each build writes one over the other."""
        documents = {names[fmt] for fmt in formats}
        for output, file_name in names.items():
            of = archived_document(file_name)
            if of in documents and of != file_name:
                raise self.error(("output", output), f"[output] {output} = {file_name!r} is "
                                 f"the name of an archive page of {of!r} (an archived feed's "
                                 "pages are NAME-archive-N): give it another name")

    def _state(self) -> str | None:
        """A postgresql:// url as written, or a SQLite file relative to this file's folder."""
        state = self.string(self.data, ("state",))
        if state is None or is_database_url(state):
            return state
        if "://" in state:
            raise self.error(("state",), "key 'state' must be a postgresql:// url or the path "
                                         f"of a SQLite file, not {state!r}")
        return str((self.path.parent / state).resolve())

    def flag(self, table: Mapping[str, Any], key_path: Sequence[str | int]) -> bool:
        """An optional boolean that defaults to true."""
        value: bool | None = self.get(table, key_path, bool)
        return True if value is None else value

    def _hubs(self, base_url: str | None) -> tuple[str, ...]:
        hubs = self.strings(self.data, ("hubs",)) or ()
        for hub in hubs:
            problem = url_problem(hub)
            if problem:
                raise self.error(("hubs",), f"a hub in 'hubs' {problem}")
            if hubs.count(hub) > 1:
                raise self.error(("hubs",), f"hub {hub!r} is listed twice")
        if hubs and base_url is None:
            raise self.error(("hubs",), "key 'hubs' needs 'base_url': a hub is told the public "
                                        "url of each document that changed")
        return tuple(map(as_uri, hubs))

    def _days(self, name: str, default: float) -> timedelta:
        """A number of days (deleted_grace_days, tombstone_days)."""
        value = self.data.get(name)
        if value is None:
            return timedelta(days=default)
        # nan and inf are TOML floats too, and timedelta overflows long before 1e300 days.
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or not 0 <= value <= MAX_GRACE_DAYS):
            raise self.error((name,), f"key {name!r} must be a number of days, 0 or more "
                                      f"and at most {MAX_GRACE_DAYS}, not {value!r}")
        return timedelta(days=value)

    def _output(self, name: str, formats: Sequence[str], page: bool,
                stylesheet: bool) -> tuple[Path | str, dict[str, str]]:
        if isinstance(self.data.get("output"), str):  # output = "URL or folder": only the dir
            table: dict[str, Any] = {"dir": self.data["output"]}
            where: tuple[str, ...] = ("output",)
        else:
            table = self.get(self.data, ("output",), dict) or {}
            self.unknown_keys(table, _OUTPUT_KEYS, ("output",))
            where = ("output", "dir")
        folder = self.string(table, ("output", "dir")) or DEFAULT_OUTPUT_DIR
        names: dict[str, str] = {}
        for fmt in FORMATS:
            given = self.string(table, ("output", fmt), check=_file_name)
            names[fmt] = given or DEFAULT_FILE_NAMES[fmt].format(name=name)
        names["page"] = (self.string(table, ("output", "page"), check=_file_name)
                         or DEFAULT_PAGE_NAME.format(name=name))
        names["stylesheet"] = STYLESHEET_NAME
        used = [names[f] for f in formats]
        used += [names["page"]] if page else []
        used += [names["stylesheet"]] if stylesheet else []
        if len(set(used)) != len(used):
            raise self.error(("output",), "two outputs (formats, page, stylesheet) would be "
                                          "written to the same file name")
        if problem := file_url_problem(folder):
            raise self.error(where, f"key {'.'.join(where)!r}: {problem}")
        if is_remote(folder):
            problem = remote_problem(folder)
            if problem:
                raise self.error(where, f"key {'.'.join(where)!r}: {problem}")
            return folder.rstrip("/"), names
        return (self.path.parent / local_folder(folder)).resolve(), names

    def _authors(self) -> tuple[Agent, ...]:
        value = self.get(self.data, ("authors",), list)
        if value is None:
            return ()
        agents = []
        for i, item in enumerate(value):
            where: tuple[str | int, ...] = ("authors", i)
            if not isinstance(item, dict):
                raise self.error(("authors",), "key 'authors' must be an array of tables "
                                               "like {name = \"...\", url = \"...\"}")
            self.unknown_keys(item, _AUTHOR_KEYS, where)
            name = self.string(item, (*where, "name"), required=True)
            assert name is not None
            kind = self.string(item, (*where, "kind")) or AgentKind.UNKNOWN.value
            if kind not in {k.value for k in AgentKind}:
                raise self.error((*where, "kind"), "key 'authors.kind' must be one of "
                                 + ", ".join(k.value for k in AgentKind))
            agents.append(Agent(
                name=name,
                kind=AgentKind(kind),
                url=self.url(item, (*where, "url")),
                email=self.string(item, (*where, "email"), check=_email),
            ))
        return tuple(agents)

    def _text(self) -> tuple[tuple[str, ...], tuple[CreditPatternConfig, ...]]:
        table: dict[str, Any] = self.get(self.data, ("text",), dict) or {}
        self.unknown_keys(table, _TEXT_KEYS, ("text",))
        chrome = self.strings(table, ("text", "chrome")) or ()
        raw = self.get(table, ("text", "credit_patterns"), list) or []
        patterns = []
        roles = {r.value for r in Role}
        for i, item in enumerate(raw):
            where: tuple[str | int, ...] = ("text", "credit_patterns", i)
            if not isinstance(item, dict):
                raise self.error(where, "key 'text.credit_patterns' must be an array of tables "
                                        "like {pattern = \"...\", role = \"photographer\"}")
            self.unknown_keys(item, _PATTERN_KEYS, where)
            pattern = self.string(item, (*where, "pattern"), required=True, check=_credit_regex)
            role = self.string(item, (*where, "role")) or ""
            assert pattern is not None
            if not role and "label" not in re.compile(pattern).groupindex:
                raise self.error((*where, "pattern"), "a credit pattern without 'role' needs a "
                                 "(?P<label>...) group to take the role from")
            if role and role not in roles:
                raise self.error((*where, "role"), f"role {role!r} is not one of "
                                                   + ", ".join(sorted(roles)))
            patterns.append(CreditPatternConfig(pattern, role))
        return chrome, tuple(patterns)


def _dotted(key_path: Sequence[str | int]) -> str:
    return ".".join(k for k in key_path if isinstance(k, str))


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


# No feed format can carry these (XML forbids C0 controls but tab and line breaks, U+FFFE,
# U+FFFF and lone surrogates, which arrive from undecodable command line bytes); C1 controls and
# DEL are allowed by XML 1.0 but are never meant text, only mis-decoded bytes.
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
def control_character(value: str) -> str | None:
    """What is wrong with a text value that holds a character no feed can carry, or None."""
    m = _CONTROL.search(value)
    if m is None:
        return None
    return (f"holds the control character U+{ord(m.group()):04X} at position {m.start() + 1}, "
            "which no feed format can carry")


def url_problem(value: str) -> str | None:
    """What keeps value from being an absolute http(s) link a reader can follow, or None."""
    if (BAD_URL_CHARS.search(value) or BAD_PERCENT.search(value)
            or any(c.isspace() or not c.isprintable() for c in value)):
        return (f"must be an absolute http(s) URL without spaces or unescaped characters, "
                f"not {value!r}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range or not a number
    except ValueError:
        return f"must be an absolute http(s) URL, not {value!r} (malformed)"
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return f"must be an absolute http(s) URL, not {value!r}"
    if not HOST.fullmatch(host if ":" not in host else f"[{host}]"):
        return f"must be an absolute http(s) URL with a valid host name, not {value!r}"
    if idna_host_problem(value):
        return f"must be an absolute http(s) URL with a valid host name, not {value!r}"
    return None


def authority_problem(value: str) -> str | None:
    """What keeps value from being an RFC 4151 tagging authority, or None."""
    if not is_tag_authority(value):
        return (f"must be a tag authority: a domain or e-mail address and a real date, like "
                f"\"example.org,2026\" or \"example.org,2026-03-01\", not {value!r}")
    return None


def _uri(value: str) -> str | None:
    if (not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value) or BAD_URL_CHARS.search(value)
            or BAD_PERCENT.search(value)):
        return (f"must be an absolute URI (a tag: URI or a URL) without spaces or unescaped "
                f"characters, not {value!r}")
    return None


def _zone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, a name too long
        return f"is not a known time zone: {value!r} (want an IANA name like \"Pacific/Auckland\")"
    return None


def language_problem(value: str) -> str | None:
    match = LANGTAG.fullmatch(value)
    if match is None:
        return f"must be a language tag like \"en\" or \"en-NZ\", not {value!r}"
    primary = match["lang"].lower()
    if not is_local_use_language(primary) and primary not in language_codes():
        return f"must be a language tag like \"en\" or \"en-NZ\": {primary!r} is not an ISO " \
               f"639 language code"
    return None


def _email(value: str) -> str | None:
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
        return f"is not an email address: {value!r}"
    return None


def _file_name(value: str) -> str | None:
    if "/" in value or "\\" in value or value in (".", "..") or value.startswith("."):
        return f"must be a plain file name, not {value!r}"
    return None


def _credit_regex(value: str) -> str | None:
    try:
        compiled = re.compile(value)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    if "name" not in compiled.groupindex:
        return "needs a named group (?P<name>...) for the credited name"
    return None
