"""The app factory: create_app(settings) → FastAPI, and the module-level `app` uvicorn serves."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from app import work
from app.classroom.questions import InMemoryQuestionStore, QuestionStore
from app.classroom.store import ClassStore, InMemoryClassStore
from app.http import errors, openapi
from app.http.guard import CodeGuessLimiter, JoinCodeGuardMiddleware
from app.http.limits import RateLimitMiddleware
from app.http.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from app.limits import Bucket, InMemoryRateLimits, RateLimits, RedisRateLimits
from app.routers import (
    backprop,
    class_views,
    classes,
    datasets,
    docs,
    exercises,
    gradcheck,
    health,
    options,
    pages,
    presets,
    sessions,
    terms,
    train,
)
from app.routers import questions as questions_router
from app.sessions.publishing import PublishingStore
from app.sessions.session import Session
from app.sessions.store import InMemorySessionStore, SessionStore
from app.settings import Settings
from app.wire.delta import FollowerEvents
from app.wire.field_cache import FieldCache
from app.wire.state import class_end

__all__ = ["COMPRESS_FROM_BYTES", "app", "create_app"]

COMPRESS_FROM_BYTES = 1024

DESCRIPTION = """\
Every phase of one training iteration of a small fully connected network —
forward pass, output error δᴸ, backward recursion, gradients, update — as JSON.

Notation (DESIGN.md): Wˡ is nₗ × nₗ₋₁, a batch of m samples is m columns
(zˡ and aˡ are nₗ × m); requests carry `inputs`/`targets` as m rows of samples.
Every error is `{"error": {"code", "message", "field"}}`. A non-finite number
is written as null, and the response says `"diverged": true` and where.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Everything allocated while starting (modules, routes, schemas) lives as long as the
    # process: moving it out of the collector's view keeps full collections short, which
    # otherwise show up as latency spikes under load.
    gc.collect()
    gc.freeze()
    yield
    app.state.classes.close()


def create_app(settings: Settings | None = None, store: SessionStore | None = None) -> FastAPI:
    settings = settings or Settings()
    work.one_blas_thread()
    app = FastAPI(
        lifespan=_lifespan,
        title="Backprop Lens",
        version="1.0.0",
        description=DESCRIPTION,
        docs_url=None,  # served offline by app.routers.docs
        redoc_url=None,
    )
    app.state.settings = settings
    class_store: ClassStore
    rate_limits: RateLimits
    if settings.redis_url:  # shared by every process using the same Redis
        store, class_store, rate_limits = _redis_stores(settings, store)
        questions: QuestionStore = _redis_questions(settings, class_store)
        # The Redis store publishes changes itself, in the same script that saves them
        # (another store given with Redis comes back wrapped in a PublishingStore).
        publishing = True
    else:
        class_store = InMemoryClassStore(
            ttl_seconds=settings.session_ttl_seconds,
            max_classes=settings.max_sessions,
            history=settings.class_history_events,
        )
        if store is None:  # (not `store or …`: an empty store is falsy)
            store = InMemorySessionStore(
                ttl_seconds=settings.session_ttl_seconds,
                max_sessions=settings.max_sessions,
                max_bytes=settings.store_max_bytes,
                pin_seconds=settings.session_pin_seconds,
                in_class=_has_class(class_store),
                on_end=_end_class(class_store),
            )
        rate_limits = InMemoryRateLimits(_buckets(settings))
        questions = InMemoryQuestionStore(
            ttl_seconds=settings.session_ttl_seconds, max_classes=settings.max_sessions
        )
        publishing = False
    app.state.classes = class_store
    app.state.rate_limits = rate_limits
    app.state.questions = questions
    app.state.field_cache = FieldCache()
    # Every change to a session with a live class is published to its followers.
    app.state.store = store if publishing else PublishingStore(store, class_store, FollowerEvents())
    errors.install(app)
    openapi.install(app, settings)
    # The busiest routes first: routing tries them in order.
    busiest = (
        health, backprop, sessions, classes, questions_router, options, datasets, presets, train,
        gradcheck, terms, exercises,
    )  # fmt: skip
    for module in busiest:
        app.include_router(module.router)
    app.include_router(class_views.router)  # followers' read-only training views
    app.include_router(docs.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["content-type"],
        )
    limiter = CodeGuessLimiter(settings.max_unknown_codes_per_minute)
    app.add_middleware(
        JoinCodeGuardMiddleware, limiter=limiter, trusted_proxies=settings.trusted_proxies
    )
    app.add_middleware(
        RateLimitMiddleware,
        limits=app.state.rate_limits,
        trusted_proxies=settings.trusted_proxies,
    )
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    # Outermost: every answer over ~1 KB travels compressed (JSON of floats shrinks 2-3×,
    # KaTeX and the page's JS 3-4×) to clients that accept gzip. Event streams are not
    # compressed (Starlette leaves text/event-stream alone), so each event leaves at once.
    app.add_middleware(GZipMiddleware, minimum_size=COMPRESS_FROM_BYTES, compresslevel=5)
    return app


def _has_class(classes: ClassStore) -> Callable[[str], bool]:
    return lambda session_id: classes.code_for(session_id) is not None


def _end_class(classes: ClassStore) -> Callable[[str, Session], None]:
    """What the store does when a session expires: its live class, if any, ends with it."""

    def end(session_id: str, session: Session) -> None:
        code = classes.code_for(session_id)
        if code is not None:
            reason = "the instructor's session ended after a time without use"
            classes.end(code, class_end(session, reason))

    return end


def _buckets(settings: Settings) -> dict[str, Bucket]:
    return {
        "create": Bucket(settings.sessions_burst, settings.sessions_per_minute),
        "heavy": Bucket(settings.heavy_burst, settings.heavy_per_minute),
    }


def _redis_stores(
    settings: Settings, store: SessionStore | None
) -> tuple[SessionStore, ClassStore, RateLimits]:
    import redis

    from app.classroom.store_redis import RedisClassStore
    from app.sessions.store_redis import RedisSessionStore

    assert settings.redis_url is not None
    client = redis.Redis.from_url(settings.redis_url, health_check_interval=30)
    classes = RedisClassStore(
        client,
        ttl_seconds=settings.session_ttl_seconds,
        history=settings.class_history_events,
        prefix=settings.redis_prefix,
    )
    if store is None:
        store = RedisSessionStore(
            client,
            ttl_seconds=settings.session_ttl_seconds,
            max_sessions=settings.max_sessions,
            max_bytes=settings.store_max_bytes,
            prefix=settings.redis_prefix,
            class_history=settings.class_history_events,
            events=FollowerEvents(),
            pin_seconds=settings.session_pin_seconds,
        )
    else:  # another store with Redis classes: it publishes through the wrapper
        store = PublishingStore(store, classes, FollowerEvents())
    limits = RedisRateLimits(client, _buckets(settings), prefix=settings.redis_prefix)
    return store, classes, limits


def _redis_questions(settings: Settings, classes: ClassStore) -> QuestionStore:
    from app.classroom.questions_redis import RedisQuestionStore
    from app.classroom.store_redis import RedisClassStore

    assert isinstance(classes, RedisClassStore)  # questions live beside their classes
    return RedisQuestionStore(
        classes.client, ttl_seconds=settings.session_ttl_seconds, prefix=settings.redis_prefix
    )


app = create_app()
