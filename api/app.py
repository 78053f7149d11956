"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.gcpause import service_collector
from api.http import errors, faults, limits, observe, reads, security
from api.http.assets import web_dir
from api.http.routers import (
    analysis,
    application_hearing,
    applications,
    audit,
    auth,
    excavations,
    geometry,
    health,
    hearing,
    maps,
    neighbours,
    ogc,
    pages,
    reports,
    tiles,
)
from api.schemas.problem import document_problems
from api.settings import Settings, get_settings
from api.storage.engine import make_engine

# The order routes are matched in: each request is tried against the routes one by one, so
# the requests that come by the thousand (map tiles, neighbour lists, site analysis, dig
# checks) come first. No path of one router matches another's (tests/api/test_routes.py), so
# the order decides no request; the OpenAPI document lists the paths in this order.
ROUTERS = (
    tiles,
    neighbours,
    analysis,
    excavations,
    health,
    auth,
    hearing,
    applications,
    application_hearing,
    maps,
    geometry,
    audit,
    reports,
    ogc,
    pages,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the app; the engine is opened in the lifespan, not at import."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = make_engine(settings, service=True)
        app.state.read_engines = reads.engines(settings, app.state.engine)
        lag = reads.watch(app)
        try:
            with service_collector():
                yield
        finally:
            if lag:
                lag.stop()
            app.state.engine.dispose()
            for eng in app.state.read_engines:
                eng.dispose()

    app = FastAPI(
        title="Rajapiste",
        version="0.1.0",
        description="Spatial permit service for Finnish municipalities: neighbour lists, "
        "site analysis and street-excavation checks computed on PostGIS.",
        lifespan=lifespan,
        docs_url=None,  # served by pages.py under the app's content security policy
        redoc_url=None,
    )
    errors.install(app)
    faults.install(app)
    limits.install(app, settings)  # inside the body limit and the security headers
    reads.install(app, settings)  # a read that fails on a replica is retried on the primary
    security.install(app, settings)  # the body limit bounds what a read-only POST keeps
    observe.install(app, settings)  # outermost: sees every response, 413 and 500 included
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=web_dir() / "static"), name="static")
    _document_errors_as_problems(app)
    return app


def _document_errors_as_problems(app: FastAPI) -> None:
    """Show every error response in OpenAPI as the application/problem+json document it is."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
