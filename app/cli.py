"""The command line: `backprop-lens serve` and `backprop-lens backprop request.json`.

`backprop` prints the /api/v1/backprop response for a request file, computed
here by the engine or, with --server, by a running server; the output is the
same either way (indented JSON). Errors go to stderr with a non-zero exit:
1 for a request that cannot be sent or is invalid, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx
import orjson
from pydantic import ValidationError

from engine import DefinitionError

__all__ = ["main"]


class CliError(Exception):
    """A problem worth one line on stderr and exit status 1."""


def _pretty(body: bytes) -> str:
    return orjson.dumps(orjson.loads(body), option=orjson.OPT_INDENT_2).decode()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror})") from None


def backprop_local(body: bytes, path: Path) -> bytes:
    from app.http.errors import validation_message
    from app.settings import Settings
    from app.spec.compute import run_backprop
    from app.spec.requests import BackpropRequest
    from app.wire.convert import dumps, trace_json

    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON: {exc}") from None
    try:
        request = BackpropRequest.model_validate(data)
        trace = run_backprop(request, Settings())
    except ValidationError as exc:
        message, _ = validation_message(exc.errors(include_url=False))
        raise CliError(f"{path}: invalid request: {message}") from None
    except DefinitionError as exc:
        raise CliError(f"{path}: invalid request: {exc.field}: {exc.message}") from None
    return dumps(trace_json(trace))


def backprop_remote(body: bytes, path: Path, server: str) -> bytes:
    url = server.rstrip("/") + "/api/v1/backprop"
    try:
        response = httpx.post(
            url, content=body, headers={"content-type": "application/json"}, timeout=60.0
        )
    except httpx.HTTPError as exc:
        raise CliError(f"cannot reach the server at {server}: {exc}") from None
    if response.status_code != 200:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:200]
        kind = "invalid request" if response.status_code < 500 else "server error"
        raise CliError(f"{path}: {kind} ({response.status_code}): {message}")
    return response.content


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.settings import Settings

    if args.workers > 1 and not Settings().redis_url:
        raise CliError(
            f"--workers {args.workers}: several processes must share their sessions and live "
            "classes; set BACKPROP_LENS_REDIS_URL (e.g. redis://127.0.0.1:6379/0)"
        )
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        reload=args.reload,
        workers=args.workers,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        # Live-class event streams stay open: give them a moment, then close them.
        timeout_graceful_shutdown=5,
    )
    return 0


def _backprop(args: argparse.Namespace) -> int:
    path = Path(args.request)
    body = _read(path)
    out = (
        backprop_local(body, path)
        if args.server is None
        else backprop_remote(body, path, args.server)
    )
    print(_pretty(out))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="backprop-lens", description="See backpropagation happen, step by step."
    )
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the web app and API server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--reload", action="store_true", help="restart when code changes")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (more than 1 needs Redis)"
    )
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-Proto/For from --forwarded-allow-ips (behind a reverse proxy)",
    )
    serve.add_argument(
        "--forwarded-allow-ips", default="127.0.0.1", help="proxies trusted for those headers"
    )
    serve.set_defaults(run=_serve)
    backprop = commands.add_parser(
        "backprop", help="print the trace of one iteration for a request file"
    )
    backprop.add_argument("request", help="a JSON file: the body of POST /api/v1/backprop")
    backprop.add_argument(
        "--server", metavar="URL", help="ask a running server (e.g. http://127.0.0.1:8000)"
    )
    backprop.set_defaults(run=_backprop)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except CliError as exc:
        print(f"backprop-lens: {exc}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
