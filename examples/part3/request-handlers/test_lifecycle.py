import asyncio

import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

JSON = {"Content-Type": "application/json"}


def last_steps(server):
    return server.get_json("/journal")["steps"]


def test_the_life_cycle_in_order(start_example, replay):
    server = start_example("lifecycle.py")
    assert last_steps(server) == []  # nothing traced yet
    response = server.get("/work")
    assert (response.status, response.text) == (200, "Hello from get\n")
    assert last_steps(server) == ["set_default_headers", "initialize", "prepare", "get", "on_finish"]
    response = server.post("/work", body="{}", headers=JSON)
    assert (response.status, response.text) == (200, "Hello from post\n")
    assert last_steps(server) == ["set_default_headers", "initialize", "prepare", "post", "on_finish"]
    replay("lifecycle.console", server)


def test_an_error_in_prepare_skips_the_method_but_not_on_finish(start_example):
    server = start_example("lifecycle.py")
    response = server.post("/work", form={"name": "tea"})
    assert (response.status, response.reason) == (415, "Unsupported Media Type")
    error_steps = ["set_default_headers", "initialize", "prepare", "set_default_headers", "write_error", "on_finish"]
    assert last_steps(server) == error_steps
    # A method the handler does not define fails after prepare, in the same way.
    assert server.request("DELETE", "/work").status == 405
    assert last_steps(server) == error_steps


def test_the_xsrf_check_comes_before_prepare():
    prepared = []

    class FormHandler(tornado.web.RequestHandler):
        def prepare(self):
            prepared.append(self.request.method)

        def post(self):
            self.write("stored")

    async def scenario():
        sock, port = bind_unused_port()
        app = tornado.web.Application([(r"/", FormHandler)], xsrf_cookies=True)
        server = HTTPServer(app)
        server.add_sockets([sock])
        try:
            response = await AsyncHTTPClient().fetch(
                f"http://127.0.0.1:{port}/", method="POST", body="name=tea", raise_error=False
            )
            return response.code
        finally:
            server.stop()

    assert asyncio.run(scenario()) == 403
    assert prepared == []  # refused before prepare could run
