"""A weather page that asks an upstream forecast service, and says so when it cannot."""

import asyncio

import tornado.web
from tornado.escape import json_decode, url_escape
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("upstream", default="http://127.0.0.1:8889", help="address of the forecast service")
define("timeout", default=5.0, type=float, help="seconds to wait for the forecast service")
define("max_clients", default=50, type=int, help="requests to the forecast service in progress at once")

ERRORS = {
    404: "No forecast for this city.",
    502: "The forecast service is not answering properly. Please try again later.",
}


class WeatherHandler(tornado.web.RequestHandler):
    async def get(self, city):
        url = f"{options.upstream}/forecast/{url_escape(city, plus=False)}"
        try:
            response = await AsyncHTTPClient().fetch(url, request_timeout=options.timeout)
            forecast = json_decode(response.body)
            text = f"{forecast['city']}: {forecast['sky']}, up to {forecast['high']} °C\n"
        except HTTPClientError as error:
            if error.code == 404:  # the service does not know the city
                raise tornado.web.HTTPError(404) from error
            # 5xx, or 599 when no answer came in time: the service failed.
            raise tornado.web.HTTPError(502, "%s failed: %s", url, error) from error
        except OSError as error:  # no connection at all, e.g. refused
            raise tornado.web.HTTPError(502, "%s failed: %s", url, error) from error
        except (ValueError, KeyError, TypeError) as error:  # not the JSON we expect
            raise tornado.web.HTTPError(502, "%s sent an unusable answer: %r", url, error) from error
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(text)

    def write_error(self, status_code, **kwargs):
        # A sentence for people instead of Tornado's generic error page.
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(ERRORS.get(status_code, f"Error {status_code}.") + "\n")


def make_app():
    return tornado.web.Application([(r"/weather/([^/]+)", WeatherHandler)])


async def main():
    parse_command_line()
    # ANCHOR: configure
    # Every AsyncHTTPClient() on this event loop is the same object, made with
    # these settings: the simple client, with up to max_clients requests at once.
    AsyncHTTPClient.configure(None, max_clients=options.max_clients)
    # ANCHOR_END: configure
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
