"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from api import db, errors
from api.routers import analysis, excavations, neighbours, web
from api.settings import WEB_DIR, Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the app; the engine is opened in the lifespan, not at import."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = db.make_engine(settings)
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="Rajapiste",
        version="0.1.0",
        description="Spatial permit service for Finnish municipalities: neighbour lists, "
        "site analysis and street-excavation checks computed on PostGIS.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(neighbours.router)
    app.include_router(excavations.router)
    app.include_router(analysis.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")

    @app.get("/api/v1/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Report whether the database answers and how much data it holds."""
        with app.state.engine.connect() as conn:
            parcels = conn.execute(text("SELECT count(*) FROM parcel")).scalar_one()
        return {"status": "ok", "parcels": parcels}

    return app
