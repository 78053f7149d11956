"""The one settings object, read from RAJAPISTE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_SOURCE_ROOT = Path(__file__).resolve().parent.parent
RULESETS_DIR = Path(__file__).resolve().parent / "rulesets"


def _default_state_dir() -> Path:
    # In a source checkout the embedded cluster lives beside the code (.rajapiste/ of the
    # clone); an installed wheel has no checkout, so it uses the working directory.
    if (_SOURCE_ROOT / "pyproject.toml").exists():
        return _SOURCE_ROOT / ".rajapiste"
    return Path.cwd() / ".rajapiste"


class Settings(BaseSettings):
    """Service configuration; every field can be set as RAJAPISTE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="RAJAPISTE_", extra="ignore")

    # An existing PostGIS (postgresql+psycopg://...). Unset: the embedded cluster.
    database_url: str | None = None
    state_dir: Path = _default_state_dir()
    db_port: int = 55432
    db_name: str = "rajapiste"
    pool_size: int = 8
    # Set on every connection the service opens, so that its queries do not depend on how
    # the server is tuned: JIT compiles cheap spatial queries for tens of milliseconds, and
    # index scans on SSD storage cost about as much as sequential reads.
    db_session_options: str = "-c jit=off -c random_page_cost=1.1"
    host: str = "127.0.0.1"
    port: int = 8000
    default_municipality: str = "091"
    rulesets_dir: Path = RULESETS_DIR
    max_site_area_m2: float = 2_000_000.0
    basemap_url: str | None = None
    basemap_attribution: str = ""

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            raise ValueError("RAJAPISTE_DATABASE_URL must be postgresql+psycopg://user:pw@host/db")
        return value

    @field_validator("default_municipality")
    @classmethod
    def _check_municipality(cls, value: str) -> str:
        if not (value.isdigit() and len(value) <= 3):
            raise ValueError("RAJAPISTE_DEFAULT_MUNICIPALITY must be a municipality code like 091")
        return value.zfill(3)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, built on first use."""
    return Settings()
