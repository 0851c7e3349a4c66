import asyncio
import json
import socket
import struct
import time
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

PROGRAM = "websocket_chat.py"


def members(server):
    return server.get_json("/stats")["members"]


def wait_for_members(server, count, timeout=3.0):
    """Poll /stats until the room counts `count` open connections."""
    deadline = time.monotonic() + timeout
    while (found := members(server)) != count:
        assert time.monotonic() < deadline, f"{found} members, expected {count}"
        time.sleep(0.01)


def connect(server, **headers):
    url = f"ws://127.0.0.1:{server.port}/chat"
    return websocket_connect(HTTPRequest(url, headers=headers, connect_timeout=5))


async def receive(connection):
    message = await asyncio.wait_for(connection.read_message(), timeout=5)
    return None if message is None else json.loads(message)


def test_a_message_is_broadcast_to_every_member(start_example):
    server = start_example(PROGRAM)

    async def scenario():
        clients = [await connect(server) for _ in range(3)]
        await asyncio.to_thread(wait_for_members, server, 3)
        await clients[0].write_message(json.dumps({"text": "Hello, room"}))
        first = [await receive(c) for c in clients]
        await clients[2].write_message(json.dumps({"text": "Hi!"}))
        second = [await receive(c) for c in clients]
        for c in clients:
            c.close()
        return first, second

    first, second = asyncio.run(scenario())
    # The sender gets its own message too: everybody sees one order.
    assert first == [{"text": "Hello, room"}] * 3
    assert second == [{"text": "Hi!"}] * 3
    wait_for_members(server, 0)


def test_a_page_from_another_origin_is_refused_at_the_handshake(start_example, replay):
    server = start_example(PROGRAM, "--trusted-origins=https://chat.example.com")

    async def scenario():
        with pytest.raises(HTTPClientError) as refused:
            await connect(server, Origin="https://other.example")
        assert refused.value.code == 403
        # Modern browsers also say where the page came from.
        with pytest.raises(HTTPClientError) as refused:
            await connect(server, Origin="https://other.example", **{"Sec-Fetch-Site": "cross-site"})
        assert refused.value.code == 403
        # Accepted: the page's own host, an origin from --trusted-origins,
        # and a client that is no browser and sends no Origin at all.
        accepted = [
            await connect(server, Origin=f"http://127.0.0.1:{server.port}"),
            await connect(server, Origin="https://chat.example.com"),
            await connect(server),
        ]
        await asyncio.to_thread(wait_for_members, server, 3)
        for connection in accepted:
            connection.close()

    asyncio.run(scenario())
    wait_for_members(server, 0)
    replay("websocket_chat-handshake.console", server)
    assert "403 GET /chat" in server.output()


def test_a_client_closes_with_a_code_and_the_room_shrinks(start_example):
    server = start_example(PROGRAM)

    async def scenario():
        staying, leaving = await connect(server), await connect(server)
        await asyncio.to_thread(wait_for_members, server, 2)
        leaving.close(1000, "bye")
        # read_message answers None once the server has confirmed the close.
        assert await receive(leaving) is None
        await asyncio.to_thread(wait_for_members, server, 1)
        staying.close()
        return leaving.close_code, leaving.close_reason

    # The server's close frame echoes the client's code.
    assert asyncio.run(scenario()) == (1000, None)
    wait_for_members(server, 0)
    assert "a member left: code 1000, reason 'bye'" in server.output()


def test_the_python_client_sees_its_message_come_back(start_example, run_example, replay):
    server = start_example(PROGRAM)
    done = run_example("chat_client.py", f"--port={server.port}", "--text=Hi, room")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["sent: Hi, room", "received: Hi, room", "closed with code 1000"]
    wait_for_members(server, 0)  # on_close has run, and logged the close
    assert "a member left: code 1000, reason 'done'" in server.output()
    replay("chat_client.console", server)


def test_the_server_closes_a_connection_that_breaks_the_rules(start_example):
    server = start_example(PROGRAM)

    async def scenario():
        polite, rude = await connect(server), await connect(server)
        await rude.write_message("this is not JSON")
        assert await receive(rude) is None
        await asyncio.to_thread(wait_for_members, server, 1)
        # The room goes on without the closed connection.
        await polite.write_message(json.dumps({"text": "still here"}))
        assert await receive(polite) == {"text": "still here"}
        polite.close()
        return rude.close_code, rude.close_reason

    assert asyncio.run(scenario()) == (1008, 'send JSON such as {"text": "Hello"}, up to 1000 characters')
    wait_for_members(server, 0)


@pytest.mark.parametrize(
    "message, code",
    [
        ("[" * 200_000, 1009),  # over websocket_max_message_size: Tornado closes before parsing
        ("x" * 8193, 1009),  # one byte over 8 KiB
        ("x" * 8192, 1008),  # exactly 8 KiB: read, then refused by on_message
        ("[" * 8_000, 1008),  # within the size, but too deep for json.loads: RecursionError caught
        (json.dumps({"text": "x" * 1001}), 1008),  # over 1,000 characters
        (json.dumps(["text"]), 1008),
        (json.dumps({"text": 12}), 1008),
        (b"\xff\xfe", 1008),  # a binary message
    ],
)
def test_hostile_messages_close_the_connection_cleanly(start_example, message, code):
    server = start_example(PROGRAM)

    async def scenario():
        connection = await connect(server)
        await connection.write_message(message, binary=isinstance(message, bytes))
        assert await receive(connection) is None
        return connection.close_code

    assert asyncio.run(scenario()) == code
    wait_for_members(server, 0)
    assert "RecursionError" not in server.output()


def open_raw_websocket(port, rcvbuf=None):
    """A WebSocket handshake over a plain socket, for a client that never answers pings or never reads."""
    raw = socket.socket()
    raw.settimeout(5)
    if rcvbuf:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # a small window fills sooner
    raw.connect(("127.0.0.1", port))
    raw.sendall(
        b"GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n"
    )
    reply = b""
    while b"\r\n\r\n" not in reply:
        reply += raw.recv(1024)
    assert reply.startswith(b"HTTP/1.1 101 "), reply
    return raw, reply.split(b"\r\n\r\n", 1)[1]


def read_frames(raw, pending):
    """Yield (opcode, payload) of each frame the server sends (short frames only)."""
    while True:
        while len(pending) < 2 or len(pending) < 2 + (pending[1] & 0x7F):
            chunk = raw.recv(1024)
            if not chunk:
                return
            pending += chunk
        length = pending[1] & 0x7F
        assert length < 126 and not pending[1] & 0x80  # short, unmasked
        yield pending[0] & 0x0F, pending[2 : 2 + length]
        pending = pending[2 + length :]


def frames_until_close(port):
    """Open a raw connection, never answer, and return what the server sends until it closes."""
    raw, pending = open_raw_websocket(port)
    frames = []
    with raw:
        for opcode, payload in read_frames(raw, pending):
            frames.append((opcode, payload))
            if opcode == 0x8:  # close
                break
    return frames


def test_a_client_that_does_not_answer_pings_is_closed(start_example):
    server = start_example(PROGRAM, "--ping-interval=0.2")

    async def scenario():
        # Tornado's client answers every ping with a pong by itself, as
        # browsers do, as long as its event loop runs.
        connection = await connect(server)
        frames = await asyncio.to_thread(frames_until_close, server.port)
        # The silent client is gone; the one that answers pings stays.
        await asyncio.to_thread(wait_for_members, server, 1)
        await connection.write_message(json.dumps({"text": "alive"}))
        assert await receive(connection) == {"text": "alive"}
        connection.close()
        return frames

    (ping_opcode, _), *_, (close_opcode, payload) = asyncio.run(scenario())
    assert (ping_opcode, close_opcode) == (0x9, 0x8)
    assert struct.unpack(">H", payload[:2])[0] == 1000
    assert payload[2:] == b"ping timed out"
    wait_for_members(server, 0)


def rss_bytes(pid):
    """The resident memory of a process, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS line")


def test_members_that_never_read_keep_the_server_within_a_memory_bound(start_example):
    server = start_example(PROGRAM, "--ping-interval=0")
    silent = [open_raw_websocket(server.port, rcvbuf=4096)[0] for _ in range(6)]
    wait_for_members(server, 6)
    before = rss_bytes(server.process.pid)
    count, text = 3000, "字" * 1000  # about 6 KB of JSON each: 18 MB for each member

    async def scenario():
        sender = await connect(server)
        for _ in range(count):
            # The sender reads its own copy before it sends the next message.
            await sender.write_message(json.dumps({"text": text}))
            assert await receive(sender) == {"text": text}
        peak = rss_bytes(server.process.pid)
        # The silent members were dropped; the sender, which reads, is still in.
        await asyncio.to_thread(wait_for_members, server, 1, 10)
        sender.close()
        return peak

    peak = asyncio.run(scenario())
    # The server closed each silent member and, with no answer to its close
    # frame, dropped the connection after five seconds.
    started = time.monotonic()
    for raw in silent:
        with raw:
            raw.settimeout(10)
            try:
                while raw.recv(65536):
                    pass
            except ConnectionResetError:
                pass
    assert time.monotonic() - started < 10
    # Unbounded, six queues of 12 MB would have added far more than this.
    assert peak - before < 16 * 1024 * 1024, (before, peak)
    wait_for_members(server, 0)
    assert "never retrieved" not in server.output()


def test_the_default_message_limit_is_10_mib():
    import tornado.websocket

    assert tornado.websocket._default_max_message_size == 10 * 1024 * 1024
