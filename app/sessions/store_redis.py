"""A SessionStore in Redis, shared by any number of app processes on any number of hosts.

Keys (under the configured prefix, "bpl:" by default):

    s:<id>       the session's base (data set, initial network, sizes: app.sessions.codec),
                 written once when the session is made
    m:<id>       hash: the session's fields (cursor, configuration, one field per kept
                 start, costs and evaluations in chunks: app.sessions.codec), and `v`, a
                 version that grows by one with every write
    lock:<id>    the per-session lock: a random token, set while a request holds it
    lru          sorted set: id → last use (Redis server time, ms)
    sizes        hash: id → bytes of its base and fields
    bytes        the sum of `sizes`
    owners       hash: id → the client address that made it
    held         hash: client address → how many sessions it holds

s:<id> and m:<id> expire together, after the TTL. Two Lua scripts do the work,
one round trip each, so that every process sees the same TTL, cap and byte
budget (Redis's own clock, no skew between hosts): `open` takes the lock and
reads the version (and the session's live-class code), and the fields and base
only if this process does not hold that version already; `close` writes the
fields that changed and removes those that went, publishes the session's new
state to its class if the request changed it (app.classroom.store_redis's keys),
refreshes the TTL of both keys, evicts expired sessions and, to stay within the
cap and the budget, idle ones (as app.sessions.store: never one with a live class,
sc:<id>, nor one used within the pin time; the owner holding the most first),
and releases the lock. `add` refuses a session (StoreFullError) when every
session kept is in use. While one request holds a session's lock, another (from
any process) waits for it, so no update is lost.

A per-process cache keeps, per session, the decoded base (it never changes)
and the Session of the latest version this process read or wrote: when Redis
still holds that version, the Session (and its cached trace) is reused and
nothing but the version is read. Stepping within an iteration then writes one
small field; finishing an iteration adds a start and the tail of the costs.

A session whose records do not decode (written by an older format before an
upgrade, or damaged) is deleted and reported as ended: the client starts anew.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis

from app.classroom.store_redis import PUBLISH_FUNCTION
from app.errors import ConflictError, SessionNotFoundError, StoreFullError
from app.sessions.codec import (
    Base,
    CodecError,
    Fields,
    decode_base,
    decode_fields,
    encode_base,
    encode_fields,
)
from app.sessions.publishing import ChangeEvents
from app.sessions.session import Session, same_mark
from app.sessions.store import SessionStore, new_session_id

__all__ = ["RedisSessionStore"]

log = logging.getLogger(__name__)

# KEYS: lock, base, fields, class code of the session. ARGV: token, lock ttl (ms), the version
# this process holds ('' none), '1' to read the base.
# → {0} unknown, {1, class code or nil, version, base or nil, fields or nil} locked, {2} busy.
# The fields (HGETALL: name, value, …) come only when the version is not the one held.
_OPEN = """
if redis.call('EXISTS', KEYS[2], KEYS[3]) < 2 then return {0} end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local version = redis.call('HGET', KEYS[3], 'v')
  local fields = false
  if version ~= ARGV[3] then fields = redis.call('HGETALL', KEYS[3]) end
  local base = false
  if ARGV[4] == '1' then base = redis.call('GET', KEYS[2]) end
  return {1, redis.call('GET', KEYS[4]), version, base, fields}
end
return {2}
"""

# Expire sessions past their TTL, then evict idle ones (no live class: no sc:<id>; unused for
# `pin` ms) until within the cap and the byte budget with `extra_count` and `extra_bytes`
# more: of the owner holding the most sessions first, least recently used first; never
# `keep`. → false when the sessions in use alone are over. Shared by `close`, `add`, `count`.
_FIT = """
local function drop(lru, sizes, total, prefix, id)
  local size = tonumber(redis.call('HGET', sizes, id) or '0')
  redis.call('ZREM', lru, id)
  redis.call('HDEL', sizes, id)
  redis.call('DECRBY', total, size)
  redis.call('DEL', prefix .. 's:' .. id, prefix .. 'm:' .. id)
  local owner = redis.call('HGET', prefix .. 'owners', id)
  if owner then
    redis.call('HDEL', prefix .. 'owners', id)
    if redis.call('HINCRBY', prefix .. 'held', owner, -1) <= 0 then
      redis.call('HDEL', prefix .. 'held', owner)
    end
  end
end
local function victim(lru, prefix, now, pin, keep)
  local best, most = nil, -1
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', lru, '-inf', now - pin)) do
    if id ~= keep and redis.call('EXISTS', prefix .. 'sc:' .. id) == 0 then
      local owner = redis.call('HGET', prefix .. 'owners', id) or ''
      local held = tonumber(redis.call('HGET', prefix .. 'held', owner) or '0')
      if held > most then best, most = id, held end
    end
  end
  return best
end
local function fit(lru, sizes, total, prefix, now, ttl, max_sessions, max_bytes, keep, pin,
                   extra_count, extra_bytes)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', lru, '-inf', now - ttl)) do
    if id ~= keep then drop(lru, sizes, total, prefix, id) end
  end
  while true do
    local count = redis.call('ZCARD', lru) + extra_count
    local bytes = tonumber(redis.call('GET', total) or '0') + extra_bytes
    if count <= max_sessions and bytes <= max_bytes then return true end
    local id = victim(lru, prefix, now, pin, keep)
    if id == nil then return false end
    drop(lru, sizes, total, prefix, id)
  end
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000  -- ms, to the µs: fewer ties
end
-- ARGV[first … last]: field names to remove, then name, value pairs to write.
local function write_fields(key, first, removed, last)
  for i = first, first + removed - 1, 200 do
    redis.call('HDEL', key, unpack(ARGV, i, math.min(i + 199, first + removed - 1)))
  end
  for i = first + removed, last, 200 do
    redis.call('HSET', key, unpack(ARGV, i, math.min(i + 199, last)))
  end
end
"""

# KEYS: lock, base, fields, lru, sizes, bytes, class, class history, class code of the session.
# ARGV: token, id, new version ('' = unchanged), bytes of base and fields, ttl ms,
# max sessions, max bytes, prefix, event data ('' = none), class history length,
# class channel, number of fields removed, event kind, pin ms, then the removed fields'
# names, then name, value pairs.
# → 1 kept, 0 the session was deleted or evicted meanwhile.
_CLOSE = (
    _FIT
    + PUBLISH_FUNCTION
    + """
local kept = 0
if redis.call('EXISTS', KEYS[3]) == 1 then
  kept = 1
  local now = now_ms()
  if ARGV[3] ~= '' then
    write_fields(KEYS[3], 15, tonumber(ARGV[12]), #ARGV)
    redis.call('HSET', KEYS[3], 'v', ARGV[3])
    local old = tonumber(redis.call('HGET', KEYS[5], ARGV[2]) or '0')
    redis.call('HSET', KEYS[5], ARGV[2], ARGV[4])
    redis.call('INCRBY', KEYS[6], tonumber(ARGV[4]) - old)
  end
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
  redis.call('ZADD', KEYS[4], now, ARGV[2])
  -- (sessions in use may grow past the budget: none is evicted for it)
  fit(KEYS[4], KEYS[5], KEYS[6], ARGV[8], now, tonumber(ARGV[5]), tonumber(ARGV[6]),
      tonumber(ARGV[7]), ARGV[2], tonumber(ARGV[14]), 0, 0)
  if ARGV[9] ~= '' then
    publish_event(KEYS[7], KEYS[8], KEYS[9], ARGV[13], ARGV[9], ARGV[10], ARGV[5], ARGV[11])
  end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return kept
"""
)

# KEYS: base, fields, lru, sizes, bytes. ARGV: id, base, ttl ms, max sessions, max bytes,
# prefix, bytes of base and fields, pin ms, owner, then name, value pairs (the version among
# them). → {1} kept, {0, ms until the first session in use turns idle} no room.
_ADD = (
    _FIT
    + """
local now = now_ms()
local size = tonumber(ARGV[7])
local room = fit(KEYS[3], KEYS[4], KEYS[5], ARGV[6], now, tonumber(ARGV[3]), tonumber(ARGV[4]),
                 tonumber(ARGV[5]), '', tonumber(ARGV[8]), 1, size)
-- A lone session larger than the budget is still kept when nothing else is.
if not room and redis.call('ZCARD', KEYS[3]) > 0 then
  local first = redis.call('ZRANGEBYSCORE', KEYS[3], now - tonumber(ARGV[8]), '+inf',
                           'WITHSCORES', 'LIMIT', 0, 1)
  local wait = tonumber(ARGV[8])
  if first[2] then wait = tonumber(first[2]) + tonumber(ARGV[8]) - now end
  return {0, math.ceil(wait)}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
write_fields(KEYS[2], 10, 0, #ARGV)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], now, ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], size)
redis.call('INCRBY', KEYS[5], size)
redis.call('HSET', ARGV[6] .. 'owners', ARGV[1], ARGV[9])
redis.call('HINCRBY', ARGV[6] .. 'held', ARGV[9], 1)
return {1}
"""
)

# KEYS: base, fields, lru, sizes, bytes. ARGV: id, prefix. → 1 deleted, 0 unknown.
_DELETE = (
    _FIT
    + """
local existed = redis.call('DEL', KEYS[1], KEYS[2])
drop(KEYS[3], KEYS[4], KEYS[5], ARGV[2], ARGV[1])
if existed > 0 then return 1 end
return 0
"""
)

# KEYS: lru, sizes, bytes. ARGV: ttl ms, max sessions, max bytes, prefix, pin ms.
# → live sessions.
_COUNT = (
    _FIT
    + """
fit(KEYS[1], KEYS[2], KEYS[3], ARGV[4], now_ms(), tonumber(ARGV[1]), tonumber(ARGV[2]),
    tonumber(ARGV[3]), '', tonumber(ARGV[5]), 0, 0)
return redis.call('ZCARD', KEYS[1])
"""
)


class _Runner:
    """Runs the store's two per-request scripts over connections it keeps itself.

    redis-py's per-command path (pool checkout and return, retry wrapper, metrics)
    costs about 80 µs of CPU a call here, as much as the Redis side of a step: the
    scripts go straight to a kept connection instead. Like redis-py, a connection
    error is tried once more on a new connection; a script Redis does not know
    yet (NOSCRIPT: a restarted Redis) is sent in full.
    """

    def __init__(self, client: redis.Redis) -> None:
        pool = client.connection_pool
        connection_class: Any = pool.connection_class
        kwargs = pool.connection_kwargs
        self._new: Callable[[], Any] = lambda: connection_class(**kwargs)
        self._idle: list[Any] = []  # list.pop and append are atomic: no lock needed

    def __call__(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            connection = self._idle.pop()
        except IndexError:
            connection = self._new()
        try:
            try:
                reply = self._run(connection, script, keys, args)
            except (redis.ConnectionError, redis.TimeoutError):
                connection.disconnect()  # the next command connects again
                reply = self._run(connection, script, keys, args)
        except BaseException:
            connection.disconnect()  # (a reply may be left unread)
            raise
        self._idle.append(connection)
        return reply

    @staticmethod
    def _run(connection: Any, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
            return connection.read_response()
        except redis.exceptions.NoScriptError:
            connection.send_command("EVAL", script.script, len(keys), *keys, *args)
            return connection.read_response()


@dataclass(frozen=True, eq=False)
class _Cached:
    """What this process knows of a session: its base, and its Session at `version`."""

    base: Base
    base_size: int
    version: int
    session: Session
    fields: Fields


def _flat(pairs: dict[bytes, bytes]) -> list[bytes]:
    return [part for pair in pairs.items() for part in pair]


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
        events: ChangeEvents | None = None,
        pin_seconds: float = 0.0,
    ) -> None:
        self.client = client
        # A session used this recently, or with a live class, is never evicted for another.
        self.pin_ms = int(pin_seconds * 1000)
        self.pin_seconds = pin_seconds
        # What a session's class receives of its changes; None: sessions have no classes.
        self.events = events
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
        self._run = _Runner(client)
        self._shared = [prefix + "lru", prefix + "sizes", prefix + "bytes"]
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    def _limits(self) -> list[Any]:
        return [self.ttl_ms, self.max_sessions, self.max_bytes, self.prefix]

    def __len__(self) -> int:
        return int(self._count(keys=self._shared, args=[*self._limits(), self.pin_ms]))

    def _keys(self, session_id: str) -> list[str]:
        return [self.prefix + "s:" + session_id, self.prefix + "m:" + session_id]

    def _remember(self, session_id: str, cached: _Cached) -> None:
        with self._cache_lock:
            self._cache[session_id] = cached
            self._cache.move_to_end(session_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _forget(self, session_id: str) -> None:
        with self._cache_lock:
            self._cache.pop(session_id, None)

    def add(self, session: Session, owner: str = "") -> str:
        session_id = new_session_id()
        base_blob = encode_base(session)
        fields = encode_fields(session)
        size = len(base_blob) + fields.size
        args: list[Any] = [session_id, base_blob, *self._limits(), size, self.pin_ms, owner]
        args += ["v", 1, *_flat(fields.values)]
        kept, *wait = self._add(keys=[*self._keys(session_id), *self._shared], args=args)
        if not kept:
            raise StoreFullError(int(wait[0]) / 1000, self.pin_seconds)
        self._remember(
            session_id, _Cached(decode_base(base_blob), len(base_blob), 1, session, fields)
        )
        return session_id

    def _acquire(self, session_id: str, token: str, held: _Cached | None) -> list[Any]:
        keys = [
            self.prefix + "lock:" + session_id,
            *self._keys(session_id),
            self.prefix + "sc:" + session_id,
        ]
        args: list[Any] = [
            token,
            self.lock_ms,
            "" if held is None else held.version,
            int(held is None),
        ]
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.0005
        while True:
            reply: list[Any] = self._run(self._open, keys, args)
            if reply[0] == 0:
                self._forget(session_id)
                raise SessionNotFoundError(session_id)
            if reply[0] == 1:
                return reply
            if time.monotonic() > deadline:
                raise ConflictError(
                    f"session {session_id[:8]}… is busy with another request for more than "
                    f"{self.wait_seconds:g} s; try again",
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.02)

    def _load(self, session_id: str, held: _Cached | None, reply: list[Any]) -> _Cached:
        """The session at the version Redis holds: this process's, or decoded from the reply."""
        version = int(reply[2])
        if held is not None and held.version == version:
            return held
        if held is not None:
            base, base_size = held.base, held.base_size
            previous: tuple[Session, Fields] | None = (held.session, held.fields)
        else:
            base, base_size, previous = decode_base(reply[3]), len(reply[3]), None
        flat: list[bytes] = reply[4]
        values = dict(zip(flat[::2], flat[1::2], strict=True))
        values.pop(b"v", None)
        session, fields = decode_fields(base, values, previous)
        return _Cached(base, base_size, version, session, fields)

    def _drop_unreadable(self, session_id: str, reason: Exception) -> None:
        """Delete a session whose records do not decode (an older format, or damaged),
        and the lock this request holds on it: it has ended for good."""
        log.warning("session %s… does not decode (%s); deleting it", session_id[:8], reason)
        self._forget(session_id)
        self._run(self._delete, [*self._keys(session_id), *self._shared], [session_id, self.prefix])
        self.client.delete(self.prefix + "lock:" + session_id)

    @contextmanager
    def open(self, session_id: str) -> Iterator[Session]:
        token = secrets.token_hex(16)
        with self._cache_lock:
            held = self._cache.get(session_id)
        reply = self._acquire(session_id, token, held)
        code = reply[1].decode() if isinstance(reply[1], bytes) else None
        if self.events is None:
            code = None
        write: dict[bytes, bytes] = {}
        removed: list[bytes] = []
        version: int | str = ""
        size = 0
        event, kind = b"", "state"
        try:
            cached = self._load(session_id, held, reply)
        except (CodecError, ValueError, KeyError, TypeError, IndexError) as exc:
            self._drop_unreadable(session_id, exc)
            raise SessionNotFoundError(session_id) from None
        try:
            session = cached.session
            mark = session.mark()
            events = self.events if code is not None else None
            before = None if events is None else events.before(session)
            try:
                yield session
            finally:
                try:
                    if events is not None and not same_mark(mark, session.mark()):
                        kind, event = events.event(session, before)
                    fields = encode_fields(session, cached.fields)
                except BaseException:
                    self._forget(session_id)  # its Session may hold changes not written
                    raise
                write, removed = fields.write, fields.removed
                new_version = cached.version + 1 if write or removed else cached.version
                if new_version != cached.version:
                    version, size = new_version, cached.base_size + fields.size
                # Before the lock is released: the next request here must find this version.
                self._remember(
                    session_id,
                    _Cached(cached.base, cached.base_size, new_version, session, fields),
                )
        finally:
            code = code or "-"
            keys = [
                self.prefix + "lock:" + session_id,
                *self._keys(session_id),
                *self._shared,
                self.prefix + "c:" + code,
                self.prefix + "ch:" + code,
                self.prefix + "sc:" + session_id,
            ]
            args: list[Any] = [token, session_id, version, size, *self._limits()]
            args += [event, self.class_history, self.prefix + "ev:" + code, len(removed), kind]
            args.append(self.pin_ms)
            args += [*removed, *_flat(write)]
            try:
                kept = self._run(self._close, keys, args)
            except BaseException:
                self._forget(session_id)
                raise
            if not kept:
                self._forget(session_id)

    def delete(self, session_id: str) -> None:
        self._forget(session_id)
        keys = [*self._keys(session_id), *self._shared]
        if not self._delete(keys=keys, args=[session_id, self.prefix]):
            raise SessionNotFoundError(session_id)
