from __future__ import annotations

import pytest

from feedwright.model import Entry
from tests.helpers import SEED, read_one


@pytest.fixture
def seed_entry() -> Entry:
    return read_one(SEED)
