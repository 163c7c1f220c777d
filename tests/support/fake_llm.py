"""A real, scripted OpenAI-compatible HTTP server for tests and benchmarks (no mocks of our own code).

It speaks /v1/models, /v1/chat/completions (plain and SSE streaming, with tool calls), /v1/embeddings
(deterministic hashed character n-gram vectors, so similar texts get close vectors) and
/v1/images/generations. Every request body is recorded, so a test can prove what left guai.

    fake = FakeLLM().start()
    fake.reply("안녕하세요")                 # next chat answer
    fake.reply_tool_call("law_search", {"query": "주차"})
    fake.fail(429, times=2)                 # the next two POSTs fail
    fake.delay = 0.5                        # answer slowly
    fake.requests[-1].body                  # what guai sent
    fake.stop()

Run alone for manual trials: python -m tests.support.fake_llm --port 8089
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A valid 1x1 PNG, returned by the image endpoint.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
EMBED_DIM = 256


def embed_text(text: str, dim: int = EMBED_DIM) -> list[float]:
    """Hashed bag of character 2- and 3-grams (spaces removed), L2-normalised: deterministic and similarity-aware."""
    s = re.sub(r"\s+", "", text.lower())
    vec = [0.0] * dim
    grams = [s[i : i + n] for n in (2, 3) for i in range(max(len(s) - n + 1, 0))] or [s or " "]
    for g in grams:
        h = int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
        vec[h % dim] += 1.0 if (h >> 63) & 1 == 0 else 0.8
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def _token_count(text: str) -> int:
    return max(1, len(text) // 2) if text else 0


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]  # lower-case names

    def texts(self) -> list[str]:
        """Every string the client sent in messages/input (contents, text parts, tool arguments)."""
        out: list[str] = []
        for m in self.body.get("messages") or []:
            c = m.get("content")
            if isinstance(c, str):
                out.append(c)
            elif isinstance(c, list):
                out.extend(p.get("text", "") for p in c if isinstance(p, dict))
            for tc in m.get("tool_calls") or []:
                out.append(tc.get("function", {}).get("arguments", ""))
        inp = self.body.get("input")
        if isinstance(inp, str):
            out.append(inp)
        elif isinstance(inp, list):
            out.extend(x for x in inp if isinstance(x, str))
        if isinstance(self.body.get("prompt"), str):
            out.append(self.body["prompt"])
        return out


@dataclass
class Reply:
    text: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


class FakeLLM:
    """The scripted server. Thread-safe; start() binds a free loopback port."""

    def __init__(
        self,
        *,
        models: tuple[str, ...] = ("fake-chat", "fake-embed", "fake-image"),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.models = models
        self.host, self.port = host, port
        self.requests: list[Recorded] = []
        self.delay = 0.0  # seconds before any answer
        self.chunk_delay = 0.0  # seconds between streamed chunks
        self.chunk_chars = 4  # characters per streamed content chunk
        self.require_key: str | None = None
        self.report_usage = True
        self.reject_stream_options = False  # answer 400 to stream_options, like servers that predate it
        self.retry_after_ms: int | None = 5  # sent with scripted failures so clients back off briefly
        self._replies: deque[Reply] = deque()
        self._failures: deque[int] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- scripting ------------------------------------------------------------------------------
    def reply(self, text: str) -> FakeLLM:
        with self._lock:
            self._replies.append(Reply(text=text))
        return self

    def reply_tool_call(
        self, name: str, arguments: dict[str, Any] | str, *, call_id: str | None = None
    ) -> FakeLLM:
        args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        call = {
            "id": call_id or f"call_{uuid.uuid4().hex[:8]}",
            "type": "function",
            "function": {"name": name, "arguments": args},
        }
        with self._lock:
            self._replies.append(Reply(tool_calls=[call]))
        return self

    def fail(self, status: int = 500, times: int = 1) -> FakeLLM:
        with self._lock:
            self._failures.extend([status] * times)
        return self

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self._replies.clear()
            self._failures.clear()

    # ---- inspection -----------------------------------------------------------------------------
    def calls(self, path_suffix: str = "/chat/completions") -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith(path_suffix)]

    def sent_text(self) -> str:
        """Everything clients sent, joined: assert personal data is NOT in here."""
        with self._lock:
            return "\n".join(t for r in self.requests for t in r.texts())

    # ---- lifecycle ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL for OpenAI clients (ends with /v1)."""
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> FakeLLM:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = _Server((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- answers --------------------------------------------------------------------------------
    def _next_failure(self) -> int | None:
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._replies:
                return self._replies.popleft()
        last_user = next((m for m in reversed(body.get("messages") or []) if m.get("role") == "user"), None)
        content = last_user.get("content") if last_user else ""
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        return Reply(text=f"모의 응답: {content}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-answer are normal in tests (timeouts, cancelled streams); stay quiet."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeLLM
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small SSE/JSON writes must not wait for delayed ACKs

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
        return

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        key = self.server_fake.require_key
        if key and self.headers.get("Authorization", "") != f"Bearer {key}":
            self._json(
                401,
                {
                    "error": {
                        "message": "Incorrect API key provided",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                },
            )
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        fake = self.server_fake
        with fake._lock:
            fake.requests.append(
                Recorded("GET", self.path, {}, {k.lower(): v for k, v in self.headers.items()})
            )
        if not self._authorised():
            return
        if self.path.rstrip("/").endswith("/models"):
            self._json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in fake.models
                    ],
                },
            )
        else:
            self._json(404, {"error": {"message": f"not found: {self.path}"}})

    def do_POST(self) -> None:  # noqa: N802
        fake = self.server_fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._json(400, {"error": {"message": "invalid JSON"}})
            return
        with fake._lock:
            fake.requests.append(
                Recorded("POST", self.path, body, {k.lower(): v for k, v in self.headers.items()})
            )
        if not self._authorised():
            return
        if fake.delay:
            time.sleep(fake.delay)
        status = fake._next_failure()
        if status is not None:
            headers = {"retry-after-ms": str(fake.retry_after_ms)} if fake.retry_after_ms is not None else {}
            self._json(
                status, {"error": {"message": f"scripted failure {status}", "type": "server_error"}}, headers
            )
            return
        path = self.path.rstrip("/")
        if fake.reject_stream_options and "stream_options" in body:
            self._json(
                400,
                {
                    "error": {
                        "message": "Unrecognized request argument supplied: stream_options",
                        "type": "invalid_request_error",
                        "param": "stream_options",
                        "code": None,
                    }
                },
            )
            return
        if path.endswith("/chat/completions"):
            self._chat(body)
        elif path.endswith("/embeddings"):
            inputs = body.get("input")
            items = [inputs] if isinstance(inputs, str) else list(inputs or [])
            tokens = sum(_token_count(str(t)) for t in items)
            self._json(
                200,
                {
                    "object": "list",
                    "model": body.get("model", "fake-embed"),
                    "data": [
                        {"object": "embedding", "index": i, "embedding": embed_text(str(t))}
                        for i, t in enumerate(items)
                    ],
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )
        elif path.endswith("/images/generations"):
            n = int(body.get("n") or 1)
            self._json(
                200,
                {
                    "created": int(time.time()),
                    "data": [{"b64_json": base64.b64encode(TINY_PNG).decode()} for _ in range(n)],
                },
            )
        else:
            self._json(404, {"error": {"message": f"not found: {self.path}"}})

    def _chat(self, body: dict[str, Any]) -> None:
        fake = self.server_fake
        reply = fake._next_reply(body)
        model = body.get("model") or "fake-chat"
        prompt_tokens = sum(_token_count(t) for t in Recorded("", "", body, {}).texts())
        completion_tokens = _token_count(reply.text) + sum(
            _token_count(c["function"]["arguments"]) for c in reply.tool_calls
        )
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        cid = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        finish = "tool_calls" if reply.tool_calls else "stop"
        if not body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
            if reply.tool_calls:
                message["tool_calls"] = reply.tool_calls
            payload: dict[str, Any] = {
                "id": cid,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            }
            if fake.report_usage:
                payload["usage"] = usage
            self._json(200, payload)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(data: str) -> None:
            raw = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
            self.wfile.flush()

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> str:
            return json.dumps(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
                },
                ensure_ascii=False,
            )

        try:
            event(chunk({"role": "assistant", "content": ""}))
            text, step = reply.text, max(1, fake.chunk_chars)
            for i in range(0, len(text), step):
                if fake.chunk_delay:
                    time.sleep(fake.chunk_delay)
                event(chunk({"content": text[i : i + step]}))
            for idx, call in enumerate(reply.tool_calls):
                args = call["function"]["arguments"]
                event(
                    chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": idx,
                                    "id": call["id"],
                                    "type": "function",
                                    "function": {"name": call["function"]["name"], "arguments": ""},
                                }
                            ]
                        }
                    )
                )
                for i in range(0, len(args), 8):
                    event(chunk({"tool_calls": [{"index": idx, "function": {"arguments": args[i : i + 8]}}]}))
            event(chunk({}, finish))
            if fake.report_usage and (body.get("stream_options") or {}).get("include_usage"):
                event(
                    json.dumps(
                        {
                            "id": cid,
                            "object": "chat.completion.chunk",
                            "created": int(time.time()),
                            "model": model,
                            "choices": [],
                            "usage": usage,
                        }
                    )
                )
            event("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client went away mid-stream
            self.close_connection = True


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="scripted OpenAI-compatible server (echoes the last user message)"
    )
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--chunk-delay", type=float, default=0.02)
    parser.add_argument("--chunk-chars", type=int, default=4)
    args = parser.parse_args()
    fake = FakeLLM(port=args.port)
    fake.chunk_delay, fake.chunk_chars = args.chunk_delay, args.chunk_chars
    fake.start()
    print(f"fake OpenAI-compatible server on {fake.url} (Ctrl+C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
