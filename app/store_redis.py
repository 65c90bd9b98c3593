"""A SessionStore in Redis, shared by any number of app processes on any number of hosts.

Keys (under the configured prefix, "bpl:" by default):

    s:<id>       the session, encoded by app.session_codec; expires after the TTL
    lock:<id>    the per-session lock: a random token, set while a request holds it
    lru          sorted set: id → last use (Redis server time, ms)
    sizes        hash: id → bytes of its blob
    bytes        the sum of `sizes`

Two Lua scripts do the work, one round trip each, so that every process sees
the same TTL, cap and byte budget (Redis's own clock, no skew between hosts):
`open` takes the lock and reads the blob (and the session's live-class code);
`close` writes the blob back (only if it changed), publishes the session's new
state to its class if the request changed it (app.classes_redis's keys), refreshes
the TTL, evicts expired and least recently used sessions, and releases the lock.
While one request holds a session's lock, another (from any process) waits for
it, so no update is lost.

A small per-process cache keeps the decoded Session for the latest blob it saw:
when Redis still holds that exact blob, the Session (and its cached trace) is
reused instead of decoded again.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

from app.classes import change_mark, follower_state, same_mark
from app.classes_redis import PUBLISH_FUNCTION
from app.errors import ApiError
from app.session_codec import decode_session, encode_session
from app.sessions import Session
from app.store import SessionNotFoundError, SessionStore, new_session_id

__all__ = ["RedisSessionStore"]

# KEYS: lock, blob, class code of the session. ARGV: token, lock ttl (ms).
# → {0} unknown, {1, blob, class code or nil} locked, {2} busy.
_OPEN = """
if redis.call('EXISTS', KEYS[2]) == 0 then return {0} end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}
end
return {2}
"""

# Expire idle sessions, then evict least recently used ones (never ARGV keep) until within
# the cap and the byte budget. Shared by `close` and `add`.
_FIT = """
local function fit(lru, sizes, total, prefix, now, ttl, max_sessions, max_bytes, keep)
  local function drop(id)
    local size = tonumber(redis.call('HGET', sizes, id) or '0')
    redis.call('ZREM', lru, id)
    redis.call('HDEL', sizes, id)
    redis.call('DECRBY', total, size)
    redis.call('DEL', prefix .. 's:' .. id)
  end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', lru, '-inf', now - ttl)) do
    if id ~= keep then drop(id) end
  end
  while true do
    local count = redis.call('ZCARD', lru)
    local bytes = tonumber(redis.call('GET', total) or '0')
    if count <= max_sessions and bytes <= max_bytes then break end
    local oldest = redis.call('ZRANGE', lru, 0, 1)
    local victim = oldest[1]
    if victim == keep then victim = oldest[2] end
    if victim == nil then break end
    drop(victim)
  end
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000  -- ms, to the µs: fewer ties
end
"""

# KEYS: lock, blob, lru, sizes, bytes, class, class history, class code of the session.
# ARGV: token, id, blob ('' = unchanged), ttl ms, max sessions, max bytes, prefix,
# event data ('' = none), class history length, class channel.
# → 1 kept, 0 the session was deleted or evicted meanwhile.
_CLOSE = (
    _FIT
    + PUBLISH_FUNCTION
    + """
local kept = 0
if redis.call('EXISTS', KEYS[2]) == 1 then
  kept = 1
  local now = now_ms()
  if ARGV[3] ~= '' then
    local old = tonumber(redis.call('HGET', KEYS[4], ARGV[2]) or '0')
    redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
    redis.call('HSET', KEYS[4], ARGV[2], string.len(ARGV[3]))
    redis.call('INCRBY', KEYS[5], string.len(ARGV[3]) - old)
  else
    redis.call('PEXPIRE', KEYS[2], ARGV[4])
  end
  redis.call('ZADD', KEYS[3], now, ARGV[2])
  fit(KEYS[3], KEYS[4], KEYS[5], ARGV[7], now, tonumber(ARGV[4]), tonumber(ARGV[5]),
      tonumber(ARGV[6]), ARGV[2])
  if ARGV[8] ~= '' then
    publish_event(KEYS[6], KEYS[7], KEYS[8], 'state', ARGV[8], ARGV[9], ARGV[4], ARGV[10])
  end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return kept
"""
)

# KEYS: blob, lru, sizes, bytes. ARGV: id, blob, ttl ms, max sessions, max bytes, prefix.
_ADD = (
    _FIT
    + """
local now = now_ms()
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], string.len(ARGV[2]))
redis.call('INCRBY', KEYS[4], string.len(ARGV[2]))
fit(KEYS[2], KEYS[3], KEYS[4], ARGV[6], now, tonumber(ARGV[3]), tonumber(ARGV[4]),
    tonumber(ARGV[5]), ARGV[1])
return 1
"""
)

# KEYS: blob, lru, sizes, bytes. ARGV: id. → 1 deleted, 0 unknown.
_DELETE = """
local existed = redis.call('DEL', KEYS[1])
local size = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('DECRBY', KEYS[4], size)
return existed
"""

# KEYS: lru, sizes, bytes. ARGV: ttl ms, max sessions, max bytes, prefix. → live sessions.
_COUNT = (
    _FIT
    + """
fit(KEYS[1], KEYS[2], KEYS[3], ARGV[4], now_ms(), tonumber(ARGV[1]), tonumber(ARGV[2]),
    tonumber(ARGV[3]), '')
return redis.call('ZCARD', KEYS[1])
"""
)


class RedisSessionStore(SessionStore):
    def __init__(
        self,
        client: redis.Redis,
        ttl_seconds: float,
        max_sessions: int,
        max_bytes: int,
        prefix: str = "bpl:",
        lock_seconds: float = 300.0,
        wait_seconds: float = 60.0,
        cache_size: int = 256,
        class_history: int = 100,
    ) -> None:
        self.client = client
        self.ttl_ms = max(1, int(ttl_seconds * 1000))
        self.max_sessions = max_sessions
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.lock_ms = int(lock_seconds * 1000)
        self.wait_seconds = wait_seconds
        self.class_history = class_history
        self._open = client.register_script(_OPEN)
        self._close = client.register_script(_CLOSE)
        self._add = client.register_script(_ADD)
        self._delete = client.register_script(_DELETE)
        self._count = client.register_script(_COUNT)
        self._shared = [prefix + "lru", prefix + "sizes", prefix + "bytes"]
        self._cache: OrderedDict[str, tuple[bytes, Session]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    def _limits(self) -> list[Any]:
        return [self.ttl_ms, self.max_sessions, self.max_bytes, self.prefix]

    def __len__(self) -> int:
        return int(self._count(keys=self._shared, args=self._limits()))

    def _remember(self, session_id: str, blob: bytes, session: Session) -> None:
        with self._cache_lock:
            self._cache[session_id] = (blob, session)
            self._cache.move_to_end(session_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _recall(self, session_id: str, blob: bytes) -> Session:
        with self._cache_lock:
            cached = self._cache.get(session_id)
        if cached is not None and cached[0] == blob:
            return cached[1]
        session = decode_session(blob)
        self._remember(session_id, blob, session)
        return session

    def add(self, session: Session) -> str:
        session_id = new_session_id()
        blob = encode_session(session)
        keys = [self.prefix + "s:" + session_id, *self._shared]
        self._add(keys=keys, args=[session_id, blob, *self._limits()])
        self._remember(session_id, blob, session)
        return session_id

    def _acquire(self, session_id: str, token: str) -> tuple[bytes, str | None]:
        keys = [
            self.prefix + "lock:" + session_id,
            self.prefix + "s:" + session_id,
            self.prefix + "sc:" + session_id,
        ]
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.0005
        while True:
            reply = self._open(keys=keys, args=[token, self.lock_ms])
            if reply[0] == 0:
                raise SessionNotFoundError(session_id)
            if reply[0] == 1:
                blob: bytes = reply[1]
                code = reply[2]
                return blob, (code.decode() if isinstance(code, bytes) else None)
            if time.monotonic() > deadline:
                raise ApiError(
                    409,
                    "conflict",
                    f"session {session_id[:8]}… is busy with another request for more than "
                    f"{self.wait_seconds:g} s; try again",
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.02)

    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        token = secrets.token_hex(16)
        blob, code = self._acquire(session_id, token)
        new_blob = b""
        event = b""
        try:
            session = self._recall(session_id, blob)
            before = change_mark(session)
            try:
                yield session
            finally:
                if code is not None and not same_mark(before, change_mark(session)):
                    event = follower_state(session)
                encoded = encode_session(session)
                if encoded != blob:
                    new_blob = encoded
                    self._remember(session_id, encoded, session)
        finally:
            code = code or "-"
            keys = [
                self.prefix + "lock:" + session_id,
                self.prefix + "s:" + session_id,
                *self._shared,
                self.prefix + "c:" + code,
                self.prefix + "ch:" + code,
                self.prefix + "sc:" + session_id,
            ]
            args = [token, session_id, new_blob, *self._limits()]
            args += [event, self.class_history, self.prefix + "ev:" + code]
            self._close(keys=keys, args=args)

    def delete(self, session_id: str) -> None:
        with self._cache_lock:
            self._cache.pop(session_id, None)
        keys = [self.prefix + "s:" + session_id, *self._shared]
        if not self._delete(keys=keys, args=[session_id]):
            raise SessionNotFoundError(session_id)
