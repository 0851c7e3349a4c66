"""Crawl one web site: visit every page it links to, a fixed number at a time."""

import asyncio
import sys
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import tornado.options
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.options import define, options, parse_command_line
from tornado.queues import Queue

define("concurrency", default=4, type=int, help="number of workers: at most this many requests at once")
define("timeout", default=10.0, type=float, help="seconds to wait for each page")

USAGE = "usage: crawler.py [--concurrency=N] [--timeout=SECONDS] START_URL"


class LinkParser(HTMLParser):
    """Collects the href of every <a> element in an HTML document."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links_on_page(html, page_url):
    """The absolute URLs that a page links to, without their #fragment."""
    parser = LinkParser()
    parser.feed(html)
    parser.close()
    return [urldefrag(urljoin(page_url, href)).url for href in parser.hrefs]


def describe(error):
    """A short text for an exception raised by fetch()."""
    if isinstance(error, HTTPClientError):
        return f"{error.code} {error.message}"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


class Crawler:
    def __init__(self, start_url, concurrency):
        self.start_url = urldefrag(start_url).url
        self.origin = urlsplit(self.start_url)[:2]  # (scheme, host and port)
        self.concurrency = concurrency
        self.queue = Queue()
        self.linked_from = {self.start_url: None}  # every URL ever queued -> the page linking to it
        self.visited = []
        self.broken = {}  # URL -> what went wrong

    def on_site(self, url):
        return urlsplit(url)[:2] == self.origin

    async def run(self):
        self.queue.put_nowait(self.start_url)
        workers = [asyncio.create_task(self.worker()) for _ in range(self.concurrency)]
        await self.queue.join()
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    async def worker(self):
        while True:
            url = await self.queue.get()
            try:
                await self.visit(url)
            except Exception as error:  # one bad page must not stop the crawl
                self.report(url, "ERR", describe(error))
            finally:
                self.queue.task_done()

    async def visit(self, url):
        try:
            response = await AsyncHTTPClient().fetch(url, request_timeout=options.timeout)
        except HTTPClientError as error:  # an error status such as 404
            self.report(url, error.code, describe(error))
            return
        self.report(url, response.code)
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            return  # an image, a PDF...: no links to follow
        html = response.body.decode("utf-8", errors="replace")
        for link in links_on_page(html, response.effective_url):
            if self.on_site(link) and link not in self.linked_from:
                self.linked_from[link] = url
                self.queue.put_nowait(link)  # before task_done(): join() keeps waiting

    def report(self, url, status, problem=None):
        self.visited.append(url)
        if problem:
            self.broken[url] = problem
        print(status, self.path(url))

    @staticmethod
    def path(url):
        parts = urlsplit(url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def print_summary(self):
        visited, broken = len(self.visited), len(self.broken)
        print(
            f"Crawled {visited} URL{'s' * (visited != 1)} with {self.concurrency} "
            f"worker{'s' * (self.concurrency != 1)}: {visited - broken} ok, {broken} broken."
        )
        for url in sorted(self.broken, key=self.path):
            source = self.linked_from[url]
            where = f", linked from {self.path(source)}" if source else ""
            print(f"  {self.path(url)}: {self.broken[url]}{where}")


def usage_error(message):
    print(f"crawler.py: error: {message}\n{USAGE}", file=sys.stderr)
    sys.exit(2)  # 2 means "used wrongly"


def read_command_line():
    try:
        arguments = parse_command_line()  # reads the options, returns what follows them
    except (tornado.options.Error, ValueError) as error:
        usage_error(error)
    if len(arguments) != 1 or urlsplit(arguments[0]).scheme not in ("http", "https"):
        usage_error("give one http:// URL, after the options")
    if options.concurrency < 1:
        usage_error("--concurrency must be at least 1")
    return arguments[0]


async def main():
    start_url = read_command_line()
    # Tornado's HTTP client runs at most 10 requests at once unless told
    # otherwise; let it run one for each worker.
    AsyncHTTPClient.configure(None, max_clients=options.concurrency)
    crawler = Crawler(start_url, options.concurrency)
    await crawler.run()
    crawler.print_summary()


if __name__ == "__main__":
    asyncio.run(main())
