import asyncio

import tornado.web
from tornado import gen
from tornado.escape import json_decode
from tornado.httpclient import AsyncHTTPClient
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("delay", default=0.2, type=float, help="seconds the fastest service takes")

# Three small services, played by this same server. Each answers after
# one, two or three times --delay.
SERVICES = {
    "weather": (1, "sunny"),
    "news": (2, "a quiet day"),
    "traffic": (3, "light"),
}


class ServiceHandler(tornado.web.RequestHandler):
    async def get(self, name):
        steps, answer = SERVICES[name]
        await asyncio.sleep(steps * options.delay)
        self.write({"answer": answer})


async def ask(name):
    url = f"http://127.0.0.1:{options.port}/service/{name}"
    response = await AsyncHTTPClient().fetch(url)
    return json_decode(response.body)["answer"]


class SequentialHandler(tornado.web.RequestHandler):
    async def get(self):
        answers = {}
        for name in SERVICES:
            answers[name] = await ask(name)  # waits before asking the next one
        self.write(answers)


class GatherHandler(tornado.web.RequestHandler):
    async def get(self):
        names = list(SERVICES)
        results = await asyncio.gather(*(ask(name) for name in names))
        self.write(dict(zip(names, results, strict=True)))


class MultiHandler(tornado.web.RequestHandler):
    async def get(self):
        answers = await gen.multi({name: ask(name) for name in SERVICES})
        self.write(answers)


def make_app():
    return tornado.web.Application(
        [
            (r"/service/(weather|news|traffic)", ServiceHandler),
            (r"/sequential", SequentialHandler),
            (r"/gather", GatherHandler),
            (r"/multi", MultiHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
