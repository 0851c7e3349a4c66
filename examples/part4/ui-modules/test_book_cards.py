import re
from html.parser import HTMLParser

import pytest


def fetch(server, path):
    response = server.get(path)
    assert response.status == 200, (path, response.status)
    return response.text


class Elements(HTMLParser):
    """Every start tag of a page, in order, with its attributes and whether it is in <head>."""

    def __init__(self, page):
        super().__init__()
        self.in_head = False
        self.found = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        self.found.append((tag, dict(attrs), self.in_head))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def test_a_module_used_three_times_brings_its_css_and_javascript_once(start_example, replay):
    server = start_example("book_cards.py")
    page = fetch(server, "/")
    head, body = page.split("</head>")
    assert page.count('<article class="book-card">') == 3

    # CSS goes into <head>: the linked file once, the embedded rules once.
    links = [a["href"] for tag, a, in_head in Elements(page).found if tag == "link" and in_head]
    assert len(links) == 1 and re.fullmatch(r"/static/relative-date\.css\?v=[0-9a-f]+", links[0])
    assert head.count("<style") == 1 and head.count(".book-card {") == 1
    assert "<style" not in body and "<link" not in body

    # JavaScript goes to the end of <body>, after the last card: the file first,
    # then the embedded code, once each.
    scripts = [a.get("src") for tag, a, in_head in Elements(page).found if tag == "script"]
    assert len(scripts) == 2 and scripts[1] is None
    assert re.fullmatch(r"/static/relative-date\.js\?v=[0-9a-f]+", scripts[0])
    assert "<script" not in head
    tail = body[body.rindex("</article>") :]
    assert tail.count("<script") == 2 and tail.count(".blurb-toggle") == 1
    assert tail.rstrip().endswith("</script>\n</body>\n</html>")

    # The linked files are real static files.
    for url in (links[0], scripts[0]):
        assert fetch(server, url)
    replay("book_cards.console", server)


def test_the_same_module_serves_several_pages_and_only_they_get_its_resources(start_example):
    server = start_example("book_cards.py")
    detail = fetch(server, "/books/2")
    assert detail.count('<article class="book-card">') == 1
    assert '<a href="/books/2">The Patient Server</a>' in detail
    assert ".book-card {" in detail.split("</head>")[0]
    assert "relative-date.js" in detail.split("</head>")[1]
    # No card on the page: none of the modules' CSS or JavaScript either.
    empty = fetch(server, "/?tag=nothing")
    assert '<p id="nothing">' in empty
    for resource in (".book-card", "relative-date", ".tags a", "<script", "<style"):
        assert resource not in empty
    assert server.get("/books/99").status == 404


def test_a_template_module_declares_its_css_with_set_resources(start_example):
    server = start_example("book_cards.py")
    page = fetch(server, "/")
    head, body = page.split("</head>")
    # tags.html ran three times; set_resources put its rule into <head> once.
    assert page.count('<p class="tags">') == 3
    assert head.count(".tags a {") == 1 and "set_resources" not in page
    # Its {{ }} expressions are escaped like any template's.
    assert '<a href="/?tag=%3Cpoetry%3E">&lt;poetry&gt;</a>' in body
    # The tag links filter the list.
    tagged = fetch(server, "/?tag=servers")
    assert tagged.count('<article class="book-card">') == 2
    assert "<title>Tagged servers - Tornado Bookshop</title>" in tagged


@pytest.mark.parametrize(
    ("path", "status"),
    [("/books/1234567890", 404), ("/books/" + "9" * 5000, 404), ("/books/%D9%A3", 404),
     ("/static/%00", 400), ("/static/relative-date.css%00", 400)],
)  # fmt: skip
def test_hostile_paths_get_a_4xx(start_example, path, status):
    server = start_example("book_cards.py")
    assert server.get(path).status == status, path
