import json
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest


def test_health_answers_json_that_no_cache_keeps(start_example, replay):
    server = start_example("health.py")
    with urlopen(server.url + "/health") as response:
        assert response.status == 200
        # Writing a dict makes Tornado encode it and set the JSON content type.
        assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
        assert response.headers["Cache-Control"] == "no-store"
        assert json.loads(response.read()) == {"status": "ok"}
    with urlopen(server.url + "/") as response:
        assert response.read() == b"Hello, world\n"
    # A path that no pattern matches gets Tornado's own 404 page.
    with pytest.raises(HTTPError) as error:
        urlopen(server.url + "/nowhere")
    assert error.value.code == 404
    replay("health.console", server)
