import contextlib
import os
import signal
import subprocess
import time

import tornado.httpserver
import tornado.tcpserver

from examples.conftest import PYTHON, ROOT, example_env, http_request
from tools.site import free_port

from .conftest import alive, pid_of, pids_answering, wait_for


def test_fork_processes_answers_from_several_children(start_example):
    server = start_example("forked.py", "--processes=3")
    pids = pids_answering(server.port, want=2)
    # The children answer, not the parent that forked them.
    assert server.process.pid not in pids
    server.wait_for_output("Starting 3 processes")


def test_sigterm_to_the_parent_stops_every_child(start_example):
    server = start_example("forked.py", "--processes=2")
    children = pids_answering(server.port, want=2)
    server.process.send_signal(signal.SIGTERM)  # to the parent only, as a process manager does
    assert server.process.wait(10) == 0
    wait_for(lambda: not any(alive(pid) for pid in children), what="the children to exit")
    server.wait_for_output(r"child \d stopped", count=2)
    server.wait_for_output(r"child \d \(pid \d+\) exited normally", count=2)


# The same program without forward_to_children: what the page warns about.
NO_FORWARDING = """
import asyncio, sys
import tornado.netutil, tornado.process, tornado.web
from tornado.httpserver import HTTPServer

class PidHandler(tornado.web.RequestHandler):
    def get(self):
        import os
        self.write({"pid": os.getpid()})

async def serve(sockets):
    HTTPServer(tornado.web.Application([(r"/", PidHandler)])).add_sockets(sockets)
    await asyncio.Event().wait()

sockets = tornado.netutil.bind_sockets(int(sys.argv[1]), address="127.0.0.1")
tornado.process.fork_processes(2)
asyncio.run(serve(sockets))
"""


@contextlib.contextmanager
def snippet_server(code: str, port: int):
    """A server written inline, run as the examples run, in a process group of its own that is
    killed whole at the end (forked children and orphans included)."""
    process = subprocess.Popen(
        [*PYTHON, "-c", code, str(port)], cwd=ROOT, env=example_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def test_without_forwarding_the_children_outlive_the_parent():
    port = free_port()
    with snippet_server(NO_FORWARDING, port) as parent:
        children = wait_for(lambda: _two_pids(port), what="two children")
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(5) == -signal.SIGTERM
        time.sleep(0.3)
        # The orphans still answer on the port.
        assert pid_of(port) in children
        assert all(alive(pid) for pid in children)


def _two_pids(port):
    try:
        return pids_answering(port, want=2, timeout=2)
    except (OSError, AssertionError):
        return None


OLD_STYLE = """
import sys
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

class OldHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("old style")

server = HTTPServer(tornado.web.Application([(r"/", OldHandler)]))
server.bind(int(sys.argv[1]), address="127.0.0.1")
server.start(2)
IOLoop.current().start()
"""


def test_the_old_bind_and_start_pattern_still_works_but_is_deprecated():
    port = free_port()
    # Run with DeprecationWarning as an error: 6.6.1 emits no warning for it ...
    with snippet_server(OLD_STYLE, port):
        answer = wait_for(lambda: _answer(port), what="the old-style server")
        assert answer == b"old style"
    # ... but bind() and start() are documented as deprecated since 6.2.
    for method in (tornado.tcpserver.TCPServer.bind, tornado.tcpserver.TCPServer.start):
        assert ".. deprecated:: 6.2" in method.__doc__
    assert tornado.httpserver.HTTPServer.start is tornado.tcpserver.TCPServer.start


def _answer(port):
    try:
        return http_request("127.0.0.1", port, "GET", "/", timeout=2).body
    except OSError:
        return None


def test_zero_processes_means_every_cpu_of_the_machine_whatever_the_affinity():
    import multiprocessing

    import tornado.process

    assert tornado.process.cpu_count() == multiprocessing.cpu_count() == os.cpu_count()
    # The CPUs this process may run on can be fewer (taskset, cpusets); fork_processes(0) ignores that.
    assert len(os.sched_getaffinity(0)) <= tornado.process.cpu_count()
