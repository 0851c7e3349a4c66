import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PROGRAM = "crawler.py"
SECTIONS = 12  # the home page links to this many pages, so up to 12 workers find work at once
GATE_TIMEOUT = 3.0


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default, 5, drops connections when 12 workers connect at once


class CrawlSite:
    """A site served from a thread, which counts the requests it gets.

    Every request except the one for the home page waits at a gate until
    `concurrency` requests are in progress together (or GATE_TIMEOUT passes),
    so a crawler with that many workers reaches its limit on any machine.
    """

    def __init__(self, concurrency):
        self.concurrency = concurrency
        self.hits = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.gate = threading.Event()
        self.httpd = Server(("127.0.0.1", 0), self.handler_class())
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.pages = self.make_pages()

    def make_pages(self):
        other_host = f"http://localhost:{self.httpd.server_port}/not-this-site"  # same server, other name
        home = [f"/s{n}/" for n in range(1, SECTIONS + 1)]
        home += ["#top", "mailto:someone@example.com", "http://example.invalid/", other_host]
        home += ["/data.txt", "/missing", "/?page=2", "/"]
        pages = {"/": home, "/?page=2": ["/"]}
        for n in range(1, SECTIONS + 1):
            pages[f"/s{n}/"] = ["../", "a", "a#part", f"{self.url}s{n}/b"]  # relative and absolute links
            pages[f"/s{n}/a"] = ["b", "/"]
            pages[f"/s{n}/b"] = ["../", "/s1/a"]
        return pages

    def handler_class(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with site.lock:
                    site.hits[self.path] += 1
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                    if site.in_flight >= site.concurrency:
                        site.gate.set()
                if self.path != "/":
                    site.gate.wait(GATE_TIMEOUT)
                # Done counting before the answer leaves: once the crawler has the
                # answer, the same worker may already send its next request.
                with site.lock:
                    site.in_flight -= 1
                self.answer()

            def answer(self):
                if self.path == "/data.txt":  # not HTML: its "link" must not be followed
                    return self.send("text/plain", '<a href="/secret">secret</a>')
                links = site.pages.get(self.path)
                if links is None:
                    return self.send_error(404)
                items = "".join(f'<li><a href="{link}">{link}</a>' for link in links)
                self.send("text/html; charset=utf-8", f"<!DOCTYPE html><title>{self.path}</title><ul>{items}</ul>")

            def send(self, content_type, text):
                body = text.encode()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def visited_lines(stdout):
    """The `STATUS PATH` lines the crawler prints, one per URL it visited."""
    return [line for line in stdout.splitlines() if line[:1].isdigit() or line.startswith("ERR ")]


@pytest.mark.parametrize("concurrency", [1, 4, 12])
def test_crawler_visits_every_page_once_with_at_most_n_requests_at_once(run_example, concurrency):
    with CrawlSite(concurrency) as site:
        done = run_example(PROGRAM, f"--concurrency={concurrency}", site.url, timeout=15)

    # It stopped by itself, successfully, although the site links in circles.
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    # Every page of the site was fetched, each exactly once; a #fragment is the
    # same page, and nothing off the site (or in the text file) was followed.
    expected = set(site.pages) | {"/data.txt", "/missing"}
    assert site.hits == Counter({path: 1 for path in expected})
    # The workers bound the requests in progress, and all of them were busy.
    assert site.max_in_flight == concurrency
    # One line per visited URL, and a summary that names the broken link.
    lines = visited_lines(done.stdout)
    assert sorted(lines) == sorted(f"{404 if p == '/missing' else 200} {p}" for p in expected)
    assert lines[0] == "200 /"
    workers = "worker" if concurrency == 1 else "workers"
    assert done.stdout.endswith(
        f"Crawled {len(expected)} URLs with {concurrency} {workers}: {len(expected) - 1} ok, 1 broken.\n"
        "  /missing: 404 Not Found, linked from /\n"
    )


def test_transcripts_against_the_sample_site(start_example, replay):
    site = start_example("sample_site.py", "--delay=0")
    replay("crawler.console", site)
    replay("crawler-concurrent.console", site)


def test_sample_site_pages_and_missing_page(start_example):
    site = start_example("sample_site.py", "--delay=0")
    assert '<a href="/products/shelf">' in site.get("/products/desk").text
    assert site.get("/products/shelf").status == 404
    for hostile in ["/%00", "/products%00", "/" + "9" * 5000, "/%C2%B2"]:
        assert site.get(hostile).status == 404, hostile


def test_an_unreachable_site_is_reported_not_a_crash(run_example):
    with socket.socket() as closed:  # bound but not listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/"
        done = run_example(PROGRAM, url, timeout=15)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ("ERR /\nCrawled 1 URL with 4 workers: 0 ok, 1 broken.\n  /: Connection refused\n")


def test_a_site_that_never_answers_is_599_not_err(run_example):
    with socket.socket() as silent:  # listening: the kernel accepts, nobody ever reads
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        done = run_example(PROGRAM, "--timeout=0.3", url, timeout=15)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("599 /\nCrawled 1 URL with 4 workers: 0 ok, 1 broken.\n  /: 599 Timeout during request\n")


@pytest.mark.parametrize(
    "arguments, message",
    [
        ([], "give one http:// URL, after the options"),
        (["http://127.0.0.1:8888/", "--concurrency=2"], "give one http:// URL, after the options"),
        (["--concurrency=0", "http://127.0.0.1:8888/"], "--concurrency must be at least 1"),
        (["--concurrency=two", "http://127.0.0.1:8888/"], "invalid literal for int() with base 10: 'two'"),
    ],
)
def test_wrong_use_gives_a_message_and_status_2(run_example, arguments, message):
    done = run_example(PROGRAM, *arguments)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"crawler.py: error: {message}",
        "usage: crawler.py [--concurrency=N] [--timeout=SECONDS] START_URL",
    ]
