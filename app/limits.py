"""Per-client rate limits: token buckets, in this process or shared in Redis.

A bucket holds up to `burst` tokens and gains `per_minute` a minute; each
request of its kind takes one, and a request that finds none is refused with the
seconds until one is back. So a client may ask for `burst` at once (a class of
students opening the page together behind one NAT address) and then keeps to
the rate. The buckets a process keeps in memory are bounded (the least
recently seen clients are forgotten first, as if full); with Redis, every
process takes from the same bucket, updated atomically by one Lua script on
Redis's own clock.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import redis

__all__ = ["Bucket", "InMemoryRateLimits", "RateLimits", "RedisRateLimits"]


@dataclass(frozen=True)
class Bucket:
    burst: int  # tokens when full: requests one client may make at once
    per_minute: float  # tokens regained a minute: the sustained rate

    def refill(self, tokens: float, seconds: float) -> float:
        return min(float(self.burst), tokens + seconds * self.per_minute / 60.0)

    def wait(self, tokens: float) -> float:
        """Seconds until `tokens` (< 1) grows to one token."""
        return (1.0 - tokens) * 60.0 / self.per_minute


class RateLimits(ABC):
    """Named buckets, one of each per client."""

    def __init__(self, buckets: Mapping[str, Bucket]) -> None:
        self.buckets = dict(buckets)

    @abstractmethod
    def take(self, name: str, client: str) -> float:
        """Take a token of bucket `name` for `client`: 0 if there was one, else the seconds
        until there is (nothing is taken then)."""


class InMemoryRateLimits(RateLimits):
    def __init__(
        self,
        buckets: Mapping[str, Bucket],
        max_clients: int = 100_000,  # ~200 bytes each: 20 MB at most
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(buckets)
        self.max_clients = max_clients
        self.clock = clock
        self._tokens: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, name: str, client: str) -> float:
        bucket = self.buckets[name]
        key = (name, client)
        with self._lock:
            now = self.clock()
            tokens, then = self._tokens.pop(key, (float(bucket.burst), now))
            tokens = bucket.refill(tokens, now - then)
            wait = 0.0 if tokens >= 1.0 else bucket.wait(tokens)
            self._tokens[key] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            while len(self._tokens) > self.max_clients:
                self._tokens.popitem(last=False)
            return wait


# KEYS: the bucket's hash. ARGV: burst, tokens a second. → 0 taken, else ms until one is back.
# The hash expires once it would be full again: an idle client costs Redis nothing.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return wait
"""


class RedisRateLimits(RateLimits):
    """Buckets in Redis (`<prefix>rl:<name>:<client>`), shared by every process."""

    def __init__(
        self, client: redis.Redis, buckets: Mapping[str, Bucket], prefix: str = "bpl:"
    ) -> None:
        super().__init__(buckets)
        self.prefix = prefix
        self._take: Any = client.register_script(_TAKE)

    def take(self, name: str, client: str) -> float:
        bucket = self.buckets[name]
        key = f"{self.prefix}rl:{name}:{client}"
        wait_ms = int(self._take(keys=[key], args=[bucket.burst, bucket.per_minute / 60.0]))
        return wait_ms / 1000.0
