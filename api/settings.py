"""The one settings object, read from RAJAPISTE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from geo import property_id

_SOURCE_ROOT = Path(__file__).resolve().parent.parent
RULESETS_DIR = Path(__file__).resolve().parent / "rulesets"


def _default_state_dir() -> Path:
    # In a source checkout the embedded cluster lives beside the code (.rajapiste/ of the
    # clone); an installed wheel has no checkout, so it uses the working directory.
    if (_SOURCE_ROOT / "pyproject.toml").exists():
        return _SOURCE_ROOT / ".rajapiste"
    return Path.cwd() / ".rajapiste"


SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


class Settings(BaseSettings):
    """Service configuration; every field can be set as RAJAPISTE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="RAJAPISTE_", extra="ignore")

    # An existing PostGIS (postgresql+psycopg://...). Unset: the embedded cluster.
    database_url: str | None = None
    # The owner's URL for migrations and imports when the service's (above) may not change
    # the schema (README "Least privilege"); unset: the service's URL is used for both.
    migrate_database_url: str | None = None
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
    # The proxies whose X-Forwarded-For names the client (comma-separated addresses, uvicorn's
    # forwarded_allow_ips): behind a reverse proxy (or Docker's port mapping) every client
    # would else share the proxy's address, and so its sign-in and rate-limit budgets.
    forwarded_allow_ips: str = "127.0.0.1"
    default_municipality: str = "091"
    rulesets_dir: Path = RULESETS_DIR
    max_site_area_m2: float = 2_000_000.0
    # Background map (README "Background maps"): none by default (the map works offline).
    # basemap_tms WebMercatorQuad: basemap_url is an XYZ template ({s}, {z}, {x}, {y});
    # ETRS-TM35FIN: a WMTS REST template in EPSG:3067 on the JHS 180 / NLS tile matrix
    # ({z} TileMatrix, {y} TileRow, {x} TileCol), and the whole map runs in EPSG:3067.
    basemap_url: str | None = None
    basemap_attribution: str = ""
    basemap_tms: Literal["WebMercatorQuad", "ETRS-TM35FIN"] = "WebMercatorQuad"
    basemap_max_level: int = Field(default=15, ge=0, le=19)  # the WMTS's deepest TileMatrix
    # The map snaps a drawn corner to a boundary only this close on the ground (and only when
    # the user asks): Lupapiste merges points closer than 0.3 m; pixels would move drawings by metres.
    snap_distance_m: float = Field(default=0.3, gt=0, le=5)

    # Accounts and sign-in (issue 10). Tokens are opaque; they expire and sign-out revokes them.
    token_ttl_minutes: int = Field(default=480, ge=5, le=7 * 24 * 60)
    # Failed sign-ins allowed in the window: per account over every address (guesses spread
    # over many addresses), per account from one client address (a stranger's wrong passwords
    # lock the account for the stranger's address alone), and per client address.
    sign_in_window_minutes: int = Field(default=15, ge=1)
    sign_in_max_failures_account: int = Field(default=50, ge=1)
    sign_in_max_failures_account_address: int = Field(default=5, ge=1)
    sign_in_max_failures_address: int = Field(default=20, ge=1)
    password_min_length: int = Field(default=12, ge=8)
    # OpenID Connect seam (api/services/identity.py): a municipality's identity provider.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_uri: str | None = None

    # Privacy (domain.md N9): how long the audit trail and withdrawn drafts' personal data are kept.
    audit_retention_days: int = Field(default=730, ge=1)
    withdrawn_retention_days: int = Field(default=90, ge=0)

    # Application attachments (issue 11): checked by their content's type and by size; the
    # request itself must stay under max_body_bytes.
    attachment_max_bytes: int = Field(default=4_000_000, ge=1024)

    # OGC API - Features at /ogc (issue 15), served by pygeoapi from the ogc views.
    # The public address of /ogc when a proxy changes it (links are made from the request else).
    ogc_url: str | None = None
    # Output and bbox CRSs offered besides OGC:CRS84 and the storage CRS (EPSG:3067).
    ogc_crs: str = "4326,3879"
    ogc_page_size: int = Field(default=100, ge=1)  # items per page when limit is not given
    ogc_max_items: int = Field(default=10_000, ge=1)  # a larger limit is cut to this

    # HTTP safety: CORS is closed unless origins are listed (comma-separated).
    cors_origins: str = ""
    max_body_bytes: int = Field(default=5_000_000, ge=1024)

    # Reliability (issue 14): limits on what one request may cost, and how faults are answered.
    max_vertices: int = Field(default=20_000, ge=100)  # coordinate positions in one JSON body
    max_parts: int = Field(default=500, ge=1)  # polygon rings (parts and holes) in one JSON body
    max_nesting: int = Field(default=24, ge=8)  # JSON arrays/objects inside each other
    max_bbox_pixels: int = Field(default=16_384, ge=256)  # a map layer's bbox side at its zoom
    statement_timeout_ms: int = Field(default=15_000, ge=100)  # per statement, the service's
    pool_timeout_s: float = Field(default=5.0, gt=0)  # wait for a pooled connection, then 503
    # A pooled connection idle this long is pinged before use (a firewall or a failed-over
    # address may have dropped it without a word); one used more recently is checked by its
    # socket alone (storage/engine.py).
    pool_ping_after_idle_s: float = Field(default=10.0, ge=0)
    # Requests that use the database wait (without holding a worker thread) for one of the
    # pool's connections at most this long, then 503: threads never block on the pool.
    queue_timeout_s: float = Field(default=30.0, gt=0)
    db_connect_timeout_s: int = Field(default=3, ge=1)
    retry_after_s: int = Field(default=5, ge=1)  # Retry-After of a 503
    # Expensive endpoints (neighbours, analysis, hearing, dig checks, layers): a token bucket
    # per client (its bearer token, else its address), `rate_limit_per_minute` refilled,
    # `rate_limit_burst` at once.
    rate_limit_per_minute: int = Field(default=120, ge=1)
    rate_limit_burst: int = Field(default=40, ge=1)
    # Signed-in requests count against their token's bucket and also, together, against a
    # bucket of their address this many times larger (an office's officers behind one address):
    # tokens made up for each request get no more than that.
    rate_limit_address_factor: int = Field(default=10, ge=1)
    # Where rate-limit buckets and read-your-writes times live when several processes serve:
    # a file all of them map (`rajapiste serve --workers N` makes one); unset: in the process.
    worker_state_file: Path | None = None
    # The service's public address (https://kartta.kunta.fi) for the absolute links of printed
    # hearing packages; unset: root-relative links. Never taken from the request's Host header.
    public_url: str | None = None
    # Hot-standby replicas for read-only requests (comma-separated URLs; api/http/reads.py).
    read_database_urls: str = ""
    read_your_writes_s: float = Field(default=10.0, ge=0)  # a writer's reads stay on the primary
    replica_down_s: float = Field(default=5.0, gt=0)  # a replica that failed is skipped this long
    # A replica whose data is further behind the primary's than this is out of turn until it
    # catches up (api/http/reads.py LagWatch).
    replica_max_lag_s: float = Field(default=30.0, gt=0)
    access_log: bool = True  # one JSON line per request on stderr (logger rajapiste.access)

    @field_validator("database_url", "migrate_database_url")
    @classmethod
    def _check_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(SCHEMES):
            name = f"RAJAPISTE_{(info.field_name or 'database_url').upper()}"
            raise ValueError(f"{name} must be postgresql+psycopg://user:pw@host/db")
        return value

    @field_validator("read_database_urls")
    @classmethod
    def _check_read_urls(cls, value: str) -> str:
        for n, url in enumerate((u.strip() for u in value.split(",")), 1):
            if url and not url.startswith(SCHEMES):
                raise ValueError(
                    "RAJAPISTE_READ_DATABASE_URLS must list postgresql+psycopg://user:pw@host/db"
                    f" URLs separated by commas (URL {n} is not one)"
                )
        return value

    @field_validator("default_municipality")
    @classmethod
    def _check_municipality(cls, value: str) -> str:
        code = property_id.municipality_code(value)
        if code is None:
            raise ValueError("RAJAPISTE_DEFAULT_MUNICIPALITY must be a municipality code like 091")
        return code

    @field_validator("ogc_crs")
    @classmethod
    def _check_ogc_crs(cls, value: str) -> str:
        codes = [c.strip().upper().removeprefix("EPSG:") for c in value.split(",") if c.strip()]
        if not all(c.isdigit() for c in codes):
            raise ValueError("RAJAPISTE_OGC_CRS must list EPSG codes, e.g. 4326,3879")
        return ",".join(codes)

    def ogc_crs_codes(self) -> list[int]:
        """The EPSG codes /ogc offers besides CRS84 and EPSG:3067, in the configured order."""
        return [int(c) for c in self.ogc_crs.split(",") if c and int(c) != 3067]

    def read_url_list(self) -> list[str]:
        """The replicas' URLs (RAJAPISTE_READ_DATABASE_URLS), in order."""
        return [u.strip() for u in self.read_database_urls.split(",") if u.strip()]

    def cors_origin_list(self) -> list[str]:
        """The origins CORS allows (none unless RAJAPISTE_CORS_ORIGINS lists them)."""
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, built on first use."""
    return Settings()
