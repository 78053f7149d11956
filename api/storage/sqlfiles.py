"""Named queries and migrations, read from the `sql` package's data files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause


def _folder(name: str) -> Traversable:
    return resources.files("sql").joinpath(name)


@lru_cache(maxsize=256)
def script(name: str) -> str:
    """Return the text of sql/queries/<name>.sql (a plain, possibly multi-statement script)."""
    path = _folder("queries").joinpath(f"{name}.sql")
    if not path.is_file():
        raise KeyError(f"no named query sql/queries/{name}.sql")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=256)
def query(name: str) -> TextClause:
    """Return sql/queries/<name>.sql as a statement with :named bind parameters."""
    return text(script(name))


def migrations() -> list[tuple[str, str]]:
    """Return (version, sql) of every numbered migration, in order."""
    files = sorted(
        (
            f
            for f in _folder("migrations").iterdir()
            if f.name.endswith(".sql") and f.name[:4].isdigit()
        ),
        key=lambda f: f.name,
    )
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]
