from urllib.parse import urlencode
from urllib.request import urlopen


def fetch(url):
    with urlopen(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
        return response.read().decode("utf-8")


def test_expressions_are_evaluated_and_their_output_escaped(start_example, replay):
    server = start_example("hello_template.py")
    assert "<p>Hello, world! Your name has 5 characters.</p>" in fetch(server.url + "/")
    page = fetch(server.url + "/?" + urlencode({"name": "<script>x</script>"}))
    # The value reaches the page as text, never as a tag.
    assert "<script>" not in page
    assert "Hello, &lt;script&gt;x&lt;/script&gt;! Your name has 18 characters." in page
    replay("hello_template.console", server)
