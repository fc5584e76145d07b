"""Publishing to a remote folder through fsspec: sftp against a real OpenSSH server on 127.0.0.1
(tests/sshd.py), and the one-PUT path on fsspec's in-memory store. The same guarantees as a local
folder: the documents a local build publishes, byte for byte; a reader never sees part of one; a
failure leaves the old one whole; clear errors, never a traceback."""

from __future__ import annotations

import errno
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from feedwright.build import RunReport
from feedwright.config import ConfigError, load_feed_config
from feedwright.publish import CannotWrite, Sweep, open_target
from feedwright.publish_remote import RemoteFolder
from tests.helpers import polled
from tests.sshd import Server
from tests.test_build import ARTICLES, article, make_project, only, relative_urls

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def logged_in(sshd: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """This process logs in as the session's user, with its key and known_hosts."""
    return _log_in(sshd, monkeypatch)


def _log_in(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    monkeypatch.setenv("HOME", str(server.home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return server


def project_in(root: Path, **kwargs: Any) -> Any:
    root.mkdir()
    return make_project(root, **kwargs)


def published(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_build_to_sftp_publishes_what_a_local_build_publishes(
        tmp_path: Path, logged_in: Server,
        on_backend: Callable[[Any], Any]) -> None:
    local = project_in(tmp_path / "local")
    assert only(local.build()).ok
    remote = on_backend(project_in(tmp_path / "remote"))
    served = tmp_path / "served"  # the server's folder (the server runs on this machine)
    served.mkdir()
    url = logged_in.url(served)

    result = only(remote.build(out=url))
    assert result.ok, result.errors
    assert published(served) == published(local.public)  # and no temporary file is left
    assert sorted(result.written) == [f"{url}/{n}" for n in sorted(published(served))]

    # The ledger's records of the remote documents make the next run a no-op: nothing written.
    mtimes = {p.name: p.stat().st_mtime_ns for p in served.iterdir()}
    again = only(remote.build(out=url))
    assert again.ok and again.written == [] and len(again.kept) == len(mtimes)
    assert {p.name: p.stat().st_mtime_ns for p in served.iterdir()} == mtimes

    # A document changed on the server behind our back is not trusted: it is written again.
    (served / "news.json").write_bytes(b"{}")
    third = only(remote.build(out=url))
    assert third.written == [f"{url}/news.json"]
    assert published(served) == published(local.public)


def test_an_archived_feed_publishes_its_archive_pages_to_sftp_as_locally(
        tmp_path: Path, logged_in: Server) -> None:
    from tests.test_history import archived_project, story

    (tmp_path / "local").mkdir()
    (tmp_path / "remote").mkdir()
    local, remote = archived_project(tmp_path / "local"), archived_project(tmp_path / "remote")
    served = tmp_path / "served"
    served.mkdir()
    url = logged_in.url(served)
    for project, out in ((local, None), (remote, url)):
        assert only(project.build(out=out)).ok
        project.write("s11.txt", story(11))  # a new story: the archive grows by a page
        project.clock.advance(hours=1)
        assert only(project.build(out=out)).ok
    assert published(served) == published(local.public)
    assert any("-archive-" in name for name in published(served))


def test_a_feed_configured_with_an_sftp_output_publishes_there(
        tmp_path: Path, logged_in: Server) -> None:
    project = make_project(tmp_path)
    served = tmp_path / "served"
    served.mkdir()
    config = project.feeds / "news.toml"
    text = config.read_text().replace('[output]\ndir = "../public"\n', "")
    config.write_text(f'output = "{logged_in.url(served)}"\n' + text)
    assert load_feed_config(config).output_dir == logged_in.url(served)
    assert only(project.build()).ok
    assert sorted(published(served)) == ["news.atom.xml", "news.json", "news.rss.xml"]
    # With a remote output the default ledger sits beside the feed files, not the output.
    assert (project.feeds / ".feedwright-state.sqlite").is_file()


def test_an_output_url_whose_protocol_cannot_replace_atomically_is_refused(
        tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project.feeds / "news.toml"
    config.write_text(config.read_text().replace('dir = "../public"',
                                                 'dir = "ftp://files.example/feeds"'))
    with pytest.raises(ConfigError) as info:
        load_feed_config(config)
    assert "cannot publish to ftp:// urls (no atomic replace)" in str(info.value)
    assert str(config) in str(info.value)


def test_the_one_put_path_publishes_what_a_local_build_publishes(tmp_path: Path) -> None:
    """Object stores (s3, gs, az) take each document in one PUT; fsspec's memory store is one
    such store that needs no server."""
    import fsspec

    store = fsspec.filesystem("memory")
    store.mkdir("/feeds-test")
    local = project_in(tmp_path / "local")
    assert only(local.build()).ok
    remote = project_in(tmp_path / "remote")
    assert only(remote.build(out="memory://feeds-test")).ok
    try:
        assert {Path(p).name: store.cat_file(p) for p in store.ls("/feeds-test", detail=False)
                } == published(local.public)
        assert only(remote.build(out="memory://feeds-test")).written == []
    finally:
        store.rm("/feeds-test", recursive=True)


def _document(n: int) -> bytes:  # v0042|v0042v0042...: whole only if every copy is there
    head = f"v{n:04d}".encode()
    return head + b"|" + head * 60_000  # 300 KB: many sftp packets


#: Reads the document over sftp as fast as it can until told to stop; each read must be whole.
POLLER = """
import json, sys
from pathlib import Path
import fsspec

url, ready, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
fs, path = fsspec.core.url_to_fs(url, known_hosts=())
reads, versions, bad = 0, set(), []
ready.touch()
while not stop.exists():
    try:
        data = fs.cat_file(path)
    except FileNotFoundError:
        bad.append("missing")
        continue
    reads += 1
    head, _, rest = data.partition(b"|")
    if len(head) != 5 or rest != head * 60_000:
        bad.append(f"{len(data)} bytes starting {data[:16]!r}")
    else:
        versions.add(head)
print(json.dumps({"reads": reads, "versions": len(versions), "bad": bad[:5]}))
"""


def test_a_reader_polling_over_sftp_during_rewrites_never_sees_a_partial_document(
        tmp_path: Path, logged_in: Server) -> None:
    served = tmp_path / "served"
    served.mkdir()
    target = open_target(logged_in.url(served))

    def publish(n: int) -> None:
        temp = target.stage("feed.xml", _document(n))
        assert temp is not None
        target.replace_staged(temp, "feed.xml")

    publish(0)
    with polled(POLLER, logged_in.url(served / "feed.xml"), env=logged_in.client_env()) as report:
        for n in range(1, 60):
            publish(n)
    assert report["bad"] == []
    assert report["versions"] >= 2, report  # it did read while the rewrites went on
    assert sorted(os.listdir(served)) == ["feed.xml"]


def test_a_reader_polling_over_sftp_during_repeated_builds_sees_only_whole_feeds(
        tmp_path: Path, logged_in: Server) -> None:
    project = make_project(tmp_path, articles={"a.txt": article("Long read", "word " * 60_000)})
    served = tmp_path / "served"
    served.mkdir()
    url = logged_in.url(served)
    assert only(project.build(out=url)).ok
    poll_json = POLLER.replace(
        '    head, _, rest = data.partition(b"|")\n'
        '    if len(head) != 5 or rest != head * 60_000:\n',
        '    try:\n        head = json.loads(data)["items"][0]["title"]\n'
        '    except ValueError:\n        head = None\n'
        '    if head is None:\n')
    with polled(poll_json, f"{url}/news.json", env=logged_in.client_env()) as report:
        for n in range(1, 8):
            project.write("a.txt", article(f"Long read, take {n}", "word " * 60_000))
            project.clock.advance(minutes=1)
            assert only(project.build(out=url)).written
    assert report["bad"] == []
    assert report["versions"] >= 2, report


class FailingAt:
    """The real sftp file system, with one step failing as a dying server's disk fails it."""

    def __init__(self, fs: Any, step: str) -> None:
        self._fs, self.step = fs, step

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fs, name)

    def open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        if self.step == "write" and "w" in mode:
            raise OSError(errno.EIO, "Input/output error")
        return self._fs.open(path, mode, **kwargs)

    def mv(self, src: str, dst: str) -> None:
        if self.step == "rename":
            raise OSError(errno.EIO, "Input/output error")
        self._fs.mv(src, dst)


class Recording(FailingAt):
    """The real sftp file system, with each fsync of a staged file and each rename noted."""

    def __init__(self, fs: Any) -> None:
        super().__init__(fs, "")
        self.calls: list[tuple[str, str]] = []

    def open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        handle = self._fs.open(path, mode, **kwargs)
        if "w" in mode:
            real_fsync = handle.fsync

            def fsync() -> None:
                real_fsync()
                self.calls.append(("fsync", Path(path).name))

            handle.fsync = fsync
        return handle

    def mv(self, src: str, dst: str) -> None:
        self.calls.append(("rename", f"{Path(src).name} -> {Path(dst).name}"))
        self._fs.mv(src, dst)


def test_the_staged_bytes_are_synced_on_the_server_before_the_rename(
        tmp_path: Path, logged_in: Server) -> None:
    served = tmp_path / "served"
    served.mkdir()
    real = open_target(logged_in.url(served))
    assert isinstance(real, RemoteFolder)
    fs = Recording(real._fs)
    target = RemoteFolder(fs, str(served), "sftp://test", "rename", owner="pg42")
    temp = target.stage("feed.xml", _document(1))
    assert temp is not None
    target.replace_staged(temp, "feed.xml")
    (synced, renamed) = fs.calls
    assert synced[0] == "fsync" and synced[1].startswith(".feedwright-feed.xml.pg42-")
    assert renamed == ("rename", f"{synced[1]} -> feed.xml")
    assert (served / "feed.xml").read_bytes() == _document(1)


def test_stale_temps_on_sftp_go_by_the_same_rules_as_in_a_local_folder(
        tmp_path: Path, logged_in: Server) -> None:
    served = tmp_path / "served"
    served.mkdir()
    names = {
        ".feedwright-a.json.pg1-x1.tmp": "swept",  # its own document: whoever staged it
        ".feedwright-a.json.y2.tmp": "swept",
        ".feedwright-feedwright.xsl.pg2-z3.tmp": "swept",  # worker pg2 is dead
        ".feedwright-feedwright.xsl.pg1-w4.tmp": "stale",  # pg1 is alive: in use
        ".feedwright-b.json.v5.tmp": "stale",  # another feed's, no owner named: not ours
        "feed.xml": "kept", "draft.tmp": "kept", ".feedwright-notes": "kept",  # not temp names
    }
    for name in names:
        (served / name).write_bytes(b"half")
    target = open_target(logged_in.url(served))
    assert target.remove_stale_temps(Sweep(frozenset({"a.json"}), lambda: frozenset({"pg1"}))) == 3
    assert sorted(p.name for p in served.iterdir()) == sorted(
        n for n, fate in names.items() if fate != "swept")
    assert target.remove_stale_temps() == 2
    assert sorted(p.name for p in served.iterdir()) == sorted(
        n for n, fate in names.items() if fate == "kept")


def test_a_discarded_staging_leaves_no_file_on_sftp_nor_locally(
        tmp_path: Path, logged_in: Server) -> None:
    import fsspec

    served = tmp_path / "served"
    served.mkdir()
    on_sftp = open_target(logged_in.url(served))
    temp = on_sftp.stage("feed.xml", _document(1))
    assert temp is not None and len(list(served.iterdir())) == 1
    on_sftp.discard_staged(temp)
    assert list(served.iterdir()) == []
    one_put = RemoteFolder(fsspec.filesystem("memory"), "/feeds-discard", "memory://", "put")
    assert one_put.remove_stale_temps() == 0  # staged locally: nothing on the store to sweep
    temp = one_put.stage("feed.xml", _document(1))
    assert temp is not None and Path(temp).exists()
    one_put.discard_staged(temp)
    assert not Path(temp).exists()
    one_put.discard_staged(temp)  # already gone: harmless


def test_staging_tells_where_a_copy_on_this_machine_holds_the_bytes(
        tmp_path: Path, logged_in: Server) -> None:
    """The hook a build hands its validation workers through (publish.OnStaged): a local folder
    and an object store (staged in a local file) name a file holding the bytes by then; sftp,
    which keeps no copy here, says None before it uploads; a document already current, nothing."""
    import fsspec

    served = tmp_path / "served"
    served.mkdir()
    targets = {"local": open_target(f"file://{tmp_path / 'local'}"),
               "sftp": open_target(logged_in.url(served)),
               "put": RemoteFolder(fsspec.filesystem("memory"), "/feeds-hook", "memory://", "put")}
    told: list[tuple[str | None, bytes | None, int]] = []

    def written(path: str | None) -> None:  # what is there when told, and on the server
        told.append((path, None if path is None else Path(path).read_bytes(),
                     len(list(served.iterdir()))))

    for kind, target in targets.items():
        told.clear()
        on_server = len(list(served.iterdir()))

        temp = target.stage("feed.xml", _document(1), written)
        assert temp is not None
        if kind == "sftp":
            assert told == [(None, None, on_server)]  # before the upload began
        else:
            assert told == [(temp, _document(1), on_server)], kind
        target.replace_staged(temp, "feed.xml")
        told.clear()
        assert target.stage("feed.xml", _document(1), written) is None and told == [], kind


def test_an_sftp_document_is_fingerprinted_by_its_size_and_whole_second_mtime(
        tmp_path: Path, logged_in: Server) -> None:
    served = tmp_path / "served"
    served.mkdir()
    target = open_target(logged_in.url(served))
    assert target.fingerprint("feed.xml") is None
    temp = target.stage("feed.xml", _document(1))
    assert temp is not None and target.fingerprint("feed.xml") is None  # staged, not published
    target.replace_staged(temp, "feed.xml")
    os.utime(served / "feed.xml", ns=(1_700_000_000_250_000_000, 1_700_000_000_750_000_000))
    assert target.fingerprint("feed.xml") == (len(_document(1)), 1_700_000_000_000_000_000)


@pytest.mark.parametrize("step", ["write", "rename"])
def test_a_failure_on_the_server_leaves_the_old_remote_document_whole(
        tmp_path: Path, logged_in: Server, step: str) -> None:
    served = tmp_path / "served"
    served.mkdir()
    good = open_target(logged_in.url(served))
    assert isinstance(good, RemoteFolder)
    temp = good.stage("feed.xml", _document(1))
    assert temp is not None
    good.replace_staged(temp, "feed.xml")
    failing = RemoteFolder(FailingAt(good._fs, step), str(served), "sftp://test", "rename")
    with pytest.raises(OSError) as info:
        temp = failing.stage("feed.xml", _document(2))
        assert temp is not None
        failing.replace_staged(temp, "feed.xml")
    assert info.value.errno == errno.EIO
    assert (served / "feed.xml").read_bytes() == _document(1)
    assert sorted(os.listdir(served)) == ["feed.xml"]  # the temporary file is gone


def test_a_failed_build_leaves_the_old_remote_feed_whole_and_its_leftovers_go(
        tmp_path: Path, logged_in: Server) -> None:
    project = make_project(tmp_path)
    served = tmp_path / "served"
    served.mkdir()
    url = logged_in.url(served)
    assert only(project.build(out=url)).ok
    before = published(served)
    # A killed build's leftover, then a build whose documents fail validation.
    (served / ".feedwright-news.json.0123abcd.tmp").write_bytes(b"half")
    project.write("a.txt", ARTICLES["a.txt"].replace("Sunday", "Monday"))
    project.clock.advance(hours=1)
    failed = only(project.build(out=url, reader=relative_urls))
    assert failed.errors and failed.written == []
    assert published(served) == before  # the leftover went, the old documents are whole
    assert only(project.build(out=url)).updated == 1  # nothing was recorded either


def build_cli(root: Path, out: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "feedwright", "build", "-o", out],
                          cwd=root, capture_output=True, text=True, check=False, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def cli_project(tmp_path: Path, sshd: Server) -> Iterator[Path]:
    project = make_project(tmp_path)
    (tmp_path / "served").mkdir()
    yield project.root


@pytest.mark.parametrize(("case", "reason"), [
    ("unreachable", "cannot connect: Connect call failed"),
    ("no such user", "cannot connect: Permission denied for user nobody"),
    ("unknown host key", "cannot connect: Host key is not trusted"),
    ("missing folder", "there is no folder"),
])
def test_a_remote_output_that_cannot_be_reached_is_a_clear_error(
        cli_project: Path, sshd: Server, tmp_path: Path, case: str, reason: str) -> None:
    served = cli_project / "served"
    url, env = sshd.url(served).replace("@", ":hunter2@", 1), sshd.client_env()
    if case == "unreachable":
        closed = _closed_port()
        url = url.replace(f":{sshd.port}/", f":{closed}/")
    elif case == "no such user":
        url = sshd.url(served, user="nobody")
    elif case == "unknown host key":
        (tmp_path / "stranger" / ".ssh").mkdir(parents=True)
        env = sshd.client_env(tmp_path / "stranger")
    else:
        url = url + "/not-there"
    run = build_cli(cli_project, url, env)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    shown = url.replace(":hunter2@", ":***@")
    assert f"error: cannot write {shown}: {reason}" in run.stderr, run.stderr
    assert "hunter2" not in run.stderr + run.stdout
    assert os.listdir(served) == []


@pytest.mark.parametrize(("case", "reason"), [
    ("unreachable", "cannot connect: Connect call failed"),
    ("no such user", "cannot connect: Permission denied for user nobody"),
    ("unknown host key", "cannot connect: Host key is not trusted"),
    ("missing folder", "there is no folder"),
    ("no protocol we publish to", "cannot publish to ftp:// urls (no atomic replace)"),
])
def test_a_remote_folder_that_cannot_be_reached_is_refused_with_the_reason(
        tmp_path: Path, logged_in: Server, monkeypatch: pytest.MonkeyPatch, case: str,
        reason: str) -> None:
    """The build's refusal above, in this process: what the mutation run can see."""
    served = tmp_path / "served"
    served.mkdir()
    url = logged_in.url(served).replace("@", ":hunter2@", 1) + "/"
    if case == "unreachable":
        url = url.replace(f":{logged_in.port}/", f":{_closed_port()}/")
    elif case == "no such user":
        url = logged_in.url(served, user="nobody")
    elif case == "unknown host key":
        (tmp_path / "stranger" / ".ssh").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(tmp_path / "stranger"))
        # fsspec keeps one filesystem per url and options in a process: an earlier test's
        # connection, trusted under the session's HOME, would be handed back
        from sshfs import SSHFileSystem

        SSHFileSystem.clear_instance_cache()
    elif case == "missing folder":
        url = url + "not-there"
    else:
        url = url.replace("sftp://", "ftp://", 1)
    with pytest.raises(CannotWrite) as caught:
        open_target(url)
    shown = url.replace(":hunter2@", ":***@").rstrip("/")
    assert str(caught.value).startswith(f"cannot write {shown}: {reason}"), str(caught.value)
    assert os.listdir(served) == []


def test_a_remote_folder_opened_without_an_owner_names_none_in_its_temporary_files(
        tmp_path: Path, logged_in: Server) -> None:
    from feedwright.publish import staged_by
    from feedwright.publish_remote import open_remote

    served = tmp_path / "served"
    served.mkdir()
    target = open_remote(logged_in.url(served))
    temp = target.stage("feed.xml", b"<feed/>")
    assert temp is not None
    name = PurePosixPath(temp).name
    assert staged_by(name) is None, name
    assert re.fullmatch(r"\.feedwright-feed\.xml\.[0-9a-f]+\.tmp", name), name
    target.discard_staged(temp)
    assert os.listdir(served) == []


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_the_remote_folder_is_named_in_the_run_report(tmp_path: Path, logged_in: Server) -> None:
    project = make_project(tmp_path)
    served = tmp_path / "served"
    served.mkdir()
    report: RunReport = project.build(out=logged_in.url(served), dry_run=True)
    result = only(report)
    assert sorted(result.written) == [f"{logged_in.url(served)}/{n}"
                              for n in ("news.atom.xml", "news.json", "news.rss.xml")]
    assert os.listdir(served) == []  # a dry run writes nothing


def test_workers_on_one_postgresql_ledger_publish_to_sftp_what_one_local_worker_does(
        tmp_path: Path, logged_in: Server, postgres: Any) -> None:
    """Many machines, one ledger, one remote folder: the deployment remote targets are for."""
    from tests.test_workers import finish, make_newsroom, one_worker_alone, worker

    root = make_newsroom(tmp_path / "shared", feeds=6)
    served = tmp_path / "served"
    served.mkdir()
    url = postgres.new_database("remote_workers")
    reports = [finish(p) for p in [worker(root, url, "-o", logged_in.url(served))
                                   for _ in range(2)]]
    built = [f["name"] for r in reports for f in r["feeds"] if f["written"]]
    assert sorted(built) == [f"f{n:02}" for n in range(6)]  # each feed once between them
    assert published(served) == one_worker_alone(tmp_path, postgres.new_database("remote_alone"),
                                                  feeds=6)


def test_a_build_to_a_local_folder_imports_no_remote_library(tmp_path: Path) -> None:
    from tests.test_lazy_imports import imported

    make_project(tmp_path)
    modules = imported("build", "--quiet", cwd=tmp_path)
    assert "feedwright.publish" in modules  # it did publish
    assert not [m for m in modules
                if m.split(".")[0] in ("fsspec", "sshfs", "asyncssh", "paramiko")
                or m == "feedwright.publish_remote"]


@pytest.mark.parametrize(("missing", "says"), [
    ("fsspec", "publishing to a url needs fsspec: pip install 'feedwright[remote]'"),
    ("sshfs", "publishing over sftp needs sshfs: pip install 'feedwright[remote]'"),
])
def test_a_remote_output_without_its_library_says_what_to_install(
        tmp_path: Path, missing: str, says: str) -> None:
    """As on a machine where the extra was never installed (the module made unimportable)."""
    make_project(tmp_path)
    script = (f"import sys; sys.modules[{missing!r}] = None; sys.argv = ['feedwright', 'build',"
              f" '-o', 'sftp://feeds@127.0.0.1:1/srv']; from feedwright.cli import main; main()")
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, check=False, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"error: cannot write sftp://feeds@127.0.0.1:1/srv: {says}" in run.stderr


def test_an_object_store_without_its_fsspec_package_is_named(tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed here")
    make_project(tmp_path)
    run = build_cli(tmp_path, "s3://feeds-bucket/news", dict(os.environ))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "error: cannot write s3://feeds-bucket/news: Install s3fs to access S3" in run.stderr
    with pytest.raises(CannotWrite, match=r"^cannot write s3://feeds-bucket/news: Install s3fs"):
        open_target("s3://feeds-bucket/news/")  # in this process too (the mutation run sees it)


@pytest.fixture
def logged_in_without_fsync(sftpd_without_fsync: Server,
                            monkeypatch: pytest.MonkeyPatch) -> Server:
    """This process logs in to the sftp server that has no fsync@openssh.com (tests/sftpd.py)."""
    return _log_in(sftpd_without_fsync, monkeypatch)


def _fsync_over_sftp(server: Server, path: Path) -> None:
    """Open `path` for writing on the server and fsync it, as asyncssh's own client does."""
    import asyncio

    import asyncssh

    async def run() -> None:
        async with asyncssh.connect(
                "127.0.0.1", server.port, username=server.user,
                client_keys=[str(server.home / ".ssh" / "id_ed25519")],
                known_hosts=str(server.home / ".ssh" / "known_hosts")) as conn, \
                conn.start_sftp_client() as sftp, sftp.open(str(path), "wb") as handle:
            await handle.write(b"probe")
            await handle.fsync()

    asyncio.run(run())


def test_a_server_without_fsync_is_published_to_renamed_unsynced(
        tmp_path: Path, logged_in_without_fsync: Server) -> None:
    """publish_remote's promise for a server without fsync@openssh.com: the staged file is
    renamed unsynced, atomic still, and the build publishes what a local build does."""
    from asyncssh import SFTPOpUnsupported

    served = tmp_path / "served"
    served.mkdir()
    with pytest.raises(SFTPOpUnsupported):  # the server really has no fsync
        _fsync_over_sftp(logged_in_without_fsync, served / "probe")
    (served / "probe").unlink()

    local = project_in(tmp_path / "local")
    remote = project_in(tmp_path / "remote")
    url = logged_in_without_fsync.url(served)
    for project, out in ((local, None), (remote, url)):
        result = only(project.build(out=out))
        assert result.ok, result.errors
    assert published(served) == published(local.public)  # and no temporary file is left
    for project, out in ((local, None), (remote, url)):  # a rewrite, over the old documents
        project.write("a.txt", ARTICLES["a.txt"].replace("Sunday", "Monday"))
        project.clock.advance(hours=1)
        result = only(project.build(out=out))
        assert result.ok and result.updated == 1, result.errors
    assert published(served) == published(local.public)


def test_a_login_that_may_not_use_sftp_is_refused_with_the_reason(
        tmp_path: Path, logged_in_without_fsync: Server) -> None:
    """A host that lets us log in but offers no sftp: refused when the folder is looked at,
    saying so, never "there is no folder"."""
    from tests.sftpd import NO_SFTP_USER

    served = tmp_path / "served"
    served.mkdir()
    url = logged_in_without_fsync.url(served, user=NO_SFTP_USER)
    with pytest.raises(CannotWrite) as caught:
        open_target(url)
    assert str(caught.value).startswith(f"cannot write {url}: cannot look at the folder: "), \
        str(caught.value)
    assert "there is no folder" not in str(caught.value)
    assert os.listdir(served) == []


def test_a_build_to_a_login_that_may_not_use_sftp_is_a_clear_error(
        cli_project: Path, sftpd_without_fsync: Server) -> None:
    from tests.sftpd import NO_SFTP_USER

    served = cli_project / "served"
    url = sftpd_without_fsync.url(served, user=NO_SFTP_USER)
    run = build_cli(cli_project, url, sftpd_without_fsync.client_env())
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert f"error: cannot write {url}: cannot look at the folder: " in run.stderr, run.stderr
    assert os.listdir(served) == []
