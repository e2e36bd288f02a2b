"""JSON over HTTP(S) with the standard library, for the sources' APIs: a token sent only where it belongs, waits and
retries where a server asks for them, and every failure sorted into an input or credential problem (exit 2) or a
network failure (exit `NETWORK_FAILURE`), in words that never hold the token.

What a caller may rely on:

- The token goes only to the origin (scheme, host and port) of the address given: a redirect or a next page on
  another origin is refused, never followed with the token.
- 429 Too Many Requests is retried after the server's Retry-After (at most `MAX_WAIT` seconds) or an exponential
  backoff, at most `Api.attempts` times in all; so are 502, 503 and 504 for requests that may be repeated (GET, PUT,
  PATCH: writing the same value twice changes nothing). Nothing else is retried: a POST is sent once.
- 400, 401, 403, 404 and other refusals raise `InputProblems` (exit 2) naming the request and what to check;
  anything else (no connection, a timeout, a 5xx, an answer that is not JSON or is larger than `MAX_ANSWER`) raises
  `NetworkFailure` (exit 4).
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from http.client import HTTPException
from pathlib import Path
from typing import Any, NoReturn

from planner.errors import Collector, InputProblems, Problem

NETWORK_FAILURE = 4
"""The exit code for a server that cannot be reached or does not answer as its API should."""
TIMEOUT = 30.0
"""Seconds to wait for a server's answer before giving up on it."""
MAX_WAIT = 60.0
"""The longest wait between two tries, whatever a server's Retry-After asks."""
MAX_ANSWER = 50 * 1024 * 1024
"""Bytes in one answer: no page of proposals is this large; a larger one is refused."""
RETRIED = frozenset({429, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})
USER_AGENT = "planner (conference planning; https://pypi.org/project/planner)"

_TOKEN = re.compile(r"^[\x21-\x7e]{8,512}$")
"""Printable ASCII without spaces: what can go into a header without ending it."""


class NetworkFailure(Exception):
    """The server could not be reached or did not answer as its API should; the message says what happened and,
    for a write, how far it got. The command line prints it and exits with `NETWORK_FAILURE`."""


@dataclass(frozen=True)
class Token:
    """An API token, kept out of every repr, message and file: only `header` reveals it, to the request."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return "<token>"

    def hide(self, text: str) -> str:
        """`text` with the token replaced, for any message made from what a server said."""
        return text.replace(self.value, "<token>") if self.value else text


def read_token(path: Path, label: str, problems: Collector) -> Token | None:
    """The token in `path` (one line; surrounding white space dropped), or None with why added to `problems`. The
    message never shows the file's content."""
    try:
        data = path.read_bytes()[:4096]
    except FileNotFoundError:
        problems.add(label, message="not found; expected a file holding the API token on one line")
        return None
    except OSError as exc:
        problems.add(label, message=f"cannot be read ({exc.strerror or exc.__class__.__name__})")
        return None
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        problems.add(label, message="is not text; expected the API token on one line")
        return None
    if not text:
        problems.add(label, message="is empty; expected the API token on one line")
        return None
    if not _TOKEN.match(text):
        problems.add(
            label,
            message="does not hold a token (expected one line of 8 to 512 letters, digits or punctuation, no spaces)",
        )
        return None
    return Token(text)


def shown_url(url: str) -> str:
    """An address as messages and files show it: no user name, password, query or fragment (where secrets go)."""
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    with contextlib.suppress(ValueError):  # a port out of range: shown without it
        netloc += f":{parts.port}" if parts.port else ""
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", "")) or "the address given"


def api_root(url: str, path: str, label: str, problems: Collector) -> str | None:
    """The API's address under the server address a user gave ('https://pretalx.example.org', with or without a
    trailing '/' or the API path itself), or None with why added to `problems`."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.add(
            label, field="--url", message=f"'{shown_url(url)}' is not an http(s) address; expected https://host/"
        )
        return None
    if parts.username or parts.password:
        problems.add(label, field="--url", message="holds a user name or password; give the token with --token-file")
        return None
    if parts.query or parts.fragment:
        problems.add(label, field="--url", message="has a query or fragment; expected the server's address only")
        return None
    base = parts.path.rstrip("/")
    base = base.removesuffix(path.rstrip("/"))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, base + path.rstrip("/"), "", ""))


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, f"{parts.hostname}:{port}"


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the origin it started from (the token must not travel elsewhere)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(newurl) != _origin(req.full_url):
            return None  # urllib then raises the 3xx as an HTTPError, which `Api` reports
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _retry_after(value: str | None, now: Callable[[], float]) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - now())


@dataclass
class Api:
    """One server's JSON API, with a token: `get`, `pages` (every page of a list) and `send` (a write)."""

    root: str
    """The API's address, e.g. 'https://pretalx.example.org/api'."""
    token: Token
    label: str
    """What problems are reported under, e.g. 'pretalx https://pretalx.example.org'."""
    headers: dict[str, str] = field(default_factory=dict)
    """Sent with every request (an API version)."""
    timeout: float = TIMEOUT
    attempts: int = 5
    """Tries in all for a request answered 429 (or 502-504 where it may be repeated)."""
    backoff: float = 1.0
    """The first wait when the server names none; each further one doubles, up to MAX_WAIT."""
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    requests: int = 0
    """Requests sent so far (tries included)."""

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_SameOrigin())

    def url(self, path: str, query: dict[str, Any] | None = None) -> str:
        """`path` under the API root (or a full URL on its origin, as a list's next page is), with a query."""
        target = path if "://" in path else self.root + path
        if _origin(target) != _origin(self.root):
            raise NetworkFailure(
                f"{self.label}: the server pointed to {self._shown(target)}, on another server; refused"
            )
        if query:
            target += ("&" if "?" in target else "?") + urllib.parse.urlencode(query, doseq=True)
        return target

    def get(self, path: str, query: dict[str, Any] | None = None) -> Any:
        return self.request("GET", self.url(path, query))

    def pages(self, path: str, query: dict[str, Any] | None = None) -> Iterator[Any]:
        """Every item of a paginated list ({"count", "next", "results"}), following `next` on this origin."""
        target: str | None = self.url(path, query)
        while target:
            page = self.request("GET", target)
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise NetworkFailure(f"{self.label}: GET {self._shown(target)} did not answer with a list of results")
            yield from page["results"]
            following = page.get("next")
            target = self.url(following) if isinstance(following, str) and following else None

    def send(self, method: str, path: str, body: Any) -> Any:
        return self.request(method, self.url(path), body)

    def request(self, method: str, url: str, body: Any = None) -> Any:
        """The JSON answer of one request, retried as the module says; raises InputProblems or NetworkFailure."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        for attempt in range(1, self.attempts + 1):
            status, headers, payload = self._once(method, url, data)
            if status < 300:
                return self._json(method, url, headers, payload)
            retry = status in RETRIED and (status == 429 or method in IDEMPOTENT)
            if not retry or attempt == self.attempts:
                return self._refused(method, url, status, headers, payload, attempt)
            asked = _retry_after(headers.get("Retry-After"), self.clock)
            self.sleep(min(MAX_WAIT, asked if asked is not None else self.backoff * 2 ** (attempt - 1)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, method: str, url: str, data: bytes | None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of one try; NetworkFailure when there is no answer at all."""
        headers = {
            "Authorization": f"Token {self.token.value}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self.headers,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        self.requests += 1
        shown = f"{self.label}: {method} {self._shown(url)}"
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return answer.status, dict(answer.headers.items()), self._read(answer, shown)
        except urllib.error.HTTPError as refused:
            with refused:
                return refused.code, dict(refused.headers.items()), self._read(refused, shown)
        except urllib.error.URLError as exc:
            raise NetworkFailure(f"{shown}: cannot connect ({self._reason(exc.reason)})") from None
        except TimeoutError:
            raise NetworkFailure(f"{shown}: no answer within {self.timeout:g} s") from None
        except (HTTPException, OSError) as exc:
            raise NetworkFailure(f"{shown}: the connection broke ({self._reason(exc)})") from None

    def _read(self, answer: Any, shown: str) -> bytes:
        try:
            payload = answer.read(MAX_ANSWER + 1)
        except TimeoutError:
            raise NetworkFailure(f"{shown}: the answer stopped coming ({self.timeout:g} s without data)") from None
        except (HTTPException, OSError) as exc:
            raise NetworkFailure(f"{shown}: the connection broke while answering ({self._reason(exc)})") from None
        if len(payload) > MAX_ANSWER:
            raise NetworkFailure(f"{shown}: the answer is larger than {MAX_ANSWER // 1024 // 1024} MB; refused")
        return bytes(payload)

    def _reason(self, reason: object) -> str:
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused: is the server running, and is the address right?"
        if isinstance(reason, TimeoutError):
            return f"no answer within {self.timeout:g} s"
        if isinstance(reason, socket.gaierror):
            return f"the host name cannot be resolved: {reason.strerror or reason}"
        text = getattr(reason, "strerror", None) or str(reason) or reason.__class__.__name__
        return self.token.hide(str(text))

    def _json(self, method: str, url: str, headers: dict[str, str], payload: bytes) -> Any:
        if not payload.strip():
            return None
        try:
            return json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            kind = headers.get("Content-Type", "no content type").split(";")[0]
            raise NetworkFailure(
                f"{self.label}: {method} {self._shown(url)} answered with something that is not JSON ({kind}, "
                f"{len(payload):,} bytes); is --url the address of the server's API?"
            ) from None

    def _refused(
        self, method: str, url: str, status: int, headers: dict[str, str], payload: bytes, attempt: int
    ) -> NoReturn:
        shown = f"{method} {self._shown(url)}"
        detail = self._detail(payload)
        if 300 <= status < 400:
            where = self._shown(headers.get("Location", "another address"))
            self._problem(f"{shown} was redirected ({status}) to {where}; give that server's address as --url")
        if status == 401:
            self._problem(f"{shown}: the server refused the token (401 Unauthorized){detail}", "--token-file")
        if status == 403:
            self._problem(
                f"{shown}: the token may not do this (403 Forbidden){detail}; it needs an organiser's token with "
                "access to the event (and write access to publish)",
                "--token-file",
            )
        if status == 404:
            self._problem(f"{shown}: not found (404){detail}; check --url and --event")
        if 400 <= status < 500 and status != 429:
            self._problem(f"{shown}: refused ({status}){detail}")
        tries = f" after {attempt} tries" if attempt > 1 else ""
        if status == 429:
            raise NetworkFailure(f"{self.label}: {shown}: still too many requests (429){tries}; try again later")
        raise NetworkFailure(f"{self.label}: {shown}: server error ({status}){tries}{detail}")

    def _problem(self, message: str, field: str = "") -> NoReturn:
        raise InputProblems([Problem(self.label, field=field, message=self.token.hide(message))])

    def _detail(self, payload: bytes) -> str:
        """What a refusal says, shortened: DRF's {"detail": ...} or a field's errors; '' for an HTML page."""
        try:
            said = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return ""
        if isinstance(said, dict) and isinstance(said.get("detail"), str):
            text = said["detail"]
        elif isinstance(said, dict | list):
            text = json.dumps(said, ensure_ascii=False)
        else:
            return ""
        text = " ".join(self.token.hide(text).split())
        return f": {text[:300]}" if text else ""

    def _shown(self, url: str) -> str:
        """A URL as messages show it: without a query's secrets (there are none) and never with the token."""
        return self.token.hide(url)
