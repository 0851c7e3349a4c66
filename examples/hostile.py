"""Helpers for the hostile-input harness (examples/test_hostile_input.py).

Two halves:

* `python examples/hostile.py routes SCRIPT [ARGS...]` runs the example's own
  main() with the same arguments the harness starts the server with, but stops
  it at the moment it would listen, and prints the Application it built: every
  route with its handler, the methods the handler implements, the arguments
  and cookies its source reads, the settings, and the max_body_size and
  address it would listen with. The route table is therefore the real one
  (make_app() called by main() with its real arguments), not a copy.
* The functions below it turn that description into requests: a sample path
  for a route pattern with chosen values in its groups, and the hostile values.

It runs in a subprocess because every example defines its options (port, ...)
in Tornado's global option parser, and two examples in one process collide.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import runpy
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MARKER = "HOSTILE-ROUTES:"
# RequestHandler methods that read request arguments and cookies.
ARGUMENT_READERS = {
    "get_argument", "get_arguments", "get_query_argument", "get_query_arguments",
    "get_body_argument", "get_body_arguments",
}  # fmt: skip
COOKIE_READERS = {"get_cookie"}
SIGNED_COOKIE_READERS = {"get_signed_cookie", "get_secure_cookie", "get_signed_cookie_key_version"}
JSON_READERS = {"json_decode", "loads"}

# ------------------------------------------------------------------ learning routes


class Captured(BaseException):
    """Raised where the example would start listening; carries the server it built.

    A BaseException, so that an example's `except Exception` does not swallow it.
    """

    def __init__(self, callback, listen: dict):
        super().__init__("captured")
        self.callback = callback
        self.listen = listen


def _patch_listening(bound: dict) -> None:
    """Make every way of listening raise Captured instead (before the example is imported)."""
    import tornado.netutil
    import tornado.process
    import tornado.tcpserver

    def capture(server, kwargs):
        params = getattr(server, "conn_params", None)
        listen = {
            "address": kwargs.get("address", bound.get("address")),
            "max_body_size": getattr(params, "max_body_size", None),
            "xheaders": getattr(server, "xheaders", None),
        }
        raise Captured(getattr(server, "request_callback", None), listen)

    def listen(self, port, address=None, *args, **kwargs):
        capture(self, {"address": address})

    def bind(self, port, address=None, *args, **kwargs):
        capture(self, {"address": address})

    def add_sockets(self, sockets):
        capture(self, {})

    def bind_sockets(port, address=None, *args, **kwargs):
        bound["address"] = address
        return []

    tornado.tcpserver.TCPServer.listen = listen
    tornado.tcpserver.TCPServer.bind = bind
    tornado.tcpserver.TCPServer.add_sockets = add_sockets
    tornado.tcpserver.TCPServer.add_socket = lambda self, sock: add_sockets(self, [sock])
    tornado.netutil.bind_sockets = bind_sockets
    tornado.process.fork_processes = lambda *args, **kwargs: None


# The class definitions of the example being learned, by name (inspect.getsource
# cannot find classes of a script run as __main__ by runpy).
SCRIPT_CLASSES: dict[str, ast.ClassDef] = {}
# Its module-level string constants, for cookie and argument names kept in one (COOKIE = "user").
SCRIPT_CONSTANTS: dict[str, str] = {}


def _source_names(cls) -> dict:
    """Argument and cookie names, and JSON use, read in the source of cls and its bases."""
    import tornado.web

    found = {"arguments": set(), "cookies": set(), "signed_cookies": set(), "json": False, "body": False}
    for klass in inspect.getmro(cls):
        if klass.__module__.startswith("tornado.") or klass is object:
            continue
        if klass.__module__ == "__main__":  # the example itself, run by runpy
            tree = SCRIPT_CLASSES.get(klass.__qualname__)
        else:
            try:
                tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
            except (OSError, TypeError, SyntaxError):
                tree = None
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "body":
                found["body"] = True
            if not (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                constant = first.value
            elif isinstance(first, ast.Name):
                constant = SCRIPT_CONSTANTS.get(first.id)
            else:
                constant = None
            if name in JSON_READERS:
                found["json"] = True
            if constant is None:
                continue
            if name in ARGUMENT_READERS:
                found["arguments"].add(constant)
            elif name in COOKIE_READERS:
                found["cookies"].add(constant)
            elif name in SIGNED_COOKIE_READERS:
                found["signed_cookies"].add(constant)
    # current_user comes from the application's handler base class, but the
    # xsrf cookie is Tornado's own.
    if issubclass(cls, tornado.web.RequestHandler):
        found["cookies"].discard("_xsrf")
    return {key: sorted(value) if isinstance(value, set) else value for key, value in found.items()}


def _describe_handler(cls, kwargs: dict) -> dict:
    import tornado.web
    import tornado.websocket

    kind = "handler"
    for base, name in [
        (tornado.websocket.WebSocketHandler, "websocket"),
        (tornado.web.StaticFileHandler, "static"),
        (tornado.web.RedirectHandler, "redirect"),
        (tornado.web.FallbackHandler, "fallback"),
        (tornado.web.ErrorHandler, "error"),
    ]:
        if issubclass(cls, base):
            kind = name
            break
    unimplemented = tornado.web.RequestHandler._unimplemented_method
    methods = [m for m in cls.SUPPORTED_METHODS if getattr(cls, m.lower(), unimplemented) is not unimplemented]
    plain = {k: v for k, v in (kwargs or {}).items() if isinstance(v, (str, int, float, bool)) or v is None}
    return {"handler": f"{cls.__module__}.{cls.__qualname__}", "kind": kind, "methods": methods,
            "kwargs": plain, **_source_names(cls)}  # fmt: skip


def _walk(router, host: str | None, out: list) -> None:
    import tornado.routing
    import tornado.web

    for rule in getattr(router, "rules", []):
        matcher, target = rule.matcher, rule.target
        if isinstance(matcher, tornado.routing.HostMatches):
            _walk(target, matcher.host_pattern.pattern, out)
            continue
        if isinstance(target, tornado.routing.Router):
            _walk(target, host, out)
            continue
        if isinstance(matcher, tornado.routing.PathMatches):
            pattern = matcher.regex.pattern
        else:
            pattern = None
        entry = {"pattern": pattern, "host": host, "name": getattr(rule, "name", None)}
        if isinstance(target, type) and issubclass(target, tornado.web.RequestHandler):
            entry.update(_describe_handler(target, rule.target_kwargs))
        else:
            entry.update({"handler": repr(target), "kind": "other", "methods": ["GET", "POST"],
                          "kwargs": {}, "arguments": [], "cookies": [], "signed_cookies": [],
                          "json": False, "body": False})  # fmt: skip
        out.append(entry)


def describe(callback, listen: dict) -> dict:
    import tornado.web

    if not isinstance(callback, tornado.web.Application):
        # A WSGIContainer or other callable served directly: one catch-all route.
        return {"application": repr(callback), "listen": listen, "settings": {}, "cookie_secret": None,
                "routes": [{"pattern": "/(.*)", "host": None, "name": None, "handler": repr(callback),
                            "kind": "other", "methods": ["GET", "POST"], "kwargs": {}, "arguments": [],
                            "cookies": [], "signed_cookies": [], "json": False, "body": False}]}  # fmt: skip
    routes: list = []
    _walk(callback.default_router, None, routes)
    settings = callback.settings
    default = settings.get("default_handler_class")
    if default is not None:
        routes.append({"pattern": None, "host": None, "name": "default_handler_class",
                       **_describe_handler(default, settings.get("default_handler_args", {}))})  # fmt: skip
    secret = settings.get("cookie_secret")
    if isinstance(secret, bytes):
        secret = secret.decode("latin-1")
    if isinstance(secret, dict):
        secret = {str(k): v.decode("latin-1") if isinstance(v, bytes) else v for k, v in secret.items()}
    keep = ["xsrf_cookies", "cross_origin_protection", "websocket_max_message_size", "static_path",
            "static_url_prefix", "login_url", "debug", "serve_traceback", "key_version"]  # fmt: skip
    return {
        "application": "tornado.web.Application",
        "listen": listen,
        "settings": {k: str(settings[k]) if k == "static_path" else settings[k] for k in keep if k in settings},
        "cookie_secret": secret,
        "routes": routes,
    }


def learn(script: str, args: list[str]) -> dict:
    """Run the example's main program until it would listen; describe what it built."""
    bound: dict = {}
    _patch_listening(bound)
    path = Path(script).resolve()
    sys.argv = [str(path), "--port=0", *args]
    sys.path.insert(0, str(path.parent))
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    SCRIPT_CLASSES.update({node.name: node for node in tree.body if isinstance(node, ast.ClassDef)})
    SCRIPT_CONSTANTS.update({
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    })  # fmt: skip
    try:
        runpy.run_path(str(path), run_name="__main__")
    except Captured as captured:
        result = describe(captured.callback, captured.listen)
    else:
        raise SystemExit(f"{script} finished without listening")
    result["make_app"] = bool(re.search(r"^def make_app\(", source, re.MULTILINE))
    return result


# ------------------------------------------------------------------ building requests

# Values for a path group, an argument, a form field or a cookie. The harness
# percent-encodes them where they go into a URL or a form.
ID_VALUES = [
    "18446744073709551616",  # 2**64: overflows a 64-bit integer (SQLite raises OverflowError)
    "9" * 5000,  # more digits than int() accepts (4300)
    "²",  # str.isdigit() is True, int() raises
    "١٢",  # Arabic-Indic digits: \d matches them and int() accepts them
    "-1",
    "0x1f",
    "1e3",
]
TEXT_VALUES = [
    "\x00",
    "a\x00b",
    "\x01\x08\x0b\x0c\x1b\x7f",
    "\u202e\ufeff",
    "\ud800",  # a lone surrogate: cannot be encoded as UTF-8
    "a\r\nSet-Cookie: injected=1",
]
VALUES = ID_VALUES + TEXT_VALUES


def encode(value: str) -> str:
    """Percent-encode a value for a URL (a lone surrogate becomes an invalid UTF-8 byte)."""
    return quote(value.encode("utf-8", errors="surrogateescape" if False else "surrogatepass"), safe="")


def _category_sample(category) -> str:
    c = sre_constants
    return {c.CATEGORY_DIGIT: "1", c.CATEGORY_WORD: "a", c.CATEGORY_SPACE: " ", c.CATEGORY_NOT_DIGIT: "a",
            c.CATEGORY_NOT_WORD: "-", c.CATEGORY_NOT_SPACE: "a"}.get(category, "a")  # fmt: skip


def _in_sample(items) -> str:
    c = sre_constants
    if items and items[0][0] is c.NEGATE:
        excluded = set()
        for op, av in items[1:]:
            if op is c.LITERAL:
                excluded.add(chr(av))
            elif op is c.RANGE:
                excluded.update(chr(i) for i in range(av[0], min(av[1], 0x2FF) + 1))
        return next(ch for ch in "abcxyz019-_" if ch not in excluded)
    op, av = items[0]
    if op is c.LITERAL:
        return chr(av)
    if op is c.RANGE:
        return "1" if av[0] <= ord("1") <= av[1] else chr(av[0])
    if op is c.CATEGORY:
        return _category_sample(av)
    raise ValueError(f"cannot sample {items!r}")


def _emit(parsed, fill: dict, out: list, groups: dict) -> None:
    c = sre_constants
    for op, av in parsed:
        if op is c.LITERAL:
            out.append(quote(chr(av), safe="/"))
        elif op is c.NOT_LITERAL:
            out.append("a" if chr(av) != "a" else "b")
        elif op is c.ANY:
            out.append("a")
        elif op is c.IN:
            out.append(quote(_in_sample(av), safe="/"))
        elif op is c.BRANCH:
            _emit(av[1][0], fill, out, groups)
        elif op is c.SUBPATTERN:
            group, _add, _del, pattern = av
            if group in fill:
                out.append(fill[group])
            else:
                start = len(out)
                _emit(pattern, fill, out, groups)
                groups[group] = "".join(out[start:])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _high, pattern = av
            for _ in range(low):
                _emit(pattern, fill, out, groups)
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            pass
        elif op is c.GROUPREF:
            out.append(groups.get(av, ""))
        else:
            raise ValueError(f"cannot sample the regex operator {op}")


def sample_path(pattern: str, fill: dict[int, str] | None = None) -> str:
    """A URL path matching `pattern` (a route regex), with group n replaced by fill[n] (already encoded)."""
    parsed = sre_parse.parse(pattern)
    out: list[str] = []
    _emit(parsed, dict(fill or {}), out, {})
    return "".join(out)


def group_count(pattern: str) -> int:
    return re.compile(pattern).groups


def numeric_groups(pattern: str) -> set[int]:
    """Groups whose characters can only be digits (\\d or 0-9): an id the handler will parse."""
    c = sre_constants
    result = set()

    def only_digits(parsed) -> bool:
        seen = False
        for op, av in parsed:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                if not only_digits(av[2]):
                    return False
                seen = True
            elif op is c.IN and all(
                (o is c.CATEGORY and a is c.CATEGORY_DIGIT) or (o is c.RANGE and a == (48, 57)) for o, a in av
            ):
                seen = True
            elif op is c.LITERAL and 48 <= av <= 57:
                seen = True
            else:
                return False
        return seen

    def walk(parsed):
        for op, av in parsed:
            if op is c.SUBPATTERN:
                if only_digits(av[3]):
                    result.add(av[0])
                walk(av[3])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                walk(av[2])
            elif op is c.BRANCH:
                for branch in av[1]:
                    walk(branch)

    walk(sre_parse.parse(pattern))
    return result


def _json_default(value):
    return repr(value)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "routes":
        raise SystemExit("usage: python examples/hostile.py routes SCRIPT [ARGS...]")
    description = learn(sys.argv[2], sys.argv[3:])
    sys.stdout.write("\n" + MARKER + json.dumps(description, default=_json_default) + "\n")
    sys.stdout.flush()
