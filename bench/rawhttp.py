"""HTTP/1.1 over raw asyncio sockets, for the load generators of bench/api.py and
bench/classroom.py: a client library would cost more CPU than the server under test."""

from __future__ import annotations

import asyncio

__all__ = ["read_response", "request_bytes"]


def request_bytes(method: str, path: str, body: bytes = b"", host: str = "127.0.0.1") -> bytes:
    """A keep-alive request, with a JSON body when there is one (or for any POST)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n"
    if body or method == "POST":
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and the body of one response with a Content-Length."""
    status = int((await reader.readline()).split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)
