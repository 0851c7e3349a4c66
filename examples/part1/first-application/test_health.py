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
