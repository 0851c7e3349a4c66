"""Hostile input against every example server (issue 11).

Readers copy these programs, so each one must answer hostile input with a clear
4xx, never a 500 or a traceback, and must not change what it stores. For every
program that an example test starts with start_example(), this test starts it
once more as a real server, learns its routes from the Application its own
main() builds (examples/hostile.py), and sends every route:

* path groups replaced by ids beyond 64 bits, 5,000-digit numbers, Unicode
  digits (², ١٢), NUL and control characters, a lone surrogate;
* the same values in every query argument, form field and cookie the
  handler's source reads;
* old-format, tampered and malformed signed cookies;
* every method the handler does not implement;
* a foreign Host header (which must not come back in links or headers);
* malformed, deeply nested and oversized JSON to handlers that read a body;
* off-site redirect targets and markup in every argument (no redirect to
  another site, no markup back unescaped in HTML);
* hostile request headers (Range, If-Modified-Since, Authorization, ...) and
  malformed multipart bodies; a form posted from another site;
* a body one byte over the server's max_body_size, declared and chunked;
* messages over the WebSocket limit and deeply nested JSON to WebSocket
  routes, and a handshake from a foreign Origin.

Where a program signs users in (or takes an API token) the routes are
attacked a second time as a signed-in client. Afterwards every page without
parameters must still work (its XML or JSON still parsing), and what the
program stores, read back before and after, must be unchanged unless a
declared route accepted the hostile text. The server must listen on
127.0.0.1 with max_body_size (and websocket_max_message_size) set.

Requests go over raw sockets, not http.client or the server.request helper:
they carry bytes those clients refuse to send (NUL in a cookie, a percent-encoded
lone surrogate, a Host with a Unicode port). The state readers and the sign-in
use the conftest helpers.

A path group made only of digits is an id: every hostile value there must get
a 4xx. Elsewhere a value may be accepted (a name may be "²"), but never with a
5xx. A program that teaches an error on purpose, or needs arguments to start,
says so in DECLARED below; a program the harness cannot cover is declared
with its reason. A new program is covered with no arguments, and fails here
until it starts.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile  # noqa: E402  (examples/hostile.py)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIMEOUT = 5.0  # seconds for one answer
MAX_ARGUMENTS = 6  # argument or cookie names tried per route
FOREIGN_HOST = "foreign-host.example"  # not evil.example: stored hostile text may hold that

# Environment every example may read; the values are made for this run.
ENV = {
    "COOKIE_SECRET": secrets.token_hex(32),
    "COOKIE_KEYS": f"1:{secrets.token_hex(32)} 2:{secrets.token_hex(32)}",
    "AUTHOR_PASSWORD": "correct horse battery",
    "DEMO_PASSWORD": "correct horse battery",
    "NOTES_API_TOKEN": secrets.token_hex(32),
    "GOOGLE_CLIENT_ID": "1234-example.apps.googleusercontent.com",
    "GOOGLE_CLIENT_SECRET": secrets.token_hex(16),
    "OAUTH_CLIENT_ID": "guide-demo",
    "OAUTH_CLIENT_SECRET": secrets.token_hex(16),
}


# ------------------------------------------------------------------ declarations


@dataclass
class Program:
    """What the harness needs to know about one example program."""

    args: tuple[str, ...] = ()  # command-line arguments; {tmp} and {upstream} are filled in
    upstream: tuple[str, ...] = ()  # another example (and its arguments) started first
    prepare: tuple[str, ...] = ()  # arguments of a run before the server starts (e.g. create a user)
    teaches: dict[str, set[int]] = field(default_factory=dict)  # path regex -> answers taught on purpose
    echoes_host: str = ""  # why the program shows the Host header back (it is a lesson)
    unescaped: dict[str, str] = field(default_factory=dict)  # path regex -> why it shows markup raw (a lesson)
    state: Callable | None = None  # state(server, tmp) -> what the program stores, read back
    unread: str = ""  # why the harness does not read back what POST/PUT/DELETE change
    accepts: dict[str, str] = field(default_factory=dict)  # route regex -> why hostile text is stored
    slow: dict[str, str] = field(default_factory=dict)  # path regex -> why it may take longer than TIMEOUT
    login: tuple[str, dict[str, str]] | None = None  # (path, form): sign in, then attack again as a user
    credentials: dict[str, str] = field(default_factory=dict)  # headers of a client with a token: attack again
    logout: str = ""  # the path that ends the session (not attacked while signed in)
    normal: dict[str, str | None] = field(default_factory=dict)  # values beside the hostile one; None: left out
    uncovered: str = ""  # why the harness cannot cover the program


def sqlite_dump(name: str) -> Callable:
    def read(server, tmp: Path):
        with sqlite3.connect(f"file:{tmp / name}?mode=ro", uri=True) as db:
            return list(db.iterdump())

    return read


def get_body(*paths: str, drop: str = "") -> Callable:
    """Read pages; `drop` removes what changes on every request (a regex)."""

    def read(server, tmp: Path):
        bodies = [(path, server.get(path, timeout=TIMEOUT).text) for path in paths]
        return [(path, re.sub(drop, "", body) if drop else body) for path, body in bodies]

    return read


DECLARED: dict[str, Program] = {
    "part1/what-is-tornado/slow_server.py": Program(args=("--delay=0",)),
    "part2/blocking-and-non-blocking/gateway.py": Program(
        args=("--upstream={upstream}/",), upstream=("part2/blocking-and-non-blocking/slow_upstream.py", "--delay=0")
    ),
    "part2/blocking-and-non-blocking/slow_upstream.py": Program(args=("--delay=0",)),
    "part2/coroutines/background.py": Program(
        args=("--interval=0.05", "--send_time=0.01"), unread="stores nothing: counts sends"
    ),
    "part2/coroutines/parallel.py": Program(args=("--delay=0.01",)),
    "part2/coroutines/readings.py": Program(args=("--interval=0.01",)),
    "part2/coroutines/thread_pool.py": Program(args=("--work=0.01",)),
    "part2/coroutines/timeout.py": Program(
        args=("--upstream={upstream}/",), upstream=("part2/blocking-and-non-blocking/slow_upstream.py", "--delay=0")
    ),
    "part2/queues/sample_site.py": Program(args=("--delay=0",)),
    "part3/application-and-routing/bookshelf.py": Program(
        state=get_body("/books"), accepts={"/books": "a book title is free text"}
    ),
    "part3/asynchronous-handlers/progress.py": Program(args=("--interval=0.01",)),
    "part3/asynchronous-handlers/weather.py": Program(
        args=("--upstream={upstream}",), upstream=("part3/asynchronous-handlers/upstream.py",)
    ),
    "part3/long-polling/long_poll_chat.py": Program(
        args=("--poll_timeout=0.2",),
        state=get_body("/updates?since=0"),
        accepts={"/messages": "a chat message is free text"},
    ),  # fmt: skip
    "part3/redirects/redirects.py": Program(unread="no page shows the subscriber list"),
    "part3/request-handlers/arguments.py": Program(state=get_body("/orders/1")),
    "part3/request-handlers/errors.py": Program(teaches={"/broken": {500}}),
    "part3/request-handlers/lifecycle.py": Program(unread="the journal records every request on purpose"),
    "part3/request-handlers/uploads.py": Program(unread="stores nothing: it describes the upload"),
    "part3/websockets/members_only.py": Program(login=("/login", {"name": "ada"}), unread="sign-in only sets a cookie"),
    "part4/templates/namespace.py": Program(unread="stores nothing: POST shows the page again"),
    "part5/authentication/login.py": Program(
        login=("/login", {"name": "alice", "password": ENV["DEMO_PASSWORD"]}),
        logout="/logout",
        unread="a signed-in user's notes are free text; the signed-in pass adds some by design",
    ),
    "part5/oauth2/fake_provider.py": Program(unread="codes and tokens are internal; the OAuth tests replay them"),
    "part5/oauth2/google_login.py": Program(args=("--public_url=https://guide.example",)),
    "part5/oauth2/login.py": Program(args=("--provider_url={upstream}",), upstream=("part5/oauth2/fake_provider.py",)),
    "part5/xsrf/notes.py": Program(
        credentials={"Authorization": f"Bearer {ENV['NOTES_API_TOKEN']}"},
        state=get_body("/", drop=r'name="_xsrf" value="[^"]*"'),
        accepts={
            "/notes": "a note is free text",
            "/api/notes": "a client with the token may add a note",
            "/notes/[0-9]+": "a request that passes the XSRF check may change or delete a note",
        },
    ),  # fmt: skip
    "part6/debug-mode/debug_app.py": Program(teaches={"/broken": {500}}),
    "part6/nginx/backend.py": Program(
        echoes_host="the page shows what the backend sees of the request",
        slow={"/wait": "waits as long as ?seconds= asks"},
        unread="stores nothing: it echoes what it received",
    ),
    "part6/performance/hello_server.py": Program(args=("--processes=1",)),
    "part6/processes/forked.py": Program(args=("--processes=1",)),
    "part6/processes/server.py": Program(
        args=("--drain_timeout=0.5",), slow={"/work": "sleeps as long as ?seconds= asks, up to 30 s"}
    ),
    "part6/testing/guestbook.py": Program(
        login=("/login", {"name": "ada"}), unread="entries are free text; the signed-in pass adds some by design"
    ),
    "part6/wsgi/wsgi_executor.py": Program(args=("--delay=0.01",)),
    "part7/authors/blog.py": Program(
        args=("--db={tmp}/blog.db",),
        prepare=("--db={tmp}/blog.db", "--create_author=ada"),
        login=("/login", {"name": "ada", "password": ENV["AUTHOR_PASSWORD"]}),
        logout="/logout",
        normal={"id": None, "updated": None},  # a new entry, so that hostile titles and texts reach the database
        state=sqlite_dump("blog.db"),
        accepts={"/compose": "an entry's title and text are free text", "/logout": "signing out takes no input"},
    ),  # fmt: skip
    "part7/first-pages/blog.py": Program(args=("--db={tmp}/blog.db",), state=sqlite_dump("blog.db")),
    "part8/old-idioms/notes_db.py": Program(
        args=("--db={tmp}/notes.db",), state=sqlite_dump("notes.db"), accepts={"/notes": "a note is free text"}
    ),
    "part8/old-idioms/prefork.py": Program(args=("--processes=1",)),
}


# ------------------------------------------------------------------ discovery


def _started_programs(test_file: Path) -> set[str]:
    """Scripts a test file starts with start_example("..."), relative to examples/."""
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name != "start_example":
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            script = first.value
        elif isinstance(first, ast.Name) and first.id in constants:
            script = constants[first.id]
        else:
            raise AssertionError(
                f"{test_file.relative_to(ROOT)}:{node.lineno}: start_example() with a name the harness "
                "cannot read; use a string or a module-level constant"
            )
        path = (test_file.parent / script).resolve()
        if path.is_file():  # (a test may start a missing script on purpose, to see the error)
            found.add(path.relative_to(HERE).as_posix())
    return found


def discover() -> list[str]:
    programs: set[str] = set()
    for test_file in sorted(HERE.rglob("test_*.py")):
        if test_file.resolve() != Path(__file__).resolve():
            programs |= _started_programs(test_file)
    return sorted(programs)


# Servers their own tests start another way (so discovery cannot see them): why.
STARTED_OTHERWISE = {
    "part6/debug-mode/template_reload.py": "test_debug_app.py runs a copy that it edits",
}
PROGRAMS = sorted(set(discover()) | set(STARTED_OTHERWISE))


def test_every_declaration_names_a_discovered_program():
    stale = sorted(set(DECLARED) - set(PROGRAMS))
    assert not stale, f"declared but no example test starts them (renamed?): {stale}"


def test_every_example_server_is_started_by_a_test():
    """A program that listens but no test starts would escape the harness."""
    listening = set()
    for path in HERE.rglob("*.py"):
        if path.name.startswith("test_") or path.name in {"conftest.py", "hostile.py"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in {
                "listen", "bind_sockets", "add_sockets",
            }:  # fmt: skip
                listening.add(path.relative_to(HERE).as_posix())
    missing = sorted(listening - set(PROGRAMS))
    assert not missing, f"servers the harness does not know (start them with start_example, or declare): {missing}"


# ------------------------------------------------------------------ requests


@dataclass
class Answer:
    status: int | None  # None: no HTTP answer (closed or timed out)
    headers: str = ""
    body: bytes = b""
    error: str = ""


def raw_request(port: int, data: bytes, *, timeout: float = TIMEOUT, then: bytes = b"") -> Answer:
    """Send bytes, optionally more bytes, and read one HTTP answer (Connection: close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            if then:
                sock.sendall(then)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading; its answer may be waiting
        received = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            if not received:
                return Answer(None, error=f"no answer within {timeout} s")
        except ConnectionResetError:
            if not received:
                return Answer(None, error="connection reset without an answer")
    head, _, body = received.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    if not match:
        return Answer(None, error=f"not an HTTP answer: {received[:80]!r}")
    return Answer(int(match[1]), head.decode("latin-1"), body)


@dataclass
class Case:
    what: str  # a label for the report
    method: str
    path: str  # already percent-encoded
    pattern: str | None  # the route the case aims at
    headers: dict[str, str | bytes] = field(default_factory=dict)
    body: bytes | None = None
    expect_4xx: bool = False
    check_host: bool = False

    def encode(self, host: str) -> bytes:
        headers = {"Host": host, "Connection": "close", **self.headers}  # a case may replace Host
        if self.body is not None:
            headers["Content-Length"] = str(len(self.body))
        lines = [f"{self.method} {self.path} HTTP/1.1".encode("latin-1")]
        for name, value in headers.items():
            value = value if isinstance(value, bytes) else value.encode("latin-1")
            lines.append(name.encode("latin-1") + b": " + value)
        return b"\r\n".join(lines) + b"\r\n\r\n" + (self.body or b"")


def form_body(fields: dict[str, str]) -> bytes:
    return "&".join(f"{hostile.encode(k)}={hostile.encode(v)}" for k, v in fields.items()).encode("ascii")


XSRF = "ab" * 16  # a version-1 token: the same hex in the cookie and the field passes the check
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
EVERY_METHOD = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW")


def signed_cookie_values(secret, name: str) -> list[str]:
    """Old-format, tampered and malformed values for a signed cookie."""
    import tornado.web

    values = ["1|2|3", "MTA=|1700000000|" + "0" * 40, "2|1:0|99999999999999999999:1|5:" + name + "|1:a|" + "0" * 64,
              "2|" + "9" * 5000, "999|x", "2|1:0|10:1700000000|", "\x00"]  # fmt: skip
    if secret:
        key_version = max(int(k) for k in secret) if isinstance(secret, dict) else None
        if isinstance(secret, dict):
            secret = {int(k): v for k, v in secret.items()}
        good = tornado.web.create_signed_value(secret, name, "1", key_version=key_version).decode()
        values.append(good[:-1] + ("0" if good[-1] != "0" else "1"))  # a changed signature
        values.append(good.replace("|4:MQ==|", "|4:Mg==|"))  # the value changed from 1 to 2
    return values


def build_cases(
    description: dict, program: Program, cookies: dict[str, str] | None = None, credentials: dict | None = None
) -> list[Case]:
    """The hostile requests for every route; `cookies` (a session) or `credentials` (headers) go with each."""
    settings = description["settings"]
    xsrf = bool(settings.get("xsrf_cookies"))
    limit = description["listen"].get("max_body_size") or 100 * 1024 * 1024
    secret = description.get("cookie_secret")
    cases: list[Case] = []

    def with_xsrf(method: str, headers: dict) -> dict:
        if cookies:
            cookie = headers.get("Cookie", b"")
            cookie = cookie if isinstance(cookie, bytes) else cookie.encode("latin-1")
            own = {part.split(b"=", 1)[0].strip() for part in cookie.split(b";") if part}
            extra = "; ".join(f"{k}={v}" for k, v in cookies.items() if k.encode() not in own and k != "_xsrf")
            headers = {**headers, "Cookie": cookie + (b"; " if cookie and extra else b"") + extra.encode()}
        if xsrf and method not in ("GET", "HEAD", "OPTIONS"):
            cookie = headers.get("Cookie", b"")
            cookie = cookie if isinstance(cookie, bytes) else cookie.encode("latin-1")
            cookie += (b"; " if cookie else b"") + f"_xsrf={XSRF}".encode()
            headers = {**headers, "Cookie": cookie, "X-XSRFToken": XSRF}
        return headers

    for route in description["routes"]:
        pattern = route["pattern"]
        methods = route["methods"]
        path = hostile.sample_path(pattern) if pattern else "/no-such-page"
        assert not pattern or re.fullmatch(pattern, path), f"the sample {path!r} does not match {pattern!r}"
        if (cookies or credentials) and any(
            re.fullmatch(regex, path) for regex in (program.logout, program.login and program.login[0]) if regex
        ):
            continue  # signing out would end the pass; signing in again was attacked already
        # A route for another host (add_handlers) is reached with a Host its pattern matches.
        route_host = hostile.sample_path(route["host"]) if route["host"] else None
        safe = next((m for m in ("GET", "HEAD") if m in methods), None)
        first = safe or (methods[0] if methods else "GET")

        def request(
            what, method, target=path, headers=None, fields=None, body=None, *, pattern=pattern, host=route_host, **kw
        ):
            headers = {**(credentials or {}), **(headers or {})}
            if host:
                headers.setdefault("Host", host)
            if fields is not None:
                fields = {**fields, **({"_xsrf": XSRF} if xsrf and method not in ("GET", "HEAD") else {})}
                body = form_body(fields)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            if method in UNSAFE and body is None:
                body = b""
            cases.append(Case(what, method, target, pattern, with_xsrf(method, headers), body, **kw))

        # Path groups.
        if pattern:
            numeric = hostile.numeric_groups(pattern)
            values = hostile.VALUES + (STATIC_VALUES if route["kind"] == "static" else [])
            for group in range(1, hostile.group_count(pattern) + 1):
                for value in values + [MARKUP]:
                    encoded = value if value in STATIC_VALUES else hostile.encode(value)
                    target = hostile.sample_path(pattern, {group: encoded})
                    request(f"group {group} = {value[:20]!r}", first, target,
                            fields={} if first in UNSAFE else None,
                            expect_4xx=group in numeric or value in STATIC_VALUES)  # fmt: skip
        # Query arguments and form fields.
        names = route["arguments"][:MAX_ARGUMENTS]
        for method in methods:
            if method in ("HEAD", "OPTIONS"):
                continue
            for name in names:
                for value in hostile.VALUES + OFF_SITE + [MARKUP]:
                    if method in UNSAFE:
                        fields = {other: program.normal.get(other, "a") for other in names}
                        fields = {k: v for k, v in fields.items() if v is not None}
                        # In the form and in the query: a POST handler may read either.
                        target = f"{path}?{hostile.encode(name)}={hostile.encode(value)}"
                        request(f"field {name} = {value[:20]!r}", method, target, fields={**fields, name: value})
                    else:
                        query = "&".join(
                            f"{other}={hostile.encode(program.normal.get(other, '1'))}"
                            for other in names
                            if other != name and program.normal.get(other, "1") is not None
                        )
                        target = f"{path}?{query + '&' if query else ''}{name}={hostile.encode(value)}"
                        request(f"argument {name} = {value[:20]!r}", method, target)
            if method == "GET":  # arguments the source does not name, read through request.arguments
                request("odd query", method, f"{path}?%00=%00&%ff=1&=&&a&a=1&a=2")
                request("1,000 arguments", method, f"{path}?" + "&".join(f"a{i}=1" for i in range(1000)))
            if method in UNSAFE and route["kind"] not in ("other", "fallback"):
                request("no fields at all", method, fields={})
        # Cookies.
        for name in route["cookies"][:MAX_ARGUMENTS]:
            for value in hostile.VALUES + [MARKUP]:
                request(f"cookie {name} = {value[:20]!r}", first,
                        headers={"Cookie": f"{name}=".encode() + value.encode("utf-8", "surrogatepass")},
                        fields={} if first in UNSAFE else None)  # fmt: skip
        for name in route["signed_cookies"][:MAX_ARGUMENTS]:
            for value in signed_cookie_values(secret, name):
                request(f"signed cookie {name} = {value[:24]!r}", first,
                        headers={"Cookie": f"{name}=".encode() + value.encode("utf-8")},
                        fields={} if first in UNSAFE else None)  # fmt: skip
        # Wrong methods.
        if route["kind"] not in ("other", "fallback"):
            for method in EVERY_METHOD:
                if method not in methods:
                    request(f"method {method}", method, expect_4xx=True)
        # A foreign Host header, and hostile values in the headers a handler may read.
        if safe == "GET":
            request(f"Host: {FOREIGN_HOST}", "GET", headers={"Host": FOREIGN_HOST}, check_host=True)
            for name, value in HEADERS:
                request(f"{name}: {value[:24]!r}", "GET", headers={name: value})
        # A form posted from another site's page: refused where cross_origin_protection is on.
        if settings.get("cross_origin_protection") and not (cookies or credentials):
            for method in (m for m in methods if m in UNSAFE):
                request("from another site", method, fields={name: "a" for name in names},
                        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
                        expect_4xx=True)  # fmt: skip
        # Malformed multipart bodies.
        if route["kind"] == "handler":
            for method in (m for m in methods if m in UNSAFE):
                for content_type, body in MULTIPART:
                    request(f"multipart {body[:24]!r}", method, headers={"Content-Type": content_type}, body=body)
        # JSON bodies.
        if route["json"] or route["body"]:
            for method in (m for m in methods if m in UNSAFE):
                for body, malformed in json_bodies(limit):
                    request(f"JSON {body[:20]!r}", method, headers={"Content-Type": "application/json"},
                            body=body, expect_4xx=malformed and route["json"])  # fmt: skip

    # Program-wide paths.
    for target in GLOBAL_PATHS + (STATIC_PATHS if settings.get("static_path") else []):
        cases.append(Case(f"path {target[:30]}", "GET", target, None))
    cases.append(Case("absolute-form target", "GET", "http://evil.example/", None))
    cases.append(Case("asterisk target", "OPTIONS", "*", None))
    for value in ("evil.example:99999999999999999999", "evil.example:\u00b2".encode(), b"a\x00b", "[::1"):
        cases.append(Case(f"Host: {value!r}", "GET", "/", None, {"Host": value}))
    return cases


# Where a redirect must never go: another site, spelled as browsers read it.
OFF_SITE = ["//evil.example/", "https://evil.example/", "/\\evil.example/", "https:evil.example"]
# Markup that must never come back unescaped in an HTML page.
MARKUP = '"><script>alert(1)</script>'

STATIC_VALUES = ["%00", "site.css%00", "blog.css%00", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/hostile.py",
                 ".env", "%ff"]  # fmt: skip
GLOBAL_PATHS = ["/%00", "/%ff", "/" + "9" * 5000, "/a%00b/", "/..%2f..%2fetc%2fpasswd", "//evil.example/"]
STATIC_PATHS = ["/static/%00", "/static/blog.css%00", "/static/%ff", "/static/..%2fhostile.py"]


HEADERS: list[tuple[str, str | bytes]] = [
    ("Accept-Language", "zh-CN;q=\u00b2,en;q=nan,*;q=-1,xx;q=1e999".encode()),
    ("Authorization", "Bearer " + "9" * 5000),
    ("Authorization", "Basic !!!"),
    ("Range", "bytes=18446744073709551616-"),
    ("Range", "bytes=5-1"),
    ("Range", "bytes=\u00b2-".encode()),
    ("If-Modified-Since", "Mon, 99 Foo 99999 99:99:99 GMT"),
    ("If-None-Match", '"' + "a" * 5000 + '"'),
    ("X-Real-IP", "999.999.999.999"),
    ("X-Forwarded-For", "\x01, evil"),
    ("X-Scheme", "javascript"),
    ("Cookie", 'a="b; ;=; ' + "c=d; " * 500),
    ("Accept", "*/*;q=\u00b2".encode()),
]
MULTIPART = [
    ("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage\r\n--xyz--\r\n"),
    ("multipart/form-data; boundary=xyz",
     b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="../../\x00.py"\r\n\r\nx\r\n--xyz--\r\n'),
    ("multipart/form-data", b"no boundary"),
    ("application/x-www-form-urlencoded; charset=\x01", b"a=%zz&%ff=1&=&&"),
]  # fmt: skip


def json_bodies(limit: int) -> list[tuple[bytes, bool]]:
    """(body, malformed): malformed bodies must get a 4xx."""
    deep = min(50_000, max(limit - 1, 1))
    return [
        (b"{", True),
        (b"\x00", True),
        (b"[" * deep, True),
        (b"[" * (deep // 2) + b"]" * (deep // 2), False),
        (b"1" * 5000, True),
        (b"\xff\xfe", True),
        (b'"\\ud800"', False),
        (b'{"text": "\\ud800", "id": 18446744073709551616}', False),
        (b"NaN", False),
        (b"[]", False),
        (b"null", False),
    ]


# ------------------------------------------------------------------ the test


def learn(script: str, args: list[str], env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "hostile.py"), "routes", script, *args], cwd=ROOT, env=env,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    for line in done.stdout.splitlines():
        if line.startswith(hostile.MARKER):
            return json.loads(line[len(hostile.MARKER) :])
    raise AssertionError(f"could not learn the routes of {script}:\n{done.stdout}\n{done.stderr}")


TRACEBACK = "Traceback (most recent call last)"
# Errors asyncio logs without a traceback.
BAD_LOG_LINES = ("Task was destroyed but it is pending", "Exception in callback", "ResourceWarning")
EXCEPTION_LINE = re.compile(r"^\s*([\w.]+(?:Error|error|Exception|Exit|Interrupt)\b.*)$", re.MULTILINE)


def off_site(location: str) -> bool:
    """True if a browser would follow this Location to evil.example."""
    from urllib.parse import urljoin, urlsplit

    location = location.strip().replace("\\", "/")
    # "https:evil.example" and "http:/evil.example": browsers add the missing slashes.
    location = re.sub(r"(?i)^https?:(?!//)/*", "//", location)
    absolute = urljoin("http://127.0.0.1/here/", location)
    return (urlsplit(absolute).hostname or "").endswith("evil.example")


def exceptions_in(log: str) -> str:
    """The exception lines that end the tracebacks in a piece of the server's log."""
    found = []
    for block in log.split(TRACEBACK)[1:]:
        match = EXCEPTION_LINE.search(block)
        found.append(match[1][:160] if match else "?")
    return "; ".join(dict.fromkeys(found))


def over_the_limit(server, description: dict, path: str) -> list[str]:
    """A body one byte over max_body_size, declared in Content-Length and sent chunked."""
    limit = description["listen"].get("max_body_size") or 100 * 1024 * 1024
    problems = []
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode()
    answer = raw_request(server.port, head + f"Content-Length: {limit + 1}\r\n\r\n".encode())
    if answer.status is None or not 400 <= answer.status < 500:
        problems.append(f"POST {path} with Content-Length {limit + 1} (limit {limit}): {answer.status or answer.error}")
    if limit <= 4 * 1024 * 1024:
        size = 64 * 1024
        chunks, left = [], limit + 1
        while left > 0:
            n = min(size, left)
            chunks.append(f"{n:x}\r\n".encode() + b"a" * n + b"\r\n")
            left -= n
        answer = raw_request(
            server.port, head + b"Transfer-Encoding: chunked\r\n\r\n", then=b"".join(chunks) + b"0\r\n\r\n"
        )
        if answer.status is not None and not 400 <= answer.status < 500:
            problems.append(f"POST {path} chunked, {limit + 1} bytes (limit {limit}): {answer.status}")
    return problems


def read_again(server, description: dict, program: Program) -> list[str]:
    """After the attacks every page without parameters still works, and its XML or JSON parses."""
    import xml.etree.ElementTree as ElementTree

    problems = []
    for route in description["routes"]:
        pattern = route["pattern"]
        if not pattern or hostile.group_count(pattern) or "GET" not in route["methods"] or route["kind"] != "handler":
            continue
        path = hostile.sample_path(pattern)
        if any(re.fullmatch(regex, path) for regex in program.teaches):
            continue
        answer = raw_request(server.port, Case("", "GET", path, pattern).encode(f"127.0.0.1:{server.port}"))
        if answer.status is None or answer.status >= 500:
            problems.append(f"GET {path} after the attacks: {answer.status or answer.error}")
            continue
        content_type = re.search(r"(?im)^content-type:\s*([^;\r\n]+)", answer.headers)
        kind = content_type[1].strip() if content_type else ""
        try:
            if kind.endswith("xml"):
                ElementTree.fromstring(answer.body)
            elif kind == "application/json":
                json.loads(answer.body)
        except (ElementTree.ParseError, ValueError) as error:
            problems.append(f"GET {path} after the attacks: the {kind} no longer parses: {error}")
    return problems


async def websocket_attacks(url: str, limit: int | None, cookies: dict[str, str]) -> list[str]:
    """Messages over the limit, deeply nested JSON, NUL and invalid JSON; the server must stay up.

    Without cookies a refused handshake (a 4xx) is a fine answer too.
    """
    import tornado.httpclient
    import tornado.websocket

    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    request = tornado.httpclient.HTTPRequest(url, headers=headers)

    problems = []
    size = (limit or 10 * 1024 * 1024) + 1
    deep = "[" * min(3000, size - 2)  # deeper than json.loads can go (RecursionError), within the limit
    for message in [deep, "a" * size, "\x00", "{", '{"text": "\\ud800"}', "9" * min(5000, size - 2)]:
        try:
            connecting = tornado.websocket.websocket_connect(request, max_message_size=size * 2)
            conn = await asyncio.wait_for(connecting, TIMEOUT)
        except tornado.httpclient.HTTPClientError as error:
            if not cookies and 400 <= error.code < 500:
                return problems  # refused before the handshake
            problems.append(f"WebSocket {url}: could not connect: {error!r}")
            return problems
        except Exception as error:  # noqa: BLE001
            problems.append(f"WebSocket {url}: could not connect: {error!r}")
            return problems
        too_big = len(message) >= size
        try:
            await conn.write_message(message)
            # Over the limit the server must close (1009); otherwise it may answer or stay silent.
            deadline = time.monotonic() + (TIMEOUT if too_big else 0.3)
            while time.monotonic() < deadline and await asyncio.wait_for(conn.read_message(), 0.3 + too_big * TIMEOUT):
                pass
        except (TimeoutError, tornado.websocket.WebSocketClosedError, tornado.iostream.StreamClosedError):
            pass
        finally:
            closed_by_server = conn.close_code
            conn.close()
        if too_big and closed_by_server != 1009:
            problems.append(f"WebSocket message of {len(message)} bytes (limit {size - 1}): close code "
                            f"{closed_by_server}, expected 1009")  # fmt: skip
    # A page of another site may not open the socket (Tornado's check_origin).
    foreign = tornado.httpclient.HTTPRequest(url, headers={**headers, "Origin": "https://evil.example"})
    try:
        conn = await asyncio.wait_for(tornado.websocket.websocket_connect(foreign), TIMEOUT)
        conn.close()
        problems.append(f"WebSocket {url}: a handshake with Origin https://evil.example was accepted")
    except tornado.httpclient.HTTPClientError as error:
        if not 400 <= error.code < 500:
            problems.append(f"WebSocket {url} with a foreign Origin: {error.code}")
    return problems


@pytest.mark.parametrize("program", PROGRAMS)
def test_hostile_input(program, start_example, run_example, tmp_path, monkeypatch):
    declared = DECLARED.get(program, Program())
    if declared.uncovered:
        pytest.skip(f"declared uncovered: {declared.uncovered}")
    env = {**ENV}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    fill = {"tmp": str(tmp_path)}
    if declared.upstream:
        fill["upstream"] = start_example(*declared.upstream).url
    args = [arg.format(**fill) for arg in declared.args]
    if declared.prepare:
        done = run_example(program, *[arg.format(**fill) for arg in declared.prepare])
        assert done.returncode == 0, done.stderr
    script = (HERE / program).relative_to(ROOT).as_posix()
    description = learn(script, args, {**_env(), **env})
    server = start_example(program, *args, allow_tracebacks=True)
    before = declared.state(server, tmp_path) if declared.state else None

    problems: list[str] = []
    # What the source check (test_server_conventions.py) cannot see: the address in effect by default.
    address = description["listen"].get("address")
    if address not in ("127.0.0.1", "::1", "localhost"):
        problems.append(f"listens on {address!r} by default, not on 127.0.0.1")
    if description["listen"].get("max_body_size") is None:
        problems.append("no max_body_size: Tornado's default lets a client send 100 MiB")
    has_websocket = any(route["kind"] == "websocket" for route in description["routes"])
    if has_websocket and "websocket_max_message_size" not in description["settings"]:
        problems.append("a WebSocket route but no websocket_max_message_size: Tornado's default is 10 MiB")
    accepted: list[str] = []
    seen = 0
    cases = build_cases(description, declared)
    signed_in: dict[str, str] = {}
    if declared.login:
        session = server.session()
        form = dict(declared.login[1])
        if description["settings"].get("xsrf_cookies"):
            session.get(declared.login[0])
            form = session.xsrf_form(form)
        answer = session.post(declared.login[0], form=form)
        assert answer.status in (200, 302, 303), f"could not sign in: {answer.status} {answer.text[:300]}"
        signed_in = {k: v for k, v in session.cookies.items() if k != "_xsrf"}
        cases += build_cases(description, declared, signed_in)
    if declared.credentials:
        cases += build_cases(description, declared, credentials=declared.credentials)
    for case in cases:
        slow = any(re.fullmatch(regex, case.path.split("?")[0]) for regex in declared.slow)
        answer = raw_request(server.port, case.encode(f"127.0.0.1:{server.port}"), timeout=0.3 if slow else TIMEOUT)
        output = server.output()
        tracebacks = output.count(TRACEBACK, seen)
        seen_before, seen = seen, len(output)
        taught = next(
            (answers for regex, answers in declared.teaches.items() if re.fullmatch(regex, case.path.split("?")[0])),
            None,
        )
        label = f"{case.method} {case.path[:80]} [{case.what}]"
        if taught is not None and (answer.status in taught or 400 <= (answer.status or 0) < 500):
            continue  # the page teaches this answer
        logged = f"; the log shows {exceptions_in(output[seen_before:])}" if tracebacks else ""
        if answer.status is None and slow:
            pass  # still waiting, as asked
        elif answer.status is None:
            problems.append(f"{label}: {answer.error}{logged}")
        elif answer.status >= 500:
            problems.append(f"{label}: {answer.status}{logged}")
        elif case.expect_4xx and not 400 <= answer.status < 500:
            problems.append(f"{label}: {answer.status}, expected a 4xx{logged}")
        elif tracebacks:
            problems.append(f"{label}: {answer.status}{logged}")
        if MARKUP.encode() in answer.body and re.search(r"(?im)^content-type:\s*text/html", answer.headers):
            if not any(re.fullmatch(regex, case.path.split("?")[0]) for regex in declared.unescaped):
                problems.append(f"{label}: the markup came back unescaped in an HTML page")
        location = re.search(r"(?im)^location:[ \t]*(\S*)", answer.headers)
        if location and off_site(location[1]):
            problems.append(f"{label}: redirects to another site: {location[1][:80]}")
        if case.check_host and not declared.echoes_host:
            if FOREIGN_HOST.encode() in answer.body or FOREIGN_HOST in answer.headers:
                problems.append(f"{label}: the foreign Host came back in the answer")
        if case.method in UNSAFE and answer.status is not None and answer.status < 400:
            accepted.append(f"{case.method} {case.path.split('?')[0]}")

    unsafe_routes = [r for r in description["routes"] if set(r["methods"]) & set(UNSAFE)]
    changing = [r for r in unsafe_routes if r["kind"] in ("handler", "websocket")]
    if changing and not (declared.state or declared.unread):
        problems.append(
            f"routes {[r['pattern'] for r in changing]} take POST/PUT/PATCH/DELETE: declare state= to read "
            "back what the program stores, or unread= with the reason it stores nothing readable"
        )
    target = unsafe_routes[0]["pattern"] if unsafe_routes else None
    problems += over_the_limit(server, description, hostile.sample_path(target) if target else "/")

    for route in description["routes"]:
        if route["kind"] == "websocket" and route["pattern"]:
            url = f"ws://127.0.0.1:{server.port}{hostile.sample_path(route['pattern'])}"
            limit = description["settings"].get("websocket_max_message_size")
            problems += asyncio.run(websocket_attacks(url, limit, {}))
            if signed_in:
                problems += asyncio.run(websocket_attacks(url, limit, signed_in))

    problems += read_again(server, description, declared)
    time.sleep(0.2)  # let a late "Task exception was never retrieved" reach the log
    output = server.output()
    late = output.count(TRACEBACK, seen)
    if late:
        problems.append(f"{late} traceback(s) in the server's log after the requests: {exceptions_in(output[seen:])}")
    for line in output.splitlines():
        if any(sign in line for sign in BAD_LOG_LINES):
            problems.append(f"the server's log says: {line.strip()[:160]}")

    if declared.state:
        after = declared.state(server, tmp_path)
        if after != before:
            undeclared = sorted(
                {a for a in accepted if not any(re.fullmatch(r, a.split(" ", 1)[1]) for r in declared.accepts)}
            )
            if undeclared or not accepted:
                problems.append(f"stored data changed; hostile requests accepted: {undeclared or 'none'}")
    elif accepted and not declared.accepts:
        pass  # nothing is stored that the harness can read back (see DECLARED)

    print(f"{program}: {len(cases)} hostile requests, {len(problems)} problem(s)")
    assert not problems, f"{program}: {len(problems)} problem(s) in {len(cases)} requests\n" + "\n".join(problems[:60])


def _env() -> dict:
    import os

    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONWARNINGS", None)
    return env


# ------------------------------------------------------------------ the harness's own helpers


@pytest.mark.parametrize(
    "pattern",
    [r"/$", r"/books/([0-9]{1,9})$", r"/archive/(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])$",
     r"/service/(weather|news|traffic)$", r"/hello/([^/]+)$", r"(/.*)$", r"/static/(.*)$", r"/feed\.atom$"],
)  # fmt: skip
def test_a_sample_path_matches_its_route(pattern):
    assert re.fullmatch(pattern, hostile.sample_path(pattern))
    for group in range(1, hostile.group_count(pattern) + 1):
        # A hostile value goes exactly where the group was.
        assert "%C2%B2" in hostile.sample_path(pattern, {group: hostile.encode("²")})


def test_only_digit_groups_are_ids():
    assert hostile.numeric_groups(r"/books/([0-9]{1,9})/(\d+)/([a-z]+)/(0[1-9]|1[0-2])") == {1, 2}


@pytest.mark.parametrize(
    ("location", "away"),
    [("//evil.example/", True), ("/\\evil.example/", True), ("https:evil.example", True),
     ("https://evil.example/x", True), ("/next", False), ("http://127.0.0.1/a", False), ("evil.example", False)],
)  # fmt: skip
def test_off_site_reads_a_location_as_a_browser_does(location, away):
    assert off_site(location) is away


def test_signed_cookie_values_include_old_and_tampered_ones():
    import tornado.web

    secret = "s" * 32
    values = signed_cookie_values(secret, "user")
    assert "1|2|3" in values  # version 1, the old format
    good = tornado.web.create_signed_value(secret, "user", "1").decode()
    changed = [v for v in values if v.startswith("2|1:0|") and len(v) == len(good) and v != good]
    assert len(changed) == 2  # the signature changed, and the value changed
    assert all(tornado.web.decode_signed_value(secret, "user", v) is None for v in changed)
