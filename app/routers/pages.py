"""HTML pages and static assets: the step view at `/`, and `/static`.

Every HTML response carries a Content-Security-Policy that allows only this
app's own origin. The page's import map is inline, so its sha256 goes into
script-src; the hash is computed from the exact text the template renders.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.classroom.codes import normalise_code

__all__ = ["KATEX_VERSION", "content_security_policy", "import_map", "mount_static", "router"]

ROOT = FilePath(__file__).resolve().parents[2]
templates = Jinja2Templates(directory=ROOT / "templates")
router = APIRouter(include_in_schema=False)

# A slim Python's mimetypes lacks woff2, which KaTeX's fonts use.
mimetypes.add_type("font/woff2", ".woff2")

# The vendored KaTeX release (static/vendor/katex-<version>/, see fetch-katex.sh).
KATEX_VERSION = "0.19.1"


def import_map() -> str:
    """The page's import map, as the exact text placed inside its <script> tag."""
    imports = {"katex": f"/static/vendor/katex-{KATEX_VERSION}/katex.min.mjs"}
    return json.dumps({"imports": imports}, separators=(",", ":"))


def _sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(inline_scripts: list[str]) -> str:
    """Only 'self', plus the hashes of the page's inline scripts (the import map).

    style-src needs 'unsafe-inline' because KaTeX writes inline style attributes
    (sizes and offsets of every glyph box) into the markup it generates.
    """
    script_src = " ".join(["'self'", *(_sha256_source(s) for s in inline_scripts)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _page(
    request: Request, name: str, context: dict[str, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    imap = import_map()
    response = templates.TemplateResponse(
        request,
        name,
        {"import_map": imap, "katex_version": KATEX_VERSION, **(context or {})},
        status_code=status_code,
    )
    response.headers["Content-Security-Policy"] = content_security_policy([imap])
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The step view: one iteration of backpropagation, step by step."""
    return _page(request, "index.html")


@router.get("/class/{code}", response_class=HTMLResponse)
def class_page(request: Request, code: Annotated[str, Path(max_length=32)]) -> HTMLResponse:
    """A live class, followed read-only: the step view fed by the class's event stream."""
    normal = normalise_code(code)
    if normal is None:  # not a code at all; the page still says so in words
        return _page(request, "class.html", {"code": code.upper()}, status_code=404)
    return _page(request, "class.html", {"code": normal})


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
