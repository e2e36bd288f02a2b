"""A stand-in HTTP server that misbehaves on purpose, for the faults a real pretalx cannot be made to show: each
request is answered by the first rule whose method and path prefix match, and every request is recorded (with its
headers, so a test can see where a token went)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    """JSON-able, or bytes sent as they are."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a timeout)."""
    hang_up: bool = False
    """Close the connection without answering."""


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StandIn:
    url: str = ""
    rules: list[tuple[str, str, list[Answer] | Callable[[Seen], Answer]]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Answer | Callable[[Seen], Answer]) -> StandIn:
        """Answer `method path...` with `answers` in turn (the last one repeats), or with a function of the
        request."""
        if len(answers) == 1 and callable(answers[0]):
            self.rules.append((method, path, answers[0]))
        else:
            self.rules.append((method, path, [a for a in answers if isinstance(a, Answer)]))
        return self

    def answer(self, request: Seen) -> Answer:
        for method, path, answers in self.rules:
            if method == request.method and request.path.startswith(path):
                if callable(answers):
                    return answers(request)
                return answers.pop(0) if len(answers) > 1 else answers[0]
        return Answer(404, {"detail": "Not found."})


def _handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
            stand_in.seen.append(request)
            answer = stand_in.answer(request)
            if answer.delay:
                time.sleep(answer.delay)
            if answer.hang_up:
                self.close_connection = True
                self.connection.close()
                return
            body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json"} | answer.headers
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_PUT = _serve

    return Handler


@contextmanager
def stand_in() -> Iterator[StandIn]:
    """A stand-in listening on 127.0.0.1 for the length of the block."""
    server = StandIn()
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    http.daemon_threads = True
    server.url = f"http://127.0.0.1:{http.server_address[1]}"
    thread = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
