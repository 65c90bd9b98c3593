"""Settings: one typed object, every field defaulted, overridable by BACKPROP_LENS_* variables.

The limits bound the work and memory of any single request; the store's fields
bound the memory of all sessions together. `/api/v1/options` publishes the limits.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_LENS_", frozen=True, extra="ignore")

    # Network size.
    max_layers: int = Field(10, ge=1, le=64, description="weight layers (L)")
    max_width: int = Field(256, ge=1, le=4096, description="neurons in any one layer")
    max_parameters: int = Field(100_000, ge=1, description="weights and biases in all")
    # Data.
    max_batch_size: int = Field(256, ge=1, description="samples in one iteration's batch")
    max_samples: int = Field(2_000, ge=1, description="samples in a data set")
    # A traced iteration keeps z, a, σ′, δ … for every neuron and sample:
    # batch × (n₁ + … + n_L) bounds the size of a trace (about 6 floats each).
    max_trace_values: int = Field(65_536, ge=1, description="batch × (n1 + … + nL)")
    # Work per call.
    max_iterations: int = Field(10_000, ge=1, description="iterations in one /train call")
    max_fast_forward: int = Field(
        100_000, ge=1, description="iterations a new session may fast-forward (share links)"
    )
    max_train_work: int = Field(
        2_000_000_000, ge=1, description="iterations × batch × parameters in one /train call"
    )
    max_gradcheck_parameters: int = Field(2_000, ge=1, description="parameters in /gradcheck")
    max_gradcheck_work: int = Field(
        100_000_000, ge=1, description="parameters² × samples in one /gradcheck call"
    )
    max_grid_resolution: int = Field(128, ge=2, description="N for the N × N /field grid")
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="request body size")
    # Sessions.
    session_ttl_seconds: float = Field(3600.0, gt=0, description="idle time before a session ends")
    max_sessions: int = Field(1_000, ge=1, description="sessions kept; least recently used go")
    history_iterations: int = Field(50, ge=50, description="iterations one can step back")
    max_cost_history: int = Field(10_000, ge=1, description="costs kept per session (latest)")
    store_max_bytes: int = Field(
        512 * 1024 * 1024, ge=1024 * 1024, description="memory budget of all sessions"
    )
    session_pin_seconds: float = Field(
        300.0, ge=0, description="a session used this recently is never evicted for another"
    )
    # Per client address (docs/API.md, "Limits per client"): token buckets, `burst` at once,
    # then `per_minute`. 200 students behind one NAT address open the page within a minute.
    sessions_burst: int = Field(300, ge=1, description="new sessions an address may make at once")
    sessions_per_minute: float = Field(
        60.0, gt=0, description="new sessions an address may make a minute, after its burst"
    )
    heavy_burst: int = Field(
        6_000, ge=1, description="trains, gradchecks and fields an address may ask at once"
    )
    heavy_per_minute: float = Field(
        6_000.0, gt=0, description="trains, gradchecks and fields an address may ask a minute"
    )
    trusted_proxies: int = Field(
        0, ge=0, le=10, description="reverse proxies whose X-Forwarded-For names the client"
    )
    # Live classes and the shared store (app.classes, app.store_redis).
    redis_url: str | None = Field(
        None, description="redis://… to share sessions and classes between processes"
    )
    redis_prefix: str = Field("bpl:", min_length=1, description="prefix of every Redis key")
    class_history_events: int = Field(
        100, ge=1, le=10_000, description="events a class keeps for followers to catch up"
    )
    max_unknown_codes_per_minute: int = Field(
        60, ge=1, description="different unknown join codes an address may try a minute"
    )
    public_url: str | None = Field(
        None, description="the app's public base URL for join links (default: the request's)"
    )
    # HTTP.
    cors_origins: list[str] = Field(default_factory=list, description="allowed CORS origins")
