"""HTML pages and static assets: the step view at `/`, a live class at `/class/{code}`,
the join page at `/join`, a printable worksheet at `/worksheet?seed=N`, and `/static`.

Every HTML response carries a Content-Security-Policy that allows only this
app's own origin. The page's import map is inline, so its sha256 goes into
script-src; the hash is computed from the exact text the template renders.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
from os import PathLike
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.responses import Response
from starlette.types import Scope

from app.classroom.codes import normalise_code
from app.spec.requests import MAX_SEED

__all__ = [
    "KATEX_VERSION",
    "STATIC_PREFIX",
    "content_security_policy",
    "import_map",
    "mount_static",
    "router",
]

ROOT = FilePath(__file__).resolve().parents[2]
templates = Jinja2Templates(directory=ROOT / "templates")
router = APIRouter(include_in_schema=False)

# A slim Python's mimetypes lacks woff2, which KaTeX's fonts use.
mimetypes.add_type("font/woff2", ".woff2")

# The vendored KaTeX release (static/vendor/katex-<version>/, see fetch-katex.sh).
KATEX_VERSION = "0.19.1"


def static_version(root: FilePath) -> str:
    """A digest of every file under static/: it changes whenever one of them does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Pages load their assets from /static/v/<digest>/…: a browser may keep those for a year
# without asking again (a changed file is a new digest, so a new URL), while the pages
# themselves are revalidated on every load. Module imports are relative, so a page's
# whole module graph comes from the same version.
STATIC_VERSION = static_version(ROOT / "static")
STATIC_PREFIX = f"/static/v/{STATIC_VERSION}"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def import_map() -> str:
    """The page's import map, as the exact text placed inside its <script> tag."""
    imports = {"katex": f"{STATIC_PREFIX}/vendor/katex-{KATEX_VERSION}/katex.min.mjs"}
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
        {
            "import_map": imap,
            "katex_version": KATEX_VERSION,
            "static": STATIC_PREFIX,
            **(context or {}),
        },
        status_code=status_code,
    )
    response.headers["Content-Security-Policy"] = content_security_policy([imap])
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = REVALIDATE
    return response


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The step view: one iteration of backpropagation, step by step."""
    return _page(request, "index.html")


@router.get("/join", response_class=HTMLResponse)
def join_page(request: Request, code: Annotated[str, Query(max_length=32)] = "") -> HTMLResponse:
    """Type a live class's join code (`code` fills it in): the page checks it with the API
    and opens /class/{code}, or says why not."""
    return _page(request, "join.html", {"code": code})


@router.get("/worksheet", response_class=HTMLResponse)
def worksheet_page(
    request: Request, seed: Annotated[int, Query(ge=0, le=MAX_SEED)] = 1
) -> HTMLResponse:
    """A printable worksheet for the problem POST /api/v1/exercises draws from `seed`, with its
    answer key on a page of its own (the page fetches both from the API)."""
    return _page(request, "worksheet.html", {"seed": str(seed)})


@router.get("/class/{code}", response_class=HTMLResponse)
def class_page(request: Request, code: Annotated[str, Path(max_length=32)]) -> HTMLResponse:
    """A live class, followed read-only: the step view fed by the class's event stream."""
    normal = normalise_code(code)
    if normal is None:  # not a code at all; the page still says so in words
        return _page(request, "class.html", {"code": code.upper()}, status_code=404)
    return _page(request, "class.html", {"code": normal})


class _CachedStatic(StaticFiles):
    """Static files with one Cache-Control for all of them."""

    def __init__(self, cache_control: str, directory: FilePath) -> None:
        super().__init__(directory=directory)
        self.cache_control = cache_control

    def file_response(
        self, full_path: PathLike[str] | str, stat_result: os.stat_result, scope: Scope,
        status_code: int = 200,
    ) -> Response:  # fmt: skip
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = self.cache_control
        return response


def mount_static(app: FastAPI) -> None:
    static = ROOT / "static"
    app.mount(STATIC_PREFIX, _CachedStatic(IMMUTABLE, static), name="static-versioned")
    # Unversioned too (the API's /docs page, old links): asked again on every use.
    app.mount("/static", _CachedStatic(REVALIDATE, static), name="static")
