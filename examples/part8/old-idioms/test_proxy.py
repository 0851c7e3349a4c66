import json
from urllib.request import urlopen


def test_async_handler_fetches_and_finishes_by_itself(start_example):
    server = start_example("proxy.py")
    with urlopen(server.url + "/proxy", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read()) == {"temperature": 21}
