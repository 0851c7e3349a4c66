"""Conventions every example server keeps (issue 11), checked in the source.

* It listens on an address it names: 127.0.0.1 by default, never every
  interface because an argument was left out (listen(port) without address).
* It defines make_app(), so that tests and readers can build the Application
  without starting a server.
* It bounds what a client may send: max_body_size on listen() or HTTPServer,
  and websocket_max_message_size where it has a WebSocketHandler.

A program that cannot keep a convention is declared below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NOT_EXAMPLES = {"conftest.py", "hostile.py"}

# (program, convention) -> why the program does not keep it.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("part8/old-idioms/wsgi_app.py", "make_app"): "it serves a plain WSGI function through HTTPServer and "
    "WSGIContainer: there is no tornado.web.Application to build",
}


def example_sources() -> dict[str, ast.Module]:
    sources = {}
    for path in sorted(HERE.rglob("*.py")):
        if path.name.startswith("test_") or path.name in NOT_EXAMPLES:
            continue
        sources[path.relative_to(HERE).as_posix()] = ast.parse(path.read_text(encoding="utf-8"))
    return sources


SOURCES = example_sources()


def call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def receiver(node: ast.Call) -> str:
    """The source of what a method is called on: `sock` in sock.listen()."""
    return ast.unparse(node.func.value) if isinstance(node.func, ast.Attribute) else ""


def keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def unbound_listens(tree: ast.Module) -> list[str]:
    """listen/bind/bind_sockets calls that would take every interface."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        if name not in {"listen", "bind", "bind_sockets"}:
            continue
        if "sock" in receiver(node).lower():
            continue  # a plain socket: sock.listen(backlog), sock.bind((host, port))
        if name == "bind" and node.args and isinstance(node.args[0], ast.Tuple):
            continue  # socket-style bind((host, port))
        address = keyword(node, "address")
        if address is None and len(node.args) >= 2:
            address = node.args[1]
        empty = isinstance(address, ast.Constant) and address.value in (None, "", "0.0.0.0", "::")
        if address is None or empty:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def servers() -> list[str]:
    """Programs that listen (the same set the hostile-input harness attacks)."""
    return [
        name
        for name, tree in SOURCES.items()
        if any(isinstance(n, ast.Call) and call_name(n) in {"listen", "bind_sockets", "add_sockets"}
               and "sock" not in receiver(n).lower() for n in ast.walk(tree))
    ]  # fmt: skip


SERVERS = servers()


def declared(program: str, convention: str) -> bool:
    return (program, convention) in EXCEPTIONS


def test_exceptions_name_existing_programs():
    assert not [key for key in EXCEPTIONS if key[0] not in SOURCES], "an exception names a program that is gone"


@pytest.mark.parametrize("program", sorted(SOURCES))
def test_listens_on_a_named_address(program):
    if declared(program, "address"):
        pytest.skip(EXCEPTIONS[(program, "address")])
    assert not unbound_listens(SOURCES[program]), (
        f"{program} listens without an address (every interface): "
        + "; ".join(unbound_listens(SOURCES[program]))
        + '\nPass address="127.0.0.1" (or address=options.address with a --address option).'
    )


@pytest.mark.parametrize("program", SERVERS)
def test_defines_make_app(program):
    tree = SOURCES[program]
    if declared(program, "make_app"):
        # The declared reason must hold: the program builds no Application at all.
        applications = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and call_name(n) == "Application"]
        assert not applications, f"{program} builds an Application: give it a make_app() and drop the exception"
        return

    assert any(isinstance(node, ast.FunctionDef) and node.name == "make_app" for node in tree.body), (
        f"{program} has no module-level make_app()"
    )


@pytest.mark.parametrize("program", SERVERS)
def test_bounds_request_bodies(program):
    if declared(program, "max_body_size"):
        pytest.skip(EXCEPTIONS[(program, "max_body_size")])
    calls = [n for n in ast.walk(SOURCES[program]) if isinstance(n, ast.Call)]
    assert any(keyword(n, "max_body_size") is not None for n in calls if call_name(n) in {"listen", "HTTPServer"}), (
        f"{program} does not pass max_body_size to listen() or HTTPServer (Tornado's default is 100 MiB)"
    )


@pytest.mark.parametrize("program", SERVERS)
def test_bounds_websocket_messages(program):
    tree = SOURCES[program]
    websockets = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base).endswith("WebSocketHandler") for base in node.bases)
    ]
    if not websockets or declared(program, "websocket_max_message_size"):
        return
    named = any(
        (isinstance(n, ast.keyword) and n.arg == "websocket_max_message_size")
        or (isinstance(n, ast.Constant) and n.value == "websocket_max_message_size")
        for n in ast.walk(tree)
    )
    assert named, f"{program} has {websockets} but sets no websocket_max_message_size (Tornado's default is 10 MiB)"
