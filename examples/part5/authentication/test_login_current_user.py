"""Why login.py finds the user in prepare(): an async get_current_user lets everybody in."""

import asyncio
import gc
import warnings

import tornado.httpclient
import tornado.web

from tools.site import free_port


class AsyncCurrentUser(tornado.web.RequestHandler):
    async def get_current_user(self):  # the mistake: Tornado never awaits it
        return None

    @tornado.web.authenticated
    def get(self):
        self.write("secret page")


async def fetch_protected():
    port = free_port()
    app = tornado.web.Application([(r"/", AsyncCurrentUser)], login_url="/login")
    server = app.listen(port, "127.0.0.1")
    try:
        client = tornado.httpclient.AsyncHTTPClient()
        response = await client.fetch(f"http://127.0.0.1:{port}/", raise_error=False, follow_redirects=False)
        return response.code, response.body
    finally:
        server.stop()


def test_an_async_get_current_user_is_a_coroutine_object_and_counts_as_signed_in():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "coroutine ... was never awaited"
        code, body = asyncio.run(fetch_protected())
        gc.collect()  # the unawaited coroutine is reported here, inside the filter
    # No redirect to the login page: the coroutine object is true, so @authenticated let it in.
    assert (code, body) == (200, b"secret page")
