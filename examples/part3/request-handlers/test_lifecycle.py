import http.client
import json


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def last_steps(server):
    status, body = request(server, "GET", "/journal")
    assert status == 200
    return json.loads(body)["steps"]


def test_the_life_cycle_in_order(start_example, replay):
    server = start_example("lifecycle.py")
    assert last_steps(server) == []  # nothing traced yet
    assert request(server, "GET", "/work") == (200, "Hello from get\n")
    assert last_steps(server) == ["initialize", "prepare", "get", "on_finish"]
    status, body = request(server, "POST", "/work", "{}", {"Content-Type": "application/json"})
    assert (status, body) == (200, "Hello from post\n")
    assert last_steps(server) == ["initialize", "prepare", "post", "on_finish"]
    replay("lifecycle.console", server)


def test_an_error_in_prepare_skips_the_method_but_not_on_finish(start_example):
    server = start_example("lifecycle.py")
    status, _ = request(server, "POST", "/work", "name=tea", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    assert last_steps(server) == ["initialize", "prepare", "write_error", "on_finish"]
    # A method the handler does not define fails after prepare, in the same way.
    assert request(server, "DELETE", "/work")[0] == 405
    assert last_steps(server) == ["initialize", "prepare", "write_error", "on_finish"]
