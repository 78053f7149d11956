"""The import tests' second database, which `rajapiste import` (cli_import) writes to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from api.storage.engine import make_engine
from api.storage.migrations import migrate
from tests.conftest import recreate_database

TARGET = "rajapiste_test_import"


@pytest.fixture(scope="module")
def target(settings: Any) -> Iterator[Engine]:
    """An empty, migrated database of its own for each test module."""
    if settings.database_url:
        pytest.skip("a second database is made only in the embedded cluster")
    recreate_database(settings, TARGET)
    eng = make_engine(settings.model_copy(update={"db_name": TARGET}))
    migrate(eng)
    yield eng
    eng.dispose()
