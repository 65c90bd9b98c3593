"""Class questions in Redis: asked on one process, answered on any, counted once.

Keys (under the prefix), all expiring after the session TTL without use:

    ql:<code>              list: the class's question ids, oldest first
    qj:<code>:<id>         the question (app.classroom.questions.Asked, JSON)
    qs:<code>:<id>         hash {round, open, revealed}
    qa:<code>:<id>:<round> hash follower → answer: one entry per follower, so a follower
                           counts once per round however often it answers or reconnects
    qn:<code>:<id>:<round> hash follower → how many times it answered in that round

Answering is one script (is the round open, may this follower answer again, is the
round full, keep), so answers from every process are counted exactly once.
"""

from __future__ import annotations

import redis

from app.classroom.questions import (
    MAX_ANSWERS,
    MAX_CHANGES,
    MAX_QUESTIONS,
    MAX_ROUNDS,
    NO_MORE_ROUNDS,
    ROUND_FULL,
    TOO_MANY_CHANGES,
    TOO_MANY_QUESTIONS,
    Asked,
    QuestionStore,
    Status,
    no_question,
    round_closed,
)
from app.errors import ConflictError, TooManyRequestsError

__all__ = ["RedisQuestionStore"]

# KEYS: list, question, status. ARGV: id, JSON, max questions, ttl ms.
_ASK = """
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
redis.call('HSET', KEYS[3], 'round', 1, 'open', 1, 'revealed', 0)
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
"""

# KEYS: status. ARGV: answers prefix, changes prefix, follower, answer, max changes,
# max answers, ttl ms. → the round; -1 no question, -2 closed (round in [2]), -3 too many
# changes, -4 round full.
_ANSWER = """
local st = redis.call('HMGET', KEYS[1], 'round', 'open')
if not st[1] then return {-1, 0} end
if st[2] ~= '1' then return {-2, tonumber(st[1])} end
local answers, changes = ARGV[1] .. st[1], ARGV[2] .. st[1]
if redis.call('HINCRBY', changes, ARGV[3], 1) > tonumber(ARGV[5]) then return {-3, 0} end
if redis.call('HEXISTS', answers, ARGV[3]) == 0
   and redis.call('HLEN', answers) >= tonumber(ARGV[6]) then return {-4, 0} end
redis.call('HSET', answers, ARGV[3], ARGV[4])
redis.call('PEXPIRE', answers, ARGV[7])
redis.call('PEXPIRE', changes, ARGV[7])
return {tonumber(st[1]), 0}
"""

# KEYS: status. ARGV: what (close, revote, reveal), max rounds, ttl ms.
# → {round, open, revealed}; {-1} no question, {-2} no more rounds.
_CHANGE = """
local st = redis.call('HMGET', KEYS[1], 'round', 'open', 'revealed')
if not st[1] then return {-1} end
local round, revealed = tonumber(st[1]), tonumber(st[3])
local open = 0
if ARGV[1] == 'revote' then
  if round >= tonumber(ARGV[2]) then return {-2} end
  round = round + 1
  open = 1
elseif ARGV[1] == 'reveal' then
  revealed = 1
end
redis.call('HSET', KEYS[1], 'round', round, 'open', open, 'revealed', revealed)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {round, open, revealed}
"""

# KEYS: list. ARGV: prefix, code, max rounds. Drop every question of the class.
_FORGET = """
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local base = ':' .. ARGV[2] .. ':' .. id
  redis.call('DEL', ARGV[1] .. 'qj' .. base, ARGV[1] .. 'qs' .. base)
  for r = 1, tonumber(ARGV[3]) do
    redis.call('DEL', ARGV[1] .. 'qa' .. base .. ':' .. r, ARGV[1] .. 'qn' .. base .. ':' .. r)
  end
end
redis.call('DEL', KEYS[1])
return 1
"""


def _status(reply: list[bytes | str | None]) -> Status:
    return Status(int(reply[0] or 0), _text(reply[1]) == "1", _text(reply[2]) == "1")


def _text(value: bytes | str | None) -> str:
    return value.decode() if isinstance(value, bytes) else (value or "")


class RedisQuestionStore(QuestionStore):
    def __init__(self, client: redis.Redis, ttl_seconds: float, prefix: str = "bpl:") -> None:
        self.client = client
        self.ttl_ms = max(1, int(ttl_seconds * 1000))
        self.prefix = prefix
        self._ask = client.register_script(_ASK)
        self._answer = client.register_script(_ANSWER)
        self._change = client.register_script(_CHANGE)
        self._forget = client.register_script(_FORGET)

    def _key(self, kind: str, code: str, question_id: str = "", round: int | None = None) -> str:
        key = f"{self.prefix}{kind}:{code}"
        if question_id:
            key += f":{question_id}"
        return key if round is None else f"{key}:{round}"

    def ask(self, code: str, asked: Asked) -> Status:
        qid = asked.question_id
        keys = [self._key("ql", code), self._key("qj", code, qid), self._key("qs", code, qid)]
        if not self._ask(keys=keys, args=[qid, asked.to_bytes(), MAX_QUESTIONS, self.ttl_ms]):
            raise ConflictError(TOO_MANY_QUESTIONS)
        return Status(1, True, False)

    def get(self, code: str, question_id: str) -> tuple[Asked, Status]:
        pipe = self.client.pipeline(transaction=True)
        pipe.get(self._key("qj", code, question_id))
        pipe.hmget(self._key("qs", code, question_id), ["round", "open", "revealed"])
        data, status = pipe.execute()
        if data is None or status[0] is None:
            raise no_question(code, question_id)
        return Asked.from_bytes(data), _status(status)

    def status(self, code: str, question_id: str) -> Status:
        reply = self.client.hmget(self._key("qs", code, question_id), ["round", "open", "revealed"])
        if reply[0] is None:
            raise no_question(code, question_id)
        return _status(reply)

    def question_ids(self, code: str) -> list[str]:
        return [_text(i) for i in self.client.lrange(self._key("ql", code), 0, -1)]

    def answer(self, code: str, question_id: str, follower: str, answer: str) -> int:
        args: list[str | int] = [
            self._key("qa", code, question_id) + ":",
            self._key("qn", code, question_id) + ":",
            follower,
            answer,
            MAX_CHANGES,
            MAX_ANSWERS,
            self.ttl_ms,
        ]
        result, round = self._answer(keys=[self._key("qs", code, question_id)], args=args)
        if result == -1:
            raise no_question(code, question_id)
        if result == -2:
            raise round_closed(Status(int(round), False, False))
        if result == -3:
            raise TooManyRequestsError(TOO_MANY_CHANGES)
        if result == -4:
            raise ConflictError(ROUND_FULL)
        return int(result)

    def answers(self, code: str, question_id: str, round: int) -> list[str]:
        return [_text(v) for v in self.client.hvals(self._key("qa", code, question_id, round))]

    def count(self, code: str, question_id: str, round: int) -> int:
        return int(self.client.hlen(self._key("qa", code, question_id, round)))

    def answer_of(self, code: str, question_id: str, round: int, follower: str) -> str | None:
        value = self.client.hget(self._key("qa", code, question_id, round), follower)
        return None if value is None else _text(value)

    def _changed(self, code: str, question_id: str, what: str) -> Status:
        reply = self._change(
            keys=[self._key("qs", code, question_id)], args=[what, MAX_ROUNDS, self.ttl_ms]
        )
        if reply[0] == -1:
            raise no_question(code, question_id)
        if reply[0] == -2:
            raise ConflictError(NO_MORE_ROUNDS)
        return Status(int(reply[0]), bool(reply[1]), bool(reply[2]))

    def close(self, code: str, question_id: str) -> Status:
        return self._changed(code, question_id, "close")

    def revote(self, code: str, question_id: str) -> Status:
        return self._changed(code, question_id, "revote")

    def reveal(self, code: str, question_id: str) -> Status:
        return self._changed(code, question_id, "reveal")

    def forget(self, code: str) -> None:
        self._forget(keys=[self._key("ql", code)], args=[self.prefix, code, MAX_ROUNDS])
