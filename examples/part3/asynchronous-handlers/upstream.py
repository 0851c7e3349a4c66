"""A small forecast service: the upstream that weather.py calls."""

import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8889, type=int, help="port to listen on")
define("delay", default=0.0, type=float, help="seconds to wait before each answer")

# ANCHOR: service
FORECASTS = {
    "beijing": {"city": "Beijing", "sky": "sunny", "high": 31},
    "shanghai": {"city": "Shanghai", "sky": "rain", "high": 27},
    "harbin": {"city": "Harbin", "sky": "snow", "high": -12},
}


class ForecastHandler(tornado.web.RequestHandler):
    async def get(self, city):
        await asyncio.sleep(options.delay)
        forecast = FORECASTS.get(city.lower())
        if forecast is None:
            raise tornado.web.HTTPError(404)
        self.write(forecast)  # a dict: sent as JSON


# ANCHOR_END: service


def make_app():
    return tornado.web.Application([(r"/forecast/([^/]+)", ForecastHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
