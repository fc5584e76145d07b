"""One server for many test sessions. A mutation run (benchmarks/mutation.py) runs a pytest
session for every mutant, and a session starts its own PostgreSQL (initdb) and sshd when a test
asks for one: seconds that every ledger or publish mutant paid again, most of a surviving one's
time. The run starts each server once and names it in the environment; the session fixtures
(tests/conftest.py) use a server named there rather than start one."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, get_type_hints

S = TypeVar("S")


def session_server(env: str, kind: type[S], start: Callable[[], Iterator[S]]) -> Iterator[S]:
    """The server `env` names (a JSON object of `kind`'s fields), else one started for this
    session and stopped after it."""
    named = os.environ.get(env)
    if not named:
        yield from start()
        return
    types = get_type_hints(kind)
    yield kind(**{field: types[field](value) for field, value in json.loads(named).items()})


def naming(env: str, server: Any) -> dict[str, str]:
    """The environment that names `server` (a dataclass of paths, numbers and strings)."""
    return {env: json.dumps({k: str(v) for k, v in dataclasses.asdict(server).items()})}
