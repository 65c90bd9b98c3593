"""Who is asking: the client address that per-client limits count against.

By default the connection's own address (the ASGI `client`). Behind reverse
proxies that append to X-Forwarded-For, `trusted_proxies` = n takes the
address the n-th proxy from the app saw (the n-th entry from the right): the
entries before it are whatever the client chose to send, so trusting more
hops than there are proxies would let any client pick its address.
"""

from __future__ import annotations

from starlette.types import Scope

__all__ = ["client_address"]


def client_address(scope: Scope, trusted_proxies: int = 0) -> str:
    if trusted_proxies > 0:
        forwarded = b",".join(v for k, v in scope.get("headers", ()) if k == b"x-forwarded-for")
        hops = [part.strip() for part in forwarded.decode("latin-1").split(",") if part.strip()]
        if hops:
            return hops[-min(trusted_proxies, len(hops))]
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
