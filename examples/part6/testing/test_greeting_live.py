def test_greets_by_name(start_example, replay):
    server = start_example("greeting.py")
    response = server.get("/greet?name=Ada")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.json() == {"greeting": "Hello, Ada!"}
    replay("greeting.console", server)


def test_missing_name_is_a_client_error(start_example):
    server = start_example("greeting.py")
    assert server.get("/greet").status == 400
    # Only a real process shows what the program itself writes to its log.
    server.wait_for_output(r"400 GET /greet \(127\.0\.0\.1\)")
