"""Live classes in Redis: shared by every app process, events through pub/sub.

Keys (under the prefix):

    c:<code>     hash {session, seq}: the class, its session and its last event number
    fl:<code>    hash: process → "<followers>:<valid until, ms>", the streams each process
                 serves (reported within a second of a change and every 10 s; a process
                 that stops reporting drops out of the count when its entry runs out)
    sc:<id>      the class code of session <id>
    ch:<code>    a stream of the latest `history` events, entry id "<seq>-0", field d = data,
                 field k = kind
    ev:<code>    the pub/sub channel: each message is "<seq> <kind> <data>"

All three keys expire after the session TTL without an event. `publish` is one
Lua script (number, keep, publish), so the numbers, the history and the
messages agree and come in one order. Each process runs one thread that
pattern-subscribes to ev:* and hands messages to its Hub; after a lost
connection it resubscribes and pokes every listener, which then reads what it
missed from the stream.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time

import redis

from app.classroom.codes import new_code
from app.classroom.events import KINDS, Event, EventKind, Hub, Listener
from app.classroom.store import ClassStore
from app.errors import ClassNotFoundError

__all__ = ["PUBLISH_FUNCTION", "RedisClassStore"]

log = logging.getLogger(__name__)

FOLLOWERS_REPORT_SECONDS = 1.0  # a change in a process's followers is in Redis within this
FOLLOWERS_REFRESH_SECONDS = 10.0  # every process reports all its classes this often
FOLLOWERS_TTL_MS = 30_000  # and a report holds this long

# KEYS: class, session→code. ARGV: code, session id, ttl ms.
# → {0, existing code} the session has a class, {1} made, {2} code taken (retry).
_CREATE = """
local existing = redis.call('GET', KEYS[2])
if existing and redis.call('EXISTS', ARGV[4] .. existing) == 1 then return {0, existing} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {2} end
redis.call('HSET', KEYS[1], 'session', ARGV[2], 'seq', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return {1}
"""

# KEYS: class, old session→code, new session→code. ARGV: code, old id, new id, ttl ms.
_MOVE = """
if redis.call('HGET', KEYS[1], 'session') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'session', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
"""

# Number, keep and send one event; also used inside the session store's `close` script, so
# that a session's new state and its event are written in one step.
# → the event's number, or 0 when there is no such class.
PUBLISH_FUNCTION = """
local function publish_event(class, history, session, kind, data, length, ttl, channel)
  if redis.call('EXISTS', class) == 0 then return 0 end
  local seq = redis.call('HINCRBY', class, 'seq', 1)
  redis.call('XADD', history, 'MAXLEN', length, seq .. '-0', 'k', kind, 'd', data)
  redis.call('PEXPIRE', class, ttl)
  redis.call('PEXPIRE', history, ttl)
  redis.call('PEXPIRE', session, ttl)
  redis.call('PUBLISH', channel, seq .. ' ' .. kind .. ' ' .. data)
  return seq
end
"""

# KEYS: class, history, session→code. ARGV: kind, data, history length, ttl ms, channel.
_PUBLISH = (
    PUBLISH_FUNCTION
    + "return publish_event(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], "
    "ARGV[5])"
)

# KEYS: followers. ARGV: process, its count, ttl ms. Report one process's followers.
_REPORT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[3]))
return 1
"""

# KEYS: followers. → the followers of every process whose report still holds.
_FOLLOWERS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local total = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local count, until_ms = string.match(all[i + 1], '^(%d+):(%d+)$')
  if count and tonumber(until_ms) > now then
    total = total + tonumber(count)
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return total
"""

# KEYS: class, history. ARGV: code prefix for sc:. Forget the class.
_FORGET = """
local session = redis.call('HGET', KEYS[1], 'session')
if session and redis.call('GET', ARGV[1] .. session) == ARGV[2] then
  redis.call('DEL', ARGV[1] .. session)
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _event(entry: tuple[bytes, dict[bytes, bytes]]) -> Event:
    entry_id, fields = entry
    kind: EventKind = KINDS.get(fields[b"k"], "state")
    return Event(int(entry_id.split(b"-")[0]), kind, fields[b"d"])


class RedisClassStore(ClassStore):
    def __init__(
        self,
        client: redis.Redis,
        ttl_seconds: float,
        history: int,
        prefix: str = "bpl:",
        hub: Hub | None = None,
    ) -> None:
        self.client = client
        self.ttl_ms = max(1, int(ttl_seconds * 1000))
        self.history = history
        self.prefix = prefix
        # A follower never needs more queued than the class keeps: beyond that it
        # catches up from the kept events (or the latest state), so memory stays bounded.
        self.hub = hub or Hub(limit=history)
        self._create = client.register_script(_CREATE)
        self._move = client.register_script(_MOVE)
        self._publish = client.register_script(_PUBLISH)
        self._forget_script = client.register_script(_FORGET)
        self._report = client.register_script(_REPORT)
        self._followers = client.register_script(_FOLLOWERS)
        self._process = secrets.token_hex(8)
        self._changed: set[str] = set()  # codes whose followers here changed, not reported
        self._changed_lock = threading.Lock()
        self._reporter: threading.Thread | None = None
        self._thread: threading.Thread | None = None
        self._subscribed = threading.Event()
        self._stopping = threading.Event()
        self._start_lock = threading.Lock()

    def _key(self, kind: str, name: str) -> str:
        return f"{self.prefix}{kind}:{name}"

    def create(self, session_id: str) -> tuple[str, bool]:
        while True:
            code = new_code()
            reply = self._create(
                keys=[self._key("c", code), self._key("sc", session_id)],
                args=[code, session_id, self.ttl_ms, self.prefix + "c:"],
            )
            if reply[0] == 0:
                return _text(reply[1]), False
            if reply[0] == 1:
                return code, True

    def code_for(self, session_id: str) -> str | None:
        code = self.client.get(self._key("sc", session_id))
        return None if code is None else _text(code)

    def session_for(self, code: str) -> str:
        session_id = self.client.hget(self._key("c", code), "session")
        if session_id is None:
            raise ClassNotFoundError(code)
        return _text(session_id)

    def move(self, code: str, from_session: str, to_session: str) -> None:
        keys = [self._key("c", code), self._key("sc", from_session), self._key("sc", to_session)]
        if not self._move(keys=keys, args=[code, from_session, to_session, self.ttl_ms]):
            raise ClassNotFoundError(code)

    def publish(self, code: str, kind: EventKind, data: bytes) -> Event | None:
        keys = [self._key("c", code), self._key("ch", code), self._key("sc", "")]
        session_id = self.client.hget(keys[0], "session")
        if session_id is not None:
            keys[2] = self._key("sc", _text(session_id))
        seq = int(
            self._publish(
                keys=keys,
                args=[kind, data, self.history, self.ttl_ms, self._key("ev", code)],
            )
        )
        # Delivery to this process's listeners comes back through pub/sub, like everyone's.
        return Event(seq, kind, data) if seq else None

    def _forget(self, code: str) -> None:
        self._forget_script(
            keys=[self._key("c", code), self._key("ch", code)],
            args=[self.prefix + "sc:", code],
        )

    def latest(self, code: str) -> Event:
        pipe = self.client.pipeline(transaction=True)
        pipe.exists(self._key("c", code))
        pipe.xrevrange(self._key("ch", code), count=1)
        exists, entries = pipe.execute()
        if not exists or not entries:
            raise ClassNotFoundError(code)
        return _event(entries[0])

    def since(self, code: str, seq: int) -> list[Event] | None:
        pipe = self.client.pipeline(transaction=True)
        pipe.hget(self._key("c", code), "seq")
        pipe.xrange(self._key("ch", code), count=1)
        pipe.xrange(self._key("ch", code), min=f"({seq}-0")
        last, first, entries = pipe.execute()
        if last is None:
            raise ClassNotFoundError(code)
        if seq >= int(last):
            return []
        if not first or _event(first[0]).seq > seq + 1:
            return None
        return [_event(e) for e in entries]

    # ------------------------------------------------------------ followers

    def listen(self, code: str) -> Listener:
        self._changed_follows(code)
        return self.hub.listen(code)

    def unlisten(self, listener: Listener) -> None:
        self.hub.close(listener)
        self._changed_follows(listener.code)

    def followers(self, code: str) -> int:
        return int(self._followers(keys=[self._key("fl", code)]))

    def _changed_follows(self, code: str) -> None:
        # Reported by a thread of its own: a stream opens and closes on the event loop,
        # which must not wait for Redis.
        with self._changed_lock:
            self._changed.add(code)
            if self._reporter is None:
                self._reporter = threading.Thread(
                    target=self._report_followers, name="class-followers", daemon=True
                )
                self._reporter.start()

    def _report_followers(self) -> None:
        since_all = 0.0
        while not self._stopping.wait(FOLLOWERS_REPORT_SECONDS):
            with self._changed_lock:
                codes, self._changed = self._changed, set()
            if time.monotonic() - since_all > FOLLOWERS_REFRESH_SECONDS:
                codes |= set(self.hub.codes())
                since_all = time.monotonic()
            for code in codes:
                try:
                    self._report(
                        keys=[self._key("fl", code)],
                        args=[self._process, self.hub.count(code), FOLLOWERS_TTL_MS],
                    )
                except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                    log.warning("class followers: Redis unreachable (%s)", exc)
                    with self._changed_lock:
                        self._changed.add(code)

    # ------------------------------------------------------------ pub/sub

    def start_listening(self, timeout: float = 5.0) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._listen, name="class-events", daemon=True
                )
                self._thread.start()
        self._subscribed.wait(timeout)

    def _listen(self) -> None:
        pattern = self.prefix + "ev:*"
        skip = len(self.prefix) + 3
        first = True
        while not self._stopping.is_set():
            pubsub = self.client.pubsub()  # type: ignore[no-untyped-call]
            try:
                pubsub.psubscribe(pattern)
                # Wait for the confirmation: from then on no message is missed.
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None and message["type"] == "psubscribe":
                        break
                self._subscribed.set()
                if not first:
                    self.hub.poke_all()  # something may have been missed meanwhile
                first = False
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None or message["type"] != "pmessage":
                        continue
                    code = message["channel"][skip:].decode()
                    seq, kind, data = message["data"].split(b" ", 2)
                    event = Event(int(seq), KINDS.get(kind, "state"), data)
                    self.hub.deliver(code, event)
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                log.warning("class events: Redis connection lost (%s); reconnecting", exc)
                time.sleep(0.5)
            finally:
                pubsub.close()

    def close(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
