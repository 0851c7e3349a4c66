from urllib.request import urlopen


def test_hello_world(start_example, replay):
    server = start_example("hello.py")
    with urlopen(server.url + "/") as response:
        assert response.status == 200
        assert response.read() == b"Hello, world\n"
    replay("hello.console", server)
