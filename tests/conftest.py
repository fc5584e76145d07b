from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, settings

from feedwright.model import Entry
from tests import sftpd as sftpd_server
from tests import sshd as sshd_server
from tests.helpers import SEED, read_one
from tests.postgres import SHARED_ENV as SHARED_POSTGRES
from tests.postgres import Server, start_server
from tests.servers import session_server


@pytest.fixture
def seed_entry() -> Entry:
    return read_one(SEED)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """One real PostgreSQL server for the whole session (tests/postgres.py), or for a whole
    mutation run (tests/servers.py)."""
    yield from session_server(SHARED_POSTGRES, Server, start_server)


@pytest.fixture(scope="session")
def sshd() -> Iterator[sshd_server.Server]:
    """One real OpenSSH server for the whole session (tests/sshd.py), or for a whole mutation
    run (tests/servers.py)."""
    yield from session_server(sshd_server.SHARED_ENV, sshd_server.Server,
                              sshd_server.start_server)


@pytest.fixture(scope="session")
def sftpd_without_fsync() -> Iterator[sshd_server.Server]:
    """One real sftp server that is not OpenSSH and has no fsync@openssh.com (tests/sftpd.py),
    for the whole session or a whole mutation run."""
    yield from session_server(sftpd_server.SHARED_ENV, sshd_server.Server,
                              sftpd_server.start_server)


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres: Server) -> Iterator[str]:
    """A fresh, empty database on the session's server: its url, password and all."""
    name = f"feedwright_test_{os.getpid()}_{next(_databases)}"
    yield postgres.new_database(name)
    if SHARED_POSTGRES in os.environ:  # a session's own server goes with its folder
        postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def state_for(backend: str, request: pytest.FixtureRequest) -> Callable[[Path], str]:
    """Where a test's ledger lives on the back end it runs against: a SQLite file beside the
    given folder, or a fresh PostgreSQL database (the same one for every call in a test)."""
    if backend == "sqlite":
        return lambda folder: str(folder / ".feedwright-state.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return lambda folder: url


@pytest.fixture
def on_backend(backend: str, state_for: Callable[[Path], str]) -> Callable[[Any], Any]:
    """Point a test_build.Project at the ledger of the back end the test runs on (SQLite: its
    default file)."""
    def point(project: Any) -> Any:
        project.state = None if backend == "sqlite" else state_for(project.root)
        return project

    return point


# Under mutation testing a failing property needs no shrinking to its smallest example: that it
# fails is the answer, and shrinking costs minutes per mutant. Fewer examples too: a deliberate
# bug in what a property guards fails nearly every example, and each surviving mutant runs the
# whole property (test_escaping's 60 examples were ~90 s of every emit mutant's time).
settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          max_examples=10)
