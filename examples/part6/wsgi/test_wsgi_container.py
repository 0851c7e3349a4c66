from urllib.request import urlopen

import tornado.wsgi


def test_wsgi_app_and_tornado_handler_share_one_server(start_example, replay):
    server = start_example("wsgi_container.py")
    with urlopen(server.url + "/status") as response:
        assert response.read() == b"Tornado handler\n"
        assert response.headers["Server"].startswith("TornadoServer/")
    with urlopen(server.url + "/reports/2024?x=1") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.read() == b"WSGI application, path /reports/2024\n"
    replay("wsgi_container.console", server)


def test_tornado_6_cannot_turn_an_application_into_wsgi():
    # The adapters of Tornado 5 and earlier were removed in Tornado 6.0.
    assert not hasattr(tornado.wsgi, "WSGIAdapter")
    assert not hasattr(tornado.wsgi, "WSGIApplication")
    assert hasattr(tornado.wsgi, "WSGIContainer")
