from urllib.parse import urlencode


def fetch(server, path):
    response = server.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    return response.text


def test_expressions_are_evaluated_and_their_output_escaped(start_example, replay):
    server = start_example("hello_template.py")
    assert "<p>Hello, world! Your name has 5 characters.</p>" in fetch(server, "/")
    page = fetch(server, "/?" + urlencode({"name": "<script>x</script>"}))
    # The value reaches the page as text, never as a tag.
    assert "<script>" not in page
    assert "Hello, &lt;script&gt;x&lt;/script&gt;! Your name has 18 characters." in page
    replay("hello_template.console", server)
