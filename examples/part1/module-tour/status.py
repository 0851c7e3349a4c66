import asyncio

import tornado.web
from tornado.escape import json_decode, xhtml_escape
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.log import app_log
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("check", default="", help="health URL to report on (default: our own /health)")
define("timeout", default=5.0, type=float, help="seconds to wait for the health URL")

PAGE = """<!DOCTYPE html>
<title>Status</title>
<p>Health: {}</p>
"""


class HealthHandler(tornado.web.RequestHandler):
    def get(self):
        # A dict is sent as JSON, encoded by tornado.escape.json_encode.
        self.write({"status": "ok"})


async def check_health(url):
    """Fetch a health URL and sum up its answer in a few words."""
    try:
        response = await AsyncHTTPClient().fetch(url, request_timeout=options.timeout)
    except HTTPClientError as exc:
        if exc.code == 599:  # no HTTP answer at all: a timeout, or the connection closed
            return f"unreachable ({exc.message})"
        return f"down (HTTP {exc.code})"  # an answer with an error status
    except OSError as exc:  # connection refused, unknown host name
        return f"unreachable ({exc.strerror or exc})"
    try:
        return str(json_decode(response.body)["status"])
    except (ValueError, KeyError, TypeError):
        return "no JSON status in the answer"


class StatusHandler(tornado.web.RequestHandler):
    async def get(self):
        url = options.check or f"http://127.0.0.1:{options.port}/health"
        summary = await check_health(url)
        if summary != "ok":
            app_log.warning("health check of %s: %s", url, summary)
        # The summary holds text from another server: escape it for HTML.
        self.write(PAGE.format(xhtml_escape(summary)))


def make_app():
    return tornado.web.Application(
        [
            (r"/", StatusHandler),
            (r"/health", HealthHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    # Keyword arguments of listen() go to the HTTPServer it creates.
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
