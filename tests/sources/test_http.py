"""The HTTP layer's faults, each on a stand-in server that misbehaves on purpose: every one is an input or
credential problem (exit 2) or a network failure (exit 4), said in words that never hold the token."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from planner.errors import Collector, InputProblems
from planner.sources.http import MAX_WAIT, Api, NetworkFailure, Token, api_root, read_token
from tests.sources.standin import Answer, Seen, stand_in

TOKEN = "s3cr3t-" + "x" * 40


def api(url: str, **settings: object) -> tuple[Api, list[float]]:
    waits: list[float] = []
    made = Api(url + "/api", Token(TOKEN), "test server", sleep=waits.append, **settings)  # type: ignore[arg-type]
    return made, waits


def message(raised: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(raised.value)
    assert TOKEN not in text and "x" * 20 not in text
    return text


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_server_that_is_down_is_a_network_failure() -> None:
    client, _ = api(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(NetworkFailure) as raised:
        client.get("/events/")
    assert "cannot connect (connection refused: is the server running" in message(raised)


def test_a_server_that_does_not_answer_in_time_is_a_network_failure() -> None:
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(body=[], delay=1.5))
        client, _ = api(server.url, timeout=0.3)
        with pytest.raises(NetworkFailure) as raised:
            client.get("/events/")
    assert "no answer within 0.3 s" in message(raised)


def test_a_connection_closed_without_an_answer_is_a_network_failure() -> None:
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(hang_up=True))
        client, _ = api(server.url)
        with pytest.raises(NetworkFailure) as raised:
            client.get("/events/")
    assert "the connection broke" in message(raised)


@pytest.mark.parametrize(
    ("status", "expected", "field"),
    [
        (401, "the server refused the token (401 Unauthorized): Invalid token.", "--token-file"),
        (403, "the token may not do this (403 Forbidden)", "--token-file"),
        (404, "not found (404): Not found.; check --url and --event", ""),
        (400, "refused (400)", ""),
    ],
)
def test_refusals_are_input_problems_naming_what_to_check(status: int, expected: str, field: str) -> None:
    detail = {401: "Invalid token.", 404: "Not found."}.get(status, "No.")
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(status, {"detail": detail}))
        client, waits = api(server.url)
        with pytest.raises(InputProblems) as raised:
            client.get("/events/")
    (problem,) = raised.value.problems
    assert expected in problem.message and problem.field == field
    assert TOKEN not in str(raised.value)
    assert waits == [] and len(server.seen) == 1  # a refusal is never retried


def test_429_is_retried_after_the_wait_the_server_asks_for() -> None:
    with stand_in() as server:
        busy = Answer(429, {"detail": "slow down"}, {"Retry-After": "7"})
        server.on("GET", "/api/events/", busy, busy, Answer(200, [{"slug": "a"}]))
        client, waits = api(server.url)
        assert client.get("/events/") == [{"slug": "a"}]
    assert waits == [7.0, 7.0]


def test_429_without_retry_after_backs_off_exponentially_and_gives_up_at_the_limit() -> None:
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(429, {"detail": "slow down"}))
        client, waits = api(server.url, attempts=4, backoff=0.5)
        with pytest.raises(NetworkFailure) as raised:
            client.get("/events/")
    assert waits == [0.5, 1.0, 2.0]
    assert len(server.seen) == 4
    assert "still too many requests (429) after 4 tries; try again later" in message(raised)


def test_a_long_retry_after_is_capped() -> None:
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(429, {}, {"Retry-After": "86400"}), Answer(200, []))
        client, waits = api(server.url)
        client.get("/events/")
    assert waits == [MAX_WAIT]


def test_a_post_is_sent_once_even_when_the_server_is_unavailable() -> None:
    with stand_in() as server:
        server.on("POST", "/api/release/", Answer(503, {"detail": "maintenance"}))
        client, waits = api(server.url)
        with pytest.raises(NetworkFailure) as raised:
            client.send("POST", "/release/", {"version": "1"})
    assert len(server.seen) == 1 and waits == []
    assert "server error (503): maintenance" in message(raised)


def test_a_patch_is_retried_when_the_server_is_briefly_unavailable() -> None:
    with stand_in() as server:
        server.on("PATCH", "/api/slots/1/", Answer(503, {}), Answer(200, {"id": 1}))
        client, waits = api(server.url)
        assert client.send("PATCH", "/slots/1/", {"room": 1}) == {"id": 1}
    assert len(waits) == 1


@pytest.mark.parametrize("body", [b"<html>Welcome</html>", b'{"results": [', b"\xff\xfe"])
def test_an_answer_that_is_not_json_is_a_network_failure(body: bytes) -> None:
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(200, body, {"Content-Type": "text/html"}))
        client, _ = api(server.url)
        with pytest.raises(NetworkFailure) as raised:
            client.get("/events/")
    assert "answered with something that is not JSON (text/html" in message(raised)


def test_a_redirect_to_another_server_is_refused_and_the_token_never_goes_there() -> None:
    with stand_in() as elsewhere, stand_in() as server:
        elsewhere.on("GET", "/", Answer(200, []))
        server.on("GET", "/api/events/", Answer(302, b"", {"Location": elsewhere.url + "/api/events/"}))
        client, _ = api(server.url)
        with pytest.raises(InputProblems) as raised:
            client.get("/events/")
    assert "was redirected (302)" in str(raised.value) and TOKEN not in str(raised.value)
    assert elsewhere.seen == []


def test_a_redirect_within_the_server_is_followed_with_the_token() -> None:
    with stand_in() as server:
        server.on("GET", "/api/old/", Answer(301, b"", {"Location": server.url + "/api/events/"}))
        server.on("GET", "/api/events/", Answer(200, [1]))
        client, _ = api(server.url)
        assert client.get("/old/") == [1]
    assert all(seen.headers.get("Authorization") == f"Token {TOKEN}" for seen in server.seen)


def test_a_next_page_on_another_server_is_refused() -> None:
    with stand_in() as server:
        page = {"count": 2, "next": "http://elsewhere.example/api/rooms/?page=2", "results": [{"id": 1}]}
        server.on("GET", "/api/rooms/", Answer(200, page))
        client, _ = api(server.url)
        with pytest.raises(NetworkFailure) as raised:
            list(client.pages("/rooms/"))
    assert "on another server; refused" in message(raised)


def test_pages_follow_next_to_the_end() -> None:
    with stand_in() as server:

        def page(seen: Seen) -> Answer:
            number = 2 if "page=2" in seen.path else 1
            following = f"{server.url}/api/rooms/?page=2" if number == 1 else None
            return Answer(200, {"count": 2, "next": following, "results": [{"id": number}]})

        server.on("GET", "/api/rooms/", page)
        client, _ = api(server.url)
        assert list(client.pages("/rooms/")) == [{"id": 1}, {"id": 2}]


def test_a_token_a_server_echoes_back_is_hidden_in_every_message() -> None:
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(400, {"detail": f"bad token {TOKEN} given"}))
        client, _ = api(server.url)
        with pytest.raises(InputProblems) as raised:
            client.get("/events/")
    assert "bad token <token> given" in str(raised.value) and TOKEN not in str(raised.value)


def test_an_answer_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("planner.sources.http.MAX_ANSWER", 1000)
    with stand_in() as server:
        server.on("GET", "/api/events/", Answer(200, [{"name": "x" * 2000}]))
        client, _ = api(server.url)
        with pytest.raises(NetworkFailure) as raised:
            client.get("/events/")
    assert "larger than" in message(raised)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "not found"),
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (b"two words", "does not hold a token"),
        (b"abc\r\nX-Injected: 1", "does not hold a token"),
        (b"\xff\xfe\x00", "is not text"),
    ],
)
def test_a_token_file_that_holds_no_token_is_an_input_problem_that_never_shows_it(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "token"
    if content is not None:
        path.write_bytes(content)
    problems = Collector()
    assert read_token(path, str(path), problems) is None
    (problem,) = problems.problems
    assert expected in problem.message and "words" not in problem.message and "Injected" not in problem.message


def test_a_token_file_with_a_trailing_newline_is_read() -> None:
    problems = Collector()
    path = Path(__file__).with_name("data") / "token-for-tests"
    token = read_token(path, str(path), problems)
    assert token is not None and token.value == "0123456789abcdef0123456789abcdef" and not problems
    assert "0123" not in repr(token) and str(token) == "<token>"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://pretalx.example.org", "https://pretalx.example.org/api"),
        ("https://pretalx.example.org/", "https://pretalx.example.org/api"),
        ("https://pretalx.example.org/api/", "https://pretalx.example.org/api"),
        ("http://127.0.0.1:8000/sub/", "http://127.0.0.1:8000/sub/api"),
    ],
)
def test_the_api_address_is_found_under_the_server_address(url: str, expected: str) -> None:
    assert api_root(url, "/api", "x", Collector()) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://example.org", "is not an http(s) address"),
        ("pretalx.example.org", "is not an http(s) address"),
        ("https://user:hunter2@example.org", "holds a user name or password"),
        ("https://example.org/?token=1", "has a query or fragment"),
    ],
)
def test_a_bad_url_is_an_input_problem(url: str, expected: str) -> None:
    problems = Collector()
    assert api_root(url, "/api", "x", problems) is None
    assert expected in problems.problems[0].message and "hunter2" not in str(problems.problems[0])
