"""A real PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder, once per test
session, on a free 127.0.0.1 port (password auth) and a private unix socket folder (trust).

PostgreSQL refuses to run as root, so under root (CI, this machine) the server runs as the
`postgres` system user the Debian package creates, or else `nobody`. Where no server binaries are
installed the tests that need one skip, saying why; with FEEDWRIGHT_REQUIRE_POSTGRES=1 (set by
.ci/run) they fail instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

REQUIRE_ENV = "FEEDWRIGHT_REQUIRE_POSTGRES"
#: Names a server already running, for every session of a mutation run (tests/servers.py).
SHARED_ENV = "FEEDWRIGHT_TEST_POSTGRES"
USER = "feedwright"
PASSWORD = "s3cret-test-pw"


@dataclass(frozen=True)
class Server:
    socket_dir: Path
    port: int

    def url(self, database: str = "postgres", password: bool = True) -> str:
        """A TCP url (what a deployment writes), with the password."""
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> str:
        """A conninfo over the unix socket, trusted: for creating databases."""
        return f"host={self.socket_dir} port={self.port} user={USER} dbname=postgres"

    def new_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin(), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(quote(name))

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin(), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for_claims_released(url: str) -> None:
    """A killed worker's server session ends when the server sees its socket close; wait for
    that (its advisory locks go with it) rather than for a guessed time."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        for _ in range(600):
            row = db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                             " AND pid <> pg_backend_pid() AND database = (SELECT oid FROM"
                             " pg_database WHERE datname = current_database())").fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError("the killed worker's claims were never released")


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(Path(p).parent.parent.name))
    return Path(versions[-1]).parent if versions else None


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostgreSQL required ({REQUIRE_ENV}=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason} (apt-get install postgresql)")


def _run_as() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server() -> Iterator[Server]:
    """Start one server; stop it and remove its folder after."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed")
    bin_dir = _bin_dir()
    if bin_dir is None:
        _unavailable("no PostgreSQL server binaries (initdb, pg_ctl) found")
        return
    user = _run_as()
    if os.geteuid() == 0 and user is None:
        _unavailable("running as root and no unprivileged user to run the server as")
    root = Path(tempfile.mkdtemp(prefix="feedwright-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    root.chmod(0o755)
    if user is not None:
        for path in (root, sockets, pwfile):
            os.chown(path, user.pw_uid, user.pw_gid)

    def run(*args: str) -> None:
        command = [str(bin_dir / args[0]), *args[1:]]
        if user is not None:
            command = ["runuser", "-u", user.pw_name, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=root)

    port = _free_port()
    try:
        run("initdb", "-D", str(data), "-U", USER, "--pwfile", str(pwfile), "-E", "UTF8",
            "--locale", "C", "--auth-local", "trust", "--auth-host", "scram-sha-256",
            "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(root / "log"), "-w", "-o",
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -F -c max_connections=100",
            "start")
    except subprocess.CalledProcessError as exc:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"the server did not start: {exc.stderr.decode(errors='replace')} {log}")
    try:
        yield Server(sockets, port)
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
