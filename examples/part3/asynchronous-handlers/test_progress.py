import socket
import time
from http.client import HTTPConnection

PROGRAM = "progress.py"


def test_the_report_arrives_in_chunks_before_it_is_complete(start_example, replay):
    steps, interval = 4, 0.05
    server = start_example(PROGRAM, f"--steps={steps}", f"--interval={interval}")
    connection = HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/progress")
    response = connection.getresponse()
    # flush() sent the headers before the length was known: chunked encoding.
    assert response.status == 200
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert response.headers["Content-Length"] is None
    arrivals = []
    while line := response.readline():
        arrivals.append((time.monotonic(), line.decode()))
    connection.close()
    assert [text for _, text in arrivals] == [f"step {n} of {steps} done\n" for n in range(1, steps + 1)] + [
        "report complete\n"
    ]
    # The server waits `interval` between steps. Had it buffered the whole
    # response, every line would arrive at the same moment; instead the first
    # came well before the server had even written the last.
    first, last = arrivals[0][0], arrivals[-1][0]
    assert last - first >= 0.5 * (steps - 1) * interval


def test_the_handler_stops_when_the_client_leaves(start_example):
    steps = 40
    server = start_example(PROGRAM, f"--steps={steps}", "--interval=0.05")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as client:
        client.sendall(b"GET /progress HTTP/1.1\r\nHost: localhost\r\n\r\n")
        received = b""
        while b"step 1 of" not in received:
            received += client.recv(4096)
    # The socket is closed: on_connection_close tells the handler, which stops.
    found = server.wait_for_output(rf"client left after (\d+) of {steps} steps; stopping", timeout=2)
    assert 1 <= int(found.group(1)) < steps // 2  # it stopped soon, not after all the steps


def test_transcript(start_example, replay):
    server = start_example(PROGRAM, "--interval=0.01")
    replay("progress.console", server)
