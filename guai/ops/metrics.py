"""Prometheus metrics. Other features increment the public counters, e.g.

    from guai.ops.metrics import MODEL_CALLS, MODEL_TOKENS
    MODEL_CALLS.labels(provider="vllm", purpose="chat", outcome="ok").inc()
    MODEL_TOKENS.labels(provider="vllm", kind="prompt").inc(123)
    record_login("password", "success")

With several workers set PROMETHEUS_MULTIPROC_DIR (``guai serve --workers N`` does it) so that /metrics
sums every worker's values; without it each worker reports only its own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "guai_http_requests_total", "HTTP requests handled", ["method", "route", "status"], registry=REGISTRY
)
HTTP_LATENCY = Histogram(
    "guai_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    registry=REGISTRY,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
HTTP_IN_PROGRESS = Gauge(
    "guai_http_requests_in_progress",
    "HTTP requests being handled now",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
MODEL_CALLS = Counter(
    "guai_model_calls_total",
    "Calls to language/embedding models",
    ["provider", "purpose", "outcome"],
    registry=REGISTRY,
)
MODEL_TOKENS = Counter(
    "guai_model_tokens_total",
    "Tokens sent to and received from models",
    ["provider", "kind"],
    registry=REGISTRY,
)
MODEL_LATENCY = Histogram(
    "guai_model_call_duration_seconds",
    "Model call latency",
    ["provider", "purpose"],
    registry=REGISTRY,
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160),
)
QUEUE_DEPTH = Gauge(
    "guai_queue_depth", "Jobs waiting in a queue", ["queue"], registry=REGISTRY, multiprocess_mode="max"
)
LOGINS = Counter("guai_logins_total", "Login attempts", ["method", "outcome"], registry=REGISTRY)

# Label values of guai_logins_total; a fixed set so dashboards and alerts never meet a stray spelling.
LOGIN_METHODS = ("password", "oidc", "ldap")
# success: logged in; failed: wrong credentials (or the identity provider/directory failed us);
# refused: the identity was valid but guai refused it (disabled account, no mapped group);
# locked: not even checked because of too many recent failures.
LOGIN_OUTCOMES = ("success", "failed", "refused", "locked")

# Probes computed at scrape time, e.g. pending rows of a job table: name -> callable(app state) -> int.
_queue_probes: dict[str, Callable[[Any], int]] = {}


def register_queue_probe(name: str, probe: Callable[[Any], int]) -> None:
    """Let a feature report a queue depth computed on each scrape (probe receives the app's Database)."""
    _queue_probes[name] = probe


def record_model_call(
    *,
    provider: str,
    purpose: str,
    outcome: str,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    seconds: float | None = None,
) -> None:
    """One-line helper for the model gateway."""
    MODEL_CALLS.labels(provider=provider, purpose=purpose, outcome=outcome).inc()
    if prompt_tokens:
        MODEL_TOKENS.labels(provider=provider, kind="prompt").inc(prompt_tokens)
    if completion_tokens:
        MODEL_TOKENS.labels(provider=provider, kind="completion").inc(completion_tokens)
    if seconds is not None:
        MODEL_LATENCY.labels(provider=provider, purpose=purpose).observe(seconds)


def record_login(method: str, outcome: str) -> None:
    """Count one login attempt; every login route calls this exactly once per submitted attempt."""
    if method not in LOGIN_METHODS or outcome not in LOGIN_OUTCOMES:
        raise ValueError(f"unknown login metric labels: method={method!r} outcome={outcome!r}")
    LOGINS.labels(method=method, outcome=outcome).inc()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render_metrics(db: Any = None) -> tuple[bytes, str]:
    """The exposition text; queue probes run first so their values are current."""
    for name, probe in list(_queue_probes.items()):
        try:
            QUEUE_DEPTH.labels(queue=name).set(probe(db))
        except Exception:  # noqa: BLE001 - a failing probe must not break the scrape; it shows as -1
            QUEUE_DEPTH.labels(queue=name).set(-1)
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Pure ASGI middleware: counts requests and latency by route template, and fixes the request id early.

    The request id is put into the request headers so the app's own request-context middleware and the
    structured access log use the same id.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from guai.ops.logging import access_log, new_request_id, request_id_var

        headers = scope.get("headers") or []
        rid = next((v.decode("latin-1") for k, v in headers if k == b"x-request-id"), None)
        if not rid or len(rid) > 64:
            rid = new_request_id()
            scope["headers"] = [(k, v) for k, v in headers if k != b"x-request-id"] + [
                (b"x-request-id", rid.encode("latin-1"))
            ]
        token = request_id_var.set(rid)
        status = {"code": 500}
        started = time.perf_counter()

        async def send_wrapper(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        HTTP_IN_PROGRESS.inc()
        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            HTTP_IN_PROGRESS.dec()
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            label = getattr(route, "path", None) or (
                "static" if scope["path"].startswith("/static/") else "other"
            )
            method = scope.get("method", "GET")
            HTTP_REQUESTS.labels(method=method, route=label, status=str(status["code"])).inc()
            HTTP_LATENCY.labels(method=method, route=label).observe(elapsed)
            access_log(
                method=method,
                path=scope["path"],
                route=label,
                status=status["code"],
                seconds=elapsed,
                client=(scope.get("client") or ("", 0))[0],
            )
            request_id_var.reset(token)
