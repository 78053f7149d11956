"""Where the web package's files are (package data, read as files, never imported as code)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=1)
def web_dir() -> Path:
    """The installed `web` folder (static assets and templates)."""
    return Path(str(resources.files("web")))
