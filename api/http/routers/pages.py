"""The map application's page and the service's health."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from api.http import csp
from api.http.assets import web_dir
from api.http.deps import ConnDep
from api.schemas.meta import Health
from api.services import mapdata

router = APIRouter()
SWAGGER = "/static/vendor/swagger-ui"  # vendored swagger-ui-dist: the docs work offline too


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The map application."""
    return FileResponse(web_dir() / "static" / "index.html", media_type="text/html")


@router.get("/api/v1/health", tags=["meta"])
def health(conn: ConnDep) -> Health:
    """Report whether the database answers and how much data it holds."""
    return mapdata.health(conn)


@router.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    """The interactive API documentation, allowed exactly its own inline script."""
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Rajapiste API",
        oauth2_redirect_url="/docs/oauth2-redirect",
        swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
    )
    return csp.html_page(bytes(page.body).decode())


@router.get("/docs/oauth2-redirect", include_in_schema=False)
def docs_redirect() -> HTMLResponse:
    """The docs' OAuth2 redirect page (inline script allowed by its hash)."""
    return csp.html_page(bytes(get_swagger_ui_oauth2_redirect_html().body).decode())
