import signal
import socket

from packaging.specifiers import SpecifierSet
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream


def test_hello_world(start_example, replay):
    server = start_example("hello.py")
    response = server.get("/")
    assert response.status == 200
    assert response.body == b"Hello, world\n"
    # The server logs each request: status, method, URI with its query, client address.
    server.get("/?lang=en")
    server.wait_for_output(r"200 GET /\?lang=en \(127\.0\.0\.1\)")
    # The handler defines only get(), so any other method is refused.
    assert server.post("/", body=b"").status == 405
    replay("hello.console", server)


def test_a_body_over_one_kib_is_refused_before_the_handler(start_example):
    server = start_example("hello.py")
    # 405 proves the handler's turn came (it has no post); 400 that it never did.
    assert server.post("/", body=b"x" * 1024).status == 405
    assert server.post("/", body=b"x" * 1025).status == 400


def test_without_max_body_size_the_limit_is_100_mib():
    assert HTTPServer(lambda request: None).conn_params.max_body_size is None  # falls back to the stream's buffer
    with socket.socket() as sock:
        assert IOStream(sock).max_buffer_size == 100 * 1024 * 1024


def test_ctrl_c_ends_the_server_with_keyboard_interrupt(start_example):
    server = start_example("hello.py", allow_tracebacks=True)
    server.process.send_signal(signal.SIGINT)
    server.process.wait(5)
    assert server.output().rstrip().endswith("KeyboardInterrupt")


def test_the_install_specifier_takes_any_6_x_from_6_6():
    accepted = SpecifierSet("~=6.6")
    assert "6.6.1" in accepted and "6.9" in accepted
    assert "6.5" not in accepted and "7.0" not in accepted


def test_without_an_address_the_server_listens_on_every_interface():
    from tornado.netutil import bind_sockets

    for address in (None, ""):
        sockets = bind_sockets(0, address=address)
        try:
            # 0.0.0.0 and :: are the "any address" of IPv4 and IPv6.
            assert {sock.getsockname()[0] for sock in sockets} <= {"0.0.0.0", "::"}
        finally:
            for sock in sockets:
                sock.close()
    sockets = bind_sockets(0, address="127.0.0.1")
    assert [sock.getsockname()[0] for sock in sockets] == ["127.0.0.1"]
    sockets[0].close()
