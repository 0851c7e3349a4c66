def test_health_answers_json_that_no_cache_keeps(start_example, replay):
    server = start_example("health.py")
    response = server.get("/health")
    assert response.status == 200
    # Writing a dict makes Tornado encode it and set the JSON content type.
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ok"}
    assert server.get("/").body == b"Hello, world\n"
    # A path that no pattern matches gets Tornado's own 404 page.
    assert server.get("/nowhere").status == 404
    replay("health.console", server)


def test_hostile_paths_get_404_not_500(start_example):
    server = start_example("health.py")
    for path in ["/health%00", "/%C2%B2", "/health/" + "9" * 5000, "/%E4%BD%A0"]:
        assert server.get(path).status == 404, path


def test_write_refuses_a_list():
    import asyncio

    import tornado.web
    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port

    class ListHandler(tornado.web.RequestHandler):
        def get(self):
            try:
                self.write(["a", "b"])
            except TypeError as error:
                self.write({"refused": str(error)})

    async def fetch():
        sock, port = bind_unused_port()  # a free port on 127.0.0.1
        server = HTTPServer(tornado.web.Application([(r"/", ListHandler)]))
        server.add_sockets([sock])
        client = AsyncHTTPClient(force_instance=True)
        try:
            return (await client.fetch(f"http://127.0.0.1:{port}/")).body
        finally:
            client.close()
            server.stop()

    assert b"refused" in asyncio.run(fetch())
