import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest


def fetch(server, path):
    response = server.get(path)
    assert response.status == 200, (path, response.status)
    return response.text


class Outline(HTMLParser):
    """The text of the title, each list item, the main part and the footer of a page."""

    def __init__(self, page):
        super().__init__()
        self.open, self.text = [], {"title": "", "li": [], "main": "", "footer": "", "header": ""}
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        if tag == "li":
            self.text["li"].append("")

    def handle_endtag(self, tag):
        self.open.remove(tag)

    def handle_data(self, data):
        for tag in set(self.open) & {"title", "main", "footer", "header"}:
            self.text[tag] += data
        if "li" in self.open:
            self.text["li"][-1] += data


def words(text):
    return " ".join(text.split())


def test_a_child_template_fills_the_blocks_of_its_parent(start_example, replay):
    server = start_example("bookshop.py")
    books = Outline(fetch(server, "/")).text
    detail = Outline(fetch(server, "/books/3")).text
    # Both pages share the layout of base.html: its header, its title suffix...
    for page in (books, detail):
        assert page["header"] == "Tornado Bookshop"
        assert page["title"].endswith(" - Tornado Bookshop")
    # ...and each child fills the blocks it defines.
    assert books["title"] == "All books - Tornado Bookshop"
    assert detail["title"] == "Sockets for Poets - Tornado Bookshop"
    # A block the child leaves out keeps the parent's default; another child replaces it.
    assert books["footer"] == "Prices include VAT."
    assert detail["footer"] == "Ships within two days."
    # Whitespace shrank: the indentation of the .html templates is gone.
    assert not re.search(r"\n[ \t]", fetch(server, "/books/3"))
    replay("bookshop-book.console", server)


def test_include_loops_and_conditionals(start_example):
    server = start_example("bookshop.py")
    page = fetch(server, "/")
    items = [words(item) for item in Outline(page).text["li"]]
    # One summary per book, rendered by the included file with the loop's `book`.
    assert items == [
        "Event Loops in Practice by Mei Chen",
        "The Patient Server by Tomás Ortega only 2 left",
        "Sockets for Poets by Ada Lindqvist sold out",
    ]
    assert '<a href="/books/2">The Patient Server</a>' in page
    # {% set %} summed the stock; {# comments #} never reach the page.
    assert '<p id="copies">6 copies in stock</p>' in page
    assert "{#" not in page and "fills two blocks" not in page
    # The else branch, with the visitor's text escaped.
    page = fetch(server, "/?" + urlencode({"q": "<b>"}))
    assert '<p id="nothing">No title contains "&lt;b&gt;".</p>' in page
    assert "<li>" not in page
    # A search that matches one title lists one book.
    assert [words(i) for i in Outline(fetch(server, "/?q=patient")).text["li"]] == [items[1]]


def test_while_and_try(start_example):
    server = start_example("bookshop.py")
    ratings, prices = [], []
    for book_id in (1, 2, 3):
        main = words(Outline(fetch(server, f"/books/{book_id}")).text["main"])
        ratings.append(re.search(r"(★+)", main).group(1))
        prices.append(main.split("★ ")[1])
    assert ratings == ["★★★★★", "★★★", "★★★★"]
    # The third book has no price: formatting None raised TypeError, and the
    # except branch wrote its text instead.
    assert prices == ["29.50 EUR", "18.00 EUR", "Price on request"]
    assert server.get("/books/99").status == 404


@pytest.mark.parametrize(
    "path", ["/books/1234567890", "/books/" + "9" * 5000, "/books/%D9%A3", "/books/%EF%BC%91", "/books/1%00", "/books/"]
)
def test_an_id_that_is_not_one_to_nine_ascii_digits_is_404(start_example, path):
    server = start_example("bookshop.py")
    assert server.get(path).status == 404, path
