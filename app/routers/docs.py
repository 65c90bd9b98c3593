"""/docs: Swagger UI for the OpenAPI schema, served entirely by the app (works offline).

FastAPI's default /docs loads Swagger UI from a CDN; this one loads the copy
vendored under static/vendor/swagger-ui-dist-<version>/ (static/vendor/
fetch-swagger-ui.sh fetches it again). The page's start-up script is a file
too, not inline, so the page runs under a Content-Security-Policy of 'self'.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse

__all__ = ["SWAGGER_UI_VERSION", "router"]

SWAGGER_UI_VERSION = "5.35.0"
_VENDOR = f"/static/vendor/swagger-ui-dist-{SWAGGER_UI_VERSION}"

router = APIRouter(include_in_schema=False)

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Backprop Lens API</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{_VENDOR}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{_VENDOR}/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""

_INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null,
  tryItOutEnabled: true,
});
"""


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    return HTMLResponse(_PAGE)


@router.get("/docs/init.js")
def docs_init() -> Response:
    return Response(_INIT, media_type="text/javascript")
