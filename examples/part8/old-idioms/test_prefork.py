import json
from urllib.request import urlopen


def test_children_serve_the_shared_socket(start_example):
    server = start_example("prefork.py", "--processes=2")
    parent = server.process.pid
    for _ in range(5):
        # Each child accepts on the same socket; the kernel picks which one answers.
        with urlopen(server.url + "/", timeout=5) as response:
            answer = json.loads(response.read())
        assert answer["parent"] == parent  # a child of the process we started
        assert answer["pid"] != parent  # the parent only watches its children
