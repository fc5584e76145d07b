from __future__ import annotations

import pytest
from hypothesis import Phase, settings

from feedwright.model import Entry
from tests.helpers import SEED, read_one


@pytest.fixture
def seed_entry() -> Entry:
    return read_one(SEED)


# Under mutation testing a failing property needs no shrinking to its smallest example: that it
# fails is the answer, and shrinking costs minutes per mutant.
settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate])
